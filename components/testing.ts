/**
 * Unit-test support for the component, for this project's tests and for consumers':
 * `await pulumi.runtime.setMocks(createMocks(), "project", "stack", false)`.
 *
 * The mocks answer like AWS where it matters: AWS-shaped ids (`vpc-…`, `subnet-…`, `i-…`, `eni-…`,
 * `eni-attach-…`), deterministic for a given resource name; private IPs drawn from the right subnet,
 * past the addresses AWS reserves; availability zones echoed. An invoke they do not know throws, so a
 * missing mock cannot pass silently.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { numberToIpv4, parseIpv4, parseIpv4Cidr } from "./cidr";
import { amazonLinux2023Parameter } from "./awsLookups";
import { instanceTypeFacts } from "./instanceTypes";
import type { InstanceTypeFacts } from "./validation";

/** What `aws.ec2.getInstanceType` answers for a mocked instance type, and where it is offered. */
export interface MockInstanceType extends InstanceTypeFacts {
    /** Zone-name suffixes (`["a", "b"]`) where the type is offered. Default: every zone of the region. */
    readonly zoneSuffixes?: readonly string[];
}

/** A subnet that exists before the program runs, for `aws.ec2.getSubnet` and `aws.ec2.getRouteTable`. */
export interface MockSubnet {
    readonly id: string;
    readonly vpcId: string;
    readonly cidrBlock: string;
    readonly availabilityZone: string;
    /** An internet gateway the subnet's route table sends `0.0.0.0/0` to. Default: none (a private subnet). */
    readonly internetGatewayId?: string;
}

/** An image `aws.ec2.getAmi` finds, beyond the mocked Amazon Linux 2023 ones. */
export interface MockAmi {
    /** `x86_64`, `arm64`, `i386`, `x86_64_mac` or `arm64_mac`. */
    readonly architecture: string;
    /** Whether the image is flagged for ENA. Default true. */
    readonly enaSupport?: boolean;
    /** `legacy-bios`, `uefi`, `uefi-preferred` or "" (the type's default). Default `uefi-preferred`, as Amazon Linux 2023's. */
    readonly bootMode?: string;
    /** Default `available`. */
    readonly state?: string;
    /** Default `ebs`. */
    readonly rootDeviceType?: string;
    /** Default 8. */
    readonly rootSnapshotSizeGiB?: number;
}

export interface MockOptions {
    /** Region of the mocked AWS provider. Default: the `aws:region` config, else `ap-south-1`. */
    readonly region?: string;
    /** Zone-name suffixes of the region's available zones. Default `["a", "b", "c"]`. */
    readonly zoneSuffixes?: readonly string[];
    /**
     * Instance types added to, or replacing, AWS's own: by default the mocks answer every type AWS lists
     * (1,391, see `awsInstanceNetworkLimits.json`) with its real limits, offered in every zone.
     */
    readonly instanceTypes?: Readonly<Record<string, MockInstanceType>>;
    /** Subnets that exist already. */
    readonly existingSubnets?: readonly MockSubnet[];
    /** Images by id (`ami-…`) that exist besides the Amazon Linux 2023 ones the SSM parameters point at. */
    readonly amis?: Readonly<Record<string, MockAmi>>;
    /** SSM parameters (for `resolve:ssm:` AMIs) besides AWS's Amazon Linux 2023 ones, by name. */
    readonly ssmParameters?: Readonly<Record<string, string>>;
    /** Names of the EC2 key pairs that exist. */
    readonly keyPairs?: readonly string[];
    /** Names of the IAM instance profiles that exist. */
    readonly instanceProfiles?: readonly string[];
    /**
     * Per VPC id, the internet gateway its main route table sends `0.0.0.0/0` to (a default VPC's main table
     * does). Subnets without `internetGatewayId` have no table of their own and use their VPC's main table.
     */
    readonly mainRouteTableInternetGateways?: Readonly<Record<string, string>>;
    /**
     * The account's "Inbound or outbound rules per security group" quota (Service Quotas L-0EA8095F), or
     * `"denied"` for a role that may not read quotas. Default 60, AWS's default.
     */
    readonly rulesPerSecurityGroupQuota?: number | "denied";
    /** Per interface endpoint service (`ssm`, ...), the zone-name suffixes where AWS offers it. Default: every zone. */
    readonly endpointServiceZoneSuffixes?: Readonly<Record<string, readonly string[]>>;
}

/** The AMI id the mocks answer for an architecture's Amazon Linux 2023 parameter. */
export function mockAmiId(architecture: string): string {
    return `ami-${hex(`al2023-${architecture}`, 17)}`;
}

