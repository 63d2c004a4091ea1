/** The text plan (npm run plan) reads in a terminal: a long input shows its start, its end and its length. */
import * as assert from "assert";
import { abbreviated, renderPlan } from "../tools/offlinePlan";
import { loadStackConfig } from "../tools/stackFiles";
import { runConfigInProcess } from "../tools/updateMatrix";
import { PROJECT } from "./support/helpers";

describe("the text plan", () => {
    it("shows guestNetwork's user data (several KB) on one short line, and --json keeps it whole", async () => {
        const { plan } = await runConfigInProcess("dev", { ...loadStackConfig("dev"), [`${PROJECT}:guestNetwork`]: "true" });
        const userData = plan.resources.find((r) => r.type === "aws:ec2/instance:Instance")!.inputs.userData as string;
        assert.ok(userData.length > 5000, `${userData.length} characters`);
        const line = renderPlan(plan).split("\n").find((l) => l.trimStart().startsWith("userData: "))!;
        assert.ok(line.length < 200, line);
        assert.match(line, new RegExp(`….* \\(${JSON.stringify(userData).length} characters\\)$`));
    });

    it("shows a value of up to 160 characters whole", () => {
        assert.strictEqual(abbreviated("x".repeat(160)), "x".repeat(160));
        assert.strictEqual(abbreviated("x".repeat(161)), `${"x".repeat(110)}…${"x".repeat(30)} (161 characters)`);
    });
});
