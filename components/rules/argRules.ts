/**
 * The rules of the args alone, before any AWS answer: types and shapes, CIDR arithmetic, fixed addresses, subnet
 * capacity, combinations of args. Pure: `checkArgs` takes raw values and returns every problem at once.
 */
import { Region } from "@pulumi/aws/types/enums";
import { awsReservedAddresses, cidrContains, cidrIncludes, cidrsOverlap, Ipv4Cidr, numberToIpv4, parseIpv4, parseIpv4Cidr } from "../cidr";
import { ActiveInstance, PublicInterface } from "../args";
import { SSM_ENDPOINT_SERVICES } from "../naming";
import { userDataSizeProblem } from "../userData";
import { iamNameProblem } from "./awsText";
import { Checker } from "./checker";
import { NEW_NETWORK_FIELDS, type RawArgs, usesExistingNetwork, type ValidatedField, type ValidationProblem } from "./fields";
import { checkAutomaticFailover } from "./failoverRules";
import { checkIngressRules } from "./ingressRules";
import { checkNames, checkTags, MAX_INSTANCE_PROFILE_NAME_LENGTH } from "./nameRules";

const PUBLIC_INTERFACES: readonly PublicInterface[] = Object.values(PublicInterface);
const ACTIVE_INSTANCES: readonly ActiveInstance[] = Object.values(ActiveInstance);

/** A gp3 volume holds 1 to 16,384 GiB. */
export const MAX_GP3_VOLUME_GIB = 16384;

/**
 * The leading codes of AWS's regions (`us`, `eu`, `eusc`, ...) in @pulumi/aws's Region enum; a zone is
 * `<region><letter>`, or a Local Zone `<region>-<location>-<n><letter>`, of a region led by one of them.
 */
const REGION_AREAS = [...new Set(Object.values(Region).map((region) => region.split("-")[0]))];
const AVAILABILITY_ZONE = new RegExp(`^((?:${REGION_AREAS.join("|")})(?:-[a-z]+)+-\\d+)(?:-[a-z]+-\\d+)?[a-z]$`);
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const AMI = /^(ami-[0-9a-f]{8}(?:[0-9a-f]{9})?|resolve:ssm:\S+)$/;
const VPC_ID = /^vpc-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;

/**
 * The region an availability zone name belongs to (`ap-south-1a` → `ap-south-1`; Local Zones such as
 * `us-west-2-lax-1a` → `us-west-2`), or undefined for a name of no AZ shape.
 */
export function regionOfAvailabilityZone(zone: string): string | undefined {
    return AVAILABILITY_ZONE.exec(zone)?.[1];
}

/** CIDR blocks of the two subnets, where known. */
interface SubnetBlocks {
    readonly primary?: Ipv4Cidr;
    readonly secondary?: Ipv4Cidr;
}

/**
 * Checks the args that are known now. Fields in `pending` (values not resolved yet) are skipped,
 * together with every rule that needs them; call again with all values once they resolve. With an
 * existing network, pass its subnets' CIDR blocks (once looked up) to check fixed IPs against them.
 */
export function checkArgs(
    raw: RawArgs,
    pending: ReadonlySet<ValidatedField> = new Set(),
    existingSubnetCidrs?: { readonly primary: string; readonly secondary: string },
): ValidationProblem[] {
    const checker = new Checker(raw, pending);
    const subnets = usesExistingNetwork(raw, pending)
        ? checkExistingNetworkIds(checker, existingSubnetCidrs)
        : checkNewNetwork(checker);
    checkInstance(checker, subnets);
    return checker.problems;
}

function checkNewNetwork(checker: Checker): SubnetBlocks {
    const vpc = checker.cidr("vpcCidrBlock", "VPC");
    const primary = checker.cidr("primarySubnetCidrBlock", "subnet");
    const secondary = checker.cidr("secondarySubnetCidrBlock", "subnet");
    for (const [field, subnet] of [["primarySubnetCidrBlock", primary], ["secondarySubnetCidrBlock", secondary]] as const) {
        if (vpc && subnet && !cidrContains(vpc, subnet)) {
            checker.report(field, `is not inside vpcCidrBlock ${vpc.canonical}`);
        }
    }
    if (primary && secondary && cidrsOverlap(primary, secondary)) {
        checker.report(
            "secondarySubnetCidrBlock",
            primary.canonical === secondary.canonical
                ? `is the same block as primarySubnetCidrBlock; the two subnets need distinct ranges`
                : `overlaps primarySubnetCidrBlock ${primary.canonical}`,
        );
    }
    const zone = checker.text("availabilityZone", true);
    if (zone !== undefined && regionOfAvailabilityZone(zone) === undefined) {
        checker.report("availabilityZone", "is not an availability zone name like ap-south-1a");
    }
    checkSubnetCapacity(checker, { primary, secondary });
    return { primary, secondary };
}

