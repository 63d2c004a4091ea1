/** Waiting for a program under the mocks: every output, or its first error. */
import type * as pulumi from "@pulumi/pulumi";

/**
 * Resolves once every output has; rejects with the program's first unhandled error (such as a failed check),
 * or with `signal`'s reason once it aborts (e.g. `AbortSignal.timeout(10_000)` for an output that never resolves).
 * Process-wide state: while it waits, it listens to `process`'s `unhandledRejection` events (and so takes them
 * over from Node's default, which would end the process); the listener is removed as soon as it settles.
 */
export async function resolveAll(outputs: readonly pulumi.Output<unknown>[], options: { readonly signal?: AbortSignal } = {}): Promise<unknown[]> {
    const { signal } = options;
    let fail: (reason: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    const abort = () => fail(signal?.reason);
    process.on("unhandledRejection", fail);
    signal?.addEventListener("abort", abort, { once: true });
    try {
        signal?.throwIfAborted();
        return await Promise.race([Promise.all(outputs.map((output) => new Promise((done) => output.apply(done)))), failed]);
    } finally {
        process.off("unhandledRejection", fail);
        signal?.removeEventListener("abort", abort);
    }
}
