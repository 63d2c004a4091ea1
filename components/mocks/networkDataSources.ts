/**
 * The data sources behind placement, answered from the fake account: a zone's type and network border group, the
 * network interfaces and instances that exist, and a VPC's internet gateway. Their not-found texts are the
 * provider's `tfresource.SingularDataSourceFindError` ("no matching <type> found"); the plural ones answer empty lists.
 */
import { invokeError } from "./awsErrors";
import { type Handler, passes } from "./callInputs";
import { fakeZone, hex, MOCK_ACCOUNT_ID } from "./fakeAws";
import type { MockNetworkInterface } from "./options";

const tagsMatch = (inputs: Parameters<Handler>[1], tags: Readonly<Record<string, string>> | undefined) =>
    (inputs.filters ?? []).filter((filter) => filter.name.startsWith("tag:")).every((filter) => filter.values.includes(tags?.[filter.name.slice(4)] ?? "\u0000"));

export const NETWORK_HANDLERS: Readonly<Record<string, Handler>> = {
    "aws:index/getAvailabilityZone:getAvailabilityZone": (aws, inputs, region) => {
        const name = inputs.name ?? "";
        if (!aws.zonesOf(region).includes(name)) {
            // internal/service/ec2/ec2_availability_zone_data_source.go dataSourceAvailabilityZoneRead: SingularDataSourceFindError("EC2 Availability Zone", err).
            throw invokeError("no matching EC2 Availability Zone found");
        }
        const { zoneType, networkBorderGroup } = fakeZone(region, name);
        const index = aws.zonesOf(region).indexOf(name) + 1;
        return {
            id: name,
            name,
            nameSuffix: name.slice(region.length).replace(/^-/, ""),
            region,
            zoneId: `${region.replace(/-/g, "")}-az${index}`,
            zoneType,
            networkBorderGroup,
            groupName: networkBorderGroup,
            groupLongName: networkBorderGroup,
            optInStatus: zoneType === "availability-zone" ? "opt-in-not-required" : "opted-in",
            parentZoneId: "",
            parentZoneName: zoneType === "availability-zone" ? "" : `${region}a`,
            state: "available",
        };
    },
    "aws:ec2/getNetworkInterfaces:getNetworkInterfaces": (aws, inputs, region) => {
        const matches = (eni: MockNetworkInterface) =>
            passes(inputs, "subnet-id", eni.subnetId) &&
            passes(inputs, "attachment.instance-id", eni.instanceId) &&
            (!inputs.filters?.some((filter) => filter.name === "addresses.private-ip-address") || eni.privateIps.some((ip) => passes(inputs, "addresses.private-ip-address", ip))) &&
            tagsMatch(inputs, eni.tags);
        return { id: region, ids: (aws.options.networkInterfaces ?? []).filter(matches).map((eni) => eni.id), tags: {}, region };
    },
    "aws:ec2/getNetworkInterface:getNetworkInterface": (aws, inputs, region) => {
        const eni = aws.options.networkInterfaces?.find((candidate) => candidate.id === inputs.id);
        if (!eni) {
            // internal/service/ec2/vpc_network_interface_data_source.go dataSourceNetworkInterfaceRead: SingularDataSourceFindError("EC2 Network Interface", err).
            throw invokeError("no matching EC2 Network Interface found");
        }
        const subnet = aws.subnets.get(eni.subnetId);
        return {
            id: eni.id,
            arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:network-interface/${eni.id}`,
            subnetId: eni.subnetId,
            vpcId: subnet?.vpcId ?? "",
            availabilityZone: subnet?.availabilityZone ?? "",
            privateIp: eni.privateIps[0],
            privateIps: [...eni.privateIps],
            attachments: eni.instanceId ? [{ instanceId: eni.instanceId, deviceIndex: 0, instanceOwnerId: MOCK_ACCOUNT_ID, attachmentId: `eni-attach-${hex(eni.id, 17)}`, networkCardIndex: 0 }] : [],
            tags: { ...eni.tags },
            description: "",
            interfaceType: "interface",
            ownerId: MOCK_ACCOUNT_ID,
            region,
        };
    },
    "aws:ec2/getInstances:getInstances": (aws, inputs, region) => {
        const states = inputs.instanceStateNames ?? ["running"];
        const found = (aws.options.instances ?? []).filter((instance) => states.includes(instance.state ?? "running") && tagsMatch(inputs, instance.tags));
        return { id: region, ids: found.map((instance) => instance.id), privateIps: [], publicIps: [], ipv6Addresses: [], instanceTags: {}, region };
    },
    "aws:ec2/getInternetGateway:getInternetGateway": (aws, inputs, region) => {
        const [vpcId] = inputs.filters?.find((filter) => filter.name === "attachment.vpc-id")?.values ?? [];
        const routed = [...aws.subnets.values()].find((subnet) => subnet.vpcId === vpcId && subnet.internetGatewayId)?.internetGatewayId;
        const gateway = aws.options.internetGateways?.[vpcId ?? ""] ?? routed ?? aws.options.mainRouteTableInternetGateways?.[vpcId ?? ""];
        if (!gateway) {
            // internal/service/ec2/vpc_internet_gateway_data_source.go dataSourceInternetGatewayRead: SingularDataSourceFindError("EC2 Internet Gateway", err).
            throw invokeError("no matching EC2 Internet Gateway found");
        }
        return {
            id: gateway,
            internetGatewayId: gateway,
            arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:internet-gateway/${gateway}`,
            attachments: [{ state: "available", vpcId }],
            ownerId: MOCK_ACCOUNT_ID,
            tags: {},
            region,
        };
    },
};
