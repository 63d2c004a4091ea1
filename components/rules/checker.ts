/**
 * Reading raw values: each method takes one field as a caller or a stack config gave it, reports a value of
 * the wrong type or shape, and returns the value only when it can be used. Fields whose values are not
 * known yet (`pending`) are skipped, with every rule that needs them.
 */
import { Ipv4Cidr, parseIpv4Cidr } from "../cidr";
import type { RawArgs, ValidatedField, ValidationProblem } from "./fields";

/** AWS's bounds on VPC and subnet IPv4 prefix lengths. */
export const MIN_PREFIX_LENGTH = 16;
export const MAX_PREFIX_LENGTH = 28;

/** Collects problems about one set of raw args; values of `pending` fields are not known yet. */
export class Checker {
    readonly problems: ValidationProblem[] = [];

    constructor(
        readonly raw: RawArgs,
        readonly pending: ReadonlySet<ValidatedField>,
    ) {}

    report(field: ValidatedField, reason: string, path = "", value: unknown = this.raw[field]): void {
        this.problems.push({ field, ...(path ? { path } : {}), value, reason });
    }

    /** The field's boolean value, or undefined when pending, absent, or not a boolean (reported). */
    flag(field: ValidatedField): boolean | undefined {
        const value = this.raw[field];
        if (this.pending.has(field) || value === undefined) {
            return undefined;
        }
        if (typeof value !== "boolean") {
            this.report(field, "must be true or false");
            return undefined;
        }
        return value;
    }

    /** The field's value when it is one of `allowed` (or absent: undefined); anything else is reported. */
    oneOf<T extends string>(field: ValidatedField, allowed: readonly T[]): T | undefined {
        const value = this.raw[field];
        if (this.pending.has(field) || value === undefined || allowed.includes(value as T)) {
            return value as T | undefined;
        }
        this.report(field, `must be one of ${allowed.join(", ")}`);
        return undefined;
    }

    /** Reports a value that is not a whole number from `min` to `max` (NaN and Infinity included). */
    wholeNumber(field: ValidatedField, min: number, max: number, expected: string): void {
        const value = this.raw[field];
        if (!this.pending.has(field) && value !== undefined && !(Number.isInteger(value) && (value as number) >= min && (value as number) <= max)) {
            this.report(field, `must be ${expected}`);
        }
    }

    /** The field's list value, or undefined when pending, absent, or not a list (reported). */
    list(field: ValidatedField): readonly unknown[] | undefined {
        const value = this.raw[field];
        if (this.pending.has(field) || value === undefined) {
            return undefined;
        }
        if (!Array.isArray(value)) {
            this.report(field, "must be a list");
            return undefined;
        }
        return value as readonly unknown[];
    }

    /** The field's string value, or undefined when it is pending, absent and optional, or invalid (reported). */
    text(field: ValidatedField, required: boolean): string | undefined {
        const value = this.raw[field];
        if (this.pending.has(field) || (value === undefined && !required)) {
            return undefined;
        }
        if (typeof value !== "string") {
            this.report(field, value === undefined ? "is required" : "must be a string");
            return undefined;
        }
        if (value.trim() === "") {
            this.report(field, value === "" ? "is required" : "is blank (only white space)");
            return undefined;
        }
        return value;
    }

    /** The field's IPv4 CIDR block, canonical and within AWS's VPC and subnet prefix bounds. */
    cidr(field: ValidatedField, kind: string): Ipv4Cidr | undefined {
        const value = this.text(field, true);
        if (value === undefined) {
            return undefined;
        }
        const parsed = parseIpv4Cidr(value);
        if (!parsed.ok) {
            this.report(field, parsed.reason);
            return undefined;
        }
        const { prefixLength } = parsed.cidr;
        if (prefixLength < MIN_PREFIX_LENGTH || prefixLength > MAX_PREFIX_LENGTH) {
            this.report(field, `has prefix /${prefixLength}; AWS allows ${kind} prefixes from /${MIN_PREFIX_LENGTH} to /${MAX_PREFIX_LENGTH}`);
            return undefined;
        }
        return parsed.cidr;
    }

    /** The field's text when it matches `pattern`; otherwise reported as not `expected`. */
    matches(field: ValidatedField, required: boolean, pattern: RegExp, expected: string): string | undefined {
        const value = this.text(field, required);
        if (value !== undefined && !pattern.test(value)) {
            this.report(field, `is not ${expected}`);
            return undefined;
        }
        return value;
    }
}
