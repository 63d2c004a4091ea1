import { ComponentProviderOptions } from "@pulumi/pulumi/provider/experimental";
import { DUAL_SUBNET_ENI_INSTANCE_TYPE, DualSubnetEniInstance } from "../components";

/** Name of the Pulumi package: the first part of its type tokens and the name of every generated SDK. */
export const PACKAGE_NAME = DUAL_SUBNET_ENI_INSTANCE_TYPE.split(":")[0];

/**
 * What the plugin serves: the component, under {@link PACKAGE_NAME}, with its schema read by the SDK's analyzer
 * from the TypeScript source this folder's package.json and tsconfig.json lead to. A fresh object on every call,
 * since `componentProviderHost` rewrites the one it is given.
 */
export function componentProviderOptions(): ComponentProviderOptions {
    return { name: PACKAGE_NAME, components: [DualSubnetEniInstance], dirname: __dirname };
}
