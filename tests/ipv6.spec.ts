/**
 * Dual stack (`ipv6`) and prefix delegation, in valid use under the mocks: what a new network gets, what the
 * interfaces get, the outputs; through the component with plain and Output args, and through the stack program.
 */
import * as assert from "assert";
import * as ipaddr from "ipaddr.js";
import * as pulumi from "@pulumi/pulumi";
import { DualSubnetEniInstance, DualSubnetEniInstanceArgs } from "../components";
import { GUEST_MERGE_TYPE, guestScript } from "../components/guestNetwork";
import { MockOptions, MockSubnet } from "../components/testing";
import { dualSubnetEniStack } from "../stacks/program";
import { loadStackConfig } from "../tools/stackFiles";
import { SEED_ARGS, SEED_CONFIG, TYPES } from "./support/fixtures";
import { mimeParts } from "./support/guestUserData";
import { byType, dependsOn, promiseOf, PROJECT, single, useMocks } from "./support/helpers";

const T = {
    egressOnlyInternetGateway: "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    route: "aws:ec2/route:Route",
    routeTable: "aws:ec2/routeTable:RouteTable",
    internetGateway: "aws:ec2/internetGateway:InternetGateway",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
} as const;

/** Args that decide which resources exist are plain; every other value is wrapped. */
const PLAIN = new Set(["ipv6", "publicInterface", "namePrefix"]);

async function build(args: Partial<DualSubnetEniInstanceArgs>, wrap: (value: unknown) => unknown, mocks: MockOptions = {}) {
    const registrations = await useMocks(SEED_CONFIG, mocks);
    const wrapped = Object.fromEntries(Object.entries({ ...SEED_ARGS, ...args }).map(([key, value]) => [key, PLAIN.has(key) || key.endsWith("Ingress") ? value : wrap(value)]));
    const component = new DualSubnetEniInstance("app", wrapped as DualSubnetEniInstanceArgs);
    const outputs = {
        vpcIpv6CidrBlock: await promiseOf(component.vpcIpv6CidrBlock),
        instanceIpv6Addresses: await promiseOf(component.instanceIpv6Addresses),
        networkInterfaceIpv6Addresses: await promiseOf(component.networkInterfaceIpv6Addresses),
        networkInterfaceIpv4Prefixes: await promiseOf(component.networkInterfaceIpv4Prefixes),
        networkInterfaceIpv6Prefixes: await promiseOf(component.networkInterfaceIpv6Prefixes),
    };
    await promiseOf(component.publicIp);
    await registrations.settled();
    return { registrations, component, outputs };
}

/** True when `inner` (an address or a block) lies in the block `outer`, of at least its prefix length. */
function inside(outer: string, inner: string): boolean {
    const [address, length] = inner.includes("/") ? ipaddr.parseCIDR(inner) : [ipaddr.parse(inner), inner.includes(":") ? 128 : 32];
    const block = ipaddr.parseCIDR(outer);
    return address.kind() === block[0].kind() && address.match(block) && length >= block[1];
}

const prefixLength = (cidr: string) => Number(cidr.split("/")[1]);

