/**
 * Child processes die with their deadline, their test, or the run: a process that hangs (a node script
 * that sleeps forever and has started a helper of its own) is killed with its process group and reported,
 * and the suite moves on.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { childMark, ChildDeadlineError, ChildResult, runChild, startChild, stopChildren } from "../../tools/childProcess";
import { runStack } from "../../tools/offlinePlan";
import { PROJECT_DIR } from "../../tools/stackFiles";
import { plan } from "../support/planCommand";

// From the source tree, also when the specs run compiled elsewhere (npm run bench).
const HANGING_RUNNER = path.join(PROJECT_DIR, "tests", "support", "hanging", "runner.js");

/** Whether a process runs (a zombie, exited but not yet reaped by its new parent, does not). */
function isRunning(pid: number): boolean {
    try {
        return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
        return false;
    }
}

const pidsIn = (text: string, label: string) => [...text.matchAll(new RegExp(`^${label} (\\d+)$`, "gm"))].map(([, pid]) => Number(pid));

describe("child processes", () => {
    let childMarkBefore = 0;
    beforeEach(() => (childMarkBefore = childMark()));

    it("a child still running at its deadline is killed and reported, with what it printed", async () => {
        const error = await runChild("a sleeping script", process.execPath, [HANGING_RUNNER], { deadlineMs: 100 }).then(
            () => assert.fail("the script was not stopped"),
            (e: unknown) => e,
        );
        assert.ok(error instanceof ChildDeadlineError, String(error));
        assert.match(error.message, /^a sleeping script did not finish within 0\.1 s; it was killed with its process group(\. Its output:\nhelper \d+| \(it printed nothing\))$/);
        assert.strictEqual(error.result.signal, "SIGKILL");
        assert.deepStrictEqual(pidsIn(error.result.stdout, "helper").filter(isRunning), [], "the script's helper still runs");
    });

    it("a child is killed with the processes it started, and has exited when the kill is awaited", async () => {
        let helper = 0;
        let helperStarted: () => void = () => undefined;
        const started = new Promise<void>((resolve) => (helperStarted = resolve));
        const child = startChild(process.execPath, [HANGING_RUNNER], {
            deadlineMs: 60_000,
            onStdout: (text) => {
                helper = pidsIn(text, "helper")[0] ?? helper;
                helperStarted();
            },
        });
        await Promise.race([started, child.done.then((result) => assert.fail(`the child exited before starting its helper:\n${result.stdout}${result.stderr}`))]);
        assert.ok(isRunning(helper), "the helper did not start");
        assert.strictEqual(await stopChildren(childMarkBefore), 1);
        assert.strictEqual(isRunning(child.pid), false, "the child still runs");
        assert.strictEqual(isRunning(helper), false, `the child's helper ${helper} still runs`);
        assert.strictEqual((await child.done).signal, "SIGKILL");
    });

    it("a tool interrupted by SIGTERM (or Ctrl-C) stops its children and what they started, then exits 143", async () => {
        const pids: number[] = [];
        let bothStarted: () => void = () => undefined;
        const started = new Promise<void>((resolve) => (bothStarted = resolve));
        const tool = startChild(process.execPath, [path.join(PROJECT_DIR, "tests", "support", "hanging", "interrupted.js")], {
            deadlineMs: 60_000,
            onStdout: (text) => {
                pids.push(...pidsIn(text, "started"), ...pidsIn(text, "helper"));
                if (pids.length === 2) {
                    bothStarted();
                }
            },
        });
        await Promise.race([started, tool.done.then((result) => assert.fail(`the tool exited first:\n${result.stdout}${result.stderr}`))]);
        process.kill(tool.pid, "SIGTERM");
        const result = await tool.done;
        assert.strictEqual(result.exitCode, 143, result.stderr);
        assert.deepStrictEqual(pids.filter(isRunning), [], "a child or its helper still runs");
    });

    it("a hanging runner fails its stack with the deadline named, and the plan goes on to the next stack", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-hang-"));
        try {
            for (const entry of ["Pulumi.yaml", "Pulumi.dev.yaml"]) {
                fs.copyFileSync(path.join(PROJECT_DIR, entry), path.join(dir, entry));
            }
            fs.copyFileSync(path.join(dir, "Pulumi.dev.yaml"), path.join(dir, "Pulumi.qa.yaml"));
            const { code, out, err } = await plan(["dev", "qa"], dir, (stack, at) => runStack(stack, at, process.env, { runner: HANGING_RUNNER, deadlineMs: 100 }));
            assert.strictEqual(code, 1);
            assert.strictEqual(out, "");
            const reports = err.split(/\n(?=error: )/);
            assert.deepStrictEqual(
                reports.map((report) => /^error: .*? process group/.exec(report)?.[0]),
                ["dev", "qa"].map((stack) => `error: the runner (cmd/run) of stack ${stack} did not finish within 0.1 s; it was killed with its process group`),
            );
            assert.deepStrictEqual(pidsIn(err, "helper").filter(isRunning), [], "a runner's helper still runs");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    describe("a test that times out with its child running (in a mocha of its own)", () => {
        const FIXTURE_DEADLINE_MS = 60_000;
        let result: ChildResult;

        before(async function () {
            this.timeout(FIXTURE_DEADLINE_MS + 10_000);
            const mocha = path.join(PROJECT_DIR, "node_modules", "mocha", "bin", "mocha.js");
            const fixture = ["--require", "tests/support/register.js", "--require", "tests/support/childHooks.ts", "--reporter", "json", "tests/support/hanging/leftChild.fixture.ts"];
            result = await runChild("mocha on leftChild.fixture.ts", process.execPath, [mocha, "--no-config", ...fixture], { cwd: PROJECT_DIR, deadlineMs: FIXTURE_DEADLINE_MS });
        });

        it("fails that test on its timeout, runs the next one, and mocha exits by itself", () => {
            const report = JSON.parse(result.stdout) as { stats: { passes: number; failures: number }; failures: { err: { message: string } }[] };
            assert.deepStrictEqual([result.exitCode, report.stats.passes, report.stats.failures], [1, 1, 1], result.stderr);
            assert.match(report.failures[0].err.message, /^Timeout of 300ms exceeded/);
        });

        it("kills the test's child, and the process that child started, when the test ends", () => {
            const left = [...pidsIn(result.stderr, "child"), ...pidsIn(result.stderr, "helper")];
            assert.strictEqual(left.length, 2, result.stderr);
            assert.deepStrictEqual(left.filter(isRunning), [], "the test's child or its helper outlived the test");
        });
    });
});
