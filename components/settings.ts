/**
 * From args to settings: flattening, the synchronous check of plain values, and the asynchronous checks
 * once Outputs, existing subnets and AWS's facts resolve. The component wires resources from the result;
 * an input read from it is secret only where an arg it reads is.
 */
import * as pulumi from "@pulumi/pulumi";
import type { DualSubnetEniInstanceArgs } from "./args";
import {
    LookupOptions,
    lookUpAmazonLinux2023Ami,
    lookUpAmi,
    lookUpAwsFacts,
    lookUpInstanceProfile,
    lookUpKeyPair,
    lookUpRoutesToInternetGateway,
    lookUpSsmParameter,
    lookUpSubnet,
} from "./awsLookups";
import type { LookupFacts } from "./awsLookups";
import { FieldLabel, throwIfProblems } from "./errors";
import { runOptionalChecks } from "./optionalChecks";
import { checkArgs } from "./rules/argRules";
import { amiArchitecture, checkAgainstAws, checkExistingNetwork, checkLookups } from "./rules/awsRules";
import { checkExistingSubnetsIpv6, checkIpv6AgainstType } from "./rules/ipv6Rules";
import { checkPrefixes } from "./rules/prefixRules";
import { type CheckedArgs, type RawArgs, usesExistingNetwork, type ValidatedField, type ValidationProblem } from "./rules/fields";
import { checkGuestNetworkImage } from "./rules/userDataRules";

/** The args by validated field, each still an Input; an arg left unset is absent. */
export type ArgInputs = { readonly [F in ValidatedField]?: pulumi.Input<unknown> };

/**
 * The checked args, with the AMI to run, the AWS provider's region and, for a public side in a Local or Wavelength
 * Zone, the network border group its Elastic IP comes from (absent in an Availability Zone: the region's).
 */
export type Settings = CheckedArgs & { readonly ami: string; readonly region: string; readonly networkBorderGroup?: string };

/** Defaults the component fills in before checking. */
export interface ArgDefaults {
    readonly name: string;
    readonly instanceType: string;
    readonly namePrefix: string;
}

/** What an unset arg means to the checks and the children. */
export const UNSET_ARGS = {
    tags: {},
    networkInterfaceSecondaryPrivateIpCount: 0,
    instanceSecondaryPrivateIps: [],
    networkInterfaceSecondaryPrivateIps: [],
    ipv6: false,
    networkInterfaceIpv4PrefixCount: 0,
    networkInterfaceIpv6PrefixCount: 0,
    instanceIngress: [],
    networkInterfaceIngress: [],
    publicInterface: "none",
    ssmAccess: false,
    standbyInstance: false,
    guestNetwork: false,
    activeInstance: "primary",
    automaticFailover: false,
} as const satisfies ArgInputs;

/**
 * The args by the field names checks and errors use, every arg as given (no list of args here: a new arg
 * of the interface is a field as it is); `existingNetwork`'s ids become fields of their own.
 */
export function flattenArgs(args: DualSubnetEniInstanceArgs, defaults: ArgDefaults): ArgInputs {
    const { existingNetwork, ...own } = args;
    const given = { ...own, ...Object.fromEntries(Object.entries(existingNetwork ?? {}).map(([key, id]) => [`existingNetwork.${key}`, id])) };
    const unset: ArgInputs = { ...UNSET_ARGS, instanceType: defaults.instanceType };
    // As `??` would: undefined is unset, and so is null where the component fills in a value.
    const set = Object.fromEntries(Object.entries(given).filter(([field, value]) => value !== undefined && !(value === null && field in unset)));
    return { ...unset, ...set, name: defaults.name, namePrefix: defaults.namePrefix };
}

/** True for a value that is not known yet, or holds one in a list or map: an Output or a promise. */
export function isPending(value: unknown): boolean {
    if (pulumi.Output.isInstance(value) || value instanceof Promise) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(isPending);
    }
    return value !== null && typeof value === "object" && Object.values(value).some(isPending);
}

/** Every problem in the values known now; Output and promise values wait. */
export function knownArgProblems(inputs: ArgInputs): ValidationProblem[] {
    const pending = new Set((Object.keys(inputs) as ValidatedField[]).filter((field) => isPending(inputs[field])));
    return checkArgs(inputs, pending);
}

/** Throws the validation error for every problem in the values known now; Output and promise values wait. */
export function checkKnownArgs(componentName: string, inputs: ArgInputs, label: FieldLabel): void {
    throwIfProblems(componentName, knownArgProblems(inputs), label);
}

/**
 * The checked settings as the children read them. `apply` waits for every check, so no resource that takes
 * an input from it is registered unless all pass; its result is secret exactly where an arg it reads was
 * given as a secret (or holds one), and plain otherwise, whatever other arg is secret.
 */
export interface SettingsView {
    readonly apply: {
        <T>(read: (settings: Settings) => pulumi.Output<T>): pulumi.Output<T>;
        <T>(read: (settings: Settings) => T): pulumi.Output<T>;
    };
}

