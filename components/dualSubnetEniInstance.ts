// Deep imports: `@pulumi/aws` as a whole makes tsc parse every AWS service (about 40% of a type-check).
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { childContext } from "./childContext";
import { FieldLabel } from "./errors";
import { createInstance } from "./instance";
import type { IngressProtocol } from "./ingressRules";
import { logicalNames, nameTags } from "./naming";
import { createNetwork, existingNetwork } from "./network";
import { attachNetworkInterface, createNetworkInterface } from "./networkInterface";
import { createPublicAccess, createSsmEndpoints } from "./publicAccess";
import { createInterfaceSecurityGroup, createSsmInstanceProfile } from "./security";
import { checkKnownArgs, flattenArgs, resolveSettings } from "./settings";
import type { ActiveInstance } from "./validation";

/** Pulumi type token of the component. */
export const DUAL_SUBNET_ENI_INSTANCE_TYPE = "dual-subnet-eni:index:DualSubnetEniInstance";
/** Instance type used when `instanceType` is not set: burstable, x86_64, takes 2 network interfaces. */
export const DEFAULT_INSTANCE_TYPE = "t3.micro";

/** Names of the component's outputs; the stack program exports the same names. */
export const OUTPUT_NAMES = [
    "vpcId",
    "primarySubnetId",
    "secondarySubnetId",
    "primarySecurityGroupId",
    "secondarySecurityGroupId",
    "instanceId",
    "instancePrivateIp",
    "instancePrivateIps",
    "networkInterfaceId",
    "networkInterfacePrivateIp",
    "networkInterfacePrivateIps",
    "attachmentId",
    "publicIp",
    "standbyInstanceId",
    "activeInstanceId",
] as const;

/** Outputs that list addresses; every other output is one id or address. */
type ListOutput = "instancePrivateIps" | "networkInterfacePrivateIps";

/** The component's outputs: AWS ids and IPv4 addresses. */
export type DualSubnetEniInstanceOutputs = {
    readonly [K in (typeof OUTPUT_NAMES)[number]]: pulumi.Output<K extends ListOutput ? string[] : string>;
};

/** Picks the outputs off a component, e.g. to export them from a stack. */
export function outputsOf(component: DualSubnetEniInstanceOutputs): DualSubnetEniInstanceOutputs {
    return Object.fromEntries(OUTPUT_NAMES.map((key) => [key, component[key]])) as unknown as DualSubnetEniInstanceOutputs;
}

/**
 * An inbound rule on one interface's security group (an `aws.vpc.SecurityGroupIngressRule`). Exactly one
 * source: `cidrIpv4`, `cidrIpv6`, `sourceSecurityGroupId` or `prefixListId`.
 */
export interface IngressRuleArgs {
    /**
     * `tcp`, `udp`, `icmp` (IPv4 sources only), `icmpv6` (IPv6 sources only), `all` (every protocol and port:
     * AWS's `-1`), or an IP protocol number from `0` to `255` as a decimal string (`50` ESP, `47` GRE), for
     * which AWS allows every port.
     */
    protocol: pulumi.Input<IngressProtocol | string>;
    /** First port of the range, 0 to 65535 (tcp, udp), or the ICMP type, -1 (every type) to 255 (icmp, icmpv6). Required for those four, not allowed for others. */
    fromPort?: pulumi.Input<number> | undefined;
    /** Last port of the range, at least `fromPort` (tcp, udp), or the ICMP code, -1 (every code) to 255 (icmp, icmpv6). Required for those four, not allowed for others. */
    toPort?: pulumi.Input<number> | undefined;
    /** Source IPv4 range, canonical (host bits zero), e.g. `10.0.0.0/8`. */
    cidrIpv4?: pulumi.Input<string> | undefined;
    /** Source IPv6 range, canonical, e.g. `2001:db8::/32`. */
    cidrIpv6?: pulumi.Input<string> | undefined;
    /** Source security group (`sg-…`) in the same VPC or a peered one. */
    sourceSecurityGroupId?: pulumi.Input<string> | undefined;
    /** Source managed prefix list (`pl-…`). */
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
     * Checked through `aws.ec2.getSubnet`: both subnets exist, belong to `vpcId` and share one zone. Not allowed
     * together with the four new-network fields.
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
     * `networkInterface` (the ENI). That interface gets an Elastic IP (public IPv4 is billed hourly). With a
     * new network, the component also creates an internet gateway and a route table sending `0.0.0.0/0` to
     * it, associated with that interface's subnet only; with `existingNetwork`, that subnet must already
     * route `0.0.0.0/0` to an internet gateway (checked through `aws.ec2.getRouteTable`).
     */
    publicInterface?: string | undefined;
    /** Name of an EC2 key pair of the region for SSH (checked through `aws.ec2.getKeyPair`). Default: none. */
    keyName?: pulumi.Input<string> | undefined;
    /** User data (cloud-init), at most 16 KB before base64. Default: none. */
    userData?: pulumi.Input<string> | undefined;
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
     * Tags merged into every taggable child; each child's own `Name` tag wins over a `Name` given here. AWS's
     * rules: no key starting with `aws:`, keys up to 128 and values up to 256 characters, at most 49 keys
     * besides `Name`; with `ssmAccess`, IAM's characters only (letters, digits, spaces and `_.:/=+-@`).
     */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined;
}

