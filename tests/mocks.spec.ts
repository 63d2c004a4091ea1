/** The mocks themselves (the `./testing` entry consumers use): they must fail loudly and look like AWS. */
import * as assert from "assert";
import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import { createMocks, recordRegistrations } from "../components/testing";
import { DualSubnetEniInstance } from "../components";
import { SEED_ARGS, SEED_CONFIG } from "./fixtures";
import { promiseOf, useMocks } from "./helpers";

describe("recordRegistrations", () => {
    it("settles only when the whole program has registered, slow data-source calls included", async () => {
        const mocks = createMocks();
        const call = mocks.call.bind(mocks);
        mocks.call = async (args) => {
            await new Promise((resolve) => setTimeout(resolve, 20));
            return call(args);
        };
        await pulumi.runtime.setMocks(mocks, "dual-subnet-eni", "test", false);
        pulumi.runtime.setAllConfig(SEED_CONFIG);
        const registrations = recordRegistrations();
        new DualSubnetEniInstance("quiet", SEED_ARGS);
        await registrations.settled();
        assert.strictEqual(registrations.length, 12);
        assert.ok(registrations.every((r) => r.id), "a registration has no id yet");
    });
});

describe("createMocks", () => {
    it("throws on a data source it does not know, naming it", async () => {
        await useMocks();
        await assert.rejects(ec2.getVpc({ id: "vpc-0123456789abcdef0" }), /no mock for invoke aws:ec2\/getVpc:getVpc/);
    });

    it("fails an unknown instance type like AWS does, and offers a known one in every zone of the region", async () => {
        await useMocks({ "aws:region": "eu-west-1" });
        await assert.rejects(ec2.getInstanceType({ instanceType: "z9.huge" }), /InvalidInstanceType/);
        const offered = await ec2.getInstanceTypeOfferings({ locationType: "availability-zone", filters: [{ name: "instance-type", values: ["t3.micro"] }] });
        assert.deepStrictEqual(offered.locations, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    });

    it("hands out private IPs past the four reserved ones, distinct, and honours fixed ones", async () => {
        await useMocks({ "aws:region": "ap-south-1" });
        const subnet = new ec2.Subnet("s", { vpcId: "vpc-1", cidrBlock: "10.9.0.0/28", availabilityZone: "ap-south-1a" });
        const fixed = new ec2.NetworkInterface("fixed", { subnetId: subnet.id, privateIps: ["10.9.0.5"] });
        assert.strictEqual(await promiseOf(fixed.privateIp), "10.9.0.5");
        const auto = [1, 2, 3].map((i) => new ec2.NetworkInterface(`auto${i}`, { subnetId: subnet.id }));
        const ips = await Promise.all(auto.map((eni) => promiseOf(eni.privateIp)));
        assert.strictEqual(new Set([...ips, "10.9.0.5"]).size, 4);
        for (const ip of ips) {
            const last = Number(ip.split(".")[3]);
            assert.ok(last >= 4 && last <= 14, ip);
        }
    });

    it("gives the same resource the same AWS-shaped id in every run", () => {
        const mocks = createMocks();
        const first = mocks.newResource({ type: "aws:ec2/vpc:Vpc", name: "v", inputs: {}, custom: true }) as { id: string };
        const again = createMocks().newResource({ type: "aws:ec2/vpc:Vpc", name: "v", inputs: {}, custom: true }) as { id: string };
        assert.match(first.id, /^vpc-[0-9a-f]{17}$/);
        assert.strictEqual(first.id, again.id);
    });

    it("lays out an awsx.ec2.Vpc's subnets per zone and makes them visible to ec2.getSubnet", async () => {
        // awsx.ec2.Vpc is a remote component: under mocks, one registration of this type and these inputs.
        await useMocks({ "aws:region": "ap-south-1" });
        const mocks = createMocks();
        const vpc = (await mocks.newResource({
            type: "awsx:ec2:Vpc",
            name: "net",
            inputs: { cidrBlock: "10.1.0.0/16", numberOfAvailabilityZones: 2, subnetSpecs: [{ type: "Isolated", name: "a" }, { type: "Private" }, { type: "Isolated", name: "b" }] },
        })).state as { vpcId: string; privateSubnetIds: string[]; isolatedSubnetIds: string[] };
        assert.strictEqual(vpc.privateSubnetIds.length, 2);
        assert.strictEqual(vpc.isolatedSubnetIds.length, 4);
        const subnet = (id: string) => mocks.call({ token: "aws:ec2/getSubnet:getSubnet", inputs: { id } }) as Record<string, string>;
        assert.deepStrictEqual(
            vpc.isolatedSubnetIds.map((id) => [subnet(id).vpcId, subnet(id).availabilityZone, subnet(id).cidrBlock]),
            [
                [vpc.vpcId, "ap-south-1a", "10.1.2.0/24"],
                [vpc.vpcId, "ap-south-1b", "10.1.3.0/24"],
                [vpc.vpcId, "ap-south-1a", "10.1.4.0/24"],
                [vpc.vpcId, "ap-south-1b", "10.1.5.0/24"],
            ],
        );
        assert.strictEqual(new Set([...vpc.privateSubnetIds, ...vpc.isolatedSubnetIds]).size, 6);
    });
});
