/**
 * What `pulumi up` would do to a deployed stack: the program's registrations now against the stack's
 * committed plan (`plans/<stack>.json`, standing for the deployed state), with the provider's own rules for
 * which property changes replace a resource (`awsReplaceOnChange.json`, read from terraform-provider-aws
 * v6.58.0; for a type it lacks, the ForceNew flags of `awsAttributeFacts.json`) and the engine's order of steps. Pure: no Pulumi, no AWS.
 *
 * The engine's rules followed here are pulumi/pulumi `pkg/resource/deploy/step_generator.go`:
 * - a replacement is create-first unless the resource is `deleteBeforeReplace`; the old resource of a
 *   create-first replacement is deleted after every other step, in reverse dependency order;
 * - a delete-first replacement first deletes, in reverse dependency order, every resource that depends on it
 *   and would be replaced by the change (`calculateDependentReplacements`: the inputs that depend on a
 *   condemned resource are made unknown and the provider's diff decides), then itself;
 * - an input that takes an output of a created or replaced resource is unknown in the preview, and an
 *   unknown value of a property that forces replacement replaces;
 * - a deployed resource is found by URN, then by its aliases (urns.ts);
 * - `ignoreChanges` keeps the deployed value in the diff (processIgnoreChanges; the bridge also drops the
 *   ignored attributes from the provider's diff, pulumi-terraform-bridge `pkg/tfshim/sdk-v2/provider2.go`
 *   planResourceChange → processIgnoreChanges), but a replacement is created from the program's own inputs:
 *   on deciding to replace, the engine runs the provider's Check again on `goal.Properties`
 *   (continueStepsFromDiff: "we need to recompute the default values");
 * - a resource the program no longer registers is deleted after every other step (GenerateDeletes).
 * What the provider holds comes from its schema (providerState.ts): an Optional+Computed input left out keeps
 * its value, and a change of region replaces every regional resource.
 */
import { instanceTypeFacts } from "../components/testing";
import replaceRules from "./awsReplaceOnChange.json";
import type { PlannedResource, StackPlan } from "./offlinePlan";
import { ATTRIBUTE_FACTS, isObject, keptWhenLeftOut, regionOf, type ResourceFacts, sameToProvider, valueAt, withRegion } from "./providerState";
import { matchDeployed } from "./urns";

/** The CPU architectures AWS lists for an instance type (none for a type it does not list). */
const architecturesOf = (instanceType: string): readonly string[] => instanceTypeFacts(instanceType)?.supportedArchitectures ?? [];

export type Op = "create" | "update" | "replace" | "delete" | "same";
/** delete-first: the old resource is deleted before its replacement is created (`deleteBeforeReplace`); create-first: Pulumi's default. */
export type ReplaceOrder = "delete-first" | "create-first";

/** One resource in the preview: what `--diff --json` prints. */
export interface ResourceChange {
    readonly name: string;
    readonly type: string;
    readonly op: Op;
    /** For a replacement, which of old and new exists first; null otherwise. */
    readonly replaceOrder: ReplaceOrder | null;
    /** Input paths (dotted) that cause the op: for a replacement those that force it. */
    readonly properties: readonly string[];
}

export interface ChangeDetail extends ResourceChange {
    /**
     * Paths the program changed that `ignoreChanges` keeps at their deployed value; for a replacement, those
     * the new resource takes from the program all the same.
     */
    readonly ignored: readonly string[];
    /** Paths the program left out whose deployed value the provider keeps (Optional and Computed). */
    readonly kept: readonly string[];
    /** The delete-first replacement that deletes this resource before itself. */
    readonly takenWith?: string;
}

/** One call the engine makes to the provider, in the engine's order. */
export interface Step {
    readonly action: "create" | "update" | "delete";
    readonly name: string;
    readonly type: string;
    /**
     * Create: the program's inputs. Update: what the provider holds after it (ignored paths and the Optional+Computed
     * ones left out at their deployed value). Delete: the deployed inputs.
     */
    readonly inputs: Readonly<Record<string, unknown>>;
    /** Update: the name it was deployed under, when it had another (an alias). */
    readonly deployedName?: string;
}

export interface StackDiff {
    /** Registration order, then the deleted resources. */
    readonly changes: readonly ChangeDetail[];
    readonly steps: readonly Step[];
}

/** Per resource name, per input key, the names of the resources that input's value came from. */
export type PropertyDependencies = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

