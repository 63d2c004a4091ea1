/**
 * The data sources the component calls, answered from the fake account as the AWS provider answers them, and
 * failing with the provider's own text where AWS has no such thing. A token not listed here throws.
 */
import { amazonLinux2023Parameter } from "../awsLookups";
import { ec2ApiError, invokeError, partitionOf } from "./awsErrors";
import { type Answer, type CallInputs, filterValues, type Handler } from "./callInputs";
import { FakeAws, fakeZone, hex, mockAmiId } from "./fakeAws";
import { NETWORK_HANDLERS } from "./networkDataSources";
import { SOURCE_HANDLERS } from "./sourceDataSources";

const HANDLERS: Readonly<Record<string, Handler>> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (aws, _inputs, region) => {
        const names = aws.zonesOf(region);
        return { id: region, region, names, zoneIds: names.map((_, i) => `${region.replace(/-/g, "")}-az${i + 1}`), groupNames: [region] };
    },
    "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": (aws, inputs, region) => {
        const offers = filterValues(inputs, "instance-type").flatMap((type) => {
            const known = aws.instanceType(type);
            return known ? aws.zonesOf(region, known.zoneSuffixes).map((zone) => ({ type, zone })) : [];
        });
        return {
            id: region,
            region,
            instanceTypes: offers.map((offer) => offer.type),
            locations: offers.map((offer) => offer.zone),
            locationTypes: offers.map(() => "availability-zone"),
        };
    },
    "aws:ec2/getInstanceType:getInstanceType": (aws, inputs, region) => {
        const name = inputs.instanceType ?? "";
        const type = aws.instanceType(name);
        if (!type) {
            // internal/service/ec2/ec2_instance_type_data_source.go dataSourceInstanceTypeRead:
            // tfresource.SingularDataSourceFindError("EC2 Instance Type", err) around DescribeInstanceTypes' error.
            throw invokeError(ec2ApiError("reading EC2 Instance Type", "DescribeInstanceTypes", "InvalidInstanceType", `The following supplied instance types do not exist: [${name}]`).message);
        }
        return {
            networkCards: [{ index: 0, maximumInterfaces: type.maximumNetworkInterfaces }],
            defaultNetworkCardIndex: 0,
            enaSupport: "supported",
            bootModes: ["legacy-bios", "uefi"],
            supportedUsagesClasses: ["on-demand", "spot"],
            hypervisor: "nitro",
            bareMetal: false,
            ipv6Supported: true,
            maximumIpv6AddressesPerInterface: type.maximumIpv4AddressesPerInterface,
            ...type,
            id: name,
            instanceType: name,
            region,
        };
    },
    "aws:ssm/getParameter:getParameter": (aws, inputs, region) => {
        const name = inputs.name ?? "";
        const architecture = (["x86_64", "arm64"] as const).find((arch) => amazonLinux2023Parameter(arch) === name);
        const value = architecture ? mockAmiId(architecture) : aws.options.ssmParameters?.[name];
        if (value === undefined) {
            // internal/service/ssm/parameter_data_source.go dataParameterRead: "reading SSM Parameter (%s): %s"
            // around findParameterByName's retry.NotFoundError, whose text is "couldn't find resource".
            throw invokeError(`reading SSM Parameter (${name}): couldn't find resource`);
        }
        return { id: name, name, type: "String", value, insecureValue: value, version: 1, region };
    },
    "aws:ec2/getAmi:getAmi": (aws, inputs, region) => {
        const [imageId] = filterValues(inputs, "image-id");
        const image = imageId === undefined ? undefined : aws.amis[imageId];
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
            platform: image.platform ?? "",
            platformDetails: image.platform === "windows" ? "Windows" : "Linux/UNIX",
            rootDeviceName,
            blockDeviceMappings: [{ deviceName: rootDeviceName, ebs: { volume_size: String(image.rootSnapshotSizeGiB ?? 8), volume_type: "gp3" } }],
            region,
        };
    },
    "aws:ec2/getKeyPair:getKeyPair": (aws, inputs, region) => {
        const keyName = inputs.keyName ?? "";
        if (!aws.options.keyPairs?.includes(keyName)) {
            // internal/service/ec2/ec2_key_pair_data_source.go dataSourceKeyPairRead: SingularDataSourceFindError("EC2 Key Pair", err).
            throw invokeError("no matching EC2 Key Pair found");
        }
        return { id: `key-${hex(keyName, 17)}`, keyName, keyPairId: `key-${hex(keyName, 17)}`, region };
    },
    "aws:iam/getInstanceProfile:getInstanceProfile": (aws, inputs) => {
        const name = inputs.name ?? "";
        if (!aws.options.instanceProfiles?.includes(name)) {
            // internal/service/iam/instance_profile_data_source.go dataSourceInstanceProfileRead: "reading IAM Instance
            // Profile (%s): %s" around findInstanceProfileByName's retry.NotFoundError ("couldn't find resource").
            throw invokeError(`reading IAM Instance Profile (${name}): couldn't find resource`);
        }
        return { id: name, name, arn: `arn:aws:iam::123456789012:instance-profile/${name}` };
    },
    "aws:ec2/getRouteTable:getRouteTable": (aws, inputs, region) => {
        // internal/service/ec2/vpc_route_table_data_source.go dataSourceRouteTableRead, when no table matches:
        // tfresource.SingularDataSourceFindError("Route Table", err).
        const noTable = () => invokeError("no matching Route Table found");
        // The data source leaves out the local route, and gives a vpce- target as vpcEndpointId (flattenRoute).
        const table = (key: string, vpcId: string, defaultRoute: Record<string, string> | undefined, subnetId?: string) => ({
            id: `rtb-${hex(key, 17)}`,
            routeTableId: `rtb-${hex(key, 17)}`,
            vpcId,
            ...(subnetId ? { subnetId } : {}),
            routes: defaultRoute ? [{ cidrBlock: "0.0.0.0/0", ...defaultRoute }] : [],
            region,
        });
        if (inputs.subnetId !== undefined) {
            // Only a subnet with a table of its own (an explicit association) matches association.subnet-id.
            const subnet = aws.subnets.get(inputs.subnetId);
            const [key, value] = Object.entries({ gatewayId: subnet?.internetGatewayId, vpcEndpointId: subnet?.vpcEndpointId, carrierGatewayId: subnet?.carrierGatewayId }).find(([, id]) => id) ?? [];
            const target = key === undefined ? undefined : { [key]: value! };
            if (!subnet || !target) {
                throw noTable();
            }
            return table(subnet.id, subnet.vpcId, target, subnet.id);
        }
        const vpcId = inputs.vpcId ?? "";
        const main = filterValues(inputs, "association.main").includes("true");
        const known = [...aws.subnets.values()].some((subnet) => subnet.vpcId === vpcId);
        const gateway = aws.options.mainRouteTableInternetGateways?.[vpcId];
        if (!main || (!known && !gateway)) {
            throw noTable();
        }
        return table(vpcId, vpcId, gateway ? { gatewayId: gateway } : undefined);
    },
    "aws:ec2/getVpcEndpointService:getVpcEndpointService": (aws, inputs, region) => {
        // internal/service/ec2/vpc_endpoint_service_data_source.go dataSourceVPCEndpointServiceRead names a
        // `service` as "com.amazonaws.<region>.<service>".
        const service = inputs.service ?? "";
        const serviceName = inputs.serviceName ?? `com.amazonaws.${region}.${service}`;
        const suffixes = aws.options.endpointServiceZoneSuffixes?.[service];
        const availabilityZones = suffixes ? aws.zonesOf(region, suffixes) : aws.zonesOf(region).filter((zone) => fakeZone(region, zone).zoneType === "availability-zone");
        return { id: serviceName, serviceName, serviceType: inputs.serviceType ?? "Interface", availabilityZones, serviceId: `vpce-svc-${hex(serviceName, 17)}`, region };
    },
    "aws:index/getPartition:getPartition": (_aws, _inputs, region) => {
        const { partition, dnsSuffix, reverseDnsPrefix } = partitionOf(region);
        return { id: partition, partition, dnsSuffix, reverseDnsPrefix };
    },
    "aws:servicequotas/getServiceQuota:getServiceQuota": (aws, inputs, region) => {
        const quota = aws.options.rulesPerSecurityGroupQuota ?? 60;
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
    },
    "aws:ec2/getSubnet:getSubnet": (aws, inputs, region) => {
        const found = aws.subnets.get(inputs.id ?? "");
        if (!found) {
            // internal/service/ec2/vpc_subnet_data_source.go dataSourceSubnetRead: SingularDataSourceFindError("EC2 Subnet", err).
            throw invokeError("no matching EC2 Subnet found");
        }
        const { addresses, internetGatewayId: _igw, vpcEndpointId: _vpce, carrierGatewayId: _cagw, ...subnet } = found;
        // The provider reads "" and false for a subnet without IPv6.
        return {
            ipv6CidrBlock: "",
            assignIpv6AddressOnCreation: false,
            ...subnet,
            ipv6Native: found.ipv6Native ?? false,
            availableIpAddressCount: addresses.available(),
            region,
            availabilityZoneId: `${region.replace(/-/g, "")}-az1`,
        };
    },
    ...NETWORK_HANDLERS,
    ...SOURCE_HANDLERS,
};

/** The invoke tokens the mocks answer: every data source the component calls (docs/library.md, "Data sources it calls"). */
export const MOCKED_DATA_SOURCES: readonly string[] = Object.keys(HANDLERS);

/** Answers a data-source call from `aws`, or throws naming a token the component never calls. */
export function callDataSource(aws: FakeAws, token: string, given: Readonly<Record<string, unknown>>, provider: string | undefined): Answer {
    const handler = HANDLERS[token];
    const inputs = given as CallInputs;
    if (!handler) {
        throw invokeError(`createMocks: no mock for invoke ${token}; it answers only the data sources DualSubnetEniInstance calls`);
    }
    return handler(aws, inputs, aws.regionOf(inputs, provider));
}
