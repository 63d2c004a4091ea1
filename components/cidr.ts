/**
 * Pure IPv4 CIDR arithmetic: parsing, containment, overlap and the addresses AWS reserves.
 * Parsing is delegated to `ipaddr.js`; everything else works on 32-bit unsigned integers.
 */
import * as ipaddr from "ipaddr.js";

/** A parsed IPv4 CIDR block. `network` and `broadcast` are unsigned 32-bit integers. */
export interface Ipv4Cidr {
    /** The block as written by the caller. */
    readonly text: string;
    /** The canonical form: the network address (host bits zero) and the prefix length. */
    readonly canonical: string;
    readonly prefixLength: number;
    readonly network: number;
    readonly broadcast: number;
}

/** Why a string is not a usable CIDR; `canonical` is set when only the host bits were wrong. */
export type CidrParseResult =
    | { readonly ok: true; readonly cidr: Ipv4Cidr }
    | { readonly ok: false; readonly reason: string; readonly canonical?: string };

export function ipv4ToNumber(address: ipaddr.IPv4): number {
    return address.toByteArray().reduce((acc, octet) => acc * 256 + octet, 0);
}

export function numberToIpv4(value: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** Parses a dotted-quad IPv4 address (no octal, hex or short forms), or returns undefined. */
export function parseIpv4(text: string): number | undefined {
    return ipaddr.IPv4.isValidFourPartDecimal(text) ? ipv4ToNumber(ipaddr.IPv4.parse(text)) : undefined;
}

/** Parses `a.b.c.d/n` strictly; a block whose host bits are set is refused with its canonical form. */
export function parseIpv4Cidr(text: string): CidrParseResult {
    if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) {
        return { ok: false, reason: "is not an IPv4 CIDR block like 10.0.0.0/16" };
    }
    const [address, prefixLength] = ipaddr.IPv4.parseCIDR(text);
    const networkAddress = ipaddr.IPv4.networkAddressFromCIDR(text);
    const canonical = `${networkAddress.toString()}/${prefixLength}`;
    if (networkAddress.toString() !== address.toString()) {
        return { ok: false, reason: `has host bits set; use the canonical "${canonical}"`, canonical };
    }
    const network = ipv4ToNumber(networkAddress);
    const broadcast = network + 2 ** (32 - prefixLength) - 1;
    return { ok: true, cidr: { text, canonical, prefixLength, network, broadcast } };
}

/** True when every address of `inner` lies in `outer` (a block contains itself). */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
    return inner.network >= outer.network && inner.broadcast <= outer.broadcast;
}

/** True when the two blocks share at least one address. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
    return a.network <= b.broadcast && b.network <= a.broadcast;
}

/** True when `address` (an unsigned 32-bit integer) lies in `cidr`. */
export function cidrIncludes(cidr: Ipv4Cidr, address: number): boolean {
    return address >= cidr.network && address <= cidr.broadcast;
}

/**
 * The five addresses AWS reserves in every subnet: the network address, +1 (VPC router),
 * +2 (DNS), +3 (reserved for future use) and the broadcast address.
 */
export function awsReservedAddresses(subnet: Ipv4Cidr): number[] {
    return [subnet.network, subnet.network + 1, subnet.network + 2, subnet.network + 3, subnet.broadcast];
}

/** Parses an IPv6 CIDR (`2001:db8::/32`, `::/0`); a block whose host bits are set is refused with its canonical form. */
export function parseIpv6Cidr(text: string): { readonly ok: true; readonly prefixLength: number } | { readonly ok: false; readonly reason: string } {
    if (!ipaddr.IPv6.isValidCIDR(text) || text.includes("%")) {
        return { ok: false, reason: "is not an IPv6 CIDR block like 2001:db8::/32" };
    }
    const [address, prefixLength] = ipaddr.IPv6.parseCIDR(text);
    const networkAddress = ipaddr.IPv6.networkAddressFromCIDR(text);
    if (networkAddress.toNormalizedString() !== address.toNormalizedString()) {
        return { ok: false, reason: `has host bits set; use the canonical "${networkAddress.toString()}/${prefixLength}"` };
    }
    return { ok: true, prefixLength };
}

/** A valid IPv6 CIDR block in RFC 5952's form (lower case, longest zero run compressed): `2001:DB8:0::/32` is `2001:db8::/32`. */
export function canonicalIpv6Cidr(cidr: string): string {
    const [address, prefixLength] = ipaddr.IPv6.parseCIDR(cidr);
    return `${address.toRFC5952String()}/${prefixLength}`;
}

/** First and last address of an IPv4 or IPv6 CIDR block, as integers of that family's width. */
export interface AddressRange {
    readonly first: bigint;
    readonly last: bigint;
}

/** The addresses a canonical CIDR block (`10.0.0.0/8`, `2001:db8::/32`) spans, or undefined for anything else. */
export function addressRange(cidr: string): AddressRange | undefined {
    if (!ipaddr.isValidCIDR(cidr)) {
        return undefined;
    }
    const [address, prefixLength] = ipaddr.parseCIDR(cidr);
    const bits = address.kind() === "ipv4" ? 32 : 128;
    const first = address.toByteArray().reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
    const size = 1n << BigInt(bits - prefixLength);
    const network = (first / size) * size;
    return { first: network, last: network + size - 1n };
}

/**
 * The part of `wanted` that no range of `covering` includes, as sorted disjoint ranges: empty when the
 * union of `covering` spans all of `wanted`.
 */
export function uncovered(wanted: readonly AddressRange[], covering: readonly AddressRange[]): AddressRange[] {
    const sorted = [...covering].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    const left: AddressRange[] = [];
    for (const range of wanted) {
        let next = range.first;
        for (const cover of sorted) {
            if (cover.last < next || cover.first > range.last) {
                continue;
            }
            if (cover.first > next) {
                left.push({ first: next, last: cover.first - 1n });
            }
            next = cover.last + 1n;
            if (next > range.last) {
                break;
            }
        }
        if (next <= range.last) {
            left.push({ first: next, last: range.last });
        }
    }
    return left;
}
