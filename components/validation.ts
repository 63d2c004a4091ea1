/**
 * Pre-flight validation: every rule AWS would otherwise enforce in the middle of `pulumi up`.
 * Pure functions over plain values; the component calls them before it creates anything.
 */
import {
    awsReservedAddresses,
    cidrContains,
    cidrIncludes,
    cidrsOverlap,
    Ipv4Cidr,
    numberToIpv4,
    parseIpv4,
    parseIpv4Cidr,
} from "./cidr";
import {
    AUTO_NAME_SUFFIX_LENGTH,
    iamNameProblem,
    MAX_IAM_ROLE_NAME_LENGTH,
    MAX_TAGS_PER_RESOURCE,
    MAX_USER_DATA_BYTES,
    securityGroupNameProblem,
    securityGroupTextProblem,
    tagProblem,
    userDataBytes,
} from "./awsText";
import { Region } from "@pulumi/aws/types/enums";
import { guestUserData } from "./guestNetwork";
import { checkIngressRules, IngressRule } from "./ingressRules";
import { logicalNames, SSM_ENDPOINT_SERVICES } from "./naming";
import { dedicatedHostOnly, instanceTypeFacts, InstanceTypeFacts } from "./instanceTypes";
import { ActiveInstance, PublicInterface } from "./args";
import type { DualSubnetEniInstanceArgs } from "./args";

export { ActiveInstance, PublicInterface } from "./args";
export type { InstanceTypeFacts } from "./instanceTypes";

/**
 * The fields validation reads, derived from an args interface: each arg by its own name, the ids of
 * `existingNetwork` as `existingNetwork.<key>`, and the component's `name`.
 */
export type ValidatedFieldOf<Args> =
    | { [K in keyof Args]-?: K extends "existingNetwork" ? `existingNetwork.${keyof NonNullable<Args[K]> & string}` : K & string }[keyof Args]
    | "name";

/** The args that validation reads, by the name a caller uses for them. */
export type ValidatedField = ValidatedFieldOf<DualSubnetEniInstanceArgs>;

/** The ids of a network that exists already, flattened as `existingNetwork.<key>`. */
export type ExistingNetworkField = Extract<ValidatedField, `existingNetwork.${string}`>;
export const EXISTING_NETWORK_FIELDS: readonly ExistingNetworkField[] = [
    "existingNetwork.vpcId",
    "existingNetwork.primarySubnetId",
    "existingNetwork.secondarySubnetId",
];
const NEW_NETWORK_FIELDS: readonly ValidatedField[] = ["availabilityZone", "vpcCidrBlock", "primarySubnetCidrBlock", "secondarySubnetCidrBlock"];

/** One broken rule: which arg (and where inside it, for lists and maps), the value it had, and what is wrong with it. */
export interface ValidationProblem {
    readonly field: ValidatedField;
    /** Where inside the arg, e.g. `[0].fromPort` or `["Owner"]`; absent for the arg as a whole. */
    readonly path?: string;
    readonly value: unknown;
    readonly reason: string;
}

const PUBLIC_INTERFACES: readonly PublicInterface[] = Object.values(PublicInterface);
const ACTIVE_INSTANCES: readonly ActiveInstance[] = Object.values(ActiveInstance);

/** Raw values as a caller or a stack config gave them; nothing about their types is trusted. */
export type RawArgs = { readonly [F in ValidatedField]?: unknown };

