/**
 * The inbound rules' sources against what the data sources said of them: prefix lists that exist, source groups the
 * VPC can reach, and each group's rules weighed against the account's rules quota as AWS weighs them. Pure.
 */
import type { RulesQuota } from "../awsLookups";
import type { PrefixListFacts, RuleSourceFacts, SourceGroupReach } from "../sourceLookups";
import type { CheckedArgs, ValidationProblem } from "./fields";
import type { IngressRule } from "./ingressRules";

/** AWS's default of "Inbound or outbound rules per security group" (Service Quotas code L-0EA8095F, service vpc). */
export const DEFAULT_RULES_PER_SECURITY_GROUP = 60;

const RULE_FIELDS = ["instanceIngress", "networkInterfaceIngress"] as const;

/**
 * Inbound rules of one security group as AWS counts them against the quota, IPv4 and IPv6 apart (VPC User Guide,
 * "Security group size" and "Amazon VPC quotas"): a CIDR counts one rule of its family; a source group one rule of each
 * family; a prefix list its maximum entries, in its own family. A prefix list not looked up counts one of each.
 */
export function inboundRuleCounts(rules: readonly IngressRule[], prefixLists: ReadonlyMap<string, PrefixListFacts | null> = new Map()): { readonly ipv4: number; readonly ipv6: number } {
    const weigh = (rule: IngressRule): [number, number] => {
        if (rule.cidrIpv4 !== undefined || rule.cidrIpv6 !== undefined) {
            return rule.cidrIpv4 !== undefined ? [1, 0] : [0, 1];
        }
        const list = rule.prefixListId === undefined ? undefined : prefixLists.get(rule.prefixListId);
        if (!list) {
            return [1, 1];
        }
        const weight = Math.max(1, list.maxEntries);
        return list.addressFamily === "IPv6" ? [0, weight] : [weight, 0];
    };
    return rules.map(weigh).reduce(({ ipv4, ipv6 }, [v4, v6]) => ({ ipv4: ipv4 + v4, ipv6: ipv6 + v6 }), { ipv4: 0, ipv6: 0 });
}

/** True when some group has more inbound rules than any account allows without a raised quota. */
export function needsRulesQuota(args: CheckedArgs, prefixLists?: ReadonlyMap<string, PrefixListFacts | null>): boolean {
    return RULE_FIELDS.some((field) => {
        const { ipv4, ipv6 } = inboundRuleCounts(args[field], prefixLists);
        return Math.max(ipv4, ipv6) > DEFAULT_RULES_PER_SECURITY_GROUP;
    });
}

/** Each group's inbound rules against the account's quota (or AWS's default of 60 where the quota cannot be read). */
export function checkRulesQuota(args: CheckedArgs, quota: RulesQuota, prefixLists?: ReadonlyMap<string, PrefixListFacts | null>): ValidationProblem[] {
    const limit = "value" in quota ? quota.value : DEFAULT_RULES_PER_SECURITY_GROUP;
    const source =
        "value" in quota
            ? `the account's quota "Inbound or outbound rules per security group" (L-0EA8095F) is ${limit}`
            : `AWS's default quota "Inbound or outbound rules per security group" (L-0EA8095F) is ${limit}; the account's own value could not be read through Service Quotas (${quota.unreadable}), so the default applies`;
    return RULE_FIELDS.flatMap((field) => {
        const counts = inboundRuleCounts(args[field], prefixLists);
        const weighted = args[field].some((rule) => rule.prefixListId !== undefined) ? " (a prefix list counts as its maximum entries)" : "";
        return (["ipv4", "ipv6"] as const)
            .filter((family) => counts[family] > limit)
            .map((family) => ({
                field,
                value: args[field],
                reason: `gives one security group ${counts[family]} ${family === "ipv4" ? "IPv4" : "IPv6"} inbound rules${weighted}, but ${source}; AWS would refuse the rest with RulesPerSecurityGroupLimitExceeded`,
            }));
    });
}

/** Why AWS would refuse a rule naming this group, or undefined when the VPC reaches it. */
function groupProblem(reach: SourceGroupReach, vpcId: string): string | undefined {
    switch (reach.kind) {
        case "missing":
            return "does not exist in the AWS provider's region and account; AWS would refuse the rule with InvalidGroup.NotFound";
        case "unreachable":
            return `is a group of ${reach.vpcId}, which has no active peering connection with existingNetwork.vpcId ${vpcId} and shares no transit gateway with security group referencing with it; AWS would refuse the rule with InvalidGroup.NotFound (You have specified two resources that belong to different networks)`;
        case "unpeered":
            return `is a group of account ${reach.account}, but existingNetwork.vpcId ${vpcId} has no active peering connection with a VPC of that account, nor a transit gateway with security group referencing; AWS would refuse the rule with InvalidGroup.NotFound`;
        default:
            return undefined;
    }
}

/** Every rule's prefix list must exist, and every source group must be one the existing VPC reaches. */
export function checkRuleSources(args: CheckedArgs, facts: RuleSourceFacts): ValidationProblem[] {
    const vpcId = args["existingNetwork.vpcId"] ?? "";
    return RULE_FIELDS.flatMap((field) =>
        args[field].flatMap((rule, index): ValidationProblem[] => {
            if (rule.prefixListId !== undefined && facts.prefixLists.get(rule.prefixListId) === null) {
                return [
                    {
                        field,
                        path: `[${index}].prefixListId`,
                        value: rule.prefixListId,
                        reason: "is not a managed prefix list of the AWS provider's region visible to this account (getManagedPrefixList); AWS would refuse the rule with InvalidPrefixListID.NotFound",
                    },
                ];
            }
            const reach = rule.sourceSecurityGroupId === undefined ? undefined : facts.securityGroups.get(rule.sourceSecurityGroupId);
            const problem = reach && groupProblem(reach, vpcId);
            return problem ? [{ field, path: `[${index}].sourceSecurityGroupId`, value: rule.sourceSecurityGroupId, reason: problem }] : [];
        }),
    );
}
