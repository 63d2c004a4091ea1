/**
 * npm run bench [-- --json] [--runs N]      (npm run bench -- --help)
 * Measures (0) `npm test` and the unit suite as `npm test` runs it, (1) the unit suite's wall time in
 * each runner mode and the share spent compiling TypeScript,
 * (2) one program with 1, 10 and 100 components under the mocks: wall time, time per component, peak
 * RSS, data-source calls, (3) the dev, staging and prod stacks' dependency graphs: resources, the longest dependency chain
 * (what a real `pulumi up` must wait for) and any dependency edge that no input's data requires.
 * Targets are printed beside the figures; nothing here fails a build. A command that fails or passes its
 * deadline is reported as failed, with the end of its output, and the bench goes on.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ChildDeadlineError, runChild } from "../tools/childProcess";
import type { RecordedRegistration } from "../tools/sdkInternals";
import { progress, runAsCli, runsFromArgs } from "./cli";
import { PROJECT_DIR } from "../tools/stackFiles";

const BIN = path.join(PROJECT_DIR, "node_modules", ".bin");
const BUILD = path.join(PROJECT_DIR, "node_modules", ".cache", "bench-build");
/** One command's deadline: npm test takes about a minute on a quiet 2-core machine. */
const COMMAND_DEADLINE_MS = 10 * 60_000;

export const USAGE = `usage: npm run bench -- [--runs N] [--json] [--npm-test-only]

Measures, each figure the median of N runs (default 3): npm test and its parts (tsc --noEmit, the unit
suite, the package test), the unit suite in other runner modes, one program with 1, 10 and 100
components under the mocks, and the dev, staging and prod stacks' dependency graphs. Takes minutes
(about 15 with N = 3 on 2 cores). A command that fails, or runs past its ${COMMAND_DEADLINE_MS / 60_000}-minute deadline, is
reported as failed and the bench goes on.

  --runs N          runs per figure
  --json            print the report as JSON
  --npm-test-only   measure npm test and its parts only (a few minutes)
  --help            print this help`;

/** A command that failed: what it was and the end of its output. */
export class CommandFailed {
    constructor(
        readonly command: string,
        readonly reason: string,
    ) {}
    toString(): string {
        return `failed: ${this.command}: ${this.reason}`;
    }
}

type Measured = number | CommandFailed;

async function run(command: string, args: string[]): Promise<Measured> {
    const what = `${path.basename(command)} ${args.join(" ")}`;
    progress("bench", `${what}: started`);
    try {
        const result = await runChild(what, command, args, { cwd: PROJECT_DIR, deadlineMs: COMMAND_DEADLINE_MS });
        progress("bench", `${what}: ${result.exitCode === 0 ? "done" : `failed (exit code ${result.exitCode})`} in ${(result.ms / 1000).toFixed(1)} s`);
        if (result.exitCode !== 0) {
            return new CommandFailed(what, `exit code ${result.exitCode}; its output ends:\n${`${result.stdout}${result.stderr}`.trimEnd().split("\n").slice(-15).join("\n")}`);
        }
        return result.ms;
    } catch (error) {
        return new CommandFailed(what, error instanceof ChildDeadlineError ? `killed at its deadline of ${COMMAND_DEADLINE_MS / 60_000} min` : String(error));
    }
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

/** The median of `runs` runs, or the first failure. */
async function timed(runs: number, command: string, args: string[]): Promise<Measured> {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
        const measured = await run(command, args);
        if (measured instanceof CommandFailed) {
            return measured;
        }
        times.push(measured);
    }
    return median(times);
}

const sum = (...parts: Measured[]): Measured => parts.find((p) => p instanceof CommandFailed) ?? parts.reduce<number>((a, b) => a + (b as number), 0);

async function npmTestTimes(runs: number) {
    return {
        "npm test": await timed(runs, "npm", ["test"]),
        "unit suite as npm test runs it (npm run test:unit)": await timed(runs, path.join(BIN, "mocha"), []),
        "integration suite (npm run test:integration)": await timed(runs, path.join(BIN, "mocha"), ["--config", "tests/integration/.mocharc.js"]),
        "package test (npm run test:package)": await timed(runs, path.join(BIN, "mocha"), ["--config", "tests/package/.mocharc.js"]),
    };
}

