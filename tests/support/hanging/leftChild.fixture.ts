// Run by childProcess.spec.ts in a mocha of its own: a test that times out while its child still runs.
import { startChild } from "../../../tools/childProcess";

describe("a test leaving a child behind", () => {
    it("times out while its child sleeps", async function () {
        this.timeout(0);
        let helperStarted: () => void = () => undefined;
        const started = new Promise<void>((resolve) => (helperStarted = resolve));
        const onStdout = (text: string) => {
            console.error(text.trim());
            if (text.includes("helper ")) {
                helperStarted();
            }
        };
        const child = startChild(process.execPath, [require.resolve("./runner.js")], { deadlineMs: 3_600_000, onStdout });
        console.error(`child ${child.pid}`);
        await Promise.race([started, child.done.then(() => Promise.reject(new Error("the child exited before starting its helper")))]);
        // Once the child has started its helper, time out (300 ms from now), however busy the machine is.
        this.timeout(300);
        await child.done;
    });

    it("is followed by the next test", () => undefined);
});
