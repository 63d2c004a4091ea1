import { main } from "../../scripts/plan";
import { runStack, StackRun } from "../../tools/offlinePlan";

export interface PlanResult {
    readonly code: number;
    readonly out: string;
    readonly err: string;
}

/** `npm run -s plan -- <args>` on the project in `dir`, in process: its exit code, stdout and stderr. */
export async function plan(args: readonly string[], dir: string, runProgram: (stack: string, dir: string) => Promise<StackRun> = runStack): Promise<PlanResult> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (text) => out.push(text), err: (text) => err.push(text) }, dir, runProgram);
    return { code, out: out.join("\n"), err: err.join("\n") };
}
