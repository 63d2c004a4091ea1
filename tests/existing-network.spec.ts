import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { DualSubnetEniInstance, DualSubnetEniInstanceArgs, ExistingNetwork } from "../components";
import { MockOptions, MockSubnet } from "../components/testing";
import { lookUpSubnet } from "../components/awsLookups";
import { runOptionalChecks } from "../components/optionalChecks";
import type { CheckedArgs } from "../components/rules/fields";
import { SEED_CHECKED_ARGS, SEED_CONFIG, TYPES } from "./support/fixtures";
import { awsResources, byType, promiseOf, single, useMocks, validationErrorOf } from "./support/helpers";

const VPC = "vpc-0a1b2c3d4e5f60718";
const OTHER_VPC = "vpc-0ffffffffffffffff";
const SUBNETS: MockSubnet[] = [
    { id: "subnet-0000000000000000a", vpcId: VPC, availabilityZone: "ap-south-1a", cidrBlock: "172.16.0.0/24" },
    { id: "subnet-0000000000000000b", vpcId: VPC, availabilityZone: "ap-south-1a", cidrBlock: "172.16.1.0/24" },
    { id: "subnet-0000000000000000c", vpcId: VPC, availabilityZone: "ap-south-1b", cidrBlock: "172.16.2.0/24" },
    { id: "subnet-0000000000000000d", vpcId: OTHER_VPC, availabilityZone: "ap-south-1a", cidrBlock: "192.168.0.0/24" },
    { id: "subnet-0000000000000000e", vpcId: VPC, availabilityZone: "ap-south-1a", cidrBlock: "172.16.3.0/24", internetGatewayId: "igw-0a1b2c3d4e5f60718" },
];
const MOCKS: MockOptions = { existingSubnets: SUBNETS };
const ARGS: DualSubnetEniInstanceArgs & { existingNetwork: ExistingNetwork } = {
    existingNetwork: { vpcId: VPC, primarySubnetId: SUBNETS[0].id, secondarySubnetId: SUBNETS[1].id },
    namePrefix: "byo",
};

