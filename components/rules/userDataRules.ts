/**
 * User data against what AWS and cloud-init take: AWS's 16 KB limit on the bytes EC2 stores (base64 the provider
 * passes through counts decoded), and, with `guestNetwork`, what the merged document needs: user data cloud-init
 * reads as text, and an image that runs cloud-init at all.
 */
import type { AmiFacts } from "../awsLookups";
import { cloudInitText, isPassedAsBase64, userDataSizeProblem } from "../userData";
import type { Checker } from "./checker";
import { shortened } from "./quote";
import type { CheckedArgs, ValidationProblem } from "./fields";

/** User data as the instances get it: the user's, merged with guestNetwork's configuration when that is on. */
export function checkUserData(checker: Checker): void {
    const guestNetwork = checker.flag("guestNetwork") === true;
    const userData = checker.raw.userData;
    if (checker.pending.has("userData") || (userData === undefined && !guestNetwork)) {
        return;
    }
    if (userData !== undefined && typeof userData !== "string") {
        checker.report("userData", "must be a string");
        return;
    }
    if (guestNetwork && userData !== undefined && cloudInitText(userData) === undefined) {
        const form = isPassedAsBase64(userData) ? "is base64 (the AWS provider passes it through) of bytes that are" : "is";
        checker.report("userData", `${form} not UTF-8 text, even gunzipped: cloud-init reads no part of it, and guestNetwork's configuration cannot be merged with it`);
        return;
    }
    const publicInterface = typeof checker.raw.publicInterface === "string" ? checker.raw.publicInterface : "none";
    const problem = userDataSizeProblem({ userData, guestNetwork, publicInterface });
    if (problem) {
        checker.report("userData", problem);
    }
}

/**
 * guestNetwork's document is for cloud-init: a Windows image reads user data with EC2Launch, which runs neither
 * part of it (`aws.ec2.getAmi` says `platform: windows`).
 */
export function checkGuestNetworkImage(args: CheckedArgs, ami: AmiFacts | null | undefined): ValidationProblem[] {
    if (!args.guestNetwork || ami?.platform !== "windows") {
        return [];
    }
    return [
        {
            field: "guestNetwork",
            value: args.guestNetwork,
            reason: `is true, but ami ${shortened(args.ami ?? "", 80)} is a Windows image (getAmi platform "windows"): EC2Launch runs its user data, not cloud-init, so no part of guestNetwork's cloud-init document would run`,
        },
    ];
}
