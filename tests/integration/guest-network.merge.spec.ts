/**
 * guestNetwork beside the user's own cloud-config, merged by cloud-init 22.4's own handlers (Debian's python3
 * `cloudinit`): its `stages.Init` consumes each document as an instance's user data (`_consume_userdata`: the
 * UserDataProcessor, then the default part handlers, `CloudConfigPartHandler` with its merge types and the jinja
 * handler rendering from instance data), and the merged cloud-config it writes (`cloud-config.txt`) must hold every
 * file and command of the guest's part and of the user's. A control document built the earlier way (the guest's part
 * first, cloud-init's default merge) shows the check can fail. Skipped with the reason without cloud-init, except
 * under CI=true.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { guestCloudConfig } from "../../components/guestNetwork";
import { instanceUserData } from "../../components/userData";
import { runChild } from "../../tools/childProcess";
import { cloudInitPython, COMMAND_DEADLINE_MS, inTempDir, skipOrFail } from "../support/cloudInit";
import { once } from "../support/once";

/**
 * Reads a JSON list of user-data documents from the file named by its first argument and, for each, lets cloud-init's
 * `stages.Init` consume it as an instance's user data in a folder of its own (the second argument): a datasource that
 * holds the document, the instance data jinja templates read, every path under that folder. Prints, per document,
 * the merged cloud-config the handlers wrote (null when they wrote none).
 */
const MERGE_USER_DATA = `
import json, os, sys
from cloudinit import sources, stages, util
from cloudinit.settings import PER_INSTANCE

class Source(sources.DataSource):
    dsname = "DualSubnetEniTest"
    def __init__(self, sys_cfg, distro, paths, raw):
        sources.DataSource.__init__(self, sys_cfg, distro, paths)
        self.userdata_raw = raw
        self.metadata = {"instance-id": "i-0123456789abcdef0"}
    def _get_data(self):
        return True
    def get_instance_id(self):
        return "i-0123456789abcdef0"

def merged(document, root):
    paths = {"cloud_dir": os.path.join(root, "cloud"), "run_dir": os.path.join(root, "run")}
    init = stages.Init(ds_deps=[])
    init._cfg = {"system_info": {"distro": "debian", "paths": paths}}
    init.read_cfg = lambda *args, **kwargs: None
    util.write_file(os.path.join(paths["run_dir"], "instance-data-sensitive.json"), json.dumps({"v1": {"region": "ap-south-1", "instance_id": "i-0123456789abcdef0"}}))
    init.datasource = Source(init.cfg, None, init.paths, document.encode("utf-8"))
    init._paths = None
    init._consume_userdata(PER_INSTANCE)
    written = init.paths.get_ipath("cloud_config")
    return util.load_yaml(util.load_file(written)) if os.path.exists(written) else None

documents = json.load(open(sys.argv[1], encoding="utf-8"))
print(json.dumps([merged(document, os.path.join(sys.argv[2], str(i))) for i, document in enumerate(documents)]))
`;

/** A file and a command of the user's, and where the user's cloud-config sets them. */
const USER_FILE = "/etc/app/app.conf";
const USER_COMMAND = ["systemctl", "restart", "app"];
const USER_CLOUD_CONFIG = `#cloud-config\nwrite_files:\n  - path: ${USER_FILE}\n    content: port=8080\nruncmd:\n  - [${USER_COMMAND.join(", ")}]\n`;

