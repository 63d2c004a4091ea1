// Deep imports: `@pulumi/aws` as a whole makes tsc parse every AWS service (about 40% of a type-check).
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import type * as lambda from "@pulumi/aws/lambda";
import * as pulumi from "@pulumi/pulumi";
import type { DualSubnetEniInstanceArgs } from "./args";
import { childContext } from "./childContext";
import { FieldLabel } from "./errors";
import { createInstance } from "./instance";
import { allowIpv6Out, createIpv6Egress } from "./ipv6";
import { logicalNames, nameTags } from "./naming";
import { createNetwork, existingNetwork } from "./network";
import { createFailoverMover } from "./failover";
import { activeInstanceId, attachNetworkInterface, createNetworkInterface } from "./networkInterface";
import { createPublicAccess, createSsmEndpoints } from "./publicAccess";
import { createInterfaceSecurityGroup, createSsmInstanceProfile } from "./security";
import { checkKnownArgs, flattenArgs, resolveSettings } from "./settings";

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
    "vpcIpv6CidrBlock",
    "instanceIpv6Addresses",
    "networkInterfaceIpv6Addresses",
    "networkInterfaceIpv4Prefixes",
    "networkInterfaceIpv6Prefixes",
] as const;

/** Outputs that list addresses or prefixes; every other output is one id, address or block. */
type ListOutput =
    | "instancePrivateIps"
    | "networkInterfacePrivateIps"
    | "instanceIpv6Addresses"
    | "networkInterfaceIpv6Addresses"
    | "networkInterfaceIpv4Prefixes"
    | "networkInterfaceIpv6Prefixes";

/** The component's outputs: AWS ids, addresses and prefixes. */
export type DualSubnetEniInstanceOutputs = {
    readonly [K in (typeof OUTPUT_NAMES)[number]]: pulumi.Output<K extends ListOutput ? string[] : string>;
};

/** Picks the outputs off a component, e.g. to export them from a stack. */
export function outputsOf(component: DualSubnetEniInstanceOutputs): DualSubnetEniInstanceOutputs {
    return Object.fromEntries(OUTPUT_NAMES.map((key) => [key, component[key]])) as unknown as DualSubnetEniInstanceOutputs;
}

