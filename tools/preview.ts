/**
 * The offline preview of a change to a stack (`npm run plan -- <stack> --diff`): the diff of the program's
 * plan against the committed one as the provider's Read leaves it, replayed through the EC2 model, refusals
 * named by config key.
 */
import { STACK_COMPONENT_NAME } from "../stacks/program";
import { replaySteps, type StepRefusal } from "./ec2Model";
import { keptPrefixRefusals } from "./ipv6Model";
import { failoverToggleRefusals } from "./failoverPreview";
import type { StackPlan } from "./offlinePlan";
import { diffPlans, type PropertyDependencies, type StackDiff } from "./planDiff";
import { readBack } from "./providerState";

/** A change AWS would refuse, as the user fixes it: by config key. */
export interface Refusal {
    /** The config key (without namespace) whose change leads to the refused step. */
    readonly key: string;
    readonly resource: string;
    readonly reason: string;
    readonly instead: string;
    readonly awsError: string;
}

export interface Preview {
    readonly stack: string;
    readonly diff: StackDiff;
    readonly refusals: readonly Refusal[];
}

/** Config keys behind a child's input paths, by the child's logical name without the component's (naming.ts). */
const CONFIG_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    vpc: { cidrBlock: "vpcCidrBlock", assignGeneratedIpv6CidrBlock: "ipv6" },
    "primary-subnet": { cidrBlock: "primarySubnetCidrBlock", availabilityZone: "availabilityZone", ipv6CidrBlock: "ipv6", assignIpv6AddressOnCreation: "ipv6" },
    "secondary-subnet": { cidrBlock: "secondarySubnetCidrBlock", availabilityZone: "availabilityZone", ipv6CidrBlock: "ipv6", assignIpv6AddressOnCreation: "ipv6" },
    instance: {
        ami: "ami",
        instanceType: "instanceType",
        keyName: "keyName",
        privateIp: "instancePrivateIp",
        secondaryPrivateIps: "instanceSecondaryPrivateIps",
        "rootBlockDevice.volumeSize": "rootVolumeSizeGiB",
        userData: "userData",
        sourceDestCheck: "instanceSourceDestCheck",
        ipv6AddressCount: "instanceIpv6AddressCount",
    },
    "standby-instance": { ami: "ami", instanceType: "instanceType", keyName: "keyName", "rootBlockDevice.volumeSize": "rootVolumeSizeGiB", userData: "userData", ipv6AddressCount: "instanceIpv6AddressCount" },
    eni: {
        privateIps: "networkInterfacePrivateIp",
        // The ordered list replaces the ENI only when its first address, the primary, changes.
        privateIpLists: "networkInterfacePrivateIp",
        privateIpsCount: "networkInterfaceSecondaryPrivateIpCount",
        sourceDestCheck: "networkInterfaceSourceDestCheck",
        ipv6AddressCount: "networkInterfaceIpv6AddressCount",
        ipv4PrefixCount: "networkInterfaceIpv4PrefixCount",
        ipv6PrefixCount: "networkInterfaceIpv6PrefixCount",
    },
    "eni-attachment": { instanceId: "activeInstance" },
    "ssm-profile": { iamInstanceProfile: "ssmAccess" },
};

/** Each interface's inbound rules, by the logical-name prefix of its rules. */
const RULE_KEYS: Readonly<Record<string, string>> = { "primary-sg-ingress-": "instanceIngress", "secondary-sg-ingress-": "networkInterfaceIngress" };

/** A stack resource's logical name without the component's, e.g. `instance`. */
const childOf = (resource: string): string => resource.slice(`${STACK_COMPONENT_NAME}-`.length);

const keyOfPath = (resource: string, property: string): string | undefined => {
    const child = childOf(resource);
    return CONFIG_KEYS[child]?.[property] ?? Object.entries(RULE_KEYS).find(([prefix]) => child.startsWith(prefix))?.[1];
};

/**
 * The config key behind a refused step on `resource` about `property`: the change that took the resource
 * along, else what made it replaced (its replacing inputs, or the replaced resource an unknown input came
 * from), else the key of the property itself.
 */
function configKeyOf(diff: StackDiff, resource: string, property: string, seen = new Set<string>()): string {
    const change = diff.changes.find((c) => c.name === resource);
    seen.add(resource);
    if (change?.takenWith && !seen.has(change.takenWith)) {
        const root = diff.changes.find((c) => c.name === change.takenWith)!;
        return configKeyOf(diff, root.name, root.properties[0] ?? property, seen);
    }
    if (change?.op === "replace") {
        const own = change.properties.map((p) => keyOfPath(resource, p)).find((key) => key !== undefined);
        if (own !== undefined) {
            return own;
        }
        const cause = diff.changes.find((c) => c.op === "replace" && !seen.has(c.name) && c.properties.length > 0);
        if (cause) {
            return configKeyOf(diff, cause.name, cause.properties[0], seen);
        }
    }
    return keyOfPath(resource, property) ?? `${resource}.${property}`;
}

/**
 * Changes the program makes that `ignoreChanges` would silently drop and that matter: the ENI's fixed
 * primary address next to AWS-assigned secondaries (its `privateIps` are ignored, see networkInterface.ts).
 */
function ignoredRefusals(deployed: StackPlan, next: StackPlan, diff: StackDiff): Refusal[] {
    const primaryIn = (plan: StackPlan, name: string, lists: readonly string[]) => {
        const inputs = plan.resources.find((r) => r.name === name)?.inputs ?? {};
        return lists.map((key) => (inputs[key] as unknown[] | undefined)?.[0]).find((ip) => ip !== undefined);
    };
    return diff.changes
        .filter((c) => childOf(c.name) === "eni" && c.ignored.includes("privateIps"))
        .filter((c) => primaryIn(deployed, c.name, ["privateIpLists", "privateIps"]) !== primaryIn(next, c.name, ["privateIps"]))
        .map((c) => ({
            key: "networkInterfacePrivateIp",
            resource: c.name,
            awsError: "",
            reason: "the ENI's addresses are kept as deployed while networkInterfaceSecondaryPrivateIpCount is set (AWS assigns the secondaries), so a new primary address would not be applied",
            instead: "in one change set networkInterfaceSecondaryPrivateIpCount to 0, deploy, then change networkInterfacePrivateIp and the count",
        }));
}

/**
 * The preview of `next` (the program now) against `deployed` (the committed plan), as `pulumi up` sees it after
 * the read that ends every deploy or a `pulumi refresh`: against the state the provider's Read leaves.
 */
export function previewChange(deployed: StackPlan, next: StackPlan, propertyDependencies: PropertyDependencies = {}): Preview {
    const state = readBack(deployed);
    const diff = diffPlans(state, next, propertyDependencies);
    const fromModel = replaySteps(state.resources, diff.steps).map(
        (r: StepRefusal): Refusal => ({ key: configKeyOf(diff, r.resource, r.property), resource: r.resource, reason: r.reason, instead: r.instead, awsError: r.awsError }),
    );
    return { stack: next.stack, diff, refusals: [...ignoredRefusals(state, next, diff), ...failoverToggleRefusals(state, next, diff), ...keptPrefixRefusals(state, next), ...fromModel] };
}

/** The refusals as the CLI prints them on stderr. */
export function renderRefusals(project: string, preview: Preview): string {
    const lines = [`error: AWS would refuse this change to stack "${preview.stack}" part-way; nothing was applied:`];
    for (const r of preview.refusals) {
        lines.push(`  - ${project}:${r.key}: ${r.reason}${r.awsError ? ` (${r.awsError})` : ""}; instead: ${r.instead}`);
    }
    return lines.join("\n");
}
