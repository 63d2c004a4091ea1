/** Every Pulumi.<stack>.yaml in the repository, run under its own stack name; a new file is covered as is. */
import * as assert from "assert";
import { cidrsOverlap, parseIpv4Cidr } from "../components/cidr";
import { planDrift } from "../scripts/plan";
import { planOf, StackPlan } from "../stacks/offlinePlan";
import { listStacks, loadStackConfig, readProjectFile, readStackFile } from "../stacks/stackFiles";
import { TYPES } from "./fixtures";
import { PROJECT, runStackInProcess } from "./helpers";

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

    it("declare every project key with a description in Pulumi.yaml, and a type unless its values are objects (older CLIs refuse type object) or it is secret (the CLI would refuse its plaintext default)", () => {
        for (const [key, schema] of Object.entries(readProjectFile().config ?? {})) {
            assert.ok(typeof schema === "object" && "description" in schema, `${key} lacks a description`);
            const holdsObjects = Array.isArray(schema.default) ? key.endsWith("Ingress") : typeof schema.default === "object";
            assert.ok("type" in schema ? !schema.secret : holdsObjects || schema.secret, `${key} lacks a type, or is secret with one`);
            assert.ok(!JSON.stringify(schema).includes('"object"'), `${key} declares type object, which Pulumi CLIs before mid-2025 refuse`);
        }
    });

    it("give every environment its own region and a VPC range that overlaps no other (they can be peered)", () => {
        const vpcs = STACKS.map((stack) => {
            const parsed = parseIpv4Cidr(loadStackConfig(stack)[`${PROJECT}:vpcCidrBlock`]);
            assert.ok(parsed.ok, `Pulumi.${stack}.yaml: ${PROJECT}:vpcCidrBlock is not a CIDR`);
            return { stack, cidr: parsed.cidr };
        });
        for (const a of vpcs) {
            for (const b of vpcs.filter((other) => other.stack > a.stack)) {
                assert.ok(!cidrsOverlap(a.cidr, b.cidr), `${a.stack} ${a.cidr.canonical} overlaps ${b.stack} ${b.cidr.canonical}`);
            }
        }
        const regions = STACKS.map((stack) => `${stack}: ${readStackFile(stack)["aws:region"]}`);
        assert.strictEqual(new Set(STACKS.map((stack) => readStackFile(stack)["aws:region"])).size, STACKS.length, `two stacks share a region: ${regions.join(", ")}`);
    });
});


for (const stack of STACKS) {
    describe(`stack ${stack}, under its own stack name`, () => {
        let plan: StackPlan;
        const setting = (key: string) => plan && loadStackConfig(stack)[`${PROJECT}:${key}`];
        const aws = () => plan.resources.filter((r) => r.type.startsWith("aws:"));

        before(async () => {
            plan = planOf(await runStackInProcess(stack));
        });

        it("creates the network, instance, ENI and attachment its config describes", () => {
            assert.strictEqual(aws().length, expectedResourceCount(setting), aws().map((r) => r.name).join(", "));
            assert.strictEqual(aws().find((r) => r.type === TYPES.vpc)!.inputs.cidrBlock, setting("vpcCidrBlock"));
            const subnets = aws().filter((r) => r.type === TYPES.subnet).map((r) => [r.inputs.cidrBlock, r.inputs.availabilityZone]);
            assert.deepStrictEqual(subnets.sort(), [
                [setting("primarySubnetCidrBlock"), setting("availabilityZone")],
                [setting("secondarySubnetCidrBlock"), setting("availabilityZone")],
            ].sort());
            assert.strictEqual(aws().find((r) => r.type === TYPES.instance)!.inputs.instanceType, setting("instanceType"));
        });

        it("names and tags every resource for this stack (Name prefix: namePrefix, else the stack's name)", () => {
            const prefix = setting("namePrefix") || stack;
            for (const resource of aws().filter((r) => r.inputs.tags)) {
                const tags = resource.inputs.tags as Record<string, string>;
                assert.ok(tags.Name.startsWith(`${prefix}-`), `${resource.name} is tagged Name=${tags.Name}; expected the prefix ${prefix}-`);
                assert.strictEqual(tags.Stack, stack, `${resource.name} is tagged Stack=${tags.Stack}`);
            }
        });

        it(`matches its committed offline plan, plans/${stack}.json`, () => {
            const drift = planDrift(plan);
            assert.strictEqual(drift, undefined, `the plan of ${stack} changed; review it, then run npm run plan -- --update ${stack}\n${drift}`);
        });
    });
}
