/**
 * automaticFailover: the resources the component makes (the mover, its least-privilege role, the network it needs),
 * the ENI carrying its own attachment, and what the offline preview says of a stack after a failover, of
 * activeInstance with automatic failover, and of turning it on or off.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DualSubnetEniInstance, DualSubnetEniInstanceArgs } from "../components";
import type { StackPlan } from "../tools/offlinePlan";
import { automaticFailoverConfig, movesTheInterface, previewAfterFailover, refreshedAfterMove } from "../tools/failoverDrill/flipBack";
import { previewChange } from "../tools/preview";
import { PROJECT_DIR } from "../tools/stackFiles";
import { changedConfig, MATRIX_AWS, runConfigInProcess } from "../tools/updateMatrix";
import { SEED_ARGS, SEED_CONFIG, TYPES } from "./support/fixtures";
import { byType, promiseOf, single, useMocks } from "./support/helpers";

const AUTOMATIC: DualSubnetEniInstanceArgs = { ...SEED_ARGS, standbyInstance: true, automaticFailover: true, failoverHealthCheckPort: 7000 };
const T = {
    ...TYPES,
    function: "aws:lambda/function:Function",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    role: "aws:iam/role:Role",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    schedule: "aws:scheduler/schedule:Schedule",
};

async function build(args: DualSubnetEniInstanceArgs) {
    const registrations = await useMocks(SEED_CONFIG);
    const component = new DualSubnetEniInstance("ha", args);
    await promiseOf(component.activeInstanceId);
    await registrations.settled();
    const named = (name: string) => registrations.find((r) => r.name === name)!;
    return { registrations, component, named };
}

interface Statement {
    readonly Effect: string;
    readonly Action: string | string[];
    readonly Resource: string | string[];
    readonly Condition?: unknown;
}

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
/** Whether an IAM action pattern (`ec2:*`, `ec2:Attach*`, `*`) matches an action. */
const matchesAction = (pattern: string, action: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action);

/** The Allow statements that let `action` run on every resource with no condition. */
function unconditionalOnEverything(statements: readonly Statement[], action: string): Statement[] {
    return statements.filter((s) => s.Effect === "Allow" && list(s.Action).some((a) => matchesAction(a, action)) && list(s.Resource).some((r) => r === "*") && s.Condition === undefined);
}