/** Resource options of {@link DualSubnetEniInstance}, plus how its validation errors name an arg. */
export interface DualSubnetEniInstanceOptions extends pulumi.ComponentResourceOptions {
    /**
     * How validation errors name an arg. Default: the arg's own name (`existingNetwork.vpcId` for the ids
     * of an existing network). The stack program passes one that answers with config keys.
     */
    fieldLabel?: FieldLabel | undefined;
}

/**
 * An EC2 instance in a primary subnet with a second network interface (ENI) in a secondary subnet of
 * the same AZ, in a new VPC or in an existing one. The ENI is a separate resource attached at device
 * index 1, so it keeps its id, private IPs and MAC when the instance is replaced, and can be moved to
 * another instance for failover.
 */
export class DualSubnetEniInstance extends pulumi.ComponentResource implements DualSubnetEniInstanceOutputs {
    /** The new VPC; absent with `existingNetwork`. */
    public readonly vpc?: ec2.Vpc;
    /** The new VPC's default security group, taken over with every rule removed; absent with `existingNetwork`. */
    public readonly defaultSecurityGroup?: ec2.DefaultSecurityGroup;
    /** The instance's new subnet; absent with `existingNetwork`. */
    public readonly primarySubnet?: ec2.Subnet;
    /** The ENI's new subnet; absent with `existingNetwork`. */
    public readonly secondarySubnet?: ec2.Subnet;
    /** Security group of the instance's primary interface: `instanceIngress` inbound, all outbound. */
    public readonly primarySecurityGroup: ec2.SecurityGroup;
    /** Security group of the ENI: `networkInterfaceIngress` inbound, all outbound. */
    public readonly secondarySecurityGroup: ec2.SecurityGroup;
    /** The SSM instance profile; only with `ssmAccess`. */
    public readonly ssmInstanceProfile?: iam.InstanceProfile;
    /** The instance, in the primary subnet, without a public IP; IMDSv2 only, encrypted gp3 root volume. */
    public readonly instance: ec2.Instance;
    /** The standby instance; only with `standbyInstance`. */
    public readonly standby?: ec2.Instance;
    /** The second interface, in the secondary subnet; it outlives instance replacements. */
    public readonly networkInterface: ec2.NetworkInterface;
    /** Attaches the ENI at device index 1 to the active instance; replaced delete-first so the ENI is free for the new one. */
    public readonly attachment: ec2.NetworkInterfaceAttachment;
    /** The public interface's Elastic IP; only with `publicInterface`. */
    public readonly elasticIp?: ec2.Eip;

    /** `vpc-…` id of the new or existing VPC. */
    public readonly vpcId: pulumi.Output<string>;
    /** `subnet-…` id of the instance's subnet. */
    public readonly primarySubnetId: pulumi.Output<string>;
    /** `subnet-…` id of the ENI's subnet. */
    public readonly secondarySubnetId: pulumi.Output<string>;
    /** `sg-…` id of the instance's primary-interface security group; add inbound rules to it. */
    public readonly primarySecurityGroupId: pulumi.Output<string>;
    /** `sg-…` id of the ENI's security group; add inbound rules to it. */
    public readonly secondarySecurityGroupId: pulumi.Output<string>;
    /** `i-…` id of the instance. */
    public readonly instanceId: pulumi.Output<string>;
    /** Primary private IPv4 of the instance (device index 0), in the primary subnet. */
    public readonly instancePrivateIp: pulumi.Output<string>;
    /** Every private IPv4 of the instance's primary interface: the primary first, then the secondaries. */
    public readonly instancePrivateIps: pulumi.Output<string[]>;
    /** `eni-…` id of the second interface. */
    public readonly networkInterfaceId: pulumi.Output<string>;
    /** Primary private IPv4 of the ENI (device index 1), in the secondary subnet. */
    public readonly networkInterfacePrivateIp: pulumi.Output<string>;
    /** Every private IPv4 of the ENI: the primary first, then the secondaries. */
    public readonly networkInterfacePrivateIps: pulumi.Output<string[]>;
    /** `eni-attach-…` id of the attachment. */
    public readonly attachmentId: pulumi.Output<string>;
    /** The public side's Elastic IP address; empty without `publicInterface`. */
    public readonly publicIp: pulumi.Output<string>;
    /** `i-…` id of the standby instance; empty without `standbyInstance`. */
    public readonly standbyInstanceId: pulumi.Output<string>;
    /** `i-…` id of the instance the ENI is attached to. */
    public readonly activeInstanceId: pulumi.Output<string>;

