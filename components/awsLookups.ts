/**
 * The data sources the component reads. Keep this list short: every invoke here is one a consumer's
 * unit tests must mock (see the "Data sources" table of docs/library.md).
 */
import * as ec2 from "@pulumi/aws/ec2";
import { getAvailabilityZones } from "@pulumi/aws/getAvailabilityZones";
import { getPartition } from "@pulumi/aws/getPartition";
import { getInstanceProfile } from "@pulumi/aws/iam";
import { getServiceQuota } from "@pulumi/aws/servicequotas";
import { getParameter } from "@pulumi/aws/ssm";
import * as pulumi from "@pulumi/pulumi";

/** What `aws.ec2.getInstanceType` says of an instance type's network limits and CPU architectures. */
export interface InstanceTypeFacts {
    /** Network interfaces across all of the type's network cards. */
    readonly maximumNetworkInterfaces: number;
    readonly maximumIpv4AddressesPerInterface: number;
    readonly supportedArchitectures: readonly string[];
    /** The type's network cards with the interfaces each takes. Default: one card, index 0, taking them all. */
    readonly networkCards?: readonly { readonly index: number; readonly maximumInterfaces: number }[];
    /** The card of the primary interface (device index 0). Default 0. */
    readonly defaultNetworkCardIndex?: number;
    /** `required`, `supported` or `unsupported`: whether the image must have ENA support. Default `supported`. */
    readonly enaSupport?: string;
    /** `legacy-bios` and/or `uefi`. Default both. */
    readonly bootModes?: readonly string[];
    /** `on-demand`, `spot`, `capacity-block`. Default on-demand and spot. */
    readonly supportedUsagesClasses?: readonly string[];
    /** `nitro`, `xen`, or "" (bare metal: no hypervisor). Default `nitro`. */
    readonly hypervisor?: string;
    /** A bare-metal type (built on the Nitro System, without its hypervisor). Default false. */
    readonly bareMetal?: boolean;
    /** Whether interfaces of the type take IPv6 addresses. Default true. */
    readonly ipv6Supported?: boolean;
    /** IPv6 addresses (and /80 prefixes, one each) per interface. Default: `maximumIpv4AddressesPerInterface`. */
    readonly maximumIpv6AddressesPerInterface?: number;
}

/** What the AWS data sources said about the provider's region and the chosen instance type. */
export interface AwsFacts {
    /** The region of the AWS provider the component runs with. */
    readonly region: string;
    /** Names of the zones in that region whose state is `available`. */
    readonly availableZones: readonly string[];
    /** Zones of that region where the instance type is offered; empty for an unknown type. */
    readonly instanceTypeZones: readonly string[];
    /** The instance type's limits; absent when the type is offered nowhere in the region. */
    readonly instanceType?: InstanceTypeFacts;
}

/** What `aws.ec2.getSubnet` says of an existing subnet; undefined where no such subnet exists. */
export interface SubnetFacts {
    readonly vpcId: string;
    readonly availabilityZone: string;
    /** The subnet's IPv4 block; "" for an IPv6-only subnet. */
    readonly cidrBlock: string;
    /** IPv4 addresses no interface holds yet, beyond the five AWS reserves. */
    readonly availableIpAddressCount: number;
    /** True for an IPv6-only subnet (no IPv4 block). */
    readonly ipv6Native: boolean;
    /** The subnet's IPv6 /64; absent when it has none. */
    readonly ipv6CidrBlock?: string;
}

/** What `aws.ec2.getAmi` says of an image. */
export interface AmiFacts {
    /** `x86_64`, `arm64`, `i386`, `x86_64_mac` or `arm64_mac`. */
    readonly architecture: string;
    /** `available`, `pending`, `failed`, ... */
    readonly state: string;
    /** `ebs` or `instance-store`. */
    readonly rootDeviceType: string;
    /** Size of the root device's snapshot, where the image has one. */
    readonly rootSnapshotSizeGiB?: number;
    /** Whether the image has the ENA driver flag (`enaSupport`). Default true. */
    readonly enaSupport?: boolean;
    /** `legacy-bios`, `uefi`, `uefi-preferred`, or "" (the instance type's default). */
    readonly bootMode?: string;
    /** `windows` for a Windows image; "" otherwise. */
    readonly platform?: string;
}

/** Answers of the lookups that only some args need; a field is absent when its lookup did not run. */
export interface LookupFacts {
    /** The image the instance would launch; null when AWS has no such image. */
    readonly ami?: AmiFacts | null;
    /** For `resolve:ssm:<parameter>`: the parameter's name when it does not exist. */
    readonly missingAmiParameter?: string;
    readonly keyPairFound?: boolean;
    readonly instanceProfileFound?: boolean;
    /**
     * With an existing network and a public side: whether that side's subnet routes 0.0.0.0/0 to an internet gateway,
     * directly or through a Network Firewall or Gateway Load Balancer endpoint of a VPC that has one attached.
     */
    readonly publicSubnetRoutesToInternetGateway?: boolean;
}

