/** The interface and attachment steps: the ENI in the secondary subnet, attached at device index 1 to the active instance. */
import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import { ChildContext } from "./childContext";
import { ipv6AddressCounts } from "./ipv6Addressing";
import { isPending } from "./settings";

/** The ENI with its primary and secondary private IPs, fixed or assigned by AWS. */
export function createNetworkInterface(
    { parent, settings, names, nameTags, tags }: ChildContext,
    subnetId: pulumi.Input<string>,
    securityGroupId: pulumi.Input<string>,
    addresses: { readonly fixed: boolean; readonly assignedNextToFixedPrimary: boolean },
    carriedAttachment?: pulumi.Input<string>,
): ec2.NetworkInterface {
    // A fixed primary with secondaries AWS assigns: the provider reads every address back into
    // privateIps (vpc_network_interface.go resourceNetworkInterfaceRead), so `[primary]` never matches
    // and each update would unassign the secondaries (resourceNetworkInterfaceUpdate). Keep them.
    // automaticFailover: the attachment is the mover's; a refresh reads where it is into `attachments`
    // (the bridge's ExtractInputsFromOutputs) and no update moves it back.
    const ignored = [...(addresses.assignedNextToFixedPrimary ? ["privateIps"] : []), ...(carriedAttachment !== undefined ? ["attachments"] : [])];
    // An ordered list is how AWS takes fixed secondaries: its first address is the primary.
    const ordered = settings.apply((s) => (s.networkInterfaceSecondaryPrivateIps.length > 0 ? [s.networkInterfacePrivateIp!, ...s.networkInterfaceSecondaryPrivateIps] : undefined));
    return new ec2.NetworkInterface(
        names.networkInterface,
        {
            subnetId,
            securityGroups: [securityGroupId],
            description: nameTags.networkInterface,
            privateIps: settings.apply((s) => (s.networkInterfacePrivateIp && s.networkInterfaceSecondaryPrivateIps.length === 0 ? [s.networkInterfacePrivateIp] : undefined)),
            privateIpsCount: settings.apply((s) => s.networkInterfaceSecondaryPrivateIpCount || undefined),
            privateIpListEnabled: ordered.apply((list) => (list ? true : undefined)),
            privateIpLists: ordered,
            ipv6AddressCount: settings.apply((s) => ipv6AddressCounts(s).networkInterface),
            // Sent only above 0. Left out, the provider keeps what the ENI holds (Optional and Computed), so
            // lowering a count to 0 removes nothing (docs/ipv6.md).
            ipv4PrefixCount: settings.apply((s) => s.networkInterfaceIpv4PrefixCount || undefined),
            ipv6PrefixCount: settings.apply((s) => s.networkInterfaceIpv6PrefixCount || undefined),
            // AWS's default is true; only turning it off is sent, so plans change only for appliances.
            sourceDestCheck: settings.apply((s) => (s.networkInterfaceSourceDestCheck === false ? false : undefined)),
            tags: tags(nameTags.networkInterface),
            // automaticFailover: the ENI is attached where it is created, and from then on where the mover puts it.
            ...(carriedAttachment === undefined ? {} : { attachments: [{ instance: carriedAttachment, deviceIndex: 1 }] }),
        },
        {
            ...parent,
            // Fixed addresses: a replacement ENI asks for addresses the old one holds, so delete it first.
            ...(addresses.fixed ? { deleteBeforeReplace: true } : {}),
            ...(ignored.length > 0 ? { ignoreChanges: ignored } : {}),
        },
    );
}

/**
 * The active instance's id. With a plain `activeInstance` that instance's id alone, so replacing the other instance
 * changes nothing that takes it; an Output `activeInstance` waits on both instances.
 */
export function activeInstanceId(
    settings: ChildContext["settings"],
    primary: ec2.Instance,
    standby: ec2.Instance | undefined,
    activeInstance: pulumi.Input<string> | undefined,
): pulumi.Input<string> {
    return standby && isPending(activeInstance)
        ? pulumi.all([settings.apply((s) => s.activeInstance), primary.id, standby.id]).apply(([active, primaryId, standbyId]) => (active === "standby" ? standbyId : primaryId))
        : activeInstance === "standby" && standby
          ? standby.id
          : primary.id;
}

/**
 * Attaches the ENI at device index 1 to the active instance (`activeInstanceId`): replacing the other instance leaves
 * the attachment untouched and flipping `activeInstance` changes only its `instanceId`.
 */
export function attachNetworkInterface(
    { parent, names }: ChildContext,
    networkInterface: ec2.NetworkInterface,
    instanceId: pulumi.Input<string>,
): ec2.NetworkInterfaceAttachment {
    // Replacing the instance must detach the ENI first: created before the old one is deleted,
    // the new attachment fails with InvalidNetworkInterface.InUse.
    return new ec2.NetworkInterfaceAttachment(
        names.attachment,
        { instanceId, networkInterfaceId: networkInterface.id, deviceIndex: 1 },
        { ...parent, deleteBeforeReplace: true },
    );
}