function checkExistingNetworkIds(checker: Checker, cidrs?: { readonly primary: string; readonly secondary: string }): SubnetBlocks {
    for (const field of NEW_NETWORK_FIELDS) {
        if (checker.raw[field] !== undefined || checker.pending.has(field)) {
            checker.report(field, "cannot be combined with existingNetwork: the existing subnets decide it");
        }
    }
    checker.matches("existingNetwork.vpcId", true, VPC_ID, "a VPC id like vpc-0123456789abcdef0");
    const primary = checker.matches("existingNetwork.primarySubnetId", true, SUBNET_ID, "a subnet id like subnet-0123456789abcdef0");
    const secondary = checker.matches("existingNetwork.secondarySubnetId", true, SUBNET_ID, "a subnet id like subnet-0123456789abcdef0");
    if (primary !== undefined && primary === secondary) {
        checker.report("existingNetwork.secondarySubnetId", "is the primary subnet too; the ENI needs a second subnet");
    }
    const block = (cidr: string | undefined) => {
        const parsed = cidr === undefined ? undefined : parseIpv4Cidr(cidr);
        return parsed?.ok ? parsed.cidr : undefined;
    };
    return { primary: block(cidrs?.primary), secondary: block(cidrs?.secondary) };
}

function checkInstance(checker: Checker, subnets: SubnetBlocks): void {
    checker.matches("instanceType", true, INSTANCE_TYPE, "an instance type name like t3.micro");
    checker.matches("ami", false, AMI, "an AMI id like ami-0123456789abcdef0 (or resolve:ssm:<parameter>)");
    checkFixedIps(checker, subnets);
    checker.wholeNumber("networkInterfaceSecondaryPrivateIpCount", 0, Number.MAX_SAFE_INTEGER, "a whole number, 0 or more");
    checker.flag("instanceSourceDestCheck");
    checker.flag("networkInterfaceSourceDestCheck");
    checker.oneOf("publicInterface", PUBLIC_INTERFACES);

    const keyName = checker.text("keyName", false);
    if (keyName !== undefined && !/^[\x20-\x7e]{1,255}$/.test(keyName)) {
        checker.report("keyName", "is not a key pair name AWS takes (1 to 255 printable ASCII characters)");
    }
    checkUserData(checker);
    const profile = checker.text("iamInstanceProfile", false);
    const profileProblem = profile === undefined ? undefined : iamNameProblem(profile, MAX_INSTANCE_PROFILE_NAME_LENGTH, "an instance profile name");
    if (profileProblem) {
        checker.report("iamInstanceProfile", profileProblem);
    }
    checker.wholeNumber("rootVolumeSizeGiB", 1, MAX_GP3_VOLUME_GIB, `a whole number of GiB from 1 to ${MAX_GP3_VOLUME_GIB} (gp3's limits)`);
    const ssmAccess = checker.flag("ssmAccess");
    if (ssmAccess === true && (profile !== undefined || checker.pending.has("iamInstanceProfile"))) {
        checker.report("ssmAccess", "cannot be combined with iamInstanceProfile: an instance has one profile; add AmazonSSMManagedInstanceCore to your profile's role instead");
    }
    const standby = checker.flag("standbyInstance");
    const active = checker.oneOf("activeInstance", ACTIVE_INSTANCES);
    if (active === "standby" && standby !== true) {
        checker.report("activeInstance", "is standby, but standbyInstance is not set: there is no standby instance to attach the ENI to");
    }
    checkAutomaticFailover(checker, standby);
    const ipv6 = usesExistingNetwork(checker.raw, checker.pending);
    for (const field of ["instanceIngress", "networkInterfaceIngress"] as const) {
        if (!checker.pending.has(field)) {
            checkIngressRules(checker.raw[field], (path, value, reason) => checker.report(field, reason, path, value), { ipv6 });
        }
    }
    checkNames(checker, ssmAccess === true);
    checkTags(checker, ssmAccess === true);
}

/** User data as the instances get it: the user's, merged with guestNetwork's configuration when that is on. */
function checkUserData(checker: Checker): void {
    const guestNetwork = checker.flag("guestNetwork") === true;
    const userData = checker.raw.userData;
    if (checker.pending.has("userData") || (userData === undefined && !guestNetwork)) {
        return;
    }
    if (userData !== undefined && typeof userData !== "string") {
        checker.report("userData", "must be a string");
        return;
    }
    const publicInterface = typeof checker.raw.publicInterface === "string" ? checker.raw.publicInterface : "none";
    const problem = userDataSizeProblem({ userData, guestNetwork, publicInterface });
    if (problem) {
        checker.report("userData", problem);
    }
}

/**
 * A new subnet must hold every address the component's interfaces take in it, beyond the five AWS reserves:
 * the instance's (primary and secondaries), the standby's, each Session Manager endpoint's (primary subnet),
 * and the ENI's (primary and secondaries, secondary subnet). Otherwise AWS refuses the last one with
 * InsufficientFreeAddressesInSubnet, after the others exist.
 */
