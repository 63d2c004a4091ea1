/** The network step: a new VPC with two subnets in one zone, or the ids of an existing one. */
import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import { ChildContext } from "./childContext";
import { IPV6_SUBNET_INDEX, ipv6SubnetBlock } from "./ipv6Addressing";
import { SettingsView } from "./settings";

/** Where the children go. The resources exist only for a new network. */
export interface Network {
    readonly vpcId: pulumi.Output<string>;
    readonly primarySubnetId: pulumi.Output<string>;
    readonly secondarySubnetId: pulumi.Output<string>;
    readonly vpc?: ec2.Vpc;
    readonly defaultSecurityGroup?: ec2.DefaultSecurityGroup;
    readonly primarySubnet?: ec2.Subnet;
    readonly secondarySubnet?: ec2.Subnet;
}

/** The ids of an existing network, once checked. */
export function existingNetwork(settings: SettingsView): Network {
    return {
        vpcId: settings.apply((s) => s["existingNetwork.vpcId"]!),
        primarySubnetId: settings.apply((s) => s["existingNetwork.primarySubnetId"]!),
        secondarySubnetId: settings.apply((s) => s["existingNetwork.secondarySubnetId"]!),
    };
}

/**
 * A VPC (DNS on) whose default security group is emptied, and two subnets that give no public IPs. With `ipv6`, the
 * VPC asks for an Amazon-provided /56 and each subnet takes its own /64 of it, assigning IPv6 on creation.
 */
export function createNetwork({ parent, settings, names, nameTags, tags }: ChildContext, ipv6 = false): Network {
    const vpc = new ec2.Vpc(
        names.vpc,
        {
            cidrBlock: settings.apply((s) => s.vpcCidrBlock!),
            enableDnsSupport: true,
            enableDnsHostnames: true,
            ...(ipv6 ? { assignGeneratedIpv6CidrBlock: true } : {}),
            tags: tags(nameTags.vpc),
        },
        parent,
    );
    const defaultSecurityGroup = new ec2.DefaultSecurityGroup(names.defaultSecurityGroup, { vpcId: vpc.id, tags: tags(nameTags.defaultSecurityGroup) }, parent);
    const ipv6Of = (index: number) => (ipv6 ? { ipv6CidrBlock: vpc.ipv6CidrBlock.apply((block) => ipv6SubnetBlock(block, index)), assignIpv6AddressOnCreation: true } : {});
    const subnet = (logicalName: string, cidr: pulumi.Input<string>, nameTag: string, index: number) =>
        new ec2.Subnet(
            logicalName,
            { vpcId: vpc.id, cidrBlock: cidr, ...ipv6Of(index), availabilityZone: settings.apply((s) => s.availabilityZone), mapPublicIpOnLaunch: false, tags: tags(nameTag) },
            // A new zone or a narrower range replaces the subnet; created first, it would overlap the old one
            // (InvalidSubnet.Conflict). Deleted first, it takes the instance or ENI in it along.
            { ...parent, deleteBeforeReplace: true },
        );
    const primarySubnet = subnet(names.primarySubnet, settings.apply((s) => s.primarySubnetCidrBlock!), nameTags.primarySubnet, IPV6_SUBNET_INDEX.primary);
    const secondarySubnet = subnet(names.secondarySubnet, settings.apply((s) => s.secondarySubnetCidrBlock!), nameTags.secondarySubnet, IPV6_SUBNET_INDEX.secondary);
    return { vpc, defaultSecurityGroup, primarySubnet, secondarySubnet, vpcId: vpc.id, primarySubnetId: primarySubnet.id, secondarySubnetId: secondarySubnet.id };
}
