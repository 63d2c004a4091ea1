/**
 * The plugin in provider/ started the way the Node.js language host starts a source-based plugin for
 * `pulumi package add`: `@pulumi/pulumi/cmd/run-plugin <folder>` (ts-node, type-checking, from this npm
 * workspace's node_modules), then asked for its schema over gRPC like the CLI asks.
 */
import * as assert from "assert";
import * as fs from "fs";
import { PROVIDER_DIR, SCHEMA_FILE } from "../../scripts/schema";
import { type RunningChild, startChild } from "../../tools/childProcess";
import { PULUMI_PLUGIN_RUNNER, schemaServedBy } from "../../tools/sdkInternals";

/** The plugin type-checks its source while it boots: seconds of work on a quiet machine. */
const PLUGIN_DEADLINE_MS = 120_000;

/** Starts the plugin and resolves with it and the port it prints once its gRPC server listens. */
async function startPlugin(): Promise<{ plugin: RunningChild; port: number }> {
    let stdout = "";
    let listening: (port: number) => void = () => undefined;
    const port = new Promise<number>((resolve) => (listening = resolve));
    const plugin = startChild(process.execPath, [PULUMI_PLUGIN_RUNNER, PROVIDER_DIR], {
        cwd: PROVIDER_DIR,
        env: { ...process.env, PULUMI_NODEJS_TYPESCRIPT: "true" },
        deadlineMs: PLUGIN_DEADLINE_MS,
        shared: true,
        onStdout: (text) => {
            stdout += text;
            const printed = /^(\d+)\n/.exec(stdout);
            if (printed) {
                listening(Number(printed[1]));
            }
        },
    });
    const exited = plugin.done.then((result) => {
        throw new Error(`the plugin exited (${result.timedOut ? `killed at its ${PLUGIN_DEADLINE_MS / 1000} s deadline` : result.exitCode}) before listening:\n${result.stdout}${result.stderr}`);
    });
    return { plugin, port: await Promise.race([port, exited]) };
}

/** The schema the plugin serves over gRPC, as the CLI asks for it; the plugin is stopped (and has exited) after. */
async function servedSchema(): Promise<string> {
    const { plugin, port } = await startPlugin();
    try {
        return await schemaServedBy(`127.0.0.1:${port}`);
    } finally {
        plugin.kill();
        await plugin.done;
    }
}

describe("the component package's plugin (provider/), started as the Node.js language host starts it", () => {
    let schema: string;

    before(async function () {
        this.timeout(PLUGIN_DEADLINE_MS + 10_000);
        schema = await servedSchema();
    });

    it("boots from TypeScript source and serves the committed schema, provider/schema.json, over gRPC", () => {
        assert.deepStrictEqual(JSON.parse(schema), JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")));
    });
});
