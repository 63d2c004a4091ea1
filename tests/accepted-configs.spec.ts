/**
 * Configurations AWS takes that an earlier version refused or broke: each runs three ways (component with
 * plain args, with Output args, and the stack program from its config) and must plan cleanly, every resource
 * registered with the inputs AWS needs.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { DualSubnetEniInstance, DualSubnetEniInstanceArgs } from "../components";
import { MockOptions, resolveAll } from "../components/testing";
import { RecordedRegistration } from "../tools/sdkInternals";
import { outputsOf } from "../components";
import { dualSubnetEniStack } from "../stacks/program";
import { loadStackConfig } from "../tools/stackFiles";
import { GUEST_MERGE_TYPE, guestCloudConfig } from "../components/guestNetwork";
import { EXISTING_ARGS, EXISTING_SUBNETS, mocksOfCase, EXISTING_VPC, OTHER_VPC, SEED_ARGS, TYPES, withPartition } from "./support/fixtures";
import { mimeParts } from "./support/guestUserData";
import { byType, PROJECT, single, useMocks } from "./support/helpers";

interface AcceptedCase {
    readonly title: string;
    /** The AWS provider's region; default ap-south-1. */
    readonly region?: string;
    /** Args beyond the seed's; each is also a config key of the stack program. */
    readonly args: Partial<DualSubnetEniInstanceArgs>;
    readonly mocks?: MockOptions;
    /** On EXISTING_ARGS' network (its two subnets mocked besides the case's mocks): no stack-program variant, the stack program builds a new network. */
    readonly existing?: boolean;
    /** What the plan must hold. */
    readonly check: (registrations: readonly RecordedRegistration[]) => void;
}