export type { DualSubnetEniInstanceArgs, ExistingNetwork, IngressRuleArgs } from "./args";

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
    /**
     * Attaches the ENI at device index 1 to the active instance; replaced delete-first so the ENI is free for the new
     * one. Absent with `automaticFailover`: the ENI then carries its attachment itself (`attachments`).
     */
    public readonly attachment?: ec2.NetworkInterfaceAttachment;
    /** The failover mover (an AWS Lambda function); only with `automaticFailover`. */
    public readonly failoverMover?: lambda.Function;
    /** The public interface's Elastic IP; only with `publicInterface`. */
    public readonly elasticIp?: ec2.Eip;
    /** The egress-only internet gateway IPv6 leaves through; only with `ipv6` on a new network. */
    public readonly egressOnlyInternetGateway?: ec2.EgressOnlyInternetGateway;

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
    /** `eni-attach-…` id of the attachment; with `automaticFailover`, of the attachment last read (`pulumi refresh`). */
    public readonly attachmentId: pulumi.Output<string>;
    /** The public side's Elastic IP address; empty without `publicInterface`. */
    public readonly publicIp: pulumi.Output<string>;
    /** `i-…` id of the standby instance; empty without `standbyInstance`. */
    public readonly standbyInstanceId: pulumi.Output<string>;
    /** `i-…` id of the instance the ENI is attached to; with `automaticFailover`, where it was when last read (`pulumi refresh`): the mover may have moved it since. */
    public readonly activeInstanceId: pulumi.Output<string>;
    /** The new VPC's Amazon-provided IPv6 /56; empty without `ipv6`, and with `existingNetwork` (its VPC is not read). */
    public readonly vpcIpv6CidrBlock: pulumi.Output<string>;
    /** IPv6 addresses of the instance's primary interface; empty without `ipv6`. */
    public readonly instanceIpv6Addresses: pulumi.Output<string[]>;
    /** IPv6 addresses of the ENI; empty without `ipv6` (and with IPv6 prefixes instead, unless AWS assigned one). */
    public readonly networkInterfaceIpv6Addresses: pulumi.Output<string[]>;
    /** IPv4 /28 prefixes delegated to the ENI (`networkInterfaceIpv4PrefixCount`); empty without. */
    public readonly networkInterfaceIpv4Prefixes: pulumi.Output<string[]>;
    /** IPv6 /80 prefixes delegated to the ENI (`networkInterfaceIpv6PrefixCount`); empty without. */
    public readonly networkInterfaceIpv6Prefixes: pulumi.Output<string[]>;

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
        const ipv6 = args.ipv6 === true;

        // Network
        const network = args.existingNetwork ? existingNetwork(settings) : createNetwork(children, ipv6);
        ({ vpc: this.vpc, defaultSecurityGroup: this.defaultSecurityGroup, primarySubnet: this.primarySubnet, secondarySubnet: this.secondarySubnet } = network);
        this.egressOnlyInternetGateway = ipv6 && network.vpc ? createIpv6Egress(children, network.vpc) : undefined;

        // Security: a group per interface, and the SSM role
        this.primarySecurityGroup = createInterfaceSecurityGroup(children, "instance", network.vpcId, args.instanceIngress ?? []);
        this.secondarySecurityGroup = createInterfaceSecurityGroup(children, "networkInterface", network.vpcId, args.networkInterfaceIngress ?? []);
        if (ipv6) {
            allowIpv6Out(children, "instance", this.primarySecurityGroup);
            allowIpv6Out(children, "networkInterface", this.secondarySecurityGroup);
        }
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
        const activeId = activeInstanceId(settings, this.instance, this.standby, args.activeInstance);
        const automatic = args.automaticFailover === true && this.standby !== undefined;
        this.networkInterface = createNetworkInterface(children, network.secondarySubnetId, this.secondarySecurityGroup.id, eniAddresses, automatic ? activeId : undefined);
        this.attachment = automatic ? undefined : attachNetworkInterface(children, this.networkInterface, activeId);
        if (automatic) {
            this.failoverMover = createFailoverMover(children, {
                vpcId: network.vpcId,
                subnetId: network.primarySubnetId,
                newNetwork: !args.existingNetwork,
                networkInterface: this.networkInterface,
                networkInterfaceSecurityGroupId: this.secondarySecurityGroup.id,
                primary: this.instance,
                standby: this.standby,
                preferredInstanceId: activeId,
                fixedAddressHolders: [this.instance],
            });
        }

        // Public access, and Session Manager's endpoints where nothing else routes out
        if (publicInterface !== "none") {
            const onInstance = publicInterface === "instance";
            this.elasticIp = createPublicAccess(
                children,
                { vpcId: network.vpcId, newNetwork: !args.existingNetwork, ipv6 },
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
        const carried = this.networkInterface.attachments.apply((attachments) => attachments?.[0]);
        this.attachmentId = this.attachment?.attachmentId ?? carried.apply((attachment) => attachment?.attachmentId ?? "");
        this.publicIp = this.elasticIp?.publicIp ?? pulumi.output("");
        this.standbyInstanceId = this.standby?.id ?? pulumi.output("");
        this.activeInstanceId = this.attachment?.instanceId ?? carried.apply((attachment) => attachment?.instance ?? "");
        this.vpcIpv6CidrBlock = ipv6 && this.vpc ? this.vpc.ipv6CidrBlock : pulumi.output("");
        const list = (values: pulumi.Output<string[] | undefined>) => values.apply((all) => all ?? []);
        this.instanceIpv6Addresses = list(this.instance.ipv6Addresses);
        this.networkInterfaceIpv6Addresses = list(this.networkInterface.ipv6Addresses);
        this.networkInterfaceIpv4Prefixes = list(this.networkInterface.ipv4Prefixes);
        this.networkInterfaceIpv6Prefixes = list(this.networkInterface.ipv6Prefixes);
        this.registerOutputs(outputsOf(this));
    }
}
