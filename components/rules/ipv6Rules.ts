/**
 * Dual stack's rules: the shapes of the IPv6 args, what they need of each other, and what the instance type, the
 * existing subnets and a new network's zone must offer (`aws.ec2.getInstanceType`, `aws.ec2.getSubnet`,
 * `aws.getAvailabilityZone`). Pure.
 */
import type { InstanceTypeFacts, SubnetFacts } from "../awsLookups";
import { ipv6AddressCounts } from "../ipv6Addressing";
import type { ZoneFacts } from "../networkLookups";
import type { Checker } from "./checker";
import { type CheckedArgs, usesExistingNetwork, type ValidatedField, type ValidationProblem } from "./fields";

const IPV6_COUNTS = ["instanceIpv6AddressCount", "networkInterfaceIpv6AddressCount"] as const;

/** The value of a field that is known now and set (not pending, not undefined). */
const known = (checker: Checker, field: ValidatedField): unknown => (checker.pending.has(field) ? undefined : checker.raw[field]);

/** The shapes of the IPv6 and prefix args, and the IPv6 args that need `ipv6` on. */
export function checkIpv6Args(checker: Checker): void {
    const ipv6 = checker.flag("ipv6") === true;
    for (const field of IPV6_COUNTS) {
        checker.wholeNumber(field, 1, Number.MAX_SAFE_INTEGER, "a whole number, 1 or more (leave it unset for the default of 1)");
        if (known(checker, field) !== undefined && !ipv6) {
            checker.report(field, "needs ipv6: true; without it the subnets have no IPv6 block to take addresses from");
        }
    }
    for (const field of ["networkInterfaceIpv4PrefixCount", "networkInterfaceIpv6PrefixCount"] as const) {
        checker.wholeNumber(field, 0, Number.MAX_SAFE_INTEGER, "a whole number, 0 or more");
    }
    const ipv6Prefixes = known(checker, "networkInterfaceIpv6PrefixCount");
    if (typeof ipv6Prefixes === "number" && ipv6Prefixes > 0 && !ipv6) {
        checker.report("networkInterfaceIpv6PrefixCount", "needs ipv6: true; AWS delegates IPv6 prefixes from the subnet's IPv6 block, which only ipv6 gives the subnets");
    }
}

/** True when inbound rules may name IPv6 sources: the VPC has (or, with `ipv6`, will have) an IPv6 block. */
export function takesIpv6Sources(checker: Checker, existingNetwork: boolean): boolean {
    return existingNetwork || checker.raw.ipv6 === true;
}

/** With `ipv6` on an existing network: both subnets must have an IPv6 block already. */
export function checkExistingSubnetsIpv6(args: CheckedArgs, subnets: { readonly primary?: SubnetFacts; readonly secondary?: SubnetFacts }): ValidationProblem[] {
    if (!args.ipv6) {
        return [];
    }
    const fields = [
        ["existingNetwork.primarySubnetId", subnets.primary],
        ["existingNetwork.secondarySubnetId", subnets.secondary],
    ] as const;
    return fields
        .filter(([, subnet]) => subnet !== undefined && subnet.ipv6CidrBlock === undefined)
        .map(([field]) => ({
            field,
            value: args[field],
            reason: "has no IPv6 CIDR block, but ipv6 is on; associate a /64 of the VPC's IPv6 block with it first (aws ec2 associate-subnet-cidr-block), or turn ipv6 off",
        }));
}

/**
 * The instance type against `ipv6`: it must support IPv6 (getInstanceType `ipv6Supported`), and each interface's
 * IPv6 addresses, and the ENI's /80 prefixes (each takes one slot), must fit `maximumIpv6AddressesPerInterface`.
 */
export function checkIpv6AgainstType(args: CheckedArgs, limits: InstanceTypeFacts | undefined): ValidationProblem[] {
    if (!args.ipv6 || !limits) {
        return [];
    }
    if (limits.ipv6Supported === false) {
        return [
            {
                field: "instanceType",
                value: args.instanceType,
                reason: "has no IPv6 (getInstanceType ipv6Supported false), but ipv6 is on; pick a current-generation type (every Nitro type has IPv6) or turn ipv6 off",
            },
        ];
    }
    const limit = limits.maximumIpv6AddressesPerInterface ?? limits.maximumIpv4AddressesPerInterface;
    const counts = ipv6AddressCounts(args);
    const eniPrefixes = args.networkInterfaceIpv6PrefixCount;
    const interfaces = [
        ["instanceIpv6AddressCount", "the instance's primary interface", counts.instance ?? 0, 0],
        [eniPrefixes > 0 ? "networkInterfaceIpv6PrefixCount" : "networkInterfaceIpv6AddressCount", "the ENI", counts.networkInterface ?? 0, eniPrefixes],
    ] as const;
    return interfaces
        .filter(([, , addresses, prefixes]) => addresses + prefixes > limit)
        .map(([field, where, addresses, prefixes]) => ({
            field,
            value: args[field] ?? addresses,
            reason: `asks for ${addresses + prefixes} IPv6 ${prefixes > 0 ? `slots on ${where} (${addresses} address${addresses === 1 ? "" : "es"} + ${prefixes} /80 prefix${prefixes === 1 ? "" : "es"}; each prefix counts as one address)` : `addresses on ${where}`}, but ${args.instanceType} allows ${limit} per interface (getInstanceType maximumIpv6AddressesPerInterface)`,
        }));
}

/** True when `ipv6` needs the zone's type: a new network, whose VPC asks for its /56 from the region. */
export function needsIpv6Zone(args: CheckedArgs): boolean {
    return args.ipv6 && !usesExistingNetwork(args);
}

/**
 * A new network's VPC takes its Amazon /56 from the region's network border group, and a subnet takes a /64 only of
 * a block of its own zone's group: a Local Zone's subnet needs a block of the Local Zone's group
 * (terraform-aws-modules/terraform-aws-vpc#1224), and a Wavelength Zone's subnet takes none (#864: "InvalidSubnet.Range:
 * The IPv6 CIDR '…' is invalid."). AWS would refuse the subnets after the VPC exists.
 */
export function checkIpv6Zone(args: CheckedArgs, zone: ZoneFacts): ValidationProblem[] {
    if (!needsIpv6Zone(args) || zone.zoneType === "availability-zone") {
        return [];
    }
    const kind = zone.zoneType === "local-zone" ? "a Local Zone" : "a Wavelength Zone";
    return [
        {
            field: "ipv6",
            value: args.ipv6,
            reason: `is true, but ${args.availabilityZone} is ${kind} (getAvailabilityZone zoneType ${zone.zoneType}, network border group ${zone.networkBorderGroup}): the new VPC's Amazon /56 is advertised from the region, and AWS gives a subnet there no /64 of it (InvalidSubnet.Range) after the VPC exists; use an Availability Zone of the region, or existingNetwork with subnets that have IPv6 blocks`,
        },
    ];
}
