import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { DualSubnetEniInstanceValidationError } from "../../components";
import { createMocks, type MockOptions } from "../../components/testing";
import { ignoreOutputsOfEarlierPrograms, type RecordedRegistration, type Registrations, recordRegistrations } from "../../tools/sdkInternals";
import { StackRun } from "../../tools/offlinePlan";
import { runInProcess } from "../../tools/updateMatrix";
import { loadStack, readProjectFile } from "../../tools/stackFiles";

export const PROJECT = readProjectFile().name;

/** Fresh mocks, config and a registration recorder for one test. */
export async function useMocks(
    config: Record<string, string> = {},
    options: MockOptions = {},
    preview = false,
    adapt: (mocks: pulumi.runtime.Mocks) => pulumi.runtime.Mocks = (mocks) => mocks,
): Promise<Registrations> {
    await pulumi.runtime.setMocks(adapt(createMocks(options)), PROJECT, "test", preview);
    pulumi.runtime.setAllConfig(config);
    ignoreOutputsOfEarlierPrograms();
    return recordRegistrations();
}

/** Resolves an output's value (never an assertion inside `apply`). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** AWS resources among the registrations (custom resources other than providers). */
export function awsResources(registrations: readonly RecordedRegistration[]): RecordedRegistration[] {
    return registrations.filter((r) => r.custom && r.type.startsWith("aws:"));
}

export function byType(registrations: readonly RecordedRegistration[], type: string): RecordedRegistration[] {
    return registrations.filter((r) => r.type === type);
}

export function single(registrations: readonly RecordedRegistration[], type: string): RecordedRegistration {
    const found = byType(registrations, type);
    assert.strictEqual(found.length, 1, `expected one ${type}, found ${found.length}`);
    return found[0];
}

/** URN suffix of a registration, to match against `dependencies` and `parent`. */
export function urnOf(registration: RecordedRegistration): string {
    return `${registration.type}::${registration.name}`;
}

export function dependsOn(dependent: RecordedRegistration, dependency: RecordedRegistration): boolean {
    return dependent.dependencies.some((urn) => urn.endsWith(urnOf(dependency)));
}

/**
 * Runs a program that must fail validation and returns the error. Plain values fail synchronously; values
 * that resolve later (Outputs, data sources) fail every AWS resource's input serialization with the same
 * error, which Pulumi reports once as an unhandled rejection. Both paths are captured here.
 */
export async function validationErrorOf(registrations: Registrations, program: () => unknown): Promise<DualSubnetEniInstanceValidationError> {
    const previous = process.listeners("unhandledRejection");
    const rejections: unknown[] = [];
    let firstRejection: () => void = () => undefined;
    const rejected = new Promise<void>((resolve) => (firstRejection = resolve));
    process.removeAllListeners("unhandledRejection");
    process.on("unhandledRejection", (reason) => {
        rejections.push(reason);
        firstRejection();
    });
    try {
        try {
            program();
        } catch (error) {
            return asValidationError(error);
        }
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([rejected, new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
        clearTimeout(timer);
        await registrations.settled();
        assert.ok(rejections.length > 0, "the program did not fail");
        const distinct = new Set(rejections);
        assert.strictEqual(distinct.size, 1, `expected one error, got ${[...distinct].map(String).join(" | ")}`);
        return asValidationError(rejections[0]);
    } finally {
        process.removeAllListeners("unhandledRejection");
        previous.forEach((listener) => process.on("unhandledRejection", listener));
    }
}

function asValidationError(error: unknown): DualSubnetEniInstanceValidationError {
    assert.ok(error instanceof DualSubnetEniInstanceValidationError, `expected a validation error, got ${String(error)}`);
    return error;
}

/**
 * The stack program in this process under the mocks, under the stack's own name: much faster than the
 * runner `npm run plan` starts, and held to the same result, since its plan must equal the committed
 * one that `npm run plan -- --update` wrote through the runner.
 */
export async function runStackInProcess(stack: string, dir?: string, env: NodeJS.ProcessEnv = process.env): Promise<StackRun> {
    const { config, ...secrets } = loadStack(stack, dir, env);
    return runInProcess(stack, config, {}, secrets);
}
