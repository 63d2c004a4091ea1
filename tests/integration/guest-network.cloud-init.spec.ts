/**
 * guestNetwork's user data read by cloud-init itself (Debian's cloud-init 22.4): `cloud-init schema -c` on the
 * cloud-config the component generates, and cloud-init's own user-data processor on the merged MIME document;
 * and its systemd unit read by `systemd-analyze verify`. Skipped with the reason where the tool is not
 * installed, except under CI=true, where that fails the run.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { GUEST_SCRIPT_PATH, GUEST_UNIT, guestCloudConfig as generatedCloudConfig, guestUserData } from "../../components/guestNetwork";
import { PublicInterface } from "../../components/args";
import { ChildResult, runChild } from "../../tools/childProcess";
import { cloudInitPython, COMMAND_DEADLINE_MS, inTempDir, onPath, skipOrFail } from "../support/cloudInit";
import { once } from "../support/once";
import { guestCloudConfigPart, stackUserData } from "../support/guestUserData";

/**
 * Reads a JSON list of user-data documents from the file named by its argument, runs each through cloud-init's UserDataProcessor (as
 * cloud-init does with an instance's user data) and prints, per document, each resulting part's type and payload.
 */
const PROCESS_USER_DATA = `
import base64, json, sys
from cloudinit import helpers, user_data
def parts(document):
    message = user_data.UserDataProcessor(helpers.Paths({})).process(document.encode("utf-8"))
    return [{"type": p.get_content_type(), "payload": base64.b64encode(p.get_payload(decode=True)).decode()}
            for p in message.walk() if p.get_content_maintype() != "multipart"]
print(json.dumps([parts(document) for document in json.load(open(sys.argv[1], encoding="utf-8"))]))
`;

/** `cloud-init schema -c` on a cloud-config written into `dir`. */
function schemaCheck(dir: string, text: string, shared = false): Promise<ChildResult> {
    const file = path.join(dir, "cloud-config.yaml");
    fs.writeFileSync(file, text);
    return runChild("cloud-init schema", "cloud-init", ["schema", "-c", file], { deadlineMs: COMMAND_DEADLINE_MS, shared });
}

