/**
 * The SDK's analyzer (`ComponentProvider.getSchema()`: a TypeScript program over the component's source and the
 * declarations of the packages it uses, about 3 s of CPU) runs once per suite, in a child process in the
 * background from the suite's start (backgroundQueue.ts), rather than in the mocha process. The schema and
 * construct specs then get the plugin's provider holding that analysis, as the provider keeps it after its own
 * first `getSchema()`. Should the SDK keep it under other names, the provider analyses in-process again: slower,
 * never different.
 */
import * as path from "path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { componentProvider } from "../scripts/schema";
import { runChild } from "../stacks/childProcess";
import { PROJECT_DIR } from "../stacks/stackFiles";
import { queueBackgroundWork } from "./backgroundQueue";

/** What `ComponentProvider.getSchema()` keeps: the schema it serves and the components `construct` reads. */
export interface ComponentAnalysis {
    readonly cachedSchema: string;
    readonly componentDefinitions: unknown;
}

const ANALYZER_DEADLINE_MS = 90_000;
const CHILD = path.join(PROJECT_DIR, "tests", "componentAnalysis.child.ts");

const analysis = queueBackgroundWork(ANALYZER_DEADLINE_MS, async () => {
    const args = ["--require", path.join(PROJECT_DIR, "tests", "register.js"), CHILD];
    const result = await runChild("the SDK's analyzer (componentAnalysis.child.ts)", process.execPath, args, { cwd: PROJECT_DIR, deadlineMs: ANALYZER_DEADLINE_MS, shared: true });
    if (result.exitCode !== 0) {
        throw new Error(`the SDK's analyzer failed (exit ${result.exitCode}):\n${result.stderr}`);
    }
    return JSON.parse(result.stdout) as ComponentAnalysis;
});

/** The plugin's provider (scripts/schema.ts's `componentProvider()`), holding the background analysis. */
export async function analyzedComponentProvider(): Promise<ComponentProvider> {
    return Object.assign(componentProvider(), await analysis());
}