/** The account's inbound-rule quota per security group, or why it could not be read (the default then applies). */
export type RulesQuota = { readonly value: number } | { readonly unreadable: string };

/** What `aws.ec2.getVpcEndpointService` says of an interface endpoint service. */
export interface EndpointServiceFacts {
    readonly serviceName: string;
    readonly availabilityZones: readonly string[];
}

/**
 * How the provider says that what a data source asked for does not exist, per data source (terraform-provider-aws,
 * which pulumi-aws bridges). The component treats only these as "not found"; every other failure stays an error.
 */
export const NOT_FOUND = {
    /** `internal/service/ec2/vpc_subnet_data_source.go` dataSourceSubnetRead: `tfresource.SingularDataSourceFindError("EC2 Subnet", err)`. */
    subnet: /no matching EC2 Subnet found/,
    /** `internal/service/ec2/ec2_ami_data_source.go` dataSourceAMIRead, when no image matches the filters. */
    ami: /Your query returned no results\. Please change your search criteria and try again\./,
    /** `internal/service/ssm/parameter_data_source.go` dataParameterRead: "reading SSM Parameter (%s): %s" around a `retry.NotFoundError` (findParameterByName). */
    ssmParameter: /reading SSM Parameter \(.*\): couldn't find resource/,
    /** `internal/service/ec2/ec2_key_pair_data_source.go` dataSourceKeyPairRead: `tfresource.SingularDataSourceFindError("EC2 Key Pair", err)`. */
    keyPair: /no matching EC2 Key Pair found/,
    /** `internal/service/iam/instance_profile_data_source.go` dataSourceInstanceProfileRead: "reading IAM Instance Profile (%s): %s" around a `retry.NotFoundError`. */
    instanceProfile: /reading IAM Instance Profile \(.*\): couldn't find resource/,
    /**
     * `internal/service/ec2/vpc_route_table_data_source.go` dataSourceRouteTableRead, when DescribeRouteTables matches no
     * table: `tfresource.SingularDataSourceFindError("Route Table", err)` since v6.47.0, "query returned no results.
     * Please change your search criteria and try again" before.
     */
    routeTable: /no matching Route Table found|query returned no results\. Please change your search criteria and try again/,
    /** `internal/service/ec2/vpc_internet_gateway_data_source.go` dataSourceInternetGatewayRead: `tfresource.SingularDataSourceFindError("EC2 Internet Gateway", err)`. */
    internetGateway: /no matching EC2 Internet Gateway found/,
    /**
     * `internal/service/ec2/vpc_security_group_data_source.go` dataSourceSecurityGroupRead: `tfresource.SingularDataSourceFindError("EC2
     * Security Group", err)`, findSecurityGroups turning InvalidGroup.NotFound into a not-found error.
     */
    securityGroup: /no matching EC2 Security Group found/,
    /**
     * `internal/service/ec2/vpc_managed_prefix_list_data_source.go` dataSourceManagedPrefixListRead: `tfresource.SingularDataSourceFindError("EC2
     * Managed Prefix List", err)`, findManagedPrefixLists turning InvalidPrefixListID.NotFound into a not-found error.
     */
    prefixList: /no matching EC2 Managed Prefix List found/,
} as const;

/**
 * How the provider's `aws_servicequotas_service_quota` reports a quota it could not read (no permission, or no
 * Service Quotas in the partition): `internal/service/servicequotas/service_quota_data_source.go`
 * dataSourceServiceQuotaRead, "getting Default Service Quota for (%s/%s): %s" and "getting Service Quota for (%s/%s): %s".
 */