/** The args once `checkArgs` (and, for an existing network, `checkExistingNetwork`) found no problem. */
export interface CheckedArgs {
    /** As given, or the zone of the existing subnets. */
    readonly availabilityZone: string;
    /** The three CIDRs of a new network; absent with an existing one. */
    readonly vpcCidrBlock?: string;
    readonly primarySubnetCidrBlock?: string;
    readonly secondarySubnetCidrBlock?: string;
    readonly "existingNetwork.vpcId"?: string;
    readonly "existingNetwork.primarySubnetId"?: string;
    readonly "existingNetwork.secondarySubnetId"?: string;
    readonly instanceType: string;
    readonly ami?: string;
    readonly namePrefix: string;
    readonly instancePrivateIp?: string;
    readonly networkInterfacePrivateIp?: string;
    readonly networkInterfaceSecondaryPrivateIpCount: number;
    /** The component's name: part of every child's logical name, so of auto-generated AWS names. */
    readonly name: string;
    readonly tags: Readonly<Record<string, string>>;
    readonly instanceIngress: readonly IngressRule[];
    readonly networkInterfaceIngress: readonly IngressRule[];
    readonly instanceSecondaryPrivateIps: readonly string[];
    readonly networkInterfaceSecondaryPrivateIps: readonly string[];
    readonly instanceSourceDestCheck?: boolean;
    readonly networkInterfaceSourceDestCheck?: boolean;
    readonly publicInterface: PublicInterface;
    readonly keyName?: string;
    readonly userData?: string;
    readonly guestNetwork: boolean;
    readonly iamInstanceProfile?: string;
    readonly rootVolumeSizeGiB?: number;
    readonly ssmAccess: boolean;
    readonly standbyInstance: boolean;
    readonly activeInstance: ActiveInstance;
}

/** `true` when two unions hold the same members. */
type SameMembers<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only while `CheckedArgs` has exactly one field per validated field: a new arg needs its checked type. */
export type CheckedArgsCoverEveryField<Check extends true = SameMembers<keyof CheckedArgs, ValidatedField>> = Check;

/** What the AWS data sources said about the provider's region and the chosen instance type. */
export interface AwsFacts {
    /** The region of the AWS provider the component runs with. */
    readonly region: string;
    /** Names of the zones in that region whose state is `available`. */
    readonly availableZones: readonly string[];
    /** Zones of that region where the instance type is offered; empty for an unknown type. */
    readonly instanceTypeZones: readonly string[];
    /** The instance type's limits; absent when the type is offered nowhere in the region. */
    readonly instanceType?: InstanceTypeFacts;
}

/** What `aws.ec2.getSubnet` says of an existing subnet; undefined where no such subnet exists. */
export interface SubnetFacts {
    readonly vpcId: string;
    readonly availabilityZone: string;
    readonly cidrBlock: string;
}


/** Instance-profile names: at most 128 characters. */
export const MAX_INSTANCE_PROFILE_NAME_LENGTH = 128;
/** A gp3 volume holds 1 to 16,384 GiB. */
export const MAX_GP3_VOLUME_GIB = 16384;

/** AWS's bounds on VPC and subnet IPv4 prefix lengths. */
export const MIN_PREFIX_LENGTH = 16;
export const MAX_PREFIX_LENGTH = 28;
/** Longest accepted `namePrefix`, so that `<prefix>-network-interface` fits AWS's 255-character limits. */
export const MAX_NAME_PREFIX_LENGTH = 200;

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

/** The Amazon Linux 2023 architecture for an instance type: x86_64 where it runs that, else arm64 (Graviton). */
export function amiArchitecture(supportedArchitectures: readonly string[]): "x86_64" | "arm64" | undefined {
    if (supportedArchitectures.includes("x86_64")) {
        return "x86_64";
    }
    return supportedArchitectures.includes("arm64") ? "arm64" : undefined;
}

/** Collects problems about one set of raw args; values of `pending` fields are not known yet. */
class Checker {
    readonly problems: ValidationProblem[] = [];

    constructor(
        readonly raw: RawArgs,
        readonly pending: ReadonlySet<ValidatedField>,
    ) {}

    report(field: ValidatedField, reason: string, path = "", value: unknown = this.raw[field]): void {
        this.problems.push({ field, ...(path ? { path } : {}), value, reason });
    }

    /** The field's boolean value, or undefined when pending, absent, or not a boolean (reported). */
    flag(field: ValidatedField): boolean | undefined {
        const value = this.raw[field];
        if (this.pending.has(field) || value === undefined) {
            return undefined;
        }
        if (typeof value !== "boolean") {
            this.report(field, "must be true or false");
            return undefined;
        }
        return value;
    }

    /** The field's value when it is one of `allowed` (or absent: undefined); anything else is reported. */
    oneOf<T extends string>(field: ValidatedField, allowed: readonly T[]): T | undefined {
        const value = this.raw[field];
        if (this.pending.has(field) || value === undefined || allowed.includes(value as T)) {
            return value as T | undefined;
        }
        this.report(field, `must be one of ${allowed.join(", ")}`);
        return undefined;
    }

