/**
 * guestNetwork through the component and the stack program, under the mocks: the instances' user data is the
 * guest's cloud-config merged with the user's part (intact), the same on the standby, and AWS's 16 KB limit
 * counts the merged document. Inside the guest: guest-network.netns.spec.ts and guest-network.cloud-init.spec.ts.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { cloudInitText, isPassedAsBase64, MAX_USER_DATA_BYTES, storedUserData } from "../components/userData";
import { DualSubnetEniInstance, DualSubnetEniInstanceArgs } from "../components";
import { parse } from "yaml";
import { gzipSync } from "zlib";
import { GUEST_MERGE_TYPE, GUEST_SCRIPT_PATH, guestCloudConfig, guestScript, guestUserData, isMime, userDataContentType } from "../components/guestNetwork";
import { dualSubnetEniStack } from "../stacks/program";
import { loadStackConfig, PROJECT_DIR } from "../tools/stackFiles";
import { SEED_ARGS, SEED_CONFIG, TYPES } from "./support/fixtures";
import { mimeParts, stackUserData } from "./support/guestUserData";
import { awsResources, byType, promiseOf, PROJECT, useMocks, validationErrorOf } from "./support/helpers";

/** Bytes of text user data as EC2 stores it. */
const byteLength = (userData: string) => storedUserData(userData).length;
const SCRIPT = "#!/bin/bash\necho 'ready' > /var/tmp/ready\n";

/** The instances' user data (primary, then standby) of a component built with `args`. */
async function instanceUserData(args: Partial<DualSubnetEniInstanceArgs>): Promise<unknown[]> {
    const registrations = await useMocks(SEED_CONFIG);
    const component = new DualSubnetEniInstance("app", { ...SEED_ARGS, ...args });
    await promiseOf(component.activeInstanceId);
    await registrations.settled();
    return byType(registrations, TYPES.instance).map((r) => r.inputs.userData);
}

