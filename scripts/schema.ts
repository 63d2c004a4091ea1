/**
 * npm run schema (see USAGE): the package schema the plugin serves, from the SDK's own analyzer
 * (`ComponentProvider.getSchema()`, run in-process on the TypeScript source, exactly as the plugin computes it
 * when the CLI asks).
 */
import * as fs from "fs";
import * as path from "path";
import { runAsCli } from "./cli";
import { committedJsonDrift, serializeJson } from "./committedJson";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { componentProviderOptions } from "../provider/componentProvider";
import { DUAL_SUBNET_ENI_INSTANCE_TYPE } from "../components";
import { configDeclarationProblems, configTableProblems } from "../tools/declarations";
import { PROJECT_DIR, readProjectFile } from "../tools/stackFiles";

export const PROVIDER_DIR = path.join(PROJECT_DIR, "provider");
export const SCHEMA_FILE = path.join(PROVIDER_DIR, "schema.json");

/** A property of a resource or type in a Pulumi package schema, as the Node.js analyzer writes them. */
export interface SchemaProperty {
    readonly type?: string;
    readonly $ref?: string;
    readonly items?: SchemaProperty;
    readonly additionalProperties?: SchemaProperty;
    readonly optional?: boolean;
    readonly plain?: boolean;
    readonly description?: string;
}

export interface SchemaResource {
    readonly isComponent?: boolean;
    readonly description?: string;
    readonly inputProperties: Readonly<Record<string, SchemaProperty>>;
    readonly requiredInputs: readonly string[];
    readonly properties: Readonly<Record<string, SchemaProperty>>;
    readonly required: readonly string[];
}

/** The parts of a Pulumi package schema this project reads. */
export interface PackageSchema {
    readonly name: string;
    readonly version: string;
    readonly description?: string;
    readonly resources: Readonly<Record<string, SchemaResource>>;
    readonly types: Readonly<Record<string, { readonly type?: string; readonly properties: Readonly<Record<string, SchemaProperty>>; readonly required: readonly string[] }>>;
    readonly dependencies?: readonly { readonly name: string; readonly version: string }[];
}

let provider: ComponentProvider | undefined;

/** The plugin's component provider, one per process: it caches its schema (about 5 s to compute). */
export function componentProvider(): ComponentProvider {
    return (provider ??= new ComponentProvider(componentProviderOptions()));
}

export async function generateSchema(): Promise<PackageSchema> {
    return JSON.parse(await componentProvider().getSchema()) as PackageSchema;
}

export const serializeSchema = (schema: PackageSchema): string => serializeJson(schema);

/** The difference between the committed schema and a fresh one, or undefined when they agree. */
export function schemaDrift(schema: PackageSchema): string | undefined {
    return committedJsonDrift(SCHEMA_FILE, schema);
}

/** Where the committed schema, Pulumi.yaml's declarations or the README's config table disagree with the args; [] when none. */
export async function checkSchema(): Promise<string[]> {
    const schema = await generateSchema();
    const drift = schemaDrift(schema);
    const project = readProjectFile();
    return [
        ...(drift ? [`the schema changed; review it, then run npm run schema -- --update\n${drift}`] : []),
        ...configDeclarationProblems(schema.resources[DUAL_SUBNET_ENI_INSTANCE_TYPE].inputProperties, project, schema.types),
        ...configTableProblems(project, fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8")),
    ];
}

export const USAGE = `usage: npm run schema -- [--check | --update | --help]

Prints the package schema the plugin in provider/ serves to \`pulumi package add\`, computed by the SDK's own
analyzer from the TypeScript source.

  --check    exit 1, naming each difference, where provider/schema.json is out of date or where Pulumi.yaml's
             declarations or the README's config table disagree with the args
  --update   rewrite provider/schema.json
  --help     print this help`;

async function main(args: readonly string[]): Promise<number> {
    if (args.includes("--help") || args.includes("-h")) {
        console.log(USAGE);
        return 0;
    }
    const unknown = args.filter((a) => !["--check", "--update"].includes(a));
    if (unknown.length > 0 || args.length > 1) {
        console.error(`${unknown.length > 0 ? `unknown argument ${unknown.join(" ")}` : "give one of --check and --update"}\n\n${USAGE}`);
        return 2;
    }
    if (args[0] === "--check") {
        const problems = await checkSchema();
        console.log(problems.length > 0 ? `✗ ${problems.join("\n✗ ")}` : `✓ the schema matches ${path.relative(PROJECT_DIR, SCHEMA_FILE)}, and Pulumi.yaml and the README's config table follow the args`);
        return problems.length > 0 ? 1 : 0;
    }
    const schema = await generateSchema();
    if (args[0] === "--update") {
        fs.writeFileSync(SCHEMA_FILE, serializeSchema(schema));
        console.log(`wrote ${path.relative(PROJECT_DIR, SCHEMA_FILE)}`);
    } else {
        process.stdout.write(serializeSchema(schema));
    }
    return 0;
}

runAsCli(module, main);
