/** The ./testing helpers that change process-wide state put it back. */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { resolveAll } from "../components/testing";
import { recordRegistrations, skipPulumiStackCaptures } from "../tools/sdkInternals";
import { SEED_CONFIG } from "./support/fixtures";
import { useMocks } from "./support/helpers";

describe("the ./testing helpers undo what they change in the process", () => {
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
