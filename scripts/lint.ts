/**
 * npm run lint, after ESLint: the checks that read the code rather than run it.
 * - no import circle among components/, stacks/, tools/, scripts/ and provider/, type-only imports included
 *   (tools/importGraph.ts; tests/rooms.spec.ts shows it finds one);
 * - every GitHub Actions workflow passes action-validator (GitHub's workflow schema, job and needs references);
 * - the failover mover, plain JavaScript, type-checks against its JSDoc (`// @ts-check`, tsc's checkJs, strict);
 * - provider/schema.json is what the SDK's analyzer writes from the args interface, and Pulumi.yaml and the README's
 *   config table follow it (npm run schema -- --check).
 * The workflow check first shows it can fail, on a broken example.
 */
import { validateWorkflow } from "@action-validator/core";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { runAsCli } from "./cli";
import { checkSchema } from "./schema";
import { circlesOf, importGraph, sourcesUnder } from "../tools/importGraph";
import { PROJECT_DIR } from "../tools/stackFiles";

export const USAGE = `usage: npm run lint [-- --help]

Runs ESLint (eslint.config.mjs), then: import circles, the workflows' schema (action-validator),
and the package schema against the args interface. Exit 1 with every problem listed when one fails.`;

const FOLDERS = ["components", "stacks", "tools", "scripts", "provider"];
const WORKFLOWS = path.join(PROJECT_DIR, ".github", "workflows");

function importCircles(): string[] {
    const files = FOLDERS.flatMap((folder) => sourcesUnder(path.join(PROJECT_DIR, folder)));
    return circlesOf(importGraph(files)).map((circle) => `import circle: ${circle.map((file) => path.relative(PROJECT_DIR, file)).join(" -> ")}`);
}

/** action-validator's findings, one line each. */
const workflowProblems = (source: string): string[] => validateWorkflow(source).errors.map((error) => JSON.stringify(error));

function workflows(): string[] {
    const broken = workflowProblems("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    needs: missing\n    stepz:\n      - run: true\n");
    if (!/unresolved job missing/.test(broken.join("\n"))) {
        return ["action-validator no longer refuses a broken workflow; the workflow check would pass anything"];
    }
    return fs.readdirSync(WORKFLOWS).flatMap((file) => workflowProblems(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")).map((problem) => `.github/workflows/${file}: ${problem}`));
}

/** tsc's errors for JavaScript files checked against their JSDoc, strict, as Node.js 22 runs them. */
export function checkJs(files: readonly string[]): string[] {
    const options: ts.CompilerOptions = { allowJs: true, checkJs: true, strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, types: ["node"] };
    const program = ts.createProgram({ rootNames: [...files], options });
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, " ") + (d.file ? ` (${path.relative(PROJECT_DIR, d.file.fileName)})` : ""));
}

function moverTypes(): string[] {
    const probe = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-checkjs-"));
    try {
        fs.writeFileSync(path.join(probe, "broken.js"), "// @ts-check\n/** @type {number} */\nconst n = 'text';\nmodule.exports = n;\n");
        if (checkJs([path.join(probe, "broken.js")]).length === 0) {
            return ["tsc no longer reports a JSDoc type error; the mover's check would pass anything"];
        }
    } finally {
        fs.rmSync(probe, { recursive: true, force: true });
    }
    return checkJs([path.join(PROJECT_DIR, "components", "failoverMover.js")]);
}

export async function main(args: readonly string[]): Promise<number> {
    if (args.includes("--help") || args.includes("-h")) {
        console.log(USAGE);
        return 0;
    }
    if (args.length > 0) {
        console.error(`unknown argument ${args.join(" ")}\n\n${USAGE}`);
        return 2;
    }
    const results: [string, string[]][] = [
        ["no import circles", importCircles()],
        ["the workflows pass action-validator", workflows()],
        ["the failover mover type-checks against its JSDoc", moverTypes()],
        ["the package schema and its followers match the args", await checkSchema()],
    ];
    for (const [check, problems] of results) {
        console.log(problems.length === 0 ? `✓ ${check}` : `✗ ${check}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
    return results.some(([, problems]) => problems.length > 0) ? 1 : 0;
}

runAsCli(module, main);
