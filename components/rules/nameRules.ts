/**
 * The component's name, `namePrefix` and tags against every AWS text field they reach: security-group names and
 * descriptions, IAM role and instance-profile names, EC2 and IAM tags.
 */
import { logicalNames } from "../naming";
import {
    AUTO_NAME_SUFFIX_LENGTH,
    iamNameProblem,
    MAX_IAM_ROLE_NAME_LENGTH,
    MAX_TAGS_PER_RESOURCE,
    securityGroupNameProblem,
    securityGroupTextProblem,
    tagProblem,
} from "./awsText";
import type { Checker } from "./checker";
import { list, shortened } from "./quote";

/** Instance-profile names: at most 128 characters. */
export const MAX_INSTANCE_PROFILE_NAME_LENGTH = 128;
/** Longest accepted `namePrefix`, so that `<prefix>-network-interface` fits AWS's 255-character limits. */
export const MAX_NAME_PREFIX_LENGTH = 200;

/** The component's name and `namePrefix` against every AWS field they reach. */
export function checkNames(checker: Checker, ssmAccess: boolean): void {
    const prefix = checker.text("namePrefix", true);
    if (prefix !== undefined) {
        const iamTagProblem = ssmAccess ? tagProblem("Name", prefix, "iam") : undefined;
        const problem =
            prefix.length > MAX_NAME_PREFIX_LENGTH
                ? `is ${prefix.length} characters long; at most ${MAX_NAME_PREFIX_LENGTH} fit AWS's name limits`
                : securityGroupTextProblem(prefix, "the security groups' descriptions") ?? (iamTagProblem && `${iamTagProblem} (the SSM role's Name tag)`);
        if (problem) {
            checker.report("namePrefix", problem);
        }
    }
    const name = checker.text("name", true);
    if (name === undefined) {
        return;
    }
    // Pulumi names these children's AWS resources `<logical name>-<7 random characters>`.
    const names = logicalNames(name);
    const shown = (logicalName: string) => shortened(logicalName, 60);
    const autoName = (logicalName: string) => `${logicalName}${"x".repeat(AUTO_NAME_SUFFIX_LENGTH)}`;
    const securityGroups = [names.primarySecurityGroup, names.secondarySecurityGroup, names.ssmEndpointSecurityGroup];
    const problem =
        securityGroups.map((group) => securityGroupNameProblem(autoName(group), `the security group name ${shown(group)}-<random>`)).find(Boolean) ??
        (ssmAccess
            ? iamNameProblem(autoName(names.ssmRole), MAX_IAM_ROLE_NAME_LENGTH, `the IAM role name ${shown(names.ssmRole)}-<random>`) ??
              iamNameProblem(autoName(names.ssmInstanceProfile), MAX_INSTANCE_PROFILE_NAME_LENGTH, `the instance profile name ${shown(names.ssmInstanceProfile)}-<random>`)
            : undefined);
    if (problem) {
        checker.report("name", problem);
    }
}

/** User tags as every child gets them: AWS's key and value rules, and at most 50 tags once `Name` is added. */
export function checkTags(checker: Checker, ssmAccess: boolean): void {
    const tags = checker.raw.tags;
    if (checker.pending.has("tags") || tags === undefined) {
        return;
    }
    if (tags === null || typeof tags !== "object" || Array.isArray(tags)) {
        checker.report("tags", "must be a map of tag keys to string values");
        return;
    }
    for (const [key, value] of Object.entries(tags)) {
        const path = `[${JSON.stringify(key)}]`;
        const problem =
            typeof value !== "string" ? "must be a string value" : tagProblem(key, value, "ec2") ?? (ssmAccess ? tagProblem(key, value, "iam") : undefined);
        if (problem) {
            checker.report("tags", problem, path, value);
        }
    }
    if (ssmAccess) {
        checkIamTagKeyCase(checker, tags as Record<string, unknown>);
    }
    const count = Object.keys(tags).filter((key) => key !== "Name").length + 1;
    if (count > MAX_TAGS_PER_RESOURCE) {
        checker.report("tags", `gives each resource ${count} tags with its Name tag; AWS allows ${MAX_TAGS_PER_RESOURCE} per resource`);
    }
}

/**
 * IAM takes tag keys that differ only in case for one key: CreateRole with both fails with "InvalidInput: Duplicate
 * tag keys found. Please note that Tag keys are case insensitive." (IAM User Guide, "Tagging IAM resources": tag keys
 * are case-insensitive in IAM). The role and instance profile get the user's tags and their own `Name` (which
 * replaces a user's `Name`, not a `name`). Each key is reported but the last of its kind, so a key a stack program
 * adds after the user's (`Project`, `Stack`) leaves the user's reported.
 */
function checkIamTagKeyCase(checker: Checker, tags: Record<string, unknown>): void {
    const keys = [...Object.keys(tags).filter((key) => key !== "Name"), "Name"];
    const byLowerCase = new Map<string, string[]>();
    keys.forEach((key) => byLowerCase.set(key.toLowerCase(), [...(byLowerCase.get(key.toLowerCase()) ?? []), key]));
    for (const same of byLowerCase.values()) {
        for (const key of same.slice(0, -1)) {
            const others = same.filter((other) => other !== key).map((other) => (other === "Name" ? "Name (each resource's own Name tag)" : shortened(other, 40)));
            checker.report(
                "tags",
                `has the key ${shortened(JSON.stringify(key), 40)}, which IAM takes for the same key as ${list(others)}: IAM tag keys ignore case, and with ssmAccess the role would fail with InvalidInput: Duplicate tag keys found; keep one spelling`,
                `[${JSON.stringify(key)}]`,
                tags[key],
            );
        }
    }
}
