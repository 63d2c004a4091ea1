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
import { instanceTypeFacts } from "./instanceTypes";

/** The args that validation reads, by the name a caller uses for them. */
export type ValidatedField =
    | "availabilityZone"
    | "vpcCidrBlock"
    | "primarySubnetCidrBlock"
    | "secondarySubnetCidrBlock"
    | "instanceType"
    | "ami"
    | "namePrefix"
    | "instancePrivateIp"
    | "networkInterfacePrivateIp"
    | "networkInterfaceSecondaryPrivateIpCount"
    | ExistingNetworkField;

/** The ids of a network that exists already, flattened as `existingNetwork.<key>`. */
export type ExistingNetworkField = "existingNetwork.vpcId" | "existingNetwork.primarySubnetId" | "existingNetwork.secondarySubnetId";
export const EXISTING_NETWORK_FIELDS: readonly ExistingNetworkField[] = [
    "existingNetwork.vpcId",
    "existingNetwork.primarySubnetId",
    "existingNetwork.secondarySubnetId",
];
const NEW_NETWORK_FIELDS: readonly ValidatedField[] = ["availabilityZone", "vpcCidrBlock", "primarySubnetCidrBlock", "secondarySubnetCidrBlock"];

/** One broken rule: which arg, the value it had, and what is wrong with it. */
export interface ValidationProblem {
    readonly field: ValidatedField;
    readonly value: unknown;
    readonly reason: string;
}

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
}

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

export interface InstanceTypeFacts {
    readonly maximumNetworkInterfaces: number;
    readonly maximumIpv4AddressesPerInterface: number;
    readonly supportedArchitectures: readonly string[];
}

/** AWS's bounds on VPC and subnet IPv4 prefix lengths. */
export const MIN_PREFIX_LENGTH = 16;
export const MAX_PREFIX_LENGTH = 28;
/** Longest accepted `namePrefix`, so that `<prefix>-network-interface` fits AWS's 255-character limits. */
export const MAX_NAME_PREFIX_LENGTH = 200;

const AVAILABILITY_ZONE = /^([a-z]{2}(?:-[a-z]+)+-\d+)(?:-[a-z]+-\d+)?[a-z]$/;
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

    report(field: ValidatedField, reason: string): void {
        this.problems.push({ field, value: this.raw[field], reason });
    }

    /** The field's string value, or undefined when it is pending, absent and optional, or invalid (reported). */
    text(field: ValidatedField, required: boolean): string | undefined {
        const value = this.raw[field];
        if (this.pending.has(field) || (value === undefined && !required)) {
            return undefined;
        }
        if (typeof value !== "string" || value.trim() === "") {
            this.report(field, value === undefined || value === "" ? "is required" : "must be a string");
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

    const prefix = checker.text("namePrefix", true);
    if (prefix !== undefined && prefix.length > MAX_NAME_PREFIX_LENGTH) {
        checker.report("namePrefix", `is ${prefix.length} characters long; at most ${MAX_NAME_PREFIX_LENGTH} fit AWS's name limits`);
    }

    const fixedIp = (field: ValidatedField, subnetName: string, subnet: Ipv4Cidr | undefined) => {
        const value = checker.text(field, false);
        if (value === undefined) {
            return;
        }
        const address = parseIpv4(value);
        if (address === undefined) {
            checker.report(field, "is not an IPv4 address like 10.0.0.10");
        } else if (subnet && !cidrIncludes(subnet, address)) {
            checker.report(field, `is not inside the ${subnetName} ${subnet.canonical}`);
        } else if (subnet && awsReservedAddresses(subnet).includes(address)) {
            const reserved = awsReservedAddresses(subnet).map(numberToIpv4).join(", ");
            checker.report(field, `is one of the five addresses AWS reserves in ${subnet.canonical} (${reserved})`);
        }
    };
    fixedIp("instancePrivateIp", "primary subnet", subnets.primary);
    fixedIp("networkInterfacePrivateIp", "secondary subnet", subnets.secondary);

    const count = checker.raw.networkInterfaceSecondaryPrivateIpCount;
    if (!checker.pending.has("networkInterfaceSecondaryPrivateIpCount") && count !== undefined && !(Number.isInteger(count) && (count as number) >= 0)) {
        checker.report("networkInterfaceSecondaryPrivateIpCount", "must be a whole number, 0 or more");
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
    if (limits) {
        if (limits.maximumNetworkInterfaces < 2) {
            report("instanceType", `takes ${limits.maximumNetworkInterfaces} network interface; a second ENI needs a type that takes at least 2`);
        }
        const addresses = args.networkInterfaceSecondaryPrivateIpCount + 1;
        if (addresses > limits.maximumIpv4AddressesPerInterface) {
            report(
                "networkInterfaceSecondaryPrivateIpCount",
                `asks for ${addresses} IPv4 addresses on the ENI (1 primary + secondaries), but ${args.instanceType} allows ${limits.maximumIpv4AddressesPerInterface} per interface`,
            );
        }
        if (args.ami === undefined && amiArchitecture(limits.supportedArchitectures) === undefined) {
            report("instanceType", `runs ${list(limits.supportedArchitectures)}, for which there is no Amazon Linux 2023 image; set ami`);
        }
    }
    return problems;
}

function list(values: readonly string[]): string {
    return values.length === 0 ? "none" : values.join(", ");
}

/** One line per problem: `<label> = <value>: <reason>`. */
export function describeProblems(problems: readonly ValidationProblem[], label: (field: ValidatedField) => string): string {
    return problems.map((p) => `  - ${label(p.field)} = ${JSON.stringify(p.value) ?? "undefined"}: ${p.reason}`).join("\n");
}
