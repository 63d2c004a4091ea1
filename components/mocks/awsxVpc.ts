/** `awsx.ec2.Vpc` under the mocks: its subnets laid out the way awsx lays them out. */
import { numberToIpv4, parseIpv4Cidr } from "../cidr";
import { hex } from "./fakeAws";
import type { MockSubnet } from "./options";

/** The inputs of an `awsx:ec2:Vpc` the layout reads. */
export interface AwsxVpcInputs {
    readonly cidrBlock?: string;
    readonly availabilityZoneNames?: readonly string[];
    readonly numberOfAvailabilityZones?: number;
    readonly subnetSpecs?: readonly { readonly type: string; readonly cidrMask?: number }[];
}

/** What an `awsx.ec2.Vpc` outputs under the mocks. */
export interface AwsxVpcOutputs {
    readonly vpcId: string;
    readonly privateSubnetIds: string[];
    readonly publicSubnetIds: string[];
    readonly isolatedSubnetIds: string[];
}

const SUBNET_TYPE_ORDER = ["Private", "Public", "Isolated"];

/**
 * `awsx.ec2.Vpc` is a remote component: under mocks it is one resource with no children, whose outputs
 * are whatever the mocks return. This lays out its subnets the way awsx does in kind (per zone, private
 * first, then public, then isolated) with `/24`s, or each spec's `cidrMask`, taken in order from the VPC's
 * block, and hands each to `addSubnet` so that `aws.ec2.getSubnet` finds it.
 */
export function mockAwsxVpc(id: string, name: string, inputs: AwsxVpcInputs, regionZones: readonly string[], addSubnet: (subnet: MockSubnet) => void): AwsxVpcOutputs {
    const vpcId = `vpc-${hex(id, 17)}`;
    const vpcBlock = parseIpv4Cidr(inputs.cidrBlock ?? "10.0.0.0/16");
    if (!vpcBlock.ok) {
        throw new Error(`awsx:ec2:Vpc ${name}: ${vpcBlock.reason}`);
    }
    const zones = inputs.availabilityZoneNames ?? regionZones.slice(0, inputs.numberOfAvailabilityZones ?? 3);
    const specs = [...(inputs.subnetSpecs ?? [{ type: "Private" }, { type: "Public" }])].sort((a, b) => SUBNET_TYPE_ORDER.indexOf(a.type) - SUBNET_TYPE_ORDER.indexOf(b.type));
    const ids: Record<string, string[]> = { Private: [], Public: [], Isolated: [] };
    let next = vpcBlock.cidr.network;
    for (const [index, spec] of specs.entries()) {
        for (const zone of zones) {
            const size = 2 ** (32 - (spec.cidrMask ?? 24));
            next = Math.ceil(next / size) * size;
            const subnetId = `subnet-${hex(`${id}-${index}-${zone}`, 17)}`;
            const internetGateway = spec.type === "Public" ? { internetGatewayId: `igw-${hex(id, 17)}` } : {};
            addSubnet({ id: subnetId, vpcId, availabilityZone: zone, cidrBlock: `${numberToIpv4(next)}/${32 - Math.log2(size)}`, ...internetGateway });
            ids[spec.type]?.push(subnetId);
            next += size;
        }
    }
    return { vpcId, privateSubnetIds: ids.Private, publicSubnetIds: ids.Public, isolatedSubnetIds: ids.Isolated };
}
