/**
 * Dual stack's arithmetic, pure: the /64 each new subnet takes of the VPC's /56, and the IPv6 address count each
 * interface asks AWS for.
 */
import * as ipaddr from "ipaddr.js";

/** Which /64 of the VPC's /56 each new subnet takes: `ipv6SubnetBlock(vpcBlock, index)`. */
export const IPV6_SUBNET_INDEX = { primary: 0, secondary: 1 } as const;

/** The prefix length AWS gives a VPC's Amazon-provided IPv6 block, and a subnet's. */
export const VPC_IPV6_PREFIX_LENGTH = 56;
export const SUBNET_IPV6_PREFIX_LENGTH = 64;

/** An IPv6 address as a 128-bit integer. */
export function ipv6ToBigInt(address: string): bigint {
    return ipaddr.IPv6.parse(address)
        .toByteArray()
        .reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

/** A 128-bit integer as an IPv6 address, in its short form (`2600:1f18::1`). */
export function bigIntToIpv6(value: bigint): string {
    const bytes = Array.from({ length: 16 }, (_, i) => Number((value >> BigInt(8 * (15 - i))) & 0xffn));
    return ipaddr.fromByteArray(bytes).toString();
}

/**
 * The `index`-th /64 of an IPv6 block (`2600:1f18:47b:ab00::/56`, 1 → `2600:1f18:47b:ab01::/64`): what
 * Terraform's `cidrsubnet(vpc_ipv6, 8, index)` gives for a /56. Throws for an index the block does not hold.
 */
export function ipv6SubnetBlock(vpcBlock: string, index: number): string {
    const [address, prefixLength] = ipaddr.IPv6.parseCIDR(vpcBlock);
    const blocks = 2 ** (SUBNET_IPV6_PREFIX_LENGTH - prefixLength);
    if (!Number.isInteger(index) || index < 0 || index >= blocks) {
        throw new Error(`${vpcBlock} holds ${blocks} /${SUBNET_IPV6_PREFIX_LENGTH} blocks; there is no block ${index}`);
    }
    const network = ipv6ToBigInt(address.toString()) & ~((1n << BigInt(128 - prefixLength)) - 1n);
    return `${bigIntToIpv6(network + (BigInt(index) << BigInt(128 - SUBNET_IPV6_PREFIX_LENGTH)))}/${SUBNET_IPV6_PREFIX_LENGTH}`;
}

/** What decides the IPv6 address counts of the interfaces. */
export interface Ipv6Settings {
    readonly ipv6: boolean;
    readonly instanceIpv6AddressCount?: number;
    readonly networkInterfaceIpv6AddressCount?: number;
    readonly networkInterfaceIpv6PrefixCount: number;
}

/**
 * The IPv6 address count each interface asks for (undefined: none asked): with `ipv6`, the count given, else 1;
 * the ENI none when it takes IPv6 prefixes instead (CreateNetworkInterface takes one or the other). The standby
 * asks for the instance's count.
 */
export function ipv6AddressCounts(settings: Ipv6Settings): { readonly instance?: number; readonly networkInterface?: number } {
    if (!settings.ipv6) {
        return {};
    }
    const eniDefault = settings.networkInterfaceIpv6PrefixCount > 0 ? undefined : 1;
    return { instance: settings.instanceIpv6AddressCount ?? 1, networkInterface: settings.networkInterfaceIpv6AddressCount ?? eniDefault };
}
