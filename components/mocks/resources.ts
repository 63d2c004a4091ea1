/** Creating a resource in the fake account: AWS-shaped ids and the attributes AWS computes, per resource type. */
import type * as pulumi from "@pulumi/pulumi";
import { mockAwsxVpc } from "./awsxVpc";
import { FakeAws, hex } from "./fakeAws";
import { instanceIpv6State, type Ipv6Request, networkInterfaceIpv6State, subnetIpv6State, vpcIpv6State } from "./ipv6";

/** The id prefix AWS gives each resource type. */
const ID_PREFIXES: Readonly<Record<string, string>> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:ec2/instance:Instance": "i",
    "aws:ec2/networkInterface:NetworkInterface": "eni",
    "aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment": "eni-attach",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway": "eigw",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
};

/** Resource types Pulumi auto-names (`<logical name>-<7 random characters>`) when no name is given. */
const AUTO_NAMED = new Set(["aws:ec2/securityGroup:SecurityGroup", "aws:iam/role:Role", "aws:iam/instanceProfile:InstanceProfile", "aws:lambda/function:Function", "aws:scheduler/schedule:Schedule"]);

/** ARNs of the types outside EC2 whose ARN an input takes (failover.ts), as AWS forms them, by name. */
const NAMED_ARNS: Readonly<Record<string, (region: string, name: string) => string>> = {
    "aws:iam/role:Role": (_, name) => `arn:aws:iam::123456789012:role/${name}`,
    "aws:lambda/function:Function": (region, name) => `arn:aws:lambda:${region}:123456789012:function:${name}`,
    // The provider's `arn` of a log group has no `:*` (cloudwatch log_group.go resourceGroupRead: TrimSuffix).
    "aws:cloudwatch/logGroup:LogGroup": (region, name) => `arn:aws:logs:${region}:123456789012:log-group:${name}`,
};

type Inputs = Readonly<Record<string, unknown>>;

interface SubnetInputs {
    readonly vpcId: string;
    readonly cidrBlock: string;
    readonly availabilityZone: string;
    readonly ipv6CidrBlock?: string;
    readonly assignIpv6AddressOnCreation?: boolean;
}

interface InstanceInputs extends Ipv6Request {
    readonly subnetId: string;
    readonly privateIp?: string;
    readonly secondaryPrivateIps?: readonly string[];
}

interface NetworkInterfaceInputs extends Ipv6Request {
    readonly subnetId: string;
    readonly privateIps?: readonly string[];
    readonly privateIpLists?: readonly string[];
    readonly privateIpsCount?: number;
}

/** Creates a resource in `aws`: its id and state (inputs and the attributes AWS computes). */
export function createResource(aws: FakeAws, args: pulumi.runtime.MockResourceArgs, inputs: Inputs): { id: string; state: Record<string, unknown> } {
    const prefix = ID_PREFIXES[args.type];
    const id = prefix ? `${prefix}-${hex(`${args.type}::${args.name}`, 17)}` : `${args.name}-id`;
    const region = aws.regionOf(inputs, args.provider);
    // AWS's resource type in an EC2 ARN: `instance`, `network-interface`, `security-group`, ...
    const arn = `arn:aws:ec2:${region}:123456789012:${args.type.split(":").pop()?.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase()}/${id}`;
    switch (args.type) {
        case "pulumi:providers:aws":
            aws.addProvider(args.name, inputs.region as string | undefined);
            return { id, state: { ...inputs } };
        case "aws:ec2/vpc:Vpc":
            return { id, state: { ...inputs, arn, defaultSecurityGroupId: `sg-${hex(id, 17)}`, mainRouteTableId: `rtb-${hex(id, 17)}`, ...vpcIpv6State(aws, id, inputs, region) } };
        case "aws:ec2/subnet:Subnet": {
            const subnet = inputs as unknown as SubnetInputs;
            const ipv6 = subnetIpv6State(aws, id, subnet, region);
            aws.addSubnet({ id, vpcId: subnet.vpcId, cidrBlock: subnet.cidrBlock, availabilityZone: subnet.availabilityZone, ...ipv6 });
            return { id, state: { ...inputs, arn } };
        }
        case "aws:ec2/instance:Instance": {
            const instance = inputs as unknown as InstanceInputs;
            // internal/service/ec2/ec2_instance.go resourceInstanceCreate: "creating EC2 Instance: %s".
            const subnet = aws.subnetFor(instance.subnetId, "creating EC2 Instance", "RunInstances");
            const take = (fixed?: string) => subnet.addresses.take("creating EC2 Instance", "RunInstances", fixed);
            const privateIp = take(instance.privateIp);
            const secondaryPrivateIps = (instance.secondaryPrivateIps ?? []).map(take);
            const primaryNetworkInterfaceId = `eni-${hex(`${id}-primary`, 17)}`;
            const ipv6 = instanceIpv6State(aws, subnet, id, instance);
            return { id, state: { ...inputs, arn, privateIp, secondaryPrivateIps, availabilityZone: subnet.availabilityZone, primaryNetworkInterfaceId, ...ipv6 } };
        }
        case "aws:ec2/eip:Eip": {
            // Documentation addresses (TEST-NET-3), one per Elastic IP.
            const publicIp = `203.0.113.${(parseInt(hex(id, 2), 16) % 254) + 1}`;
            return { id, state: { ...inputs, arn, allocationId: id, publicIp, associationId: `eipassoc-${hex(id, 17)}` } };
        }
        case "aws:ec2/networkInterface:NetworkInterface": {
            const eni = inputs as unknown as NetworkInterfaceInputs;
            // internal/service/ec2/vpc_network_interface.go resourceNetworkInterfaceCreate: "creating EC2 Network Interface: %s".
            const subnet = aws.subnetFor(eni.subnetId, "creating EC2 Network Interface", "CreateNetworkInterface");
            const take = (fixed?: string) => subnet.addresses.take("creating EC2 Network Interface", "CreateNetworkInterface", fixed);
            const [fixedPrimary, ...fixedSecondaries] = eni.privateIpLists ?? eni.privateIps ?? [];
            const ipv6 = networkInterfaceIpv6State(aws, subnet, id, { ...eni, privateIps: eni.privateIpLists ?? eni.privateIps });
            const privateIp = take(fixedPrimary);
            const secondaries = [...fixedSecondaries.map((ip) => take(ip)), ...Array.from({ length: eni.privateIpsCount ?? 0 }, () => take())];
            const macAddress = `02:${(hex(id, 10).match(/../g) ?? []).join(":")}`;
            return { id, state: { ...inputs, arn, privateIp, privateIps: [privateIp, ...secondaries], macAddress, ...ipv6 } };
        }
        case "awsx:ec2:Vpc":
            return { id, state: { ...mockAwsxVpc(id, args.name, inputs, aws.zonesOf(region), (subnet) => aws.addSubnet(subnet)) } };
        case "aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment":
            return { id, state: { ...inputs, attachmentId: id, status: "attached" } };
        default: {
            const name = AUTO_NAMED.has(args.type) ? { name: (inputs.name as string | undefined) ?? `${args.name}-${hex(id, 7)}` } : {};
            const named = NAMED_ARNS[args.type]?.(region, (name.name ?? inputs.name) as string);
            return { id, state: { ...inputs, ...name, ...(prefix ? { arn } : named ? { arn: named } : {}) } };
        }
    }
}
