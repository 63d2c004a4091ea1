/**
 * The project's import graph, read the way TypeScript resolves it (`ts.preProcessFile`, `ts.resolveModuleName`):
 * every `import`, `import type`, `export … from` and `require` of a file, and the project file each resolves to.
 * The rooms test walks it from Pulumi.yaml's `main`; the lint looks for circles in it.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const COMPILER_OPTIONS: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, resolveJsonModule: true };

/** One import of a file: what it names, and the file of the project it resolves to (none for a package). */
export interface Import {
    readonly specifier: string;
    readonly resolved?: string;
}

/** Every import and `require` of a TypeScript file, type-only imports included. */
export function importsOf(file: string): Import[] {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    return importedFiles.map(({ fileName: specifier }) => {
        const resolved = ts.resolveModuleName(specifier, file, COMPILER_OPTIONS, ts.sys).resolvedModule?.resolvedFileName;
        return { specifier, ...(resolved && !resolved.includes(`${path.sep}node_modules${path.sep}`) ? { resolved } : {}) };
    });
}

/** The package an import names (`@pulumi/aws/ec2` → `@pulumi/aws`, `node:fs` → `fs`), or undefined for a relative one. */
export function packageOf(specifier: string): string | undefined {
    if (specifier.startsWith(".") || path.isAbsolute(specifier)) {
        return undefined;
    }
    const parts = specifier.replace(/^node:/, "").split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The TypeScript files under a folder (declaration files excepted). */
export function sourcesUnder(folder: string): string[] {
    return (fs.readdirSync(folder, { recursive: true }) as string[]).filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts")).map((file) => path.join(folder, file));
}

/** The files each of `files` imports among themselves (a map from file to the files it imports). */
export function importGraph(files: readonly string[]): Map<string, string[]> {
    const known = new Set(files);
    return new Map(files.map((file) => [file, [...new Set(importsOf(file).flatMap(({ resolved }) => (resolved !== undefined && known.has(resolved) ? [resolved] : [])))]]));
}

/** The circles of a graph: each set of files that import one another, directly or not (Tarjan's strongly connected components). */
export function circlesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const circles: string[][] = [];
    const visit = (file: string) => {
        index.set(file, index.size);
        low.set(file, index.get(file)!);
        stack.push(file);
        onStack.add(file);
        for (const next of graph.get(file) ?? []) {
            if (!index.has(next)) {
                visit(next);
                low.set(file, Math.min(low.get(file)!, low.get(next)!));
            } else if (onStack.has(next)) {
                low.set(file, Math.min(low.get(file)!, index.get(next)!));
            }
        }
        if (low.get(file) === index.get(file)) {
            const component: string[] = [];
            let member: string;
            do {
                member = stack.pop()!;
                onStack.delete(member);
                component.push(member);
            } while (member !== file);
            if (component.length > 1 || (graph.get(file) ?? []).includes(file)) {
                circles.push(component.sort());
            }
        }
    };
    [...graph.keys()].forEach((file) => index.has(file) || visit(file));
    return circles;
}
