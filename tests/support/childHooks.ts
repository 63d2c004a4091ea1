// Root hooks (mocha's \`mochaHooks\`): nothing a test starts outlives it. Re-exported by setup.ts.
import { childMark, stopChildren } from "../../tools/childProcess";

let mark = 0;

export const mochaHooks = {
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
