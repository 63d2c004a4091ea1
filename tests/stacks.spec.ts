/** Every Pulumi.<stack>.yaml in the repository, run under its own stack name; a new file is covered as is. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cidrsOverlap, parseIpv4Cidr } from "../components/cidr";
import { planDrift } from "../scripts/plan";
import { planOf, StackPlan } from "../tools/offlinePlan";
import { listStacks, loadStackConfig, PROJECT_DIR, readProjectFile } from "../tools/stackFiles";
import { TYPES } from "./support/fixtures";
import { PROJECT, runStackInProcess } from "./support/helpers";

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

/** Pairs of stacks (of the project in `dir`) whose VPC ranges overlap, so that they could not be peered. */
function overlappingVpcs(dir = PROJECT_DIR): string[] {
    const vpcs = listStacks(dir).map((stack) => {
        const parsed = parseIpv4Cidr(loadStackConfig(stack, dir)[`${PROJECT}:vpcCidrBlock`]);
        assert.ok(parsed.ok, `Pulumi.${stack}.yaml: ${PROJECT}:vpcCidrBlock is not a CIDR`);
        return { stack, cidr: parsed.cidr };
    });
    return vpcs.flatMap((a) => vpcs.filter((b) => b.stack > a.stack && cidrsOverlap(a.cidr, b.cidr)).map((b) => `${a.stack} ${a.cidr.canonical} overlaps ${b.stack} ${b.cidr.canonical}`));
}

/** The stack file the README's recipe for a new environment writes: `cat > Pulumi.<stack>.yaml <<'EOF'` … `EOF`. */
function stackFileOfReadmeRecipe(): { stack: string; text: string } {
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Environments\n"), readme.indexOf("\n## ", readme.indexOf("## Environments\n")));
    const recipe = /^cat > Pulumi\.(\S+)\.yaml <<'EOF'\n([\s\S]*?)^EOF$/m.exec(section);
    assert.ok(recipe, "the README's Environments section writes no stack file");
    return { stack: recipe[1], text: recipe[2] };
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

    it("give every environment a VPC range that overlaps no other (they can be peered)", () => {
        assert.deepStrictEqual(overlappingVpcs(), []);
    });

    describe("the README's recipe for a new environment, beside the others", () => {
        let dir: string;
        let stack: string;

        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-env-"));
            for (const file of ["Pulumi.yaml", ...STACKS.map((s) => `Pulumi.${s}.yaml`)]) {
                fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(dir, file));
            }
            const recipe = stackFileOfReadmeRecipe();
            stack = recipe.stack;
            fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), recipe.text);
        });

        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("sets up a stack in dev's region, which plans the seed's 11 resources there, its range overlapping no other", async () => {
            assert.strictEqual(loadStackConfig(stack, dir)["aws:region"], loadStackConfig("dev")["aws:region"]);
            const plan = planOf(await runStackInProcess(stack, dir));
            assert.strictEqual(plan.region, "ap-south-1");
            assert.strictEqual(plan.resources.filter((r) => r.type.startsWith("aws:")).length, 11);
            assert.deepStrictEqual(overlappingVpcs(dir), []);
        });
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
