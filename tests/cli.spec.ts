import * as assert from "assert";
import { parseRunsArgs, runsFromArgs } from "../scripts/cli";

describe("the measuring scripts' arguments (bench, stress, failover:drill)", () => {
    it("default to 3 runs (or the script's default: the failover drill's 10), take --runs N and the script's own switches", () => {
        assert.deepStrictEqual(parseRunsArgs([]), { runs: 3 });
        assert.deepStrictEqual(parseRunsArgs(["--json"], ["--json"], 10), { runs: 10 });
        assert.deepStrictEqual(parseRunsArgs(["--runs", "5", "--json"], ["--json"]), { runs: 5 });
    });

    it("answer --help first, whatever else is given", () => {
        assert.deepStrictEqual(parseRunsArgs(["--bogus", "--help"]), { help: true });
    });

    it("name an unknown argument, in any position, and a --runs that is not a whole number above 0", () => {
        assert.deepStrictEqual(parseRunsArgs(["--json"]), { error: "unknown argument --json" });
        assert.deepStrictEqual(parseRunsArgs(["--runs", "2", "extra"]), { error: "unknown argument extra" });
        for (const runs of ["0", "1.5", "two"]) {
            assert.deepStrictEqual(parseRunsArgs(["--runs", runs]), { error: "--runs takes a whole number above 0" });
        }
        assert.deepStrictEqual(parseRunsArgs(["--runs"]), { error: "--runs takes a whole number above 0" });
    });

    it("give the script its runs, or the exit code once the usage is printed: 0 for --help, 2 with an error", () => {
        const printed: string[] = [];
        const [log, error] = [console.log, console.error];
        console.log = console.error = (text: string) => void printed.push(text);
        try {
            assert.deepStrictEqual(runsFromArgs(["--runs", "2"], "usage"), { runs: 2 });
            assert.strictEqual(runsFromArgs(["--help"], "usage"), 0);
            assert.strictEqual(runsFromArgs(["--bogus"], "usage"), 2);
        } finally {
            [console.log, console.error] = [log, error];
        }
        assert.deepStrictEqual(printed, ["usage", "unknown argument --bogus\n\nusage"]);
    });
});
