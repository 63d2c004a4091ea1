/**
 * npm run schema                print the package schema the plugin in provider/ serves to `pulumi package add`
 * npm run schema -- --check     fail, with a diff, where provider/schema.json is out of date, or where Pulumi.yaml's
 *                               declarations or the README's config table disagree with it
 * npm run schema -- --update    rewrite provider/schema.json
 *
 * The schema comes from the SDK's own analyzer (`ComponentProvider.getSchema()`), run in-process on the
 * TypeScript source, exactly as the plugin computes it when the CLI asks.
 */
import * as fs from "fs";
import * as path from "path";
import { runAsCli } from "./cli";
import { committedJsonDrift, serializeJson } from "./committedJson";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { componentProviderOptions } from "../provider/componentProvider";
import { DUAL_SUBNET_ENI_INSTANCE_TYPE } from "../components/dualSubnetEniInstance";
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

async function main(args: readonly string[]): Promise<number> {
    const unknown = args.filter((a) => !["--check", "--update"].includes(a));
    if (unknown.length > 0 || args.length > 1) {
        console.error(`${unknown.join("; ")}\nusage: npm run schema -- [--check | --update]`);
        return 2;
    }
    const schema = await generateSchema();
    const file = path.relative(PROJECT_DIR, SCHEMA_FILE);
    if (args[0] === "--update") {
        fs.writeFileSync(SCHEMA_FILE, serializeSchema(schema));
        console.log(`wrote ${file}`);
    } else if (args[0] === "--check") {
        const drift = schemaDrift(schema);
        console.log(drift ? `✗ the schema changed; review it, then run npm run schema -- --update\n${drift}` : `✓ schema matches ${file}`);
        const project = readProjectFile();
        const declarations = [
            ...configDeclarationProblems(schema.resources[DUAL_SUBNET_ENI_INSTANCE_TYPE].inputProperties, project, schema.types),
            ...configTableProblems(project, fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8")),
        ];
        console.log(declarations.length > 0 ? `✗ the args' other places disagree:\n${declarations.map((p) => `  - ${p}`).join("\n")}` : "✓ Pulumi.yaml and the README's config table follow the args");
        return drift || declarations.length > 0 ? 1 : 0;
    } else {
        process.stdout.write(serializeSchema(schema));
    }
    return 0;
}

runAsCli(module, main);
