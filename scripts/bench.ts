/**
 * npm run bench [-- --json] [--runs N]
 * Measures (1) the unit suite's wall time in each runner mode and the share spent compiling TypeScript,
 * (2) one program with 1, 10 and 100 components under the mocks: wall time, time per component, peak
 * RSS, data-source calls, (3) the dev, staging and prod stacks' dependency graphs: resources, the longest dependency chain
 * (what a real `pulumi up` must wait for) and any dependency edge that no input's data requires.
 * Targets are printed beside the figures; nothing here fails a build.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RecordedRegistration, skipPulumiStackCaptures } from "../components/testing";
import { nameOfUrn, runStack } from "../stacks/offlinePlan";
import { PROJECT_DIR } from "../stacks/stackFiles";

const BIN = path.join(PROJECT_DIR, "node_modules", ".bin");
const BUILD = path.join(PROJECT_DIR, "node_modules", ".cache", "bench-build");

function run(command: string, args: string[]): number {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: PROJECT_DIR, encoding: "utf8" });
    if (result.status !== 0) {
        throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
    }
    return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

const timed = (runs: number, command: string, args: string[]) => median(Array.from({ length: runs }, () => run(command, args)));

function suiteTimes(runs: number) {
    const mocha = path.join(BIN, "mocha");
    const specs = "tests/*.spec.ts";
    const typecheck = timed(runs, path.join(BIN, "tsc"), ["--noEmit", "-p", "tsconfig.json"]);
    const transpileOnly = timed(runs, mocha, []);
    const typeCheckingLoad = timed(runs, mocha, ["--no-config", "--timeout", "60000", "--require", "ts-node/register", "--require", "tests/setup.ts", specs]);
    const sdkStackCaptures = timed(runs, mocha, ["--no-config", "--timeout", "60000", "--require", "ts-node/register/transpile-only", specs]);
    fs.rmSync(BUILD, { recursive: true, force: true });
    const emit = run(path.join(BIN, "tsc"), ["-p", "tsconfig.json", "--outDir", BUILD, "--declaration", "false"]);
    // tsc copies no shell script: guestNetwork.js reads its asset beside itself, as in the package's dist/.
    fs.copyFileSync(path.join(PROJECT_DIR, "components", "guest-network.sh"), path.join(BUILD, "components", "guest-network.sh"));
    // The schema and construct specs run the SDK's analyzer on the TypeScript source, which a compiled copy lacks.
    const needSource = ["schema", "construct"].flatMap((spec) => ["--ignore", `${BUILD}/tests/${spec}.spec.js`]);
    const compiledArgs = ["--no-config", "--timeout", "60000", "--enable-source-maps", "--require", `${BUILD}/tests/setup.js`, ...needSource, `${BUILD}/tests/*.spec.js`];
    const compiled = timed(runs, mocha, compiledArgs);
    // Loading alone (--dry-run): the difference between the two runners is the TypeScript compilation.
    const loadTypeScript = timed(runs, mocha, ["--dry-run"]);
    const loadJavaScript = timed(runs, mocha, ["--dry-run", ...compiledArgs]);
    return {
        runs,
        "npm test unit part (tsc --noEmit + transpile-only suite)": typecheck + transpileOnly,
        "tsc --noEmit": typecheck,
        "suite, ts-node transpile-only (default)": transpileOnly,
        "suite, ts-node type-checking on load": typeCheckingLoad,
        "suite, transpile-only without skipPulumiStackCaptures": sdkStackCaptures,
        "tsc emit to JavaScript": emit,
        "suite, compiled JavaScript with source maps": compiled,
        "loading the suite, ts-node transpile-only (mocha --dry-run)": loadTypeScript,
        "loading the suite, compiled JavaScript (mocha --dry-run)": loadJavaScript,
        "share of the default suite spent compiling TypeScript": Math.max(0, loadTypeScript - loadJavaScript) / transpileOnly,
    };
}

interface ScaleRun {
    count: number;
    ms: number;
    resources: number;
    invokes: number;
    maxRssMb: number;
}

function scale(count: number, runs: number, extra: string[] = []): ScaleRun & { msPerComponent: number } {
    const results = Array.from({ length: runs }, () => {
        const out = spawnSync(path.join(BIN, "ts-node"), ["-T", "scripts/benchScale.ts", String(count), ...extra], { cwd: PROJECT_DIR, encoding: "utf8" });
        if (out.status !== 0) {
            throw new Error(out.stderr);
        }
        return JSON.parse(out.stdout) as ScaleRun;
    });
    const ms = median(results.map((r) => r.ms));
    return { ...results[0], ms, maxRssMb: Math.max(...results.map((r) => r.maxRssMb)), msPerComponent: ms / count };
}

/** The longest chain of dependencies ending at each resource, by logical name. */
function longestChains(resources: readonly RecordedRegistration[]): Map<string, string[]> {
    const byName = new Map(resources.map((r) => [r.name, r]));
    const chains = new Map<string, string[]>();
    const chain = (r: RecordedRegistration): string[] => {
        const known = chains.get(r.name);
        if (known) {
            return known;
        }
        const before = r.dependencies
            .map((urn) => byName.get(nameOfUrn(urn)))
            .filter((d): d is RecordedRegistration => d !== undefined)
            .map(chain)
            .reduce<string[]>((longest, c) => (c.length > longest.length ? c : longest), []);
        chains.set(r.name, [...before, r.name]);
        return chains.get(r.name)!;
    };
    resources.forEach(chain);
    return chains;
}

