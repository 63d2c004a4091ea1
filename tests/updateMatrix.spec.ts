/**
 * The update matrix in docs/changing-a-stack.md: a row for every reference stack and config key, and rows that
 * agree with the program and the preview now. The whole table is compared by `npm run test:matrix`.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { committedMatrix, MATRIX_PAGE } from "../scripts/matrix";
import type { StackPlan } from "../tools/offlinePlan";
import { PROJECT_DIR, readProjectFile } from "../tools/stackFiles";
import { changesFor, matrixRow, REFERENCE_STACKS, renderMatrix, stackValues } from "../tools/updateMatrix";

const DECLARED = Object.keys(readProjectFile().config ?? {});

/** The matrix's table rows as cells: stack, key, change, ops, outcome. */
function readmeRows(): string[][] {
    const table = committedMatrix(fs.readFileSync(MATRIX_PAGE, "utf8"));
    assert.ok(table, "docs/changing-a-stack.md has no update matrix");
    return table.split("\n").slice(2).map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));
}

describe("update matrix (docs/changing-a-stack.md)", () => {
    it("has a change for every config key Pulumi.yaml declares, and none for a key it does not", () => {
        const keys = Object.keys(changesFor({ instanceType: "t3.micro", availabilityZone: "ap-south-1a", vpcCidrBlock: "10.0.0.0/20" }));
        assert.deepStrictEqual([...keys].sort(), [...DECLARED].sort(), "a config key without a matrix change (or a change for an undeclared key)");
    });

    it("has a row for every reference stack and every declared key", () => {
        const rows = readmeRows();
        for (const stack of REFERENCE_STACKS) {
            const missing = DECLARED.filter((key) => !rows.some(([s, k]) => s === stack && k === key));
            assert.deepStrictEqual(missing, [], `no row for ${stack}: ${missing.join(", ")}; run npm run matrix`);
        }
    });

    it("moves each stack to another region: every regional resource replaced, the change applies", () => {
        const rows = readmeRows().filter(([, key]) => key === "aws:region");
        assert.deepStrictEqual(rows.map(([stack]) => stack).sort(), [...REFERENCE_STACKS].sort());
        for (const [stack, , , ops, outcome] of rows) {
            assert.match(ops, /^vpc replace \(create-first\)/, stack);
            assert.strictEqual(outcome, "applies", stack);
        }
    });

    it("agrees with the preview now on the rows the issue names (dev's instanceType and zone, prod's flip, staging's rules)", async () => {
        const committed = new Map(readmeRows().map((cells) => [cells.slice(0, 3).join(" | "), cells]));
        for (const [stack, key, index] of [["dev", "instanceType", 0], ["dev", "availabilityZone", 0], ["prod", "activeInstance", 0], ["staging", "instanceIngress", 0]] as const) {
            const plan = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "plans", `${stack}.json`), "utf8")) as StackPlan;
            const row = await matrixRow(stack, key, changesFor(stackValues(stack))[key][index], plan);
            const fresh = renderMatrix([row]).split("\n")[2].split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim());
            assert.deepStrictEqual(committed.get(fresh.slice(0, 3).join(" | ")), fresh, `${stack} ${key}: its row is out of date; run npm run matrix`);
        }
    });
});
