/**
 * The user data each instance boots with: the user's own, or merged with guestNetwork's cloud-init
 * configuration. Its size rule lives here, with the document it measures.
 */
import { guestUserData } from "./guestNetwork";
import { MAX_USER_DATA_BYTES, userDataBytes } from "./rules/awsText";

/** What decides an instance's user data. */
export interface UserDataSettings {
    readonly guestNetwork: boolean;
    readonly publicInterface: string;
    readonly userData?: string;
}

/** The user data an instance boots with: the user's alone, or merged with the guest configuration. */
export function instanceUserData(settings: UserDataSettings): string | undefined {
    return settings.guestNetwork ? guestUserData(settings.publicInterface, settings.userData) : settings.userData;
}

/** Why the user data the instances would get is more than AWS takes (16 KB before base64), or undefined. */
export function userDataSizeProblem(settings: UserDataSettings): string | undefined {
    const own = settings.userData === undefined ? 0 : userDataBytes(settings.userData);
    const merged = userDataBytes(instanceUserData(settings) ?? "");
    if (merged <= MAX_USER_DATA_BYTES) {
        return undefined;
    }
    const total = settings.guestNetwork ? `, and merged with guestNetwork's configuration the instance's user data is ${merged} bytes` : "";
    return `is ${own} bytes${total}; AWS takes at most ${MAX_USER_DATA_BYTES} bytes of user data (before base64)`;
}
