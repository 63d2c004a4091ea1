/** npm run vendor (see USAGE): the AWS facts the repository commits, copied from the team's masters. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runAsCli } from "./cli";
import { PROJECT_DIR } from "../tools/stackFiles";

/** Each vendored file: its master's name in the masters' folder, and where the repository keeps its copy. */
export const VENDORED: readonly { readonly master: string; readonly copy: string }[] = [
    { master: "aws-instance-network-limits.json", copy: "components/awsInstanceNetworkLimits.json" },
    { master: "aws-instance-ipv6.json", copy: "components/awsInstanceIpv6.json" },
    { master: "aws-replace-on-change.json", copy: "tools/awsReplaceOnChange.json" },
    { master: "aws-attribute-facts.json", copy: "tools/awsAttributeFacts.json" },
];

export const USAGE = `usage: npm run vendor -- --from <folder> [--check] | --help

Copies AWS's facts from the team's masters in <folder> into the repository (${VENDORED.map((v) => v.copy).join(", ")}),
keeping each copy's own note of where it came from ("copiedFrom").

  --from <folder>   the folder of the masters (e.g. ../shared)
  --check           write nothing; exit 1 naming each copy that differs from its master
  --help            print this help`;

/** A JSON document without the copy's own note. */
function content(file: string): unknown {
    const { copiedFrom: _note, ...rest } = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    return rest;
}

/** Whether a copy holds its master's content, differs from it, or has no master in `from`. */
function copyState(from: string, dir: string, { master, copy }: (typeof VENDORED)[number]): "current" | "stale" | "no master" {
    const masterFile = path.join(from, master);
    if (!fs.existsSync(masterFile)) {
        return "no master";
    }
    try {
        assert.deepStrictEqual(content(path.join(dir, copy)), content(masterFile));
        return "current";
    } catch {
        return "stale";
    }
}

/** The copies that differ from their masters in `from`, each with the reason. */
export function staleCopies(from: string, dir = PROJECT_DIR): string[] {
    return VENDORED.flatMap((vendored) => {
        const masterFile = path.join(from, vendored.master);
        const state = copyState(from, dir, vendored);
        return state === "current" ? [] : [state === "no master" ? `${vendored.copy}: no master ${masterFile}` : `${vendored.copy} differs from ${masterFile}`];
    });
}

/** Writes each stale copy from its master, keeping the copy's note of its origin; a current copy keeps its formatting. */
export function refreshCopies(from: string, dir = PROJECT_DIR): string[] {
    return VENDORED.filter((vendored) => copyState(from, dir, vendored) === "stale").map(({ master, copy }) => {
        const target = path.join(dir, copy);
        const { copiedFrom } = fs.existsSync(target) ? (JSON.parse(fs.readFileSync(target, "utf8")) as { copiedFrom?: unknown }) : {};
        const fresh = JSON.parse(fs.readFileSync(path.join(from, master), "utf8")) as Record<string, unknown>;
        fs.writeFileSync(target, `${JSON.stringify(copiedFrom === undefined ? fresh : { copiedFrom, ...fresh }, null, 2)}\n`);
        return `wrote ${copy}`;
    });
}

export async function main(args: readonly string[]): Promise<number> {
    if (args.includes("--help") || args.includes("-h")) {
        console.log(USAGE);
        return 0;
    }
    const fromAt = args.indexOf("--from");
    const from = fromAt >= 0 ? args[fromAt + 1] : undefined;
    const unknown = args.filter((arg, i) => arg !== "--check" && i !== fromAt && i !== fromAt + 1);
    if (from === undefined || from.startsWith("-") || unknown.length > 0) {
        console.error(`${unknown.length > 0 ? `unknown argument ${unknown.join(" ")}` : "--from <folder> is required"}\n\n${USAGE}`);
        return 2;
    }
    if (args.includes("--check")) {
        const stale = staleCopies(from);
        console.log(stale.length === 0 ? "✓ every vendored copy matches its master" : stale.map((line) => `✗ ${line}`).join("\n"));
        return stale.length === 0 ? 0 : 1;
    }
    refreshCopies(from).forEach((line) => console.log(line));
    return 0;
}

runAsCli(module, main);
