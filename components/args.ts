/**
 * The component's args: the one declaration every other place follows. The schema analyzer reads
 * `DualSubnetEniInstanceArgs` with its TSDoc (provider/schema.json); validation's fields, Pulumi.yaml's
 * config declarations, the stack program's mapping and the README's config table are derived from it or
 * held to it by tests (tests/declarations.spec.ts). A floor module: it imports no other module of the
 * component but the ingress protocol's type.
 */
import * as pulumi from "@pulumi/pulumi";

/** Which interface gets a public IPv4 address (an Elastic IP) and a route to an internet gateway. */
export const PublicInterface = { None: "none", Instance: "instance", NetworkInterface: "networkInterface" } as const;
export type PublicInterface = (typeof PublicInterface)[keyof typeof PublicInterface];
/** The instance the ENI is attached to. */
export const ActiveInstance = { Primary: "primary", Standby: "standby" } as const;
export type ActiveInstance = (typeof ActiveInstance)[keyof typeof ActiveInstance];

/**
 * An inbound rule on one interface's security group (an `aws.vpc.SecurityGroupIngressRule`). Exactly one
 * source: `cidrIpv4`, `cidrIpv6`, `sourceSecurityGroupId` or `prefixListId`.
 */
export interface IngressRuleArgs {
    /**
     * `tcp`, `udp`, `icmp` (IPv4 sources only), `icmpv6` (IPv6 sources only), `all` or `-1` (every protocol and
     * port), or an IP protocol number from `0` to `255` as a decimal string (`50` ESP, `47` GRE), for which AWS
     * allows every port.
     */
    protocol: pulumi.Input<string>;
    /** First port of the range, 0 to 65535 (tcp, udp), or the ICMP type, -1 (every type) to 255 (icmp, icmpv6). Required for those four, not allowed for others. */
    fromPort?: pulumi.Input<number> | undefined;
    /** Last port of the range, at least `fromPort` (tcp, udp), or the ICMP code, -1 (every code) to 255 (icmp, icmpv6). Required for those four, not allowed for others. */
    toPort?: pulumi.Input<number> | undefined;
    /** Source IPv4 range, canonical (host bits zero), e.g. `10.0.0.0/8`. */
    cidrIpv4?: pulumi.Input<string> | undefined;
    /** Source IPv6 range, canonical, e.g. `2001:db8::/32` (compared by value: `2001:DB8:0::/32` is the same source). */
    cidrIpv6?: pulumi.Input<string> | undefined;
    /**
     * Source security group (`sg-…`, or `<account id>/sg-…` for another account's) of an existing network's VPC, of a
     * VPC peered with it, or of one sharing a transit gateway with security group referencing (checked through
     * `aws.ec2.getSecurityGroup`, `getVpcPeeringConnections` and the transit gateway data sources). Not with a new
     * network: its VPC holds no other group and has no peering.
     */
    sourceSecurityGroupId?: pulumi.Input<string> | undefined;
    /** Source managed prefix list (`pl-…`): it must exist, and counts as its maximum entries against the rules quota (`aws.ec2.getManagedPrefixList`). */
    prefixListId?: pulumi.Input<string> | undefined;
    /** Rule description: at most 255 of ASCII letters, digits, spaces and `._-:/()#,@[]+=&;{}!$*`. */
    description?: pulumi.Input<string> | undefined;
    /**
     * Set to allow this rule to take part in opening SSH (TCP 22) or RDP (TCP or UDP 3389) to every public
     * address; without it the rules whose sources together cover every public IPv4 (or IPv6) address for one of
     * those ports (`0.0.0.0/0`, or `0.0.0.0/1` with `128.0.0.0/1`, ...) are refused. Default false.
     */
    allowFromAnywhere?: boolean | undefined;
}

/** A VPC and two of its subnets that exist already (for example from `awsx.ec2.Vpc`). */
export interface ExistingNetwork {
    /** `vpc-…` id of the VPC both subnets belong to. */
    vpcId: pulumi.Input<string>;
    /** `subnet-…` id of the instance's subnet. */
    primarySubnetId: pulumi.Input<string>;
    /** `subnet-…` id of the ENI's subnet: in the same VPC and the same availability zone as the primary subnet. */
    secondarySubnetId: pulumi.Input<string>;
}

/**
 * Inputs of {@link DualSubnetEniInstance}. Give either the four fields of a new network (`availabilityZone`,
 * `vpcCidrBlock`, `primarySubnetCidrBlock`, `secondarySubnetCidrBlock`) or `existingNetwork`, never both.
 * Every value is checked before any AWS resource is created.
 */