/** An invoke failure as the engine reports one (its text in `details`, which the SDK turns into the message). */
function invokeError(message: string): Error {
    return Object.assign(new Error(message), { details: message });
}

/**
 * An EC2 API error as the provider wraps it when a create fails (terraform-provider-aws prefixes the AWS SDK for
 * Go v2's operation error with what it was doing, e.g. `internal/service/ec2/ec2_instance.go` resourceInstanceCreate:
 * "creating EC2 Instance: %s"); `code` and `message` are the EC2 API's own error code and text.
 */
function ec2ApiError(doing: string, operation: string, code: string, message: string): Error {
    return new Error(`${doing}: operation error EC2: ${operation}, https response error StatusCode: 400, RequestID: 00000000-0000-0000-0000-000000000000, api error ${code}: ${message}`);
}

/**
 * The partition of a region and its DNS suffix, as the AWS SDK's endpoint rules list them
 * (aws-sdk-go-v2 `internal/endpoints/awsrulesfn/partitions.json`, which `aws.getPartition` reads).
 */
function partitionOf(region: string): { partition: string; dnsSuffix: string; reverseDnsPrefix: string } {
    const partitions: readonly [RegExp, string, string, string][] = [
        [/^cn-/, "aws-cn", "amazonaws.com.cn", "cn.com.amazonaws"],
        [/^us-gov-/, "aws-us-gov", "amazonaws.com", "com.amazonaws"],
        [/^us-iso-/, "aws-iso", "c2s.ic.gov", "gov.ic.c2s"],
        [/^us-isob-/, "aws-iso-b", "sc2s.sgov.gov", "gov.sgov.sc2s"],
        [/^eu-isoe-/, "aws-iso-e", "cloud.adc-e.uk", "uk.adc-e.cloud"],
        [/^us-isof-/, "aws-iso-f", "csp.hci.ic.gov", "gov.ic.hci.csp"],
        [/^eusc-/, "aws-eusc", "amazonaws.eu", "eu.amazonaws"],
    ];
    const [, partition, dnsSuffix, reverseDnsPrefix] = partitions.find(([pattern]) => pattern.test(region)) ?? [/./, "aws", "amazonaws.com", "com.amazonaws"];
    return { partition, dnsSuffix, reverseDnsPrefix };
}

function hex(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

const ID_PREFIXES: Readonly<Record<string, string>> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:ec2/instance:Instance": "i",
    "aws:ec2/networkInterface:NetworkInterface": "eni",
    "aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment": "eni-attach",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
};

/** Resource types Pulumi auto-names (`<logical name>-<7 random characters>`) when no name is given. */
const AUTO_NAMED = new Set(["aws:ec2/securityGroup:SecurityGroup", "aws:iam/role:Role", "aws:iam/instanceProfile:InstanceProfile"]);

/**
 * Resolves once every output has; rejects with the program's first unhandled error (such as a failed check),
 * or with `signal`'s reason once it aborts (e.g. `AbortSignal.timeout(10_000)` for an output that never resolves).
 * Process-wide state: while it waits, it listens to `process`'s `unhandledRejection` events (and so takes them
 * over from Node's default, which would end the process); the listener is removed as soon as it settles.
 */
