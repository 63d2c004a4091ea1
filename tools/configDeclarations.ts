/**
 * A project's config declarations (Pulumi.yaml `config:`) and what the Pulumi CLI refuses before it starts the
 * program: a key declared without a default that the stack does not set, a value not of its declared type.
 * The offline plan refuses the same, with every problem at once (the CLI stops at the first wrong type).
 */
import type { ConfigProblem } from "../stacks/configChecks";

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
