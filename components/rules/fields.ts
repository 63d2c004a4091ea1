/**
 * The fields the rules read, as callers name them, and the shapes of args before and after the rules: raw
 * (nothing trusted), checked (every rule passed). A problem names its field, where inside it, and the value.
 */
import type { ActiveInstance, DualSubnetEniInstanceArgs, PublicInterface } from "../args";
import type { IngressRule } from "./ingressRules";

/**
 * The fields validation reads, derived from an args interface: each arg by its own name, the ids of
 * `existingNetwork` as `existingNetwork.<key>`, and the component's `name`.
 */
export type ValidatedFieldOf<Args> =
    | { [K in keyof Args]-?: K extends "existingNetwork" ? `existingNetwork.${keyof NonNullable<Args[K]> & string}` : K & string }[keyof Args]
    | "name";

/** The args that validation reads, by the name a caller uses for them. */
export type ValidatedField = ValidatedFieldOf<DualSubnetEniInstanceArgs>;

/** The ids of a network that exists already, flattened as `existingNetwork.<key>`. */
export type ExistingNetworkField = Extract<ValidatedField, `existingNetwork.${string}`>;
export const EXISTING_NETWORK_FIELDS: readonly ExistingNetworkField[] = [
    "existingNetwork.vpcId",
    "existingNetwork.primarySubnetId",
    "existingNetwork.secondarySubnetId",
];
/** The args that describe a new network. */
export const NEW_NETWORK_FIELDS: readonly ValidatedField[] = ["availabilityZone", "vpcCidrBlock", "primarySubnetCidrBlock", "secondarySubnetCidrBlock"];

/** One broken rule: which arg (and where inside it, for lists and maps), the value it had, and what is wrong with it. */
export interface ValidationProblem {
    readonly field: ValidatedField;
    /** Where inside the arg, e.g. `[0].fromPort` or `["Owner"]`; absent for the arg as a whole. */
    readonly path?: string;
    readonly value: unknown;
    readonly reason: string;
}

/** Raw values as a caller or a stack config gave them; nothing about their types is trusted. */
export type RawArgs = { readonly [F in ValidatedField]?: unknown };

/** The args once the arg rules (and, for an existing network, its lookups) found no problem. */
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
    /** The component's name: part of every child's logical name, so of auto-generated AWS names. */
    readonly name: string;
    readonly tags: Readonly<Record<string, string>>;
    readonly instanceIngress: readonly IngressRule[];
    readonly networkInterfaceIngress: readonly IngressRule[];
    readonly instanceSecondaryPrivateIps: readonly string[];
    readonly networkInterfaceSecondaryPrivateIps: readonly string[];
    readonly ipv6: boolean;
    /** As given; what an interface gets is `ipv6AddressCounts` (components/ipv6.ts). */
    readonly instanceIpv6AddressCount?: number;
    readonly networkInterfaceIpv6AddressCount?: number;
    readonly networkInterfaceIpv4PrefixCount: number;
    readonly networkInterfaceIpv6PrefixCount: number;
    readonly instanceSourceDestCheck?: boolean;
    readonly networkInterfaceSourceDestCheck?: boolean;
    readonly publicInterface: PublicInterface;
    readonly keyName?: string;
    readonly userData?: string;
    readonly guestNetwork: boolean;
    readonly iamInstanceProfile?: string;
    readonly rootVolumeSizeGiB?: number;
    readonly ssmAccess: boolean;
    readonly standbyInstance: boolean;
    readonly activeInstance: ActiveInstance;
    readonly automaticFailover: boolean;
    readonly failoverHealthCheckPort?: number;
}

/** `true` when two unions hold the same members. */
type SameMembers<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only while `CheckedArgs` has exactly one field per validated field: a new arg needs its checked type. */
export type CheckedArgsCoverEveryField<Check extends true = SameMembers<keyof CheckedArgs, ValidatedField>> = Check;

/** True when the args name an existing network instead of describing a new one. */
export function usesExistingNetwork(raw: RawArgs, pending: ReadonlySet<ValidatedField> = new Set()): boolean {
    return EXISTING_NETWORK_FIELDS.some((field) => raw[field] !== undefined || pending.has(field));
}
