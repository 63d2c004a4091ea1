/** JSON files the repository commits as guards (plans/, provider/schema.json): written, and compared with a fresh value. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../tools/stackFiles";

/** The file's text for `value`: two-space JSON with a final newline. */
export function serializeJson(value: unknown): string {
    return `${JSON.stringify(value, null, 2)}\n`;
}

/** The difference between the committed file and a fresh value, or undefined when they agree. */
export function committedJsonDrift(file: string, fresh: unknown): string | undefined {
    if (!fs.existsSync(file)) {
        return `${path.relative(PROJECT_DIR, file)} does not exist`;
    }
    try {
        assert.deepStrictEqual(fresh, JSON.parse(fs.readFileSync(file, "utf8")));
        return undefined;
    } catch (error) {
        return (error as Error).message;
    }
}
