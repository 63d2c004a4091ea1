/**
 * The one module that reaches into @pulumi/pulumi beyond its public API (tools/sdkInternals.ts): each internal it
 * uses is still where it expects it, on the SDK versions it was run against, and what changes process-wide state
 * puts it back. And ./testing's `resolveAll`, the one public helper that listens to the process.
 */
import * as assert from "assert";
import * as fs from "fs";
import { Vpc } from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import { resolveAll } from "../components/testing";
import { PULUMI_PLUGIN_RUNNER, PULUMI_RUNNER, recordRegistrations, SDK_VERSION, skipPulumiStackCaptures, startLocalEngine, VERIFIED_SDK_VERSIONS } from "../tools/sdkInternals";
import { createMocks } from "../components/testing";
import { SEED_CONFIG } from "./support/fixtures";
import { useMocks } from "./support/helpers";

describe(`the SDK internals the tools use, verified with @pulumi/pulumi ${VERIFIED_SDK_VERSIONS.join(", ")}`, () => {
    it(`runs on one of those versions (installed: ${SDK_VERSION}); after an SDK upgrade, re-run these tests and add the version`, () => {
        assert.ok(VERIFIED_SDK_VERSIONS.includes(SDK_VERSION), `@pulumi/pulumi ${SDK_VERSION} is not among ${VERIFIED_SDK_VERSIONS.join(", ")}`);
    });

    it("finds the runners the Node.js language host starts for a program and for a source-based plugin", () => {
        assert.ok(fs.existsSync(PULUMI_RUNNER), PULUMI_RUNNER);
        assert.ok(fs.existsSync(PULUMI_PLUGIN_RUNNER), PULUMI_PLUGIN_RUNNER);
    });

    it("serves a local engine on the SDK's gRPC protocol, recording what a program registers with its options", async () => {
        const engine = await startLocalEngine(createMocks(), "proj", "stack");
        try {
            assert.match(engine.address, /^127\.0\.0\.1:\d+$/);
            assert.deepStrictEqual(engine.registrations, []);
        } finally {
            engine.stop();
        }
    });

    it("records the options a registration carries (deleteBeforeReplace, aliases, ignoreChanges, parent)", async () => {
        const registrations = await useMocks(SEED_CONFIG);
        const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
        new Vpc("child", { cidrBlock: "10.0.0.0/16" }, { parent, deleteBeforeReplace: true, aliases: [{ name: "old" }], ignoreChanges: ["tags"] });
        await registrations.settled();
        const child = registrations.find((r) => r.name === "child");
        assert.ok(child, "the child was not recorded");
        assert.deepStrictEqual([child.deleteBeforeReplace, child.aliases, child.ignoreChanges, child.parent.endsWith("::parent")], [true, [{ name: "old", parentUrn: child.parent }], ["tags"], true]);
    });
});

describe("what changes process-wide state puts it back", () => {
    it("skipPulumiStackCaptures gives back the stack formatter it replaced", () => {
        const suiteFormat = Error.prepareStackTrace;
        const previous = (error: Error) => `formatted ${error.message}`;
        Error.prepareStackTrace = previous;
        try {
            const restore = skipPulumiStackCaptures();
            assert.strictEqual(new Error().stack, "");
            assert.strictEqual(new Error("kept").stack, "formatted kept");
            assert.strictEqual(skipPulumiStackCaptures()(), undefined, "a second call neither installs nor restores anything");
            assert.notStrictEqual(Error.prepareStackTrace, previous);
            restore();
            assert.strictEqual(Error.prepareStackTrace, previous);
        } finally {
            Error.prepareStackTrace = suiteFormat;
        }
    });

    it("recordRegistrations.restore() gives the mock monitor its methods back, and recording stops", async () => {
        await useMocks(SEED_CONFIG);
        const monitor = pulumi.runtime.getMonitor() as unknown as Record<"registerResource" | "registerResourceOutputs" | "invoke", unknown>;
        const methods = () => [monitor.registerResource, monitor.registerResourceOutputs, monitor.invoke];
        const before = methods();
        const registrations = recordRegistrations();
        assert.ok(methods().every((method, i) => method !== before[i]));
        registrations.restore();
        assert.deepStrictEqual(methods(), before);
        new pulumi.ComponentResource("test:index:Probe", "after-restore");
        await new Promise((resolve) => setTimeout(resolve, 10));
        assert.deepStrictEqual(registrations, []);
    });

    it("resolveAll listens for unhandled rejections only while it waits, whether it resolves, fails or is aborted", async () => {
        const listeners = () => process.listenerCount("unhandledRejection");
        const count = listeners();
        assert.deepStrictEqual(await resolveAll([pulumi.output(1), pulumi.output("two")]), [1, "two"]);
        assert.strictEqual(listeners(), count);

        const failure = new Error("a check failed");
        const failing = resolveAll([pulumi.output(new Promise<never>(() => undefined))]);
        assert.strictEqual(listeners(), count + 1);
        process.emit("unhandledRejection", failure, Promise.resolve());
        await assert.rejects(failing, (error) => error === failure);
        assert.strictEqual(listeners(), count);

        const never = pulumi.output(new Promise<never>(() => undefined));
        await assert.rejects(resolveAll([never], { signal: AbortSignal.timeout(10) }), { name: "TimeoutError" });
        assert.strictEqual(listeners(), count);
    });
});
