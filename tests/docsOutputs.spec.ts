/**
 * The error messages the README and docs/ show, reproduced: the settings each message names are put into dev's
 * stack file, the stack program runs under the mocks, and it must fail with those very lines.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { documentFiles, fencedBlocks } from "../tools/docsCommands";
import { runInProcess } from "../tools/updateMatrix";
import { loadStackConfig, PROJECT_DIR } from "../tools/stackFiles";

/** Plain blocks (no language) that show a refused configuration. */
const EXAMPLES = documentFiles(PROJECT_DIR).flatMap((file) =>
    fencedBlocks(fs.readFileSync(path.join(PROJECT_DIR, file), "utf8"))
        .filter(({ language, body }) => language === "" && /has \d+ invalid (config )?settings?:/.test(body))
        .map(({ body }) => ({ file, body })),
);

/** The message's lines as the program's error has them: without the Diagnostics frame, `error: ` and indentation. */
const messageLines = (text: string) =>
    text
        .split("\n")
        .slice(text.split("\n").findIndex((line) => /has \d+ invalid/.test(line)))
        .map((line) => line.trim().replace(/^error: /, ""))
        .filter((line) => line !== "");

describe("the refused configurations the documents show", () => {
    it("are found (README, docs/configuration.md)", () => {
        assert.deepStrictEqual([...new Set(EXAMPLES.map((e) => e.file))].sort(), ["README.md", "docs/configuration.md"]);
    });

    for (const { file, body } of EXAMPLES) {
        const stack = /Stack "(\w+)"|Stack \(dual-subnet-eni-(\w+)\)/.exec(body)?.slice(1).find(Boolean) ?? "dev";
        const settings = [...body.matchAll(/^\s*- (\S+) = ("(?:[^"\\]|\\.)*"):/gm)].map(([, key, value]) => [key, JSON.parse(value) as string]);

        it(`${file}: ${settings.map(([key, value]) => `${key}=${value}`).join(", ")} fails with the lines shown`, async () => {
            const config = { ...loadStackConfig("dev"), ...Object.fromEntries(settings) };
            const error = await runInProcess(stack, config).then(
                () => undefined,
                (e: unknown) => e,
            );
            assert.ok(error instanceof Error, "the program did not fail");
            assert.deepStrictEqual(messageLines(error.message), messageLines(body));
        });
    }
});
