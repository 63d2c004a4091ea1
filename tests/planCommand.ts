import { main } from "../scripts/plan";
import { RunnerOptions } from "../stacks/localEngine";

export interface PlanResult {
    readonly code: number;
    readonly out: string;
    readonly err: string;
}

/** `npm run -s plan -- <args>` on the project in `dir`, in process: its exit code, stdout and stderr. */
export async function plan(args: readonly string[], dir: string, runner: RunnerOptions = {}): Promise<PlanResult> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (text) => out.push(text), err: (text) => err.push(text) }, dir, runner);
    return { code, out: out.join("\n"), err: err.join("\n") };
}
