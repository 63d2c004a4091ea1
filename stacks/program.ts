/**
 * The stack program: one DualSubnetEniInstance configured from the stack's config
 * (`Pulumi.<stack>.yaml`, keys in the `dual-subnet-eni` namespace named like the component's args).
 * Which keys there are, and how each is read, follows Pulumi.yaml's declarations: no list of args here.
 */
import * as pulumi from "@pulumi/pulumi";
import { DUAL_SUBNET_ENI_INSTANCE_TYPE, DualSubnetEniInstance, DualSubnetEniInstanceArgs, DualSubnetEniInstanceOutputs, outputsOf } from "../components";
import { checkStackConfig, declarationOf, isConfigSecret, ProjectFile, StackConfigError } from "./configChecks";
import schema from "../provider/schema.json";
import { configTypeOf, SchemaInput } from "./declarations";
import { isUnreadableSecret, readProjectFile } from "./stackFiles";

/** Logical name of the stack's component; part of every child's URN, so it never changes. */
export const STACK_COMPONENT_NAME = "dual-subnet-eni";

/** One config value as the program receives it: its text (absent when unset), and whether it is a secret. */
export interface ConfigValue {
    readonly text?: string;
    readonly secret: boolean;
}

/**
 * The component's args from a stack's config: one arg per key Pulumi.yaml declares in the project's namespace,
 * under the key's name. An arg the package schema types as a string is the key's text; an optional one set to
 * "" (its declared default) is not set.
 * Any other key is parsed as JSON, and numbers, booleans and lists go to the component as given, so its checks
 * name the key, show the value (NaN, "yes", ...) and state AWS's rule; only what does not parse at all stays a
 * string; 0, [] and {} (the declared defaults) mean not set. A secret stays a secret (an Output); a secret the
 * offline plan cannot decrypt is an unknown secret.
 */
export function stackArgs(project: ProjectFile, read: (key: string) => ConfigValue): Record<string, unknown> {
    const args: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(project.config ?? {})) {
        if (key.includes(":")) {
            continue;
        }
        const { default: fallback, value: fixed } = declarationOf(entry);
        const { text, secret } = read(key);
        const required = fallback === undefined && fixed === undefined;
        const value = isUnreadableSecret(text) ? pulumi.unknown : configTypeOf(INPUTS[key] ?? {}, schema.types) === "string" ? (required ? text ?? "" : text || undefined) : parsed(text);
        if (value !== undefined) {
            args[key] = secret ? pulumi.secret(pulumi.output(value)) : value;
        }
    }
    return args;
}

/** The component's inputs as the package schema gives them (provider/schema.json, generated from the args interface). */
const INPUTS: Readonly<Record<string, SchemaInput>> = schema.resources[DUAL_SUBNET_ENI_INSTANCE_TYPE as keyof typeof schema.resources].inputProperties;

function parsed(text: string | undefined): unknown {
    if (text === undefined || text === "") {
        return undefined;
    }
    let value: unknown;
    try {
        value = text === "NaN" ? Number.NaN : text === "Infinity" || text === "-Infinity" ? Number(text) : JSON.parse(text);
    } catch {
        return text;
    }
    const empty = value === 0 || (Array.isArray(value) && value.length === 0) || (value !== null && typeof value === "object" && Object.keys(value).length === 0);
    return empty ? undefined : value;
}

/**
 * Builds the stack from the current config. Missing or invalid keys are reported together, by config key.
 */
export function dualSubnetEniStack(): DualSubnetEniInstanceOutputs {
    const project = readProjectFile();
    checkStackConfig(project);
    const config = new pulumi.Config();
    // A key Pulumi.yaml declares secret is one even when a stack file has it in plaintext.
    const secret = (key: string) => isConfigSecret(`${config.name}:${key}`) || declarationOf(project.config?.[key] ?? "").secret === true;
    const plainSecrets = Object.keys(project.config ?? {}).filter((key) => INPUTS[key]?.plain && secret(key));
    if (plainSecrets.length > 0) {
        const reason = "is a secret, but the component takes it as a plain value (it decides names or which resources exist); set it without --secret";
        throw new StackConfigError(pulumi.getStack(), plainSecrets.map((key) => ({ key: `${config.name}:${key}`, reason })));
    }
    const args = stackArgs(project, (key) => ({ text: config.get(key), secret: secret(key) })) as DualSubnetEniInstanceArgs;
    const stackTags = { Project: pulumi.getProject(), Stack: pulumi.getStack() };
    const userTags: unknown = args.tags;
    const component = new DualSubnetEniInstance(
        STACK_COMPONENT_NAME,
        {
            ...args,
            namePrefix: args.namePrefix ?? pulumi.getStack(),
            tags: (typeof userTags === "object" && userTags !== null && !Array.isArray(userTags) && !pulumi.Output.isInstance(userTags)
                ? { ...userTags, ...stackTags }
                : userTags ?? stackTags) as DualSubnetEniInstanceArgs["tags"],
        },
        { fieldLabel: (field) => `${config.name}:${field}` },
    );
    return outputsOf(component);
}