export async function resolveAll(outputs: readonly pulumi.Output<unknown>[], options: { readonly signal?: AbortSignal } = {}): Promise<unknown[]> {
    const { signal } = options;
    let fail: (reason: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    const abort = () => fail(signal?.reason);
    process.on("unhandledRejection", fail);
    signal?.addEventListener("abort", abort, { once: true });
    try {
        signal?.throwIfAborted();
        return await Promise.race([Promise.all(outputs.map((output) => new Promise((done) => output.apply(done)))), failed]);
    } finally {
        process.off("unhandledRejection", fail);
        signal?.removeEventListener("abort", abort);
    }
}

/**
 * `awsx.ec2.Vpc` is a remote component: under mocks it is one resource with no children, whose outputs
 * are whatever the mocks return. This lays out its subnets the way awsx does in kind (per zone, private
 * first, then public, then isolated) with `/24`s, or each spec's `cidrMask`, taken in order from the VPC's
 * block, and records them so that `aws.ec2.getSubnet` finds them.
 */
function mockAwsxVpc(
    id: string,
    name: string,
    inputs: { cidrBlock?: string; availabilityZoneNames?: string[]; numberOfAvailabilityZones?: number; subnetSpecs?: { type: string; cidrMask?: number }[] },
    regionZones: string[],
    addSubnet: (subnet: MockSubnet) => void,
): Record<string, unknown> {
    const vpcId = `vpc-${hex(id, 17)}`;
    const vpcBlock = parseIpv4Cidr(inputs.cidrBlock ?? "10.0.0.0/16");
    if (!vpcBlock.ok) {
        throw new Error(`awsx:ec2:Vpc ${name}: ${vpcBlock.reason}`);
    }
    const zones = inputs.availabilityZoneNames ?? regionZones.slice(0, inputs.numberOfAvailabilityZones ?? 3);
    const order = ["Private", "Public", "Isolated"];
    const specs = [...(inputs.subnetSpecs ?? [{ type: "Private" }, { type: "Public" }])].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
    const ids: Record<string, string[]> = { Private: [], Public: [], Isolated: [] };
    let next = vpcBlock.cidr.network;
    for (const [index, spec] of specs.entries()) {
        for (const zone of zones) {
            const size = 2 ** (32 - (spec.cidrMask ?? 24));
            next = Math.ceil(next / size) * size;
            const subnetId = `subnet-${hex(`${id}-${index}-${zone}`, 17)}`;
            const internetGateway = spec.type === "Public" ? { internetGatewayId: `igw-${hex(id, 17)}` } : {};
            addSubnet({ id: subnetId, vpcId, availabilityZone: zone, cidrBlock: `${numberToIpv4(next)}/${32 - Math.log2(size)}`, ...internetGateway });
            ids[spec.type]?.push(subnetId);
            next += size;
        }
    }
    return { vpcId, privateSubnetIds: ids.Private, publicSubnetIds: ids.Public, isolatedSubnetIds: ids.Isolated };
}

/** Hands out private IPs from a subnet like AWS: never one of the first four or the broadcast address. */
class SubnetAddresses {
    private readonly used = new Set<number>();
    private next: number;
    private readonly last: number;
    /** What the provider was creating when it took an address, for its error text. */
    creating = "creating EC2 Instance";
    operation = "RunInstances";

    constructor(
        cidrBlock: string,
        private readonly subnetId: string,
    ) {
        const parsed = parseIpv4Cidr(cidrBlock);
        if (!parsed.ok) {
            throw new Error(`mock subnet has an invalid CIDR ${cidrBlock}`);
        }
        this.next = parsed.cidr.network + 4;
        this.last = parsed.cidr.broadcast - 1;
    }

    take(fixed?: string): string {
        if (fixed !== undefined) {
            const address = parseIpv4(fixed) ?? Number.NaN;
            if (this.used.has(address)) {
                throw ec2ApiError(this.creating, this.operation, "InvalidIPAddress.InUse", `Address ${fixed} is in use.`);
            }
            this.used.add(address);
            return fixed;
        }
        while (this.used.has(this.next)) {
            this.next++;
        }
        if (this.next > this.last) {
            throw ec2ApiError(this.creating, this.operation, "InsufficientFreeAddressesInSubnet", `There are not enough free addresses in subnet '${this.subnetId}' to satisfy the requested number of instances.`);
        }
        this.used.add(this.next);
        return numberToIpv4(this.next++);
    }
}

/** Pulumi mocks that behave like the parts of AWS this component touches. */
export function createMocks(options: MockOptions = {}): pulumi.runtime.Mocks {
    const instanceTypeOf = (name: string): MockInstanceType | undefined => options.instanceTypes?.[name] ?? instanceTypeFacts(name);
    const subnets = new Map<string, MockSubnet & { addresses: SubnetAddresses }>();
    const amis: Readonly<Record<string, MockAmi>> = {
        [mockAmiId("x86_64")]: { architecture: "x86_64" },
        [mockAmiId("arm64")]: { architecture: "arm64" },
        ...options.amis,
    };
    const addSubnet = (subnet: MockSubnet) => subnets.set(subnet.id, { ...subnet, addresses: new SubnetAddresses(subnet.cidrBlock, subnet.id) });
    (options.existingSubnets ?? []).forEach(addSubnet);

    // Regions of explicit AWS providers by name, so invokes made through one answer for its region.
    // An invoke names its provider as "<urn>::<id>", and the URN ends in "::<name>".
    const providerRegions = new Map<string, string>();
    const regionOf = (inputs: { region?: string }, provider?: string) =>
        inputs.region ??
        (provider ? providerRegions.get(provider.split("::").slice(-2)[0]) : undefined) ??
        options.region ??
        pulumi.runtime.getConfig("aws:region") ??
        "ap-south-1";
    const zonesOf = (region: string, suffixes: readonly string[] = options.zoneSuffixes ?? ["a", "b", "c"]) =>
        suffixes.map((suffix) => `${region}${suffix}`);
    /** The subnet a new instance or interface goes into, its addresses taken as `creating` says. */
    const subnetFor = (id: string, creating: string, operation: string) => {
        const subnet = subnets.get(id);
        if (!subnet) {
            throw ec2ApiError(creating, operation, "InvalidSubnetID.NotFound", `The subnet ID '${id}' does not exist`);
        }
        Object.assign(subnet.addresses, { creating, operation });
        return subnet;
    };

    return withSecretInputs({
        newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
            const prefix = ID_PREFIXES[args.type];
            const id = prefix ? `${prefix}-${hex(`${args.type}::${args.name}`, 17)}` : `${args.name}-id`;
            const inputs = args.inputs;
            const arn = `arn:aws:ec2:${regionOf(inputs, args.provider)}:123456789012:${args.type.split(":").pop()?.toLowerCase()}/${id}`;
            switch (args.type) {
                case "pulumi:providers:aws":
                    providerRegions.set(args.name, inputs.region);
                    return { id, state: inputs };
                case "aws:ec2/vpc:Vpc":
                    return { id, state: { ...inputs, arn, defaultSecurityGroupId: `sg-${hex(id, 17)}`, mainRouteTableId: `rtb-${hex(id, 17)}` } };
                case "aws:ec2/subnet:Subnet":
                    addSubnet({ id, vpcId: inputs.vpcId, cidrBlock: inputs.cidrBlock, availabilityZone: inputs.availabilityZone });
                    return { id, state: { ...inputs, arn } };
                case "aws:ec2/instance:Instance": {
                    const subnet = subnetFor(inputs.subnetId, "creating EC2 Instance", "RunInstances");
                    const privateIp = subnet.addresses.take(inputs.privateIp);
                    const secondaryPrivateIps = (inputs.secondaryPrivateIps ?? []).map((ip: string) => subnet.addresses.take(ip));
                    const primaryNetworkInterfaceId = `eni-${hex(`${id}-primary`, 17)}`;
                    return { id, state: { ...inputs, arn, privateIp, secondaryPrivateIps, availabilityZone: subnet.availabilityZone, primaryNetworkInterfaceId } };
                }
                case "aws:ec2/eip:Eip": {
                    // Documentation addresses (TEST-NET-3), one per Elastic IP.
                    const publicIp = `203.0.113.${parseInt(hex(id, 2), 16) % 254 + 1}`;
                    return { id, state: { ...inputs, arn, allocationId: id, publicIp, associationId: `eipassoc-${hex(id, 17)}` } };
                }
                case "aws:ec2/networkInterface:NetworkInterface": {
                    // internal/service/ec2/vpc_network_interface.go resourceNetworkInterfaceCreate: "creating EC2 Network Interface: %s".
                    const subnet = subnetFor(inputs.subnetId, "creating EC2 Network Interface", "CreateNetworkInterface");
                    const [fixedPrimary, ...fixedSecondaries]: (string | undefined)[] = inputs.privateIpLists ?? inputs.privateIps ?? [];
                    const privateIp = subnet.addresses.take(fixedPrimary);
                    const secondaries = [
                        ...fixedSecondaries.map((ip) => subnet.addresses.take(ip)),
                        ...Array.from({ length: inputs.privateIpsCount ?? 0 }, () => subnet.addresses.take()),
                    ];
                    const macAddress = `02:${hex(id, 10).match(/../g)!.join(":")}`;
                    return { id, state: { ...inputs, arn, privateIp, privateIps: [privateIp, ...secondaries], macAddress } };
                }
                case "awsx:ec2:Vpc":
                    return { id, state: mockAwsxVpc(id, args.name, inputs, zonesOf(regionOf(inputs, args.provider)), addSubnet) };
                case "aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment":
                    return { id, state: { ...inputs, attachmentId: id, status: "attached" } };
                default: {
                    const name = AUTO_NAMED.has(args.type) ? { name: inputs.name ?? `${args.name}-${hex(id, 7)}` } : {};
                    return { id, state: { ...inputs, ...name, ...(prefix ? { arn } : {}) } };
                }
            }
        },

        call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
            const inputs = args.inputs;
            const region = regionOf(inputs, args.provider);
            switch (args.token) {
                case "aws:index/getAvailabilityZones:getAvailabilityZones": {
                    const names = zonesOf(region);
                    return { id: region, region, names, zoneIds: names.map((_, i) => `${region.replace(/-/g, "")}-az${i + 1}`), groupNames: [region] };
                }
                case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": {
                    const wanted: string[] = inputs.filters?.find((f: { name: string }) => f.name === "instance-type")?.values ?? [];
                    const offers = wanted.flatMap((type) => {
                        const known = instanceTypeOf(type);
                        return known ? zonesOf(region, known.zoneSuffixes).map((zone) => ({ type, zone })) : [];
                    });
                    return {
                        id: region,
                        region,
                        instanceTypes: offers.map((offer) => offer.type),
                        locations: offers.map((offer) => offer.zone),
                        locationTypes: offers.map(() => "availability-zone"),
                    };
                }
                case "aws:ec2/getInstanceType:getInstanceType": {
                    const type = instanceTypeOf(inputs.instanceType);
                    if (!type) {
                        // internal/service/ec2/ec2_instance_type_data_source.go dataSourceInstanceTypeRead:
                        // tfresource.SingularDataSourceFindError("EC2 Instance Type", err) around DescribeInstanceTypes' error.
                        throw invokeError(
                            ec2ApiError("reading EC2 Instance Type", "DescribeInstanceTypes", "InvalidInstanceType", `The following supplied instance types do not exist: [${inputs.instanceType}]`).message,
                        );
                    }
                    return {
                        networkCards: [{ index: 0, maximumInterfaces: type.maximumNetworkInterfaces }],
                        defaultNetworkCardIndex: 0,
                        enaSupport: "supported",
                        bootModes: ["legacy-bios", "uefi"],
                        supportedUsagesClasses: ["on-demand", "spot"],
                        ...type,
                        id: inputs.instanceType,
                        instanceType: inputs.instanceType,
                        region,
                    };
                }
                case "aws:ssm/getParameter:getParameter": {
                    const architecture = (["x86_64", "arm64"] as const).find((arch) => amazonLinux2023Parameter(arch) === inputs.name);
                    const value = architecture ? mockAmiId(architecture) : options.ssmParameters?.[inputs.name];
                    if (value === undefined) {
                        // internal/service/ssm/parameter_data_source.go dataParameterRead: "reading SSM Parameter (%s): %s"
                        // around findParameterByName's retry.NotFoundError, whose text is "couldn't find resource".
                        throw invokeError(`reading SSM Parameter (${inputs.name}): couldn't find resource`);
                    }
                    return { id: inputs.name, name: inputs.name, type: "String", value, insecureValue: value, version: 1, region };
                }
                case "aws:ec2/getAmi:getAmi": {
                    const [imageId] = inputs.filters?.find((f: { name: string }) => f.name === "image-id")?.values ?? [];
                    const image = amis[imageId];
                    if (!image) {
                        // internal/service/ec2/ec2_ami_data_source.go dataSourceAMIRead, when no image matches.
                        throw invokeError("Your query returned no results. Please change your search criteria and try again.");
                    }
                    const rootDeviceName = "/dev/xvda";
                    return {
                        id: imageId,
                        imageId,
                        architecture: image.architecture,
                        state: image.state ?? "available",
                        rootDeviceType: image.rootDeviceType ?? "ebs",
                        enaSupport: image.enaSupport ?? true,
                        bootMode: image.bootMode ?? "uefi-preferred",
                        rootDeviceName,
                        blockDeviceMappings: [{ deviceName: rootDeviceName, ebs: { volume_size: String(image.rootSnapshotSizeGiB ?? 8), volume_type: "gp3" } }],
                        region,
                    };
                }
                case "aws:ec2/getKeyPair:getKeyPair": {
                    if (!options.keyPairs?.includes(inputs.keyName)) {
                        // internal/service/ec2/ec2_key_pair_data_source.go dataSourceKeyPairRead: SingularDataSourceFindError("EC2 Key Pair", err).
                        throw invokeError("no matching EC2 Key Pair found");
                    }
                    return { id: `key-${hex(inputs.keyName, 17)}`, keyName: inputs.keyName, keyPairId: `key-${hex(inputs.keyName, 17)}`, region };
                }
                case "aws:iam/getInstanceProfile:getInstanceProfile": {
                    if (!options.instanceProfiles?.includes(inputs.name)) {
                        // internal/service/iam/instance_profile_data_source.go dataSourceInstanceProfileRead: "reading IAM Instance
                        // Profile (%s): %s" around findInstanceProfileByName's retry.NotFoundError ("couldn't find resource").
                        throw invokeError(`reading IAM Instance Profile (${inputs.name}): couldn't find resource`);
                    }
                    return { id: inputs.name, name: inputs.name, arn: `arn:aws:iam::123456789012:instance-profile/${inputs.name}` };
                }
                case "aws:ec2/getRouteTable:getRouteTable": {
                    // internal/service/ec2/vpc_route_table_data_source.go dataSourceRouteTableRead, when no table matches.
                    const noTable = () => invokeError("query returned no results. Please change your search criteria and try again");
                    const table = (key: string, vpcId: string, internetGatewayId: string | undefined, subnetId?: string) => ({
                        id: `rtb-${hex(key, 17)}`,
                        routeTableId: `rtb-${hex(key, 17)}`,
                        vpcId,
                        ...(subnetId ? { subnetId } : {}),
                        // The data source leaves out the local route.
                        routes: internetGatewayId ? [{ cidrBlock: "0.0.0.0/0", gatewayId: internetGatewayId }] : [],
                        region,
                    });
                    if (inputs.subnetId !== undefined) {
                        // Only a subnet with a table of its own (an explicit association) matches association.subnet-id.
                        const subnet = subnets.get(inputs.subnetId);
                        if (!subnet?.internetGatewayId) {
                            throw noTable();
                        }
                        return table(subnet.id, subnet.vpcId, subnet.internetGatewayId, subnet.id);
                    }
                    const main = inputs.filters?.some((f: { name: string; values: string[] }) => f.name === "association.main" && f.values.includes("true"));
                    const known = [...subnets.values()].some((subnet) => subnet.vpcId === inputs.vpcId);
                    if (!main || (!known && !options.mainRouteTableInternetGateways?.[inputs.vpcId])) {
                        throw noTable();
                    }
                    return table(inputs.vpcId, inputs.vpcId, options.mainRouteTableInternetGateways?.[inputs.vpcId]);
                }
                case "aws:ec2/getVpcEndpointService:getVpcEndpointService": {
                    // internal/service/ec2/vpc_endpoint_service_data_source.go dataSourceVPCEndpointServiceRead names a
                    // `service` as "com.amazonaws.<region>.<service>".
                    const serviceName = inputs.serviceName ?? `com.amazonaws.${region}.${inputs.service}`;
                    const availabilityZones = zonesOf(region, options.endpointServiceZoneSuffixes?.[inputs.service]);
                    return { id: serviceName, serviceName, serviceType: inputs.serviceType ?? "Interface", availabilityZones, serviceId: `vpce-svc-${hex(serviceName, 17)}`, region };
                }
                case "aws:index/getPartition:getPartition": {
                    const { partition, dnsSuffix, reverseDnsPrefix } = partitionOf(region);
                    return { id: partition, partition, dnsSuffix, reverseDnsPrefix };
                }
                case "aws:servicequotas/getServiceQuota:getServiceQuota": {
                    const quota = options.rulesPerSecurityGroupQuota ?? 60;
                    const named = `${inputs.serviceCode}/${inputs.quotaCode}`;
                    if (named !== "vpc/L-0EA8095F") {
                        throw invokeError(`createMocks: no mock for Service Quotas quota ${named}`);
                    }
                    if (quota === "denied") {
                        // internal/service/servicequotas/service_quota_data_source.go dataSourceServiceQuotaRead, around
                        // GetAWSDefaultServiceQuota's AccessDeniedException.
                        throw invokeError(
                            `getting Default Service Quota for (${named}): operation error Service Quotas: GetAWSDefaultServiceQuota, https response error StatusCode: 400, RequestID: 00000000-0000-0000-0000-000000000000, api error AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/deploy/session is not authorized to perform: servicequotas:GetAWSDefaultServiceQuota because no identity-based policy allows the servicequotas:GetAWSDefaultServiceQuota action`,
                        );
                    }
                    const arn = `arn:aws:servicequotas:${region}:123456789012:vpc/L-0EA8095F`;
                    return {
                        id: arn,
                        arn,
                        adjustable: true,
                        defaultValue: 60,
                        globalQuota: false,
                        quotaCode: inputs.quotaCode,
                        quotaName: "Inbound or outbound rules per security group",
                        serviceCode: inputs.serviceCode,
                        serviceName: "Amazon Virtual Private Cloud (Amazon VPC)",
                        usageMetrics: [],
                        value: quota,
                        region,
                    };
                }
                case "aws:ec2/getSubnet:getSubnet": {
                    const found = subnets.get(inputs.id);
                    if (!found) {
                        // internal/service/ec2/vpc_subnet_data_source.go dataSourceSubnetRead: SingularDataSourceFindError("EC2 Subnet", err).
                        throw invokeError("no matching EC2 Subnet found");
                    }
                    const { addresses, ...subnet } = found;
                    return { ...subnet, region, availabilityZoneId: `${region.replace(/-/g, "")}-az1` };
                }
                default:
                    throw invokeError(`createMocks: no mock for invoke ${args.token}; it answers only the data sources DualSubnetEniInstance calls`);
            }
        },
    });
}

