/** npm run vendor: a copy that differs from its master is named, and a refresh makes it current again. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { refreshCopies, staleCopies, VENDORED } from "../scripts/vendor";
import { PROJECT_DIR } from "../tools/stackFiles";

describe("npm run vendor", () => {
    let masters: string;
    let project: string;

    beforeEach(() => {
        masters = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-masters-"));
        project = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-vendor-"));
        for (const { master, copy } of VENDORED) {
            const { copiedFrom: _note, ...content } = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, copy), "utf8")) as Record<string, unknown>;
            fs.writeFileSync(path.join(masters, master), JSON.stringify(content));
            fs.mkdirSync(path.dirname(path.join(project, copy)), { recursive: true });
            fs.copyFileSync(path.join(PROJECT_DIR, copy), path.join(project, copy));
        }
    });

    afterEach(() => [masters, project].forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    it("finds the committed copies current against masters of the same content, whatever their formatting", () => {
        assert.deepStrictEqual(staleCopies(masters, project), []);
    });

    it("names a copy whose master changed, and a refresh brings it back in line, keeping its note of origin and leaving current copies as they are", () => {
        const [{ master, copy }] = VENDORED;
        const changed = { ...(JSON.parse(fs.readFileSync(path.join(masters, master), "utf8")) as object), source: "newer" };
        fs.writeFileSync(path.join(masters, master), JSON.stringify(changed));
        assert.deepStrictEqual(staleCopies(masters, project), [`${copy} differs from ${path.join(masters, master)}`]);
        const untouched = VENDORED.slice(1).map((v) => fs.readFileSync(path.join(project, v.copy), "utf8"));
        assert.deepStrictEqual(refreshCopies(masters, project), [`wrote ${copy}`]);
        assert.deepStrictEqual(staleCopies(masters, project), []);
        assert.deepStrictEqual(VENDORED.slice(1).map((v) => fs.readFileSync(path.join(project, v.copy), "utf8")), untouched, "a current copy was rewritten");
    });
});
