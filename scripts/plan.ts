/** The offline plan's command line: `npm run plan -- --help`. */
import * as fs from "fs";
import * as path from "path";
import { didYouMean } from "../components/suggest";
import { runAsCli } from "./cli";
import { committedJsonDrift, serializeJson } from "./committedJson";
import { ChildDeadlineError } from "../tools/childProcess";
import { RUNNER_DEADLINE_MS } from "../tools/localEngine";
import { notCheckedOf, planOf, propertyDependenciesOf, renderPlan, runStack, StackPlan, StackProgramError, type StackRun } from "../tools/offlinePlan";
import { renderDiff, resourceChanges } from "../tools/planDiff";
import { previewChange, renderRefusals } from "../tools/preview";
import { deployOrder, listStacks, PROJECT_DIR, StackFileError } from "../tools/stackFiles";

export const USAGE = `usage: npm run plan -- [stack ...] [--json | --check | --update | --list | --diff [--against <plan.json>]]
       npm run diff -- <stack> [--json] [--against <plan.json>]     (the same as plan -- <stack> --diff)

Runs the stack program of each stack (default: every Pulumi.<stack>.yaml) the way \`pulumi up\` runs it,
through @pulumi/pulumi's runner against a local engine and the project's mocks, and prints what it would
create, in creation order. No Pulumi CLI, state backend or AWS credentials are needed.

  (no flag)   print each stack's plan as text
  --json      print the plans as one JSON array on stdout (use npm run -s so npm's own lines stay out)
  --check     compare each plan with plans/<stack>.json; exit 1 with a diff where it changed
  --update    write each plan to plans/<stack>.json (after a change you reviewed, or for a new stack)
  --list      print the stack names in deploy order (dev, staging, others, prod); with --json as an array
  --diff      preview a change: what pulumi up would create, update, replace (delete-first or create-first)
              or delete, against plans/<stack>.json as the deployed state; exit 1, before any step, with
              the config key, the reason and what to do instead when AWS would refuse a step. With --json:
              one JSON array of { name, type, op, replaceOrder, properties } on stdout
  --against   with --diff and one stack: the deployed state is this plan file (e.g. the base branch's)
  --help      print this help

A config the Pulumi CLI or the stack program would refuse fails the plan with the same message, on
stderr, and exit code 1. Stacks run one after another; a runner still busy after ${RUNNER_DEADLINE_MS / 1000} s is killed
with its processes, and its stack fails the same way.`;

const FLAGS = ["--json", "--check", "--update", "--list", "--diff", "--against", "--help"];

export function planFile(stack: string, dir = PROJECT_DIR): string {
    return path.join(dir, "plans", `${stack}.json`);
}

export const serializePlan = (plan: StackPlan): string => serializeJson(plan);

/** The difference between the committed plan and a fresh one, or undefined when they agree. */
export function planDrift(plan: StackPlan, dir = PROJECT_DIR): string | undefined {
    return committedJsonDrift(planFile(plan.stack, dir), plan);
}

interface Output {
    out(text: string): void;
    err(text: string): void;
}

/**
 * Runs the command line on the project in `dir`; resolves to the exit code. Each program runs through
 * `runProgram` (tests pass one that runs it in process, or with other runner options).
 */
/**
 * The flags of this command that npm took for its own because they came before `--` (`npm run plan dev --diff`):
 * npm passes them to the script as `npm_config_<flag>` and drops them from the arguments.
 */
export function flagsTakenByNpm(env: NodeJS.ProcessEnv): string[] {
    if (env.npm_lifecycle_event !== "plan" && env.npm_lifecycle_event !== "diff") {
        return [];
    }
    return ["diff", "json", "check", "list", "against"].filter((flag) => env[`npm_config_${flag}`] !== undefined).map((flag) => `--${flag}`);
}

