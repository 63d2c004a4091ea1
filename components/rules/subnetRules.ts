/**
 * The addresses the component's interfaces take in each subnet, against what the subnets can give: a new subnet's
 * size, an existing subnet's free addresses (`aws.ec2.getSubnet` availableIpAddressCount), and the fixed IPs other
 * interfaces of an existing subnet hold already. Pure.
 */
import type { SubnetFacts } from "../awsLookups";
import { parseIpv4Cidr } from "../cidr";
import { SSM_ENDPOINT_SERVICES } from "../naming";
import type { HeldAddresses } from "../networkLookups";
import type { CheckedArgs, ExistingNetworkField, RawArgs, ValidatedField, ValidationProblem } from "./fields";
import { IPV4_PREFIX_ADDRESSES, prefixRoomProblem } from "./prefixRules";

/** Which of the two subnets. */
export type SubnetRole = "primary" | "secondary";

/** What takes addresses in one subnet, and how many each. */
export type AddressNeeds = readonly (readonly [what: string, addresses: number])[];

/** The args the address count reads: while any is not known, it cannot be made. */
export const ADDRESS_FIELDS: readonly ValidatedField[] = [
    "instanceSecondaryPrivateIps",
    "networkInterfaceSecondaryPrivateIps",
    "networkInterfaceSecondaryPrivateIpCount",
    "networkInterfaceIpv4PrefixCount",
    "standbyInstance",
    "ssmAccess",
    "publicInterface",
    "automaticFailover",
];

const count = (value: unknown) => (Array.isArray(value) ? value.length : 0);
const whole = (value: unknown) => (Number.isInteger(value) && (value as number) > 0 ? (value as number) : 0);

/** The ENI's own private IPv4 addresses (primary and secondaries) and its /28 prefixes, from the args as given. */
export function eniIpv4Use(raw: RawArgs): { readonly addresses: number; readonly prefixes: number } {
    return {
        addresses: 1 + count(raw.networkInterfaceSecondaryPrivateIps) + whole(raw.networkInterfaceSecondaryPrivateIpCount),
        prefixes: whole(raw.networkInterfaceIpv4PrefixCount),
    };
}

/**
 * What takes addresses in each subnet, from the args as given: the instance (primary and secondaries), the standby,
 * the failover mover and, in a new network, each Session Manager endpoint and the mover's ec2 endpoint (primary
 * subnet); the ENI (primary and secondaries, and 16 per /28 prefix: a delegated prefix's addresses are taken from
 * the subnet like any other, secondary subnet).
 */
export function addressNeeds(raw: RawArgs, newNetwork: boolean): Readonly<Record<SubnetRole, AddressNeeds>> {
    const eni = eniIpv4Use(raw);
    const endpoints = newNetwork && raw.ssmAccess === true && raw.publicInterface !== "instance" ? SSM_ENDPOINT_SERVICES.length : 0;
    return {
        primary: [
            ["the instance", 1 + count(raw.instanceSecondaryPrivateIps)],
            ["the standby", raw.standbyInstance === true ? 1 : 0],
            ["the Session Manager endpoints", endpoints],
            // The mover's Lambda network interface and, in a new network, its ec2 interface endpoint (failover.ts).
            ["the failover mover", raw.automaticFailover === true ? (newNetwork ? 2 : 1) : 0],
        ],
        secondary: [
            ["the ENI", eni.addresses],
            ["its /28 prefixes", IPV4_PREFIX_ADDRESSES * eni.prefixes],
        ],
    };
}

/** The total of `needs`, and how a message lists its parts (`the instance 8, the standby 1`). */
export function describeNeeds(needs: AddressNeeds): { readonly total: number; readonly detail: string } {
    return {
        total: needs.reduce((sum, [, addresses]) => sum + addresses, 0),
        detail: needs
            .filter(([, addresses]) => addresses > 0)
            .map(([what, addresses]) => `${what} ${addresses}`)
            .join(", "),
    };
}

/** One existing subnet as the lookups found it: its facts, the component's own interfaces there, and the holders of its fixed IPs. */
export interface ExistingSubnetUse {
    readonly facts: SubnetFacts;
    readonly own: readonly HeldAddresses[];
    readonly holders: readonly HeldAddresses[];
}

