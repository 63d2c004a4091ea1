/**
 * The rules that need AWS's answers: the args against what the data sources said of the region, the instance
 * type, existing subnets, images, key pairs, instance profiles, routes, quotas and endpoint services. Pure
 * functions over the checked args and the facts the lookups return (awsLookups.ts).
 */
import type { AwsFacts, EndpointServiceFacts, InstanceTypeFacts, LookupFacts, SubnetFacts } from "../awsLookups";
import { dedicatedHostOnly, INSTANCE_TYPE_NAMES, instanceTypeFacts } from "../instanceTypes";
import type { ZoneFacts } from "../networkLookups";
import { didYouMean } from "../suggest";
import { regionOfAvailabilityZone } from "./argRules";
import { type CheckedArgs, type ExistingNetworkField, usesExistingNetwork, type ValidatedField, type ValidationProblem } from "./fields";
import { list, shortened } from "./quote";

/** The Amazon Linux 2023 architecture for an instance type: x86_64 where it runs that, else arm64 (Graviton). */
export function amiArchitecture(supportedArchitectures: readonly string[]): "x86_64" | "arm64" | undefined {
    if (supportedArchitectures.includes("x86_64")) {
        return "x86_64";
    }
    return supportedArchitectures.includes("arm64") ? "arm64" : undefined;
}

/** Checks an existing network against what `aws.ec2.getSubnet` said of its two subnets. */
export function checkExistingNetwork(
    args: CheckedArgs,
    subnets: { readonly primary?: SubnetFacts; readonly secondary?: SubnetFacts },
): ValidationProblem[] {
    const problems: ValidationProblem[] = [];
    const report = (field: ExistingNetworkField, reason: string) => problems.push({ field, value: args[field], reason });
    const vpcId = args["existingNetwork.vpcId"];
    for (const [field, subnet] of [["existingNetwork.primarySubnetId", subnets.primary], ["existingNetwork.secondarySubnetId", subnets.secondary]] as const) {
        if (!subnet) {
            report(field, "does not exist in the AWS provider's region and account");
        } else if (subnet.vpcId !== vpcId) {
            report(field, `belongs to ${subnet.vpcId}, not to existingNetwork.vpcId ${vpcId}`);
        } else if (subnet.cidrBlock === "") {
            report(
                field,
                "is IPv6-only (getSubnet gives no IPv4 CIDR block, ipv6Native true), but the instance and the ENI take private IPv4 addresses there, and the component's checks, outputs and guest configuration read them; use a subnet with an IPv4 block",
            );
        }
    }
    const { primary, secondary } = subnets;
    if (primary && secondary && primary.availabilityZone !== secondary.availabilityZone) {
        report(
            "existingNetwork.secondarySubnetId",
            `is in ${secondary.availabilityZone}, but the primary subnet is in ${primary.availabilityZone}; an ENI attaches only to an instance in its own zone`,
        );
    }
    return problems;
}

