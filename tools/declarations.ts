/**
 * The places that follow the args interface, held to it. The interface is the one declaration of an arg; the
 * package schema (provider/schema.json, `npm run schema -- --update`) is generated from it, and from the schema:
 * - Pulumi.yaml's config declarations: one per arg (but `existingNetwork`, which the stack program does not
 *   take: its stacks build their network), of the type Pulumi gives the arg's type, never `secret` for a plain arg;
 * - the stack program's mapping (stacks/program.ts): one arg per declared key, read by its schema type;
 * - validation's fields (`ValidatedField`, derived from the interface by a mapped type);
 * - the README's config table: a row per key, saying which are secret.
 * Each function lists where a place disagrees, so a test (and `npm run schema -- --check`) fails on it.
 */
import { configTypeOf, LIBRARY_ONLY_ARGS, type SchemaInput, SECRET_CONFIG_KEYS } from "../stacks/program";
import { type ConfigDeclaration, declarationOf, type ProjectFile, typeName } from "./configDeclarations";

/** Where Pulumi.yaml's declarations disagree with the schema's inputs: a missing or extra key, a wrong type, a secret plain arg. */
export function configDeclarationProblems(
    inputs: Readonly<Record<string, SchemaInput>>,
    project: ProjectFile,
    enumTypes: Readonly<Record<string, { readonly type?: string }>> = {},
): string[] {
    const declared = new Map(
        Object.entries(project.config ?? {})
            .filter(([key]) => !key.includes(":"))
            .map(([key, entry]) => [key, declarationOf(entry)] as [string, ConfigDeclaration]),
    );
    const problems: string[] = [];
    for (const [name, input] of Object.entries(inputs)) {
        const declaration = declared.get(name);
        const expected = configTypeOf(input, enumTypes);
        const actual = declaration?.type ? typeName({ type: declaration.type, items: declaration.items }) : undefined;
        if (name in LIBRARY_ONLY_ARGS) {
            if (declaration) {
                problems.push(`${name}: declared in Pulumi.yaml, but the stack program does not take it (${LIBRARY_ONLY_ARGS[name]})`);
            }
        } else if (!declaration) {
            problems.push(`${name}: an arg of the component with no declaration in Pulumi.yaml`);
        } else if (declaration.secret && input.plain) {
            problems.push(`${name}: declared secret in Pulumi.yaml, but the component takes it as a plain value`);
        } else if ((declaration.secret === true) !== SECRET_CONFIG_KEYS.includes(name)) {
            problems.push(`${name}: ${declaration.secret ? "declared secret in Pulumi.yaml, but not in" : "not declared secret in Pulumi.yaml, but listed in"} the stack program's SECRET_CONFIG_KEYS`);
        } else if (actual !== expected && !(declaration.secret && actual === undefined)) {
            problems.push(`${name}: declared in Pulumi.yaml as ${actual ?? "untyped"}, but the arg is ${expected ?? "untyped (an object)"}`);
        }
    }
    for (const name of declared.keys()) {
        if (!(name in inputs)) {
            problems.push(`${name}: declared in Pulumi.yaml, but the component has no such arg`);
        }
    }
    return problems;
}

/** The rows of the README's config table (section "Stack configuration", the table headed `| key |`). */
function configTableRows(readme: string): string[] {
    const lines = readme.split("\n");
    const header = lines.findIndex((line, i) => line.startsWith("| key |") && lines.slice(0, i).some((l) => l === "## Stack configuration"));
    const end = lines.findIndex((line, i) => i > header && !line.startsWith("|"));
    return header < 0 ? [] : lines.slice(header + 2, end < 0 ? undefined : end);
}

/** The keys each row of the README's config table names: the backticked names of its first cell. */
export function configTableKeys(readme: string): string[][] {
    return configTableRows(readme).map((line) => [...line.split("|")[1].matchAll(/`([^`]+)`/g)].map((match) => match[1]));
}

/** Where the README's config table disagrees with Pulumi.yaml: a key without a row, a row for no key, a secret key not called secret. */
export function configTableProblems(project: ProjectFile, readme: string): string[] {
    const rows = configTableKeys(readme);
    const rowText = (key: string) => configTableRows(readme)[rows.findIndex((keys) => keys.includes(key))] ?? "";
    const declared = Object.keys(project.config ?? {}).filter((key) => !key.includes(":"));
    const listed = rows.flat();
    const problems: string[] = [];
    for (const key of declared) {
        if (!listed.includes(key)) {
            problems.push(`${key}: declared in Pulumi.yaml, but the README's config table has no row for it`);
        } else if (declarationOf(project.config![key]).secret && !/\bsecret\b/.test(rowText(key))) {
            problems.push(`${key}: declared secret in Pulumi.yaml, but its README row does not say so`);
        }
    }
    for (const key of listed.filter((key) => !key.includes(":") && !declared.includes(key))) {
        problems.push(`${key}: a row of the README's config table, but Pulumi.yaml declares no such key`);
    }
    return problems;
}
