// Run by childProcess.spec.ts in a mocha of its own: a test that times out while its child still runs.
import { startChild } from "../../stacks/childProcess";

describe("a test leaving a child behind", () => {
    it("times out while its child sleeps", async function () {
        this.timeout(300);
        const child = startChild(process.execPath, [require.resolve("./runner.js")], { deadlineMs: 3_600_000, onStdout: (text) => console.error(text.trim()) });
        console.error(`child ${child.pid}`);
        await child.done;
    });

    it("is followed by the next test", () => undefined);
});
