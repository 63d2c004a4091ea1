/**
 * The reasons for a second interface, in valid use: per-interface inbound rules, several private IPs,
 * appliances, a public side, an instance you can operate. Each through the component with plain args and
 * with Output args, and through the stack program.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { DualSubnetEniInstance, DualSubnetEniInstanceArgs, IngressRuleArgs } from "../components";
import { MockOptions } from "../components/testing";
import { Registrations } from "../tools/sdkInternals";
import { dualSubnetEniStack } from "../stacks/program";
import { loadStackConfig } from "../tools/stackFiles";
import { SEED_ARGS, SEED_CONFIG, TYPES } from "./support/fixtures";
import { awsResources, byType, dependsOn, promiseOf, PROJECT, single, useMocks } from "./support/helpers";

const FEATURE_TYPES = {
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    internetGateway: "aws:ec2/internetGateway:InternetGateway",
    routeTable: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    eip: "aws:ec2/eip:Eip",
    role: "aws:iam/role:Role",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    instanceProfile: "aws:iam/instanceProfile:InstanceProfile",
    vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
} as const;

const VARIANTS: [string, (value: unknown) => unknown][] = [
    ["plain args", (value) => value],
    ["Output args", (value) => pulumi.output(value)],
];

/** Builds a component with `args` (values wrapped by `wrap`; rule fields one by one) and waits for every registration. */
async function build(args: Partial<DualSubnetEniInstanceArgs>, wrap: (value: unknown) => unknown, mocks: MockOptions = {}) {
    const registrations = await useMocks(SEED_CONFIG, mocks);
    const wrapped = Object.fromEntries(
        Object.entries(args).map(([key, value]) => {
            if (["publicInterface", "ssmAccess", "standbyInstance", "namePrefix"].includes(key)) {
                return [key, value];
            }
            if (key.endsWith("Ingress")) {
                return [key, (value as IngressRuleArgs[]).map((rule) => Object.fromEntries(Object.entries(rule).map(([k, v]) => [k, k === "allowFromAnywhere" ? v : wrap(v)])))];
            }
            return [key, wrap(value)];
        }),
    );
    const component = new DualSubnetEniInstance("app", { ...SEED_ARGS, ...wrapped } as DualSubnetEniInstanceArgs);
    await promiseOf(component.activeInstanceId);
    await promiseOf(component.publicIp);
    await registrations.settled();
    return { registrations, component };
}

const named = (registrations: Registrations, name: string) => {
    const found = registrations.find((r) => r.name === name);
    assert.ok(found, `no resource ${name}`);
    return found;
};

