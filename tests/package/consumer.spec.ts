/**
 * The library as another project gets it: built by npm's prepack (scripts/build.ts), `npm pack`ed, installed
 * from the tarball into a copy of examples/consumer, type-checked there, and its program run under the packed
 * testing helper's mocks. The Pulumi packages (peer dependencies) are the consumer's own, here linked to this
 * project's copies. TypeScript 5.9 runs the build and compiles both projects in this process, parsing each
 * of the 3,800 declaration files once for all three; the tarball is then packed without running the build
 * again. 6.0 and 7.0 (a native tsc) check the README's blocks, each in a process of its own, started once the
 * library is installed, while the tests that run in this process go on.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { build, compileProject } from "../../scripts/build";
import { ChildDeadlineError, type ChildResult, childMark, runChild, startChild, stopChildren } from "../../tools/childProcess";
import { recordRegistrations } from "../../tools/sdkInternals";
import { PROJECT_DIR } from "../../tools/stackFiles";

const EXAMPLE = path.join(PROJECT_DIR, "examples", "consumer");
const CONSUMER_OWNED = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/awsx", "typescript", "@types/node"];
/** Deadline of one npm, tsc or node process here: seconds of work on a quiet machine. */
const CHILD_DEADLINE_MS = 120_000;
/** The TypeScript of a workspace beside this file (typescript-6, typescript-7): kept out of the repository's node_modules/.bin. */
const typescriptIn = (workspace: string) => path.dirname(require.resolve("typescript/package.json", { paths: [path.join(__dirname, workspace)] }));

const describeCommand = (command: string, args: readonly string[]) => `${path.basename(command)} ${args.join(" ")}`;

async function run(command: string, args: readonly string[], cwd: string): Promise<ChildResult> {
    return runChild(describeCommand(command, args), command, args, { cwd, deadlineMs: CHILD_DEADLINE_MS });
}

/** `tsc -p dir --noEmit` of the TypeScript in `workspace`, in a process of its own. */
async function typeCheck(workspace: string, dir: string): Promise<{ version: string; result: ChildResult }> {
    const tsc = path.join(typescriptIn(workspace), "bin", "tsc");
    // The native tsc (7.0) checks on several threads by default: one thread leaves the other core to this process.
    const args = [tsc, "-p", dir, "--noEmit", ...(workspace === "typescript-7" ? ["--singleThreaded"] : [])];
    const result = await startChild(process.execPath, args, { cwd: dir, deadlineMs: CHILD_DEADLINE_MS, shared: true }).done;
    if (result.timedOut) {
        throw new ChildDeadlineError(describeCommand(process.execPath, args), result, CHILD_DEADLINE_MS);
    }
    return { version: (JSON.parse(fs.readFileSync(path.join(typescriptIn(workspace), "package.json"), "utf8")) as { version: string }).version, result };
}