/** How a value that only the deploy will know shows in the preview. */
const UNKNOWN = "<unknown until deployed>";

type Inputs = Readonly<Record<string, unknown>>;

interface ResourceRules {
    readonly replaceOnChange: readonly string[];
    readonly conditional: readonly { readonly property: string; readonly when: string }[];
}

/**
 * The rules of a type awsReplaceOnChange.json does not cover, from the provider's schema (awsAttributeFacts.json):
 * its ForceNew attributes, and a change of region for a regional resource (the provider's
 * forceNewIfRegionChanges interceptor, `region.changeHandling` there).
 */
function rulesFromSchema(facts: ResourceFacts): ResourceRules {
    return {
        replaceOnChange: Object.entries(facts.attributes).filter(([, attribute]) => attribute.forceNew).map(([path]) => path),
        conditional: facts.region.hasRegionAttribute ? [{ property: "region", when: "Value changes on an existing resource, except a change between unset and the provider's configured region." }] : [],
    };
}

/** The provider's replacement rules by resource type. */
export const REPLACE_RULES: Readonly<Record<string, ResourceRules>> = {
    ...Object.fromEntries(Object.entries(ATTRIBUTE_FACTS).map(([type, facts]) => [type, rulesFromSchema(facts)])),
    ...replaceRules.resources,
};

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A copy of `inputs` with `value` at a dotted path (absent when undefined). */
function withValueAt(inputs: Inputs, path: string, value: unknown): Record<string, unknown> {
    const [key, ...rest] = path.split(".");
    const next = { ...inputs } as Record<string, unknown>;
    const inner = rest.length === 0 ? value : withValueAt(isObject(inputs[key]) ? (inputs[key] as Inputs) : {}, rest.join("."), value);
    if (inner === undefined) {
        delete next[key];
    } else {
        next[key] = inner;
    }
    return next;
}