const QUOTA_UNREADABLE = /getting (?:Default )?Service Quota for \(/;

/** Invoke options of a component's lookups: the component is the parent, so its AWS provider answers. */
export interface LookupOptions extends pulumi.InvokeOptions {
    parent: pulumi.Resource;
}

/** Questions in flight, per AWS provider (the component's own or the default one, `undefined`). */
const inFlight = new Map<pulumi.ProviderResource | undefined, Map<string, Promise<unknown>>>();

/**
 * Shares one answer among the components of a program that ask the same question through the same AWS
 * provider at the same time: 100 components in one region make 4 data-source calls, not 400. An answer is
 * shared only while it is being asked for, so a later program run (or a test's new mocks) asks afresh.
 */
export function shared<T>(question: string, opts: LookupOptions, ask: () => Promise<T>): Promise<T> {
    const provider = opts.parent.getProvider("aws:index:getAvailabilityZones");
    const questions = inFlight.get(provider) ?? new Map<string, Promise<unknown>>();
    inFlight.set(provider, questions);
    let answer = questions.get(question) as Promise<T> | undefined;
    if (!answer) {
        answer = ask();
        questions.set(question, answer);
        const forget = () => {
            questions.delete(question);
            if (questions.size === 0) {
                inFlight.delete(provider);
            }
        };
        answer.then(forget, forget);
    }
    return answer;
}

/** Region, its available zones, and where and how the instance type runs there. */
export function lookUpAwsFacts(instanceType: string, opts: LookupOptions): Promise<AwsFacts> {
    return shared(`facts ${instanceType}`, opts, () => askAwsFacts(instanceType, opts));
}

async function askAwsFacts(instanceType: string, opts: LookupOptions): Promise<AwsFacts> {
    const [zones, offerings] = await Promise.all([
        getAvailabilityZones({ state: "available" }, opts),
        ec2.getInstanceTypeOfferings(
            { locationType: "availability-zone", filters: [{ name: "instance-type", values: [instanceType] }] },
            opts,
        ),
    ]);
    // getInstanceType fails outright for a type AWS does not know, so it is asked only about offered ones.
    const details = offerings.locations.length > 0 ? await ec2.getInstanceType({ instanceType }, opts) : undefined;
    return {
        region: zones.region,
        availableZones: zones.names,
        instanceTypeZones: offerings.locations,
        instanceType: details && {
            maximumNetworkInterfaces: details.maximumNetworkInterfaces,
            maximumIpv4AddressesPerInterface: details.maximumIpv4AddressesPerInterface,
            supportedArchitectures: details.supportedArchitectures,
            networkCards: details.networkCards?.map((card) => ({ index: card.index, maximumInterfaces: card.maximumInterfaces })),
            defaultNetworkCardIndex: details.defaultNetworkCardIndex,
            enaSupport: details.enaSupport,
            bootModes: details.bootModes,
            supportedUsagesClasses: details.supportedUsagesClasses,
            hypervisor: details.hypervisor,
            bareMetal: details.bareMetal,
            ipv6Supported: details.ipv6Supported,
            maximumIpv6AddressesPerInterface: details.maximumIpv6AddressesPerInterface,
        },
    };
}

/** The SSM public parameter AWS keeps pointing at the newest Amazon Linux 2023 AMI for an architecture. */
export function amazonLinux2023Parameter(architecture: "x86_64" | "arm64"): string {
    return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`;
}

export async function lookUpAmazonLinux2023Ami(architecture: "x86_64" | "arm64", opts: LookupOptions): Promise<string> {
    const name = amazonLinux2023Parameter(architecture);
    const ami = await lookUpSsmParameter(name, opts);
    if (ami === undefined) {
        throw new Error(`AWS's public SSM parameter ${name} does not exist in this region`);
    }
    return ami;
}

/** The lookup's answer, or undefined when AWS says that what it asked for does not exist. */
export async function unlessMissing<T>(lookup: () => Promise<T>, missing: RegExp): Promise<T | undefined> {
    try {
        return await lookup();
    } catch (error) {
        if (missing.test(String(error))) {
            return undefined;
        }
        throw error;
    }
}

/** An existing subnet's VPC, zone, CIDR and free addresses, or undefined when AWS has no subnet of that id. */
export async function lookUpSubnet(id: string, opts: pulumi.InvokeOptions): Promise<SubnetFacts | undefined> {
    const subnet = await unlessMissing(() => ec2.getSubnet({ id }, opts), NOT_FOUND.subnet);
    return (
        subnet && {
            vpcId: subnet.vpcId,
            availabilityZone: subnet.availabilityZone,
            cidrBlock: subnet.cidrBlock,
            availableIpAddressCount: subnet.availableIpAddressCount,
            ipv6Native: subnet.ipv6Native,
            ...(subnet.ipv6CidrBlock ? { ipv6CidrBlock: subnet.ipv6CidrBlock } : {}),
        }
    );
}

/** An image's architecture, state and root device, or null when AWS has no such image (or does not share it). */
export function lookUpAmi(id: string, opts: LookupOptions): Promise<AmiFacts | null> {
    return shared(`ami ${id}`, opts, async () => {
        const image = await unlessMissing(
            () => ec2.getAmi({ filters: [{ name: "image-id", values: [id] }], includeDeprecated: true }, opts),
            NOT_FOUND.ami,
        );
        if (!image) {
            return null;
        }
        const root = image.blockDeviceMappings.find((mapping) => mapping.deviceName === image.rootDeviceName);
        const size = Number(root?.ebs?.volume_size ?? root?.ebs?.volumeSize);
        return {
            architecture: image.architecture,
            state: image.state,
            rootDeviceType: image.rootDeviceType,
            enaSupport: image.enaSupport,
            bootMode: image.bootMode,
            platform: image.platform,
            ...(Number.isFinite(size) && size > 0 ? { rootSnapshotSizeGiB: size } : {}),
        };
    });
}

