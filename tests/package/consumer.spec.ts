/**
 * The library as another project gets it: `npm pack`, installed from the tarball into a copy of
 * examples/consumer, type-checked there, and its program run under the packed testing helper's mocks.
 * The Pulumi packages (peer dependencies) are the consumer's own, here linked to this project's copies.
 */
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { PROJECT_DIR } from "../../stacks/stackFiles";

const EXAMPLE = path.join(PROJECT_DIR, "examples", "consumer");
const CONSUMER_OWNED = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/awsx", "typescript", "@types/node"];
const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

describe("the packed library, used by examples/consumer", () => {
    let work: string;
    let consumer: string;
    let tarball: string;

    before(() => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-pack-"));
        const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", work], PROJECT_DIR)) as { filename: string }[];
        tarball = path.join(work, packed[0].filename);
        consumer = path.join(work, "consumer");
        fs.cpSync(EXAMPLE, consumer, { recursive: true, filter: (source) => !/(node_modules|bin)$/.test(source) });
        for (const name of CONSUMER_OWNED) {
            fs.mkdirSync(path.dirname(path.join(consumer, "node_modules", name)), { recursive: true });
            fs.symlinkSync(path.join(PROJECT_DIR, "node_modules", name), path.join(consumer, "node_modules", name));
        }
        npm(["install", "--no-save", "--prefer-offline", "--legacy-peer-deps", "--ignore-scripts", "--no-audit", "--no-fund", tarball], consumer);
    });

    after(() => fs.rmSync(work, { recursive: true, force: true }));

    it("holds only what a consumer needs: compiled code, declarations, AWS's instance-type table, the guest script, README, LICENSE, package.json", () => {
        const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n").map((f) => f.replace(/^package\//, ""));
        assert.ok(files.includes("dist/index.js") && files.includes("dist/index.d.ts") && files.includes("dist/testing.js"));
        assert.ok(files.includes("dist/awsInstanceNetworkLimits.json"), "the instance-type table is not packed");
        assert.ok(files.includes("dist/guest-network.sh"), "guestNetwork's script is not packed");
        const unexpected = files.filter((f) => !/^(dist\/[\w.]+\.(js|d\.ts)|dist\/(awsInstanceNetworkLimits\.json|guest-network\.sh)|README\.md|LICENSE|package\.json)$/.test(f));
        assert.deepStrictEqual(unexpected, []);
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
        const result = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", consumer], { encoding: "utf8" });
        assert.strictEqual(result.status, 0, result.stdout + result.stderr);
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
        const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("## Use it from TypeScript or JavaScript (npm)"), readme.indexOf("\n## ", readme.indexOf("## Use it from TypeScript or JavaScript (npm)") + 1));
        const blocks = [...section.matchAll(/<!-- file: (\S+) -->\n```ts\n([\s\S]*?)```/g)].map(([, file, code]) => ({ file, code }));
        const installed = [...section.matchAll(/^npm install (?:--save-dev )?(.+?)(?:\s+#.*)?$/gm)].flatMap(([, packages]) => packages.split(/\s+/));

        it("are a program and its unit test", () => {
            assert.deepStrictEqual(blocks.map((b) => b.file), ["index.ts", "index.test.ts"]);
        });

        it("import only what the README's install lines install", () => {
            const imported = blocks.flatMap((b) => [...b.code.matchAll(/from "([^".][^"]*)"/g)].map(([, specifier]) => specifier));
            const packages = imported.filter((s) => !s.startsWith("node:")).map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]));
            assert.deepStrictEqual([...new Set(packages)].filter((p) => !installed.includes(p)), []);
            if (blocks.some((b) => b.code.includes('"node:'))) {
                assert.ok(installed.includes("@types/node"), "the test imports node: modules but @types/node is not installed");
            }
        });

        it("type-check against the packed library with the TypeScript settings the README states", () => {
            const dir = path.join(consumer, "readme");
            fs.mkdirSync(dir, { recursive: true });
            blocks.forEach((b) => fs.writeFileSync(path.join(dir, b.file), b.code));
            const compilerOptions = { strict: true, module: "commonjs", moduleResolution: "node", esModuleInterop: true, types: ["node"], skipLibCheck: true, noEmit: true, target: "ES2022" };
            fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: blocks.map((b) => b.file) }));
            const result = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", dir], { encoding: "utf8" });
            assert.strictEqual(result.status, 0, result.stdout + result.stderr);
        });
    });

    it("runs the consumer's program under the packed mocks: two components, one on its own VPC, one on the awsx VPC", async () => {
        // Resolved as the consumer resolves it, through the package's "exports" map.
        const testing = require(require.resolve("dual-subnet-eni/testing", { paths: [consumer] })) as typeof import("../../components/testing");
        await pulumi.runtime.setMocks(testing.createMocks({ region: "ap-south-1" }), "dual-subnet-eni-consumer", "dev", false);
        const registrations = testing.recordRegistrations();
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

    it("passes the consumer's own unit test (node --test, one-line mocks from dual-subnet-eni/testing)", () => {
        const result = spawnSync(process.execPath, ["--test", path.join(consumer, "bin", "index.test.js")], { cwd: consumer, encoding: "utf8" });
        assert.strictEqual(result.status, 0, result.stdout + result.stderr);
        assert.match(result.stdout, /# pass 2/);
    });
});
