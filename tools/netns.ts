/**
 * Linux network namespaces for the tests and the failover drill: commands in a namespace, and long-lived agents
 * (tests/support/netns-agents.js) that answer JSON lines. Every process goes through childProcess.ts: a deadline,
 * and killed with its process group.
 */
import * as path from "path";
import { runChild, RunningChild, startChild } from "./childProcess";
import { PROJECT_DIR } from "./stackFiles";

/** The agents' script: plain JavaScript, from the source tree also when the caller runs compiled. */
export const NETNS_AGENTS = path.join(PROJECT_DIR, "tests", "support", "netns-agents.js");

/** Runs a command in a namespace (or in this one), killed with its process group at the deadline; throws on failure. */
export async function runIn(
    ns: string | undefined,
    args: readonly string[],
    options: { env?: Record<string, string>; shared?: boolean; deadlineMs: number },
): Promise<string> {
    const argv = [...(ns ? ["ip", "netns", "exec", ns] : []), ...args];
    const what = argv.join(" ");
    const result = await runChild(what, argv[0], argv.slice(1), { env: { ...process.env, ...options.env }, deadlineMs: options.deadlineMs, shared: options.shared });
    if (result.exitCode !== 0) {
        throw new Error(`${what}: exit ${result.exitCode ?? result.signal}\n${result.stdout}${result.stderr}`);
    }
    return result.stdout;
}

/** Calls `onLine` with each complete line of a child's output as it arrives. */
export function lineSplitter(onLine: (line: string) => void): (text: string) => void {
    let partial = "";
    return (text) => {
        const lines = (partial + text).split("\n");
        partial = lines.pop()!;
        lines.forEach(onLine);
    };
}

export interface Agent {
    readonly child: RunningChild;
    /** The agent's next output line (JSON), within `ms`; rejects at once if the agent exits. */
    next(ms?: number): Promise<any>;
}

/**
 * Starts a process in a namespace whose stdout is JSON lines, read one at a time with `next`; `onLine` also sees
 * each line as it arrives (then `next` does not). It lives at most `deadlineMs`.
 */
export function startLineChild(namespace: string, argv: readonly string[], what: string, options: { deadlineMs: number; env?: NodeJS.ProcessEnv; onLine?: (line: any) => void }): Agent {
    const lines: string[] = [];
    let arrived = () => undefined as void;
    const child = startChild("ip", ["netns", "exec", namespace, ...argv], {
        cwd: PROJECT_DIR,
        env: options.env,
        deadlineMs: options.deadlineMs,
        stdinPipe: true,
        onStdout: lineSplitter((line) => {
            if (options.onLine) {
                options.onLine(JSON.parse(line));
                return;
            }
            lines.push(line);
            arrived();
        }),
    });
    const exited = child.done.then((result) => Promise.reject(new Error(`${what} in ${namespace} exited (${result.exitCode ?? result.signal}): ${result.stderr}`)));
    exited.catch(() => undefined);
    const next = async (ms = 10_000) => {
        if (lines.length === 0) {
            let timer: NodeJS.Timeout | undefined;
            const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer from ${what} within ${ms} ms`)), ms)));
            try {
                await Promise.race([new Promise<void>((resolve) => (arrived = resolve)), exited, deadline]);
            } finally {
                clearTimeout(timer);
            }
        }
        return JSON.parse(lines.shift()!);
    };
    return { child, next };
}

/** Starts one of netns-agents.js's roles in a namespace. */
export function startAgent(namespace: string, role: string, options: object, deadlineMs: number): Agent {
    return startLineChild(namespace, [process.execPath, NETNS_AGENTS, role, JSON.stringify({ ...options, deadlineMs })], `the ${role} agent`, { deadlineMs });
}
