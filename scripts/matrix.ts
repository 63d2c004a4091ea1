/** npm run matrix (see USAGE): the update matrix of the reference stacks, in docs/changing-a-stack.md. */
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

/** The page that holds the matrix, between its markers. */
export const MATRIX_PAGE = path.join(PROJECT_DIR, "docs", "changing-a-stack.md");

/** The table as docs/changing-a-stack.md holds it now; undefined without the markers. */
export function committedMatrix(page = fs.readFileSync(MATRIX_PAGE, "utf8")): string | undefined {
    const start = page.indexOf(START);
    const end = page.indexOf(END);
    return start < 0 || end < start ? undefined : page.slice(start + START.length, end).trim();
}

/** The table of every reference stack, freshly computed. */
export async function freshMatrix(dir = PROJECT_DIR): Promise<string> {
    const deployed = (stack: string) => JSON.parse(fs.readFileSync(planFile(stack, dir), "utf8")) as StackPlan;
    return renderMatrix(await updateMatrix(REFERENCE_STACKS, deployed));
}

const PAGE_NAME = path.relative(PROJECT_DIR, MATRIX_PAGE);

export const USAGE = `usage: npm run matrix -- [--check | --help]

Runs a realistic change of every config key of the reference stacks (${REFERENCE_STACKS.join(", ")}) through the stack
program and the offline preview, and writes the table of what each change does to ${PAGE_NAME}.

  --check    exit 1 where the table in ${PAGE_NAME} is out of date, writing nothing (npm run test:matrix)
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
    const page = fs.readFileSync(MATRIX_PAGE, "utf8");
    if (committedMatrix(page) === undefined) {
        console.error(`${PAGE_NAME} has no ${START} ... ${END} markers`);
        return 1;
    }
    if (args.includes("--check")) {
        const same = committedMatrix(page) === table;
        console.log(same ? `✓ the update matrix in ${PAGE_NAME} is current` : `✗ the update matrix changed; review it, then run npm run matrix`);
        return same ? 0 : 1;
    }
    fs.writeFileSync(MATRIX_PAGE, page.replace(page.slice(page.indexOf(START), page.indexOf(END) + END.length), `${START}\n${table}\n${END}`));
    console.log(`wrote the update matrix to ${PAGE_NAME}`);
    return 0;
}

runAsCli(module, main);
