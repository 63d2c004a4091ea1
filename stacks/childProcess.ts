/**
 * Child processes with a deadline. Each child leads a process group of its own (`detached`), so that
 * killing it also kills what it started (npm's scripts, a runner's workers); it is killed when its
 * deadline passes, when `stopChildren` is called (a test's cleanup) and when this process exits. The
 * promise settles only once the child has exited and its output is closed, so whatever follows (deleting
 * its folder) never races it.
 */
import { spawn } from "child_process";

export interface ChildOptions {
    readonly cwd?: string;
    readonly env?: NodeJS.ProcessEnv;
    /** Milliseconds the child may run; then it is killed with its process group. */
    readonly deadlineMs: number;
    /** Called with each chunk of stdout as it arrives (e.g. to read a port the child prints). */
    readonly onStdout?: (text: string) => void;
    /** Serves several tests (started in the background for them): `stopChildren(mark)` leaves it running. */
    readonly shared?: boolean;
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
    /** Settles when the child has exited and its output is closed. */
    readonly done: Promise<ChildResult>;
    /** Kills the child's process group; `done` settles once it has exited. */
    kill(): void;
}

/** Running children, each with the number it was started as (0 for a shared one). */
const running = new Map<RunningChild, number>();
let started = 0;

/** Kills a process group, ignoring one that is already gone. */
function killGroup(pid: number): void {
    try {
        process.kill(-pid, "SIGKILL");
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ESRCH") {
            throw error;
        }
    }
}

process.on("exit", () => running.forEach((_, child) => killGroup(child.pid)));

/** Starts `command` in a process group of its own, with a deadline. */
export function startChild(command: string, args: readonly string[], options: ChildOptions): RunningChild {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const stdout: string[] = [];
    const stderr: string[] = [];
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
        stdout.push(text);
        options.onStdout?.(text);
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => stderr.push(text));
    let timedOut = false;
    const handle: RunningChild = {
        pid: child.pid ?? -1,
        kill: () => (child.pid !== undefined && child.exitCode === null && child.signalCode === null ? killGroup(child.pid) : undefined),
        done: new Promise<ChildResult>((resolve, reject) => {
            const timer = setTimeout(() => {
                timedOut = true;
                handle.kill();
            }, options.deadlineMs);
            const finish = () => {
                clearTimeout(timer);
                running.delete(handle);
                // The group may hold children that outlived their leader.
                if (child.pid !== undefined) {
                    killGroup(child.pid);
                }
            };
            child.on("error", (error) => {
                finish();
                reject(error);
            });
            child.on("close", (exitCode, signal) => {
                finish();
                const ms = Number(process.hrtime.bigint() - start) / 1e6;
                resolve({ exitCode, signal, stdout: stdout.join(""), stderr: stderr.join(""), timedOut, ms });
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