/** Leaf paths whose values differ; objects are compared key by key, lists as a whole. */
function changedPaths(before: unknown, after: unknown, prefix = ""): string[] {
    if (isObject(before) && isObject(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        return keys.flatMap((key) => changedPaths(before[key], after[key], prefix ? `${prefix}.${key}` : key));
    }
    return same(before, after) ? [] : [prefix];
}

/** The first (primary) address of a network interface as the provider holds it in state. */
const primaryAddressOf = (inputs: Inputs): unknown => (valueAt(inputs, "privateIpLists") as unknown[] | undefined)?.[0] ?? (valueAt(inputs, "privateIps") as unknown[] | undefined)?.[0];

const RULE_SOURCES = ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"];
const ruleSourceChanged = (before: Inputs, after: Inputs) => !same(RULE_SOURCES.filter((key) => before[key] !== undefined), RULE_SOURCES.filter((key) => after[key] !== undefined));

/** The provider's forceNewIfRegionChanges: a region that changes from one set value to another replaces. */
const regionChanged = (before: Inputs, after: Inputs) => before.region !== undefined && after.region !== undefined && before.region !== after.region;

/**
 * The conditional rules (`conditional` in awsReplaceOnChange.json) other than a region's, as predicates: true
 * when the change replaces. Keyed by the rule's `property` text; with `regionChanged`, every rule of the file has
 * one (a test holds them together).
 */
const CONDITIONAL_RULES: Readonly<Record<string, Readonly<Record<string, (before: Inputs, after: Inputs, changed: readonly string[]) => boolean>>>> = (() => {
    const disablesPrimaryIpv6 = (before: Inputs, after: Inputs) => before.enablePrimaryIpv6 === true && after.enablePrimaryIpv6 === false;
    const ruleSource = { "cidrIpv4 / cidrIpv6 / prefixListId / referencedSecurityGroupId": ruleSourceChanged };
    const userDataReplaces = (_: Inputs, after: Inputs) => after.userDataReplaceOnChange === true;
    return {
        "aws:ec2/vpc:Vpc": {
            instanceTenancy: (before, after) => !(before.instanceTenancy === "dedicated" && after.instanceTenancy === "default"),
            cidrBlock: (_, after) => after.ipv4NetmaskLength === undefined,
        },
        "aws:ec2/subnet:Subnet": { ipv6CidrBlock: (before) => before.assignIpv6AddressOnCreation === true },
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ruleSource,
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ruleSource,
        "aws:ec2/instance:Instance": {
            userData: userDataReplaces,
            userDataBase64: userDataReplaces,
            instanceType: (before, after) => {
                if (typeof before.instanceType !== "string" || typeof after.instanceType !== "string") {
                    return false;
                }
                const old = architecturesOf(before.instanceType);
                return !architecturesOf(after.instanceType).some((architecture) => old.includes(architecture));
            },
            enablePrimaryIpv6: disablesPrimaryIpv6,
            ipv6Addresses: (_, __, changed) => !changed.includes("ipv6AddressCount"),
            "launchTemplate.version": () => true,
        },
        "aws:ec2/networkInterface:NetworkInterface": {
            // With no primary known (an address AWS assigned is not in the plan), any change replaces.
            privateIps: (before, after) => {
                const primary = primaryAddressOf(before);
                return after.privateIpListEnabled !== true && (primary === undefined || !((after.privateIps as unknown[] | undefined) ?? []).includes(primary));
            },
            privateIpLists: (before, after) => after.privateIpListEnabled === true && primaryAddressOf(before) !== (after.privateIpLists as unknown[] | undefined)?.[0],
            enablePrimaryIpv6: disablesPrimaryIpv6,
        },
        "aws:ec2/vpcEndpoint:VpcEndpoint": { privateDnsEnabled: (_, after) => (after.vpcEndpointType ?? "Gateway") !== "Interface" },
    };
})();

/** The predicates of a type's conditional rules, a region rule's included. */
export function conditionsOf(type: string): Readonly<Record<string, (before: Inputs, after: Inputs, changed: readonly string[]) => boolean>> {
    const regional = REPLACE_RULES[type]?.conditional.some((rule) => rule.property === "region") ?? false;
    return { ...(regional ? { region: regionChanged } : {}), ...CONDITIONAL_RULES[type] };
}

const matches = (path: string, rule: string) => path === rule || path.startsWith(`${rule}.`) || rule.startsWith(`${path}.`);

/**
 * The changed paths that replace a resource of `type`: the provider's rules, and the resource's own
 * `replaceOnChanges` (the engine's applyReplaceOnChanges, also for the dependents of a delete-first replacement).
 */
export function replacingPaths(type: string, changed: readonly string[], before: Inputs, after: Inputs, replaceOnChanges: readonly string[] = []): string[] {
    const rules = REPLACE_RULES[type];
    if (!rules) {
        return [];
    }
    const conditions = conditionsOf(type);
    return changed.filter((path) => {
        if ([...rules.replaceOnChange, ...replaceOnChanges].some((rule) => matches(path, rule))) {
            return true;
        }
        const conditional = Object.entries(conditions).filter(([property]) => property.split(" / ").some((rule) => matches(path, rule)));
        return conditional.some(([, replaces]) => valueAt(after, path) === UNKNOWN || replaces(before, after, changed));
    });
}

/** Names of the resources whose `<name>.id` appears in a value. */
function referencesIn(value: unknown, names: ReadonlySet<string>): string[] {
    if (typeof value === "string") {
        const name = /^(.+)\.id$/.exec(value)?.[1];
        return name !== undefined && names.has(name) ? [name] : [];
    }
    if (Array.isArray(value)) {
        return value.flatMap((item) => referencesIn(item, names));
    }
    return isObject(value) ? Object.values(value).flatMap((item) => referencesIn(item, names)) : [];
}

/**
 * The diff of a stack: `deployed` is the committed plan, `next` the program's plan now. Property
 * dependencies that the plan's text does not show (an instance profile's name, an instance's primary
 * interface id) come from the registrations; `<name>.id` references are read from the inputs.
 */
export function diffPlans(deployed: StackPlan, next: StackPlan, propertyDependencies: PropertyDependencies = {}): StackDiff {
    const names = new Set([...deployed.resources, ...next.resources].map((r) => r.name));
    const dependenciesOf = (resource: PlannedResource, key: string) => [...new Set([...(propertyDependencies[resource.name]?.[key] ?? []), ...referencesIn(resource.inputs[key], names)])];
    const matches = matchDeployed(deployed, next);
    const deployedOf = (resource: PlannedResource) => matches.get(resource);
    const matched = new Set(matches.values());
    /** A value with each `<name>.id` of a resource matched under another name (an alias) as the deployed name: the same id. */
    const renamed = new Map([...matches].filter(([resource, old]) => resource.name !== old.name).map(([resource, old]) => [resource.name, old.name]));
    const asDeployed = (value: unknown): unknown => {
        if (typeof value === "string") {
            const name = /^(.+)\.id$/.exec(value)?.[1];
            return name !== undefined && renamed.has(name) ? `${renamed.get(name)}.id` : value;
        }
        if (Array.isArray(value)) {
            return value.map(asDeployed);
        }
        return isObject(value) ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, asDeployed(item)])) : value;
    };

    /** The inputs with every key that takes an output of a resource in `condemned` made unknown. */
    const withUnknowns = (resource: PlannedResource, inputs: Inputs, condemned: ReadonlySet<string>) =>
        Object.fromEntries(Object.entries(inputs).map(([key, value]) => [key, dependenciesOf(resource, key).some((name) => condemned.has(name)) ? UNKNOWN : value]));

    /**
     * The deployed resources a delete-first replacement of `root` deletes first (dependency order): those not
     * registered yet whose inputs, made unknown where they take a condemned resource's output, the provider
     * would replace for (their deployed `ignoreChanges` applied).
     */
    const dependentReplacements = (root: string, registered: ReadonlySet<string>): PlannedResource[] => {
        const condemned = new Set([root]);
        const taken: PlannedResource[] = [];
        for (const resource of deployed.resources) {
            const dependsOnCondemned = resource.dependsOn.some((name) => condemned.has(name)) || Object.keys(resource.inputs).some((key) => dependenciesOf(resource, key).some((name) => condemned.has(name)));
            if (resource.name === root || registered.has(resource.name) || !dependsOnCondemned || !REPLACE_RULES[resource.type]) {
                continue;
            }
            const after = (resource.ignoreChanges ?? []).reduce(
                (kept, path) => withValueAt(kept, path, valueAt(resource.inputs, path)),
                withUnknowns(resource, resource.inputs, condemned),
            );
            if (replacingPaths(resource.type, changedPaths(resource.inputs, after), resource.inputs, after, resource.replaceOnChanges).length > 0) {
                condemned.add(resource.name);
                taken.push(resource);
            }
        }
        return taken;
    };

    const unknown = new Set<string>();
    const changes: ChangeDetail[] = [];
    const steps: Step[] = [];
    const deletedFirst = new Map<string, string>();
    const deleteAtEnd: PlannedResource[] = [];
    const change = (resource: PlannedResource, op: Op, detail: Partial<ChangeDetail> = {}) =>
        changes.push({ name: resource.name, type: resource.type, op, replaceOrder: null, properties: [], ignored: [], kept: [], ...detail });

    const registered = new Set<string>();
    for (const resource of next.resources) {
        const old = deployedOf(resource);
        registered.add(old?.name ?? resource.name);
        if (!old) {
            change(resource, "create", { properties: Object.keys(resource.inputs).sort() });
            steps.push({ action: "create", name: resource.name, type: resource.type, inputs: resource.inputs });
            unknown.add(resource.name);
            continue;
        }
        // ignoreChanges: the deployed value stays in the diff, known or not.
        const keepDeployed = (values: Inputs) => (resource.ignoreChanges ?? []).reduce((kept, path) => withValueAt(kept, path, valueAt(old.inputs, path)), values);
        const inputs = keepDeployed(resource.inputs);
        const ignored = (resource.ignoreChanges ?? []).filter((path) => !same(valueAt(old.inputs, path), valueAt(resource.inputs, path)));
        const previewed = keepDeployed(asDeployed(withUnknowns(resource, resource.inputs, unknown)) as Inputs);
        const differing = changedPaths(withRegion(old.type, old.inputs, regionOf(deployed, old)), withRegion(resource.type, previewed, regionOf(next, resource))).filter(
            (path) => !sameToProvider(resource.type, path, valueAt(old.inputs, path), valueAt(previewed, path)),
        );
        const kept = differing.filter((path) => valueAt(previewed, path) === undefined && keptWhenLeftOut(resource.type, path, previewed));
        const changed = differing.filter((path) => !kept.includes(path));
        const held = kept.reduce((state, path) => withValueAt(state, path, valueAt(old.inputs, path)), inputs);
        const takenWith = deletedFirst.get(old.name);
        if (takenWith !== undefined) {
            const properties = changed.filter((path) => valueAt(previewed, path) === UNKNOWN);
            change(resource, "replace", { replaceOrder: "delete-first", properties, ignored, takenWith });
            steps.push({ action: "create", name: resource.name, type: resource.type, inputs: resource.inputs });
            unknown.add(resource.name);
            continue;
        }
        const replacing = replacingPaths(resource.type, changed, withRegion(old.type, old.inputs, regionOf(deployed, old)), withRegion(resource.type, previewed, regionOf(next, resource)), resource.replaceOnChanges);
        if (changed.length === 0) {
            change(resource, "same", { ignored, kept });
        } else if (replacing.length === 0) {
            change(resource, "update", { properties: changed, ignored, kept });
            steps.push({ action: "update", name: resource.name, type: resource.type, inputs: held, ...(old.name === resource.name ? {} : { deployedName: old.name }) });
        } else if (resource.deleteBeforeReplace) {
            const dependents = dependentReplacements(old.name, registered).filter((dependent) => !deletedFirst.has(dependent.name));
            for (const dependent of [...dependents].reverse()) {
                deletedFirst.set(dependent.name, resource.name);
                steps.push({ action: "delete", name: dependent.name, type: dependent.type, inputs: dependent.inputs });
            }
            change(resource, "replace", { replaceOrder: "delete-first", properties: replacing, ignored });
            steps.push({ action: "delete", name: old.name, type: old.type, inputs: old.inputs });
            steps.push({ action: "create", name: resource.name, type: resource.type, inputs: resource.inputs });
            unknown.add(resource.name);
        } else {
            change(resource, "replace", { replaceOrder: "create-first", properties: replacing, ignored });
            steps.push({ action: "create", name: resource.name, type: resource.type, inputs: resource.inputs });
            deleteAtEnd.push(old);
            unknown.add(resource.name);
        }
    }
    for (const old of deployed.resources.filter((r) => !matched.has(r))) {
        change(old, "delete");
        deleteAtEnd.push(old);
    }
    const position = (r: PlannedResource) => deployed.resources.indexOf(r);
    for (const old of deleteAtEnd.sort((a, b) => position(b) - position(a))) {
        steps.push({ action: "delete", name: old.name, type: old.type, inputs: old.inputs });
    }
    return { changes, steps };
}

