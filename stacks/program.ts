/**
 * The stack program: one DualSubnetEniInstance configured from the stack's config
 * (`Pulumi.<stack>.yaml`, keys in the `dual-subnet-eni` namespace named like the component's args).
 */
import * as pulumi from "@pulumi/pulumi";
import { ActiveInstance, DualSubnetEniInstance, DualSubnetEniInstanceOutputs, IngressRuleArgs, outputsOf, PublicInterface } from "../components";

/** Logical name of the stack's component; part of every child's URN, so it never changes. */
export const STACK_COMPONENT_NAME = "dual-subnet-eni";

/**
 * Builds the stack from the current config. Missing or invalid keys are reported together, by config key.
 * An optional string key set to "" (its declared default in Pulumi.yaml) counts as not set.
 */
export function dualSubnetEniStack(): DualSubnetEniInstanceOutputs {
    const config = new pulumi.Config();
    const optional = (key: string) => config.get(key) || undefined;
    // Lists are JSON in the stack file; an empty list (their declared default) counts as not set.
    const list = <T>(key: string): T[] | undefined => {
        const value = config.getObject<T[]>(key);
        return Array.isArray(value) && value.length === 0 ? undefined : value;
    };
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
            networkInterfaceSecondaryPrivateIpCount: config.getNumber("networkInterfaceSecondaryPrivateIpCount"),
            instanceSecondaryPrivateIps: list<string>("instanceSecondaryPrivateIps"),
            networkInterfaceSecondaryPrivateIps: list<string>("networkInterfaceSecondaryPrivateIps"),
            instanceIngress: list<IngressRuleArgs>("instanceIngress"),
            networkInterfaceIngress: list<IngressRuleArgs>("networkInterfaceIngress"),
            instanceSourceDestCheck: config.getBoolean("instanceSourceDestCheck"),
            networkInterfaceSourceDestCheck: config.getBoolean("networkInterfaceSourceDestCheck"),
            publicInterface: optional("publicInterface") as PublicInterface | undefined,
            keyName: optional("keyName"),
            userData: optional("userData"),
            iamInstanceProfile: optional("iamInstanceProfile"),
            // 0, the declared default, means the image's own size.
            rootVolumeSizeGiB: config.getNumber("rootVolumeSizeGiB") || undefined,
            ssmAccess: config.getBoolean("ssmAccess"),
            standbyInstance: config.getBoolean("standbyInstance"),
            activeInstance: optional("activeInstance") as ActiveInstance | undefined,
            tags: { Project: pulumi.getProject(), Stack: pulumi.getStack() },
        },
        { fieldLabel: (field) => `${config.name}:${field}` },
    );
    return outputsOf(component);
}
