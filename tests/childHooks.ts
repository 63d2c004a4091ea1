// Root hooks (mocha's `mochaHooks`) for child processes and the background queue; re-exported by setup.ts.
import { childMark, stopChildren } from "../stacks/childProcess";
import { startBackgroundWork } from "./backgroundQueue";

let mark = 0;

export const mochaHooks = {
    beforeAll(): void {
        startBackgroundWork();
    },
    beforeEach(): void {
        mark = childMark();
    },
    /** Nothing a test started outlives it, whether it passed, failed or timed out. */
    async afterEach(): Promise<void> {
        await stopChildren(mark);
    },
    async afterAll(): Promise<void> {
        await stopChildren();
    },
};
