/**
 * Special-purpose address blocks: the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and the
 * RFCs each entry cites), plus multicast and the reserved 240.0.0.0/4. A local table, so the rules that need
 * "no internet host has this address" depend on no library's private data.
 */

/** A named set of special-purpose blocks, with the RFC that defines them. */
interface SpecialRange {
    readonly name: string;
    readonly rfc: string;
    readonly blocks: readonly string[];
}

export const SPECIAL_IPV4_RANGES = [
    { name: "this network", rfc: "RFC 791", blocks: ["0.0.0.0/8"] },
    { name: "private", rfc: "RFC 1918", blocks: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] },
    { name: "shared address space (carrier-grade NAT)", rfc: "RFC 6598", blocks: ["100.64.0.0/10"] },
    { name: "loopback", rfc: "RFC 1122", blocks: ["127.0.0.0/8"] },
    { name: "link-local", rfc: "RFC 3927", blocks: ["169.254.0.0/16"] },
    { name: "IETF protocol assignments", rfc: "RFC 6890", blocks: ["192.0.0.0/24"] },
    { name: "documentation", rfc: "RFC 5737", blocks: ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"] },
    { name: "6to4 relay anycast", rfc: "RFC 7526", blocks: ["192.88.99.0/24"] },
    { name: "benchmarking", rfc: "RFC 2544", blocks: ["198.18.0.0/15"] },
    { name: "multicast", rfc: "RFC 5771", blocks: ["224.0.0.0/4"] },
    { name: "reserved", rfc: "RFC 1112", blocks: ["240.0.0.0/4"] },
    { name: "limited broadcast", rfc: "RFC 919", blocks: ["255.255.255.255/32"] },
] as const satisfies readonly SpecialRange[];

/** The blocks inside IPv6's global unicast 2000::/3 that no internet host has. */
export const SPECIAL_IPV6_GLOBAL_RANGES = [
    { name: "IETF protocol assignments", rfc: "RFC 2928", blocks: ["2001::/23"] },
    { name: "documentation", rfc: "RFC 3849", blocks: ["2001:db8::/32"] },
] as const satisfies readonly SpecialRange[];

/** The IPv4 blocks no internet host has. */
export const NOT_PUBLIC_IPV4_BLOCKS: readonly string[] = SPECIAL_IPV4_RANGES.flatMap((range) => range.blocks);
/** The IPv6 blocks of 2000::/3 no internet host has. */
export const NOT_PUBLIC_IPV6_BLOCKS: readonly string[] = SPECIAL_IPV6_GLOBAL_RANGES.flatMap((range) => range.blocks);
