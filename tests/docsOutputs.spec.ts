/**
 * The error messages the README and docs/ show, reproduced: the settings each message names are put into dev's
 * stack file, the stack program runs under the mocks, and it must fail with those very lines.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runInProcess } from "../tools/updateMatrix";
import { loadStackConfig, PROJECT_DIR } from "../tools/stackFiles";

const DOCS = ["README.md", ...fs.readdirSync(path.join(PROJECT_DIR, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** The fenced blocks of a Markdown text without a language. */
function plainBlocks(markdown: string): string[] {
    const blocks: string[] = [];
    let open: { language: string; lines: string[] } | undefined;
    for (const line of markdown.split("\n")) {
        if (line.startsWith("```")) {
            if (open?.language === "") {
                blocks.push(open.lines.join("\n"));
            }
            open = open ? undefined : { language: line.slice(3), lines: [] };
        } else {
            open?.lines.push(line);
        }
    }
    return blocks;
}

/** Plain blocks that show a refused configuration. */
const EXAMPLES = DOCS.flatMap((file) =>
    plainBlocks(fs.readFileSync(path.join(PROJECT_DIR, file), "utf8"))
        .map((body) => ({ file, body }))
        .filter(({ body }) => /has \d+ invalid (config )?settings?:/.test(body)),
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
