/**
 * Reads stack configuration the way the Pulumi CLI would hand it to the program: the project's declared
 * defaults (Pulumi.yaml `config:`), overlaid with a stack's own `Pulumi.<stack>.yaml`, refused where the
 * CLI refuses it. Used to run the stack program offline (tests, `npm run plan`), where there is no CLI.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { declarationOf, declaredConfigProblems, describeConfigProblems, fullKey, ProjectFile } from "./configChecks";

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

function readYaml<T>(file: string): T {
    const name = path.basename(file);
    if (!fs.existsSync(file)) {
        throw new StackFileError(`${name} does not exist`);
    }
    try {
        return (parse(fs.readFileSync(file, "utf8")) ?? {}) as T;
    } catch (error) {
        throw new StackFileError(`${name} is not valid YAML: ${(error as Error).message}`);
    }
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

/** A stack file's `config:` as YAML gives it (typed values), keys as written (see namespacedStackConfig). */
export function readStackFile(stack: string, dir = PROJECT_DIR): Record<string, unknown> {
    const file = readYaml<{ config?: Record<string, unknown> } | null>(path.join(dir, `Pulumi.${stack}.yaml`));
    return { ...file?.config };
}

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
 * Full config keys (`aws:region`, `dual-subnet-eni:vpcCidrBlock`) to string values, as the CLI passes
 * them to the program. Throws a StackFileError, as the CLI refuses to run, where a declared key without a
 * default is missing or a value is not of its declared type.
 */
export function loadStackConfig(stack: string, dir = PROJECT_DIR): Record<string, string> {
    const project = readProjectFile(dir);
    const stackValues = namespacedStackConfig(project.name, stack, readStackFile(stack, dir));
    const problems = declaredConfigProblems(project, stackValues);
    if (problems.length > 0) {
        throw new StackFileError(`Pulumi.${stack}.yaml does not match Pulumi.yaml's declarations; the Pulumi CLI refuses it too:\n${describeConfigProblems(problems)}`);
    }
    const values: Record<string, string> = {};
    for (const [name, entry] of Object.entries(project.config ?? {})) {
        const { default: fallback, value } = declarationOf(entry);
        if ((value ?? fallback) !== undefined) {
            values[fullKey(project, name)] = asConfigText(value ?? fallback);
        }
    }
    for (const [key, value] of Object.entries(stackValues)) {
        values[key] = asConfigText(value);
    }
    return values;
}

/** How the CLI passes a value: text as is, anything else as JSON. */
function asConfigText(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
