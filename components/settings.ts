/**
 * From args to settings: flattening, the synchronous check of plain values, and the asynchronous checks
 * once Outputs, existing subnets and AWS's facts resolve. The component wires resources from the result.
 */
import * as pulumi from "@pulumi/pulumi";
import type { DualSubnetEniInstanceArgs } from "./dualSubnetEniInstance";
import {
    LookupOptions,
    lookUpAmazonLinux2023Ami,
    lookUpAmi,
    lookUpAwsFacts,
    lookUpEndpointService,
    lookUpInstanceProfile,
    lookUpKeyPair,
    lookUpRoutesToInternetGateway,
    lookUpRulesQuota,
    lookUpSsmParameter,
    lookUpSubnet,
} from "./awsLookups";
import { FieldLabel, throwIfProblems } from "./errors";
import { SSM_ENDPOINT_SERVICES } from "./naming";
import {
    amiArchitecture,
    checkAgainstAws,
    checkEndpointServices,
    checkArgs,
    CheckedArgs,
    createsSsmEndpoints,
    checkExistingNetwork,
    checkLookups,
    checkRulesQuota,
    LookupFacts,
    needsRulesQuota,
    RawArgs,
    usesExistingNetwork,
    ValidatedField,
    ValidationProblem,
} from "./validation";

/** The args by validated field, each still an Input. */
export type ArgInputs = { readonly [F in ValidatedField]: pulumi.Input<unknown> };

/** The checked args, with the AMI to run and the AWS provider's region. */
export type Settings = CheckedArgs & { readonly ami: string; readonly region: string };

/** Defaults the component fills in before checking. */
export interface ArgDefaults {
    readonly name: string;
    readonly instanceType: string;
    readonly namePrefix: string;
}

/** The args by the field names checks and errors use: `existingNetwork.*` ids become fields of their own. */
export function flattenArgs(args: DualSubnetEniInstanceArgs, defaults: ArgDefaults): ArgInputs {
    return {
        availabilityZone: args.availabilityZone,
        vpcCidrBlock: args.vpcCidrBlock,
        primarySubnetCidrBlock: args.primarySubnetCidrBlock,
        secondarySubnetCidrBlock: args.secondarySubnetCidrBlock,
        "existingNetwork.vpcId": args.existingNetwork?.vpcId,
        "existingNetwork.primarySubnetId": args.existingNetwork?.primarySubnetId,
        "existingNetwork.secondarySubnetId": args.existingNetwork?.secondarySubnetId,
        name: defaults.name,
        instanceType: args.instanceType ?? defaults.instanceType,
        ami: args.ami,
        namePrefix: defaults.namePrefix,
        tags: args.tags ?? {},
        instancePrivateIp: args.instancePrivateIp,
        networkInterfacePrivateIp: args.networkInterfacePrivateIp,
        networkInterfaceSecondaryPrivateIpCount: args.networkInterfaceSecondaryPrivateIpCount ?? 0,
        instanceSecondaryPrivateIps: args.instanceSecondaryPrivateIps ?? [],
        networkInterfaceSecondaryPrivateIps: args.networkInterfaceSecondaryPrivateIps ?? [],
        instanceIngress: args.instanceIngress ?? [],
        networkInterfaceIngress: args.networkInterfaceIngress ?? [],
        instanceSourceDestCheck: args.instanceSourceDestCheck,
        networkInterfaceSourceDestCheck: args.networkInterfaceSourceDestCheck,
        publicInterface: args.publicInterface ?? "none",
        keyName: args.keyName,
        userData: args.userData,
        iamInstanceProfile: args.iamInstanceProfile,
        rootVolumeSizeGiB: args.rootVolumeSizeGiB,
        ssmAccess: args.ssmAccess ?? false,
        standbyInstance: args.standbyInstance ?? false,
        activeInstance: args.activeInstance ?? "primary",
    };
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

/** Throws the validation error for every problem in the values known now; Output and promise values wait. */
export function checkKnownArgs(componentName: string, inputs: ArgInputs, label: FieldLabel): void {
    const pending = new Set((Object.keys(inputs) as ValidatedField[]).filter((field) => isPending(inputs[field])));
    throwIfProblems(componentName, checkArgs(inputs as RawArgs, pending), label);
}

/**
 * The settings once every value is known and every check passed, asking AWS through `parent`'s provider.
 * Rejects with the validation error otherwise, so nothing that takes an input from it is registered.
 */
export function resolveSettings(componentName: string, inputs: ArgInputs, label: FieldLabel, parent: pulumi.Resource): pulumi.Output<Settings> {
    const fail = (problems: ValidationProblem[]) => throwIfProblems(componentName, problems, label);
    const opts = { parent };
    return pulumi.all(inputs).apply(async (values) => {
        fail(checkArgs(values));
        let checked = values as unknown as CheckedArgs;
        if (usesExistingNetwork(values)) {
            const [primary, secondary] = await Promise.all(
                [checked["existingNetwork.primarySubnetId"]!, checked["existingNetwork.secondarySubnetId"]!].map((id) => lookUpSubnet(id, opts)),
            );
            fail(checkExistingNetwork(checked, { primary, secondary }));
            fail(checkArgs(values, new Set(), { primary: primary!.cidrBlock, secondary: secondary!.cidrBlock }));
            checked = { ...checked, availabilityZone: primary!.availabilityZone };
        }
        const [facts, resourceFacts] = await Promise.all([lookUpAwsFacts(checked.instanceType, opts), lookUpResources(checked, opts)]);
        const awsProblems = checkAgainstAws(checked, facts);
        if (awsProblems.length > 0) {
            fail([...awsProblems, ...checkLookups(checked, facts.instanceType, resourceFacts)]);
        }
        // checkAgainstAws refused a type without an Amazon Linux architecture unless an AMI was given.
        const ami = checked.ami ?? (await lookUpAmazonLinux2023Ami(amiArchitecture(facts.instanceType!.supportedArchitectures)!, opts));
        const { imageId, ...amiFacts } = checked.ami !== undefined || checked.rootVolumeSizeGiB !== undefined ? await lookUpImage(ami, opts) : { imageId: ami };
        fail([...checkLookups(checked, facts.instanceType, { ...resourceFacts, ...amiFacts }), ...(await checkOptionalServices(checked, opts))]);
        // A `resolve:ssm:` AMI becomes the image id it names: the provider reads the root device of the literal `ami`.
        return { ...checked, ami: imageId!, region: facts.region };
    });
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

/**
 * What only some args need: the account's rules quota (read only when a group has more inbound rules than
 * AWS's default allows) and the zones of Session Manager's endpoint services (only where the component makes them).
 */
async function checkOptionalServices(args: CheckedArgs, opts: LookupOptions): Promise<ValidationProblem[]> {
    const [quota, endpointServices] = await Promise.all([
        needsRulesQuota(args) ? lookUpRulesQuota(opts) : undefined,
        createsSsmEndpoints(args) ? Promise.all(SSM_ENDPOINT_SERVICES.map((service) => lookUpEndpointService(service, opts))) : [],
    ]);
    return [...(quota ? checkRulesQuota(args, quota) : []), ...checkEndpointServices(args, endpointServices)];
}