const IMAGE = "ami-0aaaaaaaaaaaaaaa1";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const ruleInputs = (registrations: readonly RecordedRegistration[]) =>
    byType(registrations, INGRESS).map(({ inputs: { ipProtocol, fromPort, toPort, cidrIpv4, cidrIpv6, referencedSecurityGroupId, prefixListId } }) => ({
        ipProtocol,
        fromPort,
        toPort,
        cidrIpv4,
        cidrIpv6,
        referencedSecurityGroupId,
        prefixListId,
    }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const strip = <T extends object>(value: T) => JSON.parse(JSON.stringify(value)) as T;
/** The instance's user data (the stack program's arrives as a secret). */
const userDataOf = (registrations: readonly RecordedRegistration[]) => pulumi.runtime.unwrapRpcSecret(single(registrations, TYPES.instance).inputs.userData) as string;
/** A MIME document's parts: content type, body and Merge-Type header. */
const partsOf = (document: string) => mimeParts(document).map((part) => [part.contentType, part.body, part.headers["merge-type"]]);
const GUEST_PART = ["text/cloud-config", guestCloudConfig("none"), GUEST_MERGE_TYPE];
const USER_CLOUD_CONFIG = "#cloud-config\nwrite_files:\n  - path: /etc/app.conf\n    content: port=8080\nruncmd:\n  - [systemctl, restart, app]\n";
/** A MIME document cloud-init reads as MIME (`mime-version:` in its first 4,096 bytes) whose first header is neither Content-Type nor MIME-Version. */
const USER_MIME = 'X-Team: web\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="u"\n\n--u\nContent-Type: text/x-shellscript\n\n#!/bin/sh\necho user\n\n--u--\n';
/** 20,000 base64 characters of 15,000 bytes. */
const BASE64_15000 = Buffer.alloc(15000, "#!").toString("base64");
const PEER_ACCOUNT = "123456789012";
const PEERED_GROUP = "sg-0ccccccccccccccc1";
const GATEWAY_GROUP = "sg-0ccccccccccccccc2";
/** A VPC and two subnets inside each special-purpose block AWS documents no rule for. */
const SPECIAL_VPC_RANGES = [
    ["169.254.0.0/20", "169.254.0.0/24", "169.254.1.0/24"],
    ["224.0.0.0/20", "224.0.0.0/24", "224.0.1.0/24"],
    ["127.0.0.0/20", "127.0.0.0/24", "127.0.1.0/24"],
    ["0.0.0.0/20", "0.0.0.0/24", "0.0.1.0/24"],
    ["240.0.0.0/20", "240.0.0.0/24", "240.0.1.0/24"],
] as const;

/** Regions of every partition, with the partition and DNS suffix aws.getPartition answers there. */
const PARTITIONS = ["us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "cn-north-1", "us-gov-west-1", "eu-west-1"].map(withPartition);

const CASES: AcceptedCase[] = [
    {
        title: "a zone of a region whose code has four letters before the first hyphen (eusc-de-east-1a)",
        region: "eusc-de-east-1",
        args: { availabilityZone: "eusc-de-east-1a" },
        check: (registrations) => assert.deepStrictEqual(byType(registrations, TYPES.subnet).map((r) => r.inputs.availabilityZone), ["eusc-de-east-1a", "eusc-de-east-1a"]),
    },
    {
        title: "ICMPv6 and IP protocol numbers (ESP 50, GRE 47), ports only where the protocol has them",
        args: {
            networkInterfaceIngress: [
                { protocol: "icmpv6", fromPort: 128, toPort: -1, prefixListId: "pl-0123456789abcdef0" },
                // A YAML config's `protocol: 50` arrives as a number.
                { protocol: 50 as unknown as string, cidrIpv4: "10.0.0.0/8" },
                { protocol: "47", cidrIpv4: "10.0.0.0/8" },
                { protocol: "6", fromPort: 8443, toPort: 8443, cidrIpv4: "10.0.0.0/8" },
            ],
        },
        mocks: { prefixLists: { "pl-0123456789abcdef0": { maxEntries: 5, addressFamily: "IPv6" } } },
        check: (registrations) =>
            assert.deepStrictEqual(strip(ruleInputs(registrations)), [
                { ipProtocol: "47", cidrIpv4: "10.0.0.0/8" },
                { ipProtocol: "50", cidrIpv4: "10.0.0.0/8" },
                { ipProtocol: "icmpv6", fromPort: 128, toPort: -1, prefixListId: "pl-0123456789abcdef0" },
                { ipProtocol: "tcp", fromPort: 8443, toPort: 8443, cidrIpv4: "10.0.0.0/8" },
            ]),
    },
    {
        title: "UDP 22 from the internet (not SSH) and SSH from one public range",
        args: {
            instanceIngress: [
                { protocol: "udp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" },
                { protocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "203.0.113.0/24" },
                { protocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/8" },
            ],
        },
        check: (registrations) => assert.deepStrictEqual(ruleInputs(registrations).map((rule) => `${rule.ipProtocol} ${rule.fromPort} ${rule.cidrIpv4}`), ["tcp 22 10.0.0.0/8", "tcp 22 203.0.113.0/24", "udp 22 0.0.0.0/0"]),
    },
    {
        title: "an AMI from an SSM parameter (resolve:ssm:): the instance gets the image id",
        args: { ami: "resolve:ssm:/team/ami/web", rootVolumeSizeGiB: 20 },
        mocks: { amis: { [IMAGE]: { architecture: "x86_64" } }, ssmParameters: { "/team/ami/web": IMAGE } },
        check: (registrations) => assert.strictEqual(single(registrations, TYPES.instance).inputs.ami, IMAGE),
    },
    {
        title: "61 inbound rules on one group where the account's quota was raised to 100",
        args: { instanceIngress: Array.from({ length: 61 }, (_, i) => ({ protocol: "tcp", fromPort: 2000 + i, toPort: 2000 + i, cidrIpv4: "10.0.0.0/8" })) },
        mocks: { rulesPerSecurityGroupQuota: 100 },
        check: (registrations) => assert.strictEqual(byType(registrations, INGRESS).length, 61),
    },
    // Round 3: what AWS takes that earlier versions refused or broke.
    {
        title: "protocol -1, AWS's own spelling of every protocol",
        args: { instanceIngress: [{ protocol: "-1", cidrIpv4: "10.0.0.0/8" }] },
        check: (registrations) => assert.deepStrictEqual(strip(ruleInputs(registrations)), [{ ipProtocol: "-1", cidrIpv4: "10.0.0.0/8" }]),
    },
    {
        title: "base64 user data of 20,000 characters (15,000 bytes decoded): passed to the provider as it is",
        args: { userData: BASE64_15000 },
        check: (registrations) => assert.strictEqual(userDataOf(registrations), BASE64_15000),
    },
    {
        title: "guestNetwork with a user cloud-config that has write_files and runcmd: the user's part, then the guest's, which appends its lists",
        args: { guestNetwork: true, userData: USER_CLOUD_CONFIG },
        check: (registrations) => assert.deepStrictEqual(partsOf(userDataOf(registrations)), [["text/cloud-config", USER_CLOUD_CONFIG, undefined], GUEST_PART]),
    },
    {
        title: "guestNetwork with base64 user data: merged decoded, as cloud-init reads it",
        args: { guestNetwork: true, userData: Buffer.from(USER_CLOUD_CONFIG).toString("base64") },
        check: (registrations) => assert.deepStrictEqual(partsOf(userDataOf(registrations)), [["text/cloud-config", USER_CLOUD_CONFIG, undefined], GUEST_PART]),
    },
    {
        title: "guestNetwork with a MIME document whose first header is not Content-Type or MIME-Version: nested as it is",
        args: { guestNetwork: true, userData: USER_MIME },
        check: (registrations) => {
            const userData = userDataOf(registrations);
            assert.ok(userData.includes(`\n${USER_MIME}\n--`), "the user's MIME document is not nested as it is");
            assert.ok(userData.indexOf(USER_MIME) < userData.indexOf("dual-subnet-eni-guest-network.cfg"), "the guest's part does not come last");
        },
    },
    {
        title: "a Wavelength Zone (us-east-1-wl1-bos-wlz-1) without a public side",
        region: "us-east-1",
        args: { availabilityZone: "us-east-1-wl1-bos-wlz-1" },
        mocks: { zoneSuffixes: ["a", "b", "-wl1-bos-wlz-1"] },
        check: (registrations) => assert.deepStrictEqual(byType(registrations, TYPES.subnet).map((r) => r.inputs.availabilityZone), ["us-east-1-wl1-bos-wlz-1", "us-east-1-wl1-bos-wlz-1"]),
    },
    {
        title: "a Local Zone (us-west-2-lax-1a) with a public side: the Elastic IP comes from the zone's network border group",
        region: "us-west-2",
        args: { availabilityZone: "us-west-2-lax-1a", publicInterface: "instance" },
        mocks: { zoneSuffixes: ["a", "b", "-lax-1a"] },
        check: (registrations) => assert.strictEqual(single(registrations, "aws:ec2/eip:Eip").inputs.networkBorderGroup, "us-west-2-lax-1"),
    },
    ...SPECIAL_VPC_RANGES.map(
        ([vpc, primary, secondary]): AcceptedCase => ({
            title: `a VPC in the special-purpose block of ${vpc} (no AWS document refuses it for a VPC; listed under "What AWS can still refuse")`,
            args: { vpcCidrBlock: vpc, primarySubnetCidrBlock: primary, secondarySubnetCidrBlock: secondary },
            check: (registrations) => assert.strictEqual(single(registrations, TYPES.vpc).inputs.cidrBlock, vpc),
        }),
    ),
    // Existing networks (no stack-program variant).
    {
        title: "another account's group (123456789012/sg-…) of a VPC peered with that account",
        existing: true,
        args: { instanceIngress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, sourceSecurityGroupId: `${PEER_ACCOUNT}/sg-0123456789abcdef0` }] },
        mocks: { vpcPeeringConnections: [{ id: "pcx-0a1b2c3d4e5f60718", requesterVpcId: EXISTING_VPC, accepterVpcId: "vpc-0eeeeeeeeeeeeeeee", accepterOwnerId: PEER_ACCOUNT }] },
        check: (registrations) => assert.strictEqual(single(registrations, INGRESS).inputs.referencedSecurityGroupId, `${PEER_ACCOUNT}/sg-0123456789abcdef0`),
    },
    {
        title: "a group of a peered VPC, and one of a VPC on a transit gateway with security group referencing",
        existing: true,
        args: {
            instanceIngress: [
                { protocol: "tcp", fromPort: 5432, toPort: 5432, sourceSecurityGroupId: PEERED_GROUP },
                { protocol: "tcp", fromPort: 6379, toPort: 6379, sourceSecurityGroupId: GATEWAY_GROUP },
            ],
        },
        mocks: {
            securityGroups: { [PEERED_GROUP]: { vpcId: OTHER_VPC }, [GATEWAY_GROUP]: { vpcId: "vpc-0dddddddddddddddd" } },
            vpcPeeringConnections: [{ id: "pcx-0a1b2c3d4e5f60718", requesterVpcId: OTHER_VPC, accepterVpcId: EXISTING_VPC }],
            transitGatewayAttachments: [
                { id: "tgw-attach-0aaaaaaaaaaaaaaa1", transitGatewayId: "tgw-0aaaaaaaaaaaaaaa1", vpcId: EXISTING_VPC },
                { id: "tgw-attach-0aaaaaaaaaaaaaaa2", transitGatewayId: "tgw-0aaaaaaaaaaaaaaa1", vpcId: "vpc-0dddddddddddddddd" },
            ],
            transitGateways: { "tgw-0aaaaaaaaaaaaaaa1": { securityGroupReferencingSupport: "enable" } },
        },
        check: (registrations) => assert.deepStrictEqual(ruleInputs(registrations).map((rule) => rule.referencedSecurityGroupId), [PEERED_GROUP, GATEWAY_GROUP]),
    },
    {
        title: "a public side whose 0.0.0.0/0 goes through a Network Firewall endpoint (vpce-…) to the VPC's attached internet gateway",
        existing: true,
        args: { publicInterface: "networkInterface" },
        mocks: {
            existingSubnets: [EXISTING_SUBNETS.primary, { ...EXISTING_SUBNETS.secondary, vpcEndpointId: "vpce-0a1b2c3d4e5f60718" }],
            internetGateways: { [EXISTING_VPC]: "igw-0a1b2c3d4e5f60718" },
        },
        check: (registrations) => assert.strictEqual(byType(registrations, "aws:ec2/eip:Eip").length, 1),
    },
    ...PARTITIONS.map(
        ([region, partition, dnsSuffix]): AcceptedCase => ({
            title: `Session Manager's role in ${region}: partition ${partition}, principal ec2.${dnsSuffix}`,
            region,
            args: { availabilityZone: `${region}a`, ssmAccess: true },
            check: (registrations) => {
                const policy = JSON.parse(single(registrations, "aws:iam/role:Role").inputs.assumeRolePolicy as string);
                assert.deepStrictEqual(policy.Statement[0].Principal, { Service: `ec2.${dnsSuffix}` });
                assert.strictEqual(single(registrations, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs.policyArn, `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`);
            },
        }),
    ),
];

/** Plain args stay plain where the component needs them so; everything else becomes an Output. */
const PLAIN_ARGS = new Set(["namePrefix", "publicInterface", "ssmAccess", "standbyInstance", "guestNetwork", "instanceIngress", "networkInterfaceIngress"]);

/** An arg as a caller gives it: an Output (`wrap`), or, for an existing network, its ids each as one. */
const wrapArg = (key: string, value: unknown, wrap: (value: unknown) => unknown) =>
    PLAIN_ARGS.has(key) ? value : key === "existingNetwork" ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, wrap(v)])) : wrap(value);