/**
 * Mocks that read secret inputs as the values they hold. A secret reaches the mocks wrapped
 * (`{ [pulumi.runtime.specialSigKey]: specialSecretSig, value }`); a provider gets it decrypted. An output
 * whose input of the same name was secret stays secret, as the engine keeps it.
 */
function withSecretInputs(mocks: { newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> }; call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> }): pulumi.runtime.Mocks {
    return {
        newResource(args) {
            const result = mocks.newResource({ ...args, inputs: revealed(args.inputs) });
            const secret = Object.keys(args.inputs).filter((key) => pulumi.runtime.isRpcSecret(args.inputs[key]) && key in result.state);
            return { ...result, state: { ...result.state, ...Object.fromEntries(secret.map((key) => [key, asRpcSecret(revealed(result.state[key]))])) } };
        },
        call: (args) => mocks.call({ ...args, inputs: revealed(args.inputs) }),
    };
}

/** A value with every secret wrapper, at any depth, replaced by the value it holds. */
function revealed(value: any): any {
    const plain = pulumi.runtime.unwrapRpcSecret(value);
    if (Array.isArray(plain)) {
        return plain.map(revealed);
    }
    const isPlainObject = plain !== null && typeof plain === "object" && Object.getPrototypeOf(plain) === Object.prototype;
    return isPlainObject ? Object.fromEntries(Object.entries(plain).map(([key, item]) => [key, revealed(item)])) : plain;
}

