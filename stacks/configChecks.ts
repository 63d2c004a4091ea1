/**
 * Checks of a stack's config against the project's declarations in Pulumi.yaml, generic over every
 * declared key and type. Two groups, by who else refuses the same config:
 * - what the Pulumi CLI refuses before it starts the program (`declaredConfigProblems`): a key declared
 *   without a default that the stack does not set, a value not of its declared type;
 * - what only this project refuses (`undeclaredConfigProblems`, run by the stack program itself, so real
 *   `pulumi up` refuses it too): no `aws:region`, a region AWS does not have, a key of the project's
 *   namespace that Pulumi.yaml does not declare (a typo the CLI would pass on and the program never read).
 */
import * as pulumi from "@pulumi/pulumi";
import { Region } from "@pulumi/aws/types/enums";
import { closest } from "fastest-levenshtein";

/** A Pulumi.yaml `items:` declaration (the type of an array's elements). */
export interface ConfigItemsDeclaration {
    readonly type: string;
    readonly items?: ConfigItemsDeclaration;
}

/** A Pulumi.yaml `config:` entry in its long form. */
export interface ConfigDeclaration {
    readonly type?: string;
    readonly items?: ConfigItemsDeclaration;
    readonly description?: string;
    readonly default?: unknown;
    readonly value?: unknown;
    readonly secret?: boolean;
}

export interface ProjectFile {
    readonly name: string;
    readonly main?: string;
    /** Short form (`key: value`, a default of any type) or long form (a declaration). */
    readonly config?: Readonly<Record<string, ConfigDeclaration | string | number | boolean>>;
}

export interface ConfigProblem {
    /** The full config key, `namespace:name`. */
    readonly key: string;
    /** The value as the stack file has it; absent when the key is missing. */
    readonly value?: unknown;
    readonly reason: string;
}

/**
 * Every AWS region name, as the AWS provider in use lists them (`aws.Region`, updated with each
 * @pulumi/aws release); a region newer than the installed provider is refused until it is upgraded.
 */
export const AWS_REGIONS: readonly string[] = Object.values(Region);

/** The long form of a declaration; the short form `key: value` declares an untyped key with that default. */
export function declarationOf(entry: ConfigDeclaration | string | number | boolean): ConfigDeclaration {
    return typeof entry === "object" && entry !== null ? entry : { default: entry };
}

/** Full key of a Pulumi.yaml config entry: a bare name is in the project's namespace. */
export function fullKey(project: ProjectFile, name: string): string {
    return name.includes(":") ? name : `${project.name}:${name}`;
}

/** Pulumi's name for a declared type, as the CLI prints it: `integer`, `array<string>`. */
export function typeName(declaration: ConfigItemsDeclaration): string {
    return declaration.type === "array" && declaration.items ? `array<${typeName(declaration.items)}>` : declaration.type;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Whether a value has the declared type. A top-level scalar is text to Pulumi (`pulumi config set`
 * stores `5` and `"5"` alike), so it may spell its type; inside an array, values keep their YAML types.
 * Booleans are `true` or `false` only, what `pulumi.Config.getBoolean` accepts.
 */
export function hasDeclaredType(declaration: ConfigItemsDeclaration, value: unknown, nested = false): boolean {
    const text = !nested && typeof value === "string" ? value : undefined;
    switch (declaration.type) {
        case "string":
            return typeof value === "string" || (!nested && (typeof value === "number" || typeof value === "boolean"));
        case "integer":
            return Number.isSafeInteger(value) || (text !== undefined && /^-?\d+$/.test(text));
        case "boolean":
            return typeof value === "boolean" || text === "true" || text === "false";
        case "array":
            return Array.isArray(value) && declaration.items !== undefined && value.every((item) => hasDeclaredType(declaration.items!, item, true));
        case "object":
            return isPlainObject(value);
        default:
            return false;
    }
}

/**
 * What the Pulumi CLI refuses before it runs the program: each typed key of the project's namespace
 * that has no default and is not set, each set value that is not of its declared type. (The CLI stops
 * at the first wrong type; this lists them all.) `stackValues` are a stack file's values as YAML gives them;
 * the types of `untyped` keys are not checked (secrets the offline plan cannot decrypt).
 */
export function declaredConfigProblems(project: ProjectFile, stackValues: Readonly<Record<string, unknown>>, untyped: ReadonlySet<string> = new Set()): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const [name, entry] of Object.entries(project.config ?? {})) {
        const declaration = declarationOf(entry);
        const key = fullKey(project, name);
        if (!(key in stackValues)) {
            if (declaration.type && declaration.default === undefined && declaration.value === undefined && key.startsWith(`${project.name}:`)) {
                problems.push({ key, reason: "is missing; Pulumi.yaml declares it without a default, so every stack must set it" });
            }
        } else if (declaration.type && !untyped.has(key) && !hasDeclaredType(declaration as ConfigItemsDeclaration, stackValues[key])) {
            problems.push({ key, value: stackValues[key], reason: `must be of type '${typeName(declaration as ConfigItemsDeclaration)}' (Pulumi.yaml declares it so)` });
        }
    }
    return problems;
}