async function npm(args: string[], cwd: string): Promise<string> {
    const result = await run("npm", args, cwd);
    assert.strictEqual(result.exitCode, 0, `npm ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
    return result.stdout;
}

/** Declaration files parsed once, shared by the programs compiled here (keyed by name and parse mode). */
const parsed = new Map<string, ts.SourceFile | undefined>();

/** A compiler host that takes each declaration file from `parsed`, parsing it there the first time. */
function declarationSharingHost(): ts.CompilerHost {
    const host = ts.createCompilerHost({});
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, mode, onError, shouldCreate) => {
        if (!fileName.endsWith(".d.ts")) {
            return getSourceFile(fileName, mode, onError, shouldCreate);
        }
        const key = `${fileName}|${JSON.stringify(mode)}`;
        if (!parsed.has(key)) {
            parsed.set(key, getSourceFile(fileName, mode, onError, shouldCreate));
        }
        return parsed.get(key);
    };
    return host;
}

/** Compiles the project of `dir`/tsconfig.json as `tsc -p dir` would; returns its errors as tsc prints them, "" when there are none. */
const compile = (dir: string): string => compileProject(path.join(dir, "tsconfig.json"), declarationSharingHost());

const README = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
const LIBRARY_SECTION = README.slice(README.indexOf("## Use it from TypeScript or JavaScript (npm)"), README.indexOf("\n## ", README.indexOf("## Use it from TypeScript or JavaScript (npm)") + 1));
const README_BLOCKS = [...LIBRARY_SECTION.matchAll(/<!-- file: (\S+) -->\n```(?:ts|json)\n([\s\S]*?)```/g)].map(([, file, code]) => ({ file, code }));

describe("the packed library, used by examples/consumer", () => {
    let work: string;
    let consumer: string;
    let tarball: string;
    let readmeDir: string;
    let newerTypeScriptChecks: Promise<{ version: string; result: ChildResult }>[] = [];
    let mark: number;

    before(async function () {
        this.timeout(2 * CHILD_DEADLINE_MS + 10_000);
        mark = childMark();
        work = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-pack-"));
        assert.strictEqual(build(declarationSharingHost()), "");
        const packed = JSON.parse(await npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], PROJECT_DIR)) as { filename: string }[];
        tarball = path.join(work, packed[0].filename);
        consumer = path.join(work, "consumer");
        fs.cpSync(EXAMPLE, consumer, { recursive: true, filter: (source) => !/(node_modules|bin)$/.test(source) });
        for (const name of CONSUMER_OWNED) {
            fs.mkdirSync(path.dirname(path.join(consumer, "node_modules", name)), { recursive: true });
            fs.symlinkSync(path.join(PROJECT_DIR, "node_modules", name), path.join(consumer, "node_modules", name));
        }
        await npm(["install", "--no-save", "--prefer-offline", "--legacy-peer-deps", "--ignore-scripts", "--no-audit", "--no-fund", tarball], consumer);
        readmeDir = path.join(consumer, "readme");
        fs.mkdirSync(readmeDir);
        README_BLOCKS.forEach((b) => fs.writeFileSync(path.join(readmeDir, b.file), b.code));
        // Started now that the library is installed; awaited by their test.
        newerTypeScriptChecks = ["typescript-6", "typescript-7"].map((workspace) => typeCheck(workspace, readmeDir));
        newerTypeScriptChecks.forEach((check) => check.catch(() => undefined));
    });

    after(async function () {
        // `work` goes once what reads it has ended: the npm runs of a hook that timed out are stopped; the newer
        // TypeScripts' checks (shared) end within their deadlines.
        this.timeout(CHILD_DEADLINE_MS + 10_000);
        await stopChildren(mark);
        await Promise.all(newerTypeScriptChecks.map((check) => check.catch(() => undefined)));
        fs.rmSync(work, { recursive: true, force: true });
    });

    it("holds only what a consumer needs: compiled code, declarations, AWS's instance-type tables, the guest script, README, LICENSE, package.json", async () => {
        const files = (await run("tar", ["-tzf", tarball], work)).stdout.trim().split("\n").map((f) => f.replace(/^package\//, ""));
        assert.ok(files.includes("dist/index.js") && files.includes("dist/index.d.ts") && files.includes("dist/testing.js"));
        assert.ok(files.includes("dist/awsInstanceNetworkLimits.json") && files.includes("dist/awsInstanceIpv6.json"), "the instance-type tables are not packed");
        assert.ok(files.includes("dist/guest-network.sh"), "guestNetwork's script is not packed");
        assert.ok(files.includes("dist/failoverMover.js"), "the failover mover (automaticFailover's Lambda code) is not packed");
        const unexpected = files.filter((f) => !/^(dist\/(\w+\/)?[\w.]+\.(js|d\.ts)|dist\/(awsInstanceNetworkLimits\.json|awsInstanceIpv6\.json|guest-network\.sh)|README\.md|LICENSE|package\.json)$/.test(f));
        assert.deepStrictEqual(unexpected, []);
    });

    it("is built by npm pack's prepack with the build run here, scripts/build.ts", () => {
        const { scripts } = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> };
        assert.strictEqual(scripts.prepack, "npm run build");
        assert.strictEqual(scripts.build, "ts-node --swc scripts/build.ts");
    });

    it("builds guestNetwork's user data from the installed package: the script ships beside the compiled module", () => {
        const installed = path.join(consumer, "node_modules", "dual-subnet-eni", "dist", "guestNetwork.js");
        const { guestUserData, guestScript } = require(installed) as typeof import("../../components/guestNetwork");
        assert.strictEqual(guestScript(), (require("../../components/guestNetwork") as typeof import("../../components/guestNetwork")).guestScript());
        assert.match(guestUserData("none", "#!/bin/sh\n"), /dual-subnet-eni-guest-network/);
    });

    it("installs its runtime dependency and shares the consumer's single copy of the Pulumi SDK", () => {
        const installed = path.join(consumer, "node_modules", "dual-subnet-eni");
        assert.ok(fs.existsSync(path.join(consumer, "node_modules", "ipaddr.js", "package.json")), "ipaddr.js was not installed");
        const sdkFrom = (dir: string) => fs.realpathSync(require.resolve("@pulumi/pulumi", { paths: [dir] }));
        assert.strictEqual(sdkFrom(installed), sdkFrom(consumer));
        assert.ok(!fs.existsSync(path.join(installed, "node_modules")), "the package brought its own node_modules");
    });

    it("type-checks the consumer against the packed declarations, including the ./testing subpath", () => {
        assert.strictEqual(compile(consumer), "");
    });

    it("resolves types only for the exported entry points, under every module resolution (node10 included: typesVersions)", () => {
        const resolve = (specifier: string, moduleResolution: ts.ModuleResolutionKind) =>
            ts.resolveModuleName(specifier, path.join(consumer, "index.ts"), { moduleResolution, module: ts.ModuleKind.CommonJS }, ts.sys).resolvedModule
                ?.resolvedFileName.split("/node_modules/dual-subnet-eni/")[1];
        for (const kind of [ts.ModuleResolutionKind.Node10, ts.ModuleResolutionKind.Node16, ts.ModuleResolutionKind.Bundler]) {
            const resolved = ["dual-subnet-eni", "dual-subnet-eni/testing", "dual-subnet-eni/dist/cidr", "dual-subnet-eni/dist/validation"].map((s) => resolve(s, kind));
            assert.deepStrictEqual(resolved, ["dist/index.d.ts", "dist/testing.d.ts", undefined, undefined], ts.ModuleResolutionKind[kind]);
        }
    });

    describe("the README's blocks for library users, as written", () => {
        // A package name, without its version range; a packed tarball, `<name>-<version>.tgz`, by its package's name.
        const installed = [...LIBRARY_SECTION.matchAll(/^npm install (?:--save-dev )?(.+?)(?:\s+#.*)?$/gm)]
            .flatMap(([, packages]) => packages.split(/\s+/))
            .map((spec) => (spec.endsWith(".tgz") ? path.basename(spec).replace(/-\d+\.\d+\.\d+\.tgz$/, "") : spec.replace(/(.)@.*$/, "$1")));

        it("are a tsconfig.json, a program and its unit test", () => {
            assert.deepStrictEqual(README_BLOCKS.map((b) => b.file), ["tsconfig.json", "index.ts", "index.test.ts"]);
        });

        it("install the tarball `npm pack` writes for this version", () => {
            const { name, version } = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { name: string; version: string };
            const tarballs = [...LIBRARY_SECTION.matchAll(/\S+\.tgz\b/g)].map(([spec]) => path.basename(spec));
            assert.deepStrictEqual([...new Set(tarballs)], [`${name}-${version}.tgz`]);
        });

        it("import only what the README's install lines install", () => {
            const imported = README_BLOCKS.flatMap((b) => [...b.code.matchAll(/from "([^".][^"]*)"/g)].map(([, specifier]) => specifier));
            const packages = imported.filter((s) => !s.startsWith("node:")).map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]));
            assert.deepStrictEqual([...new Set(packages)].filter((p) => !installed.includes(p)), []);
            if (README_BLOCKS.some((b) => b.code.includes('"node:'))) {
                assert.ok(installed.includes("@types/node"), "the test imports node: modules but @types/node is not installed");
            }
        });

        it("compile with TypeScript 5.9 against the packed library, and the test passes (node --test)", async () => {
            assert.strictEqual(compile(readmeDir), "");
            const result = await run(process.execPath, ["--test", path.join(readmeDir, "bin", "index.test.js")], readmeDir);
            assert.strictEqual(result.exitCode, 0, result.stdout + result.stderr);
            assert.match(result.stdout, /# pass 1\n/);
        });

        it("type-check with TypeScript 6.0 and 7.0 (npm's latest, a native tsc)", async function () {
            this.timeout(CHILD_DEADLINE_MS + 10_000);
            const checks = await Promise.all(newerTypeScriptChecks);
            assert.deepStrictEqual(checks.map((check) => check.version.split(".").slice(0, 2).join(".")), ["6.0", "7.0"]);
            for (const { version, result } of checks) {
                assert.strictEqual(result.exitCode, 0, `TypeScript ${version}:\n${result.stdout}${result.stderr}`);
            }
        });
    });

    it("runs the consumer's program under the packed mocks: two components, one on its own VPC, one on the awsx VPC", async () => {
        // Resolved as the consumer resolves it, through the package's "exports" map.
        const testing = require(require.resolve("dual-subnet-eni/testing", { paths: [consumer] })) as typeof import("../../components/testing");
        await pulumi.runtime.setMocks(testing.createMocks({ region: "ap-south-1" }), "dual-subnet-eni-consumer", "dev", false);
        const registrations = recordRegistrations();
        const program = require(path.join(consumer, "bin", "index.js")) as Record<string, pulumi.Output<string>>;
        await testing.resolveAll(Object.values(program));
        await registrations.settled();

        const components = registrations.filter((r) => r.type === "dual-subnet-eni:index:DualSubnetEniInstance").map((r) => r.name);
        assert.deepStrictEqual(components.sort(), ["on-shared", "standalone"]);
        const under = (component: string, type: string) => registrations.filter((r) => r.type === type && r.parent.endsWith(`::${component}`));
        assert.strictEqual(under("standalone", "aws:ec2/vpc:Vpc").length, 1);
        assert.strictEqual(under("on-shared", "aws:ec2/vpc:Vpc").length, 0);
        const awsxVpc = registrations.find((r) => r.type === "awsx:ec2:Vpc");
        assert.ok(awsxVpc, "no awsx:ec2:Vpc registered");
        const [eni] = under("on-shared", "aws:ec2/networkInterface:NetworkInterface");
        const [instance] = under("on-shared", "aws:ec2/instance:Instance");
        assert.notStrictEqual(eni.inputs.subnetId, instance.inputs.subnetId);
        assert.match(await new Promise<string>((resolve) => program.sharedEniIp.apply(resolve)), /^10\.20\.1\.\d+$/);
    });

    it("passes the consumer's own unit test (node --test, one-line mocks from dual-subnet-eni/testing)", async () => {
        const result = await run(process.execPath, ["--test", path.join(consumer, "bin", "index.test.js")], consumer);
        assert.strictEqual(result.exitCode, 0, result.stdout + result.stderr);
        assert.match(result.stdout, /# pass 2/);
    });
});