for (const [variant, wrap] of VARIANTS) {
    describe(`second-interface features, ${variant}`, () => {
        it("creates one ingress rule per inbound rule on that interface's group, with AWS's protocol numbers and sources", async () => {
            const { registrations, component } = await build(
                {
                    instanceIngress: [
                        { protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "HTTPS from anywhere" },
                        // A new VPC has no IPv6 block, so the whole internet here is IPv4's.
                        { protocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0", allowFromAnywhere: true },
                    ],
                    networkInterfaceIngress: [
                        { protocol: "icmp", fromPort: 8, toPort: -1, cidrIpv4: "10.0.0.0/8" },
                        // A new VPC reaches no existing group (existing-network.spec.ts has source groups).
                        { protocol: "all", cidrIpv4: "10.1.0.0/16" },
                        { protocol: "udp", fromPort: 53, toPort: 53, prefixListId: "pl-0123456789abcdef0" },
                    ],
                },
                wrap,
                { prefixLists: { "pl-0123456789abcdef0": { maxEntries: 10 } } },
            );
            const [primarySg, secondarySg] = await Promise.all([promiseOf(component.primarySecurityGroupId), promiseOf(component.secondarySecurityGroupId)]);
            const rules = byType(registrations, FEATURE_TYPES.ingressRule).map((r) => [r.name, r.inputs]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
            const tags = (name: string) => ({ Name: name });
            // Plain rules are named by content (removing one touches no other); Output rules keep positions.
            const ruleName = (position: string, content: string) => (variant === "plain args" ? `app-${content}` : `app-${position}`);
            const byName = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
            assert.deepStrictEqual(rules, [
                [ruleName("primary-sg-ingress-0", "primary-sg-ingress-tcp-443-from-0.0.0.0/0"), { securityGroupId: primarySg, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "HTTPS from anywhere", tags: tags(ruleName("instance-sg-ingress-0", "instance-sg-ingress-tcp-443-from-0.0.0.0/0").replace("app-", "test-")) }],
                [ruleName("primary-sg-ingress-1", "primary-sg-ingress-tcp-22-from-0.0.0.0/0"), { securityGroupId: primarySg, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0", tags: tags(ruleName("instance-sg-ingress-1", "instance-sg-ingress-tcp-22-from-0.0.0.0/0").replace("app-", "test-")) }],
                [ruleName("secondary-sg-ingress-0", "secondary-sg-ingress-icmp-8--1-from-10.0.0.0/8"), { securityGroupId: secondarySg, ipProtocol: "icmp", fromPort: 8, toPort: -1, cidrIpv4: "10.0.0.0/8", tags: tags(ruleName("network-interface-sg-ingress-0", "network-interface-sg-ingress-icmp-8--1-from-10.0.0.0/8").replace("app-", "test-")) }],
                [ruleName("secondary-sg-ingress-1", "secondary-sg-ingress-all-from-10.1.0.0/16"), { securityGroupId: secondarySg, ipProtocol: "-1", cidrIpv4: "10.1.0.0/16", tags: tags(ruleName("network-interface-sg-ingress-1", "network-interface-sg-ingress-all-from-10.1.0.0/16").replace("app-", "test-")) }],
                [ruleName("secondary-sg-ingress-2", "secondary-sg-ingress-udp-53-from-pl-0123456789abcdef0"), { securityGroupId: secondarySg, ipProtocol: "udp", fromPort: 53, toPort: 53, prefixListId: "pl-0123456789abcdef0", tags: tags(ruleName("network-interface-sg-ingress-2", "network-interface-sg-ingress-udp-53-from-pl-0123456789abcdef0").replace("app-", "test-")) }],
            ].sort(byName));
            for (const rule of byType(registrations, FEATURE_TYPES.ingressRule)) {
                const group = rule.name.startsWith("app-primary") ? "app-primary-sg" : "app-secondary-sg";
                assert.ok(dependsOn(rule, named(registrations, group)), `${rule.name} does not wait for ${group}`);
            }
        });

        it("gives each interface its fixed secondary IPs: the instance's as secondaryPrivateIps, the ENI's as an ordered list after its primary", async () => {
            const { registrations, component } = await build(
                {
                    instanceType: "t3.small",
                    instanceSecondaryPrivateIps: ["10.0.0.20", "10.0.0.21"],
                    networkInterfacePrivateIp: "10.0.1.10",
                    networkInterfaceSecondaryPrivateIps: ["10.0.1.11", "10.0.1.12"],
                },
                wrap,
            );
            const instance = single(registrations, TYPES.instance).inputs;
            assert.deepStrictEqual(instance.secondaryPrivateIps, ["10.0.0.20", "10.0.0.21"]);
            const eni = single(registrations, TYPES.networkInterface).inputs;
            assert.deepStrictEqual([eni.privateIpListEnabled, eni.privateIpLists, eni.privateIps, eni.privateIpsCount], [true, ["10.0.1.10", "10.0.1.11", "10.0.1.12"], undefined, undefined]);
            const instanceIps = await promiseOf(component.instancePrivateIps);
            assert.deepStrictEqual(instanceIps.slice(1), ["10.0.0.20", "10.0.0.21"]);
            assert.match(instanceIps[0], /^10\.0\.0\.\d+$/);
            assert.deepStrictEqual(await promiseOf(component.networkInterfacePrivateIps), ["10.0.1.10", "10.0.1.11", "10.0.1.12"]);
        });

        it("turns source/destination checking off on both interfaces for an appliance", async () => {
            const { registrations } = await build({ instanceSourceDestCheck: false, networkInterfaceSourceDestCheck: false }, wrap);
            assert.strictEqual(single(registrations, TYPES.instance).inputs.sourceDestCheck, false);
            assert.strictEqual(single(registrations, TYPES.networkInterface).inputs.sourceDestCheck, false);
        });

        it("passes key pair, user data, instance profile and root volume size to the instance", async () => {
            const { registrations } = await build(
                { keyName: "ops", userData: "#!/bin/bash\necho hello\n", iamInstanceProfile: "web", rootVolumeSizeGiB: 20 },
                wrap,
                { keyPairs: ["ops"], instanceProfiles: ["web"] },
            );
            const instance = single(registrations, TYPES.instance).inputs;
            assert.deepStrictEqual(
                [instance.keyName, instance.userData, instance.iamInstanceProfile, instance.rootBlockDevice],
                ["ops", "#!/bin/bash\necho hello\n", "web", { encrypted: true, volumeType: "gp3", volumeSize: 20 }],
            );
        });

        it("runs an explicit arm64 AMI on a Graviton type (m7g.large)", async () => {
            const ami = "ami-0abcdef0123456789";
            const { registrations } = await build({ instanceType: "m7g.large", ami }, wrap, { amis: { [ami]: { architecture: "arm64" } } });
            assert.deepStrictEqual([single(registrations, TYPES.instance).inputs.ami, single(registrations, TYPES.instance).inputs.instanceType], [ami, "m7g.large"]);
        });

        it("accepts tags whose values are Outputs and checks them once they resolve", async () => {
            const { registrations } = await build({ tags: { Team: pulumi.output("net"), Owner: "ops" } }, (value) => value);
            assert.deepStrictEqual(single(registrations, TYPES.vpc).inputs.tags, { Team: "net", Owner: "ops", Name: "test-vpc" });
        });
    });
}

describe("a public side (publicInterface)", () => {
    it("instance: an internet gateway, a route table sending 0.0.0.0/0 to it for the primary subnet only, and an Elastic IP on the instance's primary interface", async () => {
        const { registrations, component } = await build({ publicInterface: "instance" }, (value) => value);
        const vpcId = await promiseOf(component.vpcId);
        const igw = single(registrations, FEATURE_TYPES.internetGateway);
        const table = single(registrations, FEATURE_TYPES.routeTable);
        const route = single(registrations, FEATURE_TYPES.route);
        const association = single(registrations, FEATURE_TYPES.routeTableAssociation);
        const eip = single(registrations, FEATURE_TYPES.eip);
        assert.deepStrictEqual([igw.inputs.vpcId, table.inputs.vpcId], [vpcId, vpcId]);
        assert.deepStrictEqual([route.inputs.routeTableId, route.inputs.destinationCidrBlock, route.inputs.gatewayId], [table.id, "0.0.0.0/0", igw.id]);
        assert.deepStrictEqual([association.inputs.subnetId, association.inputs.routeTableId], [await promiseOf(component.primarySubnetId), table.id]);
        const instance = single(registrations, TYPES.instance);
        assert.strictEqual(eip.inputs.domain, "vpc");
        assert.match(eip.inputs.networkInterface as string, /^eni-/);
        assert.notStrictEqual(eip.inputs.networkInterface, await promiseOf(component.networkInterfaceId));
        assert.ok(dependsOn(eip, instance) && dependsOn(eip, igw), "the Elastic IP waits for the instance and the gateway");
        assert.match(await promiseOf(component.publicIp), /^203\.0\.113\.\d+$/);
        assert.strictEqual(single(registrations, TYPES.instance).inputs.associatePublicIpAddress, false);
    });

    it("networkInterface: the route for the secondary subnet, the Elastic IP on the ENI (it follows the ENI on failover)", async () => {
        const { registrations, component } = await build({ publicInterface: "networkInterface" }, (value) => value);
        assert.strictEqual(single(registrations, FEATURE_TYPES.routeTableAssociation).inputs.subnetId, await promiseOf(component.secondarySubnetId));
        assert.strictEqual(single(registrations, FEATURE_TYPES.eip).inputs.networkInterface, await promiseOf(component.networkInterfaceId));
    });

    it("none (the default): no gateway, route table or Elastic IP, and publicIp is empty", async () => {
        const { registrations, component } = await build({}, (value) => value);
        const costly = Object.values(FEATURE_TYPES).filter((type) => registrations.some((r) => r.type === type));
        assert.deepStrictEqual(costly, []);
        assert.strictEqual(await promiseOf(component.publicIp), "");
    });
});

describe("Session Manager access (ssmAccess)", () => {
    it("creates a role EC2 assumes with AmazonSSMManagedInstanceCore, its instance profile on the instance, and the three endpoints with HTTPS from the VPC", async () => {
        const { registrations, component } = await build({ ssmAccess: true }, (value) => value);
        const role = single(registrations, FEATURE_TYPES.role);
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Principal, { Service: "ec2.amazonaws.com" });
        const policy = single(registrations, FEATURE_TYPES.rolePolicyAttachment);
        assert.strictEqual(policy.inputs.policyArn, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
        const profile = single(registrations, FEATURE_TYPES.instanceProfile);
        assert.ok(dependsOn(policy, role) && dependsOn(profile, role));
        assert.strictEqual(single(registrations, TYPES.instance).inputs.iamInstanceProfile, profile.inputs.name ?? (await promiseOf(component.ssmInstanceProfile!.name)));
        const endpoints = byType(registrations, FEATURE_TYPES.vpcEndpoint);
        assert.deepStrictEqual(endpoints.map((e) => e.inputs.serviceName), ["com.amazonaws.ap-south-1.ssm", "com.amazonaws.ap-south-1.ssmmessages", "com.amazonaws.ap-south-1.ec2messages"]);
        const endpointSg = named(registrations, "app-ssm-endpoints-sg");
        for (const endpoint of endpoints) {
            assert.deepStrictEqual(
                [endpoint.inputs.vpcEndpointType, endpoint.inputs.privateDnsEnabled, endpoint.inputs.subnetIds, endpoint.inputs.securityGroupIds],
                ["Interface", true, [await promiseOf(component.primarySubnetId)], [endpointSg.id]],
            );
        }
        const https = named(registrations, "app-ssm-endpoints-sg-https").inputs;
        assert.deepStrictEqual([https.securityGroupId, https.ipProtocol, https.fromPort, https.toPort, https.cidrIpv4], [endpointSg.id, "tcp", 443, 443, "10.0.0.0/20"]);
    });

    it("needs no endpoints when the instance has a public side", async () => {
        const { registrations } = await build({ ssmAccess: true, publicInterface: "instance" }, (value) => value);
        assert.strictEqual(byType(registrations, FEATURE_TYPES.vpcEndpoint).length, 0);
        assert.strictEqual(byType(registrations, FEATURE_TYPES.instanceProfile).length, 1);
    });
});

describe("every new config key through the stack program", () => {
    it("reaches the component: rules, IPs, switches, operating args and tags", async () => {
        const config: Record<string, string> = {
            ...loadStackConfig("dev"),
            [`${PROJECT}:instanceType`]: "t3.small",
            [`${PROJECT}:instanceIngress`]: JSON.stringify([{ protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }]),
            [`${PROJECT}:networkInterfaceIngress`]: JSON.stringify([{ protocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/8" }]),
            [`${PROJECT}:instanceSecondaryPrivateIps`]: JSON.stringify(["10.0.0.20"]),
            [`${PROJECT}:networkInterfacePrivateIp`]: "10.0.1.10",
            [`${PROJECT}:networkInterfaceSecondaryPrivateIps`]: JSON.stringify(["10.0.1.11"]),
            [`${PROJECT}:instanceSourceDestCheck`]: "false",
            [`${PROJECT}:networkInterfaceSourceDestCheck`]: "false",
            [`${PROJECT}:publicInterface`]: "networkInterface",
            [`${PROJECT}:keyName`]: "ops",
            [`${PROJECT}:userData`]: "#cloud-config\n",
            [`${PROJECT}:rootVolumeSizeGiB`]: "30",
            [`${PROJECT}:ssmAccess`]: "true",
            [`${PROJECT}:standbyInstance`]: "true",
            [`${PROJECT}:activeInstance`]: "standby",
            [`${PROJECT}:tags`]: JSON.stringify({ CostCenter: "42" }),
        };
        const registrations = await useMocks(config, { keyPairs: ["ops"] });
        const outputs = dualSubnetEniStack();
        await Promise.all([outputs.activeInstanceId, outputs.publicIp].map(promiseOf));
        await registrations.settled();
        assert.strictEqual(byType(registrations, FEATURE_TYPES.ingressRule).length, 2 + 1);
        const [primary, standby] = ["dual-subnet-eni-instance", "dual-subnet-eni-standby-instance"].map((name) => named(registrations, name));
        assert.deepStrictEqual(
            [primary.inputs.secondaryPrivateIps, primary.inputs.sourceDestCheck, primary.inputs.keyName, pulumi.runtime.unwrapRpcSecret(primary.inputs.userData), (primary.inputs.rootBlockDevice as { volumeSize: number }).volumeSize],
            [["10.0.0.20"], false, "ops", "#cloud-config\n", 30],
        );
        assert.deepStrictEqual(single(registrations, TYPES.networkInterface).inputs.privateIpLists, ["10.0.1.10", "10.0.1.11"]);
        assert.strictEqual(single(registrations, FEATURE_TYPES.eip).inputs.networkInterface, await promiseOf(outputs.networkInterfaceId));
        assert.strictEqual(single(registrations, TYPES.attachment).inputs.instanceId, standby.id);
        assert.strictEqual(byType(registrations, FEATURE_TYPES.vpcEndpoint).length, 3);
        for (const resource of awsResources(registrations).filter((r) => r.inputs.tags)) {
            assert.strictEqual((resource.inputs.tags as Record<string, string>).CostCenter, "42", resource.name);
        }
    });
});
