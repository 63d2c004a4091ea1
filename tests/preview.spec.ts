/**
 * The offline preview of a change (`npm run plan -- <stack> --diff`): each day-2 defect of issue 16 as the
 * preview shows it (ops, replacement order) or refuses it (config key, reason, what to do instead), the
 * provider's rules, and the engine's order. Programs run in this process under the mocks.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { replaySteps } from "../tools/ec2Model";
import type { PlannedResource, StackPlan } from "../tools/offlinePlan";
import { conditionsOf, diffPlans, renderDiff, REPLACE_RULES, replacingPaths, resourceChanges } from "../tools/planDiff";
import { previewChange, type Preview } from "../tools/preview";
import { changedConfig, type ConfigChange, MATRIX_AWS, runConfigInProcess, runInProcess } from "../tools/updateMatrix";
import { listStacks, loadStackConfig, PROJECT_DIR } from "../tools/stackFiles";
import { main } from "../scripts/plan";

const committed = (stack: string) => JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "plans", `${stack}.json`), "utf8")) as StackPlan;
const runs = new Map<string, ReturnType<typeof runConfigInProcess>>();
/** The stack's plan with a change (each distinct change run once). */
function plan(stack: string, change: ConfigChange = {}) {
    const key = JSON.stringify([stack, change]);
    if (!runs.has(key)) {
        runs.set(key, runConfigInProcess(stack, changedConfig(stack, change), MATRIX_AWS));
    }
    return runs.get(key)!;
}

/** The preview of `change` on a stack deployed with `deployedChange` (default: the committed plan). */
async function preview(stack: string, change: ConfigChange, deployedChange?: ConfigChange): Promise<Preview> {
    const deployed = deployedChange ? (await plan(stack, deployedChange)).plan : committed(stack);
    const next = await plan(stack, { ...deployedChange, ...change });
    return previewChange(deployed, next.plan, next.propertyDependencies);
}

/** The resources that change, `<name without the component's prefix> <op>[ <order>]`. */
const ops = (p: Preview) =>
    p.diff.changes.filter((c) => c.op !== "same").map((c) => `${c.name.replace("dual-subnet-eni-", "")} ${c.op}${c.replaceOrder ? ` ${c.replaceOrder}` : ""}`);

/** The same plan with one resource's options as the component had them before this fix. */
const withoutDeleteFirst = (p: StackPlan, name: string): StackPlan => ({
    ...p,
    resources: p.resources.map((r) => (r.name === name ? (({ deleteBeforeReplace: _dbr, ...rest }) => rest as PlannedResource)(r) : r)),
});

describe("offline preview: no config change, no changes", () => {
    for (const stack of listStacks()) {
        it(`${stack}: every resource the same as plans/${stack}.json, nothing refused`, async () => {
            const p = await preview(stack, {});
            assert.deepStrictEqual(ops(p), []);
            assert.deepStrictEqual(p.refusals, []);
            assert.ok(resourceChanges(p.diff).every((c) => c.op === "same" && c.replaceOrder === null && c.properties.length === 0));
        });
    }
});

