/**
 * A model of the EC2 state a stack's resources hold, replayed through the steps of a change in the engine's
 * order (planDiff.ts), to find the step AWS would refuse before any step runs. It knows what AWS refuses
 * while a change is under way: an address in use in a subnet, overlapping subnet ranges in a VPC, an ENI
 * attached to two instances, a smaller volume, a duplicate security-group rule, and deleting what something
 * still uses; and one step AWS takes that breaks what stays: deleting an instance profile an instance keeps.
 * Pure: no Pulumi, no AWS.
 */
import * as ipaddr from "ipaddr.js";
import { ipv6StepRefusals } from "./ipv6Model";
import type { PlannedResource } from "./offlinePlan";
import type { Step } from "./planDiff";

/** Whether two IPv4 CIDR blocks share an address: one's network address lies in the other. */
function cidrsOverlap(a: unknown, b: unknown): boolean {
    if (typeof a !== "string" || typeof b !== "string" || !ipaddr.IPv4.isValidCIDR(a) || !ipaddr.IPv4.isValidCIDR(b)) {
        return false;
    }
    const [first, second] = [ipaddr.IPv4.parseCIDR(a), ipaddr.IPv4.parseCIDR(b)];
    return first[0].match(second) || second[0].match(first);
}

/** A step AWS would refuse, with the AWS error it would answer. */
export interface StepRefusal {
    /** Index of the step in the steps replayed. */
    readonly step: number;
    readonly action: Step["action"];
    readonly resource: string;
    /** The input path the refusal is about. */
    readonly property: string;
    /** AWS's error code, as EC2 answers it (EC2 API reference, "Error codes"); "" for a step AWS takes but should not be asked. */
    readonly awsError: string;
    readonly reason: string;
    /** What to do instead. */
    readonly instead: string;
}

interface Live {
    readonly id: string;
    name: string;
    readonly type: string;
    /** Inputs with every `<name>.id` resolved to the physical resource it named when the step ran. */
    inputs: Record<string, unknown>;
}

const T = {
    subnet: "aws:ec2/subnet:Subnet",
    instance: "aws:ec2/instance:Instance",
    eni: "aws:ec2/networkInterface:NetworkInterface",
    attachment: "aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    instanceProfile: "aws:iam/instanceProfile:InstanceProfile",
} as const;

/** Resources that put network interfaces (and so addresses) into a subnet and use security groups. */
const HOLDS_INTERFACES = new Set<string>([T.instance, T.eni, T.endpoint]);

/** Size of an Amazon Linux 2023 root volume when none is set (its snapshot), GiB. */
const IMAGE_ROOT_GIB = 8;

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** The fixed private IPv4 addresses a resource asks for. */
function fixedAddresses(resource: { type: string; inputs: Record<string, unknown> }): string[] {
    const { inputs } = resource;
    const addresses =
        resource.type === T.instance ? [...list(inputs.privateIp), ...list(inputs.secondaryPrivateIps)] : resource.type === T.eni ? list(inputs.privateIpLists ?? inputs.privateIps) : [];
    return addresses.filter((a): a is string => typeof a === "string" && ipaddr.IPv4.isValid(a));
}

const subnetOf = (resource: Live): unknown => resource.inputs.subnetId;

/** What makes two rules of one group the same rule to AWS: everything but description and tags. */
const ruleContent = (inputs: Record<string, unknown>) =>
    JSON.stringify(["ipProtocol", "fromPort", "toPort", "cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"].map((key) => inputs[key] ?? null));

const mentions = (value: unknown, id: string): boolean =>
    value === id || (Array.isArray(value) ? value.some((v) => mentions(v, id)) : value !== null && typeof value === "object" && Object.values(value).some((v) => mentions(v, id)));

