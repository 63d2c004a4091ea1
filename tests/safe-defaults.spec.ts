/**
 * Safe defaults on every stack, checked on what each stack program registers: the checks of AWSGuard
 * (@pulumi/awsguard, Pulumi's CrossGuard pack of AWS practices) that apply to the resources this component makes
 * — an instance has no public IPv4 of its own (`ec2-instance-no-public-ip`) and every EBS volume is encrypted
 * (`encrypted-volumes`) — and the ones the component adds: IMDSv2 only, no inbound rule unless asked for.
 * AWSGuard itself (0.3.1, built on @pulumi/aws 4 and the AWS SDK v2: about 140 MB of the dev install) is not
 * installed; its other two EC2 policies (detailed monitoring, an extra data volume) are left out on purpose.
 */
import * as assert from "assert";
import type { RecordedRegistration } from "../tools/sdkInternals";
import { listStacks } from "../tools/stackFiles";
import { TYPES } from "./support/fixtures";
import { runStackInProcess } from "./support/helpers";

interface BlockDevice {
    readonly encrypted?: boolean;
}

/** Why an instance's inputs break a safe default; [] when none. */
function instanceProblems(instance: RecordedRegistration): string[] {
    const inputs = instance.inputs as { associatePublicIpAddress?: boolean; rootBlockDevice?: BlockDevice; ebsBlockDevices?: BlockDevice[]; metadataOptions?: { httpTokens?: string } };
    return [
        ...(inputs.associatePublicIpAddress === true ? ["has a public IPv4 address of its own (ec2-instance-no-public-ip)"] : []),
        ...(inputs.rootBlockDevice?.encrypted !== true ? ["has an unencrypted root volume (encrypted-volumes)"] : []),
        ...(inputs.ebsBlockDevices ?? []).filter((device) => device.encrypted !== true).map(() => "has an unencrypted EBS volume (encrypted-volumes)"),
        ...(inputs.metadataOptions?.httpTokens !== "required" ? ["answers IMDSv1 (httpTokens is not required)"] : []),
    ].map((problem) => `${instance.name} ${problem}`);
}

describe("safe defaults on every stack", () => {
    const registered = new Map<string, readonly RecordedRegistration[]>();

    before(async () => {
        for (const stack of listStacks()) {
            registered.set(stack, (await runStackInProcess(stack)).registrations);
        }
    });

    for (const stack of listStacks()) {
        it(`stack ${stack}: every instance private (no own public IPv4), encrypted and IMDSv2-only`, () => {
            const instances = registered.get(stack)!.filter((r) => r.type === TYPES.instance);
            assert.ok(instances.length > 0, "no instance registered");
            assert.deepStrictEqual(instances.flatMap(instanceProblems), []);
        });
    }

    it("really checks: an instance with a public IP, an unencrypted root volume and IMDSv1 breaks three defaults", () => {
        const instance = registered.get("dev")!.find((r) => r.type === TYPES.instance)!;
        const exposed = { ...instance, inputs: { ...instance.inputs, associatePublicIpAddress: true, rootBlockDevice: { encrypted: false }, metadataOptions: { httpTokens: "optional" } } };
        assert.strictEqual(instanceProblems(exposed).length, 3);
    });
});
