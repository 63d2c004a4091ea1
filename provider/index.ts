/**
 * The plugin's entry point (package.json `main`). The Node.js language host loads it with ts-node when
 * `pulumi package add` asks for the schema and when a program in another language creates the component.
 */
import { componentProviderHost } from "@pulumi/pulumi/provider/experimental";
import { componentProviderOptions } from "./componentProvider";

componentProviderHost(componentProviderOptions()).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