/**
 * Optional args whose own checks can be skipped when their value is not known: a secret the offline plan
 * cannot decrypt, an output a preview has not resolved. The other checks still run; a child input made from
 * such an arg stays unknown. Any other unknown arg leaves the settings unknown until it resolves.
 */
const CHECKS_SKIPPED_WHEN_UNKNOWN: readonly ValidatedField[] = [
    "ami",
    "instancePrivateIp",
    "networkInterfacePrivateIp",
    "keyName",
    "userData",
    "iamInstanceProfile",
    "rootVolumeSizeGiB",
];

/** What an error shows instead of a secret arg's value. */
export const SECRET_PLACEHOLDER = "[secret]";

/**
 * Checks every arg once the values are known, asking AWS through `parent`'s provider, and gives the settings
 * to the children. A failed check rejects every child input with the validation error; a secret arg's value
 * never appears in it.
 */
export function resolveSettings(componentName: string, inputs: ArgInputs, label: FieldLabel, parent: pulumi.Resource): SettingsView {
    const sources: Record<string, pulumi.Output<unknown>> = Object.fromEntries(Object.entries(inputs).map(([field, input]) => [field, pulumi.output(input)]));
    const checked = argValues(sources).then(async ({ values, unknown }): Promise<Settings | undefined> => {
        if ([...unknown].some((field) => !CHECKS_SKIPPED_WHEN_UNKNOWN.includes(field))) {
            return undefined;
        }
        const secrets = await secretValues(sources, values);
        const known = Object.fromEntries(Object.entries(values).filter(([field]) => !unknown.has(field as ValidatedField))) as RawArgs;
        return checkedSettings(known, unknown, { parent }, (problems) => throwIfProblems(componentName, withoutSecrets(problems, secrets), label));
    });
    // One gate for the checks, never secret: each child input takes its secretness (and the resources it
    // depends on) from the args it reads instead (`readFrom`).
    const gate = pulumi.output(checked).apply((settings) => settings ?? pulumi.output(pulumi.unknown)) as pulumi.Output<Settings>;
    return { apply: <T>(read: (settings: Settings) => T) => gate.apply((settings) => readFrom(settings, read, sources)) };
}

/**
 * Every arg's value once its Output resolves, and the args whose value is not known (a preview's output of a
 * resource not created yet, a secret the offline plan cannot decrypt): read as the SDK serializes resource inputs
 * for the engine (`pulumi.runtime.serializeProperties`), which gives `pulumi.runtime.unknownValue` for an unknown
 * value and wraps a secret one, so the other args' checks still run.
 */
async function argValues(sources: Readonly<Record<string, pulumi.Output<unknown>>>): Promise<{ values: RawArgs; unknown: Set<ValidatedField> }> {
    const serialized = await pulumi.runtime.serializeProperties("DualSubnetEniInstance args", sources);
    const unknown = new Set((Object.keys(serialized) as ValidatedField[]).filter((field) => holdsUnknown(serialized[field])));
    return { values: revealed(serialized) as RawArgs, unknown };
}

function holdsUnknown(value: unknown): boolean {
    if (value === pulumi.runtime.unknownValue) {
        return true;
    }
    return value !== null && typeof value === "object" && Object.values(value).some(holdsUnknown);
}

/** A serialized value with every secret wrapper, at any depth, replaced by the value it holds. */
function revealed(value: unknown): unknown {
    const plain: unknown = pulumi.runtime.unwrapRpcSecret(value);
    if (Array.isArray(plain)) {
        return plain.map(revealed);
    }
    return plain !== null && typeof plain === "object" ? Object.fromEntries(Object.entries(plain).map(([key, item]) => [key, revealed(item)])) : plain;
}

/** `read`'s value, as an Output that is secret (or unknown) where a source of a field it reads is. */
function readFrom<T>(settings: Settings, read: (settings: Settings) => T, sources: Readonly<Record<string, pulumi.Output<unknown>>>): pulumi.Output<T> {
    const fieldsRead = new Set<string>();
    const tracked = new Proxy(settings, {
        get: (target, key, receiver) => {
            fieldsRead.add(String(key));
            return Reflect.get(target, key, receiver) as unknown;
        },
        ownKeys: (target) => {
            Object.keys(target).forEach((key) => fieldsRead.add(key));
            return Reflect.ownKeys(target);
        },
    });
    const value = read(tracked);
    return pulumi.all([...fieldsRead].filter((field) => field in sources).map((field) => sources[field])).apply(() => value);
}

