/**
 * What the AWS provider holds for a deployed stack, told by its own schema and Read functions
 * (`awsAttributeFacts.json`: terraform-provider-aws v6.58.0, which @pulumi/aws 7 bridges): which attributes
 * keep their value when the program stops setting them, which resources live in a region, and the state its
 * Read leaves after `pulumi refresh` or the read that ends every create and update. Pure: no Pulumi, no AWS.
 */
import facts from "./awsAttributeFacts.json";
import type { PlannedResource, StackPlan } from "./offlinePlan";

export interface AttributeFacts {
    readonly terraform: string;
    /** The schema's type: `TypeString`, `TypeBool`, ... (SDKv2) or `String`, `Int64`, ... (Framework). */
    readonly type: string;
    /** The schema's Default, as Go source. */
    readonly default?: string;
    readonly optional: boolean;
    readonly computed: boolean;
    readonly forceNew: boolean;
    readonly required: boolean;
    /** What Read sets it from, where that is not simply the API field of the same name. */
    readonly read?: string;
}

export interface ResourceFacts {
    readonly terraform: string;
    /** `sdkv2` or `framework`: how the provider diffs it. */
    readonly sdk: string;
    readonly region: { readonly hasRegionAttribute: boolean };
    /** By Pulumi input path (nested blocks with dots). */
    readonly attributes: Readonly<Record<string, AttributeFacts>>;
}

/** The facts of each resource type the component makes. */
export const ATTRIBUTE_FACTS: Readonly<Record<string, ResourceFacts>> = facts.resources;

type Inputs = Readonly<Record<string, unknown>>;

/** True for a map (an object that is not a list). */
export const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** The value at a dotted path. */
export const valueAt = (inputs: Inputs, path: string): unknown => path.split(".").reduce<unknown>((value, key) => (isObject(value) ? value[key] : undefined), inputs);

/**
 * Whether resources of `type` carry `region` (@pulumi/aws 7: every regional resource; IAM is global). The
 * provider sets an unset `region` to its own (internal/provider/sdkv2 defaultRegion, framework
 * resourceDefaultRegionInterceptor) and replaces an existing resource whose region changes, except between
 * unset and the provider's region (forceNewIfRegionChanges, resourceForceNewIfRegionChangesInterceptor.modifyPlan).
 */
export const isRegional = (type: string): boolean => ATTRIBUTE_FACTS[type]?.region.hasRegionAttribute === true;

/** The region a resource is in: its own `region` input, else its provider's (the stack's `aws:region`). */
export const regionOf = (plan: StackPlan, resource: PlannedResource): string => (typeof resource.inputs.region === "string" ? resource.inputs.region : plan.region);

/** `inputs` with the region the provider plans for them, for a regional type. */
export const withRegion = (type: string, inputs: Inputs, region: string): Inputs => (isRegional(type) ? { ...inputs, region } : inputs);

/**
 * Whether leaving `path` out of `inputs` keeps the value the provider holds: the attribute, or a block around it
 * that is left out too, is Optional and Computed. Such an attribute absent from the config has no diff
 * (terraform-plugin-sdk v2 schemaMap.diffString / diffList: "removed" with `schema.Computed` returns no
 * change), so the resource keeps what AWS has: an instance keeps its profile, key pair or fixed address.
 */
export function keptWhenLeftOut(type: string, path: string, inputs: Inputs): boolean {
    const attributes = ATTRIBUTE_FACTS[type]?.attributes ?? {};
    const parts = path.split(".");
    return parts.some((_, i) => {
        const prefix = parts.slice(0, i + 1).join(".");
        const attribute = attributes[prefix];
        return attribute !== undefined && attribute.optional && attribute.computed && valueAt(inputs, prefix) === undefined;
    });
}

/**
 * Whether two values the plan shows differently are the same to the provider: a string attribute of an SDKv2
 * resource, without a default, left out and "" (terraform-plugin-sdk v2 schemaMap.diffString decodes a missing
 * value as the type's zero value, "", before comparing). So "" sent for an attribute a deployed plan left out,
 * or read back as null, is no change.
 */
export function sameToProvider(type: string, path: string, before: unknown, after: unknown): boolean {
    const resource = ATTRIBUTE_FACTS[type];
    const attribute = resource?.attributes[path];
    const blank = (value: unknown) => value === undefined || value === "";
    return resource?.sdk === "sdkv2" && attribute?.type === "TypeString" && attribute.default === undefined && blank(before) && blank(after);
}

const T = {
    instance: "aws:ec2/instance:Instance",
    eni: "aws:ec2/networkInterface:NetworkInterface",
    eip: "aws:ec2/eip:Eip",
} as const;

/** How an address AWS assigned shows in a read-back state (the plan cannot know it). */
export const assignedAddress = (n: number): string => `<secondary address ${n} AWS assigned>`;

/**
 * Whether an instance's primary interface (device index 0) has a public-IP association: an Elastic IP on it
 * (an Eip that takes the instance's `primaryNetworkInterfaceId`, so depends on the instance, rather than an
 * ENI's `<eni>.id`), or a public IP asked for at launch.
 */
function primaryInterfaceIsPublic(plan: StackPlan, instance: PlannedResource): boolean {
    const onInstance = (eip: PlannedResource) => eip.dependsOn.includes(instance.name) && !/\.id$/.test(String(eip.inputs.networkInterface));
    return instance.inputs.associatePublicIpAddress === true || plan.resources.some((r) => r.type === T.eip && onInstance(r));
}

/**
 * The deployed plan as the provider's Read leaves it: the inputs the program sent, each replaced by what Read
 * sets it from where that differs (the bridge takes the inputs it keeps from the read state, for the keys the
 * program sent). From the Read functions (awsAttributeFacts.json `read`):
 * - an instance's `associatePublicIpAddress` is whether its primary interface has a public-IP association
 *   (ec2_instance.go resourceInstanceFlatten: `primaryNetworkInterface.Association != nil`), true once an
 *   Elastic IP is on it;
 * - an ENI's `privateIps` are all its addresses, those AWS assigned for `privateIpsCount` included
 *   (vpc_network_interface.go resourceNetworkInterfaceRead).
 * Every other attribute the component sets is read back from the field it was sent to.
 */
export function readBack(plan: StackPlan): StackPlan {
    const read = (resource: PlannedResource): PlannedResource => {
        const { inputs } = resource;
        if (resource.type === T.instance && "associatePublicIpAddress" in inputs) {
            return { ...resource, inputs: { ...inputs, associatePublicIpAddress: primaryInterfaceIsPublic(plan, resource) } };
        }
        const count = inputs.privateIpsCount;
        if (resource.type === T.eni && Array.isArray(inputs.privateIps) && typeof count === "number" && inputs.privateIps.length === 1) {
            return { ...resource, inputs: { ...inputs, privateIps: [...inputs.privateIps, ...Array.from({ length: count }, (_, i) => assignedAddress(i + 1))] } };
        }
        return resource;
    };
    return { ...plan, resources: plan.resources.map(read) };
}
