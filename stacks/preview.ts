/**
 * The offline preview of a change to a stack (`npm run plan -- <stack> --diff`): the diff of the program's
 * plan against the committed one, replayed through the EC2 model, refusals named by config key.
 */
import { logicalNames, type ChildKey } from "../components/naming";
import { replaySteps, type StepRefusal } from "./ec2Model";
import { STACK_COMPONENT_NAME } from "./program";
import type { StackPlan } from "./offlinePlan";
import { diffPlans, type ChangeDetail, type PropertyDependencies, type StackDiff } from "./planDiff";

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

/** Config keys behind a child's input paths. */
const CONFIG_KEYS: Partial<Record<ChildKey, Readonly<Record<string, string>>>> = {
    vpc: { cidrBlock: "vpcCidrBlock" },
    primarySubnet: { cidrBlock: "primarySubnetCidrBlock", availabilityZone: "availabilityZone" },
    secondarySubnet: { cidrBlock: "secondarySubnetCidrBlock", availabilityZone: "availabilityZone" },
    instance: {
        ami: "ami",
        instanceType: "instanceType",
        keyName: "keyName",
        privateIp: "instancePrivateIp",
        secondaryPrivateIps: "instanceSecondaryPrivateIps",
        "rootBlockDevice.volumeSize": "rootVolumeSizeGiB",
        userData: "userData",
        sourceDestCheck: "instanceSourceDestCheck",
    },
    standbyInstance: { ami: "ami", instanceType: "instanceType", keyName: "keyName", "rootBlockDevice.volumeSize": "rootVolumeSizeGiB", userData: "userData" },
    networkInterface: {
        privateIps: "networkInterfacePrivateIp",
        privateIpLists: "networkInterfaceSecondaryPrivateIps",
        privateIpsCount: "networkInterfaceSecondaryPrivateIpCount",
        sourceDestCheck: "networkInterfaceSourceDestCheck",
    },
    attachment: { instanceId: "activeInstance" },
};

const CHILD_OF_NAME = new Map(Object.entries(logicalNames(STACK_COMPONENT_NAME)).map(([child, name]) => [name, child as ChildKey]));

/**
 * The config key behind a change of `property` on `resource`: from the table, else through what made the
 * input unknown (a replaced dependency) or the replacement that took the resource with it.
 */
function configKeyOf(diff: StackDiff, resource: string, property: string, seen = new Set<string>()): string {
    const direct = CONFIG_KEYS[CHILD_OF_NAME.get(resource) ?? ("" as ChildKey)]?.[property];
    if (direct !== undefined || seen.has(resource)) {
        return direct ?? property;
    }
    seen.add(resource);
    const change = diff.changes.find((c) => c.name === resource);
    const cause = (c: ChangeDetail | undefined) => (c ? configKeyOf(diff, c.name, c.properties[0] ?? property, seen) : undefined);
    if (change?.takenWith) {
        return cause(diff.changes.find((c) => c.name === change.takenWith))!;
    }
    const own = change?.properties.find((p) => CONFIG_KEYS[CHILD_OF_NAME.get(resource) ?? ("" as ChildKey)]?.[p] !== undefined);
    if (own !== undefined) {
        return configKeyOf(diff, resource, own, seen);
    }
    const replaced = diff.changes.find((c) => c.op === "replace" && c.name !== resource && !seen.has(c.name));
    return cause(replaced) ?? property;
}

/**
 * Changes the program makes that `ignoreChanges` would silently drop and that matter: the ENI's fixed
 * primary address next to AWS-assigned secondaries (its `privateIps` are ignored, see networkInterface.ts).
 */
function ignoredRefusals(diff: StackDiff): Refusal[] {
    return diff.changes
        .filter((c) => CHILD_OF_NAME.get(c.name) === "networkInterface" && c.ignored.includes("privateIps"))
        .map((c) => ({
            key: "networkInterfacePrivateIp",
            resource: c.name,
            awsError: "",
            reason: "the ENI's addresses are kept as deployed while networkInterfaceSecondaryPrivateIpCount is set (AWS assigns the secondaries), so a new primary address would not be applied",
            instead: "in one change set networkInterfaceSecondaryPrivateIpCount to 0, deploy, then change networkInterfacePrivateIp and the count",
        }));
}

/** The preview of `next` (the program now) against `deployed` (the committed plan). */
export function previewChange(deployed: StackPlan, next: StackPlan, propertyDependencies: PropertyDependencies = {}): Preview {
    const diff = diffPlans(deployed, next, propertyDependencies);
    const fromModel = replaySteps(deployed.resources, diff.steps).map(
        (r: StepRefusal): Refusal => ({ key: configKeyOf(diff, r.resource, r.property), resource: r.resource, reason: r.reason, instead: r.instead, awsError: r.awsError }),
    );
    return { stack: next.stack, diff, refusals: [...ignoredRefusals(diff), ...fromModel] };
}

/** The refusals as the CLI prints them on stderr. */
export function renderRefusals(project: string, preview: Preview): string {
    const lines = [`error: AWS would refuse this change to stack "${preview.stack}" part-way; nothing was applied:`];
    for (const r of preview.refusals) {
        lines.push(`  - ${project}:${r.key}: ${r.reason}${r.awsError ? ` (${r.awsError})` : ""}; instead: ${r.instead}`);
    }
    return lines.join("\n");
}
