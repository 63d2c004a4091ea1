/**
 * AWSGuard (@pulumi/awsguard), every policy mandatory, over every resource each stack registers: no
 * violation except the exceptions below, which the README lists with the same reasons.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { RecordedRegistration } from "../tools/sdkInternals";
import { runStackInProcess } from "./support/helpers";
import { listStacks, PROJECT_DIR } from "../tools/stackFiles";
import { loadPolicyPack, PolicyPackDefinition, PolicyPackRun, PolicyViolation, runPolicyPack } from "./support/policyPack";
import { TYPES } from "./support/fixtures";

/** Policy name to why the stacks break it on purpose. */
const EXCEPTIONS: Record<string, string> = {
    "ec2-instance-detailed-monitoring-enabled":
        "detailed (1-minute) monitoring is billed per metric; basic 5-minute monitoring is free and enough here",
    "ec2-volume-inuse":
        "it demands an extra EBS volume on every instance (the AWS Config rule it is named after flags volumes attached to no instance); a data volume nobody uses would only cost money",
};

function loadAwsGuard(): PolicyPackDefinition {
    // AWSGuard's ACM and IAM policies load the AWS SDK v2, which prints an end-of-support note on load
    // unless this is set first (hence `require`, not a hoisted import).
    process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= "1";
    const { AwsGuard } = require("@pulumi/awsguard") as typeof import("@pulumi/awsguard");
    return loadPolicyPack(() => new AwsGuard({ all: "mandatory" }));
}

const describeViolations = (violations: readonly PolicyViolation[]) =>
    violations.map((v) => `${v.policy} on ${v.resource}: ${v.message}`).join("\n");

function readmeSection(title: string): string {
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    const start = readme.indexOf(`## ${title}\n`);
    assert.ok(start >= 0, `README has no section "${title}"`);
    const end = readme.indexOf("\n## ", start + 1);
    return readme.slice(start, end < 0 ? undefined : end);
}

describe("AWSGuard policies over every stack", () => {
    const STACKS = listStacks();
    let pack: PolicyPackDefinition;
    const registered = new Map<string, readonly RecordedRegistration[]>();
    const runs = new Map<string, PolicyPackRun>();

    before(async () => {
        pack = loadAwsGuard();
        for (const stack of STACKS) {
            const { registrations } = await runStackInProcess(stack);
            registered.set(stack, registrations);
            runs.set(stack, await runPolicyPack(pack, registrations));
        }
    });

    for (const stack of STACKS) {
        it(`stack ${stack}: no violation beyond the README's exceptions`, () => {
            const violations = runs.get(stack)!.violations.filter((v) => !(v.policy in EXCEPTIONS));
            assert.deepStrictEqual(violations, [], describeViolations(violations));
        });
    }

    it("needs every exception: each is broken by some stack", () => {
        const broken = new Set([...runs.values()].flatMap((run) => run.violations.map((v) => v.policy)));
        assert.deepStrictEqual(Object.keys(EXCEPTIONS).filter((policy) => !broken.has(policy)), []);
    });

    it("README names every policy that checked a resource, and every exception with its reason", () => {
        const section = readmeSection("Policy checks (AWSGuard)");
        const applied = new Set([...runs.values()].flatMap((run) => [...run.applied.keys()]));
        assert.ok(applied.size > 0, "no policy applied to any resource");
        for (const policy of applied) {
            assert.ok(section.includes(`\`${policy}\``), `README does not name ${policy}`);
        }
        for (const [policy, reason] of Object.entries(EXCEPTIONS)) {
            assert.ok(section.includes(reason), `README does not give the reason for ${policy}: "${reason}"`);
        }
    });

    it("reports an instance with a public IP and an unencrypted root volume", async () => {
        const instance = registered.get("dev")!.find((r) => r.type === TYPES.instance)!;
        const exposed = { ...instance, inputs: { ...instance.inputs, associatePublicIpAddress: true, rootBlockDevice: { encrypted: false } } };
        const { violations } = await runPolicyPack(pack, [exposed]);
        const policies = violations.filter((v) => !(v.policy in EXCEPTIONS)).map((v) => [v.policy, v.resource, v.enforcementLevel]);
        assert.deepStrictEqual(policies, [
            ["ec2-instance-no-public-ip", `${TYPES.instance}::${instance.name}`, "mandatory"],
            ["encrypted-volumes", `${TYPES.instance}::${instance.name}`, "mandatory"],
        ]);
    });
});
