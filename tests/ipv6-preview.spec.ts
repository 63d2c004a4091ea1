/**
 * Changing `ipv6` and the prefix counts on a deployed stack, as the offline preview (`npm run plan -- <stack>
 * --diff`) shows it: what is updated in place, what AWS would refuse part-way (refused up front, by config key,
 * with the way forward). Programs run in this process under the mocks.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { StackPlan } from "../tools/offlinePlan";
import { previewChange, type Preview } from "../tools/preview";
import { changedConfig, type ConfigChange, MATRIX_AWS, runConfigInProcess } from "../tools/updateMatrix";
import { PROJECT_DIR } from "../tools/stackFiles";

const committed = (stack: string) => JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "plans", `${stack}.json`), "utf8")) as StackPlan;

/** The preview of `change` on `stack` deployed with `deployedChange` (none: the committed plan). */
async function preview(stack: string, change: ConfigChange, deployedChange?: ConfigChange): Promise<Preview> {
    const deployed = deployedChange ? (await runConfigInProcess(stack, changedConfig(stack, deployedChange), MATRIX_AWS)).plan : committed(stack);
    const next = await runConfigInProcess(stack, changedConfig(stack, { ...deployedChange, ...change }), MATRIX_AWS);
    return previewChange(deployed, next.plan, next.propertyDependencies);
}

const ops = (p: Preview) => p.diff.changes.filter((c) => c.op !== "same").map((c) => `${c.name.replace("dual-subnet-eni-", "")} ${c.op}${c.replaceOrder ? ` ${c.replaceOrder}` : ""}`);

describe("offline preview of ipv6 and prefix changes", () => {
    it("ipv6 on for deployed dev: the VPC and subnets take IPv6 in place, the interfaces get addresses in place, the gateway, route and rules are new; AWS takes every step", async () => {
        const p = await preview("dev", { ipv6: true });
        assert.deepStrictEqual(ops(p), [
            "vpc update",
            "eigw create",
            "ipv6-route create",
            "primary-sg-egress-ipv6 create",
            "primary-subnet update",
            "instance update",
            "secondary-sg-egress-ipv6 create",
            "secondary-subnet update",
            "eni update",
        ]);
        const properties = Object.fromEntries(p.diff.changes.filter((c) => c.op === "update").map((c) => [c.name.replace("dual-subnet-eni-", ""), c.properties]));
        assert.deepStrictEqual(properties, {
            vpc: ["assignGeneratedIpv6CidrBlock"],
            "primary-subnet": ["assignIpv6AddressOnCreation", "ipv6CidrBlock"],
            instance: ["ipv6AddressCount"],
            "secondary-subnet": ["assignIpv6AddressOnCreation", "ipv6CidrBlock"],
            eni: ["ipv6AddressCount"],
        });
        assert.deepStrictEqual(p.refusals, []);
    });

    it("ipv6 on for deployed staging (public instance): also ::/0 to the internet gateway in its route table", async () => {
        const p = await preview("staging", { ipv6: true });
        assert.ok(ops(p).includes("public-ipv6-route create"), ops(p).join(", "));
        assert.deepStrictEqual(p.refusals, []);
    });

    it("ipv6 off again: refused before any step, naming ipv6 (AWS keeps the VPC's block while the subnets hold /64s of it)", async () => {
        const p = await preview("dev", { ipv6: false }, { ipv6: true });
        assert.deepStrictEqual(
            p.refusals.map((r) => [r.key, r.resource, r.awsError]),
            [["ipv6", "dual-subnet-eni-vpc", "InvalidCidrBlock.InUse"]],
        );
        assert.match(p.refusals[0].reason, /dual-subnet-eni-primary-subnet and dual-subnet-eni-secondary-subnet still hold \/64s of it/);
        assert.match(p.refusals[0].instead, /keep ipv6 on .* or move to a new network in the same change/);
    });

    it("a new vpcCidrBlock on an ipv6 stack replaces the egress-only gateway with the VPC (vpcId forces a new one)", async () => {
        const p = await preview("dev", { vpcCidrBlock: "10.0.0.0/21" }, { ipv6: true });
        assert.ok(ops(p).includes("eigw replace create-first"), ops(p).join(", "));
    });

    it("an IPv4 prefix added to deployed dev: the ENI is updated in place (AssignPrivateIpAddresses), nothing else", async () => {
        const p = await preview("dev", { networkInterfaceIpv4PrefixCount: 1 });
        assert.deepStrictEqual(ops(p), ["eni update"]);
        assert.deepStrictEqual(p.refusals, []);
    });

    it("a prefix count taken back to 0: refused, naming the key, since the provider would keep the prefixes", async () => {
        const p = await preview("dev", { networkInterfaceIpv4PrefixCount: 0 }, { networkInterfaceIpv4PrefixCount: 1 });
        assert.deepStrictEqual(ops(p), []);
        assert.deepStrictEqual(p.refusals.map((r) => [r.key, r.resource]), [["networkInterfaceIpv4PrefixCount", "dual-subnet-eni-eni"]]);
        assert.match(p.refusals[0].reason, /the ENI's 1 prefix would stay/);
        assert.match(p.refusals[0].instead, /unassign-private-ip-addresses --ipv4-prefixes/);
    });
});
