/**
 * The data sources behind the inbound rules' sources: the managed prefix lists they name (do they exist, what they
 * weigh against the rules quota) and, in an existing VPC, whether AWS can reference each source security group from
 * it (the same VPC, a peered one, or one on a transit gateway with security group referencing). Shared per provider
 * like every lookup (awsLookups.ts).
 */
import * as ec2 from "@pulumi/aws/ec2";
import * as ec2transitgateway from "@pulumi/aws/ec2transitgateway";
import { LookupOptions, NOT_FOUND, shared, unlessMissing } from "./awsLookups";

/** What `aws.ec2.getManagedPrefixList` says of a prefix list. */
export interface PrefixListFacts {
    /** The list's maximum entries: what a rule naming it counts against the rules quota (VPC User Guide, "Security group size"). */
    readonly maxEntries: number;
    /** `IPv4` or `IPv6`. */
    readonly addressFamily: string;
}

/**
 * How the component's VPC can reach a source security group (`[account/]sg-…`): a group of the same VPC; of a VPC it
 * has an active peering connection with (`peered`), or shares a transit gateway with security group referencing on
 * both attachments and the gateway (`transitGateway`); `unreachable` from another VPC of the account, `unpeered`
 * with another account (whose groups no data source of this account reads); or `missing`.
 */
export type SourceGroupReach =
    | { readonly kind: "sameVpc" | "missing" }
    | { readonly kind: "peered" | "transitGateway" | "unreachable"; readonly vpcId?: string }
    | { readonly kind: "unpeered"; readonly account: string };

/** The sources of the inbound rules, looked up: prefix lists by id (null: no such list), groups by reference as given. */
export interface RuleSourceFacts {
    readonly prefixLists: ReadonlyMap<string, PrefixListFacts | null>;
    readonly securityGroups: ReadonlyMap<string, SourceGroupReach>;
}

/** A prefix list's weight and family, or null when the region has no list of that id visible to the account. */
export function lookUpPrefixList(id: string, opts: LookupOptions): Promise<PrefixListFacts | null> {
    return shared(`prefix list ${id}`, opts, async () => {
        const list = await unlessMissing(() => ec2.getManagedPrefixList({ id }, opts), NOT_FOUND.prefixList);
        return list ? { maxEntries: list.maxEntries, addressFamily: list.addressFamily } : null;
    });
}

/** A group's VPC and owning account (read from its ARN), or undefined when the account sees no group of that id. */
function lookUpSecurityGroup(id: string, opts: LookupOptions): Promise<{ vpcId: string; ownerId: string } | undefined> {
    return shared(`security group ${id}`, opts, async () => {
        const group = await unlessMissing(() => ec2.getSecurityGroup({ id }, opts), NOT_FOUND.securityGroup);
        return group && { vpcId: group.vpcId, ownerId: group.arn.split(":")[4] };
    });
}

/** True when `vpcId` has an active peering connection whose other side matches `peer` (a VPC id, or an account's VPCs). */
function lookUpPeering(vpcId: string, peer: { readonly vpcId: string } | { readonly ownerId: string }, opts: LookupOptions): Promise<boolean> {
    const [key, value] = "vpcId" in peer ? ["vpc-id", peer.vpcId] : ["owner-id", peer.ownerId];
    return shared(`peering ${vpcId} ${key} ${value}`, opts, async () => {
        const sides = [
            ["requester", "accepter"],
            ["accepter", "requester"],
        ] as const;
        const found = await Promise.all(
            sides.map(([ours, theirs]) =>
                ec2.getVpcPeeringConnections(
                    {
                        filters: [
                            { name: "status-code", values: ["active"] },
                            { name: `${ours}-vpc-info.vpc-id`, values: [vpcId] },
                            { name: `${theirs}-vpc-info.${key}`, values: [value] },
                        ],
                    },
                    opts,
                ),
            ),
        );
        return found.some((connections) => connections.ids.length > 0);
    });
}