function asRpcSecret(value: unknown): Record<string, unknown> {
    return { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value };
}

/** One resource registration as the engine would receive it, options included. */
export interface RecordedRegistration {
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    /** URN of the parent, or "" for the stack itself. */
    readonly parent: string;
    /** URNs of the resources this one depends on (inputs and `dependsOn`). */
    readonly dependencies: readonly string[];
    /** For each input, the URNs of the resources its value came from: the data dependencies. */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    readonly deleteBeforeReplace: boolean;
    readonly ignoreChanges: readonly string[];
    /** Logical names the resource had before (its `aliases`), so the engine takes it for the resource of that name. */
    readonly aliases: readonly string[];
    /** Input paths whose change replaces the resource whatever the provider says (`replaceOnChanges`). */
    readonly replaceOnChanges: readonly string[];
    readonly inputs: Record<string, unknown>;
    /** The id the mocks gave it, once registered. */
    id?: string;
}

/** Registrations in the order the engine received them, and a way to wait for the program to go quiet. */
export type Registrations = RecordedRegistration[] & {
    /** Resolves once no registration or data-source call is in flight and none has started for a turn of the event loop. */
    settled(): Promise<void>;
    /** Puts back the mock monitor's methods as they were before `recordRegistrations`; recording stops. */
    restore(): void;
};