    /** Reports a value that is not a whole number from `min` to `max` (NaN and Infinity included). */
    wholeNumber(field: ValidatedField, min: number, max: number, expected: string): void {
        const value = this.raw[field];
        if (!this.pending.has(field) && value !== undefined && !(Number.isInteger(value) && (value as number) >= min && (value as number) <= max)) {
            this.report(field, `must be ${expected}`);
        }
    }

    /** The field's list value, or undefined when pending, absent, or not a list (reported). */
    list(field: ValidatedField): readonly unknown[] | undefined {
        const value = this.raw[field];
        if (this.pending.has(field) || value === undefined) {
            return undefined;
        }
        if (!Array.isArray(value)) {
            this.report(field, "must be a list");
            return undefined;
        }
        return value;
    }

    /** The field's string value, or undefined when it is pending, absent and optional, or invalid (reported). */
    text(field: ValidatedField, required: boolean): string | undefined {
        const value = this.raw[field];
        if (this.pending.has(field) || (value === undefined && !required)) {
            return undefined;
        }
        if (typeof value !== "string") {
            this.report(field, value === undefined ? "is required" : "must be a string");
            return undefined;
        }
        if (value.trim() === "") {
            this.report(field, value === "" ? "is required" : "is blank (only white space)");
            return undefined;
        }
        return value;
    }

    cidr(field: ValidatedField, kind: string): Ipv4Cidr | undefined {
        const value = this.text(field, true);
        if (value === undefined) {
            return undefined;
        }
        const parsed = parseIpv4Cidr(value);
        if (!parsed.ok) {
            this.report(field, parsed.reason);
            return undefined;
        }
        const { prefixLength } = parsed.cidr;
        if (prefixLength < MIN_PREFIX_LENGTH || prefixLength > MAX_PREFIX_LENGTH) {
            this.report(field, `has prefix /${prefixLength}; AWS allows ${kind} prefixes from /${MIN_PREFIX_LENGTH} to /${MAX_PREFIX_LENGTH}`);
            return undefined;
        }
        return parsed.cidr;
    }

    matches(field: ValidatedField, required: boolean, pattern: RegExp, expected: string): string | undefined {
        const value = this.text(field, required);
        if (value !== undefined && !pattern.test(value)) {
            this.report(field, `is not ${expected}`);
            return undefined;
        }
        return value;
    }
}

/** CIDR blocks of the two subnets, where known. */
interface SubnetBlocks {
    readonly primary?: Ipv4Cidr;
    readonly secondary?: Ipv4Cidr;
}

