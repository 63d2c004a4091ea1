/**
 * What AWS says of every EC2 instance type it lists, without asking it: the network limits of
 * `awsInstanceNetworkLimits.json` (DescribeInstanceTypes in 17 regions, see its `source`), the hypervisor and
 * IPv6 limits of `awsInstanceIpv6.json` (see its `source` and `notes`) and the architectures each type runs,
 * derived from its name. The mocks answer from here, and validation uses it to tell an unknown type from a real
 * one that a region does not sell.
 */
import type { InstanceTypeFacts } from "./awsLookups";
import ipv6 from "./awsInstanceIpv6.json";
import limits from "./awsInstanceNetworkLimits.json";

/** Per type, `[maximumNetworkInterfaces, maximumIpv4AddressesPerInterface]` (the file's `columns`). */
const NETWORK_LIMITS: Readonly<Record<string, readonly number[]>> = limits.instanceTypes;

/** Per type, `[hypervisor, bareMetal, ipv6AddressesPerInterface]` (the file's `columns`); null where no source had it. */
const IPV6_FACTS = ipv6.instanceTypes as unknown as Readonly<Record<string, readonly [string | null, boolean, number | null]>>;

/** The names of every instance type AWS lists. */
export const INSTANCE_TYPE_NAMES: readonly string[] = Object.keys(NETWORK_LIMITS);

/**
 * The types whose DescribeInstanceTypes `SupportedArchitectures` is `["i386", "x86_64"]`: the older Xen
 * types that also run 32-bit AMIs. Source: DescribeInstanceTypes output grouped by architecture in
 * weldpua2008/aws.ec2.compare (`ec2_compare/internal/architectures/i386.py`, `instance_type/c3.py`,
 * `instance_type/m3.py`: c3.large runs i386, c3.xlarge and every m3 size do not); kubernetes/kops#11463
 * quotes the same answer for t2.micro.
 */
const ALSO_32_BIT = new Set(["t1.micro", "t2.nano", "t2.micro", "t2.small", "t2.medium", "m1.small", "m1.medium", "c1.medium", "c3.large"]);

/** A Graviton family: generation digits, then attribute letters that begin with `g` (`t4g`, `c6gn`, `is4gen`, `g5g`, `i8ge`). */
const GRAVITON_FAMILY = /^[a-z]+\d+g/;

/**
 * The architectures AWS reports in `supportedArchitectures` for an instance type, derived from its name:
 * - `mac1` (Intel Mac mini) → `x86_64_mac`; every other Mac family (`mac2`, `mac2-m2pro`, `mac-m4`, ...,
 *   Apple silicon) → `arm64_mac`;
 * - `a1` (first Graviton) and the Graviton families → `arm64`;
 * - the few older types that also run 32-bit → `i386`, `x86_64`;
 * - everything else (Intel and AMD, including GPU and accelerator hosts such as `g4dn`, `p5en`, `inf2`,
 *   `trn1`, and `u7i-12tb`, `bmn-sf1`) → `x86_64`.
 */
export function architecturesOf(instanceType: string): readonly string[] {
    const family = instanceType.split(".")[0];
    if (family.startsWith("mac")) {
        return family === "mac1" ? ["x86_64_mac"] : ["arm64_mac"];
    }
    if (ALSO_32_BIT.has(instanceType)) {
        return ["i386", "x86_64"];
    }
    return family === "a1" || GRAVITON_FAMILY.test(family) ? ["arm64"] : ["x86_64"];
}

/**
 * Types that launch only on a Dedicated Host: every Mac (`mac1.metal`, `mac2.metal`, `mac2-m2pro.metal`,
 * `mac-m4.metal`, ...) and the High Memory bare-metal types `u-6tb1.metal` to `u-24tb1.metal` (AWS's EC2
 * user guide: "Mac instances are available only as bare metal instances on Dedicated Hosts"; the
 * `u-*tb1.metal` types "can only be launched on Dedicated Hosts"). DescribeInstanceTypes has no field that
 * says so (`dedicatedHostsSupported` is true for many types that also run on shared tenancy).
 */
export function dedicatedHostOnly(instanceType: string): boolean {
    return /^mac[\w-]*\.metal$/.test(instanceType) || /^u-\d+tb1\.metal$/.test(instanceType);
}

/**
 * What `aws.ec2.getInstanceType` answers for a type of the table; undefined for a type outside it. The table
 * holds the limit of the type's default network card (as the VPC CNI reads it), answered here as card 0's.
 * ENA and boot modes follow the type's generation: the older Xen types that also run 32-bit have no ENA and
 * boot legacy BIOS only, Graviton boots UEFI only, every other type requires ENA and boots either.
 */
export function instanceTypeFacts(instanceType: string): InstanceTypeFacts | undefined {
    if (!Object.hasOwn(NETWORK_LIMITS, instanceType)) {
        return undefined;
    }
    const [maximumNetworkInterfaces, maximumIpv4AddressesPerInterface] = NETWORK_LIMITS[instanceType];
    const supportedArchitectures = architecturesOf(instanceType);
    const xen = supportedArchitectures.includes("i386");
    return {
        maximumNetworkInterfaces,
        maximumIpv4AddressesPerInterface,
        supportedArchitectures,
        networkCards: [{ index: 0, maximumInterfaces: maximumNetworkInterfaces }],
        defaultNetworkCardIndex: 0,
        enaSupport: xen ? "unsupported" : "required",
        bootModes: xen ? ["legacy-bios"] : supportedArchitectures.includes("arm64") ? ["uefi"] : ["legacy-bios", "uefi"],
        supportedUsagesClasses: dedicatedHostOnly(instanceType) ? ["on-demand"] : ["on-demand", "spot"],
        ...ipv6FactsOf(instanceType, maximumIpv4AddressesPerInterface),
    };
}

/**
 * The previous-generation types that `awsInstanceIpv6.json` gives no hypervisor or IPv6 limit (`null`): AWS
 * names IPv6 for "all current generation instance types and the C3, R3, and I2 previous generation instance
 * types" (Amazon VPC User Guide, migrating to IPv6, instance types), so not these two, which run on Xen.
 */
const PREVIOUS_GENERATION_WITHOUT_FACTS = new Set(["cr1.8xlarge", "hs1.8xlarge"]);

/**
 * What getInstanceType says of a type's hypervisor and IPv6. The table has IPv6 addresses per interface for 749
 * types: 0 for the c1, m1, m2, m3 and t1 generations, elsewhere always the IPv4 limit. For the 642 it lacks (newer
 * Nitro and bare-metal types, and cr1.8xlarge and hs1.8xlarge) the mocks assume the same rule: the IPv4 limit, as
 * for every current-generation type listed, and none for those two previous-generation ones (Xen, no IPv6).
 */
function ipv6FactsOf(instanceType: string, maximumIpv4AddressesPerInterface: number): Pick<InstanceTypeFacts, "hypervisor" | "bareMetal" | "ipv6Supported" | "maximumIpv6AddressesPerInterface"> {
    const [hypervisor, bareMetal, ipv6PerInterface] = IPV6_FACTS[instanceType] ?? [null, false, null];
    const previous = PREVIOUS_GENERATION_WITHOUT_FACTS.has(instanceType);
    const maximumIpv6AddressesPerInterface = ipv6PerInterface ?? (previous ? 0 : maximumIpv4AddressesPerInterface);
    return { hypervisor: hypervisor ?? (previous ? "xen" : ""), bareMetal, ipv6Supported: maximumIpv6AddressesPerInterface > 0, maximumIpv6AddressesPerInterface };
}
