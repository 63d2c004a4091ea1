/** Runs a script's `main` when the file is executed (not imported): its exit code, or 1 with the error's message. */
export function runAsCli(module: NodeModule, main: (args: string[]) => Promise<number>): void {
    if (require.main !== module) {
        return;
    }
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error) => {
            console.error(error instanceof Error ? error.message : error);
            process.exit(1);
        },
    );
}

/** A measuring script's arguments: `--help`, or `--runs N` (default 3, or the script's) with the script's own switches. */
export type RunsArgs = { readonly help: true } | { readonly error: string } | { readonly runs: number };

/** Reads `--help`, `--runs N` and the given switches; anything else is an error naming it. */
export function parseRunsArgs(args: readonly string[], switches: readonly string[] = [], defaultRuns = 3): RunsArgs {
    if (args.includes("--help") || args.includes("-h")) {
        return { help: true };
    }
    const runsFlag = args.indexOf("--runs");
    const runs = runsFlag >= 0 ? Number(args[runsFlag + 1]) : defaultRuns;
    const unknown = args.filter((a, i) => ![...switches, "--runs"].includes(a) && !(runsFlag >= 0 && i === runsFlag + 1));
    if (unknown.length > 0) {
        return { error: `unknown argument ${unknown.join(" ")}` };
    }
    return Number.isInteger(runs) && runs > 0 ? { runs } : { error: "--runs takes a whole number above 0" };
}

/**
 * A measuring script's runs, from its arguments: or the exit code once it has printed its usage (`--help`: 0)
 * or the error with its usage (2).
 */
export function runsFromArgs(args: readonly string[], usage: string, switches: readonly string[] = [], defaultRuns = 3): { readonly runs: number } | number {
    const parsed = parseRunsArgs(args, switches, defaultRuns);
    if ("help" in parsed) {
        console.log(usage);
        return 0;
    }
    if ("error" in parsed) {
        console.error(`${parsed.error}\n\n${usage}`);
        return 2;
    }
    return parsed;
}

const started = Date.now();

/** One line of progress on stderr, with the seconds since the script started: long work says what it is doing. */
export function progress(script: string, message: string): void {
    process.stderr.write(`${script} [${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
}
