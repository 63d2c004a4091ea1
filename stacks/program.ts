/**
 * The stack program: one DualSubnetEniInstance configured from the stack's config
 * (`Pulumi.<stack>.yaml`, keys in the `dual-subnet-eni` namespace named like the component's args).
 */
import * as pulumi from "@pulumi/pulumi";
import { ActiveInstance, DualSubnetEniInstance, DualSubnetEniInstanceOutputs, outputsOf } from "../components";
import { checkStackConfig } from "./configChecks";
import { readProjectFile } from "./stackFiles";

/** Logical name of the stack's component; part of every child's URN, so it never changes. */
export const STACK_COMPONENT_NAME = "dual-subnet-eni";

/**
 * Builds the stack from the current config. Missing or invalid keys are reported together, by config key.
 * An optional string key set to "" (its declared default in Pulumi.yaml) counts as not set.
 */
export function dualSubnetEniStack(): DualSubnetEniInstanceOutputs {
    checkStackConfig(readProjectFile());
    const config = new pulumi.Config();
    const optional = (key: string) => config.get(key) || undefined;
    // Numbers, booleans and lists go to the component as given, so its checks name the key, show the value
    // (NaN, "yes", ...) and state AWS's rule; only what does not parse at all stays a string.
    const parsed = (key: string): unknown => {
        const raw = config.get(key);
        if (raw === undefined || raw === "") {
            return undefined;
        }
        try {
            return raw === "NaN" ? Number.NaN : raw === "Infinity" || raw === "-Infinity" ? Number(raw) : JSON.parse(raw);
        } catch {
            return raw;
        }
    };
    // Declared defaults that mean "not set": 0 for a size, [] for a list, {} for a map.
    const unlessEmpty = (key: string): any => {
        const value = parsed(key);
        const empty = value === 0 || (Array.isArray(value) && value.length === 0) || (value !== null && typeof value === "object" && Object.keys(value).length === 0);
        return empty ? undefined : value;
    };
    const userTags = unlessEmpty("tags");
    const component = new DualSubnetEniInstance(
        STACK_COMPONENT_NAME,
        {
            availabilityZone: config.get("availabilityZone") ?? "",
            vpcCidrBlock: config.get("vpcCidrBlock") ?? "",
            primarySubnetCidrBlock: config.get("primarySubnetCidrBlock") ?? "",
            secondarySubnetCidrBlock: config.get("secondarySubnetCidrBlock") ?? "",
            instanceType: optional("instanceType"),
            ami: optional("ami"),
            namePrefix: optional("namePrefix") ?? pulumi.getStack(),
            instancePrivateIp: optional("instancePrivateIp"),
            networkInterfacePrivateIp: optional("networkInterfacePrivateIp"),
            networkInterfaceSecondaryPrivateIpCount: parsed("networkInterfaceSecondaryPrivateIpCount") as number | undefined,
            instanceSecondaryPrivateIps: unlessEmpty("instanceSecondaryPrivateIps"),
            networkInterfaceSecondaryPrivateIps: unlessEmpty("networkInterfaceSecondaryPrivateIps"),
            instanceIngress: unlessEmpty("instanceIngress"),
            networkInterfaceIngress: unlessEmpty("networkInterfaceIngress"),
            instanceSourceDestCheck: parsed("instanceSourceDestCheck") as boolean | undefined,
            networkInterfaceSourceDestCheck: parsed("networkInterfaceSourceDestCheck") as boolean | undefined,
            publicInterface: optional("publicInterface"),
            keyName: optional("keyName"),
            userData: optional("userData"),
            guestNetwork: parsed("guestNetwork") as boolean | undefined,
            iamInstanceProfile: optional("iamInstanceProfile"),
            rootVolumeSizeGiB: unlessEmpty("rootVolumeSizeGiB"),
            ssmAccess: parsed("ssmAccess") as boolean | undefined,
            standbyInstance: parsed("standbyInstance") as boolean | undefined,
            activeInstance: optional("activeInstance") as ActiveInstance | undefined,
            tags: typeof userTags === "object" && userTags !== null && !Array.isArray(userTags)
                ? { ...userTags, Project: pulumi.getProject(), Stack: pulumi.getStack() }
                : userTags ?? { Project: pulumi.getProject(), Stack: pulumi.getStack() },
        },
        { fieldLabel: (field) => `${config.name}:${field}` },
    );
    return outputsOf(component);
}