async function planOf(c: AcceptedCase, program: () => Record<string, pulumi.Output<unknown>>, config: Record<string, string>): Promise<RecordedRegistration[]> {
    const registrations = await useMocks(config, mocksOfCase(c));
    await resolveAll(Object.values(program()), { signal: AbortSignal.timeout(10_000) });
    await registrations.settled();
    return registrations;
}

describe("configurations AWS takes plan cleanly", () => {
    for (const c of CASES) {
        const region = c.region ?? "ap-south-1";
        describe(c.title, () => {
            for (const [variant, wrap] of [
                ["plain args", (value: unknown) => value],
                ["Output args", (value: unknown) => pulumi.output(value)],
            ] as const) {
                it(`component, ${variant}`, async () => {
                    const args = Object.fromEntries(
                        Object.entries({ ...(c.existing ? EXISTING_ARGS : SEED_ARGS), ...c.args }).map(([key, value]) => [key, wrapArg(key, value, wrap)]),
                    ) as DualSubnetEniInstanceArgs;
                    c.check(await planOf(c, () => outputsOf(new DualSubnetEniInstance("ok", args)), { "aws:region": region }));
                });
            }

            if (!c.existing) {
                it("stack program", async () => {
                    const config: Record<string, string> = { ...loadStackConfig("dev"), "aws:region": region };
                    for (const [key, value] of Object.entries(c.args)) {
                        config[`${PROJECT}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
                    }
                    c.check(await planOf(c, () => dualSubnetEniStack(), config));
                });
            }
        });
    }
});
