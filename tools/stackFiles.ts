/**
 * Reads stack configuration the way the Pulumi CLI would hand it to the program: the project's declared
 * defaults (Pulumi.yaml `config:`), overlaid with a stack's own `Pulumi.<stack>.yaml`, refused where the
 * CLI refuses it. Used to run the stack program offline (tests, `npm run plan`), where there is no CLI.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { SECRET_PLACEHOLDER } from "../components";
import { describeConfigProblems } from "../stacks/configChecks";
import { declarationOf, declaredConfigProblems, fullKey, type ProjectFile } from "./configDeclarations";
import { type SecretsSettings, type StackDecrypter, stackDecrypter } from "./stackSecrets";

/** The directory of Pulumi.yaml: the nearest one above this file (also from a compiled copy of it). */
export const PROJECT_DIR = findProjectDir(__dirname);

function findProjectDir(start: string): string {
    for (let dir = start; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
            return dir;
        }
        if (path.dirname(dir) === dir) {
            throw new Error(`no Pulumi.yaml above ${start}`);
        }
    }
}

/** A project or stack file that cannot be used as it is; the message names the file. */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/** The last parse of each file, by path, with the text it parsed: a file read again unchanged is not parsed again. */
const parsedYaml = new Map<string, { readonly text: string; readonly value: unknown }>();

/** A YAML file's value; each call gets a copy of its own (callers may change it). */
function readYaml<T>(file: string): T {
    const name = path.basename(file);
    if (!fs.existsSync(file)) {
        throw new StackFileError(`${name} does not exist`);
    }
    const text = fs.readFileSync(file, "utf8");
    let parsed = parsedYaml.get(file);
    if (parsed?.text !== text) {
        try {
            parsed = { text, value: parse(text) ?? {} };
        } catch (error) {
            throw new StackFileError(`${name} is not valid YAML: ${(error as Error).message}`);
        }
        parsedYaml.set(file, parsed);
    }
    return structuredClone(parsed.value) as T;
}

export function readProjectFile(dir = PROJECT_DIR): ProjectFile {
    return readYaml<ProjectFile>(path.join(dir, "Pulumi.yaml"));
}

/** Names of the stacks that have a `Pulumi.<stack>.yaml`, sorted. */
export function listStacks(dir = PROJECT_DIR): string[] {
    return fs
        .readdirSync(dir)
        .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

const DEPLOYED_FIRST = ["dev", "staging"];

/** The order the deploy workflow runs stacks in: dev, staging, any others by name, prod last. */
export function deployOrder(stacks: readonly string[]): string[] {
    const rank = (stack: string) => (stack === "prod" ? DEPLOYED_FIRST.length + 1 : DEPLOYED_FIRST.includes(stack) ? DEPLOYED_FIRST.indexOf(stack) : DEPLOYED_FIRST.length);
    return [...stacks].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** A stack file: its `config:` as YAML gives it (typed values; keys as written, see namespacedStackConfig) and its secrets settings. */
interface StackFile extends SecretsSettings {
    readonly config?: Record<string, unknown>;
}

/** A stack file's `config:` as YAML gives it (typed values; `secure:` values still encrypted), keys as written (see namespacedStackConfig). */
export function readStackFile(stack: string, dir = PROJECT_DIR): Record<string, unknown> {
    return { ...readYaml<StackFile | null>(path.join(dir, `Pulumi.${stack}.yaml`))?.config };
}

/** A key whose secret value the offline plan could not decrypt, and why. */
export interface UnreadableSecret {
    readonly key: string;
    readonly reason: string;
    /** The key's rule, as Pulumi.yaml describes it: the checks that could not be made. */
    readonly rule?: string;
}

/** A stack's config as the CLI hands it to the program. */
export interface StackConfig {
    /** Full config keys (`aws:region`, `dual-subnet-eni:vpcCidrBlock`) to string values (PULUMI_CONFIG). */
    readonly config: Record<string, string>;
    /** Full keys whose values are secrets (PULUMI_CONFIG_SECRET_KEYS). */
    readonly secretKeys: string[];
    /** Secret keys the plan could not decrypt; the program gets them as unknown secrets (see `isUnreadableSecret`). */
    readonly unreadableSecrets: UnreadableSecret[];
}

const isSecure = (value: unknown): value is { secure: string } =>
    value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { secure?: unknown }).secure === "string";

const holdsSecure = (value: unknown): boolean => isSecure(value) || (value !== null && typeof value === "object" && Object.values(value).some(holdsSecure));

/**
 * A stack file's config with full keys, as the Pulumi CLI loads it: a key without a namespace
 * (`instanceType: t3.small`) is the project's (`dual-subnet-eni:instanceType`). pulumi/pulumi's
 * `LoadProjectStackBytes` (sdk/go/common/workspace/loaders.go) rewrites such keys in
 * `stackConfigNamespacedWithProject` before `config.ParseKey` (sdk/go/common/resource/config/key.go)
 * reads each as `<namespace>:<name>`. A key written both ways is refused here: the CLI keeps whichever of
 * the two Go's random map order writes last.
 */
export function namespacedStackConfig(projectName: string, stack: string, config: Record<string, unknown>): Record<string, unknown> {
    const namespaced: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
        const full = key.includes(":") ? key : `${projectName}:${key}`;
        if (full in namespaced) {
            throw new StackFileError(`Pulumi.${stack}.yaml sets ${full} twice, as ${full} and as ${full.slice(projectName.length + 1)} (the same key: the Pulumi CLI puts a key without a namespace in the project's); keep one`);
        }
        namespaced[full] = value;
    }
    return namespaced;
}

