/**
 * The five day-2 cases of issue 26, each as `npm run plan -- <stack> --diff` shows it against what `pulumi up`
 * does, with the provider or engine source it follows: the instance after the provider reads its Elastic IP
 * back, a region move, an Optional+Computed input the program stops setting, a replacement created from the
 * program's inputs, and resources matched by URN and aliases. Programs run in this process under the mocks.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { DualSubnetEniInstance, type DualSubnetEniInstanceArgs, outputsOf } from "../components";
import type { MockOptions, MockSubnet } from "../components/testing";
import { main } from "../scripts/plan";
import { STACK_COMPONENT_NAME, stackArgs } from "../stacks/program";
import type { PlannedResource, StackPlan } from "../tools/offlinePlan";
import { renderDiff, type ResourceChange } from "../tools/planDiff";
import { type Preview, previewChange } from "../tools/preview";
import { isRegional, readBack } from "../tools/providerState";
import { changedConfig, type ConfigChange, MATRIX_AWS, type Program, runConfigInProcess, runInProcess } from "../tools/updateMatrix";
import { loadStackConfig, PROJECT_DIR } from "../tools/stackFiles";

const INSTANCE = "aws:ec2/instance:Instance";
const committed = (stack: string) => JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "plans", `${stack}.json`), "utf8")) as StackPlan;
const short = (name: string) => name.replace(`${STACK_COMPONENT_NAME}-`, "");
/** The resources that change, `<short name> <op>`. */
const ops = (p: Preview) => p.diff.changes.filter((c) => c.op !== "same").map((c) => `${short(c.name)} ${c.op}`);

