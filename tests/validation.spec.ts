import * as assert from "assert";
import type { AwsFacts } from "../components/awsLookups";
import { checkArgs, regionOfAvailabilityZone } from "../components/rules/argRules";
import { amiArchitecture, checkAgainstAws } from "../components/rules/awsRules";
import { checkRulesQuota, inboundRuleCounts, needsRulesQuota } from "../components/rules/sourceRules";
import type { RawArgs, ValidatedField } from "../components/rules/fields";
import { describeProblems } from "../components/rules/messages";
import { SEED_CHECKED_ARGS } from "./support/fixtures";

const VALID = SEED_CHECKED_ARGS;

const FACTS: AwsFacts = {
    region: "ap-south-1",
    availableZones: ["ap-south-1a", "ap-south-1b", "ap-south-1c"],
    instanceTypeZones: ["ap-south-1a", "ap-south-1b", "ap-south-1c"],
    instanceType: { maximumNetworkInterfaces: 2, maximumIpv4AddressesPerInterface: 2, supportedArchitectures: ["x86_64"] },
};

const fieldsOf = (problems: { field: ValidatedField }[]) => problems.map((p) => p.field);

describe("checkArgs", () => {
    it("accepts the seed config", () => {
        assert.deepStrictEqual(checkArgs(VALID), []);
    });

    const validEdges: [string, Partial<RawArgs>][] = [
        ["subnets at the very start and end of the VPC range", { primarySubnetCidrBlock: "10.0.0.0/24", secondarySubnetCidrBlock: "10.0.15.0/24" }],
        ["/28 subnets", { primarySubnetCidrBlock: "10.0.0.0/28", secondarySubnetCidrBlock: "10.0.0.16/28" }],
        ["a /16 VPC with /16-adjacent subnets", { vpcCidrBlock: "10.0.0.0/16", primarySubnetCidrBlock: "10.0.0.0/17", secondarySubnetCidrBlock: "10.0.128.0/17" }],
        ["a /27 VPC holding two /28 subnets", { vpcCidrBlock: "10.0.0.0/27", primarySubnetCidrBlock: "10.0.0.0/28", secondarySubnetCidrBlock: "10.0.0.16/28" }],
        ["fixed IPs just past and just before the reserved ones", { instancePrivateIp: "10.0.0.4", networkInterfacePrivateIp: "10.0.1.254" }],
        ["a Local Zone", { availabilityZone: "us-west-2-lax-1a" }],
        ["an SSM-resolved AMI", { ami: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" }],
        ["a short AMI id", { ami: "ami-12345678" }],
    ];
    for (const [title, change] of validEdges) {
        it(`accepts ${title}`, () => {
            assert.deepStrictEqual(checkArgs({ ...VALID, ...change }), []);
        });
    }

    it("reports every problem at once, each naming its field and value", () => {
        const problems = checkArgs({ ...VALID, vpcCidrBlock: "10.0.0.5/20", secondarySubnetCidrBlock: "10.0.0.0/24", instancePrivateIp: "10.0.0.255" });
        assert.deepStrictEqual(fieldsOf(problems), ["vpcCidrBlock", "secondarySubnetCidrBlock", "instancePrivateIp"]);
        const text = describeProblems(problems, (f) => `key:${f}`);
        assert.match(text, /key:vpcCidrBlock = "10\.0\.0\.5\/20": has host bits set; use the canonical "10\.0\.0\.0\/20"/);
        assert.match(text, /key:secondarySubnetCidrBlock = "10\.0\.0\.0\/24": is the same block as primarySubnetCidrBlock/);
        assert.match(text, /key:instancePrivateIp = "10\.0\.0\.255": is one of the five addresses AWS reserves/);
    });

    it("skips pending fields and the rules that need them", () => {
        const pending = new Set<ValidatedField>(["vpcCidrBlock"]);
        assert.deepStrictEqual(checkArgs({ ...VALID, vpcCidrBlock: undefined, primarySubnetCidrBlock: "172.16.0.0/24" }, pending), []);
        assert.deepStrictEqual(fieldsOf(checkArgs({ ...VALID, vpcCidrBlock: undefined }, new Set())), ["vpcCidrBlock"]);
    });

    it("refuses values of the wrong type, as plain JavaScript callers may pass", () => {
        const problems = checkArgs({ ...VALID, vpcCidrBlock: 42, networkInterfaceSecondaryPrivateIpCount: "2" });
        assert.deepStrictEqual(problems.map((p) => [p.field, p.reason]), [
            ["vpcCidrBlock", "must be a string"],
            ["networkInterfaceSecondaryPrivateIpCount", "must be a whole number, 0 or more"],
        ]);
    });
});

describe("checkAgainstAws", () => {
    it("accepts the seed config in ap-south-1", () => {
        assert.deepStrictEqual(checkAgainstAws(VALID, FACTS), []);
    });

    it("refuses a zone of another region, naming both regions", () => {
        const [problem] = checkAgainstAws({ ...VALID, availabilityZone: "eu-west-1a" }, FACTS);
        assert.deepStrictEqual([problem.field, problem.reason], ["availabilityZone", "is in region eu-west-1, but the AWS provider's region is ap-south-1"]);
    });

    it("refuses a zone that is not available, listing the available ones", () => {
        const [problem] = checkAgainstAws({ ...VALID, availabilityZone: "ap-south-1z" }, FACTS);
        assert.match(problem.reason, /available: ap-south-1a, ap-south-1b, ap-south-1c/);
    });

    it("refuses a type offered elsewhere but not in the zone", () => {
        const [problem] = checkAgainstAws(VALID, { ...FACTS, instanceTypeZones: ["ap-south-1b"] });
        assert.deepStrictEqual([problem.field, problem.reason], ["instanceType", "is not offered in ap-south-1a (offered in: ap-south-1b)"]);
    });

    it("refuses a type offered nowhere in the region", () => {
        const [problem] = checkAgainstAws(VALID, { ...FACTS, instanceTypeZones: [], instanceType: undefined });
        assert.match(problem.reason, /not offered in region ap-south-1/);
    });

    it("calls a type offered nowhere that AWS does not list unknown, not unsold, and names the nearest type AWS lists", () => {
        const unknown = (instanceType: string) => checkAgainstAws({ ...VALID, instanceType }, { ...FACTS, instanceTypeZones: [], instanceType: undefined })[0].reason;
        assert.strictEqual(unknown("t3.mciro"), "is not an EC2 instance type AWS lists; did you mean t3.micro?");
        assert.strictEqual(unknown("m5.larg"), "is not an EC2 instance type AWS lists; did you mean m5.large?");
        assert.strictEqual(unknown("qq9.enormous"), "is not an EC2 instance type AWS lists (check the spelling, e.g. t3.micro)");
    });

    it("refuses a type that takes a single network interface", () => {
        const limits = { ...FACTS.instanceType!, maximumNetworkInterfaces: 1 };
        assert.deepStrictEqual(fieldsOf(checkAgainstAws(VALID, { ...FACTS, instanceType: limits })), ["instanceType"]);
    });

    it("refuses more ENI addresses than the type allows per interface, and accepts exactly that many", () => {
        const limits = { ...FACTS.instanceType!, maximumIpv4AddressesPerInterface: 4 };
        assert.deepStrictEqual(checkAgainstAws({ ...VALID, networkInterfaceSecondaryPrivateIpCount: 3 }, { ...FACTS, instanceType: limits }), []);
        const problems = checkAgainstAws({ ...VALID, networkInterfaceSecondaryPrivateIpCount: 4 }, { ...FACTS, instanceType: limits });
        assert.deepStrictEqual(fieldsOf(problems), ["networkInterfaceSecondaryPrivateIpCount"]);
    });

    it("needs an explicit AMI for an architecture without Amazon Linux 2023", () => {
        const mac = { ...FACTS, instanceType: { ...FACTS.instanceType!, supportedArchitectures: ["arm64_mac"] } };
        assert.deepStrictEqual(fieldsOf(checkAgainstAws(VALID, mac)), ["instanceType"]);
        assert.deepStrictEqual(checkAgainstAws({ ...VALID, ami: "ami-0123456789abcdef0" }, mac), []);
    });
});

describe("inbound rules against the rules-per-group quota", () => {
    const rule = (source: Record<string, string>, port: number) => ({ protocol: "tcp" as const, fromPort: port, toPort: port, ...source });
    const rules = (count: number, source: Record<string, string>) => Array.from({ length: count }, (_, i) => rule(source, 1000 + i));

    it("counts IPv4 and IPv6 rules apart, and a group or prefix-list source in both", () => {
        const list = [...rules(3, { cidrIpv4: "10.0.0.0/8" }), ...rules(2, { cidrIpv6: "2001:db8::/32" }), rule({ sourceSecurityGroupId: "sg-01234567" }, 1), rule({ prefixListId: "pl-01234567" }, 2)];
        assert.deepStrictEqual(inboundRuleCounts(list), { ipv4: 5, ipv6: 4 });
    });

    it("weighs a looked-up prefix list as its maximum entries, in its own family (VPC User Guide, Security group size)", () => {
        const lists = new Map([
            ["pl-0000000000000004a", { maxEntries: 55, addressFamily: "IPv4" }],
            ["pl-0000000000000006a", { maxEntries: 20, addressFamily: "IPv6" }],
        ]);
        const list = [rule({ prefixListId: "pl-0000000000000004a" }, 443), rule({ prefixListId: "pl-0000000000000004a" }, 80), rule({ prefixListId: "pl-0000000000000006a" }, 443), rule({ cidrIpv4: "10.0.0.0/8" }, 22)];
        assert.deepStrictEqual(inboundRuleCounts(list, lists), { ipv4: 111, ipv6: 20 });
        assert.strictEqual(needsRulesQuota({ ...VALID, instanceIngress: list }, lists), true);
        assert.strictEqual(needsRulesQuota({ ...VALID, instanceIngress: list }), false);
    });

    it("reads the quota only when a group has more rules of one family than AWS's default of 60", () => {
        assert.strictEqual(needsRulesQuota({ ...VALID, instanceIngress: rules(60, { cidrIpv4: "10.0.0.0/8" }), networkInterfaceIngress: rules(60, { cidrIpv6: "2001:db8::/32" }) }), false);
        assert.strictEqual(needsRulesQuota({ ...VALID, networkInterfaceIngress: rules(61, { cidrIpv6: "2001:db8::/32" }) }), true);
    });

    it("refuses a group beyond a raised quota, per family, and says when the default stood in for an unreadable one", () => {
        const args = { ...VALID, networkInterfaceIngress: [...rules(101, { cidrIpv4: "10.0.0.0/8" }), ...rules(100, { cidrIpv6: "2001:db8::/32" })] };
        const raised = checkRulesQuota(args, { value: 100 });
        assert.deepStrictEqual(fieldsOf(raised), ["networkInterfaceIngress"]);
        assert.match(raised[0].reason, /^gives one security group 101 IPv4 inbound rules, but the account's quota "Inbound or outbound rules per security group" \(L-0EA8095F\) is 100;/);
        const unreadable = checkRulesQuota(args, { unreadable: "getting Default Service Quota for (vpc/L-0EA8095F): AccessDeniedException" });
        assert.deepStrictEqual(unreadable.map((p) => p.reason.split(" inbound")[0]), ["gives one security group 101 IPv4", "gives one security group 100 IPv6"]);
        assert.match(unreadable[0].reason, /AWS's default quota .* is 60; the account's own value could not be read through Service Quotas \(getting Default Service Quota/);
    });
});

describe("messages quote long values shortened", () => {
    it("shows a value of up to 120 characters whole, a longer one by its start, its end and its length", () => {
        const long = "x".repeat(20_000);
        const line = describeProblems([{ field: "userData", value: long, reason: "is too long" }], (field) => field);
        assert.ok(line.length < 300, `${line.length} characters`);
        assert.match(line, /^ {2}- userData = "x{79}…x{23}" \(20002 characters\): is too long$/);
        assert.strictEqual(describeProblems([{ field: "userData", value: "y".repeat(118), reason: "r" }], (field) => field), `  - userData = "${"y".repeat(118)}": r`);
    });
});

describe("regionOfAvailabilityZone", () => {
    const cases: [string, string | undefined][] = [
        ["ap-south-1a", "ap-south-1"],
        ["us-gov-west-1b", "us-gov-west-1"],
        ["us-west-2-lax-1a", "us-west-2"],
        ["eusc-de-east-1a", "eusc-de-east-1"],
        ["us-isob-east-1a", "us-isob-east-1"],
        ["eu-isoe-west-1c", "eu-isoe-west-1"],
        ["cn-northwest-1b", "cn-northwest-1"],
        ["xx-south-1a", undefined],
        ["ap-south-1", undefined],
        ["AP-SOUTH-1A", undefined],
        ["apsouth1a", undefined],
    ];
    for (const [zone, region] of cases) {
        it(`${zone} → ${region}`, () => assert.strictEqual(regionOfAvailabilityZone(zone), region));
    }
});

describe("amiArchitecture", () => {
    it("prefers x86_64, falls back to arm64, and has none for Mac types", () => {
        assert.deepStrictEqual(
            [["i386", "x86_64"], ["arm64"], ["arm64_mac"]].map(amiArchitecture),
            ["x86_64", "arm64", undefined],
        );
    });
});
