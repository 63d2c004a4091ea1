/**
 * Names of the component's children. Logical names (part of each URN) derive from the component's
 * name and must stay stable: renaming one makes Pulumi replace that resource. `Name` tags derive from
 * `namePrefix` and follow the console how-to (`test-vpc`, `test-subnet-1`, …).
 */

const CHILDREN = {
    vpc: { logical: "vpc", tag: "vpc" },
    defaultSecurityGroup: { logical: "default-sg", tag: "default-sg" },
    primarySubnet: { logical: "primary-subnet", tag: "subnet-1" },
    secondarySubnet: { logical: "secondary-subnet", tag: "subnet-2" },
    primarySecurityGroup: { logical: "primary-sg", tag: "instance-sg" },
    primarySecurityGroupEgress: { logical: "primary-sg-egress", tag: "instance-sg-egress" },
    secondarySecurityGroup: { logical: "secondary-sg", tag: "network-interface-sg" },
    secondarySecurityGroupEgress: { logical: "secondary-sg-egress", tag: "network-interface-sg-egress" },
    instance: { logical: "instance", tag: "instance" },
    networkInterface: { logical: "eni", tag: "network-interface" },
    attachment: { logical: "eni-attachment", tag: "network-interface-attachment" },
    standbyInstance: { logical: "standby-instance", tag: "standby-instance" },
    internetGateway: { logical: "igw", tag: "igw" },
    publicRouteTable: { logical: "public-rt", tag: "public-rt" },
    publicRoute: { logical: "public-route", tag: "public-route" },
    publicRouteTableAssociation: { logical: "public-rta", tag: "public-rta" },
    elasticIp: { logical: "eip", tag: "eip" },
    ssmRole: { logical: "ssm-role", tag: "ssm-role" },
    ssmRolePolicy: { logical: "ssm-role-policy", tag: "ssm-role-policy" },
    ssmInstanceProfile: { logical: "ssm-profile", tag: "ssm-profile" },
    ssmEndpointSecurityGroup: { logical: "ssm-endpoints-sg", tag: "ssm-endpoints-sg" },
    ssmEndpointIngress: { logical: "ssm-endpoints-sg-https", tag: "ssm-endpoints-sg-https" },
    ssmEndpoint: { logical: "ssm-endpoint", tag: "ssm-endpoint" },
    primarySecurityGroupEgressIpv6: { logical: "primary-sg-egress-ipv6", tag: "instance-sg-egress-ipv6" },
    secondarySecurityGroupEgressIpv6: { logical: "secondary-sg-egress-ipv6", tag: "network-interface-sg-egress-ipv6" },
    egressOnlyInternetGateway: { logical: "eigw", tag: "eigw" },
    ipv6Route: { logical: "ipv6-route", tag: "ipv6-route" },
    publicIpv6Route: { logical: "public-ipv6-route", tag: "public-ipv6-route" },
    failoverSecurityGroup: { logical: "failover-sg", tag: "failover-sg" },
    failoverHealthEgress: { logical: "failover-sg-egress-health", tag: "failover-sg-egress-health" },
    failoverHttpsEgress: { logical: "failover-sg-egress-https", tag: "failover-sg-egress-https" },
    failoverHealthIngress: { logical: "secondary-sg-failover-health", tag: "network-interface-sg-failover-health" },
    failoverEndpointSecurityGroup: { logical: "failover-ec2-endpoint-sg", tag: "failover-ec2-endpoint-sg" },
    failoverEndpointIngress: { logical: "failover-ec2-endpoint-sg-https", tag: "failover-ec2-endpoint-sg-https" },
    failoverEndpoint: { logical: "failover-ec2-endpoint", tag: "failover-ec2-endpoint" },
    failoverRole: { logical: "failover-role", tag: "failover-role" },
    failoverVpcAccessPolicy: { logical: "failover-role-vpc-access", tag: "failover-role-vpc-access" },
    failoverMovePolicy: { logical: "failover-role-move", tag: "failover-role-move" },
    failoverFunction: { logical: "failover-mover", tag: "failover-mover" },
    failoverLogGroup: { logical: "failover-log", tag: "failover-log" },
    failoverInvokeConfig: { logical: "failover-invoke-config", tag: "failover-invoke-config" },
    failoverSchedulerRole: { logical: "failover-scheduler-role", tag: "failover-scheduler-role" },
    failoverSchedulerPolicy: { logical: "failover-scheduler-role-invoke", tag: "failover-scheduler-role-invoke" },
    failoverSchedule: { logical: "failover-schedule", tag: "failover-schedule" },
} as const;

/** The interface endpoints Session Manager needs without another route out, by AWS service name. */
export const SSM_ENDPOINT_SERVICES = ["ssm", "ssmmessages", "ec2messages"] as const;
export type SsmEndpointService = (typeof SSM_ENDPOINT_SERVICES)[number];


export type ChildKey = keyof typeof CHILDREN;
export type ChildNames = Readonly<Record<ChildKey, string>>;

function prefixed(prefix: string, part: (child: (typeof CHILDREN)[ChildKey]) => string): ChildNames {
    const entries = Object.entries(CHILDREN).map(([key, child]) => [key, `${prefix}-${part(child)}`]);
    return Object.fromEntries(entries) as ChildNames;
}

/** Pulumi logical names of the children of the component called `componentName`. */
export function logicalNames(componentName: string): ChildNames {
    return prefixed(componentName, (child) => child.logical);
}

/** `Name` tag values (the ENI's description too) for a `namePrefix`. */
export function nameTags(namePrefix: string): ChildNames {
    return prefixed(namePrefix, (child) => child.tag);
}
