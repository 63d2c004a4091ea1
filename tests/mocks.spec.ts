/** The mocks themselves (the `./testing` entry consumers use): they must fail loudly and look like AWS. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ec2 from "@pulumi/aws/ec2";
import { getAvailabilityZone } from "@pulumi/aws/getAvailabilityZone";
import { getPartition } from "@pulumi/aws/getPartition";
import * as iam from "@pulumi/aws/iam";
import * as servicequotas from "@pulumi/aws/servicequotas";
import * as ssm from "@pulumi/aws/ssm";
import * as pulumi from "@pulumi/pulumi";
import { NOT_FOUND, RULES_PER_SECURITY_GROUP_QUOTA } from "../components/awsLookups";
import { MOCKED_DATA_SOURCES } from "../components/mocks/dataSources";
import { createMocks } from "../components/testing";
import { PROJECT_DIR } from "../tools/stackFiles";
import { recordRegistrations } from "../tools/sdkInternals";
import { DualSubnetEniInstance } from "../components";
import { SEED_ARGS, SEED_CONFIG, withPartition } from "./support/fixtures";
import { promiseOf, useMocks } from "./support/helpers";

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

describe("the data sources the mocks answer", () => {
    it("are the \"Data sources it calls\" table of docs/library.md, row for row", () => {
        const page = fs.readFileSync(path.join(PROJECT_DIR, "docs", "library.md"), "utf8");
        const section = page.slice(page.indexOf("## Data sources it calls"));
        const listed = [...section.matchAll(/^\| `(aws:[^`]+)` \|/gm)].map((match) => match[1]);
        assert.deepStrictEqual([...listed].sort(), [...MOCKED_DATA_SOURCES].sort());
    });
});

describe("createMocks speaks the provider's words", () => {
    const existing = { id: "subnet-0000000000000000a", vpcId: "vpc-0a1b2c3d4e5f60718", availabilityZone: "ap-south-1a", cidrBlock: "172.16.0.0/24" };

    it("fails each lookup of something missing with the provider's own text, which the component's not-found patterns match", async () => {
        await useMocks({ "aws:region": "ap-south-1" }, { existingSubnets: [existing] });
        const failures: [keyof typeof NOT_FOUND, Promise<unknown>, string][] = [
            ["subnet", ec2.getSubnet({ id: "subnet-0123456789abcdef0" }), "no matching EC2 Subnet found"],
            ["ami", ec2.getAmi({ filters: [{ name: "image-id", values: ["ami-0123456789abcdef0"] }] }), "Your query returned no results. Please change your search criteria and try again."],
            ["ssmParameter", ssm.getParameter({ name: "/team/missing" }), "reading SSM Parameter (/team/missing): couldn't find resource"],
            ["keyPair", ec2.getKeyPair({ keyName: "missing" }), "no matching EC2 Key Pair found"],
            ["instanceProfile", iam.getInstanceProfile({ name: "missing" }), "reading IAM Instance Profile (missing): couldn't find resource"],
            // A subnet with no table of its own (every subnet of a default VPC) matches no table by subnet id.
            ["routeTable", ec2.getRouteTable({ subnetId: existing.id }), "no matching Route Table found"],
            ["internetGateway", ec2.getInternetGateway({ filters: [{ name: "attachment.vpc-id", values: [existing.vpcId] }] }), "no matching EC2 Internet Gateway found"],
            ["securityGroup", ec2.getSecurityGroup({ id: "sg-0123456789abcdef0" }), "no matching EC2 Security Group found"],
            ["prefixList", ec2.getManagedPrefixList({ id: "pl-0123456789abcdef0" }), "no matching EC2 Managed Prefix List found"],
        ];
        for (const [source, lookup, text] of failures) {
            const error = await lookup.then(() => assert.fail(`${source} found something`), (e: unknown) => String(e));
            assert.ok(error.includes(text), `${source}: ${error}`);
            assert.match(error, NOT_FOUND[source]);
        }
    });

    it("answers a subnet's free addresses as DescribeSubnets does: its size less the 5 AWS reserves and what interfaces hold", async () => {
        await useMocks({ "aws:region": "ap-south-1" }, { existingSubnets: [existing], networkInterfaces: [{ id: "eni-0aaaaaaaaaaaaaaa1", subnetId: existing.id, privateIps: ["172.16.0.10", "172.16.0.11"] }] });
        const subnet = await ec2.getSubnet({ id: existing.id });
        assert.deepStrictEqual([subnet.availableIpAddressCount, subnet.ipv6Native], [256 - 5 - 2, false]);
        const holders = await ec2.getNetworkInterfaces({ filters: [{ name: "subnet-id", values: [existing.id] }, { name: "addresses.private-ip-address", values: ["172.16.0.11", "172.16.0.12"] }] });
        assert.deepStrictEqual(holders.ids, ["eni-0aaaaaaaaaaaaaaa1"]);
        assert.deepStrictEqual((await ec2.getNetworkInterface({ id: "eni-0aaaaaaaaaaaaaaa1" })).privateIps, ["172.16.0.10", "172.16.0.11"]);
    });

    it("answers each zone's type and network border group from its name: region, Local Zone group, Wavelength Zone", async () => {
        await useMocks({ "aws:region": "us-west-2" }, { zoneSuffixes: ["a", "-lax-1a", "-wl1-las-wlz-1"] });
        const zones = await Promise.all(["us-west-2a", "us-west-2-lax-1a", "us-west-2-wl1-las-wlz-1"].map((name) => getAvailabilityZone({ name })));
        assert.deepStrictEqual(
            zones.map((zone) => [zone.zoneType, zone.networkBorderGroup]),
            [["availability-zone", "us-west-2"], ["local-zone", "us-west-2-lax-1"], ["wavelength-zone", "us-west-2-wl1-las-wlz-1"]],
        );
        // AWS makes no interface endpoint in a Local or Wavelength Zone.
        assert.deepStrictEqual((await ec2.getVpcEndpointService({ service: "ssm", serviceType: "Interface" })).availabilityZones, ["us-west-2a"]);
    });

    it("filters peering connections by side, VPC, owner and status, as DescribeVpcPeeringConnections does", async () => {
        await useMocks({ "aws:region": "ap-south-1" }, { vpcPeeringConnections: [{ id: "pcx-1", requesterVpcId: "vpc-a", accepterVpcId: "vpc-b", accepterOwnerId: "210987654321" }, { id: "pcx-2", requesterVpcId: "vpc-a", accepterVpcId: "vpc-c", status: "deleted" }] });
        const ids = async (filters: Record<string, string>) =>
            (await ec2.getVpcPeeringConnections({ filters: Object.entries(filters).map(([name, value]) => ({ name, values: [value] })) })).ids;
        assert.deepStrictEqual(await ids({ "requester-vpc-info.vpc-id": "vpc-a" }), ["pcx-1", "pcx-2"]);
        assert.deepStrictEqual(await ids({ "requester-vpc-info.vpc-id": "vpc-a", "status-code": "active" }), ["pcx-1"]);
        assert.deepStrictEqual(await ids({ "accepter-vpc-info.owner-id": "210987654321" }), ["pcx-1"]);
        assert.deepStrictEqual(await ids({ "accepter-vpc-info.vpc-id": "vpc-a" }), []);
    });

    it("answers the main route table by VPC and association.main, with the internet gateway a default VPC's main table has", async () => {
        const internetGatewayId = "igw-0a1b2c3d4e5f60718";
        await useMocks({ "aws:region": "ap-south-1" }, { existingSubnets: [existing], mainRouteTableInternetGateways: { [existing.vpcId]: internetGatewayId } });
        const main = await ec2.getRouteTable({ vpcId: existing.vpcId, filters: [{ name: "association.main", values: ["true"] }] });
        assert.deepStrictEqual(main.routes.map((route) => [route.cidrBlock, route.gatewayId]), [["0.0.0.0/0", internetGatewayId]]);
        await assert.rejects(ec2.getRouteTable({ vpcId: "vpc-0ffffffffffffffff", filters: [{ name: "association.main", values: ["true"] }] }), NOT_FOUND.routeTable);
    });

    it("answers aws.getPartition from the provider's region, in every partition", async () => {
        const expected = ["us-east-1", "cn-northwest-1", "us-gov-east-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "eusc-de-east-1"].map(withPartition);
        for (const [region, partition, dnsSuffix] of expected) {
            await useMocks({ "aws:region": region });
            const found = await getPartition();
            assert.deepStrictEqual([found.partition, found.dnsSuffix], [partition, dnsSuffix], region);
        }
    });

    it("answers the rules-per-security-group quota (default, raised), and refuses it as the provider does to a role that may not read quotas", async () => {
        await useMocks();
        assert.strictEqual((await servicequotas.getServiceQuota(RULES_PER_SECURITY_GROUP_QUOTA)).value, 60);
        await useMocks({}, { rulesPerSecurityGroupQuota: 200 });
        assert.strictEqual((await servicequotas.getServiceQuota(RULES_PER_SECURITY_GROUP_QUOTA)).value, 200);
        await useMocks({}, { rulesPerSecurityGroupQuota: "denied" });
        await assert.rejects(servicequotas.getServiceQuota(RULES_PER_SECURITY_GROUP_QUOTA), /getting Default Service Quota for \(vpc\/L-0EA8095F\): .*AccessDeniedException/);
    });

    it("takes secret inputs: a secret subnet CIDR and fixed IP are used as their values", async () => {
        const registrations = await useMocks({ "aws:region": "ap-south-1" });
        const subnet = new ec2.Subnet("s", { vpcId: "vpc-1", cidrBlock: pulumi.secret("10.9.0.0/28"), availabilityZone: "ap-south-1a" });
        const fixed = new ec2.NetworkInterface("fixed", { subnetId: subnet.id, privateIps: [pulumi.secret("10.9.0.5")] });
        const instance = new ec2.Instance("i", { ami: "ami-0123456789abcdef0", instanceType: "t3.micro", subnetId: subnet.id, privateIp: pulumi.secret("10.9.0.6") });
        assert.strictEqual(await promiseOf(fixed.privateIp), "10.9.0.5");
        assert.strictEqual(await promiseOf(instance.availabilityZone), "ap-south-1a");
        await registrations.settled();
        assert.strictEqual(registrations.length, 3);
    });

    it("takes a component whose args are secrets", async () => {
        const registrations = await useMocks(SEED_CONFIG);
        const component = new DualSubnetEniInstance("secret", { ...SEED_ARGS, instancePrivateIp: pulumi.secret("10.0.0.10"), userData: pulumi.secret("#!/bin/sh\necho hi\n") });
        assert.strictEqual(await promiseOf(component.instancePrivateIp), "10.0.0.10");
        await registrations.settled();
        assert.strictEqual(registrations.filter((r) => r.type === "aws:ec2/instance:Instance").length, 1);
    });
});
