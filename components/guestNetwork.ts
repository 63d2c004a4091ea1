/**
 * The guest side of the second interface (`guestNetwork`): cloud-init user data that installs
 * guest-network.sh with a systemd unit per interface and a udev rule, merged with the user's own user data
 * as one MIME multi-part document. Pure functions; the document depends on `publicInterface` only (addresses
 * come from IMDS at run time), so it is known at preview and the same for the primary and the standby.
 */
import * as fs from "fs";
import * as path from "path";

/** Where the script goes on the instance. */
export const GUEST_SCRIPT_PATH = "/usr/local/sbin/dual-subnet-eni-guest-network";
/** The systemd template unit, one instance per interface (`dual-subnet-eni-guest-network@eth1.service`). */
export const GUEST_UNIT = "dual-subnet-eni-guest-network";
let script: string | undefined;

/**
 * The script as shipped beside this module (copied to dist/ by the build), without its comment lines: the
 * instance gets the code and a pointer to its source, and the user keeps more of the 16 KB of user data.
 * Read on first use, so that a program without `guestNetwork` never needs the file.
 */
export function guestScript(): string {
    script ??= fs
        .readFileSync(path.join(__dirname, "guest-network.sh"), "utf8")
        .replace(/^[ \t]*#(?!!).*\n/gm, "")
        .replace(/\n/, "\n# dual-subnet-eni guestNetwork (usage: apply|remove <dev>, apply-all, remove-all, start-units); see docs/guest-network.md\n");
    return script;
}

/** The attachment's device index of each `publicInterface` value: the interface that takes the main default route. */
const PUBLIC_DEVICE_NUMBER: Readonly<Record<string, string>> = { none: "", instance: "0", networkInterface: "1" };

/** A file cloud-init's `write_files` writes. */
interface GuestFile {
    readonly path: string;
    readonly permissions: string;
    readonly content: string;
}

function guestFiles(publicInterface: string): GuestFile[] {
    const unit = [
        "[Unit]",
        "Description=dual-subnet-eni: policy routing of %I (answers leave by the interface they came in on)",
        "Wants=network-online.target",
        "After=network-online.target sys-subsystem-net-devices-%i.device",
        // Stopped (ExecStop: remove) when the interface goes away, e.g. after a detach.
        "BindsTo=sys-subsystem-net-devices-%i.device",
        "",
        "[Service]",
        "Type=oneshot",
        "RemainAfterExit=yes",
        "EnvironmentFile=/etc/dual-subnet-eni/guest-network.env",
        `ExecStart=${GUEST_SCRIPT_PATH} apply %I`,
        `ExecStop=${GUEST_SCRIPT_PATH} remove %I`,
        "",
    ].join("\n");
    // Physical interfaces only (ENA, ixgbevf): containers' veths and bridges are virtual.
    const match = 'SUBSYSTEM=="net", KERNEL!="lo", DEVPATH!="/devices/virtual/*"';
    const udevRule = [
        `ACTION=="add", ${match}, TAG+="systemd", ENV{SYSTEMD_WANTS}+="${GUEST_UNIT}@$name.service"`,
        `ACTION=="remove", ${match}, RUN+="/usr/bin/systemctl --no-block stop ${GUEST_UNIT}@$name.service"`,
        "",
    ].join("\n");
    // systemd-networkd (Ubuntu's netplan, Amazon Linux 2023) otherwise deletes rules and routes it did not make.
    const networkd = ["[Network]", "ManageForeignRoutingPolicyRules=no", "ManageForeignRoutes=no", ""].join("\n");
    return [
        { path: GUEST_SCRIPT_PATH, permissions: "0755", content: guestScript() },
        { path: "/etc/dual-subnet-eni/guest-network.env", permissions: "0644", content: `DSE_PUBLIC_DEVICE_NUMBER=${PUBLIC_DEVICE_NUMBER[publicInterface] ?? ""}\n` },
        { path: `/etc/systemd/system/${GUEST_UNIT}@.service`, permissions: "0644", content: unit },
        { path: `/etc/udev/rules.d/90-${GUEST_UNIT}.rules`, permissions: "0644", content: udevRule },
        { path: `/etc/systemd/networkd.conf.d/90-${GUEST_UNIT}.conf`, permissions: "0644", content: networkd },
    ];
}

/** A YAML block scalar (`|`) of `text`, indented by `indent` spaces; `text` ends with a newline. */
function blockScalar(text: string, indent: string): string {
    return "|\n" + text.replace(/\n$/, "").split("\n").map((line) => (line === "" ? "" : indent + line)).join("\n") + "\n";
}

/**
 * The cloud-config that sets up the guest: the files, then (once, on the first boot) systemd and udev reload
 * them and the unit starts for every physical interface (an ENI attached while cloud-init ran included).
 * Later boots and hot-attached interfaces start the unit through the udev rule; a detach stops it, which
 * removes the interface's rules and table.
 */
export function guestCloudConfig(publicInterface: string): string {
    const files = guestFiles(publicInterface)
        .map((file) => `  - path: ${file.path}\n    owner: root:root\n    permissions: "${file.permissions}"\n    content: ${blockScalar(file.content, "      ")}`)
        .join("");
    return [
        "#cloud-config",
        "# dual-subnet-eni guestNetwork: answers leave by the interface they came in on (policy routing).",
        "write_files:",
        files.replace(/\n$/, ""),
        "runcmd:",
        "  - [systemctl, daemon-reload]",
        "  - [udevadm, control, --reload]",
        '  - [sh, -c, "systemctl try-restart systemd-networkd.service || true"]',
        `  - [${GUEST_SCRIPT_PATH}, start-units]`,
        "",
    ].join("\n");
}

/**
 * cloud-init's content type for a user-data part, from its first line as cloud-init reads it: lower-cased,
 * leading whitespace dropped, the longest matching prefix wins (cloud-init `cloudinit/handlers/__init__.py`,
 * `INCLUSION_TYPES_MAP` and `type_from_starts_with`). Text of no known start stays `text/plain`.
 */
const CONTENT_TYPES: readonly (readonly [string, string])[] = (
    [
        ["#include", "text/x-include-url"],
        ["#include-once", "text/x-include-once-url"],
        ["#!", "text/x-shellscript"],
        ["#cloud-config", "text/cloud-config"],
        ["#part-handler", "text/part-handler"],
        ["#cloud-boothook", "text/cloud-boothook"],
        ["#cloud-config-archive", "text/cloud-config-archive"],
        ["#cloud-config-jsonp", "text/cloud-config-jsonp"],
        ["## template: jinja", "text/jinja2"],
    ] as const
)
    .slice()
    .sort((a, b) => b[0].length - a[0].length);

export function userDataContentType(userData: string): string {
    const start = userData.toLowerCase().trimStart();
    return CONTENT_TYPES.find(([prefix]) => start.startsWith(prefix))?.[1] ?? "text/plain";
}

/** How far into user data cloud-init looks for a MIME header (`convert_string`: `bdata[0:4096]`). */
const MIME_PROBE_BYTES = 4096;

/**
 * True for user data cloud-init reads as a MIME document: `cloudinit/user_data.py` `convert_string` parses it as
 * MIME when `mime-version:` occurs, in any case, in its first 4,096 bytes, wherever it stands; anything else is
 * one part typed by its first line.
 */
export function isMime(userData: string): boolean {
    const probe = Buffer.from(userData, "utf8").subarray(0, MIME_PROBE_BYTES).toString("latin1");
    return probe.replace(/[A-Z]/g, (letter) => letter.toLowerCase()).includes("mime-version:");
}

/** A boundary that occurs nowhere in `text`; the same text always gets the same boundary. */
function boundaryFor(text: string): string {
    let boundary = "==dual-subnet-eni-guest-network==";
    for (let n = 1; text.includes(boundary); n++) {
        boundary = `==dual-subnet-eni-guest-network-${n}==`;
    }
    return boundary;
}

/**
 * One part. ASCII text goes as it is (7bit); other text in base64, as cloud-init's own `make-mime` sends it:
 * cloud-init parses user data as a string and would not give 8bit UTF-8 back byte for byte.
 */
function part(contentType: string, filename: string, body: string, extraHeaders: readonly string[] = []): string {
    const ascii = /^[\x00-\x7f]*$/.test(body);
    const encoded = ascii ? body : (Buffer.from(body, "utf8").toString("base64").match(/.{1,76}/g) ?? []).join("\n") + "\n";
    const headers = [`Content-Type: ${contentType}; charset="utf-8"`, "MIME-Version: 1.0", `Content-Transfer-Encoding: ${ascii ? "7bit" : "base64"}`, ...extraHeaders];
    return [...headers, `Content-Disposition: attachment; filename="${filename}"`, "", encoded].join("\n");
}

/**
 * How cloud-init merges the guest's cloud-config into the configuration the parts before it built: lists appended
 * (`write_files` and `runcmd` keep the user's entries, then the guest's), keys only the guest sets added, and every
 * other value the user set kept. cloud-init's own default, `dict(replace)+list()+str()`
 * (`cloudinit/handlers/cloud_config.py`, `DEF_MERGERS`), would let a later part's `write_files` or `runcmd` replace
 * an earlier one's. The handler reads it from the part's `Merge-Type` header (`_extract_mergers`) and applies the
 * mergers of the part it merges in, so the guest's part comes last.
 */
export const GUEST_MERGE_TYPE = "list(append)+dict(no_replace,recurse_list)+str()";

/** The file name of the guest's part in the MIME document. */
export const GUEST_PART_FILENAME = "dual-subnet-eni-guest-network.cfg";

/**
 * The user data of both instances with `guestNetwork`: a MIME multi-part document with the user's user data
 * unchanged first (its content type from its first line; a document cloud-init reads as MIME is nested as it
 * is), then the guest's cloud-config, merged into whatever configuration the user's parts made (`GUEST_MERGE_TYPE`).
 * `userData` is the text cloud-init would read: already decoded where the user gave it in base64.
 */
export function guestUserData(publicInterface: string, userData?: string): string {
    const parts = userData === undefined || userData === "" ? [] : [isMime(userData) ? userData : part(userDataContentType(userData), "user-data", userData)];
    parts.push(part("text/cloud-config", GUEST_PART_FILENAME, guestCloudConfig(publicInterface), [`Merge-Type: ${GUEST_MERGE_TYPE}`]));
    const boundary = boundaryFor(parts.join("\n"));
    // The line break before a boundary belongs to the boundary (RFC 2046), so each part keeps its last newline.
    const body = parts.map((p) => `--${boundary}\n${p}\n`).join("");
    return `Content-Type: multipart/mixed; boundary="${boundary}"\nMIME-Version: 1.0\n\n${body}--${boundary}--\n`;
}
