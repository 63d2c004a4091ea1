/**
 * guestNetwork's user data read by cloud-init itself (Debian's cloud-init 22.4): `cloud-init schema -c` on the
 * cloud-config the component generates, and cloud-init's own user-data processor on the merged MIME document;
 * and its systemd unit read by `systemd-analyze verify`. Skipped with the reason where the tool is not
 * installed, except under CI=true, where that fails the run.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { GUEST_SCRIPT_PATH, GUEST_UNIT, guestCloudConfig as generatedCloudConfig, guestUserData } from "../components/guestNetwork";
import { PublicInterface } from "../components/validation";
import { guestCloudConfigPart, stackUserData } from "./guestUserData";

/**
 * Reads a JSON list of user-data documents on stdin, runs each through cloud-init's UserDataProcessor (as
 * cloud-init does with an instance's user data) and prints, per document, each resulting part's type and payload.
 */
const PROCESS_USER_DATA = `
import base64, json, sys
from cloudinit import helpers, user_data
def parts(document):
    message = user_data.UserDataProcessor(helpers.Paths({})).process(document.encode("utf-8"))
    return [{"type": p.get_content_type(), "payload": base64.b64encode(p.get_payload(decode=True)).decode()}
            for p in message.walk() if p.get_content_maintype() != "multipart"]
print(json.dumps([parts(document) for document in json.load(sys.stdin)]))
`;

const COMMAND_TIMEOUT_MS = 30_000;

/** Skips the suite, or under CI=true fails it, for a missing tool. */
function skipOrFail(context: Mocha.Context, reason: string): never {
    if (process.env.CI === "true") {
        throw new Error(`CI runs this for real, but: ${reason}`);
    }
    console.log(`      skipped: ${reason}`);
    context.skip();
}

/** The Python interpreter cloud-init runs with (its script's #! line), or the reason there is none. */
function cloudInitPython(): { python?: string; reason?: string } {
    const which = spawnSync("sh", ["-c", "command -v cloud-init"], { encoding: "utf8", timeout: 5000 });
    if (which.status !== 0) {
        return { reason: "cloud-init is not installed (npm run setup:linux installs it)" };
    }
    const shebang = /^#!\s*(\S+)/.exec(fs.readFileSync(which.stdout.trim(), "utf8"))?.[1];
    return shebang ? { python: shebang } : { reason: "cloud-init's script names no interpreter" };
}

