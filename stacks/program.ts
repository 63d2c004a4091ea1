/**
 * The stack program: one DualSubnetEniInstance configured from the stack's config (`Pulumi.<stack>.yaml`, keys
 * in the project's namespace named like the component's args). Which keys there are, and how each is read,
 * follows the component's package schema: no list of args here. The Pulumi CLI has already checked the config
 * against Pulumi.yaml's declarations and filled in their defaults.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_INSTANCE_TYPE, DUAL_SUBNET_ENI_INSTANCE_TYPE, DualSubnetEniInstance, DualSubnetEniInstanceArgs, DualSubnetEniInstanceOutputs, outputsOf } from "../components";
import { flattenArgs, knownArgProblems } from "../components/settings";
import schema from "../provider/schema.json";
import { StackConfigError, undeclaredConfigProblems } from "./configChecks";

/** Logical name of the stack's component; part of every child's URN, so it never changes. */
export const STACK_COMPONENT_NAME = "dual-subnet-eni";

/** Args of the component that are not stack config keys, and why. */
export const LIBRARY_ONLY_ARGS: Readonly<Record<string, string>> = {
    existingNetwork: "the stacks build their own network",
};

/** Keys Pulumi.yaml declares `secret: true`: a secret even when a stack file has it in plaintext. */
export const SECRET_CONFIG_KEYS: readonly string[] = ["userData"];

/** An input of the package schema, as the Node.js analyzer writes it. */
export interface SchemaInput {
    readonly type?: string;
    readonly $ref?: string;
    readonly items?: SchemaInput;
    readonly plain?: boolean;
}

/** The component's inputs as the package schema gives them (provider/schema.json, generated from the args interface). */
const INPUTS: Readonly<Record<string, SchemaInput>> = schema.resources[DUAL_SUBNET_ENI_INSTANCE_TYPE as keyof typeof schema.resources].inputProperties;

/** The stack config keys (without namespace): every input of the component but the library-only ones. */
export const CONFIG_KEYS: readonly string[] = Object.keys(INPUTS).filter((key) => !(key in LIBRARY_ONLY_ARGS));

/**
 * The Pulumi.yaml type an arg of this schema type is declared with; undefined where it carries none (objects and
 * lists of objects: CLIs before mid-2025 refuse `type: object`).
 */
export function configTypeOf(input: SchemaInput, enumTypes: Readonly<Record<string, { readonly type?: string }>> = schema.types): string | undefined {
    const type = input.type ?? enumTypes[input.$ref?.replace("#/types/", "") ?? ""]?.type;
    switch (type) {
        case "string":
        case "boolean":
            return type;
        case "number":
            return "integer";
        case "array": {
            const items = input.items ? configTypeOf(input.items, enumTypes) : undefined;
            return items === undefined ? undefined : `array<${items}>`;
        }
        default:
            return undefined;
    }
}

/** One config value as the program receives it: its text (absent when unset), and whether it is a secret. */
export interface ConfigValue {
    readonly text?: string;
    readonly secret: boolean;
}

/**
 * Whether a config text is a secret the offline plan could not decrypt: a `{"secure": …}` value. The CLI never
 * passes one (it decrypts, or refuses to run), so the program reads it as a secret of unknown value.
 */
export function isUnreadableSecret(text: string | undefined): boolean {
    if (text === undefined || !text.includes("secure")) {
        return false;
    }
    try {
        return holdsSecure(JSON.parse(text));
    } catch {
        return false;
    }
}

function holdsSecure(value: unknown): boolean {
    if (value === null || typeof value !== "object") {
        return false;
    }
    const entries = Object.entries(value);
    return (entries.length === 1 && entries[0][0] === "secure" && typeof entries[0][1] === "string") || entries.some(([, item]) => holdsSecure(item));
}

