/**
 * Runs the stack program the way `pulumi up` runs it, without the Pulumi CLI: the Node.js language host's
 * own runner (`@pulumi/pulumi/cmd/run`, what `pulumi up` starts) in a child process, connected over gRPC
 * to a local engine and resource monitor. The monitor is the SDK's mock monitor answering from the
 * project's `createMocks()`; the engine collects what the runner logs, which is what `pulumi up` prints
 * under "Diagnostics". So an error reaches the user through the runner's own uncaught-error handler: a
 * `pulumi.RunError` as its message alone, anything else with its stack trace.
 */
import * as path from "path";
import { createMocks } from "../components/testing";
import { runChild } from "./childProcess";
import { type Diagnostic, PULUMI_RUNNER, type RecordedRegistration, startLocalEngine } from "./sdkInternals";
import { PROJECT_DIR } from "./stackFiles";

export type { Diagnostic } from "./sdkInternals";

/** tsconfig.json's options with ts-node transpiling through SWC: the runner loads the program in a third of the time. */
const RUNNER_TSCONFIG = path.join(PROJECT_DIR, "tsconfig.transpile.json");

/**
 * How long one runner may take before it is killed with its process group: about 3 s of CPU on a 2-core
 * machine, so this leaves room for a machine busy with other work, and still ends a hung program.
 */
export const RUNNER_DEADLINE_MS = 90_000;

/** The runner's exit code after it has logged an error for the user (pulumi's `nodeJSProcessExitedAfterLoggingUserActionableMessage`). */
export const RUNNER_EXIT_AFTER_LOGGED_ERROR = 32;

export interface ProgramRun {
    /** The runner's exit code: 0, or non-zero when the program failed (32 once it has logged why). */
    readonly exitCode: number;
    readonly diagnostics: readonly Diagnostic[];
    /** Every resource registration the program made, options included. */
    readonly registrations: readonly RecordedRegistration[];
    /** What the program wrote to its own stdout and stderr (`pulumi up` shows it under the stack too). */
    readonly output: string;
}

export interface ProgramToRun {
    readonly project: string;
    readonly stack: string;
    /** Full config keys to values, as the CLI passes them in PULUMI_CONFIG. */
    readonly config: Readonly<Record<string, string>>;
    /** Full keys whose values are secrets, as the CLI passes them in PULUMI_CONFIG_SECRET_KEYS. */
    readonly secretKeys: readonly string[];
    /** The project directory (of Pulumi.yaml): the runner's working directory. */
    readonly dir: string;
    /** The program, relative to `dir` (Pulumi.yaml's `main`). */
    readonly main: string;
}

export interface RunnerOptions {
    /** Milliseconds before the runner is killed (a ChildDeadlineError); default RUNNER_DEADLINE_MS. */
    readonly deadlineMs?: number;
    /** The runner script; default @pulumi/pulumi's cmd/run (another only to test what happens when one hangs). */
    readonly runner?: string;
    /** The run serves several tests (see ChildOptions.shared). */
    readonly shared?: boolean;
}

/**
 * Runs a Pulumi program through cmd/run against a local engine and mock monitor of its own (runs may
 * overlap); resolves when the runner exits, rejects with a ChildDeadlineError when it had to be killed.
 */
export async function runLikePulumiUp(program: ProgramToRun, options: RunnerOptions = {}): Promise<ProgramRun> {
    const engine = await startLocalEngine(createMocks({ region: program.config["aws:region"] }), program.project, program.stack);
    try {
        const { exitCode, output } = await runRunner(program, engine.address, options);
        await engine.registrations.settled();
        return { exitCode, diagnostics: engine.diagnostics, registrations: engine.registrations, output };
    } finally {
        engine.stop();
    }
}

/** Runs cmd/run with the arguments and environment the Node.js language host gives it. */
async function runRunner(program: ProgramToRun, address: string, options: RunnerOptions): Promise<{ exitCode: number; output: string }> {
    const args = [options.runner ?? PULUMI_RUNNER, "--monitor", address, "--engine", address, "--project", program.project, "--stack", program.stack];
    args.push("--pwd", program.dir, "--root-directory", program.dir, path.join(program.dir, program.main));
    const result = await runChild(`the runner (cmd/run) of stack ${program.stack}`, process.execPath, args, {
        cwd: program.dir,
        deadlineMs: options.deadlineMs ?? RUNNER_DEADLINE_MS,
        shared: options.shared,
        env: {
            ...process.env,
            PULUMI_CONFIG: JSON.stringify(program.config),
            PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(program.secretKeys),
            // Pulumi.yaml's `runtime.options.typescript: true`; type-checking is `npm run typecheck`'s job.
            PULUMI_NODEJS_TYPESCRIPT: "true",
            PULUMI_NODEJS_TRANSPILE_ONLY: "true",
            PULUMI_NODEJS_TSCONFIG_PATH: RUNNER_TSCONFIG,
        },
    });
    return { exitCode: result.exitCode ?? 128, output: result.stdout + result.stderr };
}

/**
 * The program's diagnostics the way `pulumi up` lays them out: under "Diagnostics:", grouped by resource
 * (the program's own under the stack), each message's first line after its severity and the rest indented
 * to match. Debug messages are left out, as `pulumi up` does without `--debug`.
 */
export function renderDiagnostics(run: ProgramRun, project: string, stack: string): string {
    const stackUrn = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
    const groups = new Map<string, string[]>();
    const add = (urn: string, lines: string[]) => groups.set(urn || stackUrn, [...(groups.get(urn || stackUrn) ?? []), ...lines]);
    if (run.output.trim() !== "") {
        add(stackUrn, run.output.trimEnd().split("\n"));
    }
    for (const diagnostic of run.diagnostics.filter((d) => d.severity !== "debug")) {
        const [first, ...rest] = diagnostic.message.trimEnd().split("\n");
        add(diagnostic.urn, [`${diagnostic.severity}: ${first}`, ...rest]);
    }
    if (groups.size === 0) {
        return "";
    }
    const sections = [...groups].map(([urn, lines]) => {
        const [, , type, name] = urn.split("::");
        return [`  ${type.split("$").pop()} (${name}):`, ...lines.map((line) => `    ${line}`)].join("\n");
    });
    return `Diagnostics:\n${sections.join("\n\n")}`;
}
