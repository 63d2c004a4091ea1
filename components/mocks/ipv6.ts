/**
 * IPv6 and prefix delegation in the fake account, as EC2 hands them out: an Amazon-provided /56 per VPC that asks,
 * /64 subnets inside it, IPv6 addresses and /80 prefixes from a subnet's /64, IPv4 /28 prefixes from its IPv4
 * block; and the requests EC2 refuses, failing with the provider's text around EC2's error code.
 */
import * as ipaddr from "ipaddr.js";
import { bigIntToIpv6, ipv6ToBigInt, SUBNET_IPV6_PREFIX_LENGTH, VPC_IPV6_PREFIX_LENGTH } from "../ipv6Addressing";
import { ec2ApiError } from "./awsErrors";
import { FakeAws, type FakeSubnet, fakeZone, hex } from "./fakeAws";

/** The IPv6 state of one fake account: each VPC's /56 and its network border group, and the IPv6 addresses and /80s taken in each subnet. */
interface Ipv6State {
    readonly vpcBlocks: Map<string, { readonly block: string; readonly networkBorderGroup: string }>;
    readonly taken: WeakMap<FakeSubnet, { readonly addresses: Set<bigint>; readonly prefixes: Set<bigint> }>;
}

const states = new WeakMap<FakeAws, Ipv6State>();

function stateOf(aws: FakeAws): Ipv6State {
    let state = states.get(aws);
    if (!state) {
        state = { vpcBlocks: new Map(), taken: new WeakMap() };
        states.set(aws, state);
    }
    return state;
}

/** The VPC's state with IPv6 asked for: an Amazon-provided /56 (from AWS's `2600:1f00::/24` range), as AWS reports it. */
export function vpcIpv6State(aws: FakeAws, vpcId: string, inputs: { readonly assignGeneratedIpv6CidrBlock?: boolean }, region: string): Record<string, unknown> {
    if (inputs.assignGeneratedIpv6CidrBlock !== true) {
        return {};
    }
    const digits = hex(`${vpcId}-ipv6`, 10);
    const block = `2600:1f${digits.slice(0, 2)}:${digits.slice(2, 6)}:${digits.slice(6, 8)}00::/${VPC_IPV6_PREFIX_LENGTH}`;
    stateOf(aws).vpcBlocks.set(vpcId, { block, networkBorderGroup: region });
    return { ipv6CidrBlock: block, ipv6AssociationId: `vpc-cidr-assoc-${hex(vpcId, 17)}`, ipv6CidrBlockNetworkBorderGroup: region };
}

const inside = (outer: string, inner: string): boolean => {
    const [innerAddress, innerLength] = ipaddr.IPv6.parseCIDR(inner);
    return innerAddress.match(ipaddr.IPv6.parseCIDR(outer)) && innerLength >= ipaddr.IPv6.parseCIDR(outer)[1];
};

/**
 * A new subnet's IPv6 block and flag, as CreateSubnet (and the provider's ModifySubnetAttribute after it) take them:
 * a /64 of its VPC's associated block, of the zone's network border group, and assign-on-creation only with a block.
 * A Local or Wavelength Zone's subnet takes no /64 of a block advertised from the region (terraform-aws-modules/
 * terraform-aws-vpc#1224 for Local Zones; #864 quotes EC2's answer for a Wavelength Zone).
 */