/** Checks the args against what AWS said about the region and the instance type. */
export function checkAgainstAws(args: CheckedArgs, facts: AwsFacts): ValidationProblem[] {
    const problems: ValidationProblem[] = [];
    const report = (field: ValidatedField, reason: string) => problems.push({ field, value: args[field], reason });
    const zone = args.availabilityZone;
    const zoneRegion = regionOfAvailabilityZone(zone);
    const zoneIsUsable = zoneRegion === facts.region && facts.availableZones.includes(zone);

    if (zoneRegion !== facts.region) {
        report("availabilityZone", `is in region ${shortened(String(zoneRegion), 40)}, but the AWS provider's region is ${facts.region}`);
    } else if (!facts.availableZones.includes(zone)) {
        report("availabilityZone", `is not an available zone of ${facts.region} (available: ${list(facts.availableZones)})`);
    }

    if (facts.instanceTypeZones.length === 0) {
        report(
            "instanceType",
            instanceTypeFacts(args.instanceType)
                ? `is not offered in region ${facts.region}`
                : `is not an EC2 instance type AWS lists${didYouMean(args.instanceType, INSTANCE_TYPE_NAMES) || " (check the spelling, e.g. t3.micro)"}`,
        );
    } else if (zoneIsUsable && !facts.instanceTypeZones.includes(zone)) {
        report("instanceType", `is not offered in ${zone} (offered in: ${list(facts.instanceTypeZones)})`);
    }

    const limits = facts.instanceType;
    const launchProblem = limits && launchProblemOf(args.instanceType, limits);
    if (launchProblem) {
        report("instanceType", launchProblem);
    } else if (limits) {
        const interfaceProblem = networkCardProblem(args.instanceType, limits);
        if (interfaceProblem) {
            report("instanceType", interfaceProblem);
        }
        // Each /28 prefix takes one of the interface's IPv4 slots ("each prefix counts as one IP address", EC2 User
        // Guide, "Assign prefixes to Amazon EC2 network interfaces").
        const prefixes = args.networkInterfaceIpv4PrefixCount;
        const eniSecondaries = args.networkInterfaceSecondaryPrivateIps.length + args.networkInterfaceSecondaryPrivateIpCount;
        const perInterface = [
            ["instanceSecondaryPrivateIps", "the instance's primary interface", args.instanceSecondaryPrivateIps.length, 0],
            [
                prefixes > 0 ? "networkInterfaceIpv4PrefixCount" : args.networkInterfaceSecondaryPrivateIps.length > 0 ? "networkInterfaceSecondaryPrivateIps" : "networkInterfaceSecondaryPrivateIpCount",
                "the ENI",
                eniSecondaries,
                prefixes,
            ],
        ] as const;
        for (const [field, where, secondaries, slotsOfPrefixes] of perInterface) {
            const slots = 1 + secondaries + slotsOfPrefixes;
            if (slots > limits.maximumIpv4AddressesPerInterface) {
                const parts =
                    slotsOfPrefixes > 0
                        ? `IPv4 slots on ${where} (1 primary + ${secondaries} secondar${secondaries === 1 ? "y" : "ies"} + ${slotsOfPrefixes} /28 prefix${slotsOfPrefixes === 1 ? "" : "es"}; each prefix counts as one IP address)`
                        : `IPv4 addresses on ${where} (1 primary + secondaries)`;
                report(field, `asks for ${slots} ${parts}, but ${args.instanceType} allows ${limits.maximumIpv4AddressesPerInterface} per interface`);
            }
        }
        if (args.ami === undefined && amiArchitecture(limits.supportedArchitectures) === undefined) {
            report("instanceType", `runs ${list(limits.supportedArchitectures)}, for which there is no Amazon Linux 2023 image; set ami`);
        }
    }
    return problems;
}

/**
 * Why the component can never launch the type: it runs only on a Dedicated Host (Mac and High Memory `u-*.metal`
 * types; the component has no host option), or AWS sells it only under usage classes other than on-demand
 * (`capacity-block` needs a reservation).
 */
function launchProblemOf(instanceType: string, limits: InstanceTypeFacts): string | undefined {
    if (dedicatedHostOnly(instanceType)) {
        return "launches only on a Dedicated Host (AWS's rule for Mac and High Memory metal types), and the component places instances on shared tenancy; use another type";
    }
    const classes = limits.supportedUsagesClasses;
    if (classes && !classes.includes("on-demand")) {
        return `is sold only as ${list(classes)} (getInstanceType supportedUsagesClasses); the component launches on-demand instances`;
    }
    return undefined;
}

/**
 * The ENI is attached without a network card index, so AWS puts it on card 0; the primary interface sits on
 * `defaultNetworkCardIndex`. `maximumNetworkInterfaces` counts every card, so the limit that applies is card 0's.
 */
function networkCardProblem(instanceType: string, limits: InstanceTypeFacts): string | undefined {
    const defaultCard = limits.defaultNetworkCardIndex ?? 0;
    const needed = defaultCard === 0 ? 2 : 1;
    const card0 = limits.networkCards?.find((card) => card.index === 0)?.maximumInterfaces ?? limits.maximumNetworkInterfaces;
    if (card0 >= needed) {
        return undefined;
    }
    const cards = limits.networkCards && limits.networkCards.length > 1 ? ` (${limits.maximumNetworkInterfaces} across ${limits.networkCards.length} network cards)` : "";
    return `takes ${card0} network interface${card0 === 1 ? "" : "s"} on network card 0${cards}; the ENI attaches there${defaultCard === 0 ? " beside the primary interface, so it needs a type whose card 0 takes at least 2" : ""} (${instanceType}'s defaultNetworkCardIndex is ${defaultCard})`;
}

/**
 * A new network's public side is an internet gateway with an Elastic IP. A Wavelength Zone's subnets reach the
 * internet through a carrier gateway with carrier IPs instead (VPC User Guide, "Extend your VPC resources to
 * Wavelength Zones"), which the component does not create; an existing subnet that routes to one is taken.
 */