for (const [variant, wrap] of [
    ["plain args", (value: unknown) => value],
    ["Output args", (value: unknown) => pulumi.output(value)],
] as const) {
    describe(`ipv6 on a new network, ${variant}`, () => {
        it("the VPC takes an Amazon /56; two distinct /64s inside it, assigning on creation; both interfaces have IPv6 addresses in their own subnet's /64", async () => {
            const { registrations, component, outputs } = await build({ ipv6: true }, wrap);
            assert.strictEqual(single(registrations, TYPES.vpc).inputs.assignGeneratedIpv6CidrBlock, true);
            assert.strictEqual(prefixLength(outputs.vpcIpv6CidrBlock), 56);
            assert.ok(inside("2600:1f00::/24", outputs.vpcIpv6CidrBlock), `${outputs.vpcIpv6CidrBlock} is not from AWS's range`);
            const subnets = byType(registrations, TYPES.subnet).map((subnet) => subnet.inputs);
            assert.deepStrictEqual(subnets.map((subnet) => subnet.assignIpv6AddressOnCreation), [true, true]);
            const [primary, secondary] = subnets.map((subnet) => subnet.ipv6CidrBlock as string);
            assert.notStrictEqual(primary, secondary);
            for (const block of [primary, secondary]) {
                assert.ok(inside(outputs.vpcIpv6CidrBlock, block) && prefixLength(block) === 64, `${block} is not a /64 of ${outputs.vpcIpv6CidrBlock}`);
            }
            assert.deepStrictEqual([await promiseOf(component.primarySubnet!.ipv6CidrBlock), await promiseOf(component.secondarySubnet!.ipv6CidrBlock)], [primary, secondary]);
            assert.strictEqual(outputs.instanceIpv6Addresses.length, 1);
            assert.strictEqual(outputs.networkInterfaceIpv6Addresses.length, 1);
            assert.ok(inside(primary, outputs.instanceIpv6Addresses[0]), `${outputs.instanceIpv6Addresses[0]} is not in ${primary}`);
            assert.ok(inside(secondary, outputs.networkInterfaceIpv6Addresses[0]), `${outputs.networkInterfaceIpv6Addresses[0]} is not in ${secondary}`);
            assert.deepStrictEqual([single(registrations, TYPES.instance).inputs.ipv6AddressCount, single(registrations, TYPES.networkInterface).inputs.ipv6AddressCount], [1, 1]);
            assert.deepStrictEqual([outputs.networkInterfaceIpv4Prefixes, outputs.networkInterfaceIpv6Prefixes], [[], []]);
        });

        it("sends ::/0 to a new egress-only internet gateway from the main route table, and lets IPv6 out of both security groups", async () => {
            const { registrations, component } = await build({ ipv6: true }, wrap);
            const vpc = single(registrations, TYPES.vpc);
            const gateway = single(registrations, T.egressOnlyInternetGateway);
            assert.strictEqual(gateway.inputs.vpcId, await promiseOf(component.vpcId));
            const route = single(registrations, T.route).inputs;
            assert.deepStrictEqual(
                [route.routeTableId, route.destinationIpv6CidrBlock, route.egressOnlyGatewayId, route.destinationCidrBlock],
                [await promiseOf(component.vpc!.mainRouteTableId), "::/0", gateway.id, undefined],
            );
            assert.ok(dependsOn(gateway, vpc));
            const egress = byType(registrations, TYPES.egressRule).map((rule) => [rule.name, rule.inputs.securityGroupId, rule.inputs.ipProtocol, rule.inputs.cidrIpv4 ?? rule.inputs.cidrIpv6]);
            const [primarySg, secondarySg] = await Promise.all([promiseOf(component.primarySecurityGroupId), promiseOf(component.secondarySecurityGroupId)]);
            assert.deepStrictEqual(egress.sort(), [
                ["app-primary-sg-egress", primarySg, "-1", "0.0.0.0/0"],
                ["app-primary-sg-egress-ipv6", primarySg, "-1", "::/0"],
                ["app-secondary-sg-egress", secondarySg, "-1", "0.0.0.0/0"],
                ["app-secondary-sg-egress-ipv6", secondarySg, "-1", "::/0"],
            ]);
            assert.strictEqual(component.egressOnlyInternetGateway?.urn !== undefined, true);
        });

        it("takes IPv6 inbound sources (cidrIpv6), which a new network without ipv6 refuses", async () => {
            const rule = { protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "2001:db8::/32" };
            const { registrations } = await build({ ipv6: true, networkInterfaceIngress: [rule] }, wrap);
            assert.strictEqual(single(registrations, T.ingressRule).inputs.cidrIpv6, "2001:db8::/32");
        });

        it("delegates /28 and /80 prefixes to the ENI: aligned blocks of its subnet, the ENI's IPv6 addresses then its prefixes", async () => {
            const { registrations, outputs } = await build({ ipv6: true, instanceType: "m5.large", networkInterfaceIpv4PrefixCount: 2, networkInterfaceIpv6PrefixCount: 1 }, wrap);
            const eni = single(registrations, TYPES.networkInterface).inputs;
            assert.deepStrictEqual([eni.ipv4PrefixCount, eni.ipv6PrefixCount, eni.ipv6AddressCount], [2, 1, undefined]);
            const secondary = single(registrations.filter((r) => r.name === "app-secondary-subnet"), TYPES.subnet).inputs.ipv6CidrBlock as string;
            assert.strictEqual(outputs.networkInterfaceIpv4Prefixes.length, 2);
            for (const prefix of outputs.networkInterfaceIpv4Prefixes) {
                assert.ok(inside("10.0.1.0/24", prefix) && prefixLength(prefix) === 28, prefix);
            }
            assert.notStrictEqual(outputs.networkInterfaceIpv4Prefixes[0], outputs.networkInterfaceIpv4Prefixes[1]);
            assert.strictEqual(outputs.networkInterfaceIpv6Prefixes.length, 1);
            assert.ok(inside(secondary, outputs.networkInterfaceIpv6Prefixes[0]) && prefixLength(outputs.networkInterfaceIpv6Prefixes[0]) === 80, outputs.networkInterfaceIpv6Prefixes[0]);
            assert.deepStrictEqual(outputs.networkInterfaceIpv6Addresses, []);
        });
    });
}

