/**
 * The house's walls: what `pulumi up` runs (Pulumi.yaml's `main` and everything it imports) needs only the
 * package's dependencies, peer dependencies and Node.js built-ins; nothing that ships touches SDK internals;
 * the offline tools reach the component and the stack program only through their public modules; every file
 * of the component stays readable (under 400 lines).
 */
import * as assert from "assert";
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";
import * as ts from "typescript";
import { parse } from "yaml";
import { PROJECT_DIR } from "../tools/stackFiles";

const PACKAGE = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
};
const COMPILER_OPTIONS: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, resolveJsonModule: true };

/** Texts that mark a use of the Pulumi SDK's (or a library's) internals. */
const INTERNALS = ["getMonitor", "isConfigSecret", "proto/", "runtime/mocks", "runtime/debuggable", "prepareStackTrace", "SpecialRanges"];

/** The package an import names (`@pulumi/aws/ec2` → `@pulumi/aws`), or undefined for a relative one. */
function packageOf(specifier: string): string | undefined {
    if (specifier.startsWith(".") || path.isAbsolute(specifier)) {
        return undefined;
    }
    const parts = specifier.replace(/^node:/, "").split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Every import and `require` of a file: the specifier, and the file it resolves to inside the project. */
function importsOf(file: string): { specifier: string; resolved?: string }[] {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    return importedFiles.map(({ fileName: specifier }) => {
        const resolved = ts.resolveModuleName(specifier, file, COMPILER_OPTIONS, ts.sys).resolvedModule?.resolvedFileName;
        return { specifier, ...(resolved && !resolved.includes(`${path.sep}node_modules${path.sep}`) ? { resolved } : {}) };
    });
}

/** The project files `entry` imports, directly or not (itself included), and the packages they import. */
function closureOf(entry: string): { files: string[]; packages: Map<string, string> } {
    const files = new Set<string>();
    const packages = new Map<string, string>();
    const visit = (file: string) => {
        if (files.has(file)) {
            return;
        }
        files.add(file);
        if (!/\.tsx?$/.test(file)) {
            return;
        }
        for (const { specifier, resolved } of importsOf(file)) {
            const name = packageOf(specifier);
            if (name !== undefined && !packages.has(name)) {
                packages.set(name, path.relative(PROJECT_DIR, file));
            }
            if (resolved) {
                visit(resolved);
            }
        }
    };
    visit(entry);
    return { files: [...files], packages };
}

/** The TypeScript files under a folder of the project. */
function sourcesUnder(folder: string): string[] {
    return (fs.readdirSync(path.join(PROJECT_DIR, folder), { recursive: true }) as string[]).filter((file) => file.endsWith(".ts")).map((file) => path.join(PROJECT_DIR, folder, file));
}

const internalsIn = (file: string) => INTERNALS.filter((text) => fs.readFileSync(file, "utf8").includes(text)).map((text) => `${path.relative(PROJECT_DIR, file)}: ${text}`);

describe("the rooms of the house", () => {
    const main = path.join(PROJECT_DIR, (parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as { main: string }).main);
    const closure = closureOf(main);

    it("what pulumi up runs (Pulumi.yaml's main and all it imports) needs only dependencies, peer dependencies and Node.js built-ins", () => {
        const allowed = new Set([...Object.keys(PACKAGE.dependencies ?? {}), ...Object.keys(PACKAGE.peerDependencies ?? {}), ...builtinModules]);
        const outside = [...closure.packages].filter(([name]) => !allowed.has(name)).map(([name, file]) => `${name} (imported by ${file})`);
        assert.deepStrictEqual(outside, []);
        // It really walks: the component, its rules and the committed schema are in it.
        for (const file of ["components/dualSubnetEniInstance.ts", "components/rules/argRules.ts", "provider/schema.json"]) {
            assert.ok(closure.files.includes(path.join(PROJECT_DIR, file)), `${file} is not in the closure`);
        }
    });

    it("neither what pulumi up runs nor anything under components/ touches SDK internals", () => {
        const files = new Set([...closure.files.filter((file) => file.endsWith(".ts")), ...sourcesUnder("components")]);
        assert.deepStrictEqual([...files].flatMap(internalsIn), []);
    });

    it("finds an internal where there is one (the tools' one module of them)", () => {
        assert.deepStrictEqual(internalsIn(path.join(PROJECT_DIR, "tools", "sdkInternals.ts")).length > 3, true);
    });

    it("the offline tools reach the component and the stack program only through their public modules", () => {
        // The package's entry points, the stack program's, and the did-you-mean every room shares.
        const publicModules = ["components/index.ts", "components/testing.ts", "components/suggest.ts", "stacks/program.ts", "stacks/configChecks.ts"].map((file) => path.join(PROJECT_DIR, file));
        const inside = (file: string, folder: string) => file.startsWith(path.join(PROJECT_DIR, folder) + path.sep);
        const reachedIn = [...sourcesUnder("tools"), ...sourcesUnder("scripts")].flatMap((file) =>
            importsOf(file)
                .filter(({ resolved }) => resolved !== undefined && (inside(resolved, "components") || inside(resolved, "stacks")) && !publicModules.includes(resolved))
                .map(({ specifier }) => `${path.relative(PROJECT_DIR, file)}: ${specifier}`),
        );
        assert.deepStrictEqual(reachedIn, []);
    });

    it("every file of the component is under 400 lines", () => {
        const long = sourcesUnder("components")
            .map((file) => [path.relative(PROJECT_DIR, file), fs.readFileSync(file, "utf8").split("\n").length] as const)
            .filter(([, lines]) => lines >= 400);
        assert.deepStrictEqual(long, []);
    });
});
