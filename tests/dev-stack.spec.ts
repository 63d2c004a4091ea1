import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { OUTPUT_NAMES } from "../components";
import { Registrations } from "../tools/sdkInternals";
import { dualSubnetEniStack } from "../stacks/program";
import { loadStackConfig } from "../tools/stackFiles";
import { TYPES } from "./support/fixtures";
import { awsResources, promiseOf, single, useMocks } from "./support/helpers";

describe("the dev stack reproduces the console how-to", () => {
    let registrations: Registrations;
    let outputs: Record<string, pulumi.Output<string | string[]>>;

    before(async () => {
        registrations = await useMocks(loadStackConfig("dev"));
        outputs = { ...dualSubnetEniStack() };
        await Promise.all(Object.values(outputs).map(promiseOf));
        await registrations.settled();
    });

    it("exports every component output under the same name, resolved; only the features dev leaves off are empty", async () => {
        assert.deepStrictEqual(Object.keys(outputs).sort(), [...OUTPUT_NAMES].sort());
        const values = Object.fromEntries(await Promise.all(OUTPUT_NAMES.map(async (name) => [name, await promiseOf(outputs[name])] as const)));
        const { publicIp, standbyInstanceId, instancePrivateIps, networkInterfacePrivateIps, vpcIpv6CidrBlock, ...rest } = values;
        const { instanceIpv6Addresses, networkInterfaceIpv6Addresses, networkInterfaceIpv4Prefixes, networkInterfaceIpv6Prefixes, ...ids } = rest;
        assert.deepStrictEqual([publicIp, standbyInstanceId, vpcIpv6CidrBlock], ["", "", ""]);
        assert.deepStrictEqual([instanceIpv6Addresses, networkInterfaceIpv6Addresses, networkInterfaceIpv4Prefixes, networkInterfaceIpv6Prefixes], [[], [], [], []]);
        assert.deepStrictEqual(instancePrivateIps, [values.instancePrivateIp]);
        assert.deepStrictEqual(networkInterfacePrivateIps, [values.networkInterfacePrivateIp]);
        for (const [name, value] of Object.entries(ids)) {
            assert.ok(typeof value === "string" && value.length > 0, `${name} is ${value}`);
        }
        assert.strictEqual(values.activeInstanceId, values.instanceId);
    });

    it("reproduces the console how-to: test-vpc 10.0.0.0/20, test-subnet-1/2 in ap-south-1a, test-instance, test-network-interface", () => {
        const named = (type: string) => awsResources(registrations).filter((r) => r.type === type).map((r) => [(r.inputs.tags as Record<string, string>).Name, r.inputs.cidrBlock, r.inputs.availabilityZone]);
        assert.deepStrictEqual(named(TYPES.vpc), [["test-vpc", "10.0.0.0/20", undefined]]);
        assert.deepStrictEqual(named(TYPES.subnet), [
            ["test-subnet-1", "10.0.0.0/24", "ap-south-1a"],
            ["test-subnet-2", "10.0.1.0/24", "ap-south-1a"],
        ]);
        assert.strictEqual((single(registrations, TYPES.instance).inputs.tags as Record<string, string>).Name, "test-instance");
        assert.strictEqual(single(registrations, TYPES.networkInterface).inputs.description, "test-network-interface");
        assert.strictEqual(single(registrations, TYPES.attachment).inputs.deviceIndex, 1);
    });

    it("tags every taggable resource (all but the attachment) with the project and stack", () => {
        for (const resource of awsResources(registrations).filter((r) => r.type !== TYPES.attachment)) {
            const tags = resource.inputs.tags as Record<string, string> | undefined;
            assert.ok(tags, `${resource.name} has no tags`);
            assert.deepStrictEqual([tags.Project, tags.Stack], ["dual-subnet-eni", "test"], resource.name);
        }
    });
});