describe("guestNetwork's user data, read by cloud-init", function () {
    this.timeout(60_000);
    let python: string;
    let work: string;

    before(function () {
        const found = cloudInitPython();
        python = found.python ?? skipOrFail(this, found.reason!);
        work = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-cloud-init-"));
    });

    after(() => work && fs.rmSync(work, { recursive: true, force: true }));

    function schema(text: string) {
        const file = path.join(work, "cloud-config.yaml");
        fs.writeFileSync(file, text);
        return spawnSync("cloud-init", ["schema", "-c", file], { encoding: "utf8", timeout: COMMAND_TIMEOUT_MS, killSignal: "SIGKILL" });
    }

    for (const publicInterface of Object.values(PublicInterface)) {
        it(`the cloud-config the dev stack generates passes cloud-init schema (publicInterface ${publicInterface})`, async () => {
            const [userData] = await stackUserData("dev", { guestNetwork: "true", publicInterface });
            const result = schema(guestCloudConfigPart(userData).text);
            assert.strictEqual(result.status, 0, result.stdout + result.stderr);
            // 22.4 prints "Valid cloud-config: <file>", later releases "Valid schema <file>".
            assert.match(result.stdout, /Valid (cloud-config|schema)/);
        });
    }

    it("cloud-init schema really checks: write_files permissions of the wrong type are refused", () => {
        const broken = generatedCloudConfig("none").replace('permissions: "0755"', "permissions: [0755]");
        const result = schema(broken);
        assert.notStrictEqual(result.status, 0, result.stdout);
        assert.match(result.stdout + result.stderr, /write_files.*permissions/s);
    });

    const USER_DATA: [string, string, string][] = [
        ["a shell script", "#!/bin/bash\necho hello > /tmp/hello\n", "text/x-shellscript"],
        ["a cloud-config", "#cloud-config\npackages: [nginx]\n", "text/cloud-config"],
        ["a cloud-config with leading blank lines, upper case", "\n  #Cloud-Config\nruncmd: [[true]]\n", "text/cloud-config"],
        ["a boothook", "#cloud-boothook\n#!/bin/sh\necho early\n", "text/cloud-boothook"],
        ["non-ASCII text, no final newline", "#!/bin/sh\necho 'héllo wörld 😀'", "text/x-shellscript"],
        ["text holding the document's own boundary", "#!/bin/sh\ncat <<EOF\n--==dual-subnet-eni-guest-network==\nEOF\n", "text/x-shellscript"],
        ["text of no known type", "just some text\n", "text/plain"],
    ];

    const USER_MIME =
        'Content-Type: multipart/mixed; boundary="user"\nMIME-Version: 1.0\n\n--user\nContent-Type: text/x-shellscript\n\n#!/bin/sh\necho one\n\n--user\nContent-Type: text/cloud-config\n\n#cloud-config\nruncmd: [[echo, two]]\n\n--user--\n';
    const documents = [...USER_DATA.map(([, userData]) => guestUserData("networkInterface", userData)), guestUserData("none", USER_MIME), guestUserData("instance")];
    let results: { type: string; payload: string }[][];

    /** cloud-init's parts of one of `documents`, computed once for all of them (one Python start). */
    function processed(document: string): { type: string; payload: string }[] {
        if (!results) {
            const run = spawnSync(python, ["-c", PROCESS_USER_DATA], { input: JSON.stringify(documents), encoding: "utf8", timeout: COMMAND_TIMEOUT_MS, killSignal: "SIGKILL" });
            assert.strictEqual(run.status, 0, run.stderr);
            results = (JSON.parse(run.stdout) as { type: string; payload: string }[][]).map((parts) =>
                parts.map((p) => ({ type: p.type, payload: Buffer.from(p.payload, "base64").toString("utf8") })),
            );
        }
        return results[documents.indexOf(document)];
    }

    for (const [title, userData, type] of USER_DATA) {
        it(`cloud-init finds both parts intact, with the user's part typed by its first line: ${title}`, () => {
            assert.deepStrictEqual(processed(guestUserData("networkInterface", userData)), [
                { type: "text/cloud-config", payload: generatedCloudConfig("networkInterface") },
                { type, payload: userData },
            ]);
        });
    }

    it("a user MIME document is nested as it is: cloud-init finds each of its parts", () => {
        assert.deepStrictEqual(processed(guestUserData("none", USER_MIME)), [
            { type: "text/cloud-config", payload: generatedCloudConfig("none") },
            { type: "text/x-shellscript", payload: "#!/bin/sh\necho one\n" },
            { type: "text/cloud-config", payload: "#cloud-config\nruncmd: [[echo, two]]\n" },
        ]);
    });

    it("without user data, the guest's cloud-config is the only part", () => {
        assert.deepStrictEqual(processed(guestUserData("instance")), [{ type: "text/cloud-config", payload: generatedCloudConfig("instance") }]);
    });
});

describe("guestNetwork's systemd unit, read by systemd-analyze verify", function () {
    this.timeout(30_000);
    let work: string;

    before(function () {
        if (spawnSync("sh", ["-c", "command -v systemd-analyze"], { timeout: 5000 }).status !== 0) {
            skipOrFail(this, "systemd-analyze is not installed (npm run setup:linux installs systemd)");
        }
        work = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-unit-"));
    });

    after(() => work && fs.rmSync(work, { recursive: true, force: true }));

    /** What verify says of the unit for eth1, but that the script is not installed on this machine. */
    function verify(unit: string): string[] {
        const file = path.join(work, `${GUEST_UNIT}@eth1.service`);
        fs.writeFileSync(file, unit);
        const result = spawnSync("systemd-analyze", ["verify", "--man=no", file], { encoding: "utf8", timeout: COMMAND_TIMEOUT_MS, killSignal: "SIGKILL" });
        return (result.stdout + result.stderr)
            .split("\n")
            .filter((line) => line.trim() !== "" && !line.includes(`Command ${GUEST_SCRIPT_PATH} is not executable`));
    }

    const unit = () => (parse(generatedCloudConfig("none")).write_files as { path: string; content: string }[]).find((f) => f.path.endsWith(`${GUEST_UNIT}@.service`))!.content;

    it("finds nothing wrong with the unit", () => {
        assert.deepStrictEqual(verify(unit()), []);
    });

    it("really checks: an unknown key is reported", () => {
        assert.match(verify(unit().replace("RemainAfterExit=yes", "RemainAfterExit=yes\nRemainAfterExitt=yes")).join("\n"), /Unknown key/);
    });
});