export function subnetIpv6State(
    aws: FakeAws,
    subnetId: string,
    inputs: { readonly vpcId: string; readonly availabilityZone: string; readonly ipv6CidrBlock?: string; readonly assignIpv6AddressOnCreation?: boolean },
    region: string,
): { ipv6CidrBlock?: string; assignIpv6AddressOnCreation?: boolean } {
    const { ipv6CidrBlock, assignIpv6AddressOnCreation } = inputs;
    if (ipv6CidrBlock !== undefined) {
        const vpc = stateOf(aws).vpcBlocks.get(inputs.vpcId);
        const valid = ipaddr.IPv6.isValidCIDR(ipv6CidrBlock) && ipaddr.IPv6.parseCIDR(ipv6CidrBlock)[1] === SUBNET_IPV6_PREFIX_LENGTH;
        if (!valid || vpc === undefined || !inside(vpc.block, ipv6CidrBlock) || fakeZone(region, inputs.availabilityZone).networkBorderGroup !== vpc.networkBorderGroup) {
            // internal/service/ec2/vpc_subnet.go resourceSubnetCreate: "creating EC2 Subnet: %s"; EC2's text as a CreateSubnet
            // with a /64 outside the VPC's block gets it (aws-samples/aws-network-hub-for-terraform#24), and one in a
            // Wavelength Zone (terraform-aws-modules/terraform-aws-vpc#864).
            throw ec2ApiError("creating EC2 Subnet", "CreateSubnet", "InvalidSubnet.Range", `The IPv6 CIDR '${ipv6CidrBlock}' is invalid.`);
        }
    }
    if (assignIpv6AddressOnCreation === true && ipv6CidrBlock === undefined) {
        // The provider's ModifySubnetAttribute after CreateSubnet; EC2's text as terraform-provider-aws#46795 quotes it.
        throw ec2ApiError(
            `setting EC2 Subnet (${subnetId}) AssignIpv6AddressOnCreation`,
            "ModifySubnetAttribute",
            "InvalidParameterValue",
            `Invalid value 'true' for assign-ipv6-address-on-creation. Cannot set assign-ipv6-address-on-creation to true unless the subnet (${subnetId}) has an IPv6 CIDR block associated with it.`,
        );
    }
    return { ...(ipv6CidrBlock === undefined ? {} : { ipv6CidrBlock }), ...(assignIpv6AddressOnCreation === undefined ? {} : { assignIpv6AddressOnCreation }) };
}

/** What an instance or network interface asks for beyond its IPv4 addresses. */
export interface Ipv6Request {
    readonly ipv6AddressCount?: number;
    readonly ipv4PrefixCount?: number;
    readonly ipv6PrefixCount?: number;
}

const PREFIX_80 = 1n << 48n;

/**
 * The IPv6 addresses and prefixes an interface gets in `subnet`: the count asked for, or one where the subnet assigns
 * IPv6 on creation and the request names no IPv6 address or prefix (a count of 0 would turn that off: EC2 API
 * reference, CreateNetworkInterface `Ipv6AddressCount`); /80 prefixes; /28 IPv4 prefixes. Addresses are derived from
 * `seed`, so the same resource gets the same ones in every run.
 */
function interfaceIpv6State(subnet: FakeSubnet, seed: string, request: Ipv6Request, creating: string, operation: string, state: Ipv6State): Record<string, unknown> {
    const automatic = request.ipv6AddressCount === undefined && !request.ipv6PrefixCount && subnet.assignIpv6AddressOnCreation === true ? 1 : 0;
    const addressCount = request.ipv6AddressCount ?? automatic;
    const ipv6Prefixes = request.ipv6PrefixCount ?? 0;
    const block = subnet.ipv6CidrBlock;
    if ((addressCount > 0 || ipv6Prefixes > 0) && block === undefined) {
        // EC2 refuses this too, but no source here quotes its text: the mocks say so instead of inventing it.
        throw new Error(`createMocks: ${operation} asks for IPv6 addresses or prefixes in ${subnet.id}, which has no IPv6 CIDR block; AWS refuses that (its error text is not modelled)`);
    }
    const taken = state.taken.get(subnet) ?? { addresses: new Set<bigint>(), prefixes: new Set<bigint>() };
    state.taken.set(subnet, taken);
    const base = block === undefined ? 0n : ipv6ToBigInt(block.split("/")[0]);
    const inPrefix = (address: bigint) => [...taken.prefixes].some((prefix) => address >= prefix && address < prefix + PREFIX_80);
    const pick = <T>(count: number, kind: string, candidate: (attempt: number) => T | undefined): T[] =>
        Array.from({ length: count }, (_, i) => {
            for (let attempt = 0; ; attempt++) {
                const found = candidate(i * 1000 + attempt);
                if (found !== undefined) {
                    return found;
                }
                if (attempt > 1000) {
                    throw new Error(`mock subnet ${subnet.id}: no free IPv6 ${kind}`);
                }
            }
        });
    const prefixes = pick(ipv6Prefixes, "prefix", (n) => {
        const slot = BigInt(`0x${hex(`${seed}-ipv6-prefix-${n}`, 4)}`);
        const prefix = base + slot * PREFIX_80;
        // The first /80 holds the four addresses AWS reserves, the last the last address of the /64.
        if (slot === 0n || slot === 0xffffn || taken.prefixes.has(prefix) || [...taken.addresses].some((a) => a >= prefix && a < prefix + PREFIX_80)) {
            return undefined;
        }
        taken.prefixes.add(prefix);
        return `${bigIntToIpv6(prefix)}/80`;
    });
    const addresses = pick(addressCount, "address", (n) => {
        const host = BigInt(`0x${hex(`${seed}-ipv6-${n}`, 16)}`);
        const address = base + host;
        if (host < 4n || host === (1n << 64n) - 1n || taken.addresses.has(address) || inPrefix(address)) {
            return undefined;
        }
        taken.addresses.add(address);
        return bigIntToIpv6(address);
    });
    const ipv4Prefixes = Array.from({ length: request.ipv4PrefixCount ?? 0 }, () => subnet.addresses.takeBlock(creating, operation));
    return {
        ipv6Addresses: addresses,
        ipv6AddressCount: addresses.length,
        ...(request.ipv4PrefixCount || request.ipv6PrefixCount ? { ipv4Prefixes, ipv4PrefixCount: ipv4Prefixes.length, ipv6Prefixes: prefixes, ipv6PrefixCount: prefixes.length } : {}),
    };
}