describe("ipv6 with a public side", () => {
    for (const publicInterface of ["instance", "networkInterface"] as const) {
        it(`${publicInterface}: ::/0 to the internet gateway in the public side's route table, ::/0 to the egress-only gateway in the main one`, async () => {
            const { registrations, component } = await build({ ipv6: true, publicInterface }, (value) => value);
            const table = single(registrations, T.routeTable);
            const routes = Object.fromEntries(byType(registrations, T.route).map((route) => [route.name, route.inputs]));
            assert.deepStrictEqual(
                [routes["app-public-ipv6-route"].routeTableId, routes["app-public-ipv6-route"].destinationIpv6CidrBlock, routes["app-public-ipv6-route"].gatewayId],
                [table.id, "::/0", single(registrations, T.internetGateway).id],
            );
            assert.deepStrictEqual(
                [routes["app-ipv6-route"].routeTableId, routes["app-ipv6-route"].egressOnlyGatewayId],
                [await promiseOf(component.vpc!.mainRouteTableId), single(registrations, T.egressOnlyInternetGateway).id],
            );
        });
    }
});

describe("ipv6 off (the default)", () => {
    it("asks for no IPv6 anywhere: no block, no gateway, no IPv6 rule, and the IPv6 outputs are empty", async () => {
        const { registrations, outputs } = await build({}, (value) => value);
        assert.strictEqual(single(registrations, TYPES.vpc).inputs.assignGeneratedIpv6CidrBlock, undefined);
        assert.deepStrictEqual(byType(registrations, TYPES.subnet).map((subnet) => subnet.inputs.ipv6CidrBlock), [undefined, undefined]);
        assert.deepStrictEqual([byType(registrations, T.egressOnlyInternetGateway), byType(registrations, T.route)], [[], []]);
        assert.deepStrictEqual(outputs, { vpcIpv6CidrBlock: "", instanceIpv6Addresses: [], networkInterfaceIpv6Addresses: [], networkInterfaceIpv4Prefixes: [], networkInterfaceIpv6Prefixes: [] });
    });

    it("IPv4 prefixes need no ipv6: a /28 on a Nitro type's ENI", async () => {
        const { outputs } = await build({ networkInterfaceIpv4PrefixCount: 1 }, (value) => value);
        assert.strictEqual(outputs.networkInterfaceIpv4Prefixes.length, 1);
        assert.ok(inside("10.0.1.0/24", outputs.networkInterfaceIpv4Prefixes[0]), outputs.networkInterfaceIpv4Prefixes[0]);
    });
});

describe("ipv6 on an existing network", () => {
    const VPC = "vpc-0a1b2c3d4e5f60718";
    const SUBNETS: MockSubnet[] = [
        { id: "subnet-0000000000000000a", vpcId: VPC, availabilityZone: "ap-south-1a", cidrBlock: "172.16.0.0/24", ipv6CidrBlock: "2600:1f18:47b:ab00::/64" },
        { id: "subnet-0000000000000000b", vpcId: VPC, availabilityZone: "ap-south-1a", cidrBlock: "172.16.1.0/24", ipv6CidrBlock: "2600:1f18:47b:ab01::/64", assignIpv6AddressOnCreation: true },
    ];

    it("uses the subnets' own IPv6 blocks: addresses from each, and no gateway or route of its own", async () => {
        const registrations = await useMocks(SEED_CONFIG, { existingSubnets: SUBNETS });
        const component = new DualSubnetEniInstance("byo", { existingNetwork: { vpcId: VPC, primarySubnetId: SUBNETS[0].id, secondarySubnetId: SUBNETS[1].id }, ipv6: true });
        const [instanceAddresses, eniAddresses, vpcBlock] = await Promise.all([component.instanceIpv6Addresses, component.networkInterfaceIpv6Addresses, component.vpcIpv6CidrBlock].map((o) => promiseOf(o as pulumi.Output<unknown>)));
        await registrations.settled();
        assert.ok(inside(SUBNETS[0].ipv6CidrBlock!, (instanceAddresses as string[])[0]));
        assert.ok(inside(SUBNETS[1].ipv6CidrBlock!, (eniAddresses as string[])[0]));
        assert.strictEqual(vpcBlock, "");
        assert.deepStrictEqual([byType(registrations, T.egressOnlyInternetGateway), byType(registrations, T.route)], [[], []]);
        assert.strictEqual(byType(registrations, TYPES.egressRule).length, 4);
    });
});

