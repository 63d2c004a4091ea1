/** How a problem reads: one line per problem, naming the arg (or config key), the value and the reason. */
import type { ValidatedField, ValidationProblem } from "./fields";

/** Values as a message lists them: comma-separated, or "none". */
export function list(values: readonly string[]): string {
    return values.length === 0 ? "none" : values.join(", ");
}

/** One line per problem: `<label><path> = <value>: <reason>`. */
export function describeProblems(problems: readonly ValidationProblem[], label: (field: ValidatedField) => string): string {
    return problems.map((p) => `  - ${label(p.field)}${p.path ?? ""} = ${formatValue(p.value)}: ${p.reason}`).join("\n");
}

/** A value as the caller gave it: JSON, except that NaN and ±Infinity show as themselves (JSON would print null). */
export function formatValue(value: unknown): string {
    const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? `\u0000${v}` : v));
    return json === undefined ? "undefined" : json.replace(/"\\u0000([^"]*)"/g, "$1");
}
