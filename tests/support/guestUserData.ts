/** The user data the stack program gives its instances with `guestNetwork` on, and its parts. */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { resolveAll } from "../../components/testing";
import { dualSubnetEniStack } from "../../stacks/program";
import { loadStackConfig } from "../../tools/stackFiles";
import { PROJECT, useMocks } from "./helpers";

/** The instances' `userData` inputs (primary, then standby where there is one) of `stack` with extra config. */
export async function stackUserData(stack: string, extra: Record<string, string>): Promise<string[]> {
    const config = { ...loadStackConfig(stack), ...Object.fromEntries(Object.entries(extra).map(([key, value]) => [`${PROJECT}:${key}`, value])) };
    const registrations = await useMocks(config);
    await resolveAll(Object.values(dualSubnetEniStack()));
    await registrations.settled();
    // The stack program takes userData as a secret: its inputs arrive wrapped.
    return registrations.filter((r) => r.type === "aws:ec2/instance:Instance").map((r) => pulumi.runtime.unwrapRpcSecret(r.inputs.userData) as string);
}

export interface MimePart {
    readonly headers: Readonly<Record<string, string>>;
    readonly contentType: string;
    /** The body, decoded from its transfer encoding. */
    readonly body: string;
}

/** The parts of a MIME multi-part document (one level; headers by lower-case name). */
export function mimeParts(document: string): MimePart[] {
    const [head, ...rest] = document.split("\n\n");
    const boundary = /boundary="([^"]+)"/.exec(head)?.[1];
    assert.ok(boundary, `no boundary in ${head}`);
    const body = rest.join("\n\n");
    const chunks = body.split(`\n--${boundary}`);
    assert.ok(chunks[0].startsWith(`--${boundary}\n`) && chunks.at(-1)!.startsWith("--"), "not a closed multi-part document");
    return [chunks[0].slice(`--${boundary}`.length), ...chunks.slice(1, -1)].map((chunk) => {
        const text = chunk.replace(/^\n/, "");
        const split = text.indexOf("\n\n");
        const headers = Object.fromEntries(
            text
                .slice(0, split)
                .split("\n")
                .map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]),
        );
        const raw = text.slice(split + 2);
        const decoded = headers["content-transfer-encoding"] === "base64" ? Buffer.from(raw, "base64").toString("utf8") : raw;
        return { headers, contentType: String(headers["content-type"]).split(";")[0], body: decoded };
    });
}

/** The guest's cloud-config part, parsed, and its files by path. */
export function guestCloudConfigPart(userData: string): { text: string; config: any; files: Map<string, string> } {
    const part = mimeParts(userData).find((p) => p.headers["content-disposition"]?.includes("dual-subnet-eni-guest-network"));
    assert.ok(part, "no guest cloud-config part");
    const config = parse(part.body);
    const files = new Map<string, string>((config.write_files as { path: string; content: string }[]).map((file) => [file.path, file.content]));
    return { text: part.body, config, files };
}
