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

/** The longest text a message quotes whole: a longer one shows its start, its end and its length. */
export const MAX_QUOTED_LENGTH = 120;

/** `text` whole, or, past `max` characters, its first 80 and last 24 characters around "…" and its length. */
export function shortened(text: string, max = MAX_QUOTED_LENGTH): string {
    return text.length <= max ? text : `${text.slice(0, 80)}…${text.slice(-24)} (${text.length} characters)`;
}

/**
 * A value as the caller gave it: JSON, except that NaN and ±Infinity show as themselves (JSON would print null);
 * a long one shortened.
 */
export function formatValue(value: unknown): string {
    const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? `\u0000${v}` : v));
    return json === undefined ? "undefined" : shortened(json.replace(/"\\u0000([^"]*)"/g, "$1"));
}
