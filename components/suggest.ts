/** "Did you mean …?": the known name a mistyped one most likely meant. */
import { distance } from "fastest-levenshtein";

/**
 * The candidate `typed` most likely meant, or undefined when none is close: the same name in another case
 * (`Dev` → `dev`), else one that contains what was typed, or is contained in it (`prefix` → `namePrefix`), else the
 * fewest edits ignoring case (`m5.larg` → `m5.large`). A candidate more than half the typed length away is no suggestion.
 */
export function closestMatch(typed: string, candidates: readonly string[]): string | undefined {
    const wanted = typed.toLowerCase();
    let best: { candidate: string; score: number } | undefined;
    for (const candidate of candidates) {
        const lower = candidate.toLowerCase();
        const edits = distance(wanted, lower);
        const contains = wanted.length >= 3 && (lower.includes(wanted) || wanted.includes(lower));
        const score = lower === wanted ? 0 : contains ? 1.5 : edits + 1;
        if (best === undefined || score < best.score) {
            best = { candidate, score };
        }
    }
    return best && best.score <= Math.max(2, wanted.length / 2) ? best.candidate : undefined;
}

/** `; did you mean <name>?` for the nearest candidate, or "" when none is near. */
export function didYouMean(typed: string, candidates: readonly string[]): string {
    const match = closestMatch(typed, candidates);
    return match === undefined ? "" : `; did you mean ${match}?`;
}