/**
 * The component's args from a stack's config: one arg per input of the package schema (`inputs`) that is a config
 * key, under the key's name. An arg the
 * package schema types as a string is the key's text, "" (its declared default) meaning not set. Any other
 * key is parsed as JSON, and numbers, booleans and lists go to the component as given, so its checks name the
 * key, show the value (NaN, "yes", ...) and state AWS's rule; only what does not parse at all stays a string;
 * 0, [] and {} (the declared defaults) mean not set. A secret stays a secret (an Output); a secret the offline
 * plan cannot decrypt is an unknown secret.
 */
export function stackArgs(read: (key: string) => ConfigValue, inputs: Readonly<Record<string, SchemaInput>> = INPUTS): Record<string, unknown> {
    const args: Record<string, unknown> = {};
    for (const key of Object.keys(inputs).filter((name) => !(name in LIBRARY_ONLY_ARGS))) {
        const { text, secret } = read(key);
        const value = isUnreadableSecret(text) ? pulumi.unknown : configTypeOf(inputs[key]) === "string" ? text || undefined : parsed(text);
        if (value !== undefined) {
            args[key] = secret ? pulumi.secret(pulumi.output(value)) : value;
        }
    }
    return args;
}

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
 * The config keys the program received as secrets (full keys): those the CLI decrypted for it, which the Node.js
 * language host passes to the program in PULUMI_CONFIG_SECRET_KEYS, a JSON list.
 */
export function secretConfigKeys(env: NodeJS.ProcessEnv = process.env): string[] {
    let given: unknown = [];
    try {
        given = JSON.parse(env.PULUMI_CONFIG_SECRET_KEYS ?? "[]");
    } catch {
        given = [];
    }
    return Array.isArray(given) ? given.filter((key): key is string => typeof key === "string") : [];
}

/**
 * Builds the stack from the current config. Missing or invalid keys are reported together, by config key.
 * `secretKeys`: the full keys given as secrets (default: the language host's, see `secretConfigKeys`).
 */
export function dualSubnetEniStack(secretKeys: readonly string[] = secretConfigKeys()): DualSubnetEniInstanceOutputs {
    const config = new pulumi.Config();
    const fullKey = (key: string) => `${config.name}:${key}`;
    const secret = (key: string) => secretKeys.includes(fullKey(key)) || SECRET_CONFIG_KEYS.includes(key);
    const plainSecret = "is a secret, but the component takes it as a plain value (it decides names or which resources exist); set it without --secret";
    const plainSecrets = CONFIG_KEYS.filter((key) => INPUTS[key].plain && secret(key)).map((key) => ({ key: fullKey(key), reason: plainSecret }));
    const configProblems = [...undeclaredConfigProblems(config.name, CONFIG_KEYS.map(fullKey), pulumi.runtime.allConfig()), ...plainSecrets];
    const args = stackArgs((key) => ({ text: config.get(key), secret: secret(key) })) as DualSubnetEniInstanceArgs;
    const namePrefix = args.namePrefix ?? pulumi.getStack();
    if (configProblems.length > 0) {
        // The component's own checks of the values known now, so that one round names every mistake.
        const argProblems = knownArgProblems(flattenArgs(args, { name: STACK_COMPONENT_NAME, instanceType: DEFAULT_INSTANCE_TYPE, namePrefix }));
        const byKey = argProblems.filter((p) => !plainSecrets.some((s) => s.key === fullKey(p.field))).map((p) => ({ key: `${fullKey(p.field)}${p.path ?? ""}`, value: p.value, reason: p.reason }));
        throw new StackConfigError(pulumi.getStack(), [...configProblems, ...byKey]);
    }
    const stackTags = { Project: pulumi.getProject(), Stack: pulumi.getStack() };
    const userTags: unknown = args.tags;
    const component = new DualSubnetEniInstance(
        STACK_COMPONENT_NAME,
        {
            ...args,
            namePrefix,
            tags: (typeof userTags === "object" && userTags !== null && !Array.isArray(userTags) && !pulumi.Output.isInstance(userTags)
                ? { ...userTags, ...stackTags }
                : userTags ?? stackTags) as DualSubnetEniInstanceArgs["tags"],
        },
        { fieldLabel: (field) => fullKey(field) },
    );
    return outputsOf(component);
}
