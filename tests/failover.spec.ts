/**
 * Failover: a standby instance beside the primary, and the ENI moved between them by one setting
 * (`activeInstance`), through the component, the stack program and the offline plan.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { DualSubnetEniInstance, DualSubnetEniInstanceArgs } from "../components";
import type { StackPlan } from "../tools/offlinePlan";
import { previewChange, type Preview } from "../tools/preview";
import { runConfigInProcess } from "../tools/updateMatrix";
import { dualSubnetEniStack } from "../stacks/program";
import { loadStackConfig, PROJECT_DIR } from "../tools/stackFiles";
import { SEED_ARGS, SEED_CONFIG, TYPES } from "./support/fixtures";
import { promiseOf, PROJECT, runStackInProcess, useMocks } from "./support/helpers";

const WITH_STANDBY: DualSubnetEniInstanceArgs = {
    ...SEED_ARGS,
    standbyInstance: true,
    instancePrivateIp: "10.0.0.10",
    instanceSecondaryPrivateIps: ["10.0.0.11"],
    instanceType: "t3.small",
    keyName: "ops",
    userData: "#!/bin/bash\n",
    rootVolumeSizeGiB: 16,
    ssmAccess: true,
};
const MOCKS = { keyPairs: ["ops"] };

async function build(args: DualSubnetEniInstanceArgs, adapt?: (mocks: pulumi.runtime.Mocks) => pulumi.runtime.Mocks) {
    const registrations = await useMocks(SEED_CONFIG, MOCKS, false, adapt);
    const component = new DualSubnetEniInstance("ha", args);
    await promiseOf(component.activeInstanceId);
    await registrations.settled();
    const named = (name: string) => registrations.find((r) => r.name === name)!;
    return { registrations, component, primary: named("ha-instance"), standby: named("ha-standby-instance"), attachment: named("ha-eni-attachment") };
}

describe("failover: a standby instance and activeInstance", () => {
    it("creates the standby in the primary subnet with every setting of the primary but its fixed IPs", async () => {
        const { primary, standby, component } = await build(WITH_STANDBY);
        assert.ok(standby, "no ha-standby-instance");
        const { privateIp, secondaryPrivateIps, tags: _tags, ...shared } = primary.inputs;
        const { tags: standbyTags, ...standbyShared } = standby.inputs;
        assert.deepStrictEqual(standbyShared, shared, "the standby differs from the primary in more than its fixed IPs and Name");
        assert.deepStrictEqual([privateIp, secondaryPrivateIps], ["10.0.0.10", ["10.0.0.11"]]);
        assert.strictEqual((standbyTags as Record<string, string>).Name, "test-standby-instance");
        assert.deepStrictEqual([standby.ignoreChanges, standby.parent], [primary.ignoreChanges, primary.parent]);
        assert.match(await promiseOf(component.standbyInstanceId), /^i-[0-9a-f]{17}$/);
        assert.strictEqual(shared.subnetId, await promiseOf(component.primarySubnetId));
    });

    it("attaches the ENI to the primary by default", async () => {
        const { attachment, primary, component } = await build(WITH_STANDBY);
        assert.strictEqual(attachment.inputs.instanceId, primary.id);
        assert.strictEqual(await promiseOf(component.activeInstanceId), primary.id);
    });

    it("attaches it to the standby when activeInstance is standby (also as an Output)", async () => {
        for (const activeInstance of ["standby" as const, pulumi.output("standby" as const)]) {
            const { attachment, standby, component } = await build({ ...WITH_STANDBY, activeInstance });
            assert.strictEqual(attachment.inputs.instanceId, standby.id);
            assert.strictEqual(await promiseOf(component.activeInstanceId), standby.id);
        }
    });

    it("keeps the attachment deleteBeforeReplace (the move is detach, then attach), depending on the active instance alone", async () => {
        for (const activeInstance of ["primary", "standby"] as const) {
            const { registrations, attachment, primary, standby } = await build({ ...WITH_STANDBY, activeInstance });
            assert.ok(registrations.some((r) => r.name === "ha-eni-attachment" && r.deleteBeforeReplace));
            const waitsFor = (resource: { type: string; name: string }) => attachment.dependencies.some((urn) => urn.endsWith(`${resource.type}::${resource.name}`));
            const [active, other] = activeInstance === "primary" ? [primary, standby] : [standby, primary];
            assert.deepStrictEqual([waitsFor(active), waitsFor(other)], [true, false], activeInstance);
        }
    });

    it("replacing the active instance changes the attachment's instanceId (replaced, detach first); replacing the other one leaves it untouched", async () => {
        // A replaced instance comes back with a new id; everything else stays as it was.
        const replacing = (name: string) => (mocks: pulumi.runtime.Mocks): pulumi.runtime.Mocks => ({
            ...mocks,
            newResource: async (args) => {
                const created = await mocks.newResource(args);
                return args.name === name && args.type === TYPES.instance ? { ...created, id: created.id!.replace(/^i-./, "i-f") } : created;
            },
        });
        for (const activeInstance of ["primary", "standby"] as const) {
            const before = (await build({ ...WITH_STANDBY, activeInstance })).attachment.inputs;
            const active = activeInstance === "primary" ? "ha-instance" : "ha-standby-instance";
            const inactive = activeInstance === "primary" ? "ha-standby-instance" : "ha-instance";
            const afterActive = (await build({ ...WITH_STANDBY, activeInstance }, replacing(active))).attachment.inputs;
            assert.notStrictEqual(afterActive.instanceId, before.instanceId, `replacing ${active} must move the attachment`);
            assert.deepStrictEqual({ ...afterActive, instanceId: before.instanceId }, before);
            const afterInactive = (await build({ ...WITH_STANDBY, activeInstance }, replacing(inactive))).attachment.inputs;
            assert.deepStrictEqual(afterInactive, before, `replacing ${inactive} must not touch the attachment`);
        }
    });

    it("through the stack program (prod): the standby shares every setting of the primary, and the ENI stays on the primary", async () => {
        const { registrations } = await runStackInProcess("prod");
        const named = (name: string) => registrations.find((r) => r.name === name)!;
        const [primary, standby, attachment] = ["dual-subnet-eni-instance", "dual-subnet-eni-standby-instance", "dual-subnet-eni-eni-attachment"].map(named);
        const { privateIp: _ip, secondaryPrivateIps: _ips, tags: primaryTags, ...shared } = primary.inputs;
        const { tags: standbyTags, ...standbyShared } = standby.inputs;
        assert.deepStrictEqual(standbyShared, shared);
        assert.ok(typeof shared.iamInstanceProfile === "string" && shared.iamInstanceProfile.length > 0, "prod's SSM profile is on both instances");
        assert.deepStrictEqual([(primaryTags as Record<string, string>).Name, (standbyTags as Record<string, string>).Name], ["prod-instance", "prod-standby-instance"]);
        assert.strictEqual(attachment.inputs.instanceId, primary.id);
    });

    it("is refused through the stack program when activeInstance is standby without a standby, naming the key", async () => {
        const config = { ...loadStackConfig("dev"), [`${PROJECT}:activeInstance`]: "standby" };
        const registrations = await useMocks(config);
        assert.throws(() => dualSubnetEniStack(), /dual-subnet-eni:activeInstance = "standby": is standby, but standbyInstance is not set/);
        assert.deepStrictEqual(registrations.filter((r) => r.custom), []);
    });
});

describe("failover in the offline preview (npm run plan -- prod --diff)", () => {
    const deployed = () => JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "plans", "prod.json"), "utf8")) as StackPlan;
    const changed = (preview: Preview) => preview.diff.changes.filter((c) => c.op !== "same").map(({ name, op, replaceOrder, properties }) => ({ name, op, replaceOrder, properties }));

    it("flipping activeInstance replaces the attachment alone, delete-first, for its instanceId; AWS takes every step", async () => {
        const { plan, propertyDependencies } = await runConfigInProcess("prod", { ...loadStackConfig("prod"), [`${PROJECT}:activeInstance`]: "standby" });
        const preview = previewChange(deployed(), plan, propertyDependencies);
        assert.deepStrictEqual(changed(preview), [{ name: "dual-subnet-eni-eni-attachment", op: "replace", replaceOrder: "delete-first", properties: ["instanceId"] }]);
        assert.deepStrictEqual(preview.refusals, []);
    });

    it("replacing the inactive instance touches no attachment", async () => {
        // The deployed standby had an unencrypted root volume (a ForceNew input): the program now replaces it, and only it.
        const before = deployed();
        const unencrypted = (r: StackPlan["resources"][number]) => ({ ...r, inputs: { ...r.inputs, rootBlockDevice: { encrypted: false, volumeType: "gp3" } } });
        const standbyUnencrypted = before.resources.map((r) => (r.name === "dual-subnet-eni-standby-instance" ? unencrypted(r) : r));
        const { plan, propertyDependencies } = await runConfigInProcess("prod", loadStackConfig("prod"));
        const preview = previewChange({ ...before, resources: standbyUnencrypted }, plan, propertyDependencies);
        assert.deepStrictEqual(changed(preview), [{ name: "dual-subnet-eni-standby-instance", op: "replace", replaceOrder: "create-first", properties: ["rootBlockDevice.encrypted"] }]);
    });
});
