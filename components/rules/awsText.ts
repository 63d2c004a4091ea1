/**
 * AWS's rules for the text fields the component's strings reach: security-group names and descriptions,
 * IAM names, tags. Pure functions; each answers with the reason a value breaks the rule, or
 * undefined when it is fine.
 */
import { list } from "./quote";

/** Characters AWS allows in a VPC security group's name and description, and in a security-group rule's description. */
const SECURITY_GROUP_TEXT = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
/** Characters AWS allows in IAM role and instance-profile names. */
const IAM_NAME = /^[\w+=,.@-]*$/;
/** Characters AWS allows in IAM tag keys and values. */
const IAM_TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** AWS's limits on tags: per resource, and per key and value (in Unicode characters). */
export const MAX_TAGS_PER_RESOURCE = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
/** Security-group names and descriptions, and rule descriptions: at most 255 characters. */
export const MAX_SECURITY_GROUP_TEXT_LENGTH = 255;
/** IAM role names: at most 64 characters; instance-profile names 128. */
export const MAX_IAM_ROLE_NAME_LENGTH = 64;
/** Pulumi appends a dash and 7 random characters to a logical name to make a resource's physical name. */
export const AUTO_NAME_SUFFIX_LENGTH = 8;

const characters = (text: string) => [...text].length;

/** The characters of `text` that `allowed` refuses, each once, quoted (at most `MAX_LISTED`). */
function offending(text: string, allowed: RegExp): string {
    const refused = [...new Set([...text].filter((char) => !allowed.test(char)))];
    return refused.length === 0 ? "" : list(refused.map((char) => JSON.stringify(char)));
}

/** Why `text` cannot be (part of) a security group's description or a rule's description, naming `where`. */
export function securityGroupTextProblem(text: string, where: string): string | undefined {
    if (!SECURITY_GROUP_TEXT.test(text)) {
        return `contains ${offending(text, SECURITY_GROUP_TEXT)}, which AWS refuses in ${where} (allowed: ASCII letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*)`;
    }
    return characters(text) > MAX_SECURITY_GROUP_TEXT_LENGTH ? `makes ${where} ${characters(text)} characters long; AWS allows ${MAX_SECURITY_GROUP_TEXT_LENGTH}` : undefined;
}

/** Why `name` cannot be a security group's name (it may not start with `sg-`). */
export function securityGroupNameProblem(name: string, where: string): string | undefined {
    return /^sg-/i.test(name) ? `makes ${where} start with "sg-", which AWS reserves for group ids` : securityGroupTextProblem(name, where);
}

/** Why `name` cannot be an IAM role or instance-profile name of at most `maxLength` characters. */
export function iamNameProblem(name: string, maxLength: number, where: string): string | undefined {
    if (!IAM_NAME.test(name)) {
        return `contains ${offending(name, IAM_NAME)}, which AWS refuses in ${where} (allowed: ASCII letters, digits and _+=,.@-)`;
    }
    return name.length > maxLength ? `makes ${where} ${name.length} characters long; AWS allows ${maxLength}` : undefined;
}

/** Which AWS tagging rules apply: EC2's (any character) or IAM's (letters, digits, spaces and _.:/=+-@). */
export type TagRules = "ec2" | "iam";

/** Why one tag breaks AWS's rules, or undefined. */
export function tagProblem(key: string, value: string, rules: TagRules): string | undefined {
    if (/^aws:/i.test(key)) {
        return `has a key starting with "aws:", a prefix AWS reserves for its own tags`;
    }
    if (characters(key) === 0 || characters(key) > MAX_TAG_KEY_LENGTH) {
        return `has a key of ${characters(key)} characters; AWS allows 1 to ${MAX_TAG_KEY_LENGTH}`;
    }
    if (characters(value) > MAX_TAG_VALUE_LENGTH) {
        return `has a value of ${characters(value)} characters; AWS allows at most ${MAX_TAG_VALUE_LENGTH}`;
    }
    if (rules === "iam") {
        const bad = offending(key + value, IAM_TAG_TEXT);
        return bad ? `contains ${bad}, which AWS refuses in IAM tags (allowed: letters, digits, spaces and _.:/=+-@)` : undefined;
    }
    return undefined;
}