/** The user's documents: a cloud-config, the same in base64 and inside a MIME document, and a jinja template rendered from instance data. */
const USER_DOCUMENTS: readonly [title: string, userData: string, file: string, command: unknown][] = [
    ["a #cloud-config with write_files and runcmd", USER_CLOUD_CONFIG, USER_FILE, USER_COMMAND],
    ["the same cloud-config in base64 (the AWS provider passes it through; merged decoded)", Buffer.from(USER_CLOUD_CONFIG).toString("base64"), USER_FILE, USER_COMMAND],
    [
        "a MIME multipart document carrying them (its first header neither Content-Type nor MIME-Version)",
        `X-Team: web\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="user"\n\n--user\nContent-Type: text/x-shellscript\n\n#!/bin/sh\necho hello\n\n--user\nContent-Type: text/cloud-config\n\n${USER_CLOUD_CONFIG}\n--user--\n`,
        USER_FILE,
        USER_COMMAND,
    ],
    [
        "a ## template: jinja cloud-config",
        "## template: jinja\n#cloud-config\nwrite_files:\n  - path: /etc/app/{{ v1.region }}.conf\n    content: region={{ v1.region }}\nruncmd:\n  - echo {{ v1.region }}\n",
        "/etc/app/ap-south-1.conf",
        "echo ap-south-1",
    ],
];

const GUEST = parse(guestCloudConfig("networkInterface")) as { write_files: { path: string }[]; runcmd: unknown[] };

/** The instances' user data with guestNetwork, as the component makes it (instanceUserData). */
const withGuest = (userData: string) => instanceUserData({ guestNetwork: true, publicInterface: "networkInterface", userData })!;

/** The same parts in the earlier layout: the guest's part first, with cloud-init's default merge (no Merge-Type). */
function earlierLayout(userData: string): string {
    const delimiter = "--==dual-subnet-eni-guest-network==";
    const [head, user, guestAndEnd] = withGuest(userData).split(`${delimiter}\n`);
    const guest = guestAndEnd.replace(`${delimiter}--\n`, "").replace(/^Merge-Type: .*\n/m, "");
    return `${head}${delimiter}\n${guest}${delimiter}\n${user}${delimiter}--\n`;
}

describe("guestNetwork beside the user's cloud-config, merged by cloud-init's own handlers", function () {
    this.timeout(2 * COMMAND_DEADLINE_MS + 10_000);

    const documents = [...USER_DOCUMENTS.map(([, userData]) => withGuest(userData)), earlierLayout(USER_CLOUD_CONFIG)];

    /** cloud-init's merged cloud-config of every document, from one Python start. */
    const mergedConfigs = once(async () =>
        inTempDir("dual-subnet-eni-cloud-init-merge-", async (dir) => {
            const input = path.join(dir, "documents.json");
            fs.writeFileSync(input, JSON.stringify(documents));
            const run = await runChild("cloud-init's handlers", cloudInitPython().python!, ["-c", MERGE_USER_DATA, input, dir], { deadlineMs: COMMAND_DEADLINE_MS });
            assert.strictEqual(run.exitCode, 0, run.stderr);
            return JSON.parse(run.stdout) as ({ write_files?: { path: string }[]; runcmd?: unknown[] } | null)[];
        }),
    );

    before(function () {
        const found = cloudInitPython();
        if (!found.python) {
            skipOrFail(this, found.reason!);
        }
    });

    USER_DOCUMENTS.forEach(([title, , file, command], index) => {
        it(`keeps every file and command of the guest's part and of the user's: ${title}`, async () => {
            const merged = (await mergedConfigs())[index];
            assert.ok(merged, "cloud-init wrote no merged cloud-config");
            const files = (merged.write_files ?? []).map((entry) => entry.path);
            assert.deepStrictEqual(files, [file, ...GUEST.write_files.map((entry) => entry.path)]);
            assert.deepStrictEqual(merged.runcmd, [command, ...GUEST.runcmd]);
        });
    });

    it("really checks: with the guest's part first and cloud-init's default merge, the user's lists replace the guest's", async () => {
        const merged = (await mergedConfigs())[USER_DOCUMENTS.length];
        assert.deepStrictEqual(
            (merged?.write_files ?? []).map((entry) => entry.path),
            [USER_FILE],
        );
        assert.deepStrictEqual(merged?.runcmd, [USER_COMMAND]);
    });
});
