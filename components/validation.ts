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
    | "networkInterfaceSecondaryPrivateIpCount";

/** One broken rule: which arg, the value it had, and what is wrong with it. */
export interface ValidationProblem {
    readonly field: ValidatedField;
    readonly value: unknown;
    readonly reason: string;
}

/** Raw values as a caller or a stack config gave them; nothing about their types is trusted. */
export type RawArgs = { readonly [F in ValidatedField]?: unknown };

/** The args once `checkArgs` found no problem in them. */
export interface CheckedArgs {
    readonly availabilityZone: string;
    readonly vpcCidrBlock: string;
    readonly primarySubnetCidrBlock: string;
    readonly secondarySubnetCidrBlock: string;
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

/**
 * Checks the args that are known now. Fields in `pending` (values not resolved yet) are skipped,
 * together with every rule that needs them; call again with all values once they resolve.
 */
export function checkArgs(raw: RawArgs, pending: ReadonlySet<ValidatedField> = new Set()): ValidationProblem[] {
    const problems: ValidationProblem[] = [];
    const report = (field: ValidatedField, reason: string) => problems.push({ field, value: raw[field], reason });
    const known = (field: ValidatedField) => !pending.has(field);

    const text = (field: ValidatedField, required: boolean): string | undefined => {
        const value = raw[field];
        if (!known(field) || (value === undefined && !required)) {
            return undefined;
        }
        if (typeof value !== "string" || value.trim() === "") {
            report(field, value === undefined || value === "" ? "is required" : "must be a string");
            return undefined;
        }
        return value;
    };

    const cidr = (field: ValidatedField, kind: string): Ipv4Cidr | undefined => {
        const value = text(field, true);
        if (value === undefined) {
            return undefined;
        }
        const parsed = parseIpv4Cidr(value);
        if (!parsed.ok) {
            report(field, parsed.reason);
            return undefined;
        }
        const { prefixLength } = parsed.cidr;
        if (prefixLength < MIN_PREFIX_LENGTH || prefixLength > MAX_PREFIX_LENGTH) {
            report(field, `has prefix /${prefixLength}; AWS allows ${kind} prefixes from /${MIN_PREFIX_LENGTH} to /${MAX_PREFIX_LENGTH}`);
            return undefined;
        }
        return parsed.cidr;
    };

    const vpc = cidr("vpcCidrBlock", "VPC");
    const primary = cidr("primarySubnetCidrBlock", "subnet");
    const secondary = cidr("secondarySubnetCidrBlock", "subnet");
    for (const [field, subnet] of [["primarySubnetCidrBlock", primary], ["secondarySubnetCidrBlock", secondary]] as const) {
        if (vpc && subnet && !cidrContains(vpc, subnet)) {
            report(field, `is not inside vpcCidrBlock ${vpc.canonical}`);
        }
    }
    if (primary && secondary && cidrsOverlap(primary, secondary)) {
        report(
            "secondarySubnetCidrBlock",
            primary.canonical === secondary.canonical
                ? `is the same block as primarySubnetCidrBlock; the two subnets need distinct ranges`
                : `overlaps primarySubnetCidrBlock ${primary.canonical}`,
        );
    }

    const zone = text("availabilityZone", true);
    if (zone !== undefined && regionOfAvailabilityZone(zone) === undefined) {
        report("availabilityZone", "is not an availability zone name like ap-south-1a");
    }

    const instanceType = text("instanceType", true);
    if (instanceType !== undefined && !INSTANCE_TYPE.test(instanceType)) {
        report("instanceType", "is not an instance type name like t3.micro");
    }

    const ami = text("ami", false);
    if (ami !== undefined && !AMI.test(ami)) {
        report("ami", "is not an AMI id like ami-0123456789abcdef0 (or resolve:ssm:<parameter>)");
    }

    const prefix = text("namePrefix", true);
    if (prefix !== undefined && prefix.length > MAX_NAME_PREFIX_LENGTH) {
        report("namePrefix", `is ${prefix.length} characters long; at most ${MAX_NAME_PREFIX_LENGTH} fit AWS's name limits`);
    }

    const fixedIp = (field: ValidatedField, subnetField: ValidatedField, subnet: Ipv4Cidr | undefined) => {
        const value = text(field, false);
        if (value === undefined) {
            return;
        }
        const address = parseIpv4(value);
        if (address === undefined) {
            report(field, "is not an IPv4 address like 10.0.0.10");
        } else if (subnet && !cidrIncludes(subnet, address)) {
            report(field, `is not inside ${subnetField} ${subnet.canonical}`);
        } else if (subnet && awsReservedAddresses(subnet).includes(address)) {
            const reserved = awsReservedAddresses(subnet).map(numberToIpv4).join(", ");
            report(field, `is one of the five addresses AWS reserves in ${subnet.canonical} (${reserved})`);
        }
    };
    fixedIp("instancePrivateIp", "primarySubnetCidrBlock", primary);
    fixedIp("networkInterfacePrivateIp", "secondarySubnetCidrBlock", secondary);

    const count = raw.networkInterfaceSecondaryPrivateIpCount;
    if (known("networkInterfaceSecondaryPrivateIpCount") && count !== undefined && !(Number.isInteger(count) && (count as number) >= 0)) {
        report("networkInterfaceSecondaryPrivateIpCount", "must be a whole number, 0 or more");
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
        report("instanceType", `is not offered in region ${facts.region} (unknown type, or not sold there)`);
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