describe("DualSubnetEniInstance on an existing network", () => {
    it("creates only the security groups, instance, ENI and attachment, in the given subnets", async () => {
        const registrations = await useMocks(SEED_CONFIG, MOCKS);
        const component = new DualSubnetEniInstance("byo", ARGS);
        await promiseOf(component.attachmentId);
        await registrations.settled();
        assert.deepStrictEqual(awsResources(registrations).map((r) => r.type).sort(), [
            TYPES.instance, TYPES.networkInterface, TYPES.attachment, TYPES.securityGroup, TYPES.securityGroup, TYPES.egressRule, TYPES.egressRule,
        ].sort());
        assert.deepStrictEqual([component.vpc, component.primarySubnet, component.secondarySubnet, component.defaultSecurityGroup], [undefined, undefined, undefined, undefined]);
        assert.deepStrictEqual(byType(registrations, TYPES.securityGroup).map((r) => r.inputs.vpcId), [VPC, VPC]);
        assert.strictEqual(single(registrations, TYPES.instance).inputs.subnetId, SUBNETS[0].id);
        assert.strictEqual(single(registrations, TYPES.networkInterface).inputs.subnetId, SUBNETS[1].id);
        assert.deepStrictEqual(
            await Promise.all([component.vpcId, component.primarySubnetId, component.secondarySubnetId].map(promiseOf)),
            [VPC, SUBNETS[0].id, SUBNETS[1].id],
        );
        assert.match(await promiseOf(component.instancePrivateIp), /^172\.16\.0\.\d+$/);
        assert.match(await promiseOf(component.networkInterfacePrivateIp), /^172\.16\.1\.\d+$/);
    });

    it("accepts the ids as Outputs, e.g. from another stack or an awsx.ec2.Vpc", async () => {
        const registrations = await useMocks(SEED_CONFIG, MOCKS);
        const component = new DualSubnetEniInstance("byo", {
            existingNetwork: { vpcId: pulumi.output(VPC), primarySubnetId: pulumi.output(SUBNETS[0].id), secondarySubnetId: Promise.resolve(SUBNETS[1].id) },
        });
        await promiseOf(component.attachmentId);
        assert.strictEqual(single(registrations, TYPES.networkInterface).inputs.subnetId, SUBNETS[1].id);
    });

    const invalid: [string, Record<string, unknown>, string, RegExp][] = [
        ["a subnet of another VPC", { secondarySubnetId: SUBNETS[3].id }, "existingNetwork.secondarySubnetId", /belongs to vpc-0ffffffffffffffff, not to existingNetwork\.vpcId vpc-0a1b2c3d4e5f60718/],
        ["subnets in two zones", { secondarySubnetId: SUBNETS[2].id }, "existingNetwork.secondarySubnetId", /is in ap-south-1b, but the primary subnet is in ap-south-1a/],
        ["a subnet that does not exist", { primarySubnetId: "subnet-0123456789abcdef0" }, "existingNetwork.primarySubnetId", /does not exist/],
        ["the same subnet twice", { secondarySubnetId: SUBNETS[0].id }, "existingNetwork.secondarySubnetId", /is the primary subnet too/],
        ["a malformed VPC id", { vpcId: "vpc-xyz" }, "existingNetwork.vpcId", /not a VPC id/],
        ["a missing subnet id", { primarySubnetId: undefined }, "existingNetwork.primarySubnetId", /is required/],
    ];
    for (const [title, change, field, reason] of invalid) {
        it(`refuses ${title}, naming ${field}, before creating anything`, async () => {
            const registrations = await useMocks(SEED_CONFIG, MOCKS);
            const args: DualSubnetEniInstanceArgs = { ...ARGS, existingNetwork: { ...ARGS.existingNetwork, ...change } };
            const error = await validationErrorOf(registrations, () => new DualSubnetEniInstance("byo", args));
            assert.deepStrictEqual(error.problems.map((p) => p.field), [field]);
            assert.match(error.message, new RegExp(`${field.replace(".", "\\.")} = .*${reason.source}`));
            assert.deepStrictEqual(awsResources(registrations), []);
        });
    }

    it("refuses a fixed ENI IP outside the existing secondary subnet, once its CIDR is looked up", async () => {
        const registrations = await useMocks(SEED_CONFIG, MOCKS);
        const error = await validationErrorOf(registrations, () => new DualSubnetEniInstance("byo", { ...ARGS, networkInterfacePrivateIp: "172.16.0.10" }));
        assert.match(error.message, /networkInterfacePrivateIp = "172\.16\.0\.10": is not inside the secondary subnet 172\.16\.1\.0\/24/);
        assert.deepStrictEqual(awsResources(registrations), []);
    });

    it("checks the instance type against the existing subnets' zone", async () => {
        const mocks = { ...MOCKS, instanceTypes: { "c7i.large": { maximumNetworkInterfaces: 3, maximumIpv4AddressesPerInterface: 10, supportedArchitectures: ["x86_64"], zoneSuffixes: ["b"] } } };
        const registrations = await useMocks(SEED_CONFIG, mocks);
        const error = await validationErrorOf(registrations, () => new DualSubnetEniInstance("byo", { ...ARGS, instanceType: "c7i.large" }));
        assert.match(error.message, /instanceType = "c7i\.large": is not offered in ap-south-1a/);
    });

    it("refuses CIDRs or a zone next to existingNetwork (a JavaScript caller can pass both)", async () => {
        const registrations = await useMocks(SEED_CONFIG, MOCKS);
        const args: DualSubnetEniInstanceArgs = { ...ARGS, vpcCidrBlock: "10.0.0.0/16", availabilityZone: "ap-south-1a" };
        const error = await validationErrorOf(registrations, () => new DualSubnetEniInstance("byo", args));
        assert.deepStrictEqual(error.problems.map((p) => p.field), ["availabilityZone", "vpcCidrBlock"]);
        assert.deepStrictEqual(registrations, []);
    });

    it("with a public side on the ENI, creates only the Elastic IP, on the ENI, once its subnet is seen to route to an internet gateway", async () => {
        const registrations = await useMocks(SEED_CONFIG, MOCKS);
        const args: DualSubnetEniInstanceArgs = { ...ARGS, existingNetwork: { ...ARGS.existingNetwork, secondarySubnetId: SUBNETS[4].id }, publicInterface: "networkInterface", ssmAccess: true };
        const component = new DualSubnetEniInstance("byo", args);
        assert.match(await promiseOf(component.publicIp), /^203\.0\.113\.\d+$/);
        await registrations.settled();
        const created = awsResources(registrations).map((r) => r.type);
        for (const type of ["InternetGateway", "RouteTable", "Route", "RouteTableAssociation", "VpcEndpoint"]) {
            assert.ok(!created.some((t) => t.endsWith(`:${type}`)), `an existing network got a new ${type}`);
        }
        assert.strictEqual(single(registrations, "aws:ec2/eip:Eip").inputs.networkInterface, await promiseOf(component.networkInterfaceId));
    });

    it("takes a public side in a subnet with no table of its own (a default VPC's), whose VPC's main table routes to an internet gateway", async () => {
        // getRouteTable({ subnetId }) finds no table for such a subnet; the lookup falls back to the main table.
        const registrations = await useMocks(SEED_CONFIG, { ...MOCKS, mainRouteTableInternetGateways: { [VPC]: "igw-0a1b2c3d4e5f60718" } });
        const component = new DualSubnetEniInstance("byo", { ...ARGS, publicInterface: "instance" });
        assert.match(await promiseOf(component.publicIp), /^203\.0\.113\.\d+$/);
        await registrations.settled();
        assert.strictEqual(single(registrations, "aws:ec2/eip:Eip").inputs.networkInterface, await promiseOf(component.instance.primaryNetworkInterfaceId));
    });

    it("checks ICMP and IPv6 sources against an existing VPC, which may have IPv6", async () => {
        const registrations = await useMocks(SEED_CONFIG, MOCKS);
        const error = await validationErrorOf(registrations, () =>
            new DualSubnetEniInstance("byo", {
                ...ARGS,
                instanceIngress: [
                    { protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "2001:db8::/32" },
                    { protocol: "icmp", fromPort: 8, toPort: 0, cidrIpv6: "2001:db8::/32" },
                ],
            }),
        );
        assert.deepStrictEqual(error.problems.map((p) => `${p.field}${p.path}`), ["instanceIngress[1].protocol"]);
        assert.match(error.message, /instanceIngress\[1\]\.protocol = "icmp": is icmp \(ICMPv4, IP protocol 1\), which never arrives from an IPv6 source/);
        assert.deepStrictEqual(awsResources(registrations), []);
    });

    it("refuses a public side whose existing subnet has no route to an internet gateway, naming publicInterface and the subnet", async () => {
        const registrations = await useMocks(SEED_CONFIG, MOCKS);
        const error = await validationErrorOf(registrations, () => new DualSubnetEniInstance("byo", { ...ARGS, publicInterface: "instance" }));
        assert.deepStrictEqual(error.problems.map((p) => p.field), ["publicInterface"]);
        assert.match(error.message, /publicInterface = "instance": is instance, but existingNetwork\.primarySubnetId subnet-0000000000000000a has no route 0\.0\.0\.0\/0 to an internet gateway/);
        assert.deepStrictEqual(awsResources(registrations), []);
    });
});