describe("offline preview of day-2 changes", () => {
    it("instanceType t3.small on dev: the instance is updated in place (stop and start), nothing else", async () => {
        const p = await preview("dev", { instanceType: "t3.small" });
        assert.deepStrictEqual(ops(p), ["instance update"]);
        assert.deepStrictEqual(p.diff.changes.find((c) => c.op === "update")!.properties, ["instanceType"]);
        assert.deepStrictEqual(p.refusals, []);
    });

    it("availabilityZone on dev: both subnets replaced delete-first, taking the instance, ENI and attachment with them; AWS takes every step", async () => {
        const p = await preview("dev", { availabilityZone: "ap-south-1b" });
        assert.deepStrictEqual(ops(p), [
            "primary-subnet replace delete-first",
            "instance replace delete-first",
            "secondary-subnet replace delete-first",
            "eni replace delete-first",
            "eni-attachment replace delete-first",
        ]);
        assert.deepStrictEqual(p.refusals, []);
        const deletes = p.diff.steps.filter((s) => s.action === "delete").map((s) => s.name.replace("dual-subnet-eni-", ""));
        assert.deepStrictEqual(deletes.slice(0, 3), ["eni-attachment", "instance", "primary-subnet"], "dependents go first, in reverse dependency order");
    });

    it("availabilityZone on dev, with the subnets created first as before: refused, InvalidSubnet.Conflict, naming the key", async () => {
        const next = await plan("dev", { availabilityZone: "ap-south-1b" });
        const old = withoutDeleteFirst(withoutDeleteFirst(next.plan, "dual-subnet-eni-primary-subnet"), "dual-subnet-eni-secondary-subnet");
        const p = previewChange(committed("dev"), old, next.propertyDependencies);
        assert.ok(p.refusals.length > 0);
        assert.match(p.refusals[0].key, /SubnetCidrBlock|availabilityZone/);
        assert.strictEqual(p.refusals[0].awsError, "InvalidSubnet.Conflict");
    });

    it("availabilityZone on prod: the SSM endpoints in the primary subnet go with it (replaceOnChanges subnetIds), delete-first; AWS takes every step", async () => {
        const p = await preview("prod", { availabilityZone: "eu-west-1c" });
        const endpoints = p.diff.changes.filter((c) => c.type === "aws:ec2/vpcEndpoint:VpcEndpoint");
        assert.deepStrictEqual(endpoints.map((c) => [c.op, c.replaceOrder, c.takenWith]), Array(3).fill(["replace", "delete-first", "dual-subnet-eni-primary-subnet"]));
        assert.deepStrictEqual(p.refusals, []);
    });

    it("availabilityZone on prod as deployed before endpoints were replaced with their subnet: refused before any step (DependencyViolation), naming the key", async () => {
        const next = await plan("prod", { availabilityZone: "eu-west-1c" });
        const before = committed("prod");
        const deployed = { ...before, resources: before.resources.map(({ replaceOnChanges: _r, ...r }) => r) };
        const p = previewChange(deployed, next.plan, next.propertyDependencies);
        assert.strictEqual(p.refusals[0].key, "availabilityZone");
        assert.strictEqual(p.refusals[0].awsError, "DependencyViolation");
        assert.match(p.refusals[0].reason, /ssm-endpoint/);
        assert.match(p.refusals[0].instead, /two steps/);
    });

    it("a new keyName with instancePrivateIp set: the instance is replaced delete-first (its address is free for the new one)", async () => {
        const p = await preview("dev", { keyName: "ops" }, { instancePrivateIp: "10.0.0.10", instanceSecondaryPrivateIps: ["10.0.0.11"] });
        assert.deepStrictEqual(ops(p), ["instance replace delete-first", "eni-attachment replace delete-first"]);
        assert.deepStrictEqual(p.refusals, []);
    });

    it("the same change with the instance created first, as before: refused with InvalidIPAddress.InUse, naming keyName", async () => {
        const deployed = (await plan("dev", { instancePrivateIp: "10.0.0.10" })).plan;
        const next = await plan("dev", { instancePrivateIp: "10.0.0.10", keyName: "ops" });
        const p = previewChange(deployed, withoutDeleteFirst(next.plan, "dual-subnet-eni-instance"), next.propertyDependencies);
        assert.deepStrictEqual(
            p.refusals.map((r) => [r.key, r.awsError]),
            [["keyName", "InvalidIPAddress.InUse"]],
        );
        assert.match(p.refusals[0].reason, /10\.0\.0\.10/);
    });

    it("a new ENI primary address with fixed secondaries kept: the ENI is replaced delete-first; created first it is refused", async () => {
        const deployedWith = { networkInterfacePrivateIp: "10.0.1.10", networkInterfaceSecondaryPrivateIps: ["10.0.1.11"] };
        const p = await preview("dev", { networkInterfacePrivateIp: "10.0.1.20" }, deployedWith);
        assert.deepStrictEqual(ops(p), ["eni replace delete-first", "eni-attachment replace delete-first"]);
        assert.deepStrictEqual(p.refusals, []);
        const deployed = (await plan("dev", deployedWith)).plan;
        const next = await plan("dev", { ...deployedWith, networkInterfacePrivateIp: "10.0.1.20" });
        const before = previewChange(deployed, withoutDeleteFirst(next.plan, "dual-subnet-eni-eni"), next.propertyDependencies);
        assert.deepStrictEqual(before.refusals.map((r) => [r.key, r.awsError]), [["networkInterfacePrivateIp", "InvalidIPAddress.InUse"]]);
    });

    it("a Graviton type with the looked-up image: the instance is replaced, booting the arm64 image the program looks up; AWS takes every step", async () => {
        // On deciding to replace, the engine runs the provider's Check on the program's own inputs, before ignoreChanges
        // (pulumi/pulumi pkg/resource/deploy/step_generator.go continueStepsFromDiff): the new instance takes the new image.
        const p = await preview("dev", { instanceType: "t4g.small" });
        assert.deepStrictEqual(ops(p), ["instance replace create-first", "eni-attachment replace delete-first"]);
        assert.deepStrictEqual(p.refusals, []);
        const created = p.diff.steps.find((s) => s.action === "create" && s.name === "dual-subnet-eni-instance")!;
        assert.strictEqual(created.inputs.ami, "<newest Amazon Linux 2023 arm64 AMI, read at deploy time>");
        assert.match(renderDiff("dev", p.diff), /the new one takes the program's ami \(ignoreChanges keeps a deployed value only in an update\)/);
    });

    it("a smaller rootVolumeSizeGiB: refused, naming the key, the size and what to do", async () => {
        const p = await preview("dev", { rootVolumeSizeGiB: 20 }, { rootVolumeSizeGiB: 30 });
        assert.deepStrictEqual(ops(p), ["instance update"]);
        assert.deepStrictEqual(p.refusals.map((r) => r.key), ["rootVolumeSizeGiB"]);
        assert.match(p.refusals[0].reason, /30 GiB and EBS cannot shrink/);
        const larger = await preview("dev", { rootVolumeSizeGiB: 40 }, { rootVolumeSizeGiB: 30 });
        assert.deepStrictEqual(larger.refusals, []);
    });

    it("a fixed ENI primary with AWS-assigned secondaries: privateIps kept (no diff each deploy); a new primary is refused, not silently dropped", async () => {
        const deployedWith = { networkInterfacePrivateIp: "10.0.1.10", networkInterfaceSecondaryPrivateIpCount: 1 };
        const { plan: deployed } = await plan("dev", deployedWith);
        const eni = deployed.resources.find((r) => r.name === "dual-subnet-eni-eni")!;
        assert.deepStrictEqual([eni.ignoreChanges, eni.inputs.privateIps, eni.inputs.privateIpsCount], [["privateIps"], ["10.0.1.10"], 1]);
        const same = await preview("dev", {}, deployedWith);
        assert.deepStrictEqual(ops(same), []);
        const moved = await preview("dev", { networkInterfacePrivateIp: "10.0.1.20" }, deployedWith);
        assert.deepStrictEqual(moved.refusals.map((r) => r.key), ["networkInterfacePrivateIp"]);
    });

    it("a standby added later runs the primary's image as deployed, waits for the primary, and leaves the attachment alone", async () => {
        const next = await plan("dev", { standbyInstance: true });
        const standby = next.plan.resources.find((r) => r.name === "dual-subnet-eni-standby-instance")!;
        assert.deepStrictEqual(next.propertyDependencies["dual-subnet-eni-standby-instance"].ami, ["dual-subnet-eni-instance"]);
        assert.ok(standby.dependsOn.includes("dual-subnet-eni-instance"));
        assert.deepStrictEqual(ops(previewChange(committed("dev"), next.plan, next.propertyDependencies)), ["standby-instance create"]);
    });

    it("the SSM endpoints wait for the instance's fixed addresses in the primary subnet", () => {
        for (const endpoint of committed("prod").resources.filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint")) {
            assert.ok(endpoint.dependsOn.includes("dual-subnet-eni-instance"), endpoint.name);
        }
    });

    describe("ingress rules named by content", () => {
        const https = { protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "HTTPS from the internet" };
        const admin = { protocol: "tcp", fromPort: 8443, toPort: 8443, cidrIpv4: "10.0.0.0/8", description: "Admin" };

        it("removing the first rule deletes that rule alone", async () => {
            const p = await preview("staging", { instanceIngress: [https] }, { instanceIngress: [admin, https] });
            assert.deepStrictEqual(ops(p), ["primary-sg-ingress-tcp-8443-from-10.0.0.0/8 delete"]);
            assert.deepStrictEqual(p.refusals, []);
        });

        /** staging as deployed before this change: rules named by position. */
        const positional = (): StackPlan => {
            const p = committed("staging");
            return {
                ...p,
                resources: p.resources.map((r) => (r.aliases ? (({ aliases, ...rest }) => ({ ...rest, name: aliases![0] as string }))(r) : r)),
            };
        };

        it("a stack deployed with positional names takes the new names through aliases: nothing changes", async () => {
            const next = await plan("staging");
            const p = previewChange(positional(), next.plan, next.propertyDependencies);
            assert.deepStrictEqual(ops(p), []);
        });

        it("changing the rules in the same deployment as the rename is refused (AWS would see a duplicate rule)", async () => {
            const next = await plan("staging", { instanceIngress: [admin, https] });
            const p = previewChange(positional(), next.plan, next.propertyDependencies);
            assert.deepStrictEqual(p.refusals.map((r) => [r.key, r.awsError]), [["instanceIngress", "InvalidPermission.Duplicate"]]);
        });
    });
});

describe("the provider's replacement rules", () => {
    it("has a predicate for every conditional rule of awsReplaceOnChange.json", () => {
        for (const [type, rules] of Object.entries(REPLACE_RULES)) {
            for (const rule of rules.conditional) {
                assert.ok(conditionsOf(type)[rule.property], `${type}: no predicate for "${rule.property}"`);
            }
        }
    });

    it("replaces an instance across architectures only, and an ENI's ordered list only when its first address changes", () => {
        const instance = "aws:ec2/instance:Instance";
        assert.deepStrictEqual(replacingPaths(instance, ["instanceType"], { instanceType: "t3.micro" }, { instanceType: "t3.large" }), []);
        assert.deepStrictEqual(replacingPaths(instance, ["instanceType"], { instanceType: "t3.micro" }, { instanceType: "t4g.micro" }), ["instanceType"]);
        const eni = "aws:ec2/networkInterface:NetworkInterface";
        const list = (...ips: string[]) => ({ privateIpListEnabled: true, privateIpLists: ips });
        assert.deepStrictEqual(replacingPaths(eni, ["privateIpLists"], list("10.0.1.10", "10.0.1.11"), list("10.0.1.10", "10.0.1.12")), []);
        assert.deepStrictEqual(replacingPaths(eni, ["privateIpLists"], list("10.0.1.10", "10.0.1.11"), list("10.0.1.20", "10.0.1.11")), ["privateIpLists"]);
        assert.deepStrictEqual(replacingPaths(eni, ["privateIpsCount"], {}, { privateIpsCount: 2 }), []);
        const rule = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
        assert.deepStrictEqual(replacingPaths(rule, ["cidrIpv4"], { cidrIpv4: "10.0.0.0/8" }, { cidrIpv4: "10.1.0.0/16" }), []);
        assert.deepStrictEqual(replacingPaths(rule, ["cidrIpv4", "cidrIpv6"], { cidrIpv4: "10.0.0.0/8" }, { cidrIpv6: "::/0" }), ["cidrIpv4", "cidrIpv6"]);
    });
});

describe("the EC2 model", () => {
    const subnet = (name: string, cidr: string): PlannedResource => ({ type: "aws:ec2/subnet:Subnet", name, inputs: { vpcId: "vpc.id", cidrBlock: cidr, availabilityZone: "ap-south-1a" }, dependsOn: [] });

    it("refuses an overlapping subnet in the same VPC and takes one in another range", () => {
        const create = (cidr: string) => [{ action: "create" as const, name: "b", type: "aws:ec2/subnet:Subnet", inputs: subnet("b", cidr).inputs }];
        assert.deepStrictEqual(replaySteps([subnet("a", "10.0.0.0/24")], create("10.0.0.128/25")).map((r) => r.awsError), ["InvalidSubnet.Conflict"]);
        assert.deepStrictEqual(replaySteps([subnet("a", "10.0.0.0/24")], create("10.0.1.0/24")), []);
    });

    it("orders a create-first replacement's delete after every other step", () => {
        const deployed: StackPlan = { project: "p", stack: "s", region: "r", resources: [subnet("a", "10.0.0.0/24"), { ...subnet("b", "10.0.1.0/24"), dependsOn: [] }] };
        const next: StackPlan = { ...deployed, resources: [{ ...subnet("a", "10.0.0.0/24"), inputs: { ...subnet("a", "").inputs, cidrBlock: "10.0.2.0/24" } }, subnet("b", "10.0.1.0/24")] };
        const steps = diffPlans(deployed, next).steps.map((s) => `${s.action} ${s.name}`);
        assert.deepStrictEqual(steps, ["create a", "delete a"]);
    });
});

describe("npm run plan -- <stack> --diff", () => {
    it("--json: instanceType t3.small shows the instance as update, every other resource same, one JSON array alone on stdout", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-diff-"));
        try {
            ["Pulumi.yaml", "package.json", "tsconfig.json", "node_modules", "stacks", "components", "plans"].forEach((entry) => fs.symlinkSync(path.join(PROJECT_DIR, entry), path.join(dir, entry)));
            const dev = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");
            fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), dev.replace("instanceType: t3.micro", "instanceType: t3.small"));
            // In process (the runner path of `npm run plan` is tested in plan.spec.ts).
            const output = { out: [] as string[], err: [] as string[] };
            const code = await main(["dev", "--diff", "--json"], { out: (t) => output.out.push(t), err: (t) => output.err.push(t) }, dir, (stack, at) => runInProcess(stack, loadStackConfig(stack, at)));
            const [out, err] = [output.out.join("\n"), output.err.join("\n")];
            assert.strictEqual(code, 0, err);
            const changes = JSON.parse(out) as { name: string; type: string; op: string; replaceOrder: string | null; properties: string[] }[];
            assert.deepStrictEqual(changes.filter((c) => c.op !== "same"), [
                { name: "dual-subnet-eni-instance", type: "aws:ec2/instance:Instance", op: "update", replaceOrder: null, properties: ["instanceType"] },
            ]);
            assert.strictEqual(changes.length, committed("dev").resources.length);
            assert.ok(changes.every((c) => Object.keys(c).join() === "name,type,op,replaceOrder,properties"));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("as text: a new availabilityZone replaces the subnets delete-first and shows what they take with them", async () => {
        const text = renderDiff("dev", (await preview("dev", { availabilityZone: "ap-south-1b" })).diff);
        assert.match(text, /^ \+- aws:ec2\/subnet:Subnet dual-subnet-eni-primary-subnet replace delete-first \[availabilityZone\]$/m);
        assert.match(text, /dual-subnet-eni-instance replace delete-first \[subnetId\] \(deleted before dual-subnet-eni-primary-subnet is replaced\)/);
        assert.match(text, /^Resources: 5 to replace; 7 unchanged\.$/m);
    });
});
