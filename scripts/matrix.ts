/** npm run matrix (see USAGE): the update matrix of the reference stacks, in README.md ("Changing a stack"). */
import * as fs from "fs";
import * as path from "path";
import { skipPulumiStackCaptures } from "../tools/sdkInternals";
import { runAsCli } from "./cli";
import { planFile } from "./plan";
import type { StackPlan } from "../tools/offlinePlan";
import { PROJECT_DIR } from "../tools/stackFiles";
import { REFERENCE_STACKS, renderMatrix, updateMatrix } from "../tools/updateMatrix";

const START = "<!-- update-matrix:start (npm run matrix writes this table) -->";
const END = "<!-- update-matrix:end -->";

export const README = path.join(PROJECT_DIR, "README.md");

/** The table as README.md holds it now; undefined without the markers. */
export function committedMatrix(readme = fs.readFileSync(README, "utf8")): string | undefined {
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    return start < 0 || end < start ? undefined : readme.slice(start + START.length, end).trim();
}

/** The table of every committed stack, freshly computed. */
export async function freshMatrix(dir = PROJECT_DIR): Promise<string> {
    const deployed = (stack: string) => JSON.parse(fs.readFileSync(planFile(stack, dir), "utf8")) as StackPlan;
    return renderMatrix(await updateMatrix(REFERENCE_STACKS, deployed));
}

export const USAGE = `usage: npm run matrix -- [--check | --help]

Runs a realistic change of every config key of the reference stacks (${REFERENCE_STACKS.join(", ")}) through the stack
program and the offline preview, and writes the table of what each change does to README.md.

  --check    exit 1 where the table in README.md is out of date, writing nothing (npm run test:matrix)
  --help     print this help`;

export async function main(args: readonly string[]): Promise<number> {
    if (args.includes("--help") || args.includes("-h")) {
        console.log(USAGE);
        return 0;
    }
    if (args.some((arg) => arg !== "--check")) {
        console.error(`unknown argument ${args.filter((arg) => arg !== "--check").join(" ")}\n\n${USAGE}`);
        return 2;
    }
    skipPulumiStackCaptures();
    const table = await freshMatrix();
    const readme = fs.readFileSync(README, "utf8");
    if (committedMatrix(readme) === undefined) {
        console.error(`README.md has no ${START} ... ${END} markers`);
        return 1;
    }
    if (args.includes("--check")) {
        const same = committedMatrix(readme) === table;
        console.log(same ? "✓ README's update matrix is current" : "✗ README's update matrix changed; review it, then run npm run matrix");
        return same ? 0 : 1;
    }
    fs.writeFileSync(README, readme.replace(readme.slice(readme.indexOf(START), readme.indexOf(END) + END.length), `${START}\n${table}\n${END}`));
    console.log("wrote the update matrix to README.md");
    return 0;
}

runAsCli(module, main);
