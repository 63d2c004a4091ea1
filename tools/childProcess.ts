/**
 * Child processes with a deadline. Each child leads a process group of its own (`detached`), so that
 * killing it also kills what it started (npm's scripts, a runner's workers); it is killed when its
 * deadline passes, when `stopChildren` is called (a test's cleanup) and when this process exits or is
 * interrupted (SIGINT, SIGTERM). The
 * promise settles only once the child has exited and its output is closed, so whatever follows (deleting
 * its folder) never races it.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import { Writable } from "stream";

export interface ChildOptions {
    readonly cwd?: string;
    readonly env?: NodeJS.ProcessEnv;
    /** Milliseconds the child may run; then it is killed with its process group. */
    readonly deadlineMs: number;
    /** Called with each chunk of stdout as it arrives (e.g. to read a port the child prints). */
    readonly onStdout?: (text: string) => void;
    /** Serves several tests (started in the background for them): `stopChildren(mark)` leaves it running. */
    readonly shared?: boolean;
    /**
     * Gives the child a pipe as stdin (`RunningChild.stdin`), for a child that reads requests while it runs
     * and exits when the pipe closes; without it, stdin is /dev/null.
     */
    readonly stdinPipe?: boolean;
}

export interface ChildResult {
    /** Exit code; null when a signal ended it. */
    readonly exitCode: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
    /** Whether the deadline passed and the child was killed for it. */
    readonly timedOut: boolean;
    readonly ms: number;
}

/** A child killed at its deadline; the message names the command and the deadline, and shows its output. */
export class ChildDeadlineError extends Error {
    constructor(
        readonly what: string,
        readonly result: ChildResult,
        deadlineMs: number,
    ) {
        const output = `${result.stdout}${result.stderr}`.trimEnd();
        super(`${what} did not finish within ${deadlineMs / 1000} s; it was killed with its process group${output ? `. Its output:\n${output}` : " (it printed nothing)"}`);
        this.name = "ChildDeadlineError";
    }
}

export interface RunningChild {
    readonly pid: number;
    /** The child's stdin with `stdinPipe`, else null. Writes after the child has exited are dropped. */
    readonly stdin: Writable | null;
    /** Settles when the child has exited and its output is closed. */
    readonly done: Promise<ChildResult>;
    /** Kills the child's process group; `done` settles once it has exited. */
    kill(): void;
}

/** Running children, each with the number it was started as (0 for a shared one). */
const running = new Map<RunningChild, number>();
let started = 0;

/** Signals a process group (SIGKILL unless told), ignoring one that is already gone. */
function killGroup(pid: number, signal: NodeJS.Signals = "SIGKILL"): void {
    try {
        process.kill(-pid, signal);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ESRCH") {
            throw error;
        }
    }
}

/**
 * Whether a process of the group still runs. On Linux, from /proc: an exited process whose new parent has
 * not reaped it yet (a zombie; a container's init may take its time) has stopped running. Elsewhere any
 * process of the group counts.
 */
