/** Finding Debian's cloud-init (22.4) and its Python for the integration specs that run it, and skipping where it is missing. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Each command is killed with its process group at this deadline. */
export const COMMAND_DEADLINE_MS = 30_000;

/** Skips the suite, or under CI=true fails it, for a missing tool. */
export function skipOrFail(context: Mocha.Context, reason: string): never {
    if (process.env.CI === "true") {
        throw new Error(`CI runs this for real, but: ${reason}`);
    }
    console.log(`      skipped: ${reason}`);
    context.skip();
}

/** Where `command` is found on PATH (as `command -v` finds it), or undefined. */
export function onPath(command: string): string | undefined {
    return (process.env.PATH ?? "")
        .split(path.delimiter)
        .filter((dir) => dir !== "")
        .map((dir) => path.join(dir, command))
        .find((file) => {
            try {
                fs.accessSync(file, fs.constants.X_OK);
                return fs.statSync(file).isFile();
            } catch {
                return false;
            }
        });
}

/** The Python interpreter cloud-init runs with (its script's #! line), or the reason there is none. */
export function cloudInitPython(): { python?: string; reason?: string } {
    const script = onPath("cloud-init");
    if (!script) {
        return { reason: "cloud-init is not installed (npm run setup:linux installs it)" };
    }
    const shebang = /^#!\s*(\S+)/.exec(fs.readFileSync(script, "utf8"))?.[1];
    return shebang ? { python: shebang } : { reason: "cloud-init's script names no interpreter" };
}

/** Runs `check` with a folder of its own, removed once it is done. */
export async function inTempDir<T>(prefix: string, check: (dir: string) => Promise<T>): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    try {
        return await check(dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
