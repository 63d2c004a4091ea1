/**
 * The plugin in provider/ started the way the Node.js language host starts a source-based plugin for
 * `pulumi package add`: `@pulumi/pulumi/cmd/run-plugin <folder>` (ts-node, type-checking, from this npm
 * workspace's node_modules), then asked for its schema over gRPC like the CLI asks.
 */
import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { GetSchemaRequest } from "@pulumi/pulumi/proto/provider_pb";
import { PROVIDER_DIR, SCHEMA_FILE } from "../../scripts/schema";

/** Starts the plugin and resolves with the port it prints once its gRPC server listens. */
function startPlugin(): { plugin: ChildProcess; port: Promise<number> } {
    const plugin = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/run-plugin"), PROVIDER_DIR], {
        cwd: PROVIDER_DIR,
        env: { ...process.env, PULUMI_NODEJS_TYPESCRIPT: "true" },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const port = new Promise<number>((resolve, reject) => {
        plugin.stdout!.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            const printed = /^(\d+)\n/.exec(stdout);
            if (printed) {
                resolve(Number(printed[1]));
            }
        });
        plugin.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        plugin.on("exit", (code) => reject(new Error(`the plugin exited (${code}) before listening:\n${stdout}${stderr}`)));
    });
    return { plugin, port };
}

describe("the component package's plugin (provider/), started as the Node.js language host starts it", () => {
    let plugin: ChildProcess;
    let schema: string;

    before(async () => {
        const started = startPlugin();
        plugin = started.plugin;
        const client = new ResourceProviderClient(`127.0.0.1:${await started.port}`, grpc.credentials.createInsecure());
        schema = await new Promise<string>((resolve, reject) =>
            client.getSchema(new GetSchemaRequest(), (error, response) => (error ? reject(error) : resolve(response.getSchema()))),
        );
        client.close();
    });

    after(() => plugin?.kill());

    it("boots from TypeScript source and serves the committed schema, provider/schema.json, over gRPC", () => {
        assert.deepStrictEqual(JSON.parse(schema), JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")));
    });
});
