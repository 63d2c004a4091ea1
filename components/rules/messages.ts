/** How a problem reads: one line per problem, naming the arg (or config key), the value and the reason. */
import type { ValidatedField, ValidationProblem } from "./fields";
import { shortened } from "./quote";

/** The longest path a message shows whole: any tag key AWS takes (128 characters) fits. */
export const MAX_PATH_LENGTH = 200;

/** One line per problem: `<label><path> = <value>: <reason>`; a longer path (a tag key) shortened like a value. */
export function describeProblems(problems: readonly ValidationProblem[], label: (field: ValidatedField) => string): string {
    return problems.map((p) => `  - ${label(p.field)}${shortened(p.path ?? "", MAX_PATH_LENGTH)} = ${formatValue(p.value)}: ${p.reason}`).join("\n");
}

/**
 * A value as the caller gave it: JSON, except that NaN and ±Infinity show as themselves (JSON would print null);
 * a long one shortened.
 */
export function formatValue(value: unknown): string {
    const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? `\u0000${v}` : v));
    return json === undefined ? "undefined" : shortened(json.replace(/"\\u0000([^"]*)"/g, "$1"));
}
