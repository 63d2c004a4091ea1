/**
 * What the stack program refuses in a stack's config before any resource exists, beyond what the Pulumi CLI
 * refuses itself: no `aws:region`, a region AWS does not have, and a key of the project's namespace that the
 * program does not read (a typo the CLI would pass on). Every problem at once, each naming its key.
 */
import * as pulumi from "@pulumi/pulumi";
import { Region } from "@pulumi/aws/types/enums";
import { formatValue, MAX_PATH_LENGTH } from "../components/rules/messages";
import { shortened } from "../components/rules/quote";
import { closestMatch, didYouMean } from "../components/suggest";

export interface ConfigProblem {
    /** The full config key, `namespace:name`. */
    readonly key: string;
    /** The value as the stack file has it; absent when the key is missing. */
    readonly value?: unknown;
    readonly reason: string;
}

/**
 * Every AWS region name, as the AWS provider in use lists them (`aws.Region`, updated with each
 * @pulumi/aws release); a region newer than the installed provider is refused until it is upgraded.
 */
export const AWS_REGIONS: readonly string[] = Object.values(Region);

/**
 * What only this project refuses, checked on the config the program receives (full keys to text):
 * a missing or unknown `aws:region` (naming the nearest region), and keys of the `namespace` that are not
 * among `declared` (full keys; naming the nearest one).
 */
export function undeclaredConfigProblems(namespace: string, declared: readonly string[], config: Readonly<Record<string, string>>): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const region = config["aws:region"];
    if (!region) {
        problems.push({ key: "aws:region", reason: "is required: the AWS region to deploy to (pulumi config set aws:region <region>)" });
    } else if (!AWS_REGIONS.includes(region)) {
        problems.push({ key: "aws:region", value: region, reason: `is not an AWS region${didYouMean(region, AWS_REGIONS)}` });
    }
    const nameOf = (key: string) => key.slice(namespace.length + 1);
    for (const key of Object.keys(config).sort()) {
        if (key.startsWith(`${namespace}:`) && !declared.includes(key)) {
            const nearest = closestMatch(nameOf(key), declared.map(nameOf));
            problems.push({ key, value: config[key], reason: `is not declared in Pulumi.yaml, so nothing reads it${nearest === undefined ? "" : `; did you mean ${namespace}:${nearest}?`}` });
        }
    }
    return problems;
}

/** One line per problem: `  - key = "value": reason` (a long value shortened), or `  - key: reason` for a missing key. */
export function describeConfigProblems(problems: readonly ConfigProblem[]): string {
    return problems.map((p) => `  - ${shortened(p.key, MAX_PATH_LENGTH)}${p.value === undefined ? "" : ` = ${formatValue(p.value)}`}: ${p.reason}`).join("\n");
}

const settings = (count: number) => (count === 1 ? "1 invalid config setting" : `${count} invalid config settings`);

/** A stack's config broke the project's rules. A `pulumi.RunError`: `pulumi up` prints the message alone. */
export class StackConfigError extends pulumi.RunError {
    constructor(
        stack: string,
        public readonly problems: readonly ConfigProblem[],
    ) {
        super(`Stack "${stack}" has ${settings(problems.length)}:\n${describeConfigProblems(problems)}`);
        this.name = "StackConfigError";
        this.stack = `${this.name}: ${this.message}`; // frameless, as DualSubnetEniInstanceValidationError (see there)
    }
}