async function graph(stack: string) {
    const { registrations } = await runStack(stack);
    const resources = registrations.filter((r) => r.custom);
    const chains = longestChains(resources);
    const critical = [...chains.values()].reduce((a, b) => (b.length > a.length ? b : a));
    const instance = resources.find((r) => r.type === "aws:ec2/instance:Instance")!;
    const nonDataEdges = resources.flatMap((r) => {
        const data = new Set(Object.values(r.propertyDependencies).flat());
        return r.dependencies.filter((urn) => !data.has(urn)).map((urn) => `${r.name} → ${nameOfUrn(urn)}`);
    });
    return {
        resources: resources.length,
        "longest chain": critical,
        "chain to the instance": chains.get(instance.name)!,
        "ENI or its security group on the instance's chain": chains.get(instance.name)!.some((name) => /-eni$|-secondary-sg$/.test(name)),
        "edges no input requires": nonDataEdges,
    };
}

function table(title: string, rows: [string, string][]): string {
    const width = Math.max(...rows.map(([k]) => k.length));
    return [`${title}`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join("\n");
}

/** Milliseconds for a fixed CPU-bound loop: this machine's speed at the time, to compare runs made apart. */
function referenceLoopMs(): number {
    const start = process.hrtime.bigint();
    let sum = 0;
    for (let i = 0; i < 3e8; i++) {
        sum += i % 7;
    }
    return sum > 0 ? Number(process.hrtime.bigint() - start) / 1e6 : 0;
}

async function main(args: string[]): Promise<void> {
    const runsFlag = args.indexOf("--runs");
    const runs = runsFlag >= 0 ? Number(args[runsFlag + 1]) : 3;
    const machine = {
        date: new Date().toISOString().slice(0, 10),
        cpus: os.cpus().length,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        referenceLoopMs: referenceLoopMs(),
    };
    const suite = suiteTimes(runs);
    const programs = [1, 10, 100].map((n) => scale(n, runs));
    const withSdkCaptures = scale(100, 1, ["--sdk-stack-captures"]);
    skipPulumiStackCaptures();
    const dependencies = { dev: await graph("dev"), staging: await graph("staging"), prod: await graph("prod") };
    const report = { machine: { ...machine, referenceLoopMsAfter: referenceLoopMs() }, suite, programs, "100 components without skipPulumiStackCaptures": withSdkCaptures, dependencies };
    if (args.includes("--json")) {
        console.log(JSON.stringify(report, null, 2));
        return;
    }
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`${machine.date}, ${machine.cpus} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; medians of ${runs} runs`);
    console.log(`reference loop (machine speed; lower is faster): ${machine.referenceLoopMs.toFixed(0)} ms before, ${report.machine.referenceLoopMsAfter.toFixed(0)} ms after\n`);
    console.log(table("1. Unit suite (target: under 10 s)", Object.entries(suite).filter(([k]) => k !== "runs").map(([k, v]) => [k, k.startsWith("share") ? `${Math.round((v as number) * 100)} %` : s(v as number)])));
    console.log();
    console.log(
        table(
            "2. One program, N components under mocks (target: 100 in under 5 s, linear)",
            [...programs, { ...withSdkCaptures, count: "100, SDK stack captures" }].map((p) => [
                `N = ${p.count}`,
                `${s(p.ms)}  ${p.msPerComponent.toFixed(1)} ms/component  peak RSS ${p.maxRssMb.toFixed(0)} MB  ${p.resources} registrations  ${p.invokes} data-source calls`,
            ]),
        ),
    );
    const growth = (programs[2].maxRssMb - programs[1].maxRssMb) / 90;
    console.log(`  RSS growth 10 → 100: ${growth.toFixed(2)} MB/component; time/component at 100 vs 10: ×${(programs[2].msPerComponent / programs[1].msPerComponent).toFixed(2)}`);
    for (const [stack, graphOf] of Object.entries(dependencies)) {
        console.log();
        console.log(
            table(`3. Dependency graph of the ${stack} stack`, [
                ["resources", String(graphOf.resources)],
                ["longest chain", graphOf["longest chain"].join(" → ")],
                ["chain to the instance", graphOf["chain to the instance"].join(" → ")],
                ["ENI or its SG on it", String(graphOf["ENI or its security group on the instance's chain"])],
                ["edges no input requires", graphOf["edges no input requires"].join(", ") || "none"],
            ]),
        );
    }
}

main(process.argv.slice(2)).then(
    () => process.exit(0),
    (error) => {
        console.error(error);
        process.exit(1);
    },
);