async function suiteTimes(runs: number) {
    const mocha = path.join(BIN, "mocha");
    const specs = "tests/*.spec.ts";
    const typecheck = await timed(runs, path.join(BIN, "tsc"), ["--noEmit", "-p", "tsconfig.json"]);
    const transpileOnly = await timed(runs, mocha, []);
    const typeScriptTranspiler = await timed(runs, mocha, ["--no-config", "--timeout", "600000", "--require", "ts-node/register/transpile-only", "--require", "tests/support/setup.ts", specs]);
    const typeCheckingLoad = await timed(runs, mocha, ["--no-config", "--timeout", "600000", "--require", "ts-node/register", "--require", "tests/support/setup.ts", specs]);
    const sdkStackCaptures = await timed(runs, mocha, ["--no-config", "--timeout", "600000", "--require", "tests/support/register.js", specs]);
    fs.rmSync(BUILD, { recursive: true, force: true });
    const emit = await run(path.join(BIN, "tsc"), ["-p", "tsconfig.json", "--outDir", BUILD, "--declaration", "false"]);
    if (typeof emit === "number") {
        // tsc copies no shell script: guestNetwork.js reads its asset beside itself, as in the package's dist/.
        fs.copyFileSync(path.join(PROJECT_DIR, "components", "guest-network.sh"), path.join(BUILD, "components", "guest-network.sh"));
    }
    const compiledArgs = ["--no-config", "--timeout", "600000", "--enable-source-maps", "--require", `${BUILD}/tests/support/setup.js`, `${BUILD}/tests/*.spec.js`];
    const compiled = await timed(runs, mocha, compiledArgs);
    // Loading alone (--dry-run): the difference between the two runners is the TypeScript compilation.
    const loadTypeScript = await timed(runs, mocha, ["--dry-run"]);
    const loadJavaScript = await timed(runs, mocha, ["--dry-run", ...compiledArgs]);
    const share = typeof loadTypeScript === "number" && typeof loadJavaScript === "number" && typeof transpileOnly === "number" ? Math.max(0, loadTypeScript - loadJavaScript) / transpileOnly : NaN;
    return {
        runs,
        "npm test unit part (tsc --noEmit + transpile-only suite)": sum(typecheck, transpileOnly),
        "tsc --noEmit": typecheck,
        "suite, ts-node transpile-only with SWC (default)": transpileOnly,
        "suite, ts-node transpile-only with TypeScript's transpiler": typeScriptTranspiler,
        "suite, ts-node type-checking on load": typeCheckingLoad,
        "suite, transpile-only without skipPulumiStackCaptures": sdkStackCaptures,
        "tsc emit to JavaScript": emit,
        "suite, compiled JavaScript with source maps": compiled,
        "loading the suite, ts-node transpile-only (mocha --dry-run)": loadTypeScript,
        "loading the suite, compiled JavaScript (mocha --dry-run)": loadJavaScript,
        "share of the default suite spent compiling TypeScript": share,
    };
}

interface ScaleRun {
    count: number;
    ms: number;
    resources: number;
    invokes: number;
    maxRssMb: number;
}

type ScaleFigures = ScaleRun & { msPerComponent: number };

async function scale(count: number, runs: number, extra: string[] = []): Promise<ScaleFigures | CommandFailed> {
    const results: ScaleRun[] = [];
    for (let i = 0; i < runs; i++) {
        const what = `ts-node --swc scripts/benchScale.ts ${[count, ...extra].join(" ")}`;
        const result = await runChild(what, path.join(BIN, "ts-node"), ["--swc", "scripts/benchScale.ts", String(count), ...extra], { cwd: PROJECT_DIR, deadlineMs: COMMAND_DEADLINE_MS }).catch((error: Error) => error);
        if (result instanceof Error || result.exitCode !== 0) {
            return new CommandFailed(what, result instanceof Error ? result.message : result.stderr);
        }
        results.push(JSON.parse(result.stdout) as ScaleRun);
    }
    const ms = median(results.map((r) => r.ms));
    return { ...results[0], ms, maxRssMb: Math.max(...results.map((r) => r.maxRssMb)), msPerComponent: ms / count };
}

