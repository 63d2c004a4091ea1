// Deep imports: `@pulumi/aws` as a whole makes tsc parse every AWS service (about 40% of a type-check).
import * as ec2 from "@pulumi/aws/ec2";
import { SecurityGroupEgressRule } from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { FieldLabel } from "./errors";
import { logicalNames, nameTags } from "./naming";
import { checkKnownArgs, flattenArgs, isPending, resolveSettings } from "./settings";

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
    "networkInterfaceId",
    "networkInterfacePrivateIp",
    "attachmentId",
] as const;

/** The component's outputs, all AWS ids or IPv4 addresses. */
export type DualSubnetEniInstanceOutputs = { readonly [K in (typeof OUTPUT_NAMES)[number]]: pulumi.Output<string> };

/** Picks the outputs off a component, e.g. to export them from a stack. */
export function outputsOf(component: DualSubnetEniInstanceOutputs): DualSubnetEniInstanceOutputs {
    return Object.fromEntries(OUTPUT_NAMES.map((key) => [key, component[key]])) as DualSubnetEniInstanceOutputs;
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
     * instance; set `ami` explicitly to roll to a new image.
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
    /** Tags merged into every taggable child; each child's own `Name` tag wins over a `Name` given here. */
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
    /** Security group of the instance's primary interface: no inbound rules, all outbound allowed. */
    public readonly primarySecurityGroup: ec2.SecurityGroup;
    /** Security group of the ENI: no inbound rules, all outbound allowed. */
    public readonly secondarySecurityGroup: ec2.SecurityGroup;
    /** The instance, in the primary subnet, without a public IP; IMDSv2 only, encrypted gp3 root volume. */
    public readonly instance: ec2.Instance;
    /** The second interface, in the secondary subnet; it outlives instance replacements. */
    public readonly networkInterface: ec2.NetworkInterface;
    /** Attaches the ENI at device index 1; replaced delete-first so the ENI is free for the new instance. */
    public readonly attachment: ec2.NetworkInterfaceAttachment;

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
    /** `eni-…` id of the second interface. */
    public readonly networkInterfaceId: pulumi.Output<string>;
    /** Primary private IPv4 of the ENI (device index 1), in the secondary subnet. */
    public readonly networkInterfacePrivateIp: pulumi.Output<string>;
    /** `eni-attach-…` id of the attachment. */
    public readonly attachmentId: pulumi.Output<string>;

    constructor(name: string, args: DualSubnetEniInstanceArgs, opts: DualSubnetEniInstanceOptions = {}) {
        const { fieldLabel, ...resourceOptions } = opts;
        const label: FieldLabel = fieldLabel ?? ((field) => field);
        const namePrefix = args.namePrefix ?? name;
        const inputs = flattenArgs(args, { instanceType: DEFAULT_INSTANCE_TYPE, namePrefix });
        // Plain values are checked before anything, the component included, is registered.
        checkKnownArgs(name, inputs, label);
        super(DUAL_SUBNET_ENI_INSTANCE_TYPE, name, {}, resourceOptions);
        // Every AWS resource below takes inputs from `settings`, so none is registered unless all checks pass.
        const settings = resolveSettings(name, inputs, label, this);

        const names = logicalNames(name);
        const tagValues = nameTags(namePrefix);
        const extraTags = args.tags ?? {};
        const tags = (nameTag: string): pulumi.Input<Record<string, pulumi.Input<string>>> =>
            isPending(extraTags) ? pulumi.output(extraTags).apply((extra) => ({ ...extra, Name: nameTag })) : { ...extraTags, Name: nameTag };
        const parent = { parent: this };

        let vpcId: pulumi.Output<string>;
        let primarySubnetId: pulumi.Output<string>;
        let secondarySubnetId: pulumi.Output<string>;
        if (args.existingNetwork) {
            vpcId = settings.apply((s) => s["existingNetwork.vpcId"]!);
            primarySubnetId = settings.apply((s) => s["existingNetwork.primarySubnetId"]!);
            secondarySubnetId = settings.apply((s) => s["existingNetwork.secondarySubnetId"]!);
        } else {
            this.vpc = new ec2.Vpc(
                names.vpc,
                {
                    cidrBlock: settings.apply((s) => s.vpcCidrBlock!),
                    enableDnsSupport: true,
                    enableDnsHostnames: true,
                    tags: tags(tagValues.vpc),
                },
                parent,
            );
            vpcId = this.vpc.id;
            this.defaultSecurityGroup = new ec2.DefaultSecurityGroup(
                names.defaultSecurityGroup,
                { vpcId, tags: tags(tagValues.defaultSecurityGroup) },
                parent,
            );
            const subnet = (logicalName: string, cidr: pulumi.Input<string>, nameTag: string) =>
                new ec2.Subnet(
                    logicalName,
                    {
                        vpcId,
                        cidrBlock: cidr,
                        availabilityZone: settings.apply((s) => s.availabilityZone),
                        mapPublicIpOnLaunch: false,
                        tags: tags(nameTag),
                    },
                    parent,
                );
            this.primarySubnet = subnet(names.primarySubnet, settings.apply((s) => s.primarySubnetCidrBlock!), tagValues.primarySubnet);
            this.secondarySubnet = subnet(names.secondarySubnet, settings.apply((s) => s.secondarySubnetCidrBlock!), tagValues.secondarySubnet);
            primarySubnetId = this.primarySubnet.id;
            secondarySubnetId = this.secondarySubnet.id;
        }

        const securityGroup = (logicalName: string, egressName: string, nameTag: string, egressTag: string, description: string) => {
            const group = new ec2.SecurityGroup(logicalName, { vpcId, description, tags: tags(nameTag) }, parent);
            new SecurityGroupEgressRule(
                egressName,
                { securityGroupId: group.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "All outbound IPv4 traffic", tags: tags(egressTag) },
                parent,
            );
            return group;
        };
        this.primarySecurityGroup = securityGroup(
            names.primarySecurityGroup,
            names.primarySecurityGroupEgress,
            tagValues.primarySecurityGroup,
            tagValues.primarySecurityGroupEgress,
            `Primary network interface of ${tagValues.instance}`,
        );
        this.secondarySecurityGroup = securityGroup(
            names.secondarySecurityGroup,
            names.secondarySecurityGroupEgress,
            tagValues.secondarySecurityGroup,
            tagValues.secondarySecurityGroupEgress,
            `Network interface ${tagValues.networkInterface}`,
        );

        this.instance = new ec2.Instance(
            names.instance,
            {
                ami: settings.apply((s) => s.ami),
                instanceType: settings.apply((s) => s.instanceType),
                subnetId: primarySubnetId,
                vpcSecurityGroupIds: [this.primarySecurityGroup.id],
                privateIp: settings.apply((s) => s.instancePrivateIp),
                associatePublicIpAddress: false,
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                rootBlockDevice: { encrypted: true, volumeType: "gp3" },
                tags: tags(tagValues.instance),
            },
            // A looked-up AMI is resolved once; a newer Amazon Linux release must not replace the instance.
            { ...parent, ignoreChanges: args.ami === undefined ? ["ami"] : [] },
        );

        this.networkInterface = new ec2.NetworkInterface(
            names.networkInterface,
            {
                subnetId: secondarySubnetId,
                securityGroups: [this.secondarySecurityGroup.id],
                description: tagValues.networkInterface,
                privateIps: settings.apply((s) => (s.networkInterfacePrivateIp ? [s.networkInterfacePrivateIp] : undefined)),
                privateIpsCount: settings.apply((s) => s.networkInterfaceSecondaryPrivateIpCount || undefined),
                tags: tags(tagValues.networkInterface),
            },
            parent,
        );

        // Replacing the instance must detach the ENI first: created before the old one is deleted,
        // the new attachment fails with InvalidNetworkInterface.InUse.
        this.attachment = new ec2.NetworkInterfaceAttachment(
            names.attachment,
            { instanceId: this.instance.id, networkInterfaceId: this.networkInterface.id, deviceIndex: 1 },
            { ...parent, deleteBeforeReplace: true },
        );

        this.vpcId = vpcId;
        this.primarySubnetId = primarySubnetId;
        this.secondarySubnetId = secondarySubnetId;
        this.primarySecurityGroupId = this.primarySecurityGroup.id;
        this.secondarySecurityGroupId = this.secondarySecurityGroup.id;
        this.instanceId = this.instance.id;
        this.instancePrivateIp = this.instance.privateIp;
        this.networkInterfaceId = this.networkInterface.id;
        this.networkInterfacePrivateIp = this.networkInterface.privateIp;
        this.attachmentId = this.attachment.attachmentId;
        this.registerOutputs(outputsOf(this));
    }
}
