/**
 * Every invalid configuration, run three ways: the component with plain args (refused synchronously
 * where possible), the component with Output args (refused when they resolve), and the stack program
 * with the value in its stack config (errors name the config key). None may register an AWS resource.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { DualSubnetEniInstance, DualSubnetEniInstanceArgs, IngressRuleArgs, ValidatedField } from "../components";
import { formatValue } from "../components/rules/messages";
import { instanceTypeFacts } from "../components/instanceTypes";
import { MockOptions } from "../components/testing";
import { dualSubnetEniStack } from "../stacks/program";
import { declarationOf } from "../tools/configDeclarations";
import { loadStackConfig, readProjectFile } from "../tools/stackFiles";
import { EXISTING_ARGS, EXISTING_SUBNETS, mocksOfCase, OTHER_VPC, SEED_ARGS, SEED_CONFIG } from "./support/fixtures";
import { awsResources, PROJECT, useMocks, validationErrorOf } from "./support/helpers";

interface InvalidCase {
    readonly title: string;
    readonly field: ValidatedField;
    /** Where inside the arg the problem is (`[0].toPort`, `["aws:owner"]`); absent for the arg as a whole. */
    readonly path?: string;
    /** The bad value of the arg; undefined means the setting is missing. */
    readonly value: unknown;
    /** How the message shows the offending value; default: the value, formatted as the messages format it. */
    readonly shown?: string;
    /** A fragment the reason must contain. */
    readonly reason: RegExp;
    readonly mocks?: MockOptions;
    /** Other args (and config keys) the case needs. */
    readonly extra?: Partial<DualSubnetEniInstanceArgs>;
    /**
     * No stack-program variant: the field is no config key (the component's own name), JSON config cannot hold the value
     * (NaN), or the case needs an existing network (the stack program builds a new one).
     */
    readonly componentOnly?: boolean;
    /** On EXISTING_ARGS' network instead of the seed's new one (its two subnets are mocked unless `mocks` lists subnets). */
    readonly existing?: boolean;
}

const single1Eni: MockOptions = {
    instanceTypes: { "x9.single": { maximumNetworkInterfaces: 1, maximumIpv4AddressesPerInterface: 4, supportedArchitectures: ["x86_64"] } },
};
const soldNowhere: MockOptions = { instanceTypes: { "i4i.large": { ...instanceTypeFacts("i4i.large")!, zoneSuffixes: [] } } };
const onlyInZoneB: MockOptions = {
    instanceTypes: { "c7i.large": { maximumNetworkInterfaces: 3, maximumIpv4AddressesPerInterface: 10, supportedArchitectures: ["x86_64"], zoneSuffixes: ["b"] } },
};

/** Synthetic types for rules no listed type breaks today. */
const macLike: MockOptions = { instanceTypes: { "x9.mac": { maximumNetworkInterfaces: 8, maximumIpv4AddressesPerInterface: 30, supportedArchitectures: ["arm64_mac"] } } };
const capacityBlockOnly: MockOptions = { instanceTypes: { "p5e.48xlarge": { ...instanceTypeFacts("p5.48xlarge")!, supportedUsagesClasses: ["capacity-block"] } } };
const oneOnCard0: MockOptions = {
    instanceTypes: {
        "x9.cards": {
            maximumNetworkInterfaces: 4,
            maximumIpv4AddressesPerInterface: 10,
            supportedArchitectures: ["x86_64"],
            networkCards: [
                { index: 0, maximumInterfaces: 1 },
                { index: 1, maximumInterfaces: 3 },
            ],
        },
    },
};

