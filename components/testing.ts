/**
 * Unit-test support for the component, for this project's tests and for consumers':
 * `await pulumi.runtime.setMocks(createMocks(), "project", "stack", false)`.
 *
 * The mocks answer like AWS where it matters: AWS-shaped ids (`vpc-…`, `subnet-…`, `i-…`, `eni-…`,
 * `eni-attach-…`), deterministic for a given resource name; private IPs drawn from the right subnet,
 * past the addresses AWS reserves; availability zones echoed. An invoke they do not know throws, so a
 * missing mock cannot pass silently.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { numberToIpv4, parseIpv4, parseIpv4Cidr } from "./cidr";
import { amazonLinux2023Parameter } from "./awsLookups";

/** What `aws.ec2.getInstanceType` answers for a mocked instance type. */
export interface MockInstanceType {
    readonly maximumNetworkInterfaces: number;
    readonly maximumIpv4AddressesPerInterface: number;
    readonly supportedArchitectures: readonly string[];
    /** Zone-name suffixes (`["a", "b"]`) where the type is offered. Default: every zone of the region. */
    readonly zoneSuffixes?: readonly string[];
}

/** A subnet that exists before the program runs, for `aws.ec2.getSubnet`. */
export interface MockSubnet {
    readonly id: string;
    readonly vpcId: string;
    readonly cidrBlock: string;
    readonly availabilityZone: string;
}

export interface MockOptions {
    /** Region of the mocked AWS provider. Default: the `aws:region` config, else `ap-south-1`. */
    readonly region?: string;
    /** Zone-name suffixes of the region's available zones. Default `["a", "b", "c"]`. */
    readonly zoneSuffixes?: readonly string[];
    /** Instance types added to (or replacing) the built-in table of common types. */
    readonly instanceTypes?: Readonly<Record<string, MockInstanceType>>;
    /** Subnets that exist already. */
    readonly existingSubnets?: readonly MockSubnet[];
}

type Limits = readonly [maximumNetworkInterfaces: number, maximumIpv4AddressesPerInterface: number];
const BURSTABLE_SIZES: Readonly<Record<string, Limits>> = { nano: [2, 2], micro: [2, 2], small: [3, 4], medium: [3, 6], large: [3, 12], xlarge: [4, 15], "2xlarge": [4, 15] };
const STANDARD_SIZES: Readonly<Record<string, Limits>> = { medium: [2, 4], large: [3, 10], xlarge: [4, 15], "2xlarge": [4, 15], "4xlarge": [8, 30] };
const FAMILIES: readonly [families: readonly string[], architecture: string, sizes: Readonly<Record<string, Limits>>][] = [
    [["t3", "t3a"], "x86_64", BURSTABLE_SIZES],
    [["t4g"], "arm64", BURSTABLE_SIZES],
    [["m5", "m6i", "m7i", "c5", "c6i", "c7i", "r5", "r6i", "r7i"], "x86_64", STANDARD_SIZES],
    [["m6g", "m7g", "c6g", "c7g", "r6g", "r7g"], "arm64", STANDARD_SIZES],
];

/** Common current instance types with the ENI and per-interface IPv4 limits AWS documents for them. */
export const MOCK_INSTANCE_TYPES: Readonly<Record<string, MockInstanceType>> = {
    ...Object.fromEntries(
        FAMILIES.flatMap(([families, architecture, sizes]) =>
            families.flatMap((family) =>
                Object.entries(sizes).map(([size, [maximumNetworkInterfaces, maximumIpv4AddressesPerInterface]]) => [
                    `${family}.${size}`,
                    { maximumNetworkInterfaces, maximumIpv4AddressesPerInterface, supportedArchitectures: [architecture] },
                ]),
            ),
        ),
    ),
    "t2.micro": { maximumNetworkInterfaces: 2, maximumIpv4AddressesPerInterface: 2, supportedArchitectures: ["i386", "x86_64"] },
    "mac2.metal": { maximumNetworkInterfaces: 8, maximumIpv4AddressesPerInterface: 30, supportedArchitectures: ["arm64_mac"] },
};

