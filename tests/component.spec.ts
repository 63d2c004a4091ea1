import * as assert from "assert";
import { Provider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import { DualSubnetEniInstance, DUAL_SUBNET_ENI_INSTANCE_TYPE } from "../components";
import { cidrIncludes, parseIpv4, parseIpv4Cidr } from "../components/cidr";
import { createMocks, mockAmiId } from "../components/testing";
import { Registrations } from "../tools/sdkInternals";
import { SEED_ARGS, SEED_CONFIG, TYPES } from "./support/fixtures";
import { awsResources, byType, dependsOn, promiseOf, single, urnOf, useMocks } from "./support/helpers";

function inSubnet(ip: string, cidr: string): boolean {
    const parsed = parseIpv4Cidr(cidr);
    assert.ok(parsed.ok);
    const address = parseIpv4(ip);
    assert.ok(address !== undefined, `${ip} is not an IPv4 address`);
    return cidrIncludes(parsed.cidr, address) && address > parsed.cidr.network + 3 && address < parsed.cidr.broadcast;
}

describe("DualSubnetEniInstance with the seed config", () => {
    let registrations: Registrations;
    let component: DualSubnetEniInstance;

    before(async () => {
        registrations = await useMocks(SEED_CONFIG);
        component = new DualSubnetEniInstance("seed", SEED_ARGS);
        await promiseOf(component.attachmentId);
        await registrations.settled();
    });

    it("registers exactly the VPC, its default SG, two subnets, two SGs with egress rules, the instance, the ENI and the attachment", () => {
        const created = awsResources(registrations).map((r) => `${r.type} ${r.name}`).sort();
        assert.deepStrictEqual(created, [
            `${TYPES.defaultSecurityGroup} seed-default-sg`,
            `${TYPES.instance} seed-instance`,
            `${TYPES.networkInterface} seed-eni`,
            `${TYPES.attachment} seed-eni-attachment`,
            `${TYPES.securityGroup} seed-primary-sg`,
            `${TYPES.securityGroup} seed-secondary-sg`,
            `${TYPES.subnet} seed-primary-subnet`,
            `${TYPES.subnet} seed-secondary-subnet`,
            `${TYPES.vpc} seed-vpc`,
            `${TYPES.egressRule} seed-primary-sg-egress`,
            `${TYPES.egressRule} seed-secondary-sg-egress`,
        ].sort());
    });

    it("creates nothing that costs money on its own (no NAT gateway, Elastic IP, flow log, internet gateway)", () => {
        const costly = ["natGateway:NatGateway", "eip:Eip", "flowLog:FlowLog", "internetGateway:InternetGateway"];
        assert.deepStrictEqual(registrations.filter((r) => costly.some((type) => r.type.endsWith(type))), []);
    });

    it("gives every child the component as parent, under the type token", () => {
        const root = single(registrations, DUAL_SUBNET_ENI_INSTANCE_TYPE);
        assert.strictEqual(root.name, "seed");
        for (const child of awsResources(registrations)) {
            assert.ok(child.parent.endsWith(`::${DUAL_SUBNET_ENI_INSTANCE_TYPE}::seed`), `${child.name} has parent ${child.parent}`);
        }
    });

    it("names resources with the console how-to's Name tags and ENI description", () => {
        const nameTag = (type: string, name: string) => (registrations.find((r) => r.type === type && r.name === name)!.inputs.tags as Record<string, string>).Name;
        assert.strictEqual(nameTag(TYPES.vpc, "seed-vpc"), "test-vpc");
        assert.strictEqual(nameTag(TYPES.subnet, "seed-primary-subnet"), "test-subnet-1");
        assert.strictEqual(nameTag(TYPES.subnet, "seed-secondary-subnet"), "test-subnet-2");
        assert.strictEqual(nameTag(TYPES.instance, "seed-instance"), "test-instance");
        const eni = single(registrations, TYPES.networkInterface);
        assert.strictEqual(eni.inputs.description, "test-network-interface");
        assert.strictEqual((eni.inputs.tags as Record<string, string>).Name, "test-network-interface");
    });

    it("builds the VPC and both subnets from the seed CIDRs in one AZ", () => {
        const vpc = single(registrations, TYPES.vpc);
        assert.strictEqual(vpc.inputs.cidrBlock, "10.0.0.0/20");
        const [primary, secondary] = ["seed-primary-subnet", "seed-secondary-subnet"].map((name) => registrations.find((r) => r.name === name)!);
        assert.deepStrictEqual(
            [primary, secondary].map((s) => [s.inputs.cidrBlock, s.inputs.availabilityZone]),
            [["10.0.0.0/24", "ap-south-1a"], ["10.0.1.0/24", "ap-south-1a"]],
        );
    });

    it("wires subnet → VPC, instance → primary subnet, ENI → secondary subnet, attachment → instance and ENI at device index 1", async () => {
        const vpcId = await promiseOf(component.vpcId);
        const [primaryId, secondaryId] = await Promise.all([promiseOf(component.primarySubnetId), promiseOf(component.secondarySubnetId)]);
        for (const subnet of byType(registrations, TYPES.subnet)) {
            assert.strictEqual(subnet.inputs.vpcId, vpcId);
            assert.ok(dependsOn(subnet, single(registrations, TYPES.vpc)));
        }
        const instance = single(registrations, TYPES.instance);
        const eni = single(registrations, TYPES.networkInterface);
        const attachment = single(registrations, TYPES.attachment);
        assert.strictEqual(instance.inputs.subnetId, primaryId);
        assert.strictEqual(eni.inputs.subnetId, secondaryId);
        assert.strictEqual(attachment.inputs.instanceId, await promiseOf(component.instanceId));
        assert.strictEqual(attachment.inputs.networkInterfaceId, await promiseOf(component.networkInterfaceId));
        assert.strictEqual(attachment.inputs.deviceIndex, 1);
        assert.ok(dependsOn(attachment, instance) && dependsOn(attachment, eni));
    });

    it("gives each interface its own security group, without inbound rules", async () => {
        const instance = single(registrations, TYPES.instance);
        const eni = single(registrations, TYPES.networkInterface);
        const primarySg = await promiseOf(component.primarySecurityGroupId);
        const secondarySg = await promiseOf(component.secondarySecurityGroupId);
        assert.notStrictEqual(primarySg, secondarySg);
        assert.deepStrictEqual(instance.inputs.vpcSecurityGroupIds, [primarySg]);
        assert.deepStrictEqual(eni.inputs.securityGroups, [secondarySg]);
        for (const group of byType(registrations, TYPES.securityGroup)) {
            assert.strictEqual(group.inputs.ingress, undefined, `${group.name} has inline ingress`);
        }
        assert.deepStrictEqual(registrations.filter((r) => r.type.includes("IngressRule")), []);
        const egress = byType(registrations, TYPES.egressRule).map((r) => [r.inputs.securityGroupId, r.inputs.ipProtocol, r.inputs.cidrIpv4]);
        assert.deepStrictEqual(egress.sort(), [[primarySg, "-1", "0.0.0.0/0"], [secondarySg, "-1", "0.0.0.0/0"]].sort());
    });

    it("takes over the VPC's default security group with no rules", () => {
        const defaultSg = single(registrations, TYPES.defaultSecurityGroup);
        assert.strictEqual(defaultSg.inputs.ingress, undefined);
        assert.strictEqual(defaultSg.inputs.egress, undefined);
        assert.ok(dependsOn(defaultSg, single(registrations, TYPES.vpc)));
    });

    it("applies safe defaults: IMDSv2 only, encrypted root volume, no public IPs, DNS on in the VPC", () => {
        const instance = single(registrations, TYPES.instance).inputs;
        assert.strictEqual((instance.metadataOptions as Record<string, unknown>).httpTokens, "required");
        assert.strictEqual((instance.rootBlockDevice as Record<string, unknown>).encrypted, true);
        assert.strictEqual(instance.associatePublicIpAddress, false);
        for (const subnet of byType(registrations, TYPES.subnet)) {
            assert.strictEqual(subnet.inputs.mapPublicIpOnLaunch, false, subnet.name);
        }
        const vpc = single(registrations, TYPES.vpc).inputs;
        assert.deepStrictEqual([vpc.enableDnsSupport, vpc.enableDnsHostnames], [true, true]);
    });

    it("marks the attachment (a replaced instance frees the ENI first) and the subnets (a replacement may overlap the old range) deleteBeforeReplace, nothing else without fixed IPs", () => {
        const flagged = registrations.filter((r) => r.deleteBeforeReplace).map((r) => r.name);
        assert.deepStrictEqual(flagged.sort(), ["seed-eni-attachment", "seed-primary-subnet", "seed-secondary-subnet"]);
    });

    it("keeps the ENI independent of the instance (replacing the instance never replaces the ENI) and without inline attachments", () => {
        const eni = single(registrations, TYPES.networkInterface);
        assert.ok(!dependsOn(eni, single(registrations, TYPES.instance)));
        assert.strictEqual(eni.inputs.attachments, undefined);
        assert.deepStrictEqual(eni.dependencies.map((urn) => urn.split("::").pop()).sort(), ["seed-secondary-sg", "seed-secondary-subnet"]);
    });

    it("resolves outputs to AWS-shaped ids and to private IPs from the right subnets", async () => {
        const ids = {
            vpcId: await promiseOf(component.vpcId),
            primarySubnetId: await promiseOf(component.primarySubnetId),
            instanceId: await promiseOf(component.instanceId),
            networkInterfaceId: await promiseOf(component.networkInterfaceId),
            attachmentId: await promiseOf(component.attachmentId),
        };
        assert.match(ids.vpcId, /^vpc-[0-9a-f]{17}$/);
        assert.match(ids.primarySubnetId, /^subnet-[0-9a-f]{17}$/);
        assert.match(ids.instanceId, /^i-[0-9a-f]{17}$/);
        assert.match(ids.networkInterfaceId, /^eni-[0-9a-f]{17}$/);
        assert.match(ids.attachmentId, /^eni-attach-[0-9a-f]{17}$/);
        assert.ok(inSubnet(await promiseOf(component.instancePrivateIp), "10.0.0.0/24"));
        assert.ok(inSubnet(await promiseOf(component.networkInterfacePrivateIp), "10.0.1.0/24"));
    });

    it("defaults to t3.micro on the newest x86_64 Amazon Linux 2023, resolved once (later releases ignored)", () => {
        const instance = single(registrations, TYPES.instance);
        assert.strictEqual(instance.inputs.instanceType, "t3.micro");
        assert.strictEqual(instance.inputs.ami, mockAmiId("x86_64"));
        assert.deepStrictEqual(instance.ignoreChanges, ["ami", "associatePublicIpAddress"]);
    });
});

describe("DualSubnetEniInstance options", () => {
    it("picks the arm64 Amazon Linux 2023 image for a Graviton type", async () => {
        const registrations = await useMocks(SEED_CONFIG);
        const component = new DualSubnetEniInstance("graviton", { ...SEED_ARGS, instanceType: "t4g.micro" });
        await promiseOf(component.instanceId);
        assert.strictEqual(single(registrations, TYPES.instance).inputs.ami, mockAmiId("arm64"));
    });

    it("uses an explicit AMI as given and lets a change to it roll the instance", async () => {
        const registrations = await useMocks(SEED_CONFIG, { amis: { "ami-0123456789abcdef0": { architecture: "x86_64" } } });
        const component = new DualSubnetEniInstance("pinned", { ...SEED_ARGS, ami: "ami-0123456789abcdef0" });
        await promiseOf(component.instanceId);
        const instance = single(registrations, TYPES.instance);
        assert.strictEqual(instance.inputs.ami, "ami-0123456789abcdef0");
        assert.deepStrictEqual(instance.ignoreChanges, ["associatePublicIpAddress"]);
    });

    it("defaults namePrefix to the component's name and merges tags, keeping its own Name", async () => {
        const registrations = await useMocks(SEED_CONFIG);
        const { namePrefix: _unused, ...args } = SEED_ARGS;
        const component = new DualSubnetEniInstance("web", { ...args, tags: { Team: "net", Name: "ignored" } });
        await promiseOf(component.attachmentId);
        await registrations.settled();
        for (const resource of awsResources(registrations).filter((r) => r.inputs.tags !== undefined)) {
            const tags = resource.inputs.tags as Record<string, string>;
            assert.strictEqual(tags.Team, "net", resource.name);
            assert.ok(tags.Name.startsWith("web-"), `${resource.name} is tagged ${tags.Name}`);
        }
        assert.strictEqual((single(registrations, TYPES.vpc).inputs.tags as Record<string, string>).Name, "web-vpc");
    });

    it("passes fixed private IPs and secondary IP count to AWS", async () => {
        const registrations = await useMocks(SEED_CONFIG);
        const component = new DualSubnetEniInstance("fixed", {
            ...SEED_ARGS,
            instanceType: "t3.small",
            instancePrivateIp: "10.0.0.10",
            networkInterfacePrivateIp: "10.0.1.10",
            networkInterfaceSecondaryPrivateIpCount: 2,
        });
        assert.strictEqual(await promiseOf(component.instancePrivateIp), "10.0.0.10");
        assert.strictEqual(await promiseOf(component.networkInterfacePrivateIp), "10.0.1.10");
        const eni = single(registrations, TYPES.networkInterface);
        assert.deepStrictEqual([eni.inputs.privateIps, eni.inputs.privateIpsCount], [["10.0.1.10"], 2]);
        assert.strictEqual(single(registrations, TYPES.instance).inputs.privateIp, "10.0.0.10");
    });

    it("accepts Output args and checks them once they resolve", async () => {
        const registrations = await useMocks(SEED_CONFIG);
        const component = new DualSubnetEniInstance("outputs", {
            ...SEED_ARGS,
            availabilityZone: pulumi.output("ap-south-1b"),
            vpcCidrBlock: Promise.resolve("10.0.0.0/20"),
            tags: pulumi.output({ Team: "net" }),
        });
        await promiseOf(component.attachmentId);
        assert.deepStrictEqual(byType(registrations, TYPES.subnet).map((s) => s.inputs.availabilityZone), ["ap-south-1b", "ap-south-1b"]);
        assert.deepStrictEqual(single(registrations, TYPES.vpc).inputs.tags, { Team: "net", Name: "test-vpc" });
    });

    it("asks its data sources through the component's provider (another region)", async () => {
        const registrations = await useMocks(SEED_CONFIG);
        const provider = new Provider("frankfurt", { region: "eu-central-1" });
        const component = new DualSubnetEniInstance("frankfurt", { ...SEED_ARGS, availabilityZone: "eu-central-1a" }, { providers: { aws: provider } });
        await promiseOf(component.attachmentId);
        assert.deepStrictEqual(byType(registrations, TYPES.subnet).map((s) => s.inputs.availabilityZone), ["eu-central-1a", "eu-central-1a"]);
    });

    it("shares data-source answers between components on one provider, never across providers", async () => {
        const calls: string[] = [];
        const mocks = createMocks();
        const call = mocks.call.bind(mocks);
        mocks.call = (args) => {
            calls.push(`${args.token.split(":").pop()} ${args.provider ? "frankfurt" : "default"}`);
            return call(args);
        };
        await pulumi.runtime.setMocks(mocks, "dual-subnet-eni", "test", false);
        pulumi.runtime.setAllConfig(SEED_CONFIG);
        const provider = new Provider("frankfurt", { region: "eu-central-1" });
        const components = [
            new DualSubnetEniInstance("mumbai-1", SEED_ARGS),
            new DualSubnetEniInstance("mumbai-2", SEED_ARGS),
            new DualSubnetEniInstance("frankfurt-1", { ...SEED_ARGS, availabilityZone: "eu-central-1a" }, { providers: { aws: provider } }),
        ];
        await Promise.all(components.map((c) => promiseOf(c.attachmentId)));
        const perProvider = (name: string) => calls.filter((c) => c.endsWith(name)).map((c) => c.split(" ")[0]).sort();
        const once = ["getAvailabilityZones", "getInstanceType", "getInstanceTypeOfferings", "getParameter"];
        assert.deepStrictEqual(perProvider("default"), once);
        assert.deepStrictEqual(perProvider("frankfurt"), once);
    });

    it("two components in one program get distinct logical names", async () => {
        const registrations = await useMocks(SEED_CONFIG);
        const first = new DualSubnetEniInstance("blue", SEED_ARGS);
        const second = new DualSubnetEniInstance("green", SEED_ARGS);
        await Promise.all([promiseOf(first.attachmentId), promiseOf(second.attachmentId)]);
        await registrations.settled();
        const urns = awsResources(registrations).map(urnOf);
        assert.strictEqual(new Set(urns).size, urns.length);
        assert.strictEqual(urns.length, 22);
    });
});