/**
 * What CreateNetworkInterface refuses beside a prefix count (EC2 API reference, CreateNetworkInterface,
 * `Ipv4PrefixCount` and `Ipv6PrefixCount`: "You can't specify a count of IPv4 prefixes if you've specified one of
 * the following: specific IPv4 prefixes, specific private IPv4 addresses, or a count of private IPv4 addresses",
 * and the same of IPv6). EC2's code for a combination of parameters it does not take is InvalidParameterCombination
 * (EC2 API reference, "Error codes for the Amazon EC2 API").
 */
function refusedCombination(request: Ipv6Request & { readonly privateIps?: readonly string[]; readonly privateIpsCount?: number }): string | undefined {
    if (request.ipv4PrefixCount && ((request.privateIps?.length ?? 0) > 0 || (request.privateIpsCount ?? 0) > 0)) {
        return "You can't specify a count of IPv4 prefixes if you've specified one of the following: specific IPv4 prefixes, specific private IPv4 addresses, or a count of private IPv4 addresses.";
    }
    if (request.ipv6PrefixCount && request.ipv6AddressCount !== undefined) {
        return "You can't specify a count of IPv6 prefixes if you've specified one of the following: specific IPv6 prefixes, specific IPv6 addresses, or a count of IPv6 addresses.";
    }
    return undefined;
}

/** A new network interface's IPv6 addresses and prefixes, or EC2's refusal of the request. */
export function networkInterfaceIpv6State(
    aws: FakeAws,
    subnet: FakeSubnet,
    seed: string,
    request: Ipv6Request & { readonly privateIps?: readonly string[]; readonly privateIpsCount?: number },
): Record<string, unknown> {
    const refused = refusedCombination(request);
    if (refused) {
        // internal/service/ec2/vpc_network_interface.go resourceNetworkInterfaceCreate: "creating EC2 Network Interface: %s".
        throw ec2ApiError("creating EC2 Network Interface", "CreateNetworkInterface", "InvalidParameterCombination", refused);
    }
    return interfaceIpv6State(subnet, seed, request, "creating EC2 Network Interface", "CreateNetworkInterface", stateOf(aws));
}

/** A new instance's IPv6 addresses on its primary interface. */
export function instanceIpv6State(aws: FakeAws, subnet: FakeSubnet, seed: string, request: Ipv6Request): Record<string, unknown> {
    const { ipv6Addresses, ipv6AddressCount } = interfaceIpv6State(subnet, seed, { ipv6AddressCount: request.ipv6AddressCount }, "creating EC2 Instance", "RunInstances", stateOf(aws));
    return { ipv6Addresses, ipv6AddressCount };
}
