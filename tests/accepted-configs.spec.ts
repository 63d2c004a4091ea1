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
import { SEED_ARGS, TYPES, withPartition } from "./support/fixtures";
import { byType, PROJECT, single, useMocks } from "./support/helpers";

interface AcceptedCase {
    readonly title: string;
    /** The AWS provider's region; default ap-south-1. */
    readonly region?: string;
    /** Args beyond the seed's; each is also a config key of the stack program. */
    readonly args: Partial<DualSubnetEniInstanceArgs>;
    readonly mocks?: MockOptions;
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
const PLAIN_ARGS = new Set(["namePrefix", "publicInterface", "ssmAccess", "standbyInstance", "instanceIngress", "networkInterfaceIngress"]);

async function planOf(c: AcceptedCase, program: () => Record<string, pulumi.Output<unknown>>, config: Record<string, string>): Promise<RecordedRegistration[]> {
    const registrations = await useMocks(config, c.mocks);
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
                        Object.entries({ ...SEED_ARGS, ...c.args }).map(([key, value]) => [key, PLAIN_ARGS.has(key) ? value : wrap(value)]),
                    ) as DualSubnetEniInstanceArgs;
                    c.check(await planOf(c, () => outputsOf(new DualSubnetEniInstance("ok", args)), { "aws:region": region }));
                });
            }

            it("stack program", async () => {
                const config: Record<string, string> = { ...loadStackConfig("dev"), "aws:region": region };
                for (const [key, value] of Object.entries(c.args)) {
                    config[`${PROJECT}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
                }
                c.check(await planOf(c, () => dualSubnetEniStack(), config));
            });
        });
    }
});
