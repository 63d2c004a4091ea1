/**
 * The data sources behind placement: what kind of zone the instance goes to (and which network border group its
 * Elastic IP must come from), and, in existing subnets, which interfaces hold addresses the component needs: its own
 * (found by their `Name` tags, so an update counts them as the component's) and anyone else's. Shared per provider
 * like every lookup (awsLookups.ts).
 */
import * as ec2 from "@pulumi/aws/ec2";
import { getAvailabilityZone } from "@pulumi/aws/getAvailabilityZone";
import { LookupOptions, shared } from "./awsLookups";

/** What `aws.getAvailabilityZone` says of a zone. */
export interface ZoneFacts {
    /** `availability-zone`, `local-zone` or `wavelength-zone`. */
    readonly zoneType: string;
    /** Where AWS advertises the zone's public addresses: the region for an Availability Zone, the zone's group for a Local or Wavelength Zone. */
    readonly networkBorderGroup: string;
}

/** An interface of a subnet and the private IPv4 addresses it holds. */
export interface HeldAddresses {
    readonly networkInterfaceId: string;
    readonly privateIps: readonly string[];
}

/** The `Name` tags by which the component's own instances and ENI are known in existing subnets. */
export interface OwnNames {
    readonly instances: readonly string[];
    readonly networkInterface: string;
}

/** What the zone is, and its network border group. */
export function lookUpZone(name: string, opts: LookupOptions): Promise<ZoneFacts> {
    return shared(`zone ${name}`, opts, async () => {
        const zone = await getAvailabilityZone({ name }, opts);
        return { zoneType: zone.zoneType, networkBorderGroup: zone.networkBorderGroup };
    });
}

/** Each interface's private IPv4 addresses (`aws.ec2.getNetworkInterface`). */
function addressesOf(ids: readonly string[], opts: LookupOptions): Promise<HeldAddresses[]> {
    return Promise.all(
        ids.map((id) =>
            shared(`network interface ${id}`, opts, async () => ({ networkInterfaceId: id, privateIps: (await ec2.getNetworkInterface({ id }, opts)).privateIps })),
        ),
    );
}

/** Ids of the interfaces of `subnetId` that match every filter (`aws.ec2.getNetworkInterfaces`). */
async function interfacesOf(subnetId: string, filters: readonly { name: string; values: string[] }[], opts: LookupOptions): Promise<string[]> {
    return (await ec2.getNetworkInterfaces({ filters: [{ name: "subnet-id", values: [subnetId] }, ...filters] }, opts)).ids;
}

/**
 * The interfaces of `subnetId` that belong to the component: the ENI by its `Name` tag, and the interfaces attached
 * to its instances, found by theirs (`aws.ec2.getInstances`, any state but terminated).
 */
export function lookUpOwnInterfaces(subnetId: string, names: OwnNames, opts: LookupOptions): Promise<HeldAddresses[]> {
    return shared(`own interfaces ${subnetId} ${names.networkInterface} ${names.instances.join(" ")}`, opts, async () => {
        const instances = await ec2.getInstances(
            { filters: [{ name: "tag:Name", values: [...names.instances] }], instanceStateNames: ["pending", "running", "shutting-down", "stopping", "stopped"] },
            opts,
        );
        const [tagged, attached] = await Promise.all([
            interfacesOf(subnetId, [{ name: "tag:Name", values: [names.networkInterface] }], opts),
            instances.ids.length === 0 ? [] : interfacesOf(subnetId, [{ name: "attachment.instance-id", values: instances.ids }], opts),
        ]);
        return addressesOf([...new Set([...tagged, ...attached])], opts);
    });
}

/** The interfaces of `subnetId` that hold any of `addresses`, with every address each holds. */
export function lookUpAddressHolders(subnetId: string, addresses: readonly string[], opts: LookupOptions): Promise<HeldAddresses[]> {
    return shared(`holders ${subnetId} ${addresses.join(" ")}`, opts, async () =>
        addressesOf(await interfacesOf(subnetId, [{ name: "addresses.private-ip-address", values: [...addresses] }], opts), opts),
    );
}
