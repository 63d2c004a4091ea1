/** The offline plan's command line: `npm run plan -- --help`. */
import * as fs from "fs";
import * as path from "path";
import { runAsCli } from "./cli";
import { committedJsonDrift, serializeJson } from "./committedJson";
import { planStack, renderPlan, StackPlan, StackProgramError } from "../stacks/offlinePlan";
import { deployOrder, listStacks, PROJECT_DIR, StackFileError } from "../stacks/stackFiles";

export const USAGE = `usage: npm run plan -- [stack ...] [--json | --check | --update | --list]

Runs the stack program of each stack (default: every Pulumi.<stack>.yaml) the way \`pulumi up\` runs it,
through @pulumi/pulumi's runner against a local engine and the project's mocks, and prints what it would
create, in creation order. No Pulumi CLI, state backend or AWS credentials are needed.

  (no flag)   print each stack's plan as text
  --json      print the plans as one JSON array on stdout (use npm run -s so npm's own lines stay out)
  --check     compare each plan with plans/<stack>.json; exit 1 with a diff where it changed
  --update    write each plan to plans/<stack>.json (after a change you reviewed, or for a new stack)
  --list      print the stack names in deploy order (dev, staging, others, prod); with --json as an array
  --help      print this help

A config the Pulumi CLI or the stack program would refuse fails the plan with the same message, on
stderr, and exit code 1.`;

const FLAGS = ["--json", "--check", "--update", "--list", "--help"];

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

/** Runs the command line on the project in `dir`; resolves to the exit code. */
export async function main(args: readonly string[], output: Output = { out: console.log, err: console.error }, dir = PROJECT_DIR): Promise<number> {
    const flags = new Set(args.filter((a) => a.startsWith("-")));
    if (flags.has("--help") || flags.has("-h")) {
        output.out(USAGE);
        return 0;
    }
    const unknownFlags = [...flags].filter((f) => !FLAGS.includes(f));
    const modes = ["--check", "--update", "--list"].filter((f) => flags.has(f));
    const known = listStacks(dir);
    const stacks = args.filter((a) => !a.startsWith("-"));
    const missing = stacks.filter((s) => !known.includes(s));
    const problems = [
        ...unknownFlags.map((f) => `unknown option ${f}`),
        ...(modes.length > 1 ? [`${modes.join(" and ")} do not go together`] : []),
        ...missing.map((s) => `no stack ${s} (no Pulumi.${s}.yaml); the stacks are: ${known.join(", ") || "none"}`),
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
    const plans: StackPlan[] = [];
    let failed = 0;
    // Each stack runs in its own runner; they run side by side and report in the order asked.
    const results = await Promise.all(chosen.map((stack) => planStack(stack, dir).catch((error: unknown) => error)));
    for (const [i, result] of results.entries()) {
        const stack = chosen[i];
        if (result instanceof StackFileError || result instanceof StackProgramError) {
            output.err(result instanceof StackFileError ? `error: ${result.message}` : result.message);
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

runAsCli(module, main);