/** Replays `steps` on the state `deployed` describes; the refusals, in step order (empty when AWS takes every step). */
export function replaySteps(deployed: readonly PlannedResource[], steps: readonly Step[]): StepRefusal[] {
    const generations = new Map<string, number>();
    const live: Live[] = [];
    const current = (name: string) => live.filter((r) => r.name === name).at(-1);
    const resolve = (value: unknown): unknown => {
        if (typeof value === "string") {
            const name = /^(.+)\.id$/.exec(value)?.[1];
            return (name !== undefined && current(name)?.id) || value;
        }
        if (Array.isArray(value)) {
            return value.map(resolve);
        }
        return value !== null && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)])) : value;
    };
    const add = (name: string, type: string, inputs: Record<string, unknown>) => {
        const generation = (generations.get(name) ?? -1) + 1;
        generations.set(name, generation);
        live.push({ id: `${name}#${generation}`, name, type, inputs: resolve(inputs) as Record<string, unknown> });
    };
    deployed.forEach((r) => add(r.name, r.type, r.inputs));

    const refusals: StepRefusal[] = [];
    steps.forEach((step, index) => {
        const refuse = (property: string, awsError: string, reason: string, instead: string) =>
            refusals.push({ step: index, action: step.action, resource: step.name, property, awsError, reason, instead });
        if (step.action === "delete") {
            const target = live.find((r) => r.name === step.name);
            if (!target) {
                return;
            }
            const users = live.filter((r) => r !== target && mentions(r.inputs, target.id));
            const holders = users.filter((r) => HOLDS_INTERFACES.has(r.type));
            if ((target.type === T.subnet || target.type === T.securityGroup) && holders.length > 0) {
                refuse(
                    "id",
                    "DependencyViolation",
                    `${step.name} cannot be deleted while ${holders.map((r) => r.name).join(", ")} still ${holders.length > 1 ? "use" : "uses"} it, and ${holders.length > 1 ? "they are" : "it is"} not replaced by this change`,
                    "make the change in two steps: first move or remove what uses it, then change it",
                );
            }
            if (target.type === T.instanceProfile) {
                // The deployed instances that took this profile hold it by name (the plan shows the name IAM has).
                const names = new Set(deployed.filter((r) => r.type === T.instance && r.dependsOn.includes(target.name)).map((r) => r.inputs.iamInstanceProfile));
                const keeping = live.filter((r) => r.type === T.instance && names.has(r.inputs.iamInstanceProfile));
                if (keeping.length > 0) {
                    refuse(
                        "iamInstanceProfile",
                        "",
                        `${step.name} would be deleted while ${keeping.map((r) => r.name).join(", ")} ${keeping.length > 1 ? "keep" : "keeps"} it: the provider keeps an Optional+Computed iamInstanceProfile the program stops setting, and IAM deletes a profile an instance still has (its credentials stop)`,
                        "remove the profile from the instances first (iamInstanceProfile \"\" disassociates it: ec2_instance.go resourceInstanceUpdate), deploy, then delete the profile",
                    );
                }
            }
            const attachments = users.filter((r) => r.type === T.attachment);
            if (target.type === T.eni && attachments.length > 0) {
                refuse("id", "InvalidNetworkInterface.InUse", `the network interface ${step.name} is still attached (${attachments.map((r) => r.name).join(", ")})`, "detach it first: the attachment must be replaced delete-first");
            }
            live.splice(live.indexOf(target), 1);
            return;
        }
        const inputs = resolve(step.inputs) as Record<string, unknown>;
        const self = step.action === "update" ? current(step.deployedName ?? step.name) : undefined;
        const others = live.filter((r) => r !== self);
        const candidate = { type: step.type, inputs };
        ipv6StepRefusals({ ...step, inputs }, self, self?.id, others).forEach((r) => refuse(r.property, r.awsError, r.reason, r.instead));
        if (step.type === T.subnet) {
            const clash = others.find((r) => r.type === T.subnet && r.inputs.vpcId === inputs.vpcId && cidrsOverlap(inputs.cidrBlock, r.inputs.cidrBlock));
            if (clash && step.action === "create") {
                refuse(
                    "cidrBlock",
                    "InvalidSubnet.Conflict",
                    `the new ${step.name} (${String(inputs.cidrBlock)}, ${String(inputs.availabilityZone)}) would overlap ${String(clash.inputs.cidrBlock)} of ${clash.name}, which still exists`,
                    "replace the subnet delete-first, or move to a range that overlaps no subnet of the VPC",
                );
            }
        }
        const addresses = fixedAddresses(candidate);
        if (addresses.length > 0) {
            const holder = others.find((r) => subnetOf(r) === inputs.subnetId && fixedAddresses(r).some((a) => addresses.includes(a)));
            if (holder) {
                const taken = fixedAddresses(holder).filter((a) => addresses.includes(a));
                refuse(
                    step.type === T.instance ? "privateIp" : "privateIps",
                    "InvalidIPAddress.InUse",
                    `${step.name} asks for ${taken.join(", ")}, which ${holder.name} still holds in the same subnet (a create-first replacement)`,
                    "replace it delete-first, or change the fixed addresses in the same change",
                );
            }
        }
        if (step.type === T.instance) {
            const size = (inputs.rootBlockDevice as { volumeSize?: number } | undefined)?.volumeSize;
            const before = (self?.inputs.rootBlockDevice as { volumeSize?: number } | undefined)?.volumeSize ?? (self ? IMAGE_ROOT_GIB : undefined);
            if (size !== undefined && before !== undefined && size < before) {
                refuse(
                    "rootBlockDevice.volumeSize",
                    "InvalidParameterValue",
                    `the root volume is ${before} GiB and EBS cannot shrink a volume (ModifyVolume takes only a larger size)`,
                    `keep rootVolumeSizeGiB at ${before} or more; a smaller disk needs a new instance (snapshot the data, replace the instance)`,
                );
            }
        }
        if (step.type === T.attachment) {
            const attached = others.find((r) => r.type === T.attachment && r.inputs.networkInterfaceId === inputs.networkInterfaceId);
            if (attached) {
                refuse("networkInterfaceId", "InvalidNetworkInterface.InUse", `${step.name} would attach the ENI while ${attached.name} still holds it`, "replace the attachment delete-first");
            }
        }
        if (step.type === T.ingress || step.type === T.egress) {
            const twin = others.find((r) => r.type === step.type && r.inputs.securityGroupId === inputs.securityGroupId && ruleContent(r.inputs) === ruleContent(inputs));
            if (twin) {
                refuse("securityGroupId", "InvalidPermission.Duplicate", `${step.name} would add the same rule ${twin.name} holds in that group`, "rename rules only in a change that keeps their content (aliases), or change them in two steps");
            }
        }
        if (self) {
            self.inputs = inputs;
            self.name = step.name;
        } else {
            add(step.name, step.type, step.inputs as Record<string, unknown>);
        }
    });
    return refusals;
}
