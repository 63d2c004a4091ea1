// Loaded by mocha after ts-node (see .mocharc.json); `mochaHooks` are root hooks for every spec file.
import { skipPulumiStackCaptures } from "../components/testing";
import { childMark, stopChildren } from "../stacks/childProcess";
import { startBackgroundWork } from "./backgroundQueue";

skipPulumiStackCaptures();

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
