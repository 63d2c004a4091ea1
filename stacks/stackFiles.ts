/**
 * Reads stack configuration the way the Pulumi CLI would hand it to the program: the project's declared
 * defaults (Pulumi.yaml `config:`), overlaid with a stack's own `Pulumi.<stack>.yaml`. Used to run the
 * stack program offline (tests, `npm run plan`), where there is no CLI to do it.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

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

interface ProjectFile {
    name: string;
    config?: Record<string, { default?: unknown } | string | number | boolean>;
}

function readYaml<T>(file: string): T {
    return parse(fs.readFileSync(file, "utf8")) as T;
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

/** Full config keys (`aws:region`, `dual-subnet-eni:vpcCidrBlock`) to string values, as the CLI passes them. */
export function loadStackConfig(stack: string, dir = PROJECT_DIR): Record<string, string> {
    const project = readProjectFile(dir);
    const values: Record<string, string> = {};
    for (const [key, declared] of Object.entries(project.config ?? {})) {
        const value = typeof declared === "object" && declared !== null ? declared.default : declared;
        if (value !== undefined) {
            values[key.includes(":") ? key : `${project.name}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    const stackFile = readYaml<{ config?: Record<string, unknown> }>(path.join(dir, `Pulumi.${stack}.yaml`));
    for (const [key, value] of Object.entries(stackFile.config ?? {})) {
        values[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return values;
}