/**
 * Records every resource registration from now on (call after `setMocks`, or pass a monitor of your own). Resource options such as
 * `deleteBeforeReplace` and `parent` never reach `Mocks.newResource`; the monitor's request carries them.
 * Process-wide state: it replaces three methods (`registerResource`, `registerResourceOutputs`, `invoke`) of
 * the mock monitor `setMocks` installed, until the next `setMocks` brings a new monitor or `restore()` is called.
 */
export function recordRegistrations(monitorToRecord: object | undefined = pulumi.runtime.getMonitor()): Registrations {
    const monitor = monitorToRecord as MonitorCalls | undefined;
    let inFlight = 0;
    let activity = 0;
    const settled = async () => {
        for (let seen = -1; inFlight > 0 || seen !== activity; ) {
            seen = activity;
            await new Promise((resolve) => setTimeout(resolve, 1));
        }
    };
    if (!monitor) {
        throw new Error("recordRegistrations: call pulumi.runtime.setMocks first");
    }
    const { registerResource, registerResourceOutputs, invoke } = monitor;
    const restore = () => Object.assign(monitor, { registerResource, registerResourceOutputs, invoke });
    const recorded = Object.defineProperties([] as RecordedRegistration[], {
        settled: { value: settled, enumerable: false },
        restore: { value: restore, enumerable: false },
    }) as Registrations;
    const track = <R>(call: (request: R, callback: Callback) => unknown, onResponse?: (response: unknown) => void) =>
        (request: R, callback: Callback) => {
            inFlight++;
            activity++;
            return call(request, (error, response) => {
                inFlight--;
                activity++;
                onResponse?.(response);
                callback(error, response);
            });
        };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
        const registration: RecordedRegistration = {
            type: request.getType(),
            name: request.getName(),
            custom: request.getCustom(),
            parent: request.getParent(),
            dependencies: request.getDependenciesList(),
            propertyDependencies: propertyDependenciesOf(request),
            deleteBeforeReplace: request.getDeletebeforereplace(),
            ignoreChanges: request.getIgnorechangesList(),
            replaceOnChanges: request.getReplaceonchangesList(),
            aliases: [...request.getAliasesList().map((alias) => alias.getSpec()?.getName() ?? nameOfAliasUrn(alias.getUrn())), ...request.getAliasurnsList().map(nameOfAliasUrn)].filter(Boolean),
            // Unknowns kept (as `pulumi.unknown`) outside previews too, where only a program's own unknowns occur.
            inputs: pulumi.runtime.deserializeProperties(request.getObject() as Parameters<typeof pulumi.runtime.deserializeProperties>[0], true),
        };
        recorded.push(registration);
        const withId = (response: unknown) => (registration.id = (response as { getId?(): string } | undefined)?.getId?.());
        return track(register, withId)(request, callback);
    };
    monitor.registerResourceOutputs = track(monitor.registerResourceOutputs.bind(monitor));
    monitor.invoke = track(monitor.invoke.bind(monitor));
    return recorded;
}

