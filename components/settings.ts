/**
 * From args to settings: flattening, the synchronous check of plain values, and the asynchronous checks
 * once Outputs, existing subnets and AWS's facts resolve. The component wires resources from the result.
 */
import * as pulumi from "@pulumi/pulumi";
import type { DualSubnetEniInstanceArgs } from "./dualSubnetEniInstance";
import { lookUpAmazonLinux2023Ami, lookUpAwsFacts, lookUpSubnet } from "./awsLookups";
import { FieldLabel, throwIfProblems } from "./errors";
import {
    amiArchitecture,
    checkAgainstAws,
    checkArgs,
    CheckedArgs,
    checkExistingNetwork,
    RawArgs,
    usesExistingNetwork,
    ValidatedField,
    ValidationProblem,
} from "./validation";

/** The args by validated field, each still an Input. */
export type ArgInputs = { readonly [F in ValidatedField]: pulumi.Input<unknown> };

/** The checked args, with the AMI to run and, for an existing network, its zone. */
export type Settings = CheckedArgs & { readonly ami: string };

/** The args by the field names checks and errors use: `existingNetwork.*` ids become fields of their own. */
export function flattenArgs(args: DualSubnetEniInstanceArgs, defaults: { instanceType: string; namePrefix: string }): ArgInputs {
    return {
        availabilityZone: args.availabilityZone,
        vpcCidrBlock: args.vpcCidrBlock,
        primarySubnetCidrBlock: args.primarySubnetCidrBlock,
        secondarySubnetCidrBlock: args.secondarySubnetCidrBlock,
        "existingNetwork.vpcId": args.existingNetwork?.vpcId,
        "existingNetwork.primarySubnetId": args.existingNetwork?.primarySubnetId,
        "existingNetwork.secondarySubnetId": args.existingNetwork?.secondarySubnetId,
        instanceType: args.instanceType ?? defaults.instanceType,
        ami: args.ami,
        namePrefix: defaults.namePrefix,
        instancePrivateIp: args.instancePrivateIp,
        networkInterfacePrivateIp: args.networkInterfacePrivateIp,
        networkInterfaceSecondaryPrivateIpCount: args.networkInterfaceSecondaryPrivateIpCount ?? 0,
    };
}

/** True for a value that is not known yet: an Output or a promise. */
export function isPending(value: unknown): value is pulumi.Output<unknown> | Promise<unknown> {
    return pulumi.Output.isInstance(value) || value instanceof Promise;
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
        const facts = await lookUpAwsFacts(checked.instanceType, opts);
        fail(checkAgainstAws(checked, facts));
        // checkAgainstAws refused a type without an Amazon Linux architecture unless an AMI was given.
        const ami = checked.ami ?? (await lookUpAmazonLinux2023Ami(amiArchitecture(facts.instanceType!.supportedArchitectures)!, opts));
        return { ...checked, ami };
    });
}