/**
 * A stack's config the way the CLI passes it to the program: the project's declared defaults overlaid with
 * the stack file's values, `secure:` values decrypted with the passphrase provider (PULUMI_CONFIG_PASSPHRASE
 * or PULUMI_CONFIG_PASSPHRASE_FILE in `env`) and listed as secret keys. Where they cannot be decrypted (no
 * passphrase, another secrets provider) they stay secrets of unknown value. Throws a StackFileError, as the
 * CLI refuses to run, for a wrong passphrase, a declared key without a default that is missing, or a value
 * not of its declared type; no message quotes a secret.
 */
export function loadStack(stack: string, dir = PROJECT_DIR, env: NodeJS.ProcessEnv = process.env): StackConfig {
    const file = `Pulumi.${stack}.yaml`;
    const project = readProjectFile(dir);
    const stackFile = readYaml<StackFile | null>(path.join(dir, file)) ?? {};
    const given = Object.entries(namespacedStackConfig(project.name, stack, stackFile.config ?? {}));
    const secretKeys = given.filter(([, value]) => holdsSecure(value)).map(([key]) => key);
    let decrypter: StackDecrypter | undefined;
    try {
        decrypter = secretKeys.length > 0 ? stackDecrypter(stackFile, env) : undefined;
    } catch (error) {
        throw new StackFileError(`${file}: ${(error as Error).message}`);
    }
    const reveal = (key: string, value: unknown): unknown => {
        if (isSecure(value) && decrypter && "decrypt" in decrypter) {
            try {
                return decrypter.decrypt(value.secure);
            } catch (error) {
                throw new StackFileError(`${file}: the secure value of ${key} could not be decrypted: ${(error as Error).message}`);
            }
        }
        if (value !== null && typeof value === "object") {
            return Array.isArray(value) ? value.map((item) => reveal(key, item)) : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(key, v)]));
        }
        return value;
    };
    const unreadable = decrypter && "unreadable" in decrypter ? secretKeys : [];
    const stackValues = Object.fromEntries(given.map(([key, value]) => [key, unreadable.includes(key) ? value : reveal(key, value)]));
    const problems = declaredConfigProblems(project, stackValues, new Set(unreadable)).map((problem) =>
        secretKeys.includes(problem.key) ? { ...problem, value: SECRET_PLACEHOLDER } : problem,
    );
    if (problems.length > 0) {
        throw new StackFileError(`${file} does not match Pulumi.yaml's declarations; the Pulumi CLI refuses it too:\n${describeConfigProblems(problems)}`);
    }
    const config: Record<string, string> = {};
    for (const [name, entry] of Object.entries(project.config ?? {})) {
        const { default: fallback, value } = declarationOf(entry);
        if ((value ?? fallback) !== undefined) {
            config[fullKey(project, name)] = asConfigText(value ?? fallback);
        }
    }
    for (const [key, value] of Object.entries(stackValues)) {
        config[key] = asConfigText(value);
    }
    const reason = decrypter && "unreadable" in decrypter ? decrypter.unreadable : "";
    const ruleOf = (key: string) => Object.entries(project.config ?? {}).map(([name, entry]) => [fullKey(project, name), declarationOf(entry).description]).find(([full]) => full === key)?.[1];
    return { config, secretKeys, unreadableSecrets: unreadable.map((key) => ({ key, reason, ...(ruleOf(key) ? { rule: ruleOf(key) } : {}) })) };
}

/** The config values of `loadStack`, full keys to text. */
export function loadStackConfig(stack: string, dir = PROJECT_DIR, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
    return loadStack(stack, dir, env).config;
}

/** How the CLI passes a value: text as is, anything else as JSON. */
function asConfigText(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
