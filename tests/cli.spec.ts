import * as assert from "assert";
import { parseRunsArgs } from "../scripts/cli";

describe("the measuring scripts' arguments (bench, stress)", () => {
    it("default to 3 runs, take --runs N and the script's own switches", () => {
        assert.deepStrictEqual(parseRunsArgs([]), { runs: 3 });
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
});
