/**
 * The user data each instance boots with: the user's own, or merged with guestNetwork's cloud-init
 * configuration; and the bytes AWS and cloud-init see of it. Its size rule lives here, with the document it measures.
 */
import { gunzipSync } from "zlib";
import { guestUserData } from "./guestNetwork";

/** EC2 user data: at most 16 KB, counted before base64 encoding (RunInstances `UserData`). */
export const MAX_USER_DATA_BYTES = 16 * 1024;

/** What decides an instance's user data. */
export interface UserDataSettings {
    readonly guestNetwork: boolean;
    readonly publicInterface: string;
    readonly userData?: string;
}

/**
 * Text that Go's `base64.StdEncoding.DecodeString` takes once its line breaks are dropped: the standard alphabet,
 * padded to whole quanta, `=` only at the end.
 */
const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * True for user data the AWS provider sends to EC2 as it is, as base64 already: terraform-provider-aws
 * `internal/service/ec2/ec2_instance.go` buildInstanceOpts sends `user_data` through `flex.StringValueToBase64String`,
 * which is `internal/types` `Base64EncodeOnce`: text that `base64.StdEncoding.DecodeString` decodes (it skips `\r` and
 * `\n`) goes unchanged, anything else is encoded. EC2 stores the decoded bytes.
 */
export function isPassedAsBase64(userData: string): boolean {
    return STANDARD_BASE64.test(userData.replace(/[\r\n]/g, ""));
}

/** The bytes EC2 stores as the instance's user data (what its 16 KB limit counts). */
export function storedUserData(userData: string): Buffer {
    return isPassedAsBase64(userData) ? Buffer.from(userData.replace(/[\r\n]/g, ""), "base64") : Buffer.from(userData, "utf8");
}

/**
 * The text cloud-init reads from user data: the stored bytes, gzip-decompressed where they are gzip (cloud-init's
 * `util.decomp_gzip` keeps bytes that do not decompress), as UTF-8; undefined for bytes that are not UTF-8 text, of
 * which cloud-init reads no part (`cloudinit/user_data.py` convert_string, `handlers.type_from_starts_with`).
 */
export function cloudInitText(userData: string): string | undefined {
    let bytes = storedUserData(userData);
    try {
        bytes = gunzipSync(bytes);
    } catch {
        // Not gzip: cloud-init reads the bytes as they are.
    }
    try {
        return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
        return undefined;
    }
}

/** The user data an instance boots with: the user's alone, or what cloud-init reads of it merged with the guest configuration. */
export function instanceUserData(settings: UserDataSettings): string | undefined {
    if (!settings.guestNetwork) {
        return settings.userData;
    }
    return guestUserData(settings.publicInterface, settings.userData === undefined ? undefined : cloudInitText(settings.userData));
}

/** Why the user data the instances would get is more than AWS takes (16 KB before base64), or undefined. */
export function userDataSizeProblem(settings: UserDataSettings): string | undefined {
    const own = settings.userData === undefined ? 0 : storedUserData(settings.userData).length;
    const merged = settings.guestNetwork ? storedUserData(instanceUserData(settings)!).length : own;
    if (merged <= MAX_USER_DATA_BYTES) {
        return undefined;
    }
    const decoded = settings.userData !== undefined && isPassedAsBase64(settings.userData) ? " once decoded from base64 (the AWS provider passes base64 user data through)" : "";
    const total = settings.guestNetwork ? `, and merged with guestNetwork's configuration the instance's user data is ${merged} bytes` : "";
    return `is ${own} bytes${decoded}${total}; AWS takes at most ${MAX_USER_DATA_BYTES} bytes of user data (before base64)`;
}
