/**
 * Dual stack's resources (`ipv6`): each security group's IPv6 egress rule, and on a new network the egress-only
 * internet gateway that IPv6 leaves through. The VPC and subnets take their IPv6 blocks in network.ts; the public
 * side's `::/0` route to the internet gateway is in publicAccess.ts.
 */
import * as ec2 from "@pulumi/aws/ec2";
import { SecurityGroupEgressRule } from "@pulumi/aws/vpc";
import { ChildContext } from "./childContext";
import type { InterfaceSide } from "./security";

const EGRESS_RULES = { instance: "primarySecurityGroupEgressIpv6", networkInterface: "secondarySecurityGroupEgressIpv6" } as const;

/** Every IPv6 destination, as a route's or a rule's CIDR. */
export const ANY_IPV6 = "::/0";

/** Lets an interface's security group send IPv6 anywhere, as its IPv4 egress rule does for IPv4. */
export function allowIpv6Out({ parent, names, nameTags, tags }: ChildContext, side: InterfaceSide, securityGroup: ec2.SecurityGroup): SecurityGroupEgressRule {
    const rule = EGRESS_RULES[side];
    return new SecurityGroupEgressRule(
        names[rule],
        {
            securityGroupId: securityGroup.id,
            ipProtocol: "-1",
            cidrIpv6: ANY_IPV6,
            description: "All outbound IPv6 traffic",
            tags: tags(nameTags[rule]),
        },
        parent,
    );
}

/**
 * An egress-only internet gateway (no charge of its own; data out is billed as through an internet gateway) and
 * the VPC's main route table's `::/0` route to it: the subnets without a route table of their own (the side that
 * is not public) send IPv6 out through it, and nothing from outside can open a connection back in.
 */
export function createIpv6Egress({ parent, names, nameTags, tags }: ChildContext, vpc: ec2.Vpc): ec2.EgressOnlyInternetGateway {
    const gateway = new ec2.EgressOnlyInternetGateway(names.egressOnlyInternetGateway, { vpcId: vpc.id, tags: tags(nameTags.egressOnlyInternetGateway) }, parent);
    new ec2.Route(names.ipv6Route, { routeTableId: vpc.mainRouteTableId, destinationIpv6CidrBlock: ANY_IPV6, egressOnlyGatewayId: gateway.id }, parent);
    return gateway;
}