/** `npm run plan -- <stack> --diff --json` on a copy of the project whose stack file `edit` changed; the exit code and the JSON. */
async function diffJson(stack: string, edit: (stackFile: string) => string): Promise<{ code: number; changes: ResourceChange[]; err: string }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-day-two-"));
    try {
        ["Pulumi.yaml", "package.json", "tsconfig.json", "node_modules", "stacks", "components", "plans"].forEach((entry) => fs.symlinkSync(path.join(PROJECT_DIR, entry), path.join(dir, entry)));
        const file = `Pulumi.${stack}.yaml`;
        const edited = edit(fs.readFileSync(path.join(PROJECT_DIR, file), "utf8"));
        fs.writeFileSync(path.join(dir, file), edited);
        const output = { out: [] as string[], err: [] as string[] };
        const code = await main([stack, "--diff", "--json"], { out: (t) => output.out.push(t), err: (t) => output.err.push(t) }, dir, (s, at) => runInProcess(s, loadStackConfig(s, at), MATRIX_AWS));
        return { code, changes: JSON.parse(output.out.join("\n")) as ResourceChange[], err: output.err.join("\n") };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const VPC = "vpc-0a1b2c3d4e5f60718";
const IGW = "igw-0a1b2c3d4e5f60718";
const SUBNETS: MockSubnet[] = [
    { id: "subnet-0000000000000000a", vpcId: VPC, availabilityZone: "ap-south-1a", cidrBlock: "172.16.0.0/24", internetGatewayId: IGW },
    { id: "subnet-0000000000000000b", vpcId: VPC, availabilityZone: "ap-south-1a", cidrBlock: "172.16.1.0/24", internetGatewayId: IGW },
];

/** The component on an existing network (a library consumer's program). */
const onExistingNetwork =
    (args: Partial<DualSubnetEniInstanceArgs>): Program =>
    () =>
        outputsOf(new DualSubnetEniInstance("byo", { existingNetwork: { vpcId: VPC, primarySubnetId: SUBNETS[0].id, secondarySubnetId: SUBNETS[1].id }, ...args }));

describe("day 2: the instance after the provider reads its Elastic IP back (terraform-provider-aws #37318)", () => {
    // ec2_instance.go resourceInstanceFlatten sets associate_public_ip_address to whether the primary interface
    // (device index 0) has a public-IP association, true once an Elastic IP is on it; the attribute is ForceNew.
    const combinations: [string, ConfigChange, Program | undefined][] = [];
    for (const publicInterface of ["none", "instance", "networkInterface"]) {
        for (const standbyInstance of [false, true]) {
            combinations.push([`new network, publicInterface ${publicInterface}, standbyInstance ${standbyInstance}`, { publicInterface, standbyInstance }, undefined]);
            combinations.push([`existing network, publicInterface ${publicInterface}, standbyInstance ${standbyInstance}`, {}, onExistingNetwork({ publicInterface: publicInterface as "none", standbyInstance })]);
        }
    }
    for (const [title, change, program] of combinations) {
        it(`${title}: every resource unchanged after the read, nothing refused`, async () => {
            const mocks: MockOptions = { ...MATRIX_AWS, existingSubnets: SUBNETS };
            const { plan, propertyDependencies } = await runConfigInProcess("dev", changedConfig("dev", change), mocks, program);
            const read = readBack(plan).resources.filter((r) => r.type === INSTANCE);
            const elasticIpOnInstance = change.publicInterface === "instance" || title.includes("existing network, publicInterface instance");
            assert.deepStrictEqual(
                read.map((r) => r.inputs.associatePublicIpAddress),
                read.map((r) => elasticIpOnInstance && !r.name.endsWith("standby-instance")),
                "the read sees the Elastic IP on the primary instance's interface only",
            );
            const p = previewChange(plan, plan, propertyDependencies);
            assert.deepStrictEqual(ops(p), []);
            assert.deepStrictEqual(p.refusals, []);
        });
    }

    it("staging as the component registered its instance before (associatePublicIpAddress not ignored): the read replaces the instance, the EIP follows", async () => {
        const { plan, propertyDependencies } = await runConfigInProcess("staging", loadStackConfig("staging"), MATRIX_AWS);
        const before = (r: PlannedResource) => (r.type === INSTANCE ? { ...r, ignoreChanges: r.ignoreChanges?.filter((p) => p !== "associatePublicIpAddress") } : r);
        const p = previewChange(committed("staging"), { ...plan, resources: plan.resources.map(before) }, propertyDependencies);
        assert.deepStrictEqual(
            p.diff.changes.filter((c) => c.op !== "same").map((c) => [short(c.name), c.op, c.properties]),
            [
                ["instance", "replace", ["associatePublicIpAddress"]],
                ["eip", "update", ["networkInterface"]],
                ["eni-attachment", "replace", ["instanceId"]],
            ],
        );
    });
});

describe("day 2: a region move replaces every regional resource (@pulumi/aws 7: `region` on each)", () => {
    // internal/provider/sdkv2 defaultRegion plans an unset region as the provider's; forceNewIfRegionChanges (and the
    // framework's resourceForceNewIfRegionChangesInterceptor.modifyPlan) replace a resource whose region changes,
    // except between unset and the provider's region. pulumi-aws 7 dropped ForcesProviderReplace on the provider's
    // region (pulumi/pulumi-aws#5656), so the default provider is not replaced: each resource is. IAM is global.
    it("staging to aws:region ap-south-1, availabilityZone ap-south-1a: --diff --json exits 0 with the VPC and every other resource replaced", async () => {
        const moved = (file: string) => file.replace("aws:region: ap-southeast-1", "aws:region: ap-south-1").replace("availabilityZone: ap-southeast-1a", "availabilityZone: ap-south-1a");
        const { code, changes, err } = await diffJson("staging", moved);
        assert.strictEqual(code, 0, err);
        const vpc = changes.find((c) => c.type === "aws:ec2/vpc:Vpc")!;
        assert.deepStrictEqual([vpc.op, vpc.replaceOrder, vpc.properties], ["replace", "create-first", ["region"]]);
        const aws = changes.filter((c) => c.type.startsWith("aws:"));
        assert.deepStrictEqual(aws.filter((c) => c.op !== "replace").map((c) => c.name), [], "every AWS resource of staging is regional");
        assert.ok(aws.some((c) => c.type === "aws:ec2/eip:Eip"), "the Elastic IP is replaced too: a new public address");
    });

    it("prod to eu-central-1: every regional resource replaced, the IAM role, profile and attachment unchanged", async () => {
        const { plan, propertyDependencies } = await runConfigInProcess("prod", changedConfig("prod", { "aws:region": "eu-central-1", availabilityZone: "eu-central-1a" }), MATRIX_AWS);
        const p = previewChange(committed("prod"), plan, propertyDependencies);
        const aws = p.diff.changes.filter((c) => c.type.startsWith("aws:"));
        assert.deepStrictEqual(
            aws.filter((c) => c.op === "same").map((c) => c.type),
            ["aws:iam/role:Role", "aws:iam/instanceProfile:InstanceProfile", "aws:iam/rolePolicyAttachment:RolePolicyAttachment"],
        );
        assert.ok(aws.every((c) => (c.op === "replace") === isRegional(c.type)));
        assert.deepStrictEqual(p.refusals, []);
    });

    it("the same region given explicitly on a resource is no change; another one replaces it", async () => {
        const deployed = committed("dev");
        const vpc = deployed.resources.find((r) => r.type === "aws:ec2/vpc:Vpc")!;
        const withRegionInput = (region: string): StackPlan => ({ ...deployed, resources: deployed.resources.map((r) => (r === vpc ? { ...r, inputs: { ...r.inputs, region } } : r)) });
        assert.deepStrictEqual(ops(previewChange(deployed, withRegionInput("ap-south-1"))), []);
        assert.deepStrictEqual(ops(previewChange(deployed, withRegionInput("ap-southeast-1"))).slice(0, 1), ["vpc replace"]);
    });
});

describe("day 2: an Optional+Computed input the program stops setting", () => {
    // terraform-plugin-sdk v2 schemaMap.diffString: an Optional+Computed attribute left out of the config is no
    // change, so the provider keeps what AWS holds. ec2_instance.go resourceInstanceUpdate: iam_instance_profile
    // changed to "" (GetOk false) disassociates the profile (DisassociateIamInstanceProfile).
    it("prod ssmAccess false: both instances drop the profile (\"\") before the profile is deleted; AWS takes every step", async () => {
        const { plan, propertyDependencies } = await runConfigInProcess("prod", changedConfig("prod", { ssmAccess: false }), MATRIX_AWS);
        const p = previewChange(committed("prod"), plan, propertyDependencies);
        const updates = p.diff.steps.filter((s) => s.action === "update");
        assert.deepStrictEqual(
            updates.map((s) => [short(s.name), s.inputs.iamInstanceProfile]),
            [
                ["instance", ""],
                ["standby-instance", ""],
            ],
        );
        const at = (name: string) => p.diff.steps.findIndex((s) => s.name === `${STACK_COMPONENT_NAME}-${name}`);
        assert.ok(at("ssm-profile") > at("standby-instance"), "the profile is deleted after the instances let go of it");
        assert.deepStrictEqual(p.refusals, []);
    });

    it("the same change by a program that leaves iamInstanceProfile out (as before): refused, naming ssmAccess, since the instances would keep the deleted profile", async () => {
        const { plan, propertyDependencies } = await runConfigInProcess("prod", changedConfig("prod", { ssmAccess: false }), MATRIX_AWS);
        const leftOut = (r: PlannedResource) => (r.type === INSTANCE ? { ...r, inputs: Object.fromEntries(Object.entries(r.inputs).filter(([key]) => key !== "iamInstanceProfile")) } : r);
        const p = previewChange(committed("prod"), { ...plan, resources: plan.resources.map(leftOut) }, propertyDependencies);
        assert.deepStrictEqual(
            p.diff.changes.filter((c) => c.type === INSTANCE).map((c) => [c.op, c.kept]),
            [
                ["same", ["iamInstanceProfile"]],
                ["same", ["iamInstanceProfile"]],
            ],
            "the instances show no change: the provider keeps the profile",
        );
        assert.deepStrictEqual(p.refusals.map((r) => r.key), ["ssmAccess"]);
        assert.match(p.refusals[0].reason, /ssm-profile would be deleted while dual-subnet-eni-instance, dual-subnet-eni-standby-instance keep it/);
        assert.match(p.refusals[0].instead, /iamInstanceProfile "" disassociates it/);
    });

    it("keyName removed: no change, the instance keeps its key pair (the diff says so)", async () => {
        const deployed = (await runConfigInProcess("dev", changedConfig("dev", { keyName: "ops" }), MATRIX_AWS)).plan;
        const { plan, propertyDependencies } = await runConfigInProcess("dev", loadStackConfig("dev"), MATRIX_AWS);
        const p = previewChange(deployed, plan, propertyDependencies);
        assert.deepStrictEqual(ops(p), []);
        assert.deepStrictEqual(p.diff.changes.find((c) => c.type === INSTANCE)!.kept, ["keyName"]);
        assert.match(renderDiff("dev", p.diff), /^ {4}aws:ec2\/instance:Instance dual-subnet-eni-instance same\n {6}the provider keeps the deployed keyName \(Optional and Computed: left out, not removed\)$/m);
    });
});

describe("day 2: a replacement is created from the program's inputs", () => {
    // pulumi/pulumi pkg/resource/deploy/step_generator.go continueStepsFromDiff: on deciding to replace, the engine
    // runs the provider's Check on goal.Properties, before ignoreChanges ("we need to recompute the default values").
    it("dev instanceType t4g.small with the looked-up image: --diff --json exits 0 with the instance replaced", async () => {
        const { code, changes, err } = await diffJson("dev", (file) => file.replace("instanceType: t3.micro", "instanceType: t4g.small"));
        assert.strictEqual(code, 0, err);
        assert.deepStrictEqual(
            changes.filter((c) => c.op !== "same").map((c) => [short(c.name), c.op, c.properties]),
            [
                ["instance", "replace", ["instanceType"]],
                ["eni-attachment", "replace", ["instanceId"]],
            ],
        );
    });
});

describe("day 2: resources matched by URN (the type chain of parents, the name) and aliases", () => {
    // pulumi/pulumi pkg/resource/deploy/step_generator.go getOldResource (the URN, then each alias), generateAliases
    // (a parent's alias multiplied into its children through inheritedChildAlias), collapseAliasToUrn.
    const config = () => new pulumi.Config();
    const argsOf = (): DualSubnetEniInstanceArgs => {
        const args = stackArgs((key) => ({ text: config().get(key), secret: false })) as DualSubnetEniInstanceArgs;
        return { ...args, tags: { Project: pulumi.getProject(), Stack: pulumi.getStack() } };
    };
    /** staging's component inside a platform component of the consumer's, with or without an alias to its place at the root. */
    const wrapped =
        (aliases?: pulumi.Input<pulumi.Alias>[]): Program =>
        () => {
            const platform = new pulumi.ComponentResource("acme:index:Platform", "platform");
            return outputsOf(new DualSubnetEniInstance(STACK_COMPONENT_NAME, argsOf(), { parent: platform, aliases }));
        };

    it("wrapped in a parent with an alias to its old place (parent: the stack): no resource changes, the new parent alone is created", async () => {
        const { plan, propertyDependencies } = await runConfigInProcess("staging", loadStackConfig("staging"), MATRIX_AWS, wrapped([{ parent: pulumi.rootStackResource }]));
        const component = plan.resources.find((r) => r.name === STACK_COMPONENT_NAME)!;
        assert.deepStrictEqual([component.parent, component.aliases], ["platform", [{ parent: null }]], "the plan records the alias's parent: none (the stack)");
        const p = previewChange(committed("staging"), plan, propertyDependencies);
        assert.deepStrictEqual(ops(p), ["platform create"]);
        assert.deepStrictEqual(p.diff.changes.filter((c) => c.op === "same").length, committed("staging").resources.length);
    });

    it("wrapped without an alias: every resource is new (new URNs) and every deployed one deleted; AWS takes every step", async () => {
        const { plan, propertyDependencies } = await runConfigInProcess("staging", loadStackConfig("staging"), MATRIX_AWS, wrapped());
        const p = previewChange(committed("staging"), plan, propertyDependencies);
        const names = committed("staging").resources.map((r) => r.name);
        assert.deepStrictEqual(
            p.diff.changes.filter((c) => c.op === "create").map((c) => c.name),
            ["platform", ...plan.resources.filter((r) => r.name !== "platform").map((r) => r.name)],
        );
        assert.deepStrictEqual(p.diff.changes.filter((c) => c.op === "delete").map((c) => c.name).sort(), [...names].sort());
        assert.match(renderDiff("staging", p.diff), /Resources: 20 to create, 19 to delete; 0 unchanged\./);
        assert.deepStrictEqual(p.refusals, []);
    });

    it("renamed with an alias to the old name: every child takes its old URN through the parent's alias; nothing changes", async () => {
        // dev: its inputs reference other resources by id only (the mocks derive other outputs from logical names).
        const renamed: Program = () => outputsOf(new DualSubnetEniInstance("edge", argsOf(), { aliases: [{ name: STACK_COMPONENT_NAME }] }));
        const { plan, propertyDependencies } = await runConfigInProcess("dev", loadStackConfig("dev"), MATRIX_AWS, renamed);
        assert.ok(plan.resources.every((r) => r.name.startsWith("edge")));
        const p = previewChange(committed("dev"), plan, propertyDependencies);
        assert.deepStrictEqual(ops(p), []);
        const unaliased: Program = () => outputsOf(new DualSubnetEniInstance("edge", argsOf()));
        const without = await runConfigInProcess("dev", loadStackConfig("dev"), MATRIX_AWS, unaliased);
        assert.match(renderDiff("dev", previewChange(committed("dev"), without.plan, without.propertyDependencies).diff), /Resources: 12 to create, 12 to delete; 0 unchanged\./);
    });
});
