/**
 * What a change to `ipv6` and the prefix counts does to a deployed stack that the plan diff alone does not say:
 * AWS keeps a VPC's IPv6 block while its subnets hold /64s of it, and the provider keeps an interface's prefixes
 * when their count is left out. Pure: no Pulumi, no AWS.
 */
import type { PlannedResource, StackPlan } from "./offlinePlan";

const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const ENI = "aws:ec2/networkInterface:NetworkInterface";

/** A deployed or replayed resource: its name, type and inputs (references resolved or not). */
interface Held {
    readonly name: string;
    readonly type: string;
    readonly inputs: Readonly<Record<string, unknown>>;
}

/** A refusal of one step, as ec2Model.ts's `refuse` takes it. */
export interface Ipv6StepRefusal {
    readonly property: string;
    readonly awsError: string;
    readonly reason: string;
    readonly instead: string;
}

/**
 * An update of a VPC that gives up its Amazon-provided IPv6 block while subnets of it still hold one. The provider
 * updates the VPC before its subnets (they depend on it) and disassociates the block first, which AWS refuses:
 * "InvalidCidrBlock.InUse: The vpc vpc-… currently has a subnet within CIDR block …" (terraform-provider-aws
 * #29077, DisassociateVpcCidrBlock). `vpcId` is how the subnets name the VPC (its live id while replaying).
 */
export function ipv6StepRefusals(step: { readonly action: string; readonly type: string; readonly inputs: Readonly<Record<string, unknown>> }, before: Held | undefined, vpcId: string | undefined, others: readonly Held[]): Ipv6StepRefusal[] {
    if (step.action !== "update" || step.type !== VPC || before?.inputs.assignGeneratedIpv6CidrBlock !== true || step.inputs.assignGeneratedIpv6CidrBlock === true) {
        return [];
    }
    const holders = others.filter((r) => r.type === SUBNET && r.inputs.vpcId === vpcId && r.inputs.ipv6CidrBlock !== undefined);
    if (holders.length === 0) {
        return [];
    }
    return [
        {
            property: "assignGeneratedIpv6CidrBlock",
            awsError: "InvalidCidrBlock.InUse",
            reason: `the VPC's IPv6 block would be given up while ${holders.map((r) => r.name).join(" and ")} still hold /64s of it, and the provider changes the VPC first`,
            instead: "keep ipv6 on (an unused egress-only gateway costs nothing), or move to a new network in the same change (a new vpcCidrBlock replaces the VPC and everything in it)",
        },
    ];
}

const PREFIX_COUNTS: Readonly<Record<string, string>> = { ipv4PrefixCount: "networkInterfaceIpv4PrefixCount", ipv6PrefixCount: "networkInterfaceIpv6PrefixCount" };

/**
 * Prefix counts the program stops sending: the input is Optional and Computed, so the provider keeps the prefixes
 * the ENI holds (terraform-provider-aws `vpc_network_interface.go` resourceNetworkInterfaceUpdate acts only on a
 * changed `ipv4_prefix_count`/`ipv6_prefix_count`), and the change would silently do nothing.
 */
export function keptPrefixRefusals(deployed: StackPlan, next: StackPlan): { key: string; resource: string; awsError: string; reason: string; instead: string }[] {
    const enis = (plan: StackPlan) => new Map(plan.resources.filter((r: PlannedResource) => r.type === ENI).map((r) => [r.name, r.inputs]));
    const nextEnis = enis(next);
    return [...enis(deployed)].flatMap(([name, inputs]) =>
        Object.entries(PREFIX_COUNTS)
            .filter(([input]) => typeof inputs[input] === "number" && (inputs[input] as number) > 0 && nextEnis.has(name) && nextEnis.get(name)![input] === undefined)
            .map(([input, key]) => ({
                key,
                resource: name,
                awsError: "",
                reason: `the ENI's ${inputs[input] as number} prefix${inputs[input] === 1 ? "" : "es"} would stay: a count left out keeps what the ENI holds`,
                instead: `unassign them yourself (aws ec2 ${input === "ipv4PrefixCount" ? "unassign-private-ip-addresses --ipv4-prefixes" : "unassign-ipv6-addresses --ipv6-prefixes"} …), then pulumi refresh and deploy; or keep a count of 1 or more`,
            })),
    );
}
