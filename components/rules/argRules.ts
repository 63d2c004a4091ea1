/**
 * The rules of the args alone, before any AWS answer: types and shapes, CIDR arithmetic, fixed addresses, subnet
 * capacity, combinations of args. Pure: `checkArgs` takes raw values and returns every problem at once.
 */
import { Region } from "@pulumi/aws/types/enums";
import { awsReservedAddresses, cidrContains, cidrIncludes, cidrsOverlap, Ipv4Cidr, numberToIpv4, parseIpv4, parseIpv4Cidr } from "../cidr";
import { ActiveInstance, PublicInterface } from "../args";
import { iamNameProblem } from "./awsText";
import { Checker } from "./checker";
import { NEW_NETWORK_FIELDS, type RawArgs, usesExistingNetwork, type ValidatedField, type ValidationProblem } from "./fields";
import { checkAutomaticFailover } from "./failoverRules";
import { checkIngressRules } from "./ingressRules";
import { checkIpv6Args, takesIpv6Sources } from "./ipv6Rules";
import { prefixRoomProblem } from "./prefixRules";
import { ADDRESS_FIELDS, addressNeeds, describeNeeds, eniIpv4Use } from "./subnetRules";
import { checkNames, checkTags, MAX_INSTANCE_PROFILE_NAME_LENGTH } from "./nameRules";
import { checkUserData } from "./userDataRules";

const PUBLIC_INTERFACES: readonly PublicInterface[] = Object.values(PublicInterface);
const ACTIVE_INSTANCES: readonly ActiveInstance[] = Object.values(ActiveInstance);

/** A gp3 volume holds 1 to 16,384 GiB. */
export const MAX_GP3_VOLUME_GIB = 16384;

/**
 * The leading codes of AWS's regions (`us`, `eu`, `eusc`, ...) in @pulumi/aws's Region enum; a zone is
 * `<region><letter>`, a Local Zone `<region>-<location>-<n><letter>` (`us-west-2-lax-1a`), or a Wavelength Zone
 * `<region>-wl<n>-<location>-wlz-<n>` (`us-east-1-wl1-bos-wlz-1`), of a region led by one of them.
 */
const REGION_AREAS = [...new Set(Object.values(Region).map((region) => region.split("-")[0]))];
const AVAILABILITY_ZONE = new RegExp(`^((?:${REGION_AREAS.join("|")})(?:-[a-z]+)+-\\d+)(?:(?:-[a-z]+-\\d+)?[a-z]|-wl\\d+-[a-z]+-wlz-\\d+)$`);
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const AMI = /^(ami-[0-9a-f]{8}(?:[0-9a-f]{9})?|resolve:ssm:\S+)$/;
const VPC_ID = /^vpc-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;

/**
 * The region an availability zone name belongs to (`ap-south-1a` → `ap-south-1`; Local Zones such as
 * `us-west-2-lax-1a` and Wavelength Zones such as `us-east-1-wl1-bos-wlz-1` → their region), or undefined for a name of no AZ shape.
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
    checkIpv6Args(checker);
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
    const existingVpc = usesExistingNetwork(checker.raw, checker.pending);
    const ipv6 = takesIpv6Sources(checker, existingVpc);
    for (const field of ["instanceIngress", "networkInterfaceIngress"] as const) {
        if (!checker.pending.has(field)) {
            checkIngressRules(checker.raw[field], (path, value, reason) => checker.report(field, reason, path, value), { ipv6, newVpc: !existingVpc });
        }
    }
    checkNames(checker, ssmAccess === true);
    checkTags(checker, ssmAccess === true);
}

/**
 * A new subnet must hold every address the component's interfaces take in it (`addressNeeds`, 16 per /28 prefix),
 * beyond the five AWS reserves. Otherwise AWS refuses the last one with InsufficientFreeAddressesInSubnet, after the
 * others exist. Each /28 also needs a whole aligned block free of the reserved addresses (prefixRules.ts).
 */
function checkSubnetCapacity(checker: Checker, subnets: SubnetBlocks): void {
    if (ADDRESS_FIELDS.some((field) => checker.pending.has(field))) {
        return;
    }
    const needs = addressNeeds(checker.raw, true);
    for (const [field, role] of [["primarySubnetCidrBlock", "primary"], ["secondarySubnetCidrBlock", "secondary"]] as const) {
        const subnet = subnets[role];
        const { total, detail } = describeNeeds(needs[role]);
        const usable = subnet ? subnet.broadcast - subnet.network + 1 - awsReservedAddresses(subnet).length : Infinity;
        if (total > usable) {
            checker.report(
                field,
                `has ${usable} usable addresses (${subnet!.broadcast - subnet!.network + 1} minus the 5 AWS reserves), but the component's interfaces take ${total} there (${detail}); AWS would refuse the last with InsufficientFreeAddressesInSubnet`,
            );
        }
    }
    const eni = eniIpv4Use(checker.raw);
    const prefixProblem = subnets.secondary && prefixRoomProblem(subnets.secondary, eni.prefixes, eni.addresses);
    if (prefixProblem) {
        checker.report("secondarySubnetCidrBlock", prefixProblem);
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
