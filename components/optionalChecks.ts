/**
 * The checks whose lookups only some args need, run together once the core checks pass: the inbound rules' sources
 * and the rules quota, Session Manager's endpoint services, the zone of the public side (and of a new dual-stack
 * network), and the use of existing subnets.
 * Each lookup runs only where its answer can change the outcome.
 */
import { type LookupOptions, lookUpEndpointService, lookUpRulesQuota, type SubnetFacts } from "./awsLookups";
import { nameTags, SSM_ENDPOINT_SERVICES } from "./naming";
import { lookUpAddressHolders, lookUpOwnInterfaces, lookUpZone } from "./networkLookups";
import { checkEndpointServices, checkPublicZone, createsSsmEndpoints } from "./rules/awsRules";
import type { CheckedArgs, ValidationProblem } from "./rules/fields";
import { checkIpv6Zone, needsIpv6Zone } from "./rules/ipv6Rules";
import { checkRuleSources, checkRulesQuota, needsRulesQuota } from "./rules/sourceRules";
import { addressNeeds, checkExistingSubnetUse, describeNeeds, type ExistingSubnetUse, fixedIps, type SubnetRole } from "./rules/subnetRules";
import { lookUpRuleSources } from "./sourceLookups";

/** What the optional checks found, and the network border group a public side's Elastic IP must come from where it is not the region. */
export interface OptionalChecks {
    readonly problems: ValidationProblem[];
    readonly networkBorderGroup?: string;
}

/** Runs the optional lookups the args need and checks the args against their answers. */
export async function runOptionalChecks(
    args: CheckedArgs,
    region: string,
    existingSubnets: Readonly<Record<SubnetRole, SubnetFacts>> | undefined,
    opts: LookupOptions,
): Promise<OptionalChecks> {
    const [sources, zone, subnetUse, endpointServices] = await Promise.all([
        lookUpRuleSources([...args.instanceIngress, ...args.networkInterfaceIngress], args["existingNetwork.vpcId"], opts),
        args.publicInterface === "none" && !needsIpv6Zone(args) ? undefined : lookUpZone(args.availabilityZone, opts),
        existingSubnets && lookUpSubnetUse(args, existingSubnets, opts),
        createsSsmEndpoints(args) ? Promise.all(SSM_ENDPOINT_SERVICES.map((service) => lookUpEndpointService(service, opts))) : [],
    ]);
    const quota = needsRulesQuota(args, sources.prefixLists) ? await lookUpRulesQuota(opts) : undefined;
    return {
        problems: [
            ...checkRuleSources(args, sources),
            ...(quota ? checkRulesQuota(args, quota, sources.prefixLists) : []),
            ...checkEndpointServices(args, endpointServices),
            ...(zone ? [...checkPublicZone(args, zone), ...checkIpv6Zone(args, zone)] : []),
            ...(subnetUse ? checkExistingSubnetUse(args, subnetUse) : []),
        ],
        ...(zone && zone.networkBorderGroup !== region ? { networkBorderGroup: zone.networkBorderGroup } : {}),
    };
}

/**
 * Each existing subnet with the interfaces that matter: the holders of the fixed IPs asked for there, and the
 * component's own interfaces (from an earlier deploy), read only when a fixed IP is held or the free addresses are short.
 */
async function lookUpSubnetUse(
    args: CheckedArgs,
    subnets: Readonly<Record<SubnetRole, SubnetFacts>>,
    opts: LookupOptions,
): Promise<Record<SubnetRole, ExistingSubnetUse>> {
    const names = nameTags(args.namePrefix);
    const own = { instances: [names.instance, names.standbyInstance], networkInterface: names.networkInterface };
    const needs = addressNeeds(args, false);
    const asked = fixedIps(args);
    const use = async (role: SubnetRole): Promise<ExistingSubnetUse> => {
        const subnetId = args[role === "primary" ? "existingNetwork.primarySubnetId" : "existingNetwork.secondarySubnetId"]!;
        const facts = subnets[role];
        const addresses = asked[role].map((ip) => ip.address);
        const holders = addresses.length === 0 ? [] : await lookUpAddressHolders(subnetId, addresses, opts);
        const short = describeNeeds(needs[role]).total > facts.availableIpAddressCount;
        return { facts, holders, own: short || holders.length > 0 ? await lookUpOwnInterfaces(subnetId, own, opts) : [] };
    };
    const [primary, secondary] = await Promise.all([use("primary"), use("secondary")]);
    return { primary, secondary };
}