/** The AMI id the mocks answer for an architecture's Amazon Linux 2023 parameter. */
export function mockAmiId(architecture: string): string {
    return `ami-${hex(`al2023-${architecture}`, 17)}`;
}

/** An invoke failure as the engine reports one (its text in `details`, which the SDK turns into the message). */
function invokeError(message: string): Error {
    return Object.assign(new Error(message), { details: message });
}

function hex(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

const ID_PREFIXES: Readonly<Record<string, string>> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:ec2/instance:Instance": "i",
    "aws:ec2/networkInterface:NetworkInterface": "eni",
    "aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment": "eni-attach",
};

/** Resolves once every output has; rejects with the program's first unhandled error (such as a failed check). */
export function resolveAll(outputs: readonly pulumi.Output<unknown>[]): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
        const fail = (reason: unknown) => {
            process.off("unhandledRejection", fail);
            reject(reason);
        };
        process.on("unhandledRejection", fail);
        Promise.all(outputs.map((output) => new Promise((done) => output.apply(done)))).then((values) => {
            process.off("unhandledRejection", fail);
            resolve(values);
        });
    });
}

/**
 * `awsx.ec2.Vpc` is a remote component: under mocks it is one resource with no children, whose outputs
 * are whatever the mocks return. This lays out its subnets the way awsx does in kind (per zone, private
 * first, then public, then isolated) with `/24`s, or each spec's `cidrMask`, taken in order from the VPC's
 * block, and records them so that `aws.ec2.getSubnet` finds them.
 */
function mockAwsxVpc(
    id: string,
    name: string,
    inputs: { cidrBlock?: string; availabilityZoneNames?: string[]; numberOfAvailabilityZones?: number; subnetSpecs?: { type: string; cidrMask?: number }[] },
    regionZones: string[],
    addSubnet: (subnet: MockSubnet) => void,
): Record<string, unknown> {
    const vpcId = `vpc-${hex(id, 17)}`;
    const vpcBlock = parseIpv4Cidr(inputs.cidrBlock ?? "10.0.0.0/16");
    if (!vpcBlock.ok) {
        throw new Error(`awsx:ec2:Vpc ${name}: ${vpcBlock.reason}`);
    }
    const zones = inputs.availabilityZoneNames ?? regionZones.slice(0, inputs.numberOfAvailabilityZones ?? 3);
    const order = ["Private", "Public", "Isolated"];
    const specs = [...(inputs.subnetSpecs ?? [{ type: "Private" }, { type: "Public" }])].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
    const ids: Record<string, string[]> = { Private: [], Public: [], Isolated: [] };
    let next = vpcBlock.cidr.network;
    for (const [index, spec] of specs.entries()) {
        for (const zone of zones) {
            const size = 2 ** (32 - (spec.cidrMask ?? 24));
            next = Math.ceil(next / size) * size;
            const subnetId = `subnet-${hex(`${id}-${index}-${zone}`, 17)}`;
            addSubnet({ id: subnetId, vpcId, availabilityZone: zone, cidrBlock: `${numberToIpv4(next)}/${32 - Math.log2(size)}` });
            ids[spec.type]?.push(subnetId);
            next += size;
        }
    }
    return { vpcId, privateSubnetIds: ids.Private, publicSubnetIds: ids.Public, isolatedSubnetIds: ids.Isolated };
}

/** Hands out private IPs from a subnet like AWS: never one of the first four or the broadcast address. */
class SubnetAddresses {
    private readonly used = new Set<number>();
    private next: number;
    private readonly last: number;

    constructor(cidrBlock: string) {
        const parsed = parseIpv4Cidr(cidrBlock);
        if (!parsed.ok) {
            throw new Error(`mock subnet has an invalid CIDR ${cidrBlock}`);
        }
        this.next = parsed.cidr.network + 4;
        this.last = parsed.cidr.broadcast - 1;
    }