describe("ipv6 through the stack program", () => {
    it("reaches the component from config keys, and the stack exports the IPv6 outputs", async () => {
        const config = {
            ...loadStackConfig("dev"),
            [`${PROJECT}:ipv6`]: "true",
            [`${PROJECT}:instanceIpv6AddressCount`]: "2",
            [`${PROJECT}:networkInterfaceIpv4PrefixCount`]: "1",
            [`${PROJECT}:networkInterfaceIpv6PrefixCount`]: "1",
        };
        const registrations = await useMocks(config);
        const outputs = dualSubnetEniStack();
        const [vpcBlock, instanceAddresses, eniPrefixes4, eniPrefixes6] = await Promise.all(
            [outputs.vpcIpv6CidrBlock, outputs.instanceIpv6Addresses, outputs.networkInterfaceIpv4Prefixes, outputs.networkInterfaceIpv6Prefixes].map((o) => promiseOf(o as pulumi.Output<unknown>)),
        );
        await registrations.settled();
        assert.strictEqual(prefixLength(vpcBlock as string), 56);
        assert.strictEqual((instanceAddresses as string[]).length, 2);
        assert.deepStrictEqual([(eniPrefixes4 as string[]).length, (eniPrefixes6 as string[]).length], [1, 1]);
        assert.strictEqual(single(registrations, TYPES.instance).inputs.ipv6AddressCount, 2);
    });
});

describe("ipv6 beside guestNetwork and automaticFailover", () => {
    const FUNCTION = "aws:lambda/function:Function";
    const DUAL_STACK = { ipv6: true, instanceType: "m5.large", networkInterfaceIpv4PrefixCount: 1, networkInterfaceIpv6PrefixCount: 1 } as const;

    async function instanceUserData(args: Partial<DualSubnetEniInstanceArgs>): Promise<string[]> {
        const { registrations } = await build(args, (value) => value);
        return byType(registrations, TYPES.instance).map((r) => r.inputs.userData as string);
    }

    it("guestNetwork: the same user data with ipv6 and prefixes as without (the user's part first, the guest's cloud-config last with its Merge-Type), so turning ipv6 on stops no instance; the guest reads IPv6 and prefixes from IMDS", async () => {
        const user = "#!/bin/sh\necho ready\n";
        const base = { guestNetwork: true, standbyInstance: true, userData: user, instanceType: "m5.large" };
        const [withIpv6, without] = [await instanceUserData({ ...base, ...DUAL_STACK }), await instanceUserData(base)];
        assert.deepStrictEqual(withIpv6, without);
        assert.strictEqual(withIpv6[1], withIpv6[0], "the standby's is the same");
        const parts = mimeParts(withIpv6[0]);
        assert.deepStrictEqual(
            parts.map((p) => [p.contentType, p.headers["merge-type"]]),
            [
                ["text/x-shellscript", undefined],
                ["text/cloud-config", GUEST_MERGE_TYPE],
            ],
        );
        assert.strictEqual(parts[0].body, user);
        for (const key of ["ipv6s", "subnet-ipv6-cidr-blocks", "ipv4-prefix", "ipv6-prefix"]) {
            assert.ok(guestScript().includes(key), `the guest script does not read ${key}`);
        }
    });

    it("automaticFailover: the mover probes the ENI's primary private IPv4 address; the ENI, which it moves, keeps asking for its IPv6 prefixes and carries its own attachment", async () => {
        const { registrations, component } = await build({ ...DUAL_STACK, standbyInstance: true, automaticFailover: true, failoverHealthCheckPort: 443 }, (value) => value);
        const variables = (single(registrations, FUNCTION).inputs.environment as { variables: Record<string, string> }).variables;
        const eni = single(registrations, TYPES.networkInterface);
        assert.strictEqual(variables.NETWORK_INTERFACE_ADDRESS, await promiseOf(component.networkInterfacePrivateIp));
        assert.ok(ipaddr.IPv4.isValidFourPartDecimal(variables.NETWORK_INTERFACE_ADDRESS), variables.NETWORK_INTERFACE_ADDRESS);
        assert.deepStrictEqual([eni.inputs.ipv4PrefixCount, eni.inputs.ipv6PrefixCount, (eni.inputs.attachments as unknown[]).length], [1, 1, 1]);
        assert.strictEqual(byType(registrations, TYPES.attachment).length, 0);
    });
});