    constructor(name: string, args: DualSubnetEniInstanceArgs, opts: DualSubnetEniInstanceOptions = {}) {
        const { fieldLabel, ...resourceOptions } = opts;
        const label: FieldLabel = fieldLabel ?? ((field) => field);
        const namePrefix = args.namePrefix ?? name;
        const inputs = flattenArgs(args, { name, instanceType: DEFAULT_INSTANCE_TYPE, namePrefix });
        // Plain values are checked before anything, the component included, is registered.
        checkKnownArgs(name, inputs, label);
        super(DUAL_SUBNET_ENI_INSTANCE_TYPE, name, {}, resourceOptions);
        // Every AWS resource takes inputs from `settings`, so none is registered unless all checks pass.
        const settings = resolveSettings(name, inputs, label, this);
        const children = childContext(this, settings, logicalNames(name), nameTags(namePrefix), args.tags);
        const publicInterface = args.publicInterface ?? "none";

        // Network
        const network = args.existingNetwork ? existingNetwork(settings) : createNetwork(children);
        ({ vpc: this.vpc, defaultSecurityGroup: this.defaultSecurityGroup, primarySubnet: this.primarySubnet, secondarySubnet: this.secondarySubnet } = network);

        // Security: a group per interface, and the SSM role
        this.primarySecurityGroup = createInterfaceSecurityGroup(children, "instance", network.vpcId, args.instanceIngress ?? []);
        this.secondarySecurityGroup = createInterfaceSecurityGroup(children, "networkInterface", network.vpcId, args.networkInterfaceIngress ?? []);
        this.ssmInstanceProfile = args.ssmAccess ? createSsmInstanceProfile(children) : undefined;

        // Instance, and the standby that failover moves the ENI to
        const placement = {
            subnetId: network.primarySubnetId,
            securityGroupId: this.primarySecurityGroup.id,
            instanceProfile: this.ssmInstanceProfile?.name,
            amiLookedUp: args.ami === undefined,
            fixedAddresses: args.instancePrivateIp !== undefined || args.instanceSecondaryPrivateIps !== undefined,
        };
        this.instance = createInstance(children, "primary", placement);
        this.standby = args.standbyInstance ? createInstance(children, "standby", placement, this.instance) : undefined;

        // Interface and attachment
        const eniAddresses = {
            fixed: args.networkInterfacePrivateIp !== undefined || args.networkInterfaceSecondaryPrivateIps !== undefined,
            assignedNextToFixedPrimary: args.networkInterfacePrivateIp !== undefined && ![undefined, 0].includes(args.networkInterfaceSecondaryPrivateIpCount as number | undefined),
        };
        this.networkInterface = createNetworkInterface(children, network.secondarySubnetId, this.secondarySecurityGroup.id, eniAddresses);
        this.attachment = attachNetworkInterface(children, this.networkInterface, this.instance, this.standby, args.activeInstance);

        // Public access, and Session Manager's endpoints where nothing else routes out
        if (publicInterface !== "none") {
            const onInstance = publicInterface === "instance";
            this.elasticIp = createPublicAccess(
                children,
                { vpcId: network.vpcId, newNetwork: !args.existingNetwork },
                onInstance ? network.primarySubnetId : network.secondarySubnetId,
                onInstance ? this.instance.primaryNetworkInterfaceId : this.networkInterface.id,
            );
        }
        if (args.ssmAccess && !args.existingNetwork && publicInterface !== "instance") {
            // AWS gives the endpoints addresses in the primary subnet: only once the instance holds its fixed ones.
            createSsmEndpoints(children, network.vpcId, network.primarySubnetId, [this.instance]);
        }

        this.vpcId = network.vpcId;
        this.primarySubnetId = network.primarySubnetId;
        this.secondarySubnetId = network.secondarySubnetId;
        this.primarySecurityGroupId = this.primarySecurityGroup.id;
        this.secondarySecurityGroupId = this.secondarySecurityGroup.id;
        this.instanceId = this.instance.id;
        this.instancePrivateIp = this.instance.privateIp;
        this.instancePrivateIps = pulumi.all([this.instance.privateIp, this.instance.secondaryPrivateIps]).apply(([primary, secondaries]) => [primary, ...(secondaries ?? [])]);
        this.networkInterfaceId = this.networkInterface.id;
        this.networkInterfacePrivateIp = this.networkInterface.privateIp;
        this.networkInterfacePrivateIps = pulumi
            .all([this.networkInterface.privateIp, this.networkInterface.privateIps])
            .apply(([primary, all]) => [primary, ...(all ?? []).filter((ip) => ip !== primary)]);
        this.attachmentId = this.attachment.attachmentId;
        this.publicIp = this.elasticIp?.publicIp ?? pulumi.output("");
        this.standbyInstanceId = this.standby?.id ?? pulumi.output("");
        this.activeInstanceId = this.attachment.instanceId;
        this.registerOutputs(outputsOf(this));
    }
}
