/**
 * The state of the AWS account the mocks stand for: its subnets and their addresses, its images, the regions
 * of the providers a program made. Resource creates (resources.ts) and data-source calls (dataSources.ts)
 * read and change it.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { instanceTypeFacts } from "../instanceTypes";
import { ec2ApiError } from "./awsErrors";
import type { MockAmi, MockInstanceType, MockOptions, MockSubnet } from "./options";
import { SubnetAddresses } from "./subnetAddresses";

/** `length` hex characters derived from `seed`: the same seed always gives the same id. */
export function hex(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** The AMI id the mocks answer for an architecture's Amazon Linux 2023 parameter. */
export function mockAmiId(architecture: string): string {
    return `ami-${hex(`al2023-${architecture}`, 17)}`;
}

/** The account the mocks stand for (its ARNs, the default owner of peered VPCs). */
export const MOCK_ACCOUNT_ID = "123456789012";

/** A subnet the account holds, with the addresses its interfaces took. */
export type FakeSubnet = MockSubnet & { readonly addresses: SubnetAddresses };

/** What `aws.getAvailabilityZone` says of a zone, from the shape of its name. */
export interface FakeZone {
    readonly zoneType: "availability-zone" | "local-zone" | "wavelength-zone";
    /** The region for an Availability Zone; the zone's group for a Local Zone (`us-west-2-lax-1a` → `us-west-2-lax-1`) and a Wavelength Zone (its own name). */
    readonly networkBorderGroup: string;
}

/** A zone of `region` by the suffix of its name (`a`, `-lax-1a`, `-wl1-bos-wlz-1`). */
export function fakeZone(region: string, name: string): FakeZone {
    const suffix = name.slice(region.length);
    if (/^-wl\d+-[a-z]+-wlz-\d+$/.test(suffix)) {
        return { zoneType: "wavelength-zone", networkBorderGroup: name };
    }
    return /^-[a-z]+-\d+[a-z]$/.test(suffix) ? { zoneType: "local-zone", networkBorderGroup: name.slice(0, -1) } : { zoneType: "availability-zone", networkBorderGroup: region };
}

export class FakeAws {
    readonly subnets = new Map<string, FakeSubnet>();
    readonly amis: Readonly<Record<string, MockAmi>>;
    /** Regions of explicit AWS providers by logical name, so that calls made through one answer for its region. */
    private readonly providerRegions = new Map<string, string>();

    constructor(readonly options: MockOptions) {
        this.amis = { [mockAmiId("x86_64")]: { architecture: "x86_64" }, [mockAmiId("arm64")]: { architecture: "arm64" }, ...options.amis };
        (options.existingSubnets ?? []).forEach((subnet) => this.addSubnet(subnet));
        for (const networkInterface of options.networkInterfaces ?? []) {
            const addresses = this.subnets.get(networkInterface.subnetId)?.addresses;
            networkInterface.privateIps.forEach((address) => addresses?.hold(address));
            (networkInterface.ipv4Prefixes ?? []).forEach((prefix) => addresses?.holdBlock(prefix));
        }
    }

    addSubnet(subnet: MockSubnet): void {
        this.subnets.set(subnet.id, { ...subnet, addresses: new SubnetAddresses(subnet.cidrBlock, subnet.id) });
    }

    addProvider(name: string, region: string | undefined): void {
        if (region !== undefined) {
            this.providerRegions.set(name, region);
        }
    }

    /** The region a call or create goes to: its own `region`, its provider's, the options', the config's, else ap-south-1. */
    regionOf(inputs: { readonly region?: string }, provider?: string): string {
        // A provider reference reads "<urn>::<id>", and the URN ends in "::<name>".
        const providerName = provider?.split("::").slice(-2)[0];
        return (
            inputs.region ??
            (providerName === undefined ? undefined : this.providerRegions.get(providerName)) ??
            this.options.region ??
            pulumi.runtime.getConfig("aws:region") ??
            "ap-south-1"
        );
    }

    /** The zones of a region: one per suffix (default: the options' suffixes, else a, b and c). */
    zonesOf(region: string, suffixes: readonly string[] = this.options.zoneSuffixes ?? ["a", "b", "c"]): string[] {
        return suffixes.map((suffix) => `${region}${suffix}`);
    }

    instanceType(name: string): MockInstanceType | undefined {
        return this.options.instanceTypes?.[name] ?? instanceTypeFacts(name);
    }

    /** The subnet a new instance or interface goes into; fails as EC2 does when there is none. */
    subnetFor(id: string, creating: string, operation: string): FakeSubnet {
        const subnet = this.subnets.get(id);
        if (!subnet) {
            throw ec2ApiError(creating, operation, "InvalidSubnetID.NotFound", `The subnet ID '${id}' does not exist`);
        }
        return subnet;
    }
}