describe("existing subnets on a later deploy: the component's own interfaces are not in its way", () => {
    /** The ENI's subnet as a /28 whose 11 usable addresses are all held: 4 by the component's ENI (its Name tag), 7 by another interface. */
    const FULL: MockOptions = {
        existingSubnets: [SUBNETS[0], { ...SUBNETS[1], cidrBlock: "172.16.1.0/28" }],
        networkInterfaces: [
            { id: "eni-0aaaaaaaaaaaaaaa1", subnetId: SUBNETS[1].id, privateIps: ["172.16.1.10", "172.16.1.4", "172.16.1.5", "172.16.1.6"], tags: { Name: "byo-network-interface" } },
            { id: "eni-0bbbbbbbbbbbbbbb1", subnetId: SUBNETS[1].id, privateIps: ["172.16.1.7", "172.16.1.8", "172.16.1.9", "172.16.1.11", "172.16.1.12", "172.16.1.13", "172.16.1.14"] },
        ],
    };
    const { vpcCidrBlock: _vpc, primarySubnetCidrBlock: _primary, secondarySubnetCidrBlock: _secondary, ...seedWithoutNetwork } = SEED_CHECKED_ARGS;
    const CHECKED: CheckedArgs = {
        ...seedWithoutNetwork,
        "existingNetwork.vpcId": VPC,
        "existingNetwork.primarySubnetId": SUBNETS[0].id,
        "existingNetwork.secondarySubnetId": SUBNETS[1].id,
        instanceType: "m5.large",
        namePrefix: "byo",
        name: "byo",
        networkInterfacePrivateIp: "172.16.1.10",
        networkInterfaceSecondaryPrivateIpCount: 3,
    };

    /** What the optional checks say of `args` under `mocks`, with the subnets' facts as getSubnet gives them. */
    async function optionalProblems(mocks: MockOptions, args: CheckedArgs): Promise<string[]> {
        await useMocks(SEED_CONFIG, mocks);
        const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
        const [primary, secondary] = await Promise.all([SUBNETS[0].id, SUBNETS[1].id].map((id) => lookUpSubnet(id, { parent })));
        const { problems } = await runOptionalChecks(args, "ap-south-1", { primary: primary!, secondary: secondary! }, { parent });
        return problems.map((p) => `${p.field}${p.path ?? ""}: ${p.reason}`);
    }

    it("takes a full subnet whose fixed IP and last addresses the component's own ENI (found by its Name tag) holds", async () => {
        assert.deepStrictEqual(await optionalProblems(FULL, CHECKED), []);
    });

    it("refuses the same once the interface is not the component's (another name prefix): no free address, the fixed IP held", async () => {
        const problems = await optionalProblems(FULL, { ...CHECKED, namePrefix: "other" });
        assert.strictEqual(problems.length, 2);
        assert.match(problems[0], /^existingNetwork\.secondarySubnetId: has 0 free addresses \(getSubnet availableIpAddressCount\), but the component's interfaces take 4 there \(the ENI 4\); AWS would refuse the last with InsufficientFreeAddressesInSubnet$/);
        assert.match(problems[1], /^networkInterfacePrivateIp: is held by eni-0aaaaaaaaaaaaaaa1, .*InvalidIPAddress\.InUse$/);
    });

    it("counts the ENI's /28 prefixes against the free addresses, and takes those its own ENI holds as held (getNetworkInterface lists no prefixes)", async () => {
        // A /26, 59 usable: the component's ENI holds 1 address and two /28s (33), another interface 20; 6 are free.
        const other = [...Array.from({ length: 11 }, (_, i) => `172.16.1.${5 + i}`), ...Array.from({ length: 9 }, (_, i) => `172.16.1.${48 + i}`)];
        const mocks: MockOptions = {
            existingSubnets: [SUBNETS[0], { ...SUBNETS[1], cidrBlock: "172.16.1.0/26" }],
            networkInterfaces: [
                { id: "eni-0aaaaaaaaaaaaaaa1", subnetId: SUBNETS[1].id, privateIps: ["172.16.1.4"], ipv4Prefixes: ["172.16.1.16/28", "172.16.1.32/28"], tags: { Name: "byo-network-interface" } },
                { id: "eni-0bbbbbbbbbbbbbbb1", subnetId: SUBNETS[1].id, privateIps: other },
            ],
        };
        const args: CheckedArgs = { ...CHECKED, networkInterfacePrivateIp: undefined, networkInterfaceSecondaryPrivateIpCount: 0, networkInterfaceIpv4PrefixCount: 2 };
        assert.deepStrictEqual(await optionalProblems(mocks, args), []);
        assert.deepStrictEqual(await optionalProblems(mocks, { ...args, namePrefix: "other" }), [
            "existingNetwork.secondarySubnetId: has 6 free addresses (getSubnet availableIpAddressCount), but the component's interfaces take 33 there (the ENI 1, its /28 prefixes 32); AWS would refuse the last with InsufficientFreeAddressesInSubnet",
        ]);
    });

    it("refuses more /28 prefixes than an existing subnet has whole blocks for, however many addresses are free", async () => {
        const mocks: MockOptions = { existingSubnets: [SUBNETS[0], { ...SUBNETS[1], cidrBlock: "172.16.1.0/27" }] };
        const args: CheckedArgs = { ...CHECKED, networkInterfacePrivateIp: undefined, networkInterfaceSecondaryPrivateIpCount: 0, networkInterfaceIpv4PrefixCount: 1 };
        assert.deepStrictEqual(await optionalProblems(mocks, args), [
            "existingNetwork.secondarySubnetId: has room for 0 /28 prefixes (0 whole /28 blocks without any of AWS's 5 reserved addresses), but networkInterfaceIpv4PrefixCount asks for 1; AWS would refuse the ENI (InsufficientCidrBlocks)",
        ]);
        assert.deepStrictEqual(await optionalProblems({ existingSubnets: [SUBNETS[0], { ...SUBNETS[1], cidrBlock: "172.16.1.0/26" }] }, args), []);
    });

    it("counts the addresses of the interfaces attached to the component's instances, found by the instances' Name tags", async () => {
        const mocks: MockOptions = {
            existingSubnets: [{ ...SUBNETS[0], cidrBlock: "172.16.0.0/28" }, SUBNETS[1]],
            instances: [{ id: "i-0aaaaaaaaaaaaaaa1", tags: { Name: "byo-instance" } }, { id: "i-0aaaaaaaaaaaaaaa2", tags: { Name: "byo-standby-instance" }, state: "stopped" }],
            networkInterfaces: [
                { id: "eni-0ccccccccccccccc1", subnetId: SUBNETS[0].id, privateIps: ["172.16.0.4", "172.16.0.5"], instanceId: "i-0aaaaaaaaaaaaaaa1" },
                { id: "eni-0ccccccccccccccc2", subnetId: SUBNETS[0].id, privateIps: ["172.16.0.6"], instanceId: "i-0aaaaaaaaaaaaaaa2" },
                { id: "eni-0ccccccccccccccc3", subnetId: SUBNETS[0].id, privateIps: ["172.16.0.7", "172.16.0.8", "172.16.0.9", "172.16.0.10", "172.16.0.11", "172.16.0.12", "172.16.0.13", "172.16.0.14"] },
            ],
        };
        const args: CheckedArgs = { ...CHECKED, networkInterfacePrivateIp: undefined, networkInterfaceSecondaryPrivateIpCount: 0, instanceSecondaryPrivateIps: ["172.16.0.5"], standbyInstance: true };
        assert.deepStrictEqual(await optionalProblems(mocks, args), []);
        const without = await optionalProblems({ ...mocks, instances: [] }, args);
        assert.match(without.join("\n"), /existingNetwork\.primarySubnetId: has 0 free addresses .* take 3 there \(the instance 2, the standby 1\)/);
        assert.match(without.join("\n"), /instanceSecondaryPrivateIps\[0\]: is held by eni-0ccccccccccccccc1/);
    });
});
