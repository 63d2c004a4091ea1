/**
 * The house's walls: what `pulumi up` runs (Pulumi.yaml's `main` and everything it imports) needs only the
 * package's dependencies, peer dependencies and Node.js built-ins; nothing that ships touches SDK internals;
 * the offline tools reach the component and the stack program only through their public modules; every file
 * of the component stays readable (under 400 lines).
 */
import * as assert from "assert";
import * as fs from "fs";
import { builtinModules } from "module";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { circlesOf, importGraph, importsOf, packageOf, sourcesUnder } from "../tools/importGraph";
import { PROJECT_DIR } from "../tools/stackFiles";

const PACKAGE = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
};

/** Texts that mark a use of the Pulumi SDK's (or a library's) internals. */
const INTERNALS = ["getMonitor", "isConfigSecret", "proto/", "runtime/mocks", "runtime/debuggable", "prepareStackTrace", "SpecialRanges"];

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

const sourcesIn = (folder: string) => sourcesUnder(path.join(PROJECT_DIR, folder));

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
        const files = new Set([...closure.files.filter((file) => file.endsWith(".ts")), ...sourcesIn("components")]);
        assert.deepStrictEqual([...files].flatMap(internalsIn), []);
    });

    it("finds an internal where there is one (the tools' one module of them)", () => {
        assert.deepStrictEqual(internalsIn(path.join(PROJECT_DIR, "tools", "sdkInternals.ts")).length > 3, true);
    });

    it("the offline tools reach the component and the stack program only through their public modules", () => {
        // The package's entry points, the stack program's, and the did-you-mean every room shares.
        const publicModules = ["components/index.ts", "components/testing.ts", "components/suggest.ts", "stacks/program.ts", "stacks/configChecks.ts"].map((file) => path.join(PROJECT_DIR, file));
        const inside = (file: string, folder: string) => file.startsWith(path.join(PROJECT_DIR, folder) + path.sep);
        const reachedIn = [...sourcesIn("tools"), ...sourcesIn("scripts")].flatMap((file) =>
            importsOf(file)
                .filter(({ resolved }) => resolved !== undefined && (inside(resolved, "components") || inside(resolved, "stacks")) && !publicModules.includes(resolved))
                .map(({ specifier }) => `${path.relative(PROJECT_DIR, file)}: ${specifier}`),
        );
        assert.deepStrictEqual(reachedIn, []);
    });

    it("every file of the component is under 400 lines", () => {
        const long = sourcesIn("components")
            .map((file) => [path.relative(PROJECT_DIR, file), fs.readFileSync(file, "utf8").split("\n").length] as const)
            .filter(([, lines]) => lines >= 400);
        assert.deepStrictEqual(long, []);
    });

    it("the import-circle finder (npm run lint) finds a circle of type-only imports, and none in a chain", () => {
        const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]], ["e", ["e"]]]);
        assert.deepStrictEqual(circlesOf(graph), [["a", "b", "c"], ["e"]]);
        assert.deepStrictEqual(circlesOf(new Map([["a", ["b"]], ["b", []]])), []);
        const probe = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-circle-"));
        try {
            fs.writeFileSync(path.join(probe, "a.ts"), 'import type { B } from "./b";\nexport interface A { b?: B }\n');
            fs.writeFileSync(path.join(probe, "b.ts"), 'import type { A } from "./a";\nexport interface B { a?: A }\n');
            assert.strictEqual(circlesOf(importGraph(sourcesUnder(probe))).length, 1);
        } finally {
            fs.rmSync(probe, { recursive: true, force: true });
        }
    });
});