const SUBNET_FIELDS: Readonly<Record<SubnetRole, ExistingNetworkField>> = {
    primary: "existingNetwork.primarySubnetId",
    secondary: "existingNetwork.secondarySubnetId",
};

/** The fixed private IPs each subnet's interfaces ask for, by the field (and path) that asks. */
export function fixedIps(args: CheckedArgs): Readonly<Record<SubnetRole, readonly { readonly field: ValidatedField; readonly path: string; readonly address: string }[]>> {
    const listed = (field: "instanceSecondaryPrivateIps" | "networkInterfaceSecondaryPrivateIps") => args[field].map((address, i) => ({ field, path: `[${i}]`, address }));
    const single = (field: "instancePrivateIp" | "networkInterfacePrivateIp") => (args[field] === undefined ? [] : [{ field, path: "", address: args[field] }]);
    return {
        primary: [...single("instancePrivateIp"), ...listed("instanceSecondaryPrivateIps")],
        secondary: [...single("networkInterfacePrivateIp"), ...listed("networkInterfaceSecondaryPrivateIps")],
    };
}

/**
 * Each existing subnet must have free addresses for what the component's interfaces take there, less what its own
 * interfaces (from an earlier deploy) hold already; the secondary one a whole /28 per prefix (prefixRules.ts; which
 * blocks are free is not known); and no fixed IP may be held by another interface. Otherwise AWS refuses the create
 * with InsufficientFreeAddressesInSubnet, InsufficientCidrBlocks or InvalidIPAddress.InUse, after the others exist.
 */
export function checkExistingSubnetUse(args: CheckedArgs, subnets: Readonly<Record<SubnetRole, ExistingSubnetUse>>): ValidationProblem[] {
    const needs = addressNeeds(args, false);
    const asked = fixedIps(args);
    const { prefixes } = eniIpv4Use(args);
    return (["primary", "secondary"] as const).flatMap((role) => {
        const { facts, own, holders } = subnets[role];
        const problems: ValidationProblem[] = [];
        const { total, detail } = describeNeeds(needs[role]);
        // getNetworkInterface lists no delegated prefixes: the component's own ENI from an earlier deploy is taken to
        // hold the /28s asked for already (a raised count is not seen here; docs/ipv6.md).
        const heldPrefixes = role === "secondary" && own.length > 0 ? IPV4_PREFIX_ADDRESSES * prefixes : 0;
        const held = own.reduce((sum, holder) => sum + holder.privateIps.length, heldPrefixes);
        if (total - held > facts.availableIpAddressCount) {
            const already = held > 0 ? `, ${held} of which its own interfaces hold already` : "";
            problems.push({
                field: SUBNET_FIELDS[role],
                value: args[SUBNET_FIELDS[role]],
                reason: `has ${facts.availableIpAddressCount} free addresses (getSubnet availableIpAddressCount), but the component's interfaces take ${total} there (${detail})${already}; AWS would refuse the last with InsufficientFreeAddressesInSubnet`,
            });
        }
        const block = parseIpv4Cidr(facts.cidrBlock);
        // Where the ENI's own addresses sit (an earlier deploy's, or other interfaces') is not known: only the subnet's whole blocks count.
        const noRoom = role === "secondary" && block.ok ? prefixRoomProblem(block.cidr, prefixes, 0) : undefined;
        if (noRoom) {
            problems.push({ field: SUBNET_FIELDS[role], value: args[SUBNET_FIELDS[role]], reason: noRoom });
        }
        const ownIds = new Set(own.map((holder) => holder.networkInterfaceId));
        for (const { field, path, address } of asked[role]) {
            const holder = holders.find((candidate) => !ownIds.has(candidate.networkInterfaceId) && candidate.privateIps.includes(address));
            if (holder) {
                problems.push({
                    field,
                    ...(path ? { path } : {}),
                    value: address,
                    reason: `is held by ${holder.networkInterfaceId}, an interface of ${SUBNET_FIELDS[role]} ${args[SUBNET_FIELDS[role]]} that is not the component's; AWS would refuse it with InvalidIPAddress.InUse`,
                });
            }
        }
        return problems;
    });
}
