/**
 * Runs a CrossGuard policy pack in-process over recorded registrations, the way the Pulumi CLI's policy
 * host runs it during `pulumi preview --policy-pack`: each resource's inputs through every resource policy
 * whose type matches, and the whole stack through every stack policy. No CLI, no gRPC server.
 */
import type {
    EnforcementLevel,
    Policy,
    PolicyPackArgs,
    PolicyPackConfig,
    PolicyResource,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import type { RecordedRegistration } from "../../tools/sdkInternals";

/** What a policy pack hands to the policy host: its name, policies and the config it was constructed with. */
export interface PolicyPackDefinition {
    readonly name: string;
    readonly args: PolicyPackArgs;
    readonly initialConfig?: PolicyPackConfig;
}

export interface PolicyViolation {
    readonly policy: string;
    readonly enforcementLevel: EnforcementLevel;
    /** `<type>::<logical name>` (the end of its URN), or `(stack)` from a stack policy that names none. */
    readonly resource: string;
    readonly message: string;
}

export interface PolicyPackRun {
    readonly violations: PolicyViolation[];
    /** Policy name to the resource types it checked (a stack policy counts for the types it was given). */
    readonly applied: Map<string, Set<string>>;
}

/**
 * Constructs a policy pack with `create` and returns what it would serve. `PolicyPack`'s constructor always
 * starts the policy host's gRPC server (`serve` in @pulumi/policy's server module) and prints its port for
 * the CLI; that call is captured instead.
 */
export function loadPolicyPack(create: () => unknown): PolicyPackDefinition {
    // The module's typings omit `serve` (internal).
    const server = require("@pulumi/policy/server") as { serve(name: string, version: string, level: EnforcementLevel, args: PolicyPackArgs, initialConfig?: PolicyPackConfig): void };
    const serve = server.serve;
    let served: PolicyPackDefinition | undefined;
    server.serve = (name, _version, _level, args, initialConfig) => (served = { name, args, initialConfig });
    try {
        create();
    } finally {
        server.serve = serve;
    }
    if (!served) {
        throw new Error("the policy pack did not construct a PolicyPack");
    }
    return served;
}

/** Every AWS resource of `registrations` through every enabled policy of `pack`. */
export async function runPolicyPack(pack: PolicyPackDefinition, registrations: readonly RecordedRegistration[]): Promise<PolicyPackRun> {
    const run: PolicyPackRun = { violations: [], applied: new Map() };
    const resources = registrations.filter((r) => r.custom && r.type.startsWith("aws:")).map(policyResource);
    for (const policy of pack.args.policies) {
        const enforcementLevel = enforcementLevelOf(pack, policy);
        if (enforcementLevel === "disabled") {
            continue;
        }
        const context = { stackTags: new Map<string, string>(), getConfig: configOf(pack, policy), notApplicable };
        const check = async (types: readonly string[], resource: string, validate: (report: ReportViolation) => unknown) => {
            const reported: PolicyViolation[] = [];
            const report: ReportViolation = (message, urn) =>
                reported.push({ policy: policy.name, enforcementLevel, resource: urn ?? resource, message });
            try {
                await validate(report);
            } catch (error) {
                if (error instanceof NotApplicable) {
                    return;
                }
                throw error;
            }
            run.violations.push(...reported);
            const checked = run.applied.get(policy.name) ?? new Set<string>();
            types.forEach((type) => checked.add(type));
            run.applied.set(policy.name, checked);
        };
        const { validateResource } = policy as Partial<ResourceValidationPolicy>;
        for (const validation of validateResource ? ([] as ResourceValidation[]).concat(validateResource) : []) {
            const onlyType = (validation as { __pulumiType?: string }).__pulumiType;
            for (const resource of resources.filter((r) => onlyType === undefined || r.type === onlyType)) {
                await check([resource.type], resource.urn, (report) => validation({ ...resource, ...context, asType: resource.asType as ResourceValidationArgs["asType"] }, report));
            }
        }
        const { validateStack } = policy as Partial<StackValidationPolicy>;
        if (validateStack) {
            const types = [...new Set(resources.map((r) => r.type))];
            await check(types, "(stack)", (report) => validateStack({ resources, ...context }, report));
        }
    }
    return run;
}

/**
 * A registration as the policy host presents it: `props` are the inputs sent to the engine. Options the
 * recorder does not see (protect, aliases, timeouts) are their defaults; dependencies are not linked.
 */
function policyResource(registration: RecordedRegistration): PolicyResource {
    const isType = (resourceClass: unknown) => (resourceClass as { __pulumiType?: string }).__pulumiType === registration.type;
    return {
        type: registration.type,
        name: registration.name,
        urn: `${registration.type}::${registration.name}`,
        props: registration.inputs,
        opts: {
            protect: false,
            ignoreChanges: [...registration.ignoreChanges],
            deleteBeforeReplace: registration.deleteBeforeReplace,
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        dependencies: [],
        propertyDependencies: {},
        isType,
        asType: ((resourceClass: unknown) => (isType(resourceClass) ? registration.inputs : undefined)) as PolicyResource["asType"],
    };
}

class NotApplicable extends Error {}

function notApplicable(reason?: string): never {
    throw new NotApplicable(reason);
}

/** The CLI's order: the policy's own entry in the pack's config, then `all`, then the policy, then the pack. */
function enforcementLevelOf(pack: PolicyPackDefinition, policy: Policy): EnforcementLevel {
    const levelIn = (config: PolicyPackConfig[string] | undefined) => (typeof config === "string" ? config : config?.enforcementLevel);
    return levelIn(pack.initialConfig?.[policy.name]) ?? levelIn(pack.initialConfig?.all) ?? policy.enforcementLevel ?? pack.args.enforcementLevel ?? "advisory";
}

/** The policy's config: its schema's defaults, overlaid with its entry in the pack's config. */
function configOf(pack: PolicyPackDefinition, policy: Policy): <T extends object>() => T {
    const defaults = Object.entries(policy.configSchema?.properties ?? {})
        .filter(([, schema]) => schema.default !== undefined)
        .map(([key, schema]) => [key, schema.default]);
    const own = pack.initialConfig?.[policy.name];
    const { enforcementLevel: _, ...overrides } = typeof own === "object" ? own : {};
    const config = { ...Object.fromEntries(defaults), ...overrides };
    return <T extends object>() => ({ ...config }) as T;
}