type Callback = (error: unknown, response: unknown) => void;

const nameOfAliasUrn = (urn: string) => urn.split("::").pop() ?? "";

function propertyDependenciesOf(request: RegisterResourceRequest): Record<string, string[]> {
    const dependencies: Record<string, string[]> = {};
    request.getPropertydependenciesMap().forEach((urns, key) => (dependencies[key] = urns.getUrnsList()));
    return dependencies;
}

interface MonitorCalls {
    registerResource(request: RegisterResourceRequest, callback: Callback): unknown;
    registerResourceOutputs(request: unknown, callback: Callback): unknown;
    invoke(request: unknown, callback: Callback): unknown;
}

/** The fields of the engine's RegisterResourceRequest that `recordRegistrations` reads. */
interface RegisterResourceRequest {
    getType(): string;
    getName(): string;
    getCustom(): boolean;
    getParent(): string;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(callback: (urns: { getUrnsList(): string[] }, key: string) => void): void };
    getDeletebeforereplace(): boolean;
    getIgnorechangesList(): string[];
    getAliasesList(): { getUrn(): string; getSpec(): { getName(): string } | undefined }[];
    getAliasurnsList(): string[];
    getReplaceonchangesList(): string[];
    getObject(): unknown;
}

/**
 * Makes unit tests under Pulumi's mocks several times faster. The Pulumi SDK formats a stack trace for
 * every promise and resource it creates (`new Error().stack`, kept for leak and source-position reports
 * that mocks never use); through source-map support that formatting dominates a test's time. After this
 * call those message-less `Error`s format to "" while every other error keeps its full, source-mapped
 * trace. Call it once, after any source-map support (ts-node) is installed, e.g. from a mocha `--require`.
 * Process-wide state: it replaces `Error.prepareStackTrace`, which formats every error's stack in the process.
 * Collecting the frames of those traces costs as much again (mocha raises `Error.stackTraceLimit` to
 * Infinity), so the SDK's promise wrapper (`debuggablePromise`) also captures none while it runs, unless
 * PULUMI_DEBUG_PROMISE_LEAKS asks for its traces.
 * Returns a function that puts the previous formatter and wrapper back (a no-op when the skip was already installed).
 */
