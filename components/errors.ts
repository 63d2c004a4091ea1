import * as pulumi from "@pulumi/pulumi";
import type { ValidatedField, ValidationProblem } from "./rules/fields";
import { describeProblems } from "./rules/messages";
import { shortened } from "./rules/quote";

/** How an error names an arg: the arg itself for library callers, the config key for the stack program. */
export type FieldLabel = (field: ValidatedField) => string;

/**
 * Thrown (or carried by the component's outputs) when args break an AWS rule. Lists every problem found,
 * one per line. A `pulumi.RunError`, so `pulumi up` prints the message without a stack trace.
 */
export class DualSubnetEniInstanceValidationError extends pulumi.RunError {
    public readonly problems: readonly ValidationProblem[];

    constructor(componentName: string, problems: readonly ValidationProblem[], label: FieldLabel) {
        const count = problems.length === 1 ? "1 invalid setting" : `${problems.length} invalid settings`;
        const message = `DualSubnetEniInstance "${shortened(componentName)}" has ${count}:\n${describeProblems(problems, label)}`;
        super(message);
        this.name = "DualSubnetEniInstanceValidationError";
        this.problems = problems;
        // Pulumi never shows a RunError's frames, but its runner still formats them with colors, and on
        // Node 20 that takes minutes for frames inside the SDK (node_modules/@pulumi/output.ts).
        this.stack = `${this.name}: ${message}`;
        // When checks fail after values resolve, every child's input serialization rejects with this one
        // error, and each prepends 'error serializing property "x": ' to it. Pulumi reports the error once
        // (it dedupes by identity); pinning the message keeps that report to the list of problems.
        Object.defineProperty(this, "message", { get: () => message, set: () => undefined, enumerable: false, configurable: true });
    }
}

export function throwIfProblems(componentName: string, problems: readonly ValidationProblem[], label: FieldLabel): void {
    if (problems.length > 0) {
        throw new DualSubnetEniInstanceValidationError(componentName, problems, label);
    }
}
