/**
 * npm run stress [-- --runs N]      (npm run stress -- --help)
 * Runs `npm test` N times in a row (default 3) while two CPU-bound processes compete for the cores, and
 * prints each run's result and time, then runs, passes and times. Every process it starts (the two
 * loads, npm test and what npm starts) is killed at the end, also on Ctrl-C. Exit code 1 unless every
 * run passed.
 */
import * as os from "os";
import { ChildDeadlineError, runChild, startChild, stopChildren } from "../tools/childProcess";
import { PROJECT_DIR } from "../tools/stackFiles";
import { progress, runAsCli, runsFromArgs } from "./cli";

/** One `npm test` under load: about a minute quiet, so this is a hang, not a slow machine. */
const RUN_DEADLINE_MS = 15 * 60_000;
const COMPETITORS = 2;

export const USAGE = `usage: npm run stress -- [--runs N]

Runs npm test N times in a row (default 3) while ${COMPETITORS} CPU-bound processes compete for the cores,
then prints runs, passes and times. A run that takes more than ${RUN_DEADLINE_MS / 60_000} minutes is killed and
counts as failed. Every process started here is killed at the end.`;

interface RunResult {
    readonly passed: boolean;
    readonly seconds: number;
    /** The end of the output of a failed run. */
    readonly detail?: string;
}

/** How often a run still going says so. */
const HEARTBEAT_MS = 20_000;

async function npmTest(run: number, runs: number): Promise<RunResult> {
    const start = Date.now();
    progress("stress", `run ${run} of ${runs}: npm test started`);
    const heartbeat = setInterval(() => progress("stress", `run ${run} of ${runs}: npm test still running`), HEARTBEAT_MS);
    try {
        const result = await runChild("npm test", "npm", ["test"], { cwd: PROJECT_DIR, deadlineMs: RUN_DEADLINE_MS });
        const tail = `${result.stdout}${result.stderr}`.trimEnd().split("\n").slice(-40).join("\n");
        return { passed: result.exitCode === 0, seconds: result.ms / 1000, ...(result.exitCode === 0 ? {} : { detail: tail }) };
    } catch (error) {
        return { passed: false, seconds: (Date.now() - start) / 1000, detail: error instanceof ChildDeadlineError ? error.message.split("\n").slice(-40).join("\n") : String(error) };
    } finally {
        clearInterval(heartbeat);
    }
}

async function main(args: string[]): Promise<number> {
    const parsed = runsFromArgs(args, USAGE);
    if (typeof parsed === "number") {
        return parsed;
    }
    const { runs } = parsed;
    console.log(`${new Date().toISOString()}: npm test ${runs} times, ${COMPETITORS} CPU-bound processes competing for ${os.cpus().length} cores`);
    for (let i = 0; i < COMPETITORS; i++) {
        startChild(process.execPath, ["-e", "for (;;) {}"], { deadlineMs: runs * RUN_DEADLINE_MS + 60_000 });
    }
    const results: RunResult[] = [];
    try {
        for (let i = 1; i <= runs; i++) {
            const result = await npmTest(i, runs);
            results.push(result);
            console.log(`run ${i}: ${result.passed ? "passed" : "FAILED"} in ${result.seconds.toFixed(1)} s${result.detail ? `\n${result.detail}` : ""}`);
        }
    } finally {
        await stopChildren();
    }
    const passes = results.filter((r) => r.passed).length;
    console.log(`runs ${runs}, passes ${passes}, times ${results.map((r) => `${r.seconds.toFixed(0)} s`).join(", ")} (load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")})`);
    return passes === runs ? 0 : 1;
}

runAsCli(module, main);
