/** How a problem reads: one line per problem, naming the arg (or config key), the value and the reason. */
import type { ValidatedField, ValidationProblem } from "./fields";

/** The most items a message lists: a longer list shows its first ones and how many more there are. */
export const MAX_LISTED = 8;

/** Values as a message lists them: comma-separated (at most `MAX_LISTED`, then how many more), or "none". */
export function list(values: readonly string[]): string {
    if (values.length === 0) {
        return "none";
    }
    const more = values.length - MAX_LISTED;
    return more > 0 ? `${values.slice(0, MAX_LISTED).join(", ")} and ${more} more` : values.join(", ");
}

/** The longest path a message shows whole: any tag key AWS takes (128 characters) fits. */
export const MAX_PATH_LENGTH = 200;

/** One line per problem: `<label><path> = <value>: <reason>`; a longer path (a tag key) shortened like a value. */
export function describeProblems(problems: readonly ValidationProblem[], label: (field: ValidatedField) => string): string {
    return problems.map((p) => `  - ${label(p.field)}${shortened(p.path ?? "", MAX_PATH_LENGTH)} = ${formatValue(p.value)}: ${p.reason}`).join("\n");
}

/** The longest text a message quotes whole: a longer one shows its start, its end and its length. */
export const MAX_QUOTED_LENGTH = 120;

/** `text` whole, or, past `max` characters, its start and end (two thirds and a fifth of `max`: 80 and 24 by default) around "…" and its length. */
export function shortened(text: string, max = MAX_QUOTED_LENGTH): string {
    return text.length <= max ? text : `${text.slice(0, Math.round((max * 2) / 3))}…${text.slice(-Math.round(max / 5))} (${text.length} characters)`;
}

/**
 * A value as the caller gave it: JSON, except that NaN and ±Infinity show as themselves (JSON would print null);
 * a long one shortened.
 */
export function formatValue(value: unknown): string {
    const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? `\u0000${v}` : v));
    return json === undefined ? "undefined" : shortened(json.replace(/"\\u0000([^"]*)"/g, "$1"));
}
