/**
 * The public-access step: an internet gateway and a route table for the public side's subnet (new network only),
 * an Elastic IP on the public interface, and the interface endpoints Session Manager needs without a route out.
 */
import * as ec2 from "@pulumi/aws/ec2";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { ChildContext } from "./childContext";
import { ANY_IPV6 } from "./ipv6";
import { SSM_ENDPOINT_SERVICES } from "./naming";

/**
 * An Elastic IP on `networkInterfaceId`; with a new network, first an internet gateway and a `0.0.0.0/0` route for
 * `subnetId` only (and, with `ipv6`, a `::/0` route to the same gateway).
 */
export function createPublicAccess(
    { parent, settings, names, nameTags, tags }: ChildContext,
    network: { vpcId: pulumi.Input<string>; newNetwork: boolean; ipv6?: boolean },
    subnetId: pulumi.Input<string>,
    networkInterfaceId: pulumi.Input<string>,
): ec2.Eip {
    let internetGateway: ec2.InternetGateway | undefined;
    if (network.newNetwork) {
        internetGateway = new ec2.InternetGateway(names.internetGateway, { vpcId: network.vpcId, tags: tags(nameTags.internetGateway) }, parent);
        const routeTable = new ec2.RouteTable(names.publicRouteTable, { vpcId: network.vpcId, tags: tags(nameTags.publicRouteTable) }, parent);
        new ec2.Route(names.publicRoute, { routeTableId: routeTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id }, parent);
        if (network.ipv6) {
            new ec2.Route(names.publicIpv6Route, { routeTableId: routeTable.id, destinationIpv6CidrBlock: ANY_IPV6, gatewayId: internetGateway.id }, parent);
        }
        new ec2.RouteTableAssociation(names.publicRouteTableAssociation, { subnetId, routeTableId: routeTable.id }, parent);
    }
    // AWS associates an Elastic IP only once the VPC has an internet gateway attached (Gateway.NotAttached), and only
    // one of the interface's network border group: a Local or Wavelength Zone's own, not its region's (VPC User Guide,
    // "Considerations for internet gateways" in Local Zones). In an Availability Zone it stays unset, as before.
    return new ec2.Eip(
        names.elasticIp,
        { domain: "vpc", networkInterface: networkInterfaceId, networkBorderGroup: settings.apply((s) => s.networkBorderGroup), tags: tags(nameTags.elasticIp) },
        { ...parent, dependsOn: internetGateway ? [internetGateway] : [] },
    );
}

/** Interface endpoints for ssm, ssmmessages and ec2messages in the primary subnet, reachable on 443 from the VPC. */
export function createSsmEndpoints(
    { parent, settings, names, nameTags, tags }: ChildContext,
    vpcId: pulumi.Input<string>,
    subnetId: pulumi.Input<string>,
    fixedAddressHolders: pulumi.Resource[],
): ec2.VpcEndpoint[] {
    const securityGroup = new ec2.SecurityGroup(
        names.ssmEndpointSecurityGroup,
        { vpcId, description: `Session Manager endpoints of ${nameTags.instance}`, tags: tags(nameTags.ssmEndpointSecurityGroup) },
        parent,
    );
    new SecurityGroupIngressRule(
        names.ssmEndpointIngress,
        {
            securityGroupId: securityGroup.id,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrIpv4: settings.apply((s) => s.vpcCidrBlock!),
            description: "HTTPS from the VPC",
            tags: tags(nameTags.ssmEndpointIngress),
        },
        parent,
    );
    return SSM_ENDPOINT_SERVICES.map(
        (service) =>
            new ec2.VpcEndpoint(
                `${names.ssmEndpoint}-${service}`,
                {
                    vpcId,
                    serviceName: settings.apply((s) => `com.amazonaws.${s.region}.${service}`),
                    vpcEndpointType: "Interface",
                    subnetIds: [subnetId],
                    securityGroupIds: [securityGroup.id],
                    privateDnsEnabled: true,
                    tags: tags(`${nameTags.ssmEndpoint}-${service}`),
                },
                // The subnet is replaced delete-first; an endpoint left in it would stop that (DependencyViolation),
                // so a new subnet replaces the endpoint too and the engine deletes it first.
                { ...parent, dependsOn: fixedAddressHolders, replaceOnChanges: ["subnetIds"] },
            ),
    );
}