/** True when the args name an existing network instead of describing a new one. */
export function usesExistingNetwork(raw: RawArgs, pending: ReadonlySet<ValidatedField> = new Set()): boolean {
    return EXISTING_NETWORK_FIELDS.some((field) => raw[field] !== undefined || pending.has(field));
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
    const own = userData === undefined ? 0 : userDataBytes(userData);
    const publicInterface = typeof checker.raw.publicInterface === "string" ? checker.raw.publicInterface : "none";
    const merged = guestNetwork ? userDataBytes(guestUserData(publicInterface, userData)) : own;
    if (merged > MAX_USER_DATA_BYTES) {
        const total = guestNetwork ? `, and merged with guestNetwork's configuration the instance's user data is ${merged} bytes` : "";
        checker.report("userData", `is ${own} bytes${total}; AWS takes at most ${MAX_USER_DATA_BYTES} bytes of user data (before base64)`);
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

/** The component's name and `namePrefix` against every AWS field they reach. */
function checkNames(checker: Checker, ssmAccess: boolean): void {
    const prefix = checker.text("namePrefix", true);
    if (prefix !== undefined) {
        const iamTagProblem = ssmAccess ? tagProblem("Name", prefix, "iam") : undefined;
        const problem =
            prefix.length > MAX_NAME_PREFIX_LENGTH
                ? `is ${prefix.length} characters long; at most ${MAX_NAME_PREFIX_LENGTH} fit AWS's name limits`
                : securityGroupTextProblem(prefix, "the security groups' descriptions") ?? (iamTagProblem && `${iamTagProblem} (the SSM role's Name tag)`);
        if (problem) {
            checker.report("namePrefix", problem);
        }
    }
    const name = checker.text("name", true);
    if (name === undefined) {
        return;
    }
    // Pulumi names these children's AWS resources `<logical name>-<7 random characters>`.
    const names = logicalNames(name);
    const autoName = (logicalName: string) => `${logicalName}${"x".repeat(AUTO_NAME_SUFFIX_LENGTH)}`;
    const securityGroups = [names.primarySecurityGroup, names.secondarySecurityGroup, names.ssmEndpointSecurityGroup];
    const problem =
        securityGroups.map((group) => securityGroupNameProblem(autoName(group), `the security group name ${group}-<random>`)).find(Boolean) ??
        (ssmAccess
            ? iamNameProblem(autoName(names.ssmRole), MAX_IAM_ROLE_NAME_LENGTH, `the IAM role name ${names.ssmRole}-<random>`) ??
              iamNameProblem(autoName(names.ssmInstanceProfile), MAX_INSTANCE_PROFILE_NAME_LENGTH, `the instance profile name ${names.ssmInstanceProfile}-<random>`)
            : undefined);
    if (problem) {
        checker.report("name", problem);
    }
}

/** User tags as every child gets them: AWS's key and value rules, and at most 50 tags once `Name` is added. */
function checkTags(checker: Checker, ssmAccess: boolean): void {
    const tags = checker.raw.tags;
    if (checker.pending.has("tags") || tags === undefined) {
        return;
    }
    if (tags === null || typeof tags !== "object" || Array.isArray(tags)) {
        checker.report("tags", "must be a map of tag keys to string values");
        return;
    }
    for (const [key, value] of Object.entries(tags)) {
        const path = `[${JSON.stringify(key)}]`;
        const problem =
            typeof value !== "string" ? "must be a string value" : tagProblem(key, value, "ec2") ?? (ssmAccess ? tagProblem(key, value, "iam") : undefined);
        if (problem) {
            checker.report("tags", problem, path, value);
        }
    }
    const count = Object.keys(tags).filter((key) => key !== "Name").length + 1;
    if (count > MAX_TAGS_PER_RESOURCE) {
        checker.report("tags", `gives each resource ${count} tags with its Name tag; AWS allows ${MAX_TAGS_PER_RESOURCE} per resource`);
    }
}

/** Checks an existing network against what `aws.ec2.getSubnet` said of its two subnets. */
export function checkExistingNetwork(
    args: CheckedArgs,
    subnets: { readonly primary?: SubnetFacts; readonly secondary?: SubnetFacts },
): ValidationProblem[] {
    const problems: ValidationProblem[] = [];
    const report = (field: ExistingNetworkField, reason: string) => problems.push({ field, value: args[field], reason });
    const vpcId = args["existingNetwork.vpcId"];
    for (const [field, subnet] of [["existingNetwork.primarySubnetId", subnets.primary], ["existingNetwork.secondarySubnetId", subnets.secondary]] as const) {
        if (!subnet) {
            report(field, "does not exist in the AWS provider's region and account");
        } else if (subnet.vpcId !== vpcId) {
            report(field, `belongs to ${subnet.vpcId}, not to existingNetwork.vpcId ${vpcId}`);
        }
    }
    const { primary, secondary } = subnets;
    if (primary && secondary && primary.availabilityZone !== secondary.availabilityZone) {
        report(
            "existingNetwork.secondarySubnetId",
            `is in ${secondary.availabilityZone}, but the primary subnet is in ${primary.availabilityZone}; an ENI attaches only to an instance in its own zone`,
        );
    }
    return problems;
}

/** Checks the args against what AWS said about the region and the instance type. */
export function checkAgainstAws(args: CheckedArgs, facts: AwsFacts): ValidationProblem[] {
    const problems: ValidationProblem[] = [];
    const report = (field: ValidatedField, reason: string) => problems.push({ field, value: args[field], reason });
    const zone = args.availabilityZone;
    const zoneRegion = regionOfAvailabilityZone(zone);
    const zoneIsUsable = zoneRegion === facts.region && facts.availableZones.includes(zone);

    if (zoneRegion !== facts.region) {
        report("availabilityZone", `is in region ${zoneRegion}, but the AWS provider's region is ${facts.region}`);
    } else if (!facts.availableZones.includes(zone)) {
        report("availabilityZone", `is not an available zone of ${facts.region} (available: ${list(facts.availableZones)})`);
    }

    if (facts.instanceTypeZones.length === 0) {
        report(
            "instanceType",
            instanceTypeFacts(args.instanceType)
                ? `is not offered in region ${facts.region}`
                : "is not an EC2 instance type AWS lists (check the spelling, e.g. t3.micro)",
        );
    } else if (zoneIsUsable && !facts.instanceTypeZones.includes(zone)) {
        report("instanceType", `is not offered in ${zone} (offered in: ${list(facts.instanceTypeZones)})`);
    }

    const limits = facts.instanceType;
    const launchProblem = limits && launchProblemOf(args.instanceType, limits);
    if (launchProblem) {
        report("instanceType", launchProblem);
    } else if (limits) {
        const interfaceProblem = networkCardProblem(args.instanceType, limits);
        if (interfaceProblem) {
            report("instanceType", interfaceProblem);
        }
        const perInterface = [
            ["instanceSecondaryPrivateIps", "the instance's primary interface", args.instanceSecondaryPrivateIps.length],
            [
                args.networkInterfaceSecondaryPrivateIps.length > 0 ? "networkInterfaceSecondaryPrivateIps" : "networkInterfaceSecondaryPrivateIpCount",
                "the ENI",
                args.networkInterfaceSecondaryPrivateIps.length + args.networkInterfaceSecondaryPrivateIpCount,
            ],
        ] as const;
        for (const [field, where, secondaries] of perInterface) {
            if (secondaries + 1 > limits.maximumIpv4AddressesPerInterface) {
                report(
                    field,
                    `asks for ${secondaries + 1} IPv4 addresses on ${where} (1 primary + secondaries), but ${args.instanceType} allows ${limits.maximumIpv4AddressesPerInterface} per interface`,
                );
            }
        }
        if (args.ami === undefined && amiArchitecture(limits.supportedArchitectures) === undefined) {
            report("instanceType", `runs ${list(limits.supportedArchitectures)}, for which there is no Amazon Linux 2023 image; set ami`);
        }
    }
    return problems;
}

/**
 * Why the component can never launch the type: it runs only on a Dedicated Host (Mac and High Memory `u-*.metal`
 * types; the component has no host option), or AWS sells it only under usage classes other than on-demand
 * (`capacity-block` needs a reservation).
 */
function launchProblemOf(instanceType: string, limits: InstanceTypeFacts): string | undefined {
    if (dedicatedHostOnly(instanceType)) {
        return "launches only on a Dedicated Host (AWS's rule for Mac and High Memory metal types), and the component places instances on shared tenancy; use another type";
    }
    const classes = limits.supportedUsagesClasses;
    if (classes && !classes.includes("on-demand")) {
        return `is sold only as ${list(classes)} (getInstanceType supportedUsagesClasses); the component launches on-demand instances`;
    }
    return undefined;
}

/**
 * The ENI is attached without a network card index, so AWS puts it on card 0; the primary interface sits on
 * `defaultNetworkCardIndex`. `maximumNetworkInterfaces` counts every card, so the limit that applies is card 0's.
 */
function networkCardProblem(instanceType: string, limits: InstanceTypeFacts): string | undefined {
    const defaultCard = limits.defaultNetworkCardIndex ?? 0;
    const needed = defaultCard === 0 ? 2 : 1;
    const card0 = limits.networkCards?.find((card) => card.index === 0)?.maximumInterfaces ?? limits.maximumNetworkInterfaces;
    if (card0 >= needed) {
        return undefined;
    }
    const cards = limits.networkCards && limits.networkCards.length > 1 ? ` (${limits.maximumNetworkInterfaces} across ${limits.networkCards.length} network cards)` : "";
    return `takes ${card0} network interface${card0 === 1 ? "" : "s"} on network card 0${cards}; the ENI attaches there${defaultCard === 0 ? " beside the primary interface, so it needs a type whose card 0 takes at least 2" : ""} (${instanceType}'s defaultNetworkCardIndex is ${defaultCard})`;
}

/** AWS's default of "Inbound or outbound rules per security group" (Service Quotas code L-0EA8095F, service vpc). */
export const DEFAULT_RULES_PER_SECURITY_GROUP = 60;

/** The account's inbound-rule quota per security group, or why it could not be read (the default then applies). */
export type RulesQuota = { readonly value: number } | { readonly unreadable: string };

/** Inbound rules of one security group as AWS counts them against the quota: IPv4 and IPv6 rules separately. */
export function inboundRuleCounts(rules: readonly IngressRule[]): { readonly ipv4: number; readonly ipv6: number } {
    // A rule whose source is a security group or prefix list counts for both families.
    const both = rules.filter((rule) => rule.sourceSecurityGroupId !== undefined || rule.prefixListId !== undefined).length;
    return {
        ipv4: rules.filter((rule) => rule.cidrIpv4 !== undefined).length + both,
        ipv6: rules.filter((rule) => rule.cidrIpv6 !== undefined).length + both,
    };
}

/** True when some group has more inbound rules than any account allows without a raised quota. */
export function needsRulesQuota(args: CheckedArgs): boolean {
    return [args.instanceIngress, args.networkInterfaceIngress].some((rules) => {
        const { ipv4, ipv6 } = inboundRuleCounts(rules);
        return Math.max(ipv4, ipv6) > DEFAULT_RULES_PER_SECURITY_GROUP;
    });
}

/** Each group's inbound rules against the account's quota (or AWS's default of 60 where the quota cannot be read). */
export function checkRulesQuota(args: CheckedArgs, quota: RulesQuota): ValidationProblem[] {
    const limit = "value" in quota ? quota.value : DEFAULT_RULES_PER_SECURITY_GROUP;
    const source =
        "value" in quota
            ? `the account's quota "Inbound or outbound rules per security group" (L-0EA8095F) is ${limit}`
            : `AWS's default quota "Inbound or outbound rules per security group" (L-0EA8095F) is ${limit}; the account's own value could not be read through Service Quotas (${quota.unreadable}), so the default applies`;
    return (["instanceIngress", "networkInterfaceIngress"] as const).flatMap((field) => {
        const counts = inboundRuleCounts(args[field]);
        return (["ipv4", "ipv6"] as const)
            .filter((family) => counts[family] > limit)
            .map((family) => ({
                field,
                value: args[field],
                reason: `gives one security group ${counts[family]} ${family === "ipv4" ? "IPv4" : "IPv6"} inbound rules, but ${source}; AWS would refuse the rest with RulesPerSecurityGroupLimitExceeded`,
            }));
    });
}

/** What `aws.ec2.getVpcEndpointService` says of an interface endpoint service. */
export interface EndpointServiceFacts {
    readonly serviceName: string;
    readonly availabilityZones: readonly string[];
}

/** True when the component creates Session Manager's interface endpoints: a new network without a public instance. */
export function createsSsmEndpoints(args: CheckedArgs): boolean {
    return args.ssmAccess && !usesExistingNetwork(args) && args.publicInterface !== "instance";
}

/** Each Session Manager endpoint service must be offered in the zone of the subnet its endpoint goes into. */
export function checkEndpointServices(args: CheckedArgs, services: readonly EndpointServiceFacts[]): ValidationProblem[] {
    return services
        .filter((service) => !service.availabilityZones.includes(args.availabilityZone))
        .map((service) => ({
            field: "availabilityZone" as const,
            value: args.availabilityZone,
            reason: `has no ${service.serviceName} endpoint service (offered in: ${list(service.availabilityZones)}), which ssmAccess needs in the primary subnet; pick one of those zones`,
        }));
}

/** What `aws.ec2.getAmi` says of an image. */
export interface AmiFacts {
    /** `x86_64`, `arm64`, `i386`, `x86_64_mac` or `arm64_mac`. */
    readonly architecture: string;
    /** `available`, `pending`, `failed`, ... */
    readonly state: string;
    /** `ebs` or `instance-store`. */
    readonly rootDeviceType: string;
    /** Size of the root device's snapshot, where the image has one. */
    readonly rootSnapshotSizeGiB?: number;
    /** Whether the image has the ENA driver flag (`enaSupport`). Default true. */
    readonly enaSupport?: boolean;
    /** `legacy-bios`, `uefi`, `uefi-preferred`, or "" (the instance type's default). */
    readonly bootMode?: string;
}

/** Answers of the lookups that only some args need; a field is absent when its lookup did not run. */
export interface LookupFacts {
    /** The image the instance would launch; null when AWS has no such image. */
    readonly ami?: AmiFacts | null;
    /** For `resolve:ssm:<parameter>`: the parameter's name when it does not exist. */
    readonly missingAmiParameter?: string;
    readonly keyPairFound?: boolean;
    readonly instanceProfileFound?: boolean;
    /** With an existing network and a public side: whether that side's subnet routes 0.0.0.0/0 to an internet gateway. */
    readonly publicSubnetRoutesToInternetGateway?: boolean;
}

/** Checks the args against what the optional lookups found: the AMI, key pair, instance profile and existing routes. */
export function checkLookups(args: CheckedArgs, limits: InstanceTypeFacts | undefined, found: LookupFacts): ValidationProblem[] {
    const problems: ValidationProblem[] = [];
    const report = (field: ValidatedField, reason: string) => problems.push({ field, value: args[field], reason });
    const image = args.ami === undefined ? "the default Amazon Linux 2023 image" : "the image";
    if (found.missingAmiParameter !== undefined) {
        report("ami", `names SSM parameter ${found.missingAmiParameter}, which does not exist in the AWS provider's region`);
    } else if (found.ami === null) {
        report("ami", "does not exist in the AWS provider's region, or is not shared with this account");
    } else if (found.ami) {
        const { architecture, state, rootDeviceType, rootSnapshotSizeGiB } = found.ami;
        if (state !== "available") {
            report("ami", `is ${state}; AWS launches only available images`);
        }
        if (limits && !limits.supportedArchitectures.includes(architecture)) {
            report("ami", `is an ${architecture} image, but ${args.instanceType} runs ${list(limits.supportedArchitectures)}`);
        }
        const enaRequired = limits?.enaSupport === "required";
        if (enaRequired && found.ami.enaSupport === false) {
            report("ami", `has no ENA support (enaSupport false), but ${args.instanceType} requires ENA; AWS refuses the launch`);
        }
        const bootMode = found.ami.bootMode;
        if (limits?.bootModes && (bootMode === "uefi" || bootMode === "legacy-bios") && !limits.bootModes.includes(bootMode)) {
            report("ami", `boots only with ${bootMode} (bootMode), but ${args.instanceType} supports ${list(limits.bootModes)}; AWS refuses the launch with InvalidParameterValue`);
        }
        if (rootDeviceType !== "ebs") {
            report("ami", `has an ${rootDeviceType} root device; the encrypted gp3 root volume needs an EBS-backed image`);
        }
        if (args.rootVolumeSizeGiB !== undefined && rootSnapshotSizeGiB !== undefined && args.rootVolumeSizeGiB < rootSnapshotSizeGiB) {
            report("rootVolumeSizeGiB", `is smaller than ${image}'s root snapshot (${rootSnapshotSizeGiB} GiB); AWS needs at least that`);
        }
    }
    if (found.keyPairFound === false) {
        report("keyName", "is not a key pair in the AWS provider's region");
    }
    if (found.instanceProfileFound === false) {
        report("iamInstanceProfile", "is not an instance profile of this account");
    }
    if (found.publicSubnetRoutesToInternetGateway === false) {
        const subnet = args.publicInterface === "instance" ? "existingNetwork.primarySubnetId" : "existingNetwork.secondarySubnetId";
        report(
            "publicInterface",
            `is ${args.publicInterface}, but ${subnet} ${args[subnet]} has no route 0.0.0.0/0 to an internet gateway; an Elastic IP there would not be reachable`,
        );
    }
    return problems;
}

function list(values: readonly string[]): string {
    return values.length === 0 ? "none" : values.join(", ");
}

/** One line per problem: `<label><path> = <value>: <reason>`. */
export function describeProblems(problems: readonly ValidationProblem[], label: (field: ValidatedField) => string): string {
    return problems.map((p) => `  - ${label(p.field)}${p.path ?? ""} = ${formatValue(p.value)}: ${p.reason}`).join("\n");
}

/** A value as the caller gave it: JSON, except that NaN and ±Infinity show as themselves (JSON would print null). */
export function formatValue(value: unknown): string {
    const json = JSON.stringify(value, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? `\u0000${v}` : v));
    return json === undefined ? "undefined" : json.replace(/"\\u0000([^"]*)"/g, "$1");
}