    take(fixed?: string): string {
        if (fixed !== undefined) {
            const address = parseIpv4(fixed) ?? Number.NaN;
            if (this.used.has(address)) {
                throw new Error(`InvalidIPAddress.InUse: Address ${fixed} is in use`);
            }
            this.used.add(address);
            return fixed;
        }
        while (this.used.has(this.next)) {
            this.next++;
        }
        if (this.next > this.last) {
            throw new Error("InsufficientFreeAddressesInSubnet");
        }
        this.used.add(this.next);
        return numberToIpv4(this.next++);
    }
}

/** Pulumi mocks that behave like the parts of AWS this component touches. */
export function createMocks(options: MockOptions = {}): pulumi.runtime.Mocks {
    const instanceTypes = { ...MOCK_INSTANCE_TYPES, ...options.instanceTypes };
    const subnets = new Map<string, MockSubnet & { addresses: SubnetAddresses }>();
    const addSubnet = (subnet: MockSubnet) => subnets.set(subnet.id, { ...subnet, addresses: new SubnetAddresses(subnet.cidrBlock) });
    (options.existingSubnets ?? []).forEach(addSubnet);

    // Regions of explicit AWS providers by name, so invokes made through one answer for its region.
    // An invoke names its provider as "<urn>::<id>", and the URN ends in "::<name>".
    const providerRegions = new Map<string, string>();
    const regionOf = (inputs: { region?: string }, provider?: string) =>
        inputs.region ??
        (provider ? providerRegions.get(provider.split("::").slice(-2)[0]) : undefined) ??
        options.region ??
        pulumi.runtime.getConfig("aws:region") ??
        "ap-south-1";
    const zonesOf = (region: string, suffixes: readonly string[] = options.zoneSuffixes ?? ["a", "b", "c"]) =>
        suffixes.map((suffix) => `${region}${suffix}`);
    const subnetOf = (id: string) => {
        const subnet = subnets.get(id);
        if (!subnet) {
            throw invokeError(`InvalidSubnetID.NotFound: The subnet ID '${id}' does not exist`);
        }
        return subnet;
    };

    return {
        newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
            const prefix = ID_PREFIXES[args.type];
            const id = prefix ? `${prefix}-${hex(`${args.type}::${args.name}`, 17)}` : `${args.name}-id`;
            const inputs = args.inputs;
            const arn = `arn:aws:ec2:${regionOf(inputs, args.provider)}:123456789012:${args.type.split(":").pop()?.toLowerCase()}/${id}`;
            switch (args.type) {
                case "pulumi:providers:aws":
                    providerRegions.set(args.name, inputs.region);
                    return { id, state: inputs };
                case "aws:ec2/vpc:Vpc":
                    return { id, state: { ...inputs, arn, defaultSecurityGroupId: `sg-${hex(id, 17)}`, mainRouteTableId: `rtb-${hex(id, 17)}` } };
                case "aws:ec2/subnet:Subnet":
                    addSubnet({ id, vpcId: inputs.vpcId, cidrBlock: inputs.cidrBlock, availabilityZone: inputs.availabilityZone });
                    return { id, state: { ...inputs, arn } };
                case "aws:ec2/instance:Instance": {
                    const subnet = subnetOf(inputs.subnetId);
                    const privateIp = subnet.addresses.take(inputs.privateIp);
                    const primaryNetworkInterfaceId = `eni-${hex(`${id}-primary`, 17)}`;
                    return { id, state: { ...inputs, arn, privateIp, availabilityZone: subnet.availabilityZone, primaryNetworkInterfaceId } };
                }
                case "aws:ec2/networkInterface:NetworkInterface": {
                    const subnet = subnetOf(inputs.subnetId);
                    const privateIp = subnet.addresses.take(inputs.privateIps?.[0]);
                    const secondaries = Array.from({ length: inputs.privateIpsCount ?? 0 }, () => subnet.addresses.take());
                    const macAddress = `02:${hex(id, 10).match(/../g)!.join(":")}`;
                    return { id, state: { ...inputs, arn, privateIp, privateIps: [privateIp, ...secondaries], macAddress } };
                }
                case "awsx:ec2:Vpc":
                    return { id, state: mockAwsxVpc(id, args.name, inputs, zonesOf(regionOf(inputs, args.provider)), addSubnet) };
                case "aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment":
                    return { id, state: { ...inputs, attachmentId: id, status: "attached" } };
                default:
                    return { id, state: { ...inputs, ...(prefix ? { arn } : {}) } };
            }
        },

        call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
            const inputs = args.inputs;
            const region = regionOf(inputs, args.provider);
            switch (args.token) {
                case "aws:index/getAvailabilityZones:getAvailabilityZones": {
                    const names = zonesOf(region);
                    return { id: region, region, names, zoneIds: names.map((_, i) => `${region.replace(/-/g, "")}-az${i + 1}`), groupNames: [region] };
                }
                case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": {
                    const wanted: string[] = inputs.filters?.find((f: { name: string }) => f.name === "instance-type")?.values ?? [];
                    const offers = wanted.flatMap((type) =>
                        instanceTypes[type] ? zonesOf(region, instanceTypes[type].zoneSuffixes).map((zone) => ({ type, zone })) : [],
                    );
                    return {
                        id: region,
                        region,
                        instanceTypes: offers.map((offer) => offer.type),
                        locations: offers.map((offer) => offer.zone),
                        locationTypes: offers.map(() => "availability-zone"),
                    };
                }
                case "aws:ec2/getInstanceType:getInstanceType": {
                    const type = instanceTypes[inputs.instanceType];
                    if (!type) {
                        throw invokeError(`InvalidInstanceType: The following supplied instance types do not exist: [${inputs.instanceType}]`);
                    }
                    return { ...type, id: inputs.instanceType, instanceType: inputs.instanceType, region };
                }
                case "aws:ssm/getParameter:getParameter": {
                    const architecture = (["x86_64", "arm64"] as const).find((arch) => amazonLinux2023Parameter(arch) === inputs.name);
                    if (!architecture) {
                        throw invokeError(`ParameterNotFound: ${inputs.name}`);
                    }
                    const value = mockAmiId(architecture);
                    return { id: inputs.name, name: inputs.name, type: "String", value, insecureValue: value, version: 1, region };
                }
                case "aws:ec2/getSubnet:getSubnet": {
                    const { addresses, ...subnet } = subnetOf(inputs.id);
                    return { ...subnet, region, availabilityZoneId: `${region.replace(/-/g, "")}-az1` };
                }
                default:
                    throw invokeError(`createMocks: no mock for invoke ${args.token}; it answers only the data sources DualSubnetEniInstance calls`);
            }
        },
    };
}