describe("guestNetwork: the instances' user data", () => {
    it("is off by default: the user's user data goes to the instance as it is", async () => {
        assert.deepStrictEqual(await instanceUserData({ userData: SCRIPT }), [SCRIPT]);
        assert.deepStrictEqual(await instanceUserData({}), [undefined]);
        assert.deepStrictEqual(await instanceUserData({ userData: SCRIPT, guestNetwork: false }), [SCRIPT]);
    });

    for (const [variant, wrap] of [["plain userData", (v: string) => v], ["userData as an Output", (v: string) => pulumi.output(v)]] as const) {
        it(`on: the user's part byte for byte, typed by its first line, then the guest's cloud-config with its merge type (${variant})`, async () => {
            const [userData] = (await instanceUserData({ userData: wrap(SCRIPT), guestNetwork: true, publicInterface: "networkInterface" })) as string[];
            const parts = mimeParts(userData);
            assert.deepStrictEqual(
                parts.map((p) => [p.contentType, p.body]),
                [
                    ["text/x-shellscript", SCRIPT],
                    ["text/cloud-config", guestCloudConfig("networkInterface")],
                ],
            );
            assert.strictEqual(parts[1].headers["merge-type"], GUEST_MERGE_TYPE);
            assert.strictEqual(userData, guestUserData("networkInterface", SCRIPT));
        });
    }

    it("on, without user data of the user's: the guest's cloud-config alone, leaving at least 7,000 of AWS's 16,384 bytes", async () => {
        const [userData] = (await instanceUserData({ guestNetwork: true })) as string[];
        assert.deepStrictEqual(mimeParts(userData).map((p) => [p.contentType, p.body]), [["text/cloud-config", guestCloudConfig("none")]]);
        assert.ok(MAX_USER_DATA_BYTES - byteLength(userData) >= 7000, `${byteLength(userData)} bytes`);
    });

    it("writes the script byte for byte (YAML block scalar), as code without the source's comments, executable", () => {
        const files = parse(guestCloudConfig("none")).write_files as { path: string; content: string; permissions: string }[];
        const script = files.find((f) => f.path === GUEST_SCRIPT_PATH)!;
        assert.deepStrictEqual([script.content, script.permissions], [guestScript(), "0755"]);
        assert.match(guestScript(), /^#!\/bin\/sh\n# dual-subnet-eni guestNetwork/);
        assert.deepStrictEqual(guestScript().split("\n").filter((line) => /^\s*#/.test(line)).length, 2, "only the #! line and the pointer stay");
    });

    it("tells the guest which interface takes the default route: device index 0 (instance), 1 (networkInterface), none", () => {
        const env = (publicInterface: string) => /DSE_PUBLIC_DEVICE_NUMBER=(\d*)/.exec(guestCloudConfig(publicInterface))?.[1];
        assert.deepStrictEqual(["instance", "networkInterface", "none"].map(env), ["0", "1", ""]);
    });

    it("types the user's part as cloud-init would from its first line", () => {
        const cases: [string, string][] = [
            ["#!/bin/sh\n", "text/x-shellscript"],
            ["#cloud-config\n", "text/cloud-config"],
            ["  \n#CLOUD-CONFIG\n", "text/cloud-config"],
            ["#cloud-config-archive\n", "text/cloud-config-archive"],
            ["#include-once\nhttps://example.com/a\n", "text/x-include-once-url"],
            ["#include\nhttps://example.com/a\n", "text/x-include-url"],
            ["## template: jinja\n#cloud-config\n", "text/jinja2"],
            ["#part-handler\n", "text/part-handler"],
            ["plain words\n", "text/plain"],
        ];
        assert.deepStrictEqual(cases.map(([text]) => userDataContentType(text)), cases.map(([, type]) => type));
    });

    it("reads user data as MIME where cloud-init does: mime-version: anywhere in the first 4,096 bytes, in any case", () => {
        const late = (offset: number) => `#!/bin/sh\n${"#".repeat(offset)}\nMime-Version: 1.0\n`;
        const cases: [string, boolean][] = [
            ['MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n', true],
            ['X-Team: web\nmime-version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n', true],
            [late(4000), true],
            [late(4090), false],
            ["Content-Type: text/x-shellscript\n\n#!/bin/sh\n", false],
        ];
        assert.deepStrictEqual(cases.map(([text]) => isMime(text)), cases.map(([, mime]) => mime));
    });

    it("reads base64 as the provider does (Go's StdEncoding, line breaks skipped) and decodes it, gunzipped, for the merge", () => {
        const script = "#!/bin/sh\necho hi\n";
        const base64 = Buffer.from(script).toString("base64");
        assert.deepStrictEqual(
            [base64, `${base64.slice(0, 8)}\r\n${base64.slice(8)}`, "abc", "ab==cd==", script, "abcd"].map(isPassedAsBase64),
            [true, true, false, false, false, true],
        );
        assert.strictEqual(cloudInitText(base64), script);
        assert.strictEqual(cloudInitText(gzipSync(script).toString("base64")), script);
        assert.strictEqual(cloudInitText(Buffer.from([0xff, 0xfe, 0x80]).toString("base64")), undefined);
        assert.strictEqual(storedUserData(Buffer.alloc(15000).toString("base64")).length, 15000);
    });

    it("is the same document, byte for byte, on the standby: prod with guestNetwork and user data", async () => {
        const userData = await stackUserData("prod", { guestNetwork: "true", userData: SCRIPT });
        assert.strictEqual(userData.length, 2, "prod has a primary and a standby");
        assert.strictEqual(userData[1], userData[0]);
        assert.deepStrictEqual(mimeParts(userData[0]).map((p) => p.body), [SCRIPT, guestCloudConfig("none")]);
    });
});

describe("guestNetwork: AWS's 16 KB user-data limit counts the merged document", () => {
    /** Bytes the merge adds around ASCII user data (the boundary never occurs in it). */
    const overhead = byteLength(guestUserData("none", "#!/bin/sh\n")) - "#!/bin/sh\n".length;
    const ofSize = (bytes: number) => "#!/bin/sh\n" + "#".repeat(bytes - 11) + "\n";

    it("accepts user data that makes the merged document exactly 16,384 bytes", async () => {
        const userData = ofSize(MAX_USER_DATA_BYTES - overhead);
        assert.strictEqual(byteLength(guestUserData("none", userData)), MAX_USER_DATA_BYTES);
        const [merged] = (await instanceUserData({ userData, guestNetwork: true })) as string[];
        assert.strictEqual(byteLength(merged), MAX_USER_DATA_BYTES);
    });

    it("is what the documents say: the guest's part about 9.3 KB, about 6.8 KB left for the user's (README, the arg's description, docs/ipv6.md)", () => {
        const kb = (bytes: number) => `about ${(bytes / 1000).toFixed(1)} KB`;
        const [guest, left] = [kb(Math.max(...["none", "instance", "networkInterface"].map((side) => byteLength(guestUserData(side))))), kb(MAX_USER_DATA_BYTES - overhead)];
        assert.deepStrictEqual([guest, left], ["about 9.3 KB", "about 6.8 KB"]);
        const schema = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "provider", "schema.json"), "utf8")) as { resources: Record<string, { inputProperties: Record<string, { description: string }> }> };
        const texts = {
            "README.md": fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8"),
            "the guestNetwork description": schema.resources["dual-subnet-eni:index:DualSubnetEniInstance"].inputProperties.guestNetwork.description,
            "docs/ipv6.md": fs.readFileSync(path.join(PROJECT_DIR, "docs", "ipv6.md"), "utf8"),
        };
        for (const [where, text] of Object.entries(texts)) {
            const oneLine = text.replace(/\s+/g, " ");
            assert.ok(oneLine.includes(guest) && oneLine.includes(left), `${where} does not say ${guest} and ${left}`);
        }
    });

    it("refuses one byte more, naming userData, its size and the merged size; no AWS resource is registered", async () => {
        const userData = ofSize(MAX_USER_DATA_BYTES - overhead + 1);
        for (const value of [userData, pulumi.output(userData)]) {
            const registrations = await useMocks(SEED_CONFIG);
            const error = await validationErrorOf(registrations, () => new DualSubnetEniInstance("app", { ...SEED_ARGS, userData: value, guestNetwork: true }));
            assert.deepStrictEqual(error.problems.map((p) => p.field), ["userData"]);
            assert.match(
                error.message,
                new RegExp(`userData = .*: is ${userData.length} bytes, and merged with guestNetwork's configuration the instance's user data is ${MAX_USER_DATA_BYTES + 1} bytes; AWS takes at most 16384 bytes`),
            );
            assert.deepStrictEqual(awsResources(registrations), []);
        }
        // The same user data is fine without guestNetwork.
        assert.deepStrictEqual(await instanceUserData({ userData }), [userData]);
    });

    it("through the stack program, the error names the config key", async () => {
        const userData = ofSize(MAX_USER_DATA_BYTES - overhead + 1);
        const config = { ...loadStackConfig("dev"), [`${PROJECT}:userData`]: userData, [`${PROJECT}:guestNetwork`]: "true" };
        const registrations = await useMocks(config);
        const error = await validationErrorOf(registrations, () => dualSubnetEniStack());
        assert.match(error.message, new RegExp(`${PROJECT}:userData = .*merged with guestNetwork's configuration the instance's user data is ${MAX_USER_DATA_BYTES + 1} bytes`));
        assert.deepStrictEqual(awsResources(registrations), []);
    });

    it("refuses a guestNetwork that is no boolean, naming the arg and the config key", async () => {
        let registrations = await useMocks(SEED_CONFIG);
        const error = await validationErrorOf(registrations, () => new DualSubnetEniInstance("app", { ...SEED_ARGS, guestNetwork: "yes" as unknown as boolean }));
        assert.match(error.message, /guestNetwork = "yes": must be true or false/);
        assert.deepStrictEqual(awsResources(registrations), []);
        registrations = await useMocks({ ...loadStackConfig("dev"), [`${PROJECT}:guestNetwork`]: "yes" });
        const stackError = await validationErrorOf(registrations, () => dualSubnetEniStack());
        assert.match(stackError.message, new RegExp(`${PROJECT}:guestNetwork = "yes": must be true or false`));
        assert.deepStrictEqual(awsResources(registrations), []);
    });
});
