/** What the mocks of `dual-subnet-eni/testing` can be told about the AWS account they stand for. */
import type { InstanceTypeFacts } from "../awsLookups";

/** What `aws.ec2.getInstanceType` answers for a mocked instance type, and where it is offered. */
export interface MockInstanceType extends InstanceTypeFacts {
    /** Zone-name suffixes (`["a", "b"]`) where the type is offered. Default: every zone of the region. */
    readonly zoneSuffixes?: readonly string[];
}

/** A subnet that exists before the program runs, for `aws.ec2.getSubnet` and `aws.ec2.getRouteTable`. */
export interface MockSubnet {
    readonly id: string;
    readonly vpcId: string;
    /** The IPv4 block; "" for an IPv6-only subnet. */
    readonly cidrBlock: string;
    readonly availabilityZone: string;
    /** True for an IPv6-only subnet (then `cidrBlock` is ""). Default false. */
    readonly ipv6Native?: boolean;
    /** An internet gateway the subnet's route table sends `0.0.0.0/0` to. Default: none (a private subnet). */
    readonly internetGatewayId?: string;
    /** The subnet's IPv6 /64. Default: none. */
    readonly ipv6CidrBlock?: string;
    /** Whether an interface created in the subnet gets an IPv6 address without asking. Default false. */
    readonly assignIpv6AddressOnCreation?: boolean;
    /** A Network Firewall or Gateway Load Balancer endpoint (`vpce-…`) the subnet's route table sends `0.0.0.0/0` to. */
    readonly vpcEndpointId?: string;
    /** A carrier gateway (`cagw-…`, Wavelength Zones) the subnet's route table sends `0.0.0.0/0` to. */
    readonly carrierGatewayId?: string;
}

/** A network interface that exists before the program runs: its addresses are taken in its subnet. */
export interface MockNetworkInterface {
    readonly id: string;
    readonly subnetId: string;
    /** Its private IPv4 addresses, the primary first. */
    readonly privateIps: readonly string[];
    /** Its delegated /28 prefixes: their addresses are taken in its subnet too, but `getNetworkInterface` lists none (as the provider's). Default: none. */
    readonly ipv4Prefixes?: readonly string[];
    readonly tags?: Readonly<Record<string, string>>;
    /** The instance it is attached to. */
    readonly instanceId?: string;
}

/** An instance that exists before the program runs, for `aws.ec2.getInstances`. */
export interface MockInstance {
    readonly id: string;
    readonly tags?: Readonly<Record<string, string>>;
    /** Default `running`. */
    readonly state?: string;
}

/** A security group of the account, for `aws.ec2.getSecurityGroup`. */
export interface MockSecurityGroup {
    readonly vpcId: string;
}

/** A managed prefix list visible to the account, for `aws.ec2.getManagedPrefixList`. */
export interface MockPrefixList {
    readonly maxEntries: number;
    /** Default `IPv4`. */
    readonly addressFamily?: string;
}

/** A VPC peering connection, for `aws.ec2.getVpcPeeringConnections`. */
export interface MockVpcPeeringConnection {
    readonly id: string;
    readonly requesterVpcId: string;
    readonly accepterVpcId: string;
    /** Default: the mocked account, 123456789012. */
    readonly requesterOwnerId?: string;
    readonly accepterOwnerId?: string;
    /** Default `active`. */
    readonly status?: string;
}

/** A transit gateway VPC attachment, for `aws.ec2transitgateway.getVpcAttachments` and `getVpcAttachment`. */
export interface MockTransitGatewayAttachment {
    readonly id: string;
    readonly transitGatewayId: string;
    readonly vpcId: string;
    /** Default `enable`, AWS's default for a new attachment. */
    readonly securityGroupReferencingSupport?: string;
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
    /** `windows` for a Windows image. Default "" (Linux/UNIX). */
    readonly platform?: string;
}

export interface MockOptions {
    /** Region of the mocked AWS provider. Default: the `aws:region` config, else `ap-south-1`. */
    readonly region?: string;
    /** Zone-name suffixes of the region's available zones. Default `["a", "b", "c"]`. */
    readonly zoneSuffixes?: readonly string[];
    /**
     * Instance types added to, or replacing, AWS's own: by default the mocks answer every type AWS lists
     * (1,391, see `awsInstanceNetworkLimits.json`) with its real limits, offered in every zone, and its hypervisor
     * and IPv6 limit (`awsInstanceIpv6.json`; docs/ipv6.md says what is assumed where that table has none). A type
     * given here without those answers Nitro, not bare metal, and IPv6 at its IPv4 limit.
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
    /**
     * Per interface endpoint service (`ssm`, ...), the zone-name suffixes where AWS offers it. Default: every zone that
     * is an Availability Zone (AWS creates no endpoint in a Local or Wavelength Zone).
     */
    readonly endpointServiceZoneSuffixes?: Readonly<Record<string, readonly string[]>>;
    /** Network interfaces that exist already (their addresses are taken). */
    readonly networkInterfaces?: readonly MockNetworkInterface[];
    /** Instances that exist already. */
    readonly instances?: readonly MockInstance[];
    /** Security groups of the account, by id. */
    readonly securityGroups?: Readonly<Record<string, MockSecurityGroup>>;
    /** Managed prefix lists visible to the account, by id. */
    readonly prefixLists?: Readonly<Record<string, MockPrefixList>>;
    readonly vpcPeeringConnections?: readonly MockVpcPeeringConnection[];
    readonly transitGatewayAttachments?: readonly MockTransitGatewayAttachment[];
    /** Transit gateways by id: whether security group referencing is on (`enable`). Default `disable`, AWS's default. */
    readonly transitGateways?: Readonly<Record<string, { readonly securityGroupReferencingSupport: string }>>;
    /**
     * Per VPC id, an internet gateway attached to it (for `aws.ec2.getInternetGateway`), besides those its subnets'
     * and main route tables route to.
     */
    readonly internetGateways?: Readonly<Record<string, string>>;
}