/** Runs every check on the known values and returns the settings; `fail` throws for any problem found. */
async function checkedSettings(values: RawArgs, unknown: ReadonlySet<ValidatedField>, opts: LookupOptions, fail: (problems: ValidationProblem[]) => void): Promise<Settings> {
    fail(checkArgs(values, unknown));
    let checked = values as unknown as CheckedArgs;
    let existingSubnets: Parameters<typeof runOptionalChecks>[2];
    if (usesExistingNetwork(values)) {
        const [primary, secondary] = await Promise.all(
            [checked["existingNetwork.primarySubnetId"]!, checked["existingNetwork.secondarySubnetId"]!].map((id) => lookUpSubnet(id, opts)),
        );
        fail([...checkExistingNetwork(checked, { primary, secondary }), ...checkExistingSubnetsIpv6(checked, { primary, secondary })]);
        fail(checkArgs(values, unknown, { primary: primary!.cidrBlock, secondary: secondary!.cidrBlock }));
        checked = { ...checked, availabilityZone: primary!.availabilityZone };
        existingSubnets = { primary: primary!, secondary: secondary! };
    }
    const [facts, resourceFacts] = await Promise.all([lookUpAwsFacts(checked.instanceType, opts), lookUpResources(checked, opts)]);
    const awsProblems = [...checkAgainstAws(checked, facts), ...checkIpv6AgainstType(checked, facts.instanceType), ...checkPrefixes(checked, facts.instanceType)];
    if (awsProblems.length > 0) {
        fail([...awsProblems, ...checkLookups(checked, facts.instanceType, resourceFacts)]);
    }
    // checkAgainstAws refused a type without an Amazon Linux architecture unless an AMI was given.
    const ami = checked.ami ?? (await lookUpAmazonLinux2023Ami(amiArchitecture(facts.instanceType!.supportedArchitectures)!, opts));
    const { imageId, ...amiFacts } = checked.ami !== undefined || checked.rootVolumeSizeGiB !== undefined ? await lookUpImage(ami, opts) : { imageId: ami };
    const optional = await runOptionalChecks(checked, facts.region, existingSubnets, opts);
    fail([...checkLookups(checked, facts.instanceType, { ...resourceFacts, ...amiFacts }), ...checkGuestNetworkImage(checked, amiFacts.ami), ...optional.problems]);
    // A `resolve:ssm:` AMI becomes the image id it names: the provider reads the root device of the literal `ami`.
    return { ...checked, ami: imageId!, region: facts.region, ...(optional.networkBorderGroup === undefined ? {} : { networkBorderGroup: optional.networkBorderGroup }) };
}

/** The values of the fields given as secrets (or holding one), by field. */
async function secretValues(sources: Readonly<Record<string, pulumi.Output<unknown>>>, values: RawArgs): Promise<Map<ValidatedField, unknown>> {
    const secret = await Promise.all(Object.entries(sources).map(async ([field, source]) => ((await pulumi.isSecret(source)) ? [field] : [])));
    return new Map(secret.flat().map((field) => [field as ValidatedField, values[field as ValidatedField]]));
}

/** The problems with every secret's plaintext replaced: a secret field's value, and any secret text a reason quotes. */
export function withoutSecrets(problems: readonly ValidationProblem[], secrets: ReadonlyMap<ValidatedField, unknown>): ValidationProblem[] {
    const texts = [...secrets.values()].flatMap(textsOf).filter((text) => text !== "");
    const redact = (reason: string) => texts.reduce((redacted, text) => redacted.split(text).join(SECRET_PLACEHOLDER), reason);
    return problems.map((problem) => ({
        ...problem,
        ...(secrets.has(problem.field) ? { value: SECRET_PLACEHOLDER } : {}),
        reason: redact(problem.reason),
    }));
}

/** Every text in a value, and in the lists and maps it holds. */
function textsOf(value: unknown): string[] {
    if (typeof value === "string") {
        return [value];
    }
    return value !== null && typeof value === "object" ? Object.values(value).flatMap(textsOf) : [];
}

/** The key pair, instance profile and (existing network, public side) routes the args name, where they do. */
async function lookUpResources(args: CheckedArgs, opts: LookupOptions): Promise<LookupFacts> {
    const publicSubnet =
        args.publicInterface === "none" || !usesExistingNetwork(args)
            ? undefined
            : args[args.publicInterface === "instance" ? "existingNetwork.primarySubnetId" : "existingNetwork.secondarySubnetId"];
    const [keyPairFound, instanceProfileFound, publicSubnetRoutesToInternetGateway] = await Promise.all([
        args.keyName === undefined ? undefined : lookUpKeyPair(args.keyName, opts),
        args.iamInstanceProfile === undefined ? undefined : lookUpInstanceProfile(args.iamInstanceProfile, opts),
        publicSubnet === undefined ? undefined : lookUpRoutesToInternetGateway(publicSubnet, args["existingNetwork.vpcId"]!, opts),
    ]);
    return { keyPairFound, instanceProfileFound, publicSubnetRoutesToInternetGateway };
}

/** The image behind an AMI id or a `resolve:ssm:` parameter, and its id. */
async function lookUpImage(ami: string, opts: LookupOptions): Promise<LookupFacts & { imageId?: string }> {
    const parameter = /^resolve:ssm:(.+)$/.exec(ami)?.[1];
    const id = parameter === undefined ? ami : await lookUpSsmParameter(parameter, opts);
    return id === undefined ? { missingAmiParameter: parameter } : { imageId: id, ami: await lookUpAmi(id, opts) };
}
