// Run by componentAnalysis.ts in a process of its own: the plugin's provider analyses the component as it does
// for `pulumi package add`, and this prints what it keeps (JSON on stdout).
import { componentProvider } from "../scripts/schema";
import type { ComponentAnalysis } from "./componentAnalysis";

async function main(): Promise<void> {
    const provider = componentProvider();
    await provider.getSchema();
    const { cachedSchema, componentDefinitions } = provider as unknown as ComponentAnalysis;
    process.stdout.write(JSON.stringify({ cachedSchema, componentDefinitions }));
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
