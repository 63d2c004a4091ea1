/**
 * One declaration per arg: the args interface (components/args.ts). Every other place follows it, and fails
 * here when it does not: the package schema is generated from it (tests/schema.spec.ts holds the committed
 * one to it), Pulumi.yaml and the README's config table are held to the schema, the stack program's mapping
 * and validation's fields are derived. And no import circle among the sources, type-only imports included.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { DUAL_SUBNET_ENI_INSTANCE_TYPE, DualSubnetEniInstanceArgs, ValidatedField } from "../components";
import { flattenArgs } from "../components/settings";
import { ValidatedFieldOf } from "../components/validation";
import { ProjectFile } from "../stacks/configChecks";
import { configDeclarationProblems, configTableProblems, SchemaInput } from "../stacks/declarations";
import { stackArgs } from "../stacks/program";
import { PROJECT_DIR, readProjectFile } from "../stacks/stackFiles";
import schema from "../provider/schema.json";
import { runChild } from "../stacks/childProcess";
import { backgroundWorkTimeout, queueBackgroundWork } from "./backgroundQueue";
import { SEED_ARGS } from "./fixtures";

const INPUTS: Readonly<Record<string, SchemaInput>> = schema.resources[DUAL_SUBNET_ENI_INSTANCE_TYPE as keyof typeof schema.resources].inputProperties;
const README = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
const PROJECT = readProjectFile();

/** A project like this one with one more declaration. */
const declaring = (key: string, declaration: object): ProjectFile => ({ ...PROJECT, config: { ...PROJECT.config, [key]: declaration } });

/** The README with one more row in the config table, after userData's. */
const withRow = (row: string) => README.replace(/^\| `userData` .*$/m, (line) => `${line}\n${row}`);

describe("each arg declared once: the places that follow the args interface", () => {
    it("Pulumi.yaml declares every arg of the committed schema (but existingNetwork), with the type Pulumi gives it", () => {
        assert.deepStrictEqual(configDeclarationProblems(INPUTS, PROJECT, schema.types), []);
    });

    it("the README's config table has a row for every declared key, and says which are secret", () => {
        assert.deepStrictEqual(configTableProblems(PROJECT, README), []);
    });

    describe("a made-up arg, madeUpArg, added to the interface (so to the schema)", () => {
        const inputs = { ...INPUTS, madeUpArg: { type: "string" } };

        it("fails until Pulumi.yaml declares it, of its type", () => {
            assert.deepStrictEqual(configDeclarationProblems(inputs, PROJECT, schema.types), ["madeUpArg: an arg of the component with no declaration in Pulumi.yaml"]);
            assert.deepStrictEqual(configDeclarationProblems(inputs, declaring("madeUpArg", { type: "integer", default: 0 }), schema.types), [
                "madeUpArg: declared in Pulumi.yaml as integer, but the arg is string",
            ]);
            assert.deepStrictEqual(configDeclarationProblems(inputs, declaring("madeUpArg", { type: "string", default: "" }), schema.types), []);
            assert.deepStrictEqual(configDeclarationProblems(INPUTS, declaring("madeUpArg", { type: "string" }), schema.types), [
                "madeUpArg: declared in Pulumi.yaml, but the component has no such arg",
            ]);
        });

        it("fails until the README's config table has its row, saying secret where it is declared so", () => {
            const project = declaring("madeUpArg", { default: "", secret: true });
            assert.deepStrictEqual(configTableProblems(project, README), ["madeUpArg: declared in Pulumi.yaml, but the README's config table has no row for it"]);
            assert.deepStrictEqual(configTableProblems(project, withRow("| `madeUpArg` | none | anything |")), ["madeUpArg: declared secret in Pulumi.yaml, but its README row does not say so"]);
            assert.deepStrictEqual(configTableProblems(project, withRow("| `madeUpArg` | none | anything; secret |")), []);
            assert.deepStrictEqual(configTableProblems(PROJECT, withRow("| `madeUpArg` | none | anything |")), ["madeUpArg: a row of the README's config table, but Pulumi.yaml declares no such key"]);
        });

        it("refuses a plain arg declared secret (the component could not take an Output there)", () => {
            assert.deepStrictEqual(configDeclarationProblems(INPUTS, declaring("namePrefix", { default: "", secret: true }), schema.types), [
                "namePrefix: declared secret in Pulumi.yaml, but the component takes it as a plain value",
            ]);
        });

        it("reaches the component through the stack program once declared: no mapping to edit", async () => {
            const project = declaring("madeUpArg", { type: "string", default: "" });
            const read = (key: string) => ({ text: key === "madeUpArg" ? "made up" : undefined, secret: false });
            assert.strictEqual(stackArgs(project, read).madeUpArg, "made up");
            const secret = stackArgs(project, (key) => ({ ...read(key), secret: key === "madeUpArg" })).madeUpArg as pulumi.Output<string>;
            assert.strictEqual(await pulumi.isSecret(secret), true);
        });

        it("is a validated field, by name, with no list to edit", () => {
            const args = { ...SEED_ARGS, madeUpArg: "made up" } as DualSubnetEniInstanceArgs;
            assert.strictEqual((flattenArgs(args, { name: "n", instanceType: "t3.micro", namePrefix: "n" }) as Record<string, unknown>).madeUpArg, "made up");
            // Type-level: the field union follows the interface (tsc, in npm test, checks these two lines).
            const field: ValidatedFieldOf<DualSubnetEniInstanceArgs & { madeUpArg?: string }> = "madeUpArg";
            // @ts-expect-error madeUpArg is not an arg of today's interface
            const notYet: ValidatedField = "madeUpArg";
            assert.deepStrictEqual([field, notYet], ["madeUpArg", "madeUpArg"]);
        });
    });
});

