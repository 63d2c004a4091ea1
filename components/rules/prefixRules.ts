/**
 * Prefix delegation's rules: which instance types take prefixes, which addresses CreateNetworkInterface takes
 * beside a prefix count, and the room a /28 needs in a new subnet. Pure.
 */
import type { InstanceTypeFacts } from "../awsLookups";
import { awsReservedAddresses, type Ipv4Cidr } from "../cidr";
import type { CheckedArgs, ValidatedField, ValidationProblem } from "./fields";

/** Addresses in an IPv4 prefix AWS delegates: a /28. */
export const IPV4_PREFIX_ADDRESSES = 16;

const PREFIX_FIELDS = ["networkInterfaceIpv4PrefixCount", "networkInterfaceIpv6PrefixCount"] as const;

/**
 * AWS assigns prefixes only to instances built on the Nitro System (EC2 User Guide, "Assign prefixes to Amazon
 * EC2 network interfaces"): getInstanceType's `hypervisor` is `nitro`, or the type is bare metal (the Nitro
 * System without its hypervisor; amazon-vpc-cni-k8s `IsPrefixDelegationSupported` reads the two the same way).
 */
function takesPrefixes(limits: InstanceTypeFacts): boolean {
    return (limits.hypervisor ?? "nitro") === "nitro" || limits.bareMetal === true;
}

/**
 * The ENI's prefixes against the instance type (Nitro only) and against what CreateNetworkInterface takes in the
 * same request (EC2 API reference, CreateNetworkInterface: "You can't specify a count of IPv4 prefixes if you've
 * specified one of the following: specific IPv4 prefixes, specific private IPv4 addresses, or a count of private
 * IPv4 addresses", and the same of IPv6 prefixes beside IPv6 addresses or a count of them). The provider sends
 * every address setting in that one request (terraform-provider-aws `vpc_network_interface.go`
 * resourceNetworkInterfaceCreate), so a combination would leave no interface, and a later one replacing it
 * would fail the same way.
 */
export function checkPrefixes(args: CheckedArgs, limits: InstanceTypeFacts | undefined): ValidationProblem[] {
    const problems: ValidationProblem[] = [];
    const report = (field: ValidatedField, reason: string) => problems.push({ field, value: args[field], reason });
    const asked = PREFIX_FIELDS.filter((field) => args[field] > 0);
    if (limits && !takesPrefixes(limits)) {
        for (const field of asked) {
            report(field, `asks for prefixes, but ${args.instanceType} runs on the ${limits.hypervisor || "unknown"} hypervisor (getInstanceType hypervisor); AWS delegates prefixes only to Nitro-based instances`);
        }
    }
    if (args.networkInterfaceIpv4PrefixCount > 0) {
        const beside = [
            args.networkInterfacePrivateIp !== undefined ? "networkInterfacePrivateIp" : undefined,
            args.networkInterfaceSecondaryPrivateIps.length > 0 ? "networkInterfaceSecondaryPrivateIps" : undefined,
            args.networkInterfaceSecondaryPrivateIpCount > 0 ? "networkInterfaceSecondaryPrivateIpCount" : undefined,
        ].filter((field) => field !== undefined);
        if (beside.length > 0) {
            report(
                "networkInterfaceIpv4PrefixCount",
                `cannot be combined with ${beside.join(" and ")}: CreateNetworkInterface refuses a count of IPv4 prefixes beside specific private IPv4 addresses or a count of them, and the ENI is created in one request; let AWS pick the ENI's one address, or drop the prefixes`,
            );
        }
    }
    if (args.networkInterfaceIpv6PrefixCount > 0 && args.networkInterfaceIpv6AddressCount !== undefined) {
        report(
            "networkInterfaceIpv6PrefixCount",
            "cannot be combined with networkInterfaceIpv6AddressCount: CreateNetworkInterface refuses a count of IPv6 prefixes beside a count of IPv6 addresses, and the ENI is created in one request; leave the address count unset (the ENI's IPv6 addresses are then its prefixes)",
        );
    }
    return problems;
}

/**
 * The /28 blocks of a subnet that could be delegated: aligned, and holding none of the five addresses AWS
 * reserves (the first block holds the network address and the three after it, the last the broadcast address).
 */
export function delegableBlocks(subnet: Ipv4Cidr): number {
    const reserved = awsReservedAddresses(subnet);
    const blocks = Math.floor((subnet.broadcast - subnet.network + 1) / IPV4_PREFIX_ADDRESSES);
    const blocksWithReserved = new Set(reserved.map((address) => Math.floor((address - subnet.network) / IPV4_PREFIX_ADDRESSES))).size;
    return Math.max(0, blocks - blocksWithReserved);
}

/**
 * Why a subnet has no room for the ENI's /28 prefixes, or undefined: each needs a whole free block, and each of the
 * `others` addresses the component's interfaces take in a new subnet may sit in a block of its own (AWS picks them).
 */
export function prefixRoomProblem(subnet: Ipv4Cidr, prefixes: number, others: number): string | undefined {
    const blocks = delegableBlocks(subnet);
    const room = Math.max(0, blocks - others);
    if (prefixes <= room) {
        return undefined;
    }
    const less = others > 0 ? `, less ${others} the ENI's own address${others === 1 ? "" : "es"} may take` : "";
    return `has room for ${room} /28 prefix${room === 1 ? "" : "es"} (${blocks} whole /28 block${blocks === 1 ? "" : "s"} without any of AWS's 5 reserved addresses${less}), but networkInterfaceIpv4PrefixCount asks for ${prefixes}; AWS would refuse the ENI (InsufficientCidrBlocks)`;
}
