/** The instance step: the instance in the primary subnet, and its standby twin for failover. */
import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import { ChildContext } from "./childContext";
import { ipv6AddressCounts } from "./ipv6Addressing";
import { instanceUserData } from "./userData";

/** Where an instance goes and what it runs with, beyond the settings. */
export interface InstancePlacement {
    readonly subnetId: pulumi.Input<string>;
    readonly securityGroupId: pulumi.Input<string>;
    /** The SSM instance profile's name when the component made one; else the settings' `iamInstanceProfile`. */
    readonly instanceProfile?: pulumi.Input<string>;
    /** True when the AMI was looked up: later images must not replace the instance. */
    readonly amiLookedUp: boolean;
    /**
     * True when the primary has fixed private IPs: a replacement must then delete the old instance first, since
     * the new one asks for addresses the old one holds (`InvalidIPAddress.InUse`).
     */
    readonly fixedAddresses: boolean;
}

/**
 * An instance without a public IP, IMDSv2 required, with an encrypted gp3 root volume. The primary takes the
 * fixed private IPs; a standby (same subnet) cannot share them and gets addresses from AWS.
 */
export function createInstance(
    { parent, settings, names, nameTags, tags }: ChildContext,
    role: "primary" | "standby",
    placement: InstancePlacement,
    primary?: ec2.Instance,
): ec2.Instance {
    const fixedIps = role === "primary";
    const child = fixedIps ? "instance" : "standbyInstance";
    return new ec2.Instance(
        names[child],
        {
            // The standby runs the primary's image as deployed, not a newer release looked up later.
            ami: primary ? primary.ami : settings.apply((s) => s.ami),
            instanceType: settings.apply((s) => s.instanceType),
            subnetId: placement.subnetId,
            vpcSecurityGroupIds: [placement.securityGroupId],
            privateIp: settings.apply((s) => (fixedIps ? s.instancePrivateIp : undefined)),
            secondaryPrivateIps: settings.apply((s) => (fixedIps && s.instanceSecondaryPrivateIps.length > 0 ? [...s.instanceSecondaryPrivateIps] : undefined)),
            // No public IP at launch. Once an Elastic IP is on the primary interface the provider reads this back as
            // true (ec2_instance.go resourceInstanceFlatten: primary interface `Association != nil`), and it forces
            // replacement: ignoreChanges below keeps that read from replacing the instance (terraform-provider-aws #37318).
            associatePublicIpAddress: false,
            ipv6AddressCount: settings.apply((s) => ipv6AddressCounts(s).instance),
            // AWS's default is true; only turning it off is sent, so plans change only for appliances.
            sourceDestCheck: settings.apply((s) => (s.instanceSourceDestCheck === false ? false : undefined)),
            keyName: settings.apply((s) => s.keyName),
            userData: settings.apply(instanceUserData),
            // Optional and Computed: left out, the provider would keep a profile the instance has (e.g. after
            // ssmAccess true → false); "" disassociates it (ec2_instance.go resourceInstanceUpdate).
            iamInstanceProfile: placement.instanceProfile ?? settings.apply((s) => s.iamInstanceProfile ?? ""),
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            rootBlockDevice: settings.apply((s) => ({ encrypted: true, volumeType: "gp3", ...(s.rootVolumeSizeGiB === undefined ? {} : { volumeSize: s.rootVolumeSizeGiB }) })),
            tags: tags(nameTags[child]),
        },
        // A looked-up AMI is resolved once; a newer Amazon Linux release must not replace the instance (a
        // replacement for another reason boots the newest: it is created from the program's inputs).
        // Fixed addresses: delete first. A standby takes an address from AWS, so it waits for the primary's.
        {
            ...parent,
            ignoreChanges: [...(placement.amiLookedUp ? ["ami"] : []), "associatePublicIpAddress"],
            ...(fixedIps && placement.fixedAddresses ? { deleteBeforeReplace: true } : {}),
            ...(primary ? { dependsOn: [primary] } : {}),
        },
    );
}