const X86_AMI = "ami-0aaaaaaaaaaaaaaa1";
const UEFI_AMI = "ami-0aaaaaaaaaaaaaaa3";
const NO_ENA_AMI = "ami-0aaaaaaaaaaaaaaa4";
const ARM_AMI = "ami-0bbbbbbbbbbbbbbb2";
const PENDING_AMI = "ami-0dddddddddddddddd";
const INSTANCE_STORE_AMI = "ami-0eeeeeeeeeeeeeeee";
const LARGE_ROOT_AMI = "ami-0fffffffffffffff0";
const WINDOWS_AMI = "ami-0aaaaaaaaaaaaaaa5";
const IMAGES: MockOptions = {
    amis: {
        [X86_AMI]: { architecture: "x86_64" },
        [ARM_AMI]: { architecture: "arm64" },
        [PENDING_AMI]: { architecture: "x86_64", state: "pending" },
        [INSTANCE_STORE_AMI]: { architecture: "x86_64", rootDeviceType: "instance-store" },
        [LARGE_ROOT_AMI]: { architecture: "x86_64", rootSnapshotSizeGiB: 30 },
        [UEFI_AMI]: { architecture: "x86_64", bootMode: "uefi" },
        [NO_ENA_AMI]: { architecture: "x86_64", enaSupport: false },
        [WINDOWS_AMI]: { architecture: "x86_64", platform: "windows" },
    },
    ssmParameters: { "/team/ami/web": X86_AMI },
};
/** Base64 (which the AWS provider passes through) of bytes that are no UTF-8 text. */
const NOT_TEXT_BASE64 = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x81, 0x82]).toString("base64");
const PREFIX_LIST = "pl-0aaaaaaaaaaaaaaa1";
const OTHER_GROUP = "sg-0ccccccccccccccc1";
const PEER_ACCOUNT = "210987654321";
const WAVELENGTH_ZONE = "us-east-1-wl1-bos-wlz-1";
const WAVELENGTH: MockOptions = { region: "us-east-1", zoneSuffixes: ["a", "b", "-wl1-bos-wlz-1"] };
/** The secondary subnet as a /28 whose 11 usable addresses other interfaces hold but two. */
const NEARLY_FULL: MockOptions = {
    existingSubnets: [EXISTING_SUBNETS.primary, { ...EXISTING_SUBNETS.secondary, cidrBlock: "172.16.1.0/28" }],
    networkInterfaces: [{ id: "eni-0bbbbbbbbbbbbbbb1", subnetId: EXISTING_SUBNETS.secondary.id, privateIps: Array.from({ length: 9 }, (_, i) => `172.16.1.${4 + i}`) }],
};
const MANY_TAGS = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v"]));
const https = (change: Record<string, unknown> = {}) => ({ protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/8", ...change });
/** `count` distinct inbound rules from 10.0.0.0/8, one port each. */
const manyRules = (count: number) => Array.from({ length: count }, (_, i) => https({ fromPort: 1000 + i, toPort: 1000 + i }));
/** Every IPv4 address but 10.0.0.0/8, in eight blocks: the internet, less one private range. */
const ALL_BUT_TEN = ["0.0.0.0/5", "8.0.0.0/7", "11.0.0.0/8", "12.0.0.0/6", "16.0.0.0/4", "32.0.0.0/3", "64.0.0.0/2", "128.0.0.0/1"];

const CASES: InvalidCase[] = [
    { title: "VPC CIDR with host bits", field: "vpcCidrBlock", value: "10.0.0.5/20", reason: /canonical "10\.0\.0\.0\/20"/ },
    { title: "VPC CIDR without a prefix", field: "vpcCidrBlock", value: "10.0.0.0", reason: /not an IPv4 CIDR/ },
    { title: "VPC CIDR with an octet over 255", field: "vpcCidrBlock", value: "300.0.0.0/16", reason: /not an IPv4 CIDR/ },
    { title: "VPC larger than /16", field: "vpcCidrBlock", value: "10.0.0.0/8", reason: /prefix \/8; AWS allows VPC prefixes from \/16 to \/28/ },
    { title: "VPC smaller than /28", field: "vpcCidrBlock", value: "10.0.0.0/29", reason: /prefix \/29/ },
    { title: "missing VPC CIDR", field: "vpcCidrBlock", value: undefined, reason: /is required/ },
    { title: "primary subnet outside the VPC", field: "primarySubnetCidrBlock", value: "10.0.16.0/24", reason: /not inside vpcCidrBlock 10\.0\.0\.0\/20/ },
    { title: "primary subnet smaller than /28", field: "primarySubnetCidrBlock", value: "10.0.0.0/29", reason: /subnet prefixes from \/16 to \/28/ },
    { title: "secondary subnet outside the VPC", field: "secondarySubnetCidrBlock", value: "192.168.1.0/24", reason: /not inside vpcCidrBlock/ },
    { title: "secondary subnet equal to the primary", field: "secondarySubnetCidrBlock", value: "10.0.0.0/24", reason: /same block as primarySubnetCidrBlock/ },
    { title: "secondary subnet overlapping the primary", field: "secondarySubnetCidrBlock", value: "10.0.0.128/25", reason: /overlaps primarySubnetCidrBlock 10\.0\.0\.0\/24/ },
    { title: "secondary subnet with host bits", field: "secondarySubnetCidrBlock", value: "10.0.1.1/24", reason: /canonical "10\.0\.1\.0\/24"/ },
    { title: "a region instead of a zone", field: "availabilityZone", value: "ap-south-1", reason: /not an availability zone name/ },
    { title: "an upper-case zone", field: "availabilityZone", value: "AP-SOUTH-1A", reason: /not an availability zone name/ },
    { title: "a zone of another region", field: "availabilityZone", value: "eu-west-1a", reason: /region eu-west-1, but the AWS provider's region is ap-south-1/ },
    { title: "a zone the region does not have", field: "availabilityZone", value: "ap-south-1z", reason: /not an available zone of ap-south-1/ },
    { title: "a malformed instance type", field: "instanceType", value: "t3micro", reason: /not an instance type name/ },
    { title: "an instance type AWS does not sell", field: "instanceType", value: "z9.huge", reason: /: is not an EC2 instance type AWS lists \(check the spelling, e\.g\. t3\.micro\)$/ },
    { title: "a misspelt instance type", field: "instanceType", value: "m5.larg", reason: /: is not an EC2 instance type AWS lists; did you mean m5\.large\?$/ },
    { title: "a real instance type the region does not sell", field: "instanceType", value: "i4i.large", reason: /: is not offered in region ap-south-1$/, mocks: soldNowhere },
    { title: "an instance type with one network interface", field: "instanceType", value: "x9.single", reason: /at least 2/, mocks: single1Eni },
    { title: "an instance type not offered in the zone", field: "instanceType", value: "c7i.large", reason: /not offered in ap-south-1a \(offered in: ap-south-1b\)/, mocks: onlyInZoneB },
    { title: "a type with no Amazon Linux architecture and no AMI", field: "instanceType", value: "x9.mac", reason: /runs arm64_mac, for which there is no Amazon Linux 2023 image; set ami/, mocks: macLike },
    { title: "a Mac type (Dedicated Host only)", field: "instanceType", value: "mac2.metal", reason: /launches only on a Dedicated Host/ },
    { title: "an Intel Mac type with an AMI (Dedicated Host only)", field: "instanceType", value: "mac1.metal", extra: { ami: X86_AMI }, reason: /launches only on a Dedicated Host/, mocks: IMAGES },
    { title: "a High Memory metal type (Dedicated Host only)", field: "instanceType", value: "u-6tb1.metal", reason: /launches only on a Dedicated Host/ },
    { title: "a type sold only as Capacity Blocks", field: "instanceType", value: "p5e.48xlarge", reason: /is sold only as capacity-block \(getInstanceType supportedUsagesClasses\); the component launches on-demand instances/, mocks: capacityBlockOnly },
    { title: "a type whose network card 0 takes one interface", field: "instanceType", value: "x9.cards", reason: /takes 1 network interface on network card 0 \(4 across 2 network cards\); the ENI attaches there/, mocks: oneOnCard0 },
    { title: "a zone without Session Manager's endpoint service, with ssmAccess", field: "availabilityZone", value: "ap-south-1a", extra: { ssmAccess: true }, reason: /has no com\.amazonaws\.ap-south-1\.ssm endpoint service \(offered in: ap-south-1b, ap-south-1c\), which ssmAccess needs/, mocks: { endpointServiceZoneSuffixes: { ssm: ["b", "c"] } } },
    // Subnet capacity of a new network.
    { title: "a /28 ENI subnet too small for the ENI's addresses", field: "secondarySubnetCidrBlock", value: "10.0.1.0/28", extra: { instanceType: "m5.xlarge", networkInterfaceSecondaryPrivateIpCount: 11 }, reason: /has 11 usable addresses \(16 minus the 5 AWS reserves\), but the component's interfaces take 12 there \(the ENI 12\).*InsufficientFreeAddressesInSubnet/ },
    {
        title: "a /28 instance subnet too small for instance, standby and Session Manager endpoints",
        field: "primarySubnetCidrBlock",
        value: "10.0.0.0/28",
        extra: { instanceType: "m5.large", ssmAccess: true, standbyInstance: true, instanceSecondaryPrivateIps: ["10.0.0.5", "10.0.0.6", "10.0.0.7", "10.0.0.8", "10.0.0.9", "10.0.0.10", "10.0.0.11"] },
        reason: /has 11 usable addresses .* take 12 there \(the instance 8, the standby 1, the Session Manager endpoints 3\)/,
    },
    { title: "a malformed AMI", field: "ami", value: "ubuntu-22.04", reason: /not an AMI id/ },
    { title: "an instance IP outside its subnet", field: "instancePrivateIp", value: "10.0.1.10", reason: /not inside the primary subnet 10\.0\.0\.0\/24/ },
    { title: "an instance IP AWS reserves (router)", field: "instancePrivateIp", value: "10.0.0.1", reason: /reserves in 10\.0\.0\.0\/24/ },
    { title: "an ENI IP AWS reserves (broadcast)", field: "networkInterfacePrivateIp", value: "10.0.1.255", reason: /reserves/ },
    { title: "an ENI IP that is no address", field: "networkInterfacePrivateIp", value: "10.0.1.300", reason: /not an IPv4 address/ },
    { title: "more ENI addresses than t3.micro allows", field: "networkInterfaceSecondaryPrivateIpCount", value: 2, reason: /asks for 3 IPv4 addresses .* allows 2 per interface/ },
    { title: "a negative secondary IP count", field: "networkInterfaceSecondaryPrivateIpCount", value: -1, reason: /whole number/ },
    { title: "a name prefix too long for AWS", field: "namePrefix", value: "n".repeat(201), reason: /201 characters long/ },

    // The image against the instance type (aws.ec2.getAmi).
    { title: "an x86_64 AMI on a Graviton type", field: "ami", value: X86_AMI, extra: { instanceType: "t4g.micro" }, reason: /is an x86_64 image, but t4g\.micro runs arm64$/, mocks: IMAGES },
    { title: "an arm64 AMI on an x86 type", field: "ami", value: ARM_AMI, extra: { instanceType: "m5.large" }, reason: /is an arm64 image, but m5\.large runs x86_64$/, mocks: IMAGES },
    { title: "a UEFI-only AMI on t2.micro (legacy BIOS only)", field: "ami", value: UEFI_AMI, extra: { instanceType: "t2.micro" }, reason: /boots only with uefi \(bootMode\), but t2\.micro supports legacy-bios; AWS refuses the launch with InvalidParameterValue/, mocks: IMAGES },
    { title: "an AMI without ENA on a type that requires ENA", field: "ami", value: NO_ENA_AMI, reason: /has no ENA support \(enaSupport false\), but t3\.micro requires ENA/, mocks: IMAGES },
    { title: "an AMI that does not exist", field: "ami", value: "ami-0cccccccccccccccc", reason: /does not exist in the AWS provider's region/, mocks: IMAGES },
    { title: "an AMI that is not available yet", field: "ami", value: PENDING_AMI, reason: /is pending; AWS launches only available images/, mocks: IMAGES },
    { title: "an instance-store AMI", field: "ami", value: INSTANCE_STORE_AMI, reason: /instance-store root device; the encrypted gp3 root volume needs an EBS-backed image/, mocks: IMAGES },
    { title: "an SSM parameter that does not exist", field: "ami", value: "resolve:ssm:/team/ami/missing", reason: /names SSM parameter \/team\/ami\/missing, which does not exist/, mocks: IMAGES },
    { title: "an SSM parameter naming an x86_64 image on Graviton", field: "ami", value: "resolve:ssm:/team/ami/web", extra: { instanceType: "t4g.small" }, reason: /is an x86_64 image, but t4g\.small runs arm64/, mocks: IMAGES },
    { title: "a root volume smaller than the image's snapshot", field: "rootVolumeSizeGiB", value: 20, extra: { ami: LARGE_ROOT_AMI }, reason: /smaller than the image's root snapshot \(30 GiB\)/, mocks: IMAGES },
    { title: "a root volume smaller than Amazon Linux's 8 GiB", field: "rootVolumeSizeGiB", value: 4, reason: /smaller than the default Amazon Linux 2023 image's root snapshot \(8 GiB\)/ },
    // Strings against every AWS field they reach.
    { title: "a name prefix with a character security groups refuse", field: "namePrefix", value: "café", reason: /contains "é", which AWS refuses in the security groups' descriptions/ },
    { title: "a name prefix with an apostrophe", field: "namePrefix", value: "bob's-box", reason: /contains "'", which AWS refuses in the security groups' descriptions/ },
    { title: "a name prefix IAM tags refuse, with SSM access", field: "namePrefix", value: "team#1", extra: { ssmAccess: true }, reason: /contains "#", which AWS refuses in IAM tags .*SSM role's Name tag/ },
    { title: "a component name that makes group names start with sg-", field: "name", value: "sg-web", reason: /start with "sg-", which AWS reserves/, componentOnly: true },
    { title: "a component name with a character group names refuse", field: "name", value: "wéb", reason: /contains "é", which AWS refuses in the security group name/, componentOnly: true },
    { title: "a component name too long for an IAM role name, with SSM access", field: "name", value: "n".repeat(50), extra: { ssmAccess: true }, reason: /the IAM role name .* 67 characters long; AWS allows 64/, componentOnly: true },
    // Tags.
    { title: "a tag key with AWS's reserved prefix", field: "tags", path: '["aws:owner"]', value: { "aws:owner": "me" }, reason: /key starting with "aws:", a prefix AWS reserves/ },
    { title: "a tag key with AWS's reserved prefix in upper case", field: "tags", path: '["AWS:Team"]', value: { "AWS:Team": "net" }, reason: /prefix AWS reserves/ },
    { title: "a tag key over 128 characters", field: "tags", path: `["${"k".repeat(129)}"]`, value: { ["k".repeat(129)]: "v" }, reason: /key of 129 characters; AWS allows 1 to 128/ },
    { title: "a tag value over 256 characters", field: "tags", path: '["Team"]', value: { Team: "v".repeat(257) }, reason: /value of 257 characters; AWS allows at most 256/ },
    { title: "more than 50 tags with the Name tag", field: "tags", value: MANY_TAGS, shown: '{"k0":"v"', reason: /tags with its Name tag; AWS allows 50 per resource/ },
    // Numbers as given.
    { title: "a secondary IP count of NaN", field: "networkInterfaceSecondaryPrivateIpCount", value: Number.NaN, reason: /must be a whole number, 0 or more/ },
    { title: "a secondary IP count of Infinity", field: "networkInterfaceSecondaryPrivateIpCount", value: Number.POSITIVE_INFINITY, reason: /must be a whole number, 0 or more/ },
    { title: "a root volume of NaN GiB", field: "rootVolumeSizeGiB", value: Number.NaN, reason: /whole number of GiB from 1 to 16384/ },
    { title: "a root volume of 1.5 GiB", field: "rootVolumeSizeGiB", value: 1.5, reason: /whole number of GiB from 1 to 16384/ },
    { title: "a root volume beyond gp3's 16 TiB", field: "rootVolumeSizeGiB", value: 20000, reason: /from 1 to 16384 \(gp3's limits\)/ },
    // Inbound rules.
    { title: "an inbound port beyond 65535", field: "instanceIngress", path: "[0].toPort", value: [https({ toPort: 70000 })], reason: /must be a port from 0 to 65535/ },
    { title: "an inbound port of NaN (JSON config cannot hold it)", field: "instanceIngress", path: "[0].fromPort", value: [https({ fromPort: Number.NaN })], reason: /must be a port from 0 to 65535/, componentOnly: true },
    { title: "an inbound range that runs backwards", field: "instanceIngress", path: "[0].toPort", value: [https({ fromPort: 443, toPort: 80 })], reason: /is below fromPort 443/ },
    { title: "an inbound IPv4 source with host bits", field: "instanceIngress", path: "[0].cidrIpv4", value: [https({ cidrIpv4: "10.0.0.5/8" })], reason: /host bits set; use the canonical "10\.0\.0\.0\/8"/ },
    { title: "a malformed inbound IPv6 source", field: "networkInterfaceIngress", path: "[0].cidrIpv6", value: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "2001:db8::/129" }], reason: /not an IPv6 CIDR/ },
    { title: "an inbound rule with two sources", field: "instanceIngress", path: "[0]", value: [https({ sourceSecurityGroupId: "sg-0123456789abcdef0" })], reason: /has cidrIpv4 and sourceSecurityGroupId; AWS takes exactly one source/ },
    { title: "an inbound rule with no source", field: "instanceIngress", path: "[0]", value: [{ protocol: "tcp", fromPort: 443, toPort: 443 }], reason: /needs one source/ },
    { title: "an unknown protocol", field: "instanceIngress", path: "[0].protocol", value: [https({ protocol: "tcpp" })], reason: /must be one of tcp, udp, icmp, icmpv6, all, or an IP protocol number from 0 to 255/ },
    { title: "a protocol number beyond 255", field: "instanceIngress", path: "[0].protocol", value: [{ protocol: 256, cidrIpv4: "10.0.0.0/8" }], reason: /or an IP protocol number from 0 to 255/ },
    { title: "ports on a protocol number that has none (ESP)", field: "instanceIngress", path: "[0].fromPort", value: [{ protocol: 50, fromPort: 500, toPort: 500, cidrIpv4: "10.0.0.0/8" }], reason: /narrows protocol 50, which AWS applies to every port anyway/ },
    { title: "ICMPv4 from an IPv6 source", field: "instanceIngress", path: "[0].protocol", value: [{ protocol: "icmp", fromPort: -1, toPort: -1, cidrIpv6: "::/0" }], reason: /is icmp \(ICMPv4, IP protocol 1\), which never arrives from an IPv6 source \(cidrIpv6\); use icmpv6/ },
    { title: "an IPv6 source on the new network (no IPv6)", field: "networkInterfaceIngress", path: "[0].cidrIpv6", value: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "2001:db8::/32" }], reason: /the new VPC has no IPv6 CIDR block: no IPv6 packet ever reaches this group/ },
    { title: "SSH open to the internet in two halves", field: "instanceIngress", path: "[1]", value: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/1" }, { protocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "128.0.0.0/1" }], reason: /with rules \[0\], \[1\] together opens port 22 \(SSH\) to the whole internet \(0\.0\.0\.0\/1, 128\.0\.0\.0\/1\)/ },
    { title: "RDP open to every public address (all but 10.0.0.0/8)", field: "instanceIngress", path: "[7]", value: ALL_BUT_TEN.map((cidrIpv4) => ({ protocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv4 })), reason: /with rules \[0\], .*\[7\] together opens port 3389 \(RDP\) to the whole internet/ },
    { title: "RDP over UDP open to the internet", field: "networkInterfaceIngress", path: "[0]", value: [{ protocol: "udp", fromPort: 3389, toPort: 3389, cidrIpv4: "0.0.0.0/0" }], reason: /opens port 3389 \(RDP\) to the whole internet \(0\.0\.0\.0\/0\)/ },
    // The account's quota of inbound rules per security group (Service Quotas L-0EA8095F).
    { title: "more inbound rules than the account's quota", field: "instanceIngress", value: manyRules(61), shown: '[{"protocol":"tcp","fromPort":1000', reason: /gives one security group 61 IPv4 inbound rules, but the account's quota "Inbound or outbound rules per security group" \(L-0EA8095F\) is 60; AWS would refuse the rest with RulesPerSecurityGroupLimitExceeded/ },
    { title: "more inbound rules than AWS's default, the quota unreadable", field: "instanceIngress", value: manyRules(61), shown: '[{"protocol":"tcp","fromPort":1000', reason: /AWS's default quota .* is 60; the account's own value could not be read through Service Quotas \(.*getting Default Service Quota for \(vpc\/L-0EA8095F\).*AccessDeniedException.*\), so the default applies/, mocks: { rulesPerSecurityGroupQuota: "denied" } },
    { title: "SSH open to the internet", field: "instanceIngress", path: "[0]", value: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" }], reason: /opens port 22 \(SSH\) to the whole internet \(0\.0\.0\.0\/0\).*allowFromAnywhere/ },
    { title: "every protocol open to the internet", field: "instanceIngress", path: "[0]", value: [{ protocol: "all", cidrIpv4: "0.0.0.0/0" }], reason: /opens port 22 \(SSH\) and 3389 \(RDP\)/ },
    { title: "a duplicate inbound rule", field: "instanceIngress", path: "[1]", value: [https(), https({ description: "again" })], reason: /duplicates rule \[0\].*AWS refuses duplicate rules/ },
    { title: "an ICMP rule for every type with one code", field: "instanceIngress", path: "[0].toPort", value: [{ protocol: "icmp", fromPort: -1, toPort: 3, cidrIpv4: "10.0.0.0/8" }], reason: /must be -1 when fromPort \(the ICMP type\) is -1/ },
    { title: "a malformed source security group", field: "instanceIngress", path: "[0].sourceSecurityGroupId", value: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, sourceSecurityGroupId: "sg-xyz" }], reason: /not a security group id/ },
    { title: "a rule description AWS refuses", field: "instanceIngress", path: "[0].description", value: [https({ description: "café" })], reason: /contains "é", which AWS refuses in a security-group rule's description/ },
    { title: "a misspelt rule field", field: "instanceIngress", path: "[0].port", value: [https({ port: 443 })], reason: /is not a rule field/ },
    { title: "rules that are not a list", field: "instanceIngress", value: "tcp:443", reason: /must be a list of rules/ },
    // Fixed secondary IPs.
    { title: "an instance secondary IP outside its subnet", field: "instanceSecondaryPrivateIps", path: "[0]", value: ["10.0.1.5"], reason: /not inside the primary subnet 10\.0\.0\.0\/24/ },
    { title: "an instance secondary IP AWS reserves", field: "instanceSecondaryPrivateIps", path: "[0]", value: ["10.0.0.3"], reason: /reserves in 10\.0\.0\.0\/24/ },
    { title: "an instance secondary IP equal to its primary", field: "instanceSecondaryPrivateIps", path: "[0]", value: ["10.0.0.10"], extra: { instancePrivateIp: "10.0.0.10" }, reason: /already used by instancePrivateIp; every fixed private IP must be distinct/ },
    { title: "more instance addresses than t3.micro allows", field: "instanceSecondaryPrivateIps", value: ["10.0.0.10", "10.0.0.11"], reason: /asks for 3 IPv4 addresses on the instance's primary interface .* allows 2 per interface/ },
    { title: "ENI secondary IPs without a fixed primary", field: "networkInterfaceSecondaryPrivateIps", value: ["10.0.1.11"], reason: /needs networkInterfacePrivateIp/ },
    { title: "ENI secondary IPs and a count", field: "networkInterfaceSecondaryPrivateIps", value: ["10.0.1.11"], extra: { networkInterfacePrivateIp: "10.0.1.10", networkInterfaceSecondaryPrivateIpCount: 1 }, reason: /cannot be combined with networkInterfaceSecondaryPrivateIpCount/ },
    { title: "an ENI secondary IP given twice", field: "networkInterfaceSecondaryPrivateIps", path: "[1]", value: ["10.0.1.11", "10.0.1.11"], extra: { networkInterfacePrivateIp: "10.0.1.10", instanceType: "t3.small" }, reason: /already used by networkInterfaceSecondaryPrivateIps\[0\]/ },
    { title: "an ENI secondary IP that is no address", field: "networkInterfaceSecondaryPrivateIps", path: "[0]", value: ["10.0.1.x"], extra: { networkInterfacePrivateIp: "10.0.1.10" }, reason: /not an IPv4 address/ },
    // Switches.
    { title: "a source/dest check that is no boolean", field: "instanceSourceDestCheck", value: "no", reason: /must be true or false/ },
    { title: "an unknown public interface", field: "publicInterface", value: "public", reason: /must be one of none, instance, networkInterface/ },
    { title: "SSM access that is no boolean", field: "ssmAccess", value: "yes", reason: /must be true or false/ },
    { title: "SSM access together with an instance profile", field: "ssmAccess", value: true, extra: { iamInstanceProfile: "web" }, reason: /cannot be combined with iamInstanceProfile/, mocks: { instanceProfiles: ["web"] } },
    { title: "a standby flag that is no boolean", field: "standbyInstance", value: "yes", reason: /must be true or false/ },
    { title: "the standby active without a standby", field: "activeInstance", value: "standby", reason: /there is no standby instance to attach the ENI to/ },
    { title: "an unknown active instance", field: "activeInstance", value: "secondary", reason: /must be one of primary, standby/ },
    { title: "automatic failover without a standby", field: "automaticFailover", value: true, extra: { failoverHealthCheckPort: 22 }, reason: /is true, but standbyInstance is not set: there is no standby instance to move the ENI to; set standbyInstance: true too/ },
    { title: "automatic failover that is no boolean", field: "automaticFailover", value: "yes", reason: /must be true or false/ },
    { title: "automatic failover without a health-check port", field: "failoverHealthCheckPort", value: undefined, extra: { standbyInstance: true, automaticFailover: true }, reason: /is required with automaticFailover/ },
    { title: "a health-check port beyond 65535", field: "failoverHealthCheckPort", value: 70000, extra: { standbyInstance: true, automaticFailover: true }, reason: /must be a TCP port from 1 to 65535/ },
    { title: "a health-check port without automatic failover", field: "failoverHealthCheckPort", value: 22, reason: /is set, but automaticFailover is not: nothing would check it/ },
    // Operating the instance.
    { title: "a key pair that does not exist", field: "keyName", value: "missing-key", reason: /is not a key pair in the AWS provider's region/, mocks: { keyPairs: ["ops"] } },
    { title: "a key pair name that is not ASCII", field: "keyName", value: "clé", reason: /1 to 255 printable ASCII characters/ },
    { title: "a blank key pair name", field: "keyName", value: "   ", reason: /: is blank \(only white space\)$/ },
    { title: "a blank availability zone", field: "availabilityZone", value: " ", reason: /: is blank \(only white space\)$/ },
    { title: "user data over 16 KB", field: "userData", value: "é".repeat(8193), reason: /is 16386 bytes; AWS takes at most 16384 bytes/ },
    { title: "an instance profile that does not exist", field: "iamInstanceProfile", value: "missing-profile", reason: /is not an instance profile of this account/, mocks: { instanceProfiles: ["web"] } },
    { title: "an instance profile name IAM refuses", field: "iamInstanceProfile", value: "web profile", reason: /contains " ", which AWS refuses in an instance profile name/ },
    // Dual stack and prefix delegation.
    { title: "IPv6 on a type without it (m3.large)", field: "instanceType", value: "m3.large", extra: { ipv6: true }, reason: /has no IPv6 \(getInstanceType ipv6Supported false\), but ipv6 is on/ },
    { title: "more IPv6 addresses on the ENI than t3.micro allows", field: "networkInterfaceIpv6AddressCount", value: 3, extra: { ipv6: true }, reason: /asks for 3 IPv6 addresses on the ENI, but t3\.micro allows 2 per interface \(getInstanceType maximumIpv6AddressesPerInterface\)$/ },
    { title: "more IPv6 addresses on the instance than t3.micro allows", field: "instanceIpv6AddressCount", value: 3, extra: { ipv6: true }, reason: /asks for 3 IPv6 addresses on the instance's primary interface, but t3\.micro allows 2 per interface/ },
    { title: "more IPv6 prefixes than t3.micro's IPv6 slots", field: "networkInterfaceIpv6PrefixCount", value: 3, extra: { ipv6: true }, reason: /asks for 3 IPv6 slots on the ENI \(0 addresses \+ 3 \/80 prefixes; each prefix counts as one address\), but t3\.micro allows 2/ },
    {
        title: "ipv6 on existing subnets without IPv6 blocks",
        field: "existingNetwork.secondarySubnetId",
        value: EXISTING_SUBNETS.secondary.id,
        extra: { ipv6: true },
        reason: /has no IPv6 CIDR block, but ipv6 is on; associate a \/64 of the VPC's IPv6 block with it first/,
        existing: true,
        componentOnly: true,
        mocks: { existingSubnets: [{ ...EXISTING_SUBNETS.primary, ipv6CidrBlock: "2600:1f18:47b:ab00::/64" }, EXISTING_SUBNETS.secondary] },
    },
    { title: "ipv6 on a new network in a Local Zone (the VPC's /56 is the region's)", field: "ipv6", value: true, extra: { availabilityZone: "us-west-2-lax-1a" }, reason: /is true, but us-west-2-lax-1a is a Local Zone \(getAvailabilityZone zoneType local-zone, network border group us-west-2-lax-1\): the new VPC's Amazon \/56 is advertised from the region, and AWS gives a subnet there no \/64 of it \(InvalidSubnet\.Range\)/, mocks: { region: "us-west-2", zoneSuffixes: ["a", "b", "-lax-1a"] } },
    { title: "ipv6 on a new network in a Wavelength Zone", field: "ipv6", value: true, extra: { availabilityZone: WAVELENGTH_ZONE }, reason: /is true, but us-east-1-wl1-bos-wlz-1 is a Wavelength Zone \(getAvailabilityZone zoneType wavelength-zone/, mocks: WAVELENGTH },
    { title: "IPv4 prefixes on a Xen type (m4.large)", field: "networkInterfaceIpv4PrefixCount", value: 1, extra: { instanceType: "m4.large" }, reason: /asks for prefixes, but m4\.large runs on the xen hypervisor \(getInstanceType hypervisor\); AWS delegates prefixes only to Nitro-based instances/ },
    { title: "IPv6 prefixes on a Xen type (c4.large)", field: "networkInterfaceIpv6PrefixCount", value: 1, extra: { ipv6: true, instanceType: "c4.large" }, reason: /runs on the xen hypervisor/ },
    { title: "IPv4 prefixes plus secondaries beyond t3.micro's slots", field: "networkInterfaceIpv4PrefixCount", value: 1, extra: { networkInterfaceSecondaryPrivateIpCount: 1 }, reason: /asks for 3 IPv4 slots on the ENI \(1 primary \+ 1 secondary \+ 1 \/28 prefix; each prefix counts as one IP address\), but t3\.micro allows 2 per interface$/ },
    { title: "IPv4 prefixes beyond t3.micro's slots", field: "networkInterfaceIpv4PrefixCount", value: 2, reason: /asks for 3 IPv4 slots on the ENI \(1 primary \+ 0 secondaries \+ 2 \/28 prefixes/ },
    { title: "IPv4 prefixes beside a fixed ENI address (one CreateNetworkInterface request)", field: "networkInterfaceIpv4PrefixCount", value: 1, extra: { instanceType: "m5.large", networkInterfacePrivateIp: "10.0.1.10" }, reason: /cannot be combined with networkInterfacePrivateIp: CreateNetworkInterface refuses a count of IPv4 prefixes beside specific private IPv4 addresses/ },
    { title: "IPv6 prefixes beside an IPv6 address count", field: "networkInterfaceIpv6PrefixCount", value: 1, extra: { ipv6: true, instanceType: "m5.large", networkInterfaceIpv6AddressCount: 1 }, reason: /cannot be combined with networkInterfaceIpv6AddressCount: CreateNetworkInterface refuses a count of IPv6 prefixes beside a count of IPv6 addresses/ },
    { title: "IPv6 prefixes without ipv6", field: "networkInterfaceIpv6PrefixCount", value: 1, reason: /needs ipv6: true; AWS delegates IPv6 prefixes from the subnet's IPv6 block/ },
    { title: "an IPv6 address count without ipv6", field: "instanceIpv6AddressCount", value: 1, reason: /needs ipv6: true; without it the subnets have no IPv6 block/ },
    { title: "an IPv6 address count of 1.5", field: "networkInterfaceIpv6AddressCount", value: 1.5, extra: { ipv6: true }, reason: /must be a whole number, 1 or more/ },
    { title: "a negative IPv4 prefix count", field: "networkInterfaceIpv4PrefixCount", value: -1, reason: /must be a whole number, 0 or more/ },
    { title: "ipv6 that is no boolean", field: "ipv6", value: "yes", reason: /must be true or false/ },
    { title: "a /27 ENI subnet with no whole /28 free of AWS's reserved addresses", field: "secondarySubnetCidrBlock", value: "10.0.1.0/27", extra: { networkInterfaceIpv4PrefixCount: 1 }, reason: /has room for 0 \/28 prefixes \(0 whole \/28 blocks without any of AWS's 5 reserved addresses, less 1 the ENI's own address may take\), but networkInterfaceIpv4PrefixCount asks for 1; AWS would refuse the ENI \(InsufficientCidrBlocks\)/ },
    // Round 3: what AWS would refuse that earlier versions took.
    { title: "guestNetwork on a Windows image (EC2Launch runs no cloud-init part)", field: "guestNetwork", value: true, extra: { ami: WINDOWS_AMI }, reason: /is true, but ami ami-0aaaaaaaaaaaaaaa5 is a Windows image \(getAmi platform "windows"\): EC2Launch runs its user data, not cloud-init/, mocks: IMAGES },
    { title: "base64 user data of bytes that are no UTF-8 text, with guestNetwork", field: "userData", value: NOT_TEXT_BASE64, extra: { guestNetwork: true }, reason: /is base64 \(the AWS provider passes it through\) of bytes that are not UTF-8 text, even gunzipped/ },
    { title: "base64 user data over 16 KB once decoded", field: "userData", value: Buffer.alloc(16385, "#").toString("base64"), reason: /is 16385 bytes once decoded from base64 \(the AWS provider passes base64 user data through\); AWS takes at most 16384 bytes/ },
    { title: "IAM tag keys that differ only in case, with ssmAccess", field: "tags", path: '["Env"]', value: { Env: "prod", env: "prod" }, extra: { ssmAccess: true }, reason: /has the key "Env", which IAM takes for the same key as env: IAM tag keys ignore case.*InvalidInput: Duplicate tag keys found/ },
    { title: "a tag name beside each resource's Name, with ssmAccess", field: "tags", path: '["name"]', value: { name: "web" }, extra: { ssmAccess: true }, reason: /has the key "name", which IAM takes for the same key as Name \(each resource's own Name tag\)/ },
    { title: "two rules on a 55-entry prefix list (110 of 60 rules)", field: "instanceIngress", value: [{ protocol: "tcp", fromPort: 443, toPort: 443, prefixListId: PREFIX_LIST }, { protocol: "tcp", fromPort: 80, toPort: 80, prefixListId: PREFIX_LIST }], shown: '[{"protocol":"tcp","fromPort":443', reason: /gives one security group 110 IPv4 inbound rules \(a prefix list counts as its maximum entries\), but the account's quota .* is 60/, mocks: { prefixLists: { [PREFIX_LIST]: { maxEntries: 55 } } } },
    { title: "a prefix list that does not exist", field: "instanceIngress", path: "[0].prefixListId", value: [{ protocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-0fffffffffffffff0" }], reason: /is not a managed prefix list of the AWS provider's region visible to this account \(getManagedPrefixList\); AWS would refuse the rule with InvalidPrefixListID\.NotFound/ },
    { title: "a source group in a new VPC (no group of it exists, no peering)", field: "instanceIngress", path: "[0].sourceSecurityGroupId", value: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, sourceSecurityGroupId: "sg-0123456789abcdef0" }], reason: /names a security group, but the VPC is new: .*InvalidGroup\.NotFound: You have specified two resources that belong to different networks/ },
    { title: "another account's group (account/sg-) in a new VPC", field: "networkInterfaceIngress", path: "[0].sourceSecurityGroupId", value: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, sourceSecurityGroupId: `${PEER_ACCOUNT}/sg-0123456789abcdef0` }], reason: /names a security group, but the VPC is new/ },
    { title: "a public side in a Wavelength Zone of a new network (carrier gateway, not an internet gateway)", field: "publicInterface", value: "instance", extra: { availabilityZone: WAVELENGTH_ZONE }, reason: /is instance, but us-east-1-wl1-bos-wlz-1 is a Wavelength Zone \(getAvailabilityZone zoneType wavelength-zone\).*carrier gateway/, mocks: WAVELENGTH },
    // Existing networks (no stack-program variant: the stack program builds a new network).
    { title: "an existing /28 with 2 free addresses for an ENI taking 6", field: "existingNetwork.secondarySubnetId", value: EXISTING_SUBNETS.secondary.id, extra: { instanceType: "m5.large", networkInterfaceSecondaryPrivateIpCount: 5 }, reason: /has 2 free addresses \(getSubnet availableIpAddressCount\), but the component's interfaces take 6 there \(the ENI 6\); AWS would refuse the last with InsufficientFreeAddressesInSubnet/, existing: true, componentOnly: true, mocks: NEARLY_FULL },
    {
        title: "an existing /26 with 9 free addresses for the ENI and a /28 prefix (17)",
        field: "existingNetwork.secondarySubnetId",
        value: EXISTING_SUBNETS.secondary.id,
        extra: { instanceType: "m5.large", networkInterfaceIpv4PrefixCount: 1 },
        reason: /has 9 free addresses \(getSubnet availableIpAddressCount\), but the component's interfaces take 17 there \(the ENI 1, its \/28 prefixes 16\); AWS would refuse the last with InsufficientFreeAddressesInSubnet/,
        existing: true,
        componentOnly: true,
        mocks: {
            existingSubnets: [EXISTING_SUBNETS.primary, { ...EXISTING_SUBNETS.secondary, cidrBlock: "172.16.1.0/26" }],
            networkInterfaces: [{ id: "eni-0bbbbbbbbbbbbbbb1", subnetId: EXISTING_SUBNETS.secondary.id, privateIps: Array.from({ length: 50 }, (_, i) => `172.16.1.${4 + i}`) }],
        },
    },
    { title: "a /28 prefix in an existing /27 (no whole /28 free of AWS's reserved addresses)", field: "existingNetwork.secondarySubnetId", value: EXISTING_SUBNETS.secondary.id, extra: { instanceType: "m5.large", networkInterfaceIpv4PrefixCount: 1 }, reason: /has room for 0 \/28 prefixes \(0 whole \/28 blocks without any of AWS's 5 reserved addresses\), but networkInterfaceIpv4PrefixCount asks for 1; AWS would refuse the ENI \(InsufficientCidrBlocks\)/, existing: true, componentOnly: true, mocks: { existingSubnets: [EXISTING_SUBNETS.primary, { ...EXISTING_SUBNETS.secondary, cidrBlock: "172.16.1.0/27" }] } },
    { title: "a fixed ENI IP another interface of the existing subnet holds", field: "networkInterfacePrivateIp", value: "172.16.1.10", reason: /is held by eni-0aaaaaaaaaaaaaaa1, an interface of existingNetwork\.secondarySubnetId subnet-0000000000000000b that is not the component's; AWS would refuse it with InvalidIPAddress\.InUse/, existing: true, componentOnly: true, mocks: { networkInterfaces: [{ id: "eni-0aaaaaaaaaaaaaaa1", subnetId: EXISTING_SUBNETS.secondary.id, privateIps: ["172.16.1.10"] }] } },
    { title: "an IPv6-only existing subnet (no IPv4 block)", field: "existingNetwork.secondarySubnetId", value: EXISTING_SUBNETS.secondary.id, reason: /is IPv6-only \(getSubnet gives no IPv4 CIDR block, ipv6Native true\)/, existing: true, componentOnly: true, mocks: { existingSubnets: [EXISTING_SUBNETS.primary, { ...EXISTING_SUBNETS.secondary, cidrBlock: "", ipv6Native: true }] } },
    { title: "a source group of another VPC that is not peered", field: "instanceIngress", path: "[0].sourceSecurityGroupId", value: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, sourceSecurityGroupId: OTHER_GROUP }], reason: /is a group of vpc-0ffffffffffffffff, which has no active peering connection with existingNetwork\.vpcId vpc-0a1b2c3d4e5f60718 .*You have specified two resources that belong to different networks/, existing: true, componentOnly: true, mocks: { securityGroups: { [OTHER_GROUP]: { vpcId: OTHER_VPC } } } },
    { title: "a source group that does not exist, on an existing network", field: "instanceIngress", path: "[0].sourceSecurityGroupId", value: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, sourceSecurityGroupId: OTHER_GROUP }], reason: /does not exist in the AWS provider's region and account; AWS would refuse the rule with InvalidGroup\.NotFound/, existing: true, componentOnly: true },
    { title: "another account's group with no peering to that account", field: "instanceIngress", path: "[0].sourceSecurityGroupId", value: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, sourceSecurityGroupId: `${PEER_ACCOUNT}/${OTHER_GROUP}` }], reason: /is a group of account 210987654321, but existingNetwork\.vpcId vpc-0a1b2c3d4e5f60718 has no active peering connection with a VPC of that account/, existing: true, componentOnly: true },
    { title: "one IPv6 source written two ways (AWS compares values)", field: "instanceIngress", path: "[1]", value: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "2001:db8::/32" }, { protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "2001:DB8:0::/32" }], reason: /duplicates rule \[0\] \(same protocol, ports and source\); AWS refuses duplicate rules/, existing: true, componentOnly: true },
];

/** Args that shape which resources exist are plain; inside rule lists, every value but allowFromAnywhere may be an Output. */
const PLAIN_ARGS = new Set(["namePrefix", "publicInterface", "ssmAccess", "standbyInstance", "automaticFailover", "ipv6"]);

function wrapArg(key: string, value: unknown, wrap: (value: unknown) => unknown): unknown {
    if (PLAIN_ARGS.has(key)) {
        return value;
    }
    if (key === "existingNetwork" && value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wrap(v)]));
    }
    if (key.endsWith("Ingress") && Array.isArray(value)) {
        return value.map((rule) =>
            rule !== null && typeof rule === "object"
                ? Object.fromEntries(Object.entries(rule).map(([k, v]) => [k, k === "allowFromAnywhere" ? v : wrap(v)]))
                : rule,
        );
    }
    return wrap(value);
}

function componentArgs(c: InvalidCase, wrap: (value: unknown) => unknown): DualSubnetEniInstanceArgs {
    const args: Record<string, unknown> = { ...(c.existing ? EXISTING_ARGS : SEED_ARGS), ...c.extra };
    if (c.field.startsWith("existingNetwork.")) {
        args.existingNetwork = { ...(args.existingNetwork as object), [c.field.slice("existingNetwork.".length)]: c.value };
    } else if (c.field !== "name") {
        args[c.field] = c.value;
    }
    return Object.fromEntries(Object.entries(args).map(([key, value]) => [key, wrapArg(key, value, wrap)])) as DualSubnetEniInstanceArgs;
}

/** A config value as a stack file holds it: strings as they are, everything else as JSON (NaN and Infinity as written). */
function configText(value: unknown): string {
    return typeof value === "string" ? value : typeof value === "number" && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
}

function valueAt(c: InvalidCase): unknown {
    if (c.path === undefined) {
        return c.value;
    }
    const steps = [...c.path.matchAll(/\[(\d+|"[^"]*")\]|\.(\w+)/g)].map((m) => (m[1] !== undefined ? JSON.parse(m[1]) : m[2]));
    return steps.reduce((value: any, step) => (value === undefined ? undefined : value[step]), c.value);
}

function assertNames(message: string, label: string, c: InvalidCase) {
    const named = `${label}${c.path ?? ""} = `;
    const line = message.split("\n").find((l) => l.includes(named));
    assert.ok(line, `no line names ${named}:\n${message}`);
    // A missing setting reaches the component as undefined, and from the stack program as "" (its declared default).
    if (c.value !== undefined) {
        const shown = c.shown ?? formatValue(valueAt(c));
        assert.ok(line.includes(`${named}${shown}`), `the line does not show the value ${shown}:\n${line}`);
    }
    assert.match(line, c.reason);
}

const declaredSecret = (key: string) => declarationOf(readProjectFile().config?.[key] ?? "").secret === true;

const componentName = (c: InvalidCase) => (c.field === "name" ? String(c.value) : "bad");

describe("invalid configurations are refused before any AWS resource exists", () => {
    it(`covers at least 80 configurations (${CASES.length})`, () => assert.ok(CASES.length >= 80));

    for (const c of CASES) {
        describe(c.title, () => {
            it("component, plain args: the error names the arg and value", async () => {
                const registrations = await useMocks(SEED_CONFIG, mocksOfCase(c));
                const error = await validationErrorOf(registrations, () => new DualSubnetEniInstance(componentName(c), componentArgs(c, (v) => v)));
                assertNames(error.message, c.field, c);
                assert.deepStrictEqual([...new Set(error.problems.map((p) => p.field))], [c.field]);
                assert.deepStrictEqual(awsResources(registrations), []);
            });

            it("component, Output args: refused once they resolve", async () => {
                const registrations = await useMocks(SEED_CONFIG, mocksOfCase(c));
                const error = await validationErrorOf(registrations, () => new DualSubnetEniInstance(componentName(c), componentArgs(c, (v) => pulumi.output(v))));
                assertNames(error.message, c.field, c);
                assert.deepStrictEqual(awsResources(registrations), []);
            });

            if (!c.componentOnly) {
                it("stack program: the error names the config key and value", async () => {
                    const config = loadStackConfig("dev");
                    for (const [field, value] of Object.entries({ ...c.extra, [c.field]: c.value })) {
                        const key = `${PROJECT}:${field}`;
                        if (value === undefined) {
                            delete config[key];
                        } else {
                            config[key] = configText(value);
                        }
                    }
                    const registrations = await useMocks(config, c.mocks);
                    const error = await validationErrorOf(registrations, () => dualSubnetEniStack());
                    // A key Pulumi.yaml declares secret is shown as [secret].
                    assertNames(error.message, `${PROJECT}:${c.field}`, declaredSecret(c.field) ? { ...c, shown: '"[secret]"' } : c);
                    assert.deepStrictEqual(awsResources(registrations), []);
                });
            }
        });
    }

    it("reports several problems in one error", async () => {
        const registrations = await useMocks(SEED_CONFIG);
        const error = await validationErrorOf(registrations, 
            () => new DualSubnetEniInstance("bad", { ...SEED_ARGS, vpcCidrBlock: "10.0.0.5/20", availabilityZone: "ap-south-1", instancePrivateIp: "10.0.0.0" }),
        );
        assert.deepStrictEqual(error.problems.map((p) => p.field), ["vpcCidrBlock", "availabilityZone", "instancePrivateIp"]);
        assert.match(error.message, /^DualSubnetEniInstance "bad" has 3 invalid settings:\n/);
        assert.deepStrictEqual(registrations, []);
    });

    it("with ssmAccess, refuses a user tag that differs from the stack program's Project or Stack only in case (IAM ignores case)", async () => {
        const config = { ...loadStackConfig("dev"), [`${PROJECT}:ssmAccess`]: "true", [`${PROJECT}:tags`]: JSON.stringify({ project: "web", stack: "blue" }) };
        const registrations = await useMocks(config);
        const error = await validationErrorOf(registrations, () => dualSubnetEniStack());
        assert.deepStrictEqual(error.problems.map((p) => `${p.field}${p.path}`), ['tags["project"]', 'tags["stack"]']);
        assert.match(error.message, new RegExp(`${PROJECT}:tags\\["project"\\] = "web": has the key "project", which IAM takes for the same key as Project: IAM tag keys ignore case`));
        assert.deepStrictEqual(awsResources(registrations), []);
    });

    it("a stack config number that does not parse is refused by key", async () => {
        const registrations = await useMocks({ ...loadStackConfig("dev"), [`${PROJECT}:networkInterfaceSecondaryPrivateIpCount`]: "two" });
        assert.throws(() => dualSubnetEniStack(), /dual-subnet-eni:networkInterfaceSecondaryPrivateIpCount.*two/);
        assert.deepStrictEqual(registrations, []);
    });
});

describe("no validation message grows with its value", () => {
    /** The longest line an error may have: "a few hundred characters", whatever the values. */
    const MAX_LINE = 500;
    const HUGE = 20_000;
    /** Many distinct characters AWS refuses in names and tags. */
    const refused = Array.from({ length: 2000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join("");
    /** Values of the right shape that AWS's answers refuse, and values of no shape AWS takes, all huge. */
    const HUGE_VALUES: [string, Partial<DualSubnetEniInstanceArgs>][] = [
        ["refused against the region's zones and types", { availabilityZone: `ap-${"a".repeat(HUGE)}-1a`, instanceType: `${"m".repeat(HUGE)}.large` }],
        ["refused against the region's SSM parameters", { ami: `resolve:ssm:/${"p".repeat(HUGE)}` }],
        [
            "refused as given",
            {
                userData: Buffer.alloc(30_000, "#").toString("base64"),
                namePrefix: refused,
                keyName: "é".repeat(HUGE),
                iamInstanceProfile: refused,
                tags: { ["k".repeat(HUGE)]: "v".repeat(HUGE), [refused]: refused },
                // RDP open to the internet by 1,024 rules together (every /10 of IPv4); one rule with a field of a huge name.
                instanceIngress: [
                    ...Array.from({ length: 1024 }, (_, i) => ({ protocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv4: `${i >> 2}.${(i & 3) << 6}.0.0/10` })),
                    { protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/8", ["f".repeat(HUGE)]: 1 } as IngressRuleArgs,
                ],
            },
        ],
    ];

    for (const [kind, values] of HUGE_VALUES) {
        for (const [variant, program] of [
            ["component", () => new DualSubnetEniInstance(kind === "refused as given" ? "n".repeat(HUGE) : "huge", { ...SEED_ARGS, ...values })],
            ["stack program", () => dualSubnetEniStack()],
        ] as const) {
            it(`${kind}, ${variant}: every line of the error stays under ${MAX_LINE} characters`, async () => {
                const config = { ...loadStackConfig("dev"), ...Object.fromEntries(Object.entries(values).map(([key, value]) => [`${PROJECT}:${key}`, configText(value)])) };
                const registrations = await useMocks(variant === "component" ? SEED_CONFIG : config);
                const error = await validationErrorOf(registrations, program);
                assert.ok(error.problems.length >= Object.keys(values).length, error.message.slice(0, 3000));
                const longest = error.message.split("\n").reduce((a, b) => (b.length > a.length ? b : a), "");
                assert.ok(longest.length <= MAX_LINE, `a line of ${longest.length} characters: ${longest}`);
            });
        }
    }

    it("the stack program's config errors shorten the values they quote", async () => {
        await useMocks({ ...loadStackConfig("dev"), [`${PROJECT}:instanceTypo`]: "x".repeat(HUGE) });
        assert.throws(() => dualSubnetEniStack(), (error: Error) => error.message.split("\n").every((line) => line.length <= MAX_LINE) && /\(20002 characters\)/.test(error.message));
    });
});