describe("guestNetwork's user data, read by cloud-init", function () {
    this.timeout(60_000);
    let work: string;

    before(function () {
        const found = cloudInitPython();
        if (!found.python) {
            skipOrFail(this, found.reason!);
        }
        work = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-cloud-init-"));
    });

    after(() => work && fs.rmSync(work, { recursive: true, force: true }));


    for (const publicInterface of Object.values(PublicInterface)) {
        it(`the cloud-config the dev stack generates passes cloud-init schema (publicInterface ${publicInterface})`, async () => {
            const [userData] = await stackUserData("dev", { guestNetwork: "true", publicInterface });
            const result = await schemaCheck(work, guestCloudConfigPart(userData).text);
            assert.strictEqual(result.exitCode, 0, result.stdout + result.stderr);
            // 22.4 prints "Valid cloud-config: <file>", later releases "Valid schema <file>".
            assert.match(result.stdout, /Valid (cloud-config|schema)/);
        });
    }

    it("the cloud-config the dev stack generates with ipv6 and IPv4 and IPv6 prefixes passes cloud-init schema", async () => {
        const [userData] = await stackUserData("dev", { guestNetwork: "true", ipv6: "true", networkInterfaceIpv4PrefixCount: "1", networkInterfaceIpv6PrefixCount: "1" });
        const result = await schemaCheck(work, guestCloudConfigPart(userData).text);
        assert.strictEqual(result.exitCode, 0, result.stdout + result.stderr);
        assert.match(result.stdout, /Valid (cloud-config|schema)/);
    });

    it("cloud-init schema really checks: write_files permissions of the wrong type are refused", async function () {
        this.timeout(2 * COMMAND_DEADLINE_MS + 10_000);
        const result = (await checkedInBackground()).broken;
        assert.notStrictEqual(result.exitCode, 0, result.stdout);
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

    /**
     * The checks that need no stack, made once for the tests that read them: the broken cloud-config's schema
     * check, and cloud-init's parts of every one of `documents` (one Python start). Undefined without cloud-init.
     */
    const background = once(async () => {
        const { python: interpreter } = cloudInitPython();
        if (!interpreter) {
            return undefined;
        }
        return inTempDir("dual-subnet-eni-cloud-init-", async (dir) => {
            const broken = await schemaCheck(dir, generatedCloudConfig("none").replace('permissions: "0755"', "permissions: [0755]"), true);
            const input = path.join(dir, "documents.json");
            fs.writeFileSync(input, JSON.stringify(documents));
            const processor = await runChild("cloud-init's user-data processor", interpreter, ["-c", PROCESS_USER_DATA, input], { deadlineMs: COMMAND_DEADLINE_MS, shared: true });
            return { broken, processor };
        });
    });

    async function checkedInBackground() {
        const checked = await background();
        assert.ok(checked, "cloud-init went missing since the spec started");
        return checked;
    }

    /** cloud-init's parts of one of `documents`. */
    async function processed(document: string): Promise<{ type: string; payload: string }[]> {
        const run = (await checkedInBackground()).processor;
        assert.strictEqual(run.exitCode, 0, run.stderr);
        const results = (JSON.parse(run.stdout) as { type: string; payload: string }[][]).map((parts) =>
            parts.map((p) => ({ type: p.type, payload: Buffer.from(p.payload, "base64").toString("utf8") })),
        );
        return results[documents.indexOf(document)];
    }

    for (const [title, userData, type] of USER_DATA) {
        it(`cloud-init finds both parts intact, the user's first, typed by its first line: ${title}`, async function () {
            this.timeout(2 * COMMAND_DEADLINE_MS + 10_000);
            assert.deepStrictEqual(await processed(guestUserData("networkInterface", userData)), [
                { type, payload: userData },
                { type: "text/cloud-config", payload: generatedCloudConfig("networkInterface") },
            ]);
        });
    }

    it("a user MIME document is nested as it is: cloud-init finds each of its parts", async function () {
        this.timeout(2 * COMMAND_DEADLINE_MS + 10_000);
        assert.deepStrictEqual(await processed(guestUserData("none", USER_MIME)), [
            { type: "text/x-shellscript", payload: "#!/bin/sh\necho one\n" },
            { type: "text/cloud-config", payload: "#cloud-config\nruncmd: [[echo, two]]\n" },
            { type: "text/cloud-config", payload: generatedCloudConfig("none") },
        ]);
    });

    it("without user data, the guest's cloud-config is the only part", async function () {
        this.timeout(2 * COMMAND_DEADLINE_MS + 10_000);
        assert.deepStrictEqual(await processed(guestUserData("instance")), [{ type: "text/cloud-config", payload: generatedCloudConfig("instance") }]);
    });
});

describe("guestNetwork's systemd unit, read by systemd-analyze verify", function () {
    this.timeout(30_000);

    /** What verify says of the unit for eth1, but that the script is not installed on this machine. */
    async function verify(dir: string, unit: string): Promise<string[]> {
        const file = path.join(dir, `${GUEST_UNIT}@eth1.service`);
        fs.writeFileSync(file, unit);
        const result = await runChild("systemd-analyze verify", "systemd-analyze", ["verify", "--man=no", file], { deadlineMs: COMMAND_DEADLINE_MS, shared: true });
        return (result.stdout + result.stderr)
            .split("\n")
            .filter((line) => line.trim() !== "" && !line.includes(`Command ${GUEST_SCRIPT_PATH} is not executable`));
    }

    const unit = () => (parse(generatedCloudConfig("none")).write_files as { path: string; content: string }[]).find((f) => f.path.endsWith(`${GUEST_UNIT}@.service`))!.content;

    /** Both units verified, one after the other; undefined without systemd-analyze. */
    const verified = once(async () =>
        onPath("systemd-analyze")
            ? inTempDir("dual-subnet-eni-unit-", async (dir) => ({
                  unit: await verify(dir, unit()),
                  unknownKey: await verify(dir, unit().replace("RemainAfterExit=yes", "RemainAfterExit=yes\nRemainAfterExitt=yes")),
              }))
            : undefined,
    );
    let said: { unit: string[]; unknownKey: string[] };

    before(async function () {
        if (!onPath("systemd-analyze")) {
            skipOrFail(this, "systemd-analyze is not installed (npm run setup:linux installs systemd)");
        }
        this.timeout(2 * COMMAND_DEADLINE_MS + 10_000);
        const result = await verified();
        assert.ok(result, "systemd-analyze went missing since the spec started");
        said = result;
    });

    it("finds nothing wrong with the unit", () => {
        assert.deepStrictEqual(said.unit, []);
    });

    it("really checks: an unknown key is reported", () => {
        assert.match(said.unknownKey.join("\n"), /Unknown key/);
    });
});