export function checkPublicZone(args: CheckedArgs, zone: ZoneFacts): ValidationProblem[] {
    if (args.publicInterface === "none" || usesExistingNetwork(args) || zone.zoneType !== "wavelength-zone") {
        return [];
    }
    return [
        {
            field: "publicInterface",
            value: args.publicInterface,
            reason: `is ${args.publicInterface}, but ${args.availabilityZone} is a Wavelength Zone (getAvailabilityZone zoneType wavelength-zone), whose subnets reach the internet through a carrier gateway and carrier IPs, not the internet gateway the component creates for a new network; leave publicInterface none, or use existingNetwork with a subnet that routes 0.0.0.0/0 to a carrier gateway`,
        },
    ];
}

/** True when the component creates Session Manager's interface endpoints: a new network without a public instance. */
export function createsSsmEndpoints(args: CheckedArgs): boolean {
    return args.ssmAccess && !usesExistingNetwork(args) && args.publicInterface !== "instance";
}

/** Each Session Manager endpoint service must be offered in the zone of the subnet its endpoint goes into. */
export function checkEndpointServices(args: CheckedArgs, services: readonly EndpointServiceFacts[]): ValidationProblem[] {
    return services
        .filter((service) => !service.availabilityZones.includes(args.availabilityZone))
        .map((service) => ({
            field: "availabilityZone" as const,
            value: args.availabilityZone,
            reason: `has no ${service.serviceName} endpoint service (offered in: ${list(service.availabilityZones)}), which ssmAccess needs in the primary subnet; pick one of those zones`,
        }));
}

/** Checks the args against what the optional lookups found: the AMI, key pair, instance profile and existing routes. */
export function checkLookups(args: CheckedArgs, limits: InstanceTypeFacts | undefined, found: LookupFacts): ValidationProblem[] {
    const problems: ValidationProblem[] = [];
    const report = (field: ValidatedField, reason: string) => problems.push({ field, value: args[field], reason });
    const image = args.ami === undefined ? "the default Amazon Linux 2023 image" : "the image";
    if (found.missingAmiParameter !== undefined) {
        report("ami", `names SSM parameter ${shortened(found.missingAmiParameter, 80)}, which does not exist in the AWS provider's region`);
    } else if (found.ami === null) {
        report("ami", "does not exist in the AWS provider's region, or is not shared with this account");
    } else if (found.ami) {
        const { architecture, state, rootDeviceType, rootSnapshotSizeGiB } = found.ami;
        if (state !== "available") {
            report("ami", `is ${state}; AWS launches only available images`);
        }
        if (limits && !limits.supportedArchitectures.includes(architecture)) {
            report("ami", `is an ${architecture} image, but ${args.instanceType} runs ${list(limits.supportedArchitectures)}`);
        }
        const enaRequired = limits?.enaSupport === "required";
        if (enaRequired && found.ami.enaSupport === false) {
            report("ami", `has no ENA support (enaSupport false), but ${args.instanceType} requires ENA; AWS refuses the launch`);
        }
        const bootMode = found.ami.bootMode;
        if (limits?.bootModes && (bootMode === "uefi" || bootMode === "legacy-bios") && !limits.bootModes.includes(bootMode)) {
            report("ami", `boots only with ${bootMode} (bootMode), but ${args.instanceType} supports ${list(limits.bootModes)}; AWS refuses the launch with InvalidParameterValue`);
        }
        if (rootDeviceType !== "ebs") {
            report("ami", `has an ${rootDeviceType} root device; the encrypted gp3 root volume needs an EBS-backed image`);
        }
        if (args.rootVolumeSizeGiB !== undefined && rootSnapshotSizeGiB !== undefined && args.rootVolumeSizeGiB < rootSnapshotSizeGiB) {
            report("rootVolumeSizeGiB", `is smaller than ${image}'s root snapshot (${rootSnapshotSizeGiB} GiB); AWS needs at least that`);
        }
    }
    if (found.keyPairFound === false) {
        report("keyName", "is not a key pair in the AWS provider's region");
    }
    if (found.instanceProfileFound === false) {
        report("iamInstanceProfile", "is not an instance profile of this account");
    }
    if (found.publicSubnetRoutesToInternetGateway === false) {
        const subnet = args.publicInterface === "instance" ? "existingNetwork.primarySubnetId" : "existingNetwork.secondarySubnetId";
        report(
            "publicInterface",
            `is ${args.publicInterface}, but ${subnet} ${args[subnet]} has no route 0.0.0.0/0 to an internet gateway (directly, or through a Network Firewall or Gateway Load Balancer endpoint of a VPC with one attached) or to a carrier gateway; an Elastic IP there would not be reachable`,
        );
    }
    return problems;
}
