/**
 * The data sources behind the inbound rules' sources, answered from the fake account: security groups, managed prefix
 * lists, VPC peering connections and transit gateway attachments. Their not-found texts are the provider's
 * `tfresource.SingularDataSourceFindError` ("no matching <type> found"); the plural ones answer empty lists.
 */
import { invokeError } from "./awsErrors";
import { type Handler, passes } from "./callInputs";
import { MOCK_ACCOUNT_ID } from "./fakeAws";

export const SOURCE_HANDLERS: Readonly<Record<string, Handler>> = {
    "aws:ec2/getSecurityGroup:getSecurityGroup": (aws, inputs, region) => {
        const id = inputs.id ?? "";
        const group = aws.options.securityGroups?.[id];
        if (!group) {
            // internal/service/ec2/vpc_security_group_data_source.go dataSourceSecurityGroupRead: SingularDataSourceFindError("EC2 Security Group", err).
            throw invokeError("no matching EC2 Security Group found");
        }
        return { id, arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:security-group/${id}`, name: id, description: "", vpcId: group.vpcId, tags: {}, region };
    },
    "aws:ec2/getManagedPrefixList:getManagedPrefixList": (aws, inputs, region) => {
        const id = inputs.id ?? "";
        const list = aws.options.prefixLists?.[id];
        if (!list) {
            // internal/service/ec2/vpc_managed_prefix_list_data_source.go dataSourceManagedPrefixListRead: SingularDataSourceFindError("EC2 Managed Prefix List", err).
            throw invokeError("no matching EC2 Managed Prefix List found");
        }
        const addressFamily = list.addressFamily ?? "IPv4";
        return { id, arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:prefix-list/${id}`, name: id, addressFamily, maxEntries: list.maxEntries, entries: [], ownerId: MOCK_ACCOUNT_ID, version: 1, tags: {}, region };
    },
    "aws:ec2/getVpcPeeringConnections:getVpcPeeringConnections": (aws, inputs, region) => {
        const ids = (aws.options.vpcPeeringConnections ?? [])
            .filter(
                (peering) =>
                    passes(inputs, "status-code", peering.status ?? "active") &&
                    passes(inputs, "requester-vpc-info.vpc-id", peering.requesterVpcId) &&
                    passes(inputs, "accepter-vpc-info.vpc-id", peering.accepterVpcId) &&
                    passes(inputs, "requester-vpc-info.owner-id", peering.requesterOwnerId ?? MOCK_ACCOUNT_ID) &&
                    passes(inputs, "accepter-vpc-info.owner-id", peering.accepterOwnerId ?? MOCK_ACCOUNT_ID),
            )
            .map((peering) => peering.id);
        return { id: region, ids, tags: {}, region };
    },
    "aws:ec2transitgateway/getVpcAttachments:getVpcAttachments": (aws, inputs, region) => {
        const ids = (aws.options.transitGatewayAttachments ?? [])
            .filter((attachment) => passes(inputs, "vpc-id", attachment.vpcId) && passes(inputs, "state", "available"))
            .map((attachment) => attachment.id);
        return { id: region, ids, region };
    },
    "aws:ec2transitgateway/getVpcAttachment:getVpcAttachment": (aws, inputs, region) => {
        const attachment = aws.options.transitGatewayAttachments?.find((candidate) => candidate.id === inputs.id);
        if (!attachment) {
            // internal/service/ec2/transitgateway_vpc_attachment_data_source.go dataSourceTransitGatewayVPCAttachmentRead:
            // SingularDataSourceFindError("EC2 Transit Gateway VPC Attachment", err).
            throw invokeError("no matching EC2 Transit Gateway VPC Attachment found");
        }
        return {
            id: attachment.id,
            transitGatewayId: attachment.transitGatewayId,
            vpcId: attachment.vpcId,
            vpcOwnerId: MOCK_ACCOUNT_ID,
            securityGroupReferencingSupport: attachment.securityGroupReferencingSupport ?? "enable",
            subnetIds: [],
            tags: {},
            region,
        };
    },
    "aws:ec2transitgateway/getTransitGateway:getTransitGateway": (aws, inputs, region) => {
        const id = inputs.id ?? "";
        const known = aws.options.transitGatewayAttachments?.some((attachment) => attachment.transitGatewayId === id) || aws.options.transitGateways?.[id];
        if (!known) {
            // internal/service/ec2/transitgateway_data_source.go dataSourceTransitGatewayRead: SingularDataSourceFindError("EC2 Transit Gateway", err).
            throw invokeError("no matching EC2 Transit Gateway found");
        }
        return { id, ownerId: MOCK_ACCOUNT_ID, securityGroupReferencingSupport: aws.options.transitGateways?.[id]?.securityGroupReferencingSupport ?? "disable", tags: {}, region };
    },
};