/** One resource registration as the engine would receive it, options included. */
export interface RecordedRegistration {
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    /** URN of the parent, or "" for the stack itself. */
    readonly parent: string;
    /** URNs of the resources this one depends on (inputs and `dependsOn`). */
    readonly dependencies: readonly string[];
    /** For each input, the URNs of the resources its value came from: the data dependencies. */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    readonly deleteBeforeReplace: boolean;
    readonly ignoreChanges: readonly string[];
    readonly inputs: Record<string, unknown>;
    /** The id the mocks gave it, once registered. */
    id?: string;
}

/** Registrations in the order the engine received them, and a way to wait for the program to go quiet. */
export type Registrations = RecordedRegistration[] & {
    /** Resolves once no registration or data-source call is in flight and none has started for a turn of the event loop. */
    settled(): Promise<void>;
};

/**
 * Records every resource registration from now on (call after `setMocks`, or pass a monitor of your own). Resource options such as
 * `deleteBeforeReplace` and `parent` never reach `Mocks.newResource`; the monitor's request carries them.
 */
export function recordRegistrations(monitorToRecord: object | undefined = pulumi.runtime.getMonitor()): Registrations {
    const monitor = monitorToRecord as MonitorCalls | undefined;
    let inFlight = 0;
    let activity = 0;
    const settled = async () => {
        for (let seen = -1; inFlight > 0 || seen !== activity; ) {
            seen = activity;
            await new Promise((resolve) => setTimeout(resolve, 1));
        }
    };
    const recorded = Object.defineProperty([] as RecordedRegistration[], "settled", { value: settled, enumerable: false }) as Registrations;
    if (!monitor) {
        throw new Error("recordRegistrations: call pulumi.runtime.setMocks first");
    }
    const track = <R>(call: (request: R, callback: Callback) => unknown, onResponse?: (response: unknown) => void) =>
        (request: R, callback: Callback) => {
            inFlight++;
            activity++;
            return call(request, (error, response) => {
                inFlight--;
                activity++;
                onResponse?.(response);
                callback(error, response);
            });
        };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
        const registration: RecordedRegistration = {
            type: request.getType(),
            name: request.getName(),
            custom: request.getCustom(),
            parent: request.getParent(),
            dependencies: request.getDependenciesList(),
            propertyDependencies: propertyDependenciesOf(request),
            deleteBeforeReplace: request.getDeletebeforereplace(),
            ignoreChanges: request.getIgnorechangesList(),
            inputs: pulumi.runtime.deserializeProperties(request.getObject() as Parameters<typeof pulumi.runtime.deserializeProperties>[0]),
        };
        recorded.push(registration);
        const withId = (response: unknown) => (registration.id = (response as { getId?(): string } | undefined)?.getId?.());
        return track(register, withId)(request, callback);
    };
    monitor.registerResourceOutputs = track(monitor.registerResourceOutputs.bind(monitor));
    monitor.invoke = track(monitor.invoke.bind(monitor));
    return recorded;
}