export async function main(
    allArgs: readonly string[],
    output: Output = { out: console.log, err: console.error },
    dir = PROJECT_DIR,
    runProgram: (stack: string, dir: string) => Promise<StackRun> = runStack,
    env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
    const taken = flagsTakenByNpm(env);
    if (taken.length > 0) {
        const command = env.npm_lifecycle_event ?? "plan";
        output.err(`npm took ${taken.join(" ")} for its own option: write it after --, e.g. npm run ${command} -- ${[...allArgs, ...taken].join(" ")}\n\n${USAGE}`);
        return 2;
    }
    const againstAt = allArgs.indexOf("--against");
    const against = againstAt >= 0 ? allArgs[againstAt + 1] : undefined;
    const args = againstAt >= 0 ? allArgs.filter((_, i) => i !== againstAt + 1) : allArgs;
    const flags = new Set(args.filter((a) => a.startsWith("-")));
    if (flags.has("--help") || flags.has("-h")) {
        output.out(USAGE);
        return 0;
    }
    const unknownFlags = [...flags].filter((f) => !FLAGS.includes(f));
    const modes = ["--check", "--update", "--list", "--diff"].filter((f) => flags.has(f));
    const known = listStacks(dir);
    const stacks = args.filter((a) => !a.startsWith("-"));
    const missing = stacks.filter((s) => !known.includes(s));
    const problems = [
        ...unknownFlags.map((f) => `unknown option ${f}`),
        ...(modes.length > 1 ? [`${modes.join(" and ")} do not go together`] : []),
        ...missing.map((s) => `no stack ${s} (no Pulumi.${s}.yaml)${didYouMean(s, known)}; the stacks are: ${known.join(", ") || "none"}`),
        ...(againstAt >= 0 && (against === undefined || against.startsWith("-") || !flags.has("--diff") || stacks.length !== 1) ? ["--against takes a plan file, with --diff and one stack"] : []),
    ];
    if (problems.length > 0) {
        output.err(`${problems.join("\n")}\n\n${USAGE}`);
        return 2;
    }
    const chosen = stacks.length > 0 ? stacks : known;
    if (flags.has("--list")) {
        output.out(flags.has("--json") ? JSON.stringify(deployOrder(chosen)) : deployOrder(chosen).join("\n"));
        return 0;
    }
    if (flags.has("--diff")) {
        return diffStacks(chosen, { json: flags.has("--json"), against }, output, dir, runProgram);
    }
    const plans: StackPlan[] = [];
    let failed = 0;
    for (const stack of chosen) {
        // One runner at a time: each needs about a core, and a busy machine must not push one past its deadline.
        const result = await runProgram(stack, dir)
            .then((run) => ({ plan: planOf(run), notChecked: notCheckedOf(run) }))
            .catch((error: unknown) => error);
        if (result instanceof StackFileError || result instanceof StackProgramError || result instanceof ChildDeadlineError) {
            output.err(result instanceof StackProgramError ? result.message : `error: ${result.message}`);
            failed++;
        } else if (result instanceof Error) {
            throw result;
        } else {
            const { plan, notChecked } = result as { plan: StackPlan; notChecked: string[] };
            plans.push(plan);
            notChecked.forEach((check) => output.err(`${stack}: not checked: ${check}`));
            if (flags.has("--update")) {
                fs.mkdirSync(path.dirname(planFile(stack, dir)), { recursive: true });
                fs.writeFileSync(planFile(stack, dir), serializePlan(plan));
                output.out(`wrote ${path.relative(dir, planFile(stack, dir))}`);
            } else if (flags.has("--check")) {
                const drift = planDrift(plan, dir);
                output.out(drift ? `✗ ${stack}: the plan changed; review it, then run npm run plan -- --update ${stack}\n${drift}` : `✓ ${stack}: plan matches plans/${stack}.json`);
                failed += drift ? 1 : 0;
            } else if (!flags.has("--json")) {
                output.out(renderPlan(plan));
            }
        }
    }
    if (flags.has("--json") && !flags.has("--check") && !flags.has("--update")) {
        output.out(JSON.stringify(plans, null, 2));
    }
    return failed > 0 ? 1 : 0;
}

/** `--diff`: each stack's program now against its deployed plan; 1 when a program fails or AWS would refuse a step. */
async function diffStacks(
    stacks: readonly string[],
    options: { json: boolean; against?: string },
    output: Output,
    dir: string,
    runProgram: (stack: string, dir: string) => Promise<StackRun>,
): Promise<number> {
    // One program at a time: a runner needs about a core, and the mocks in process are process-wide.
    const runs: unknown[] = [];
    for (const stack of stacks) {
        runs.push(await runProgram(stack, dir).catch((error: unknown) => error));
    }
    const changes: unknown[] = [];
    let failed = 0;
    for (const [i, run] of runs.entries()) {
        const stack = stacks[i];
        try {
            if (run instanceof Error) {
                throw run;
            }
            const next = planOf(run as StackRun);
            notCheckedOf(run as StackRun).forEach((check) => output.err(`${stack}: not checked: ${check}`));
            const deployedFile = options.against ?? planFile(stack, dir);
            if (!fs.existsSync(deployedFile)) {
                output.err(`error: ${path.relative(dir, deployedFile)} does not exist: nothing deployed to compare with (every resource would be created)`);
                failed++;
                continue;
            }
            const deployed = JSON.parse(fs.readFileSync(deployedFile, "utf8")) as StackPlan;
            const preview = previewChange(deployed, next, propertyDependenciesOf(run as StackRun));
            if (options.json) {
                changes.push(...resourceChanges(preview.diff));
            } else {
                output.out(renderDiff(stack, preview.diff, path.relative(dir, deployedFile)));
            }
            if (preview.refusals.length > 0) {
                output.err(renderRefusals(next.project, preview));
                failed++;
            }
        } catch (error) {
            if (!(error instanceof StackFileError || error instanceof StackProgramError)) {
                throw error;
            }
            output.err(error instanceof StackFileError ? `error: ${error.message}` : error.message);
            failed++;
        }
    }
    if (options.json) {
        output.out(JSON.stringify(changes, null, 2));
    }
    return failed > 0 ? 1 : 0;
}

runAsCli(module, (args) => main(process.env.npm_lifecycle_event === "diff" && !args.includes("--help") && !args.includes("-h") ? [...args, "--diff"] : args));