export function skipPulumiStackCaptures(): () => void {
    const format = Error.prepareStackTrace;
    if ((format as { skipsPulumiCaptures?: boolean } | undefined)?.skipsPulumiCaptures) {
        return () => undefined;
    }
    const prepare = (error: Error, frames: NodeJS.CallSite[]): unknown => {
        if (error instanceof Error && error.constructor === Error && error.message === "") {
            return "";
        }
        return format ? format(error, frames) : `${error}\n${frames.map((frame) => `    at ${frame}`).join("\n")}`;
    };
    const installed = Object.assign(prepare, { skipsPulumiCaptures: true });
    Error.prepareStackTrace = installed;
    const restoreWrapper = skipPromiseStackCaptures();
    return () => {
        if (Error.prepareStackTrace === installed) {
            Error.prepareStackTrace = format;
        }
        restoreWrapper();
    };
}

/** The SDK module whose `debuggablePromise` wraps each promise it creates (`new Error().stack` on each). */
interface DebuggableModule {
    debugPromiseLeaks: boolean;
    debuggablePromise: <T>(promise: Promise<T>, context: unknown) => Promise<T>;
}

/**
 * Makes the SDK's `debuggablePromise` capture no stack frames (its trace is only printed with
 * PULUMI_DEBUG_PROMISE_LEAKS, then left alone); returns what puts it back.
 */
function skipPromiseStackCaptures(): () => void {
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as DebuggableModule;
    if (debuggable.debugPromiseLeaks) {
        return () => undefined;
    }
    const wrap = debuggable.debuggablePromise;
    const withoutFrames: DebuggableModule["debuggablePromise"] = (promise, context) => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return wrap(promise, context);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
    debuggable.debuggablePromise = withoutFrames;
    return () => {
        if (debuggable.debuggablePromise === withoutFrames) {
            debuggable.debuggablePromise = wrap;
        }
    };
}