/**
 * What only this project refuses, checked on the config the program receives (full keys to text):
 * a missing or unknown `aws:region` (naming the nearest region), and keys of the project's namespace
 * that Pulumi.yaml does not declare (naming the nearest declared key).
 */
export function undeclaredConfigProblems(project: ProjectFile, config: Readonly<Record<string, string>>): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const region = config["aws:region"];
    if (!region) {
        problems.push({ key: "aws:region", reason: "is required: the AWS region to deploy to (pulumi config set aws:region <region>)" });
    } else if (!AWS_REGIONS.includes(region)) {
        problems.push({ key: "aws:region", value: region, reason: `is not an AWS region; did you mean ${closest(region, [...AWS_REGIONS])}?` });
    }
    const declared = Object.keys(project.config ?? {}).map((name) => fullKey(project, name));
    for (const key of Object.keys(config).sort()) {
        if (key.startsWith(`${project.name}:`) && !declared.includes(key)) {
            const nearest = declared.length > 0 ? `; did you mean ${closest(key, declared)}?` : "";
            problems.push({ key, value: config[key], reason: `is not declared in Pulumi.yaml, so nothing reads it${nearest}` });
        }
    }
    return problems;
}

/** One line per problem: `  - key = "value": reason`, or `  - key: reason` for a missing key. */
export function describeConfigProblems(problems: readonly ConfigProblem[]): string {
    return problems.map((p) => `  - ${p.key}${p.value === undefined ? "" : ` = ${JSON.stringify(p.value)}`}: ${p.reason}`).join("\n");
}

const settings = (count: number) => (count === 1 ? "1 invalid config setting" : `${count} invalid config settings`);

/** A stack's config broke the project's rules. A `pulumi.RunError`: `pulumi up` prints the message alone. */
export class StackConfigError extends pulumi.RunError {
    constructor(
        stack: string,
        public readonly problems: readonly ConfigProblem[],
    ) {
        super(`Stack "${stack}" has ${settings(problems.length)}:\n${describeConfigProblems(problems)}`);
        this.name = "StackConfigError";
        this.stack = `${this.name}: ${this.message}`; // frameless, as DualSubnetEniInstanceValidationError (see there)
    }
}

/** Whether the program received a key as a secret (the CLI's PULUMI_CONFIG_SECRET_KEYS, which the SDK's runtime config reads). */
export function isConfigSecret(fullKey: string): boolean {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?(key: string): boolean };
    return runtime.isConfigSecret?.(fullKey) ?? false;
}

/** Refuses, before any resource exists, a config with the problems `undeclaredConfigProblems` finds. */
export function checkStackConfig(project: ProjectFile): void {
    const problems = undeclaredConfigProblems(project, pulumi.runtime.allConfig());
    if (problems.length > 0) {
        throw new StackConfigError(pulumi.getStack(), problems);
    }
}