/** The longest chain of dependencies ending at each resource, by logical name. */
function longestChains(resources: readonly RecordedRegistration[], nameOfUrn: (urn: string) => string): Map<string, string[]> {
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
    const { nameOfUrn, runStack } = await import("../tools/offlinePlan");
    const { registrations } = await runStack(stack);
    const resources = registrations.filter((r) => r.custom);
    const chains = longestChains(resources, nameOfUrn);
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

async function main(args: string[]): Promise<number> {
    const parsed = runsFromArgs(args, USAGE, ["--json", "--npm-test-only"]);
    if (typeof parsed === "number") {
        return parsed;
    }
    const { runs } = parsed;
    progress("bench", `measuring the machine's speed (reference loop), then ${args.includes("--npm-test-only") ? "npm test and its parts" : "everything"}, ${runs} runs each`);
    const machine = {
        date: new Date().toISOString().slice(0, 10),
        cpus: os.cpus().length,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        referenceLoopMs: referenceLoopMs(),
    };
    const npmTest = await npmTestTimes(runs);
    if (args.includes("--npm-test-only")) {
        const report = { machine: { ...machine, referenceLoopMsAfter: referenceLoopMs() }, "npm test": npmTest };
        console.log(args.includes("--json") ? JSON.stringify(report, (_key, value: unknown) => (value instanceof CommandFailed ? String(value) : value), 2) : table(`${machine.date}, ${machine.cpus} cores, Node ${machine.node}; medians of ${runs} runs; reference loop ${machine.referenceLoopMs.toFixed(0)} ms before, ${report.machine.referenceLoopMsAfter.toFixed(0)} ms after`, Object.entries(npmTest).map(([k, v]) => [k, v instanceof CommandFailed ? String(v) : `${(v / 1000).toFixed(2)} s`])));
        return 0;
    }
    const suite = await suiteTimes(runs);
    const programs = [await scale(1, runs), await scale(10, runs), await scale(100, runs)];
    const withSdkCaptures = await scale(100, 1, ["--sdk-stack-captures"]);
    const { skipPulumiStackCaptures } = await import("../tools/sdkInternals");
    skipPulumiStackCaptures();
    const dependencies: Record<string, Awaited<ReturnType<typeof graph>> | CommandFailed> = {};
    for (const stack of ["dev", "staging", "prod"]) {
        dependencies[stack] = await graph(stack).catch((error: Error) => new CommandFailed(`the ${stack} stack through the runner`, error.message));
    }
    const report = { machine: { ...machine, referenceLoopMsAfter: referenceLoopMs() }, "npm test": npmTest, suite, programs, "100 components without skipPulumiStackCaptures": withSdkCaptures, dependencies };
    if (args.includes("--json")) {
        console.log(JSON.stringify(report, (_key, value: unknown) => (value instanceof CommandFailed ? String(value) : value), 2));
        return 0;
    }
    const s = (ms: Measured) => (ms instanceof CommandFailed ? String(ms) : `${(ms / 1000).toFixed(2)} s`);
    console.log(`${machine.date}, ${machine.cpus} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; medians of ${runs} runs`);
    console.log(`reference loop (machine speed; lower is faster): ${machine.referenceLoopMs.toFixed(0)} ms before, ${report.machine.referenceLoopMsAfter.toFixed(0)} ms after\n`);
    console.log(table("0. npm test (target: under 60 s) and the unit suite (target: under 15 s)", Object.entries(npmTest).map(([k, v]) => [k, s(v)])));
    console.log();
    console.log(table("1. Unit suite in each mode", Object.entries(suite).filter(([k]) => k !== "runs").map(([k, v]) => [k, k.startsWith("share") ? `${Math.round((v as number) * 100)} %` : s(v as Measured)])));
    console.log();
    const scaled = [...programs.map((p, i) => [`N = ${[1, 10, 100][i]}`, p] as const), ["N = 100, SDK stack captures", withSdkCaptures] as const];
    console.log(
        table(
            "2. One program, N components under mocks (target: 100 in under 5 s, linear)",
            scaled.map(([label, p]) => [
                label,
                p instanceof CommandFailed ? String(p) : `${s(p.ms)}  ${p.msPerComponent.toFixed(1)} ms/component  peak RSS ${p.maxRssMb.toFixed(0)} MB  ${p.resources} registrations  ${p.invokes} data-source calls`,
            ]),
        ),
    );
    const [, ten, hundred] = programs;
    if (!(ten instanceof CommandFailed) && !(hundred instanceof CommandFailed)) {
        console.log(`  RSS growth 10 → 100: ${((hundred.maxRssMb - ten.maxRssMb) / 90).toFixed(2)} MB/component; time/component at 100 vs 10: ×${(hundred.msPerComponent / ten.msPerComponent).toFixed(2)}`);
    }
    for (const [stack, graphOf] of Object.entries(dependencies)) {
        console.log();
        const rows: [string, string][] =
            graphOf instanceof CommandFailed
                ? [["failed", String(graphOf)]]
                : [
                      ["resources", String(graphOf.resources)],
                      ["longest chain", graphOf["longest chain"].join(" → ")],
                      ["chain to the instance", graphOf["chain to the instance"].join(" → ")],
                      ["ENI or its SG on it", String(graphOf["ENI or its security group on the instance's chain"])],
                      ["edges no input requires", graphOf["edges no input requires"].join(", ") || "none"],
                  ];
        console.log(table(`3. Dependency graph of the ${stack} stack`, rows));
    }
    return 0;
}

runAsCli(module, main);