describe("automaticFailover: the component", () => {
    it("gives the ENI its attachment (device index 1, on activeInstance's instance) and ignores later changes to it; no attachment resource", async () => {
        for (const activeInstance of ["primary", "standby"] as const) {
            const { registrations, named, component } = await build({ ...AUTOMATIC, activeInstance });
            const eni = single(registrations, TYPES.networkInterface);
            const active = named(activeInstance === "primary" ? "ha-instance" : "ha-standby-instance");
            assert.deepStrictEqual(eni.inputs.attachments, [{ instance: active.id, deviceIndex: 1 }]);
            assert.deepStrictEqual(eni.ignoreChanges, ["attachments"]);
            assert.deepStrictEqual(byType(registrations, TYPES.attachment), []);
            assert.strictEqual(component.attachment, undefined);
            assert.strictEqual(await promiseOf(component.activeInstanceId), active.id);
        }
    });

    it("runs the mover's shipped code in the primary subnet with the ENI, its address, the port and both instances", async () => {
        const { registrations, named, component } = await build(AUTOMATIC);
        const mover = single(registrations, T.function);
        const eni = single(registrations, TYPES.networkInterface);
        assert.ok(component.failoverMover, "no failoverMover field");
        assert.deepStrictEqual((mover.inputs.environment as { variables: Record<string, string> }).variables, {
            NETWORK_INTERFACE_ID: eni.id,
            NETWORK_INTERFACE_ADDRESS: await promiseOf(component.networkInterfacePrivateIp),
            HEALTH_CHECK_PORT: "7000",
            PRIMARY_INSTANCE_ID: named("ha-instance").id,
            STANDBY_INSTANCE_ID: named("ha-standby-instance").id,
            PREFERRED_INSTANCE_ID: named("ha-instance").id,
        });
        assert.deepStrictEqual((mover.inputs.vpcConfig as { subnetIds: string[] }).subnetIds, [await promiseOf(component.primarySubnetId)]);
        assert.deepStrictEqual([mover.inputs.runtime, mover.inputs.handler, mover.inputs.timeout], ["nodejs22.x", "index.handler", 60]);
        const schedule = single(registrations, T.schedule);
        assert.strictEqual(schedule.inputs.scheduleExpression, "rate(1 minute)");
    });

    it("lets the health check in on the ENI's group from the mover's group only, on the port; a new network gets the ec2 endpoint, an existing one none", async () => {
        const { registrations, named } = await build(AUTOMATIC);
        const health = named("ha-secondary-sg-failover-health");
        assert.deepStrictEqual(
            [health.inputs.securityGroupId, health.inputs.referencedSecurityGroupId, health.inputs.fromPort, health.inputs.toPort, health.inputs.ipProtocol],
            [named("ha-secondary-sg").id, named("ha-failover-sg").id, 7000, 7000, "tcp"],
        );
        const endpoint = single(registrations, T.endpoint);
        assert.deepStrictEqual([endpoint.inputs.serviceName, endpoint.inputs.privateDnsEnabled, endpoint.inputs.vpcEndpointType], ["com.amazonaws.ap-south-1.ec2", true, "Interface"]);

        const subnets = { primary: "subnet-0aaaaaaaaaaaaaaa1", secondary: "subnet-0aaaaaaaaaaaaaaa2" };
        const registrationsOnExisting = await useMocks(SEED_CONFIG, {
            existingSubnets: [
                { id: subnets.primary, vpcId: "vpc-0aaaaaaaaaaaaaaa0", cidrBlock: "10.9.0.0/24", availabilityZone: "ap-south-1a" },
                { id: subnets.secondary, vpcId: "vpc-0aaaaaaaaaaaaaaa0", cidrBlock: "10.9.1.0/24", availabilityZone: "ap-south-1a" },
            ],
        });
        const onExisting = new DualSubnetEniInstance("ha", {
            standbyInstance: true,
            automaticFailover: true,
            failoverHealthCheckPort: 7000,
            existingNetwork: { vpcId: "vpc-0aaaaaaaaaaaaaaa0", primarySubnetId: subnets.primary, secondarySubnetId: subnets.secondary },
        });
        await promiseOf(onExisting.activeInstanceId);
        await registrationsOnExisting.settled();
        assert.deepStrictEqual(byType(registrationsOnExisting, T.endpoint), []);
        assert.strictEqual(byType(registrationsOnExisting, T.function).length, 1);
    });

    it("no IAM statement allows ec2:AttachNetworkInterface or ec2:DetachNetworkInterface on * without a condition; the move is limited to the ENI and the two instances", async () => {
        const { registrations, component } = await build(AUTOMATIC);
        const documents = [...byType(registrations, T.rolePolicy).map((r) => r.inputs.policy), ...byType(registrations, T.role).map((r) => r.inputs.assumeRolePolicy)];
        assert.ok(documents.length >= 5, `${documents.length} policy documents`);
        const statements = documents.flatMap((text) => (JSON.parse(text as string) as { Statement: Statement[] }).Statement);
        for (const action of ["ec2:AttachNetworkInterface", "ec2:DetachNetworkInterface"]) {
            assert.deepStrictEqual(unconditionalOnEverything(statements, action), [], action);
        }
        // No managed policy brings in statements this test cannot read.
        assert.deepStrictEqual(byType(registrations, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"), []);
        const move = statements.find((s) => list(s.Action).includes("ec2:AttachNetworkInterface"))!;
        const arns = await Promise.all([component.networkInterface.arn, component.instance.arn, component.standby!.arn].map(promiseOf));
        assert.deepStrictEqual([...list(move.Resource)].sort(), arns.sort());
        assert.match(list(move.Resource)[0], /^arn:aws:ec2:ap-south-1:\d{12}:network-interface\/eni-/);
    });

    it("the IAM check finds a statement that allows the move on every resource (it can fail)", () => {
        const loose: Statement[] = [
            { Effect: "Allow", Action: "ec2:*", Resource: "*" },
            { Effect: "Allow", Action: ["ec2:Detach*"], Resource: ["*"] },
            { Effect: "Allow", Action: "ec2:AttachNetworkInterface", Resource: "*", Condition: { StringEquals: { "ec2:Vpc": "arn:aws:ec2:ap-south-1:123456789012:vpc/vpc-1" } } },
        ];
        assert.strictEqual(unconditionalOnEverything(loose, "ec2:AttachNetworkInterface").length, 1);
        assert.strictEqual(unconditionalOnEverything(loose, "ec2:DetachNetworkInterface").length, 2);
    });
});

describe("automaticFailover in the offline preview (npm run plan -- <stack> --diff)", () => {
    const deployedWith = async (stack: string, change: Record<string, unknown>) => (await runConfigInProcess(stack, changedConfig(stack, change), MATRIX_AWS)).plan;

    it("after a failover and pulumi refresh, pulumi up moves nothing back: the ENI is unchanged (its attachments ignored) and no attachment is created", async () => {
        const { moves, preview } = await previewAfterFailover("prod", 7000);
        assert.deepStrictEqual(moves, []);
        assert.deepStrictEqual(preview.refusals, []);
        const eni = preview.diff.changes.find((c) => c.name === "dual-subnet-eni-eni")!;
        assert.deepStrictEqual([eni.op, eni.ignored], ["same", ["attachments"]]);
        assert.ok(preview.diff.changes.every((c) => c.op === "same"), JSON.stringify(preview.diff.changes.filter((c) => c.op !== "same")));
    });

    it("without ignoreChanges on the ENI's attachments the same update would move it back (the check can fail)", async () => {
        const config = automaticFailoverConfig("prod", 7000);
        const deployed = (await runConfigInProcess("prod", config, MATRIX_AWS)).plan;
        const next = await runConfigInProcess("prod", config, MATRIX_AWS);
        const unguarded: StackPlan = { ...next.plan, resources: next.plan.resources.map((r) => (r.type === TYPES.networkInterface ? { ...r, ignoreChanges: [] } : r)) };
        const moves = movesTheInterface(previewChange(refreshedAfterMove(deployed, "dual-subnet-eni-standby-instance"), unguarded, next.propertyDependencies));
        assert.deepStrictEqual(moves.map((c) => [c.name, c.op, c.properties]), [["dual-subnet-eni-eni", "update", ["attachments"]]]);
    });

    it("with automaticFailover, a new activeInstance moves nothing: only the mover's preference changes", async () => {
        const deployed = await deployedWith("prod", { automaticFailover: true, failoverHealthCheckPort: 7000 });
        const next = await runConfigInProcess("prod", changedConfig("prod", { automaticFailover: true, failoverHealthCheckPort: 7000, activeInstance: "standby" }), MATRIX_AWS);
        const preview = previewChange(deployed, next.plan, next.propertyDependencies);
        const changed = preview.diff.changes.filter((c) => c.op !== "same").map((c) => [c.name, c.op, c.properties]);
        assert.deepStrictEqual(changed, [["dual-subnet-eni-failover-mover", "update", ["environment.variables.PREFERRED_INSTANCE_ID"]]]);
        assert.deepStrictEqual(preview.diff.changes.find((c) => c.name === "dual-subnet-eni-eni")!.ignored, ["attachments"]);
        assert.deepStrictEqual(preview.refusals, []);
    });

    it("turning it on for a deployed stack is refused: deleting the attachment would leave the ENI unattached; the way forward is state delete, then up --refresh", async () => {
        const deployed = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "plans", "prod.json"), "utf8")) as StackPlan;
        const next = await runConfigInProcess("prod", automaticFailoverConfig("prod", 7000), MATRIX_AWS);
        const preview = previewChange(deployed, next.plan, next.propertyDependencies);
        assert.deepStrictEqual(preview.refusals.map((r) => [r.key, r.resource]), [["automaticFailover", "dual-subnet-eni-eni-attachment"]]);
        assert.match(preview.refusals[0].reason, /would delete dual-subnet-eni-eni-attachment, which detaches the ENI \(DetachNetworkInterface\)/);
        assert.match(
            preview.refusals[0].instead,
            /pulumi state delete 'urn:pulumi:prod::dual-subnet-eni::dual-subnet-eni:index:DualSubnetEniInstance\$aws:ec2\/networkInterfaceAttachment:NetworkInterfaceAttachment::dual-subnet-eni-eni-attachment'`, then `pulumi up --refresh`/,
        );
    });

    it("turning it off for a deployed stack is refused: the new attachment would find the ENI attached (InvalidNetworkInterface.InUse); the way forward imports it", async () => {
        const deployed = await deployedWith("prod", { automaticFailover: true, failoverHealthCheckPort: 7000 });
        const next = await runConfigInProcess("prod", changedConfig("prod", {}), MATRIX_AWS);
        const preview = previewChange(deployed, next.plan, next.propertyDependencies);
        assert.deepStrictEqual(preview.refusals.map((r) => [r.key, r.resource, r.awsError]), [["automaticFailover", "dual-subnet-eni-eni-attachment", "InvalidNetworkInterface.InUse"]]);
        assert.match(preview.refusals[0].instead, /pulumi import aws:ec2\/networkInterfaceAttachment:NetworkInterfaceAttachment dual-subnet-eni-eni-attachment <attachmentId output> --parent 'urn:pulumi:prod::dual-subnet-eni::dual-subnet-eni:index:DualSubnetEniInstance::dual-subnet-eni'/);
    });
});