export interface DualSubnetEniInstanceArgs {
    /**
     * New network: availability zone of both subnets, hence of the instance and the ENI (an ENI attaches only to
     * an instance in its own AZ). Must be an available zone of the AWS provider's region, e.g. `ap-south-1a`.
     * Required unless `existingNetwork` is given; not allowed with it.
     */
    availabilityZone?: pulumi.Input<string> | undefined;
    /**
     * New network: IPv4 CIDR of the new VPC, canonical (host bits zero), prefix /16 to /28, e.g. `10.0.0.0/20`.
     * Required unless `existingNetwork` is given; not allowed with it.
     */
    vpcCidrBlock?: pulumi.Input<string> | undefined;
    /**
     * New network: CIDR of the instance's subnet, inside `vpcCidrBlock`, prefix /16 to /28, not overlapping the
     * secondary subnet. Required unless `existingNetwork` is given; not allowed with it.
     */
    primarySubnetCidrBlock?: pulumi.Input<string> | undefined;
    /**
     * New network: CIDR of the ENI's subnet, inside `vpcCidrBlock`, prefix /16 to /28, not overlapping the
     * primary subnet. Required unless `existingNetwork` is given; not allowed with it.
     */
    secondarySubnetCidrBlock?: pulumi.Input<string> | undefined;
    /**
     * A network that exists: the component then creates only the security groups, instance, ENI and attachment.
     * Checked through `aws.ec2.getSubnet`: both subnets exist, belong to `vpcId`, share one zone, have IPv4 blocks
     * and free addresses for the component's interfaces; no other interface holds a fixed IP (`aws.ec2.getNetworkInterfaces`).
     * Not allowed together with the four new-network fields.
     */
    existingNetwork?: ExistingNetwork | undefined;
    /**
     * EC2 instance type. It must be offered in the availability zone and take at least 2 network
     * interfaces (AWS's per-type limit). Default `t3.micro`.
     */
    instanceType?: pulumi.Input<string> | undefined;
    /**
     * AMI id (`ami-…`, or `resolve:ssm:<parameter>`). Default: the newest Amazon Linux 2023 image for the
     * instance type's CPU architecture (x86_64, or arm64 for Graviton types such as `t4g`), read from AWS's
     * public SSM parameter at create time. With the default, later AMI releases do not replace the
     * instance; set `ami` explicitly to roll to a new image, and in the same change as an `instanceType` of
     * another architecture (the replacement would otherwise keep the old architecture's image).
     */
    ami?: pulumi.Input<string> | undefined;
    /**
     * Prefix of every `Name` tag: `<prefix>-vpc`, `<prefix>-subnet-1`, `<prefix>-subnet-2`, `<prefix>-instance`,
     * and `<prefix>-network-interface` (also the ENI's description). At most 200 characters.
     * Default: the component's name. Logical names (URNs) always derive from the component's name.
     */
    namePrefix?: string | undefined;
    /** Fixed primary private IPv4 of the instance, inside the primary subnet and none of AWS's 5 reserved addresses. Default: assigned by AWS. */
    instancePrivateIp?: pulumi.Input<string> | undefined;
    /** Fixed primary private IPv4 of the ENI, inside the secondary subnet and none of AWS's 5 reserved addresses. Default: assigned by AWS. */
    networkInterfacePrivateIp?: pulumi.Input<string> | undefined;
    /**
     * Extra private IPv4 addresses AWS assigns to the ENI, beyond its primary one. The total (count + 1)
     * may not exceed the instance type's IPv4 addresses per interface. Default 0.
     */
    networkInterfaceSecondaryPrivateIpCount?: pulumi.Input<number> | undefined;
    /**
     * Fixed secondary private IPv4 addresses of the instance's primary interface, in the primary subnet, none
     * reserved by AWS, each distinct from every other fixed IP. With the primary address, at most the instance
     * type's IPv4 addresses per interface. Default: none.
     */
    instanceSecondaryPrivateIps?: pulumi.Input<pulumi.Input<string>[]> | undefined;
    /**
     * Fixed secondary private IPv4 addresses of the ENI, in the secondary subnet, none reserved by AWS, each
     * distinct. Needs `networkInterfacePrivateIp` (AWS takes the first address of the ENI's ordered list as its
     * primary); not together with `networkInterfaceSecondaryPrivateIpCount`. With the primary address, at most
     * the instance type's IPv4 addresses per interface. Default: none.
     */
    networkInterfaceSecondaryPrivateIps?: pulumi.Input<pulumi.Input<string>[]> | undefined;
    /**
     * Dual stack. New network: the VPC asks for an Amazon-provided IPv6 /56, each subnet takes its own /64 of it
     * and assigns IPv6 addresses on creation, outbound IPv6 leaves through a new egress-only internet gateway
     * (`::/0`; free), or through the internet gateway on the `publicInterface` side, and `cidrIpv6` inbound
     * sources are taken. With `existingNetwork`, both subnets must have an IPv6 block already; the component
     * makes no route. Either way both interfaces get IPv6 addresses and both security groups let IPv6 out. The
     * instance type must support IPv6 (`aws.ec2.getInstanceType` `ipv6Supported`). Default false.
     */
    ipv6?: boolean | undefined;
    /**
     * IPv6 addresses AWS assigns to the instance's primary interface, 1 or more, at most the instance type's IPv6
     * addresses per interface (`maximumIpv6AddressesPerInterface`). Needs `ipv6`. Default: 1 with `ipv6`.
     */
    instanceIpv6AddressCount?: pulumi.Input<number> | undefined;
    /**
     * IPv6 addresses AWS assigns to the ENI, 1 or more, at most the instance type's IPv6 addresses per interface.
     * Needs `ipv6`; not together with `networkInterfaceIpv6PrefixCount` (CreateNetworkInterface takes a count of
     * IPv6 addresses or of IPv6 prefixes, not both). Default: 1 with `ipv6`, none with IPv6 prefixes.
     */
    networkInterfaceIpv6AddressCount?: pulumi.Input<number> | undefined;
    /**
     * IPv4 /28 prefixes (16 addresses each) AWS delegates to the ENI, e.g. for containers: each takes one of the
     * interface's IPv4 address slots, so 1 (primary) + prefixes ≤ the type's IPv4 addresses per interface. Nitro
     * types only (`hypervisor` nitro, or bare metal); the secondary subnet needs a free /28 per prefix. Not together
     * with `networkInterfacePrivateIp`, `networkInterfaceSecondaryPrivateIps` or
     * `networkInterfaceSecondaryPrivateIpCount` (CreateNetworkInterface refuses a prefix count beside specific or
     * counted private IPv4 addresses). Default 0.
     */
    networkInterfaceIpv4PrefixCount?: pulumi.Input<number> | undefined;
    /**
     * IPv6 /80 prefixes AWS delegates to the ENI, each taking one of the interface's IPv6 address slots. Needs
     * `ipv6`; Nitro types only; not together with `networkInterfaceIpv6AddressCount` (the ENI then has the
     * prefixes instead of single IPv6 addresses). Default 0.
     */
    networkInterfaceIpv6PrefixCount?: pulumi.Input<number> | undefined;
    /**
     * Inbound rules on the instance's primary-interface security group, one `aws.vpc.SecurityGroupIngressRule`
     * each, named by protocol, ports and source when given as plain values (removing one touches no other).
     * Default: none (no inbound traffic). A rule open to the internet on port 22 or 3389 needs
     * `allowFromAnywhere`; duplicates are refused, as AWS refuses them.
     */
    instanceIngress?: IngressRuleArgs[] | undefined;
    /** Inbound rules on the ENI's security group, like `instanceIngress`. Default: none. */
    networkInterfaceIngress?: IngressRuleArgs[] | undefined;
    /**
     * Source/destination checking on the instance's primary interface. Set false for an appliance (NAT,
     * firewall, router) that forwards traffic not addressed to it. Default true (AWS's default).
     */
    instanceSourceDestCheck?: pulumi.Input<boolean> | undefined;
    /** Source/destination checking on the ENI; false for an appliance. Default true (AWS's default). */
    networkInterfaceSourceDestCheck?: pulumi.Input<boolean> | undefined;
    /**
     * Which interface gets a public side: `none` (default), `instance` (its primary interface) or
     * `networkInterface` (the ENI). That interface gets an Elastic IP (public IPv4 is billed hourly), from the
     * zone's network border group in a Local or Wavelength Zone (`aws.getAvailabilityZone`). With a new network
     * (not in a Wavelength Zone), the component also creates an internet gateway and a route table sending
     * `0.0.0.0/0` to it, associated with that interface's subnet only; with `existingNetwork`, that subnet must
     * already route `0.0.0.0/0` to an internet gateway, directly or through a Network Firewall or Gateway Load
     * Balancer endpoint, or to a carrier gateway (checked through `aws.ec2.getRouteTable`).
     */
    publicInterface?: string | undefined;
    /** Name of an EC2 key pair of the region for SSH (checked through `aws.ec2.getKeyPair`). Default: none. */
    keyName?: pulumi.Input<string> | undefined;
    /**
     * User data (cloud-init), at most 16 KB before base64; text that is already base64 is passed to EC2 as it is (the
     * provider's rule) and counts decoded; with `guestNetwork`, the merged document counts. Default: none.
     */
    userData?: pulumi.Input<string> | undefined;
    /**
     * Configure the guest OS so that traffic to each address of each interface (primary and secondary IPs, IPv6
     * addresses, every address of a delegated prefix; both interfaces) is answered through the interface it came
     * in on, and the `publicInterface` interface holds the default routes: cloud-init user data (policy routing
     * from IMDSv2 at run time, applied again when an interface is attached, removed when it is detached), merged
     * with `userData` as a MIME multi-part document (the user's part first, then the guest's cloud-config, whose
     * `write_files` and `runcmd` cloud-init appends to the user's; it takes about 9.3 KB of AWS's 16 KB, leaving
     * about 6.8 KB of ASCII user data). Not for a Windows image (EC2Launch runs no cloud-init part; checked through
     * `aws.ec2.getAmi`). The same
     * on the standby, so it takes the ENI without a reboot. Turning it on or off for a running instance changes
     * its user data: AWS stops and starts it, but cloud-init runs user data only on an instance's first boot.
     * Needs cloud-init, systemd, curl and iproute2 (Amazon Linux 2023, Ubuntu 22.04/24.04, Debian 12, RHEL 9).
     * Default false.
     */
    guestNetwork?: boolean | undefined;
    /**
     * Name of an existing IAM instance profile for the instance (checked through `aws.iam.getInstanceProfile`).
     * Not together with `ssmAccess`. Default: none.
     */
    iamInstanceProfile?: pulumi.Input<string> | undefined;
    /**
     * Size of the encrypted gp3 root volume in GiB, 1 to 16,384 and at least the image's root snapshot
     * (checked through `aws.ec2.getAmi`). Default: the image's own size (8 GiB for Amazon Linux 2023).
     */
    rootVolumeSizeGiB?: pulumi.Input<number> | undefined;
    /**
     * Create an IAM role with `AmazonSSMManagedInstanceCore` and its instance profile, so Session Manager
     * reaches the instance without SSH. With a new network and no public side on the instance, also the
     * `ssm`, `ssmmessages` and `ec2messages` interface endpoints in the primary subnet (billed hourly), with
     * a security group allowing 443 from the VPC. Not together with `iamInstanceProfile`. Default false.
     */
    ssmAccess?: boolean | undefined;
    /**
     * Create a standby instance (`<name>-standby-instance`) in the primary subnet with the primary's AMI as
     * deployed, its type, security group and settings, but no fixed private IPs, ready to take the ENI.
     * Doubles the compute cost. Default false.
     */
    standbyInstance?: boolean | undefined;
    /**
     * The instance the ENI is attached to: `primary` (default) or `standby` (needs `standbyInstance`).
     * Changing it moves the ENI, with its IPs, MAC address and security group: the attachment is replaced,
     * detach first.
     */
    activeInstance?: pulumi.Input<ActiveInstance> | undefined;
    /**
     * Move the ENI to the other instance by itself, within seconds, when the instance holding it fails (it stops,
     * its kernel hangs, or nothing answers on `failoverHealthCheckPort`): a mover (an AWS Lambda function in the
     * VPC, run every minute by EventBridge Scheduler, probing every second) detaches it and attaches it to the
     * other instance, with its addresses, security group and any Elastic IP on it. An instance that comes back
     * does not take it back. The ENI then carries its attachment itself and `pulumi up` never moves it:
     * `activeInstance` only says where it is attached when the ENI is created. Needs `standbyInstance` and
     * `failoverHealthCheckPort`. Turning it on or off for a deployed stack is refused by the preview, with the
     * steps that keep the ENI attached (docs/failover.md). Default false.
     */
    automaticFailover?: boolean | undefined;
    /**
     * With `automaticFailover`: the TCP port on the ENI's primary private IPv4 that the mover connects to every
     * second; the instance holding the ENI is healthy while the connection opens. 1 to 65535; required with
     * `automaticFailover`, not allowed without it. The ENI's security group gets an inbound rule for it from the
     * mover's group.
     */
    failoverHealthCheckPort?: pulumi.Input<number> | undefined;
    /**
     * Tags merged into every taggable child; each child's own `Name` tag wins over a `Name` given here. AWS's
     * rules: no key starting with `aws:`, keys up to 128 and values up to 256 characters, at most 49 keys
     * besides `Name`; with `ssmAccess`, IAM's characters only (letters, digits, spaces and `_.:/=+-@`) and no
     * two keys that differ only in case (IAM ignores it).
     */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined;
}
