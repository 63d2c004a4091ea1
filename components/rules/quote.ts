/** Quoting in messages: long texts and lists shortened, so no message grows with the values it quotes. A floor module: it imports nothing. */

/** The longest text a message quotes whole: a longer one shows its start, its end and its length. */
export const MAX_QUOTED_LENGTH = 120;

/** `text` whole, or, past `max` characters, its start and end (two thirds and a fifth of `max`: 80 and 24 by default) around "…" and its length. */
export function shortened(text: string, max = MAX_QUOTED_LENGTH): string {
    return text.length <= max ? text : `${text.slice(0, Math.round((max * 2) / 3))}…${text.slice(-Math.round(max / 5))} (${text.length} characters)`;
}

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