/** The `--diff --json` view: one object per resource. */
export const resourceChanges = (diff: StackDiff): ResourceChange[] => diff.changes.map(({ name, type, op, replaceOrder, properties }) => ({ name, type, op, replaceOrder, properties }));

const SYMBOLS: Readonly<Record<Op, string>> = { create: "+", update: "~", replace: "+-", delete: "-", same: " " };

/**
 * The diff as `pulumi preview` shows one: every resource that changes, its op and why (and one that does not but
 * keeps a value the program left out), then the counts.
 */
export function renderDiff(stack: string, diff: StackDiff, deployedFile = `plans/${stack}.json`): string {
    const lines = [`Previewing update of stack "${stack}" against ${deployedFile} (the deployed state):`];
    for (const c of diff.changes.filter((c) => c.op !== "same" || c.kept.length > 0)) {
        const order = c.replaceOrder ? ` ${c.replaceOrder}` : "";
        const why = c.properties.length > 0 ? ` [${c.properties.join(", ")}]` : "";
        const taken = c.takenWith ? ` (deleted before ${c.takenWith} is replaced)` : "";
        lines.push(` ${SYMBOLS[c.op].padEnd(2)} ${c.type} ${c.name} ${c.op}${order}${why}${taken}`);
        if (c.ignored.length > 0) {
            lines.push(
                c.op === "replace"
                    ? `      the new one takes the program's ${c.ignored.join(", ")} (ignoreChanges keeps a deployed value only in an update)`
                    : `      ignoreChanges keeps the deployed ${c.ignored.join(", ")}`,
            );
        }
        if (c.kept.length > 0) {
            lines.push(`      the provider keeps the deployed ${c.kept.join(", ")} (Optional and Computed: left out, not removed)`);
        }
    }
    const counts = (["create", "update", "replace", "delete", "same"] as const).map((op) => [op, diff.changes.filter((c) => c.op === op).length] as const);
    const changed = counts.filter(([op, n]) => op !== "same" && n > 0);
    lines.push(changed.length === 0 ? `No changes: ${counts[4][1]} resources unchanged.` : `Resources: ${changed.map(([op, n]) => `${n} to ${op}`).join(", ")}; ${counts[4][1]} unchanged.`);
    return lines.join("\n");
}
