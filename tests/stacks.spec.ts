/** Every Pulumi.<stack>.yaml in the repository, run through the stack program; a new file is covered as is. */
import * as assert from "assert";
import { cidrsOverlap, parseIpv4Cidr } from "../components/cidr";
import { planDrift } from "../scripts/plan";
import { planStack } from "../stacks/offlinePlan";
import { dualSubnetEniStack } from "../stacks/program";
import { listStacks, loadStackConfig, readProjectFile } from "../stacks/stackFiles";
import { TYPES } from "./fixtures";
import { resolveAll } from "../components/testing";
import { awsResources, PROJECT, useMocks } from "./helpers";

const STACKS = listStacks();

/**
 * AWS resources a stack config asks for: the seed's 11, one per inbound rule, and what each feature adds
 * (public side: gateway, route table, route, association, Elastic IP; SSM: role, policy, profile, and
 * without a public instance its endpoints' group, HTTPS rule and 3 endpoints; a standby instance).
 */
function expectedResourceCount(setting: (key: string) => string | undefined): number {
    const list = (key: string) => (JSON.parse(setting(key) || "[]") as unknown[]).length;
    const on = (key: string) => setting(key) === "true";
    const publicInterface = setting("publicInterface") ?? "none";
    return (
        11 +
        list("instanceIngress") +
        list("networkInterfaceIngress") +
        (publicInterface === "none" ? 0 : 5) +
        (on("ssmAccess") ? 3 + (publicInterface === "instance" ? 0 : 5) : 0) +
        (on("standbyInstance") ? 1 : 0)
    );
}

describe("stack files", () => {
    it("include dev, staging and prod", () => {
        for (const stack of ["dev", "staging", "prod"]) {
            assert.ok(STACKS.includes(stack), `no Pulumi.${stack}.yaml`);
        }
    });

    it("use only keys that Pulumi.yaml declares, each with a description and, but for rule lists and tags (Pulumi.yaml has no object type), a type", () => {
        const declared = readProjectFile().config ?? {};
        for (const [key, schema] of Object.entries(declared)) {
            const untyped = key.endsWith("Ingress") || key === "tags";
            assert.ok(typeof schema === "object" && (untyped || "type" in schema) && "description" in schema, `${key} lacks a type or description`);
        }
        for (const stack of STACKS) {
            for (const key of Object.keys(loadStackConfig(stack))) {
                const [namespace, name] = key.split(":");
                assert.ok(namespace !== PROJECT || name in declared, `Pulumi.${stack}.yaml sets undeclared ${key}`);
            }
        }
    });

    it("give every environment its own region and a VPC range that overlaps no other (they can be peered)", () => {
        const vpcs = STACKS.map((stack) => {
            const parsed = parseIpv4Cidr(loadStackConfig(stack)[`${PROJECT}:vpcCidrBlock`]);
            assert.ok(parsed.ok, stack);
            return { stack, cidr: parsed.cidr };
        });
        for (const a of vpcs) {
            for (const b of vpcs.filter((other) => other.stack > a.stack)) {
                assert.ok(!cidrsOverlap(a.cidr, b.cidr), `${a.stack} ${a.cidr.canonical} overlaps ${b.stack} ${b.cidr.canonical}`);
            }
        }
        const regions = STACKS.map((stack) => loadStackConfig(stack)["aws:region"]);
        assert.strictEqual(new Set(regions).size, regions.length, `regions: ${regions.join(", ")}`);
    });
});

for (const stack of STACKS) {
    describe(`stack ${stack} under mocks`, () => {
        const config = loadStackConfig(stack);
        const setting = (key: string) => config[`${PROJECT}:${key}`];

        it("passes validation and creates the network, instance, ENI and attachment its config describes", async () => {
            const registrations = await useMocks(config);
            const outputs = dualSubnetEniStack();
            await resolveAll(Object.values(outputs));
            await registrations.settled();
            const aws = awsResources(registrations);
            assert.strictEqual(aws.length, expectedResourceCount(setting), aws.map((r) => r.name).join(", "));
            const vpc = aws.find((r) => r.type === TYPES.vpc)!;
            assert.strictEqual(vpc.inputs.cidrBlock, setting("vpcCidrBlock"));
            const subnets = aws.filter((r) => r.type === TYPES.subnet).map((r) => [r.inputs.cidrBlock, r.inputs.availabilityZone]);
            assert.deepStrictEqual(subnets, [
                [setting("primarySubnetCidrBlock"), setting("availabilityZone")],
                [setting("secondarySubnetCidrBlock"), setting("availabilityZone")],
            ]);
            const prefix = setting("namePrefix") || stack;
            for (const resource of aws.filter((r) => r.inputs.tags)) {
                assert.ok((resource.inputs.tags as Record<string, string>).Name.startsWith(`${prefix}-`), resource.name);
            }
            assert.strictEqual(aws.find((r) => r.type === TYPES.instance)!.inputs.instanceType, setting("instanceType"));
        });

        it(`matches its committed offline plan, plans/${stack}.json`, async () => {
            const drift = planDrift(await planStack(stack));
            assert.strictEqual(drift, undefined, `the plan of ${stack} changed; review it, then run npm run plan -- --update\n${drift}`);
        });
    });
}