const MADGE_CONFIG = { baseDir: PROJECT_DIR, fileExtensions: ["ts"], tsConfig: path.join(PROJECT_DIR, "tsconfig.json"), detectiveOptions: { ts: { skipTypeImports: false } } };

/** What madge finds in one set of folders: its circles and its module graph. */
interface MadgeGraph {
    readonly circular: string[][];
    readonly obj: Record<string, string[]>;
}

/** Node.js code: madge (its API) on each `{ paths, config }` of the JSON list in its argument; prints the graphs as JSON. */
const MADGE_GRAPHS = `
const madge = require("madge");
(async () => {
    const graphs = [];
    for (const { paths, config } of JSON.parse(process.argv[1])) {
        const graph = await madge(paths, config);
        graphs.push({ circular: graph.circular(), obj: graph.obj() });
    }
    process.stdout.write(JSON.stringify(graphs));
})().catch((error) => {
    console.error(error);
    process.exit(1);
});
`;
const MADGE_DEADLINE_MS = 60_000;

describe("no import circles", () => {
    /**
     * The project's graph, and a folder's whose two files import each other's types, made by madge in a
     * process of its own in the background from the suite's start (tests/backgroundQueue.ts).
     */
    const graphs = queueBackgroundWork(MADGE_DEADLINE_MS, async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-circle-"));
        try {
            fs.writeFileSync(path.join(dir, "a.ts"), 'import type { B } from "./b";\nexport interface A { b?: B }\n');
            fs.writeFileSync(path.join(dir, "b.ts"), 'import type { A } from "./a";\nexport interface B { a?: A }\n');
            const requests = [
                { paths: ["components", "stacks", "scripts", "provider"].map((folder) => path.join(PROJECT_DIR, folder)), config: MADGE_CONFIG },
                { paths: [dir], config: { ...MADGE_CONFIG, baseDir: dir } },
            ];
            const run = await runChild("madge", process.execPath, ["-e", MADGE_GRAPHS, JSON.stringify(requests)], { cwd: PROJECT_DIR, deadlineMs: MADGE_DEADLINE_MS, shared: true });
            assert.strictEqual(run.exitCode, 0, run.stderr);
            const [project, circle] = JSON.parse(run.stdout) as MadgeGraph[];
            return { project, circle };
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("among components, stacks, scripts and provider, type-only imports included", async function () {
        this.timeout(backgroundWorkTimeout());
        const graph = (await graphs()).project;
        assert.deepStrictEqual(graph.circular, []);
        // It reads type-only imports: the component takes its args type from the floor module with `import type`.
        assert.ok(graph.obj["components/dualSubnetEniInstance.ts"]?.includes("components/args.ts"), JSON.stringify(graph.obj["components/dualSubnetEniInstance.ts"]));
    });

    it("finds a circle made of type-only imports", async function () {
        this.timeout(backgroundWorkTimeout());
        assert.deepStrictEqual((await graphs()).circle.circular, [["a.ts", "b.ts"]]);
    });
});