type Callback = (error: unknown, response: unknown) => void;

function propertyDependenciesOf(request: RegisterResourceRequest): Record<string, string[]> {
    const dependencies: Record<string, string[]> = {};
    request.getPropertydependenciesMap().forEach((urns, key) => (dependencies[key] = urns.getUrnsList()));
    return dependencies;
}

interface MonitorCalls {
    registerResource(request: RegisterResourceRequest, callback: Callback): unknown;
    registerResourceOutputs(request: unknown, callback: Callback): unknown;
    invoke(request: unknown, callback: Callback): unknown;
}

/** The fields of the engine's RegisterResourceRequest that `recordRegistrations` reads. */
interface RegisterResourceRequest {
    getType(): string;
    getName(): string;
    getCustom(): boolean;
    getParent(): string;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(callback: (urns: { getUrnsList(): string[] }, key: string) => void): void };
    getDeletebeforereplace(): boolean;
    getIgnorechangesList(): string[];
    getObject(): unknown;
}

/**
 * Makes unit tests under Pulumi's mocks several times faster. The Pulumi SDK formats a stack trace for
 * every promise and resource it creates (`new Error().stack`, kept for leak and source-position reports
 * that mocks never use); through source-map support that formatting dominates a test's time. After this
 * call those message-less `Error`s format to "" while every other error keeps its full, source-mapped
 * trace. Call it once, after any source-map support (ts-node) is installed, e.g. from a mocha `--require`.
 */
export function skipPulumiStackCaptures(): void {
    const format = Error.prepareStackTrace;
    if ((format as { skipsPulumiCaptures?: boolean } | undefined)?.skipsPulumiCaptures) {
        return;
    }
    const prepare = (error: Error, frames: NodeJS.CallSite[]): unknown => {
        if (error instanceof Error && error.constructor === Error && error.message === "") {
            return "";
        }
        return format ? format(error, frames) : `${error}\n${frames.map((frame) => `    at ${frame}`).join("\n")}`;
    };
    Error.prepareStackTrace = Object.assign(prepare, { skipsPulumiCaptures: true });
}