function groupRuns(pid: number): boolean {
    if (fs.existsSync("/proc/self/stat")) {
        return fs.readdirSync("/proc").some((entry) => {
            if (!/^\d+$/.test(entry)) {
                return false;
            }
            try {
                // After the command name in parentheses: state, parent id, group id.
                const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
                const [state, , group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
                return Number(group) === pid && state !== "Z" && state !== "X";
            } catch {
                return false;
            }
        });
    }
    try {
        process.kill(-pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code !== "ESRCH";
    }
}

/** How long to wait for the rest of a killed group to be gone: SIGKILL takes effect when each is next scheduled. */
const GROUP_EXIT_WAIT_MS = 10_000;

/**
 * Resolves once no process of the groups runs. The kernel gives no event for that, so this looks again with
 * growing pauses (1, 2, 4 … ms), at most GROUP_EXIT_WAIT_MS in all.
 */
async function untilGroupsGone(pids: readonly number[]): Promise<void> {
    for (let waited = 0, pause = 1; pids.some(groupRuns) && waited < GROUP_EXIT_WAIT_MS; waited += pause, pause = Math.min(pause * 2, 200)) {
        await new Promise((resolve) => setTimeout(resolve, pause));
    }
}

/** Kills what is left of a group whose leader has exited and resolves once the group is gone. */
async function killRestOfGroup(pid: number): Promise<void> {
    killGroup(pid);
    await untilGroupsGone([pid]);
}

process.on("exit", () => running.forEach((_, child) => killGroup(child.pid)));

/**
 * Ctrl-C or a SIGTERM stops the children too: each group first gets SIGTERM, so that a child that uses this
 * module stops its own children the same way; what still runs after GROUP_EXIT_WAIT_MS is killed on exit.
 */
for (const [signal, exitCode] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.once(signal, () => {
        const groups = [...running.keys()].map((child) => child.pid).filter((pid) => pid > 0);
        groups.forEach((pid) => killGroup(pid, "SIGTERM"));
        void untilGroupsGone(groups).then(() => process.exit(exitCode));
    });
}

/** Starts `command` in a process group of its own, with a deadline. */
export function startChild(command: string, args: readonly string[], options: ChildOptions): RunningChild {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: [options.stdinPipe ? "pipe" : "ignore", "pipe", "pipe"], detached: true });
    // A write to a child that has exited fails with EPIPE: `done` reports the exit, the write is dropped.
    child.stdin?.on("error", () => undefined);
    const stdout: string[] = [];
    const stderr: string[] = [];
    child.stdout!.setEncoding("utf8").on("data", (text: string) => {
        stdout.push(text);
        options.onStdout?.(text);
    });
    child.stderr!.setEncoding("utf8").on("data", (text: string) => stderr.push(text));
    let timedOut = false;
    const handle: RunningChild = {
        pid: child.pid ?? -1,
        stdin: child.stdin,
        kill: () => (child.pid !== undefined && child.exitCode === null && child.signalCode === null ? killGroup(child.pid) : undefined),
        done: new Promise<ChildResult>((resolve, reject) => {
            const timer = setTimeout(() => {
                timedOut = true;
                handle.kill();
            }, options.deadlineMs);
            // The group may hold processes that outlived their leader: they go too, before the promise settles.
            const finish = async () => {
                clearTimeout(timer);
                if (child.pid !== undefined) {
                    await killRestOfGroup(child.pid);
                }
                running.delete(handle);
            };
            child.on("error", (error) => void finish().then(() => reject(error)));
            child.on("close", (exitCode, signal) => {
                const ms = Number(process.hrtime.bigint() - start) / 1e6;
                void finish().then(() => resolve({ exitCode, signal, stdout: stdout.join(""), stderr: stderr.join(""), timedOut, ms }));
            });
        }),
    };
    started++;
    running.set(handle, options.shared ? 0 : started);
    return handle;
}

/**
 * Runs `command` to its end or its deadline. Resolves with its result; rejects with a ChildDeadlineError
 * (named `what`) when it was killed at its deadline.
 */
export async function runChild(what: string, command: string, args: readonly string[], options: ChildOptions): Promise<ChildResult> {
    const result = await startChild(command, args, options).done;
    if (result.timedOut) {
        throw new ChildDeadlineError(what, result, options.deadlineMs);
    }
    return result;
}

/** A mark to pass to `stopChildren` later: children started after it are the ones it stops. */
export const childMark = (): number => started;

/**
 * Kills running children with their process groups and waits until each has exited: all of them, or
 * with a mark those started after it, shared ones excepted. Resolves to how many were still running.
 */
export async function stopChildren(mark?: number): Promise<number> {
    const chosen = [...running].filter(([, number]) => mark === undefined || number > mark).map(([child]) => child);
    chosen.forEach((child) => child.kill());
    await Promise.all(chosen.map((child) => child.done.catch(() => undefined)));
    return chosen.length;
}