function checkSubnetCapacity(checker: Checker, subnets: SubnetBlocks): void {
    const raw = checker.raw;
    const fields: readonly ValidatedField[] = [
        "instanceSecondaryPrivateIps",
        "networkInterfaceSecondaryPrivateIps",
        "networkInterfaceSecondaryPrivateIpCount",
        "standbyInstance",
        "ssmAccess",
        "publicInterface",
        "automaticFailover",
    ];
    if (fields.some((field) => checker.pending.has(field))) {
        return;
    }
    const count = (value: unknown) => (Array.isArray(value) ? value.length : 0);
    const whole = (value: unknown) => (Number.isInteger(value) && (value as number) > 0 ? (value as number) : 0);
    const endpoints = raw.ssmAccess === true && raw.publicInterface !== "instance" ? SSM_ENDPOINT_SERVICES.length : 0;
    const needs = [
        {
            field: "primarySubnetCidrBlock" as const,
            subnet: subnets.primary,
            parts: [
                ["the instance", 1 + count(raw.instanceSecondaryPrivateIps)],
                ["the standby", raw.standbyInstance === true ? 1 : 0],
                ["the Session Manager endpoints", endpoints],
                // The mover's Lambda network interface and the ec2 interface endpoint (failover.ts).
                ["the failover mover and its ec2 endpoint", raw.automaticFailover === true ? 2 : 0],
            ] as const,
        },
        {
            field: "secondarySubnetCidrBlock" as const,
            subnet: subnets.secondary,
            parts: [["the ENI", 1 + count(raw.networkInterfaceSecondaryPrivateIps) + whole(raw.networkInterfaceSecondaryPrivateIpCount)]] as const,
        },
    ];
    for (const { field, subnet, parts } of needs) {
        const needed = parts.reduce((sum, [, addresses]) => sum + addresses, 0);
        const usable = subnet ? subnet.broadcast - subnet.network + 1 - awsReservedAddresses(subnet).length : Infinity;
        if (needed > usable) {
            const detail = parts.filter(([, addresses]) => addresses > 0).map(([what, addresses]) => `${what} ${addresses}`).join(", ");
            checker.report(
                field,
                `has ${usable} usable addresses (${subnet!.broadcast - subnet!.network + 1} minus the 5 AWS reserves), but the component's interfaces take ${needed} there (${detail}); AWS would refuse the last with InsufficientFreeAddressesInSubnet`,
            );
        }
    }
}

/** Every fixed private IP: an address of its subnet that AWS does not reserve, used once across both interfaces. */
function checkFixedIps(checker: Checker, subnets: SubnetBlocks): void {
    const seen = new Map<number, string>();
    const fixedIp = (field: ValidatedField, path: string, value: unknown, subnetName: string, subnet: Ipv4Cidr | undefined) => {
        const address = typeof value === "string" ? parseIpv4(value) : undefined;
        if (address === undefined) {
            checker.report(field, "is not an IPv4 address like 10.0.0.10", path, value);
        } else if (subnet && !cidrIncludes(subnet, address)) {
            checker.report(field, `is not inside the ${subnetName} ${subnet.canonical}`, path, value);
        } else if (subnet && awsReservedAddresses(subnet).includes(address)) {
            const reserved = awsReservedAddresses(subnet).map(numberToIpv4).join(", ");
            checker.report(field, `is one of the five addresses AWS reserves in ${subnet.canonical} (${reserved})`, path, value);
        } else if (seen.has(address)) {
            checker.report(field, `is already used by ${seen.get(address)}; every fixed private IP must be distinct`, path, value);
        } else {
            seen.set(address, `${field}${path}`);
        }
    };
    const interfaces = [
        ["instancePrivateIp", "instanceSecondaryPrivateIps", "primary subnet", subnets.primary],
        ["networkInterfacePrivateIp", "networkInterfaceSecondaryPrivateIps", "secondary subnet", subnets.secondary],
    ] as const;
    for (const [primaryField, secondaryField, subnetName, subnet] of interfaces) {
        const primary = checker.text(primaryField, false);
        if (primary !== undefined) {
            fixedIp(primaryField, "", primary, subnetName, subnet);
        }
        const secondaries = checker.list(secondaryField);
        secondaries?.forEach((address, index) => fixedIp(secondaryField, `[${index}]`, address, subnetName, subnet));
    }
    const eniList = checker.raw.networkInterfaceSecondaryPrivateIps;
    if (Array.isArray(eniList) && eniList.length > 0) {
        const count = checker.raw.networkInterfaceSecondaryPrivateIpCount;
        if (typeof count === "number" && count > 0) {
            checker.report("networkInterfaceSecondaryPrivateIps", "cannot be combined with networkInterfaceSecondaryPrivateIpCount: give either the addresses or how many");
        }
        if (checker.raw.networkInterfacePrivateIp === undefined && !checker.pending.has("networkInterfacePrivateIp")) {
            checker.report("networkInterfaceSecondaryPrivateIps", "needs networkInterfacePrivateIp: AWS takes the first address of an ENI's ordered list as its primary");
        }
    }
}
