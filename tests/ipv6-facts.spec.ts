/**
 * Dual stack's and prefix delegation's pieces on their own: the block arithmetic, the /28 room rule, the shipped
 * hypervisor and IPv6 table, and the mocks' IPv6 (blocks, addresses, prefixes, and what EC2 refuses).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseIpv4Cidr } from "../components/cidr";
import { instanceTypeFacts } from "../components/instanceTypes";
import { ipv6AddressCounts, ipv6SubnetBlock } from "../components/ipv6Addressing";
import { delegableBlocks, prefixRoomProblem } from "../components/rules/prefixRules";
import { createMocks } from "../components/testing";
import { PROJECT_DIR } from "../tools/stackFiles";

const cidr = (text: string) => {
    const parsed = parseIpv4Cidr(text);
    assert.ok(parsed.ok);
    return parsed.cidr;
};

describe("IPv6 block arithmetic", () => {
    it("carves the n-th /64 of a /56 (cidrsubnet(block, 8, n))", () => {
        assert.strictEqual(ipv6SubnetBlock("2600:1f18:47b:ab00::/56", 0), "2600:1f18:47b:ab00::/64");
        assert.strictEqual(ipv6SubnetBlock("2600:1f18:47b:ab00::/56", 1), "2600:1f18:47b:ab01::/64");
        assert.strictEqual(ipv6SubnetBlock("2600:1f18:47b:ab00::/56", 255), "2600:1f18:47b:abff::/64");
        assert.throws(() => ipv6SubnetBlock("2600:1f18:47b:ab00::/56", 256), /holds 256 \/64 blocks; there is no block 256/);
    });

    it("asks for 1 IPv6 address per interface with ipv6, the given counts, none without, and none on an ENI with IPv6 prefixes", () => {
        assert.deepStrictEqual(ipv6AddressCounts({ ipv6: false, networkInterfaceIpv6PrefixCount: 0 }), {});
        assert.deepStrictEqual(ipv6AddressCounts({ ipv6: true, networkInterfaceIpv6PrefixCount: 0 }), { instance: 1, networkInterface: 1 });
        assert.deepStrictEqual(ipv6AddressCounts({ ipv6: true, instanceIpv6AddressCount: 3, networkInterfaceIpv6AddressCount: 2, networkInterfaceIpv6PrefixCount: 0 }), { instance: 3, networkInterface: 2 });
        assert.deepStrictEqual(ipv6AddressCounts({ ipv6: true, networkInterfaceIpv6PrefixCount: 1 }), { instance: 1, networkInterface: undefined });
    });
});

describe("room for /28 prefixes in a new subnet", () => {
    it("counts the aligned /28 blocks that hold none of the 5 reserved addresses", () => {
        assert.deepStrictEqual(["10.0.1.0/28", "10.0.1.0/27", "10.0.1.0/26", "10.0.1.0/24", "10.0.0.0/20"].map((block) => delegableBlocks(cidr(block))), [0, 0, 2, 14, 254]);
    });

    it("leaves a block for each address the ENI may take, and says what it counted", () => {
        assert.strictEqual(prefixRoomProblem(cidr("10.0.1.0/26"), 1, 1), undefined);
        assert.strictEqual(
            prefixRoomProblem(cidr("10.0.1.0/26"), 2, 1),
            "has room for 1 /28 prefix (2 whole /28 blocks without any of AWS's 5 reserved addresses, less 1 the ENI's own address may take), but networkInterfaceIpv4PrefixCount asks for 2; AWS would refuse the ENI (InsufficientCidrBlocks)",
        );
    });
});

describe("the shipped hypervisor and IPv6 table (components/awsInstanceIpv6.json)", () => {
    const shipped = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "components", "awsInstanceIpv6.json"), "utf8")) as {
        source: { vpcCni: { commit: string }; cilium: { commit: string } };
        columns: string[];
        instanceTypes: Record<string, [string | null, boolean, number | null]>;
    };

    it("holds all 1,391 types with its sources, the same names as the network-limits table", () => {
        const limits = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "components", "awsInstanceNetworkLimits.json"), "utf8")) as { instanceTypes: Record<string, unknown> };
        assert.deepStrictEqual(Object.keys(shipped.instanceTypes).sort(), Object.keys(limits.instanceTypes).sort());
        assert.deepStrictEqual(shipped.columns, ["hypervisor", "bareMetal", "ipv6AddressesPerInterface"]);
        assert.match(shipped.source.vpcCni.commit, /^[0-9a-f]{40}$/);
        assert.match(shipped.source.cilium.commit, /^[0-9a-f]{40}$/);
    });

    it("answers getInstanceType's hypervisor and IPv6 facts for every type, as the table has them or by its rule where it has none", () => {
        const mocks = createMocks();
        for (const [type, [hypervisor, bareMetal, ipv6]] of Object.entries(shipped.instanceTypes)) {
            const answer = mocks.call({ token: "aws:ec2/getInstanceType:getInstanceType", inputs: { instanceType: type } }) as Record<string, unknown>;
            const expected = ipv6 ?? (["cr1.8xlarge", "hs1.8xlarge"].includes(type) ? 0 : answer.maximumIpv4AddressesPerInterface);
            assert.deepStrictEqual(
                [answer.hypervisor, answer.bareMetal, answer.maximumIpv6AddressesPerInterface, answer.ipv6Supported],
                [hypervisor ?? "xen", bareMetal, expected, expected !== 0],
                type,
            );
        }
    });

    it("says no IPv6 for the c1, m1, m2, m3 and t1 generations, Xen for m4, bare metal for m5.metal, and the IPv4 limit for a type the IPv6 source lacks", () => {
        const facts = (type: string) => {
            const { hypervisor, bareMetal, ipv6Supported, maximumIpv6AddressesPerInterface, maximumIpv4AddressesPerInterface } = instanceTypeFacts(type)!;
            return [hypervisor, bareMetal, ipv6Supported, maximumIpv6AddressesPerInterface, maximumIpv4AddressesPerInterface];
        };
        assert.deepStrictEqual(facts("m3.large"), ["xen", false, false, 0, 10]);
        assert.deepStrictEqual(facts("m4.large"), ["xen", false, true, 10, 10]);
        assert.deepStrictEqual(facts("t3.micro"), ["nitro", false, true, 2, 2]);
        assert.deepStrictEqual(facts("m5.metal"), ["", true, true, 50, 50]);
        assert.deepStrictEqual(facts("c8g.large"), ["nitro", false, true, 10, 10]);
    });
});

describe("the mocks' IPv6", () => {
    const create = (mocks: ReturnType<typeof createMocks>, type: string, name: string, inputs: Record<string, unknown>) =>
        mocks.newResource({ type: `aws:ec2/${type}`, name, inputs, custom: true }) as { id: string; state: Record<string, unknown> };

    function network() {
        const mocks = createMocks();
        const vpc = create(mocks, "vpc:Vpc", "v", { cidrBlock: "10.9.0.0/16", assignGeneratedIpv6CidrBlock: true });
        const block = vpc.state.ipv6CidrBlock as string;
        const subnet = create(mocks, "subnet:Subnet", "s", { vpcId: vpc.id, cidrBlock: "10.9.0.0/26", availabilityZone: "ap-south-1a", ipv6CidrBlock: ipv6SubnetBlock(block, 3), assignIpv6AddressOnCreation: true });
        return { mocks, vpc, block, subnet };
    }

    it("gives a VPC that asks an Amazon /56, and none to one that does not", () => {
        const { mocks, block } = network();
        assert.match(block, /^2600:1f[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{0,2}00::\/56$/);
        assert.strictEqual(create(mocks, "vpc:Vpc", "plain", { cidrBlock: "10.8.0.0/16" }).state.ipv6CidrBlock, undefined);
    });

    it("refuses a subnet IPv6 block outside its VPC's /56, or of another length, as CreateSubnet does", () => {
        const { mocks, vpc } = network();
        for (const ipv6CidrBlock of ["2001:db8::/64", `${ipv6SubnetBlock(vpc.state.ipv6CidrBlock as string, 4).replace("/64", "/60")}`]) {
            assert.throws(() => create(mocks, "subnet:Subnet", "bad", { vpcId: vpc.id, cidrBlock: "10.9.1.0/24", availabilityZone: "ap-south-1a", ipv6CidrBlock }), /creating EC2 Subnet: .*api error InvalidSubnet\.Range: The IPv6 CIDR '.*' is invalid\./);
        }
        assert.throws(
            () => create(mocks, "subnet:Subnet", "flag", { vpcId: vpc.id, cidrBlock: "10.9.2.0/24", availabilityZone: "ap-south-1a", assignIpv6AddressOnCreation: true }),
            /AssignIpv6AddressOnCreation: .*InvalidParameterValue: Invalid value 'true' for assign-ipv6-address-on-creation/,
        );
    });

    it("refuses a /64 of the region's /56 to a subnet of a Local or Wavelength Zone (another network border group), as CreateSubnet does", () => {
        const mocks = createMocks({ region: "us-west-2", zoneSuffixes: ["a", "-lax-1a", "-wl1-las-wlz-1"] });
        const vpc = create(mocks, "vpc:Vpc", "v", { cidrBlock: "10.9.0.0/16", assignGeneratedIpv6CidrBlock: true });
        assert.strictEqual(vpc.state.ipv6CidrBlockNetworkBorderGroup, "us-west-2");
        const subnetIn = (zone: string, index: number) => () =>
            create(mocks, "subnet:Subnet", `s${index}`, { vpcId: vpc.id, cidrBlock: `10.9.${index}.0/24`, availabilityZone: zone, ipv6CidrBlock: ipv6SubnetBlock(vpc.state.ipv6CidrBlock as string, index) });
        for (const [zone, index] of [["us-west-2-lax-1a", 1], ["us-west-2-wl1-las-wlz-1", 2]] as const) {
            assert.throws(subnetIn(zone, index), /creating EC2 Subnet: .*api error InvalidSubnet\.Range: The IPv6 CIDR '.*' is invalid\./, zone);
        }
        assert.doesNotThrow(subnetIn("us-west-2a", 3));
    });

    it("assigns IPv6 addresses from the subnet's /64: one on creation, the count asked for, distinct, none of the reserved ones", () => {
        const { mocks, subnet } = network();
        const base = (subnet.state.ipv6CidrBlock as string).replace("::/64", ":");
        const automatic = create(mocks, "networkInterface:NetworkInterface", "a", { subnetId: subnet.id }).state.ipv6Addresses as string[];
        const counted = create(mocks, "instance:Instance", "i", { subnetId: subnet.id, ipv6AddressCount: 3 }).state.ipv6Addresses as string[];
        assert.strictEqual(automatic.length, 1);
        assert.strictEqual(counted.length, 3);
        assert.strictEqual(new Set([...automatic, ...counted]).size, 4);
        for (const address of [...automatic, ...counted]) {
            assert.ok(address.startsWith(base), `${address} is not in ${subnet.state.ipv6CidrBlock}`);
        }
    });

    it("delegates /28s and /80s, and refuses what CreateNetworkInterface refuses beside a prefix count", () => {
        const { mocks, subnet } = network();
        const eni = create(mocks, "networkInterface:NetworkInterface", "p", { subnetId: subnet.id, ipv4PrefixCount: 2, ipv6PrefixCount: 1 }).state;
        assert.deepStrictEqual(eni.ipv4Prefixes, ["10.9.0.16/28", "10.9.0.32/28"]);
        assert.match((eni.ipv6Prefixes as string[])[0], /\/80$/);
        assert.deepStrictEqual(eni.ipv6Addresses, []);
        assert.throws(() => create(mocks, "networkInterface:NetworkInterface", "full", { subnetId: subnet.id, ipv4PrefixCount: 1 }), /creating EC2 Network Interface: .*InsufficientCidrBlocks: The specified subnet does not have enough free cidr blocks/);
        assert.throws(
            () => create(mocks, "networkInterface:NetworkInterface", "v4", { subnetId: subnet.id, ipv4PrefixCount: 1, privateIps: ["10.9.0.50"] }),
            /InvalidParameterCombination: You can't specify a count of IPv4 prefixes if you've specified one of the following/,
        );
        assert.throws(
            () => create(mocks, "networkInterface:NetworkInterface", "v6", { subnetId: subnet.id, ipv6PrefixCount: 1, ipv6AddressCount: 1 }),
            /InvalidParameterCombination: You can't specify a count of IPv6 prefixes if you've specified one of the following/,
        );
    });

    it("answers getSubnet with an existing subnet's IPv6 block, and \"\" for one without", () => {
        const mocks = createMocks({
            existingSubnets: [
                { id: "subnet-0000000000000000a", vpcId: "vpc-1", availabilityZone: "ap-south-1a", cidrBlock: "172.16.0.0/24", ipv6CidrBlock: "2600:1f18:47b:ab00::/64" },
                { id: "subnet-0000000000000000b", vpcId: "vpc-1", availabilityZone: "ap-south-1a", cidrBlock: "172.16.1.0/24" },
            ],
        });
        const blockOf = (id: string) => (mocks.call({ token: "aws:ec2/getSubnet:getSubnet", inputs: { id } }) as Record<string, unknown>).ipv6CidrBlock;
        assert.deepStrictEqual([blockOf("subnet-0000000000000000a"), blockOf("subnet-0000000000000000b")], ["2600:1f18:47b:ab00::/64", ""]);
    });
});