/** An SSM parameter's value, or undefined when it does not exist. */
export function lookUpSsmParameter(name: string, opts: LookupOptions): Promise<string | undefined> {
    return shared(`ssm ${name}`, opts, async () => (await unlessMissing(() => getParameter({ name }, opts), NOT_FOUND.ssmParameter))?.insecureValue);
}

/** True when the region has an EC2 key pair of that name. */
export function lookUpKeyPair(keyName: string, opts: LookupOptions): Promise<boolean> {
    return shared(`key pair ${keyName}`, opts, async () =>
        (await unlessMissing(() => ec2.getKeyPair({ keyName }, opts), NOT_FOUND.keyPair)) !== undefined,
    );
}

/** True when the account has an IAM instance profile of that name. */
export function lookUpInstanceProfile(name: string, opts: LookupOptions): Promise<boolean> {
    return shared(`instance profile ${name}`, opts, async () =>
        (await unlessMissing(() => getInstanceProfile({ name }, opts), NOT_FOUND.instanceProfile)) !== undefined,
    );
}

/**
 * True when the subnet's route table (its own, or else the VPC's main one) sends 0.0.0.0/0 to an internet
 * gateway: what an Elastic IP in that subnet needs to be reachable. A subnet without an explicit association
 * (every subnet of a default VPC) matches no table by `subnetId`; it uses the main table. A route to a Network
 * Firewall or Gateway Load Balancer endpoint (`vpce-…`, which the data source gives as `vpcEndpointId`:
 * `internal/service/ec2/vpc_route_table.go` flattenRoute) reaches the internet through the VPC's internet gateway,
 * which must then be attached: AWS associates an Elastic IP only in a VPC that has one (Gateway.NotAttached).
 */
export async function lookUpRoutesToInternetGateway(subnetId: string, vpcId: string, opts: LookupOptions): Promise<boolean> {
    const table =
        (await unlessMissing(() => ec2.getRouteTable({ subnetId }, opts), NOT_FOUND.routeTable)) ??
        (await ec2.getRouteTable({ vpcId, filters: [{ name: "association.main", values: ["true"] }] }, opts));
    const defaultRoute = table.routes.find((route) => route.cidrBlock === "0.0.0.0/0");
    // A Wavelength Zone's subnet reaches the internet through a carrier gateway, with a carrier IP from the zone's network border group.
    if (defaultRoute?.gatewayId?.startsWith("igw-") || defaultRoute?.carrierGatewayId?.startsWith("cagw-")) {
        return true;
    }
    if (!defaultRoute?.vpcEndpointId?.startsWith("vpce-")) {
        return false;
    }
    const gateway = await unlessMissing(() => ec2.getInternetGateway({ filters: [{ name: "attachment.vpc-id", values: [vpcId] }] }, opts), NOT_FOUND.internetGateway);
    return gateway?.attachments.some((attachment) => attachment.vpcId === vpcId && attachment.state === "available") ?? false;
}

/** The AWS partition of the provider's region and its DNS suffix: where IAM ARNs and service principals live. */
export function lookUpPartition(opts: LookupOptions): Promise<{ readonly partition: string; readonly dnsSuffix: string }> {
    return shared("partition", opts, async () => {
        const { partition, dnsSuffix } = await getPartition({}, opts);
        return { partition, dnsSuffix };
    });
}

/** Service Quotas' service code and quota code of "Inbound or outbound rules per security group". */
export const RULES_PER_SECURITY_GROUP_QUOTA = { serviceCode: "vpc", quotaCode: "L-0EA8095F" } as const;

/** The account's inbound-rule quota per security group, or the provider's reason when it cannot be read. */
export function lookUpRulesQuota(opts: LookupOptions): Promise<RulesQuota> {
    return shared("rules quota", opts, async () => {
        try {
            return { value: (await getServiceQuota(RULES_PER_SECURITY_GROUP_QUOTA, opts)).value };
        } catch (error) {
            const text = String((error as { message?: unknown })?.message ?? error);
            if (QUOTA_UNREADABLE.test(text)) {
                return { unreadable: text.split("\n")[0] };
            }
            throw error;
        }
    });
}

/** Where AWS offers an interface endpoint service of the region (`ssm`, `ssmmessages`, `ec2messages`). */
export function lookUpEndpointService(service: string, opts: LookupOptions): Promise<EndpointServiceFacts> {
    return shared(`endpoint service ${service}`, opts, async () => {
        const found = await ec2.getVpcEndpointService({ service, serviceType: "Interface" }, opts);
        return { serviceName: found.serviceName, availabilityZones: found.availabilityZones };
    });
}