/** The transit gateways a VPC is attached to (attachment available) with security group referencing on the attachment. */
function lookUpReferencingGateways(vpcId: string, opts: LookupOptions): Promise<string[]> {
    return shared(`transit gateways ${vpcId}`, opts, async () => {
        const { ids } = await ec2transitgateway.getVpcAttachments(
            { filters: [{ name: "vpc-id", values: [vpcId] }, { name: "state", values: ["available"] }] },
            opts,
        );
        const attachments = await Promise.all(ids.map((id) => ec2transitgateway.getVpcAttachment({ id }, opts)));
        return attachments.filter((attachment) => attachment.securityGroupReferencingSupport === "enable").map((attachment) => attachment.transitGatewayId);
    });
}

/**
 * True when both VPCs (or, for another account's group, ours alone) are attached to one transit gateway with security
 * group referencing on the attachments and on the gateway: AWS then takes a rule naming a group of the other VPC.
 */
async function lookUpTransitGatewayReferencing(vpcIds: readonly string[], opts: LookupOptions): Promise<boolean> {
    const perVpc = await Promise.all(vpcIds.map((vpcId) => lookUpReferencingGateways(vpcId, opts)));
    const inAll = perVpc.reduce((left, gateways) => left.filter((id) => gateways.includes(id)));
    const gateways = await Promise.all([...new Set(inAll)].map((id) => shared(`transit gateway ${id}`, opts, () => ec2transitgateway.getTransitGateway({ id }, opts))));
    return gateways.some((gateway) => gateway.securityGroupReferencingSupport === "enable");
}

/** How the VPC `vpcId` can reach the source group `reference` (`sg-…`, or `<account>/sg-…`). */
async function lookUpSourceGroup(reference: string, vpcId: string, opts: LookupOptions): Promise<SourceGroupReach> {
    const [account, groupId] = reference.includes("/") ? reference.split("/") : [undefined, reference];
    const group = await lookUpSecurityGroup(groupId, opts);
    if (group && (account === undefined || account === group.ownerId)) {
        if (group.vpcId === vpcId) {
            return { kind: "sameVpc" };
        }
        if (await lookUpPeering(vpcId, { vpcId: group.vpcId }, opts)) {
            return { kind: "peered", vpcId: group.vpcId };
        }
        const viaGateway = await lookUpTransitGatewayReferencing([vpcId, group.vpcId], opts);
        return { kind: viaGateway ? "transitGateway" : "unreachable", vpcId: group.vpcId };
    }
    if (account === undefined) {
        return { kind: "missing" };
    }
    if (await lookUpPeering(vpcId, { ownerId: account }, opts)) {
        return { kind: "peered" };
    }
    return (await lookUpTransitGatewayReferencing([vpcId], opts)) ? { kind: "transitGateway" } : { kind: "unpeered", account };
}

/**
 * The prefix lists every rule names, and, in an existing VPC (`vpcId`), how it reaches every source group. A new VPC
 * reaches no group: the arg rules refuse those before any lookup.
 */
export async function lookUpRuleSources(
    rules: readonly { readonly prefixListId?: string; readonly sourceSecurityGroupId?: string }[],
    vpcId: string | undefined,
    opts: LookupOptions,
): Promise<RuleSourceFacts> {
    const prefixListIds = [...new Set(rules.flatMap((rule) => (rule.prefixListId === undefined ? [] : [rule.prefixListId])))];
    const groups = vpcId === undefined ? [] : [...new Set(rules.flatMap((rule) => (rule.sourceSecurityGroupId === undefined ? [] : [rule.sourceSecurityGroupId])))];
    const [lists, reaches] = await Promise.all([
        Promise.all(prefixListIds.map((id) => lookUpPrefixList(id, opts))),
        Promise.all(groups.map((reference) => lookUpSourceGroup(reference, vpcId!, opts))),
    ]);
    return {
        prefixLists: new Map(prefixListIds.map((id, i) => [id, lists[i]])),
        securityGroups: new Map(groups.map((reference, i) => [reference, reaches[i]])),
    };
}
