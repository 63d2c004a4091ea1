/**
 * The stack program: one DualSubnetEniInstance configured from the stack's config
 * (`Pulumi.<stack>.yaml`, keys in the `dual-subnet-eni` namespace named like the component's args).
 */
import * as pulumi from "@pulumi/pulumi";
import { DualSubnetEniInstance, DualSubnetEniInstanceOutputs, outputsOf } from "../components";
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
    const component = new DualSubnetEniInstance(STACK_COMPONENT_NAME, {
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
        tags: { Project: pulumi.getProject(), Stack: pulumi.getStack() },
        fieldLabel: (field) => `${config.name}:${field}`,
    });
    return outputsOf(component);
}
