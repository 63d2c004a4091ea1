/**
 * The update matrix: for each committed stack and each config key Pulumi.yaml declares, realistic changes
 * to another valid value, each run through the program (in this process, under the mocks) and the offline
 * preview against the stack's committed plan: the op of every resource and the outcome.
 * docs/changing-a-stack.md holds it as a table; `npm run matrix` rewrites it and a test checks it.
 */
import * as pulumi from "@pulumi/pulumi";
import { createMocks, type MockOptions, resolveAll } from "../components/testing";
import { dualSubnetEniStack, STACK_COMPONENT_NAME } from "../stacks/program";
import { planOf, propertyDependenciesOf, type StackPlan, type StackRun } from "./offlinePlan";
import { previewChange } from "./preview";
import { recordRegistrations } from "./sdkInternals";
import { loadStackConfig, readProjectFile, type StackConfig } from "./stackFiles";

/**
 * The stacks the matrix covers: this repository's reference deployment. A stack added beside them (a user's
 * `qa`) is planned and checked like them, but needs no rows here.
 */
export const REFERENCE_STACKS: readonly string[] = ["dev", "staging", "prod"];

/** New values of config keys (without namespace, or full keys such as `aws:region`), as YAML would give them. */
export type ConfigChange = Readonly<Record<string, unknown>>;

/** What the account holds for the changes below: a key pair, an instance profile, an image per architecture. */
export const MATRIX_AWS: MockOptions = {
    keyPairs: ["ops"],
    instanceProfiles: ["app-profile"],
    amis: { "ami-0a1b2c3d4e5f60718": { architecture: "x86_64" }, "ami-0f1e2d3c4b5a69788": { architecture: "arm64" } },
};

const nextZone = (zone: string) => zone.replace(/[a-z]$/, (letter) => (letter === "c" ? "a" : String.fromCharCode(letter.charCodeAt(0) + 1)));
/** The same network address with a prefix one longer: the block's first half. */
const narrowed = (cidr: string) => cidr.replace(/\/(\d+)$/, (_, prefix) => `/${Number(prefix) + 1}`);
/** An address `offset` past a /24-or-larger block's network address (last octet). */
const hostIn = (cidr: string, offset: number) => cidr.replace(/\.0\/\d+$/, `.${offset}`);
const isArm = (type: string) => /^[a-z]+\d+g/.test(type);

/**
 * The changes per key for a stack, given its current config (keys without namespace, YAML values). Each key
 * has at least one; a change may set related keys together where one alone is not valid.
 */
export function changesFor(config: Readonly<Record<string, unknown>>): Readonly<Record<string, readonly ConfigChange[]>> {
    const get = (key: string) => config[key];
    const type = String(get("instanceType"));
    const arm = isArm(type);
    const standby = get("standbyInstance") === true;
    const eniIp = get("networkInterfacePrivateIp") as string | undefined;
    const eniList = (get("networkInterfaceSecondaryPrivateIps") as string[] | undefined) ?? [];
    const primaryCidr = String(get("primarySubnetCidrBlock"));
    const secondaryCidr = String(get("secondarySubnetCidrBlock"));
    const publicInterface = (get("publicInterface") as string | undefined) ?? "none";
    const ssm = get("ssmAccess") === true;
    const rule = (port: number, description: string) => [{ protocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "10.0.0.0/8", description }];
    return {
        availabilityZone: [{ availabilityZone: nextZone(String(get("availabilityZone"))) }],
        vpcCidrBlock: [{ vpcCidrBlock: narrowed(String(get("vpcCidrBlock"))) }],
        primarySubnetCidrBlock: [{ primarySubnetCidrBlock: narrowed(primaryCidr) }],
        secondarySubnetCidrBlock: [{ secondarySubnetCidrBlock: narrowed(secondaryCidr) }],
        instanceType: arm ? [{ instanceType: type.replace(".large", ".xlarge") }, { instanceType: "m7i.large" }] : [{ instanceType: type === "t3.small" ? "t3.medium" : "t3.small" }, { instanceType: "t4g.small" }],
        ami: [{ ami: arm ? "ami-0f1e2d3c4b5a69788" : "ami-0a1b2c3d4e5f60718" }],
        namePrefix: [{ namePrefix: `${get("namePrefix") || "stack"}-blue` }],
        instancePrivateIp: [{ instancePrivateIp: hostIn(primaryCidr, 10) }],
        networkInterfacePrivateIp: eniIp ? [{ networkInterfacePrivateIp: hostIn(secondaryCidr, 20), networkInterfaceSecondaryPrivateIps: eniList.length > 0 ? [hostIn(secondaryCidr, 21)] : [] }] : [{ networkInterfacePrivateIp: hostIn(secondaryCidr, 10) }],
        networkInterfaceSecondaryPrivateIpCount: [eniList.length > 0 ? { networkInterfaceSecondaryPrivateIps: [], networkInterfaceSecondaryPrivateIpCount: 1 } : { networkInterfaceSecondaryPrivateIpCount: 1 }],
        instanceSecondaryPrivateIps: [{ instanceSecondaryPrivateIps: [hostIn(primaryCidr, 20)] }],
        networkInterfaceSecondaryPrivateIps: [
            eniIp ? { networkInterfaceSecondaryPrivateIps: [...eniList, hostIn(secondaryCidr, 12)] } : { networkInterfacePrivateIp: hostIn(secondaryCidr, 10), networkInterfaceSecondaryPrivateIps: [hostIn(secondaryCidr, 11)] },
        ],
        ipv6: [{ ipv6: true }],
        instanceIpv6AddressCount: [{ ipv6: true, instanceIpv6AddressCount: 2 }],
        networkInterfaceIpv6AddressCount: [{ ipv6: true, networkInterfaceIpv6AddressCount: 2 }],
        networkInterfaceIpv4PrefixCount: [{ networkInterfaceIpv4PrefixCount: 1 }],
        networkInterfaceIpv6PrefixCount: [{ ipv6: true, networkInterfaceIpv6PrefixCount: 1 }],
        instanceIngress: [{ instanceIngress: [...rule(8443, "Admin from the private range"), ...((get("instanceIngress") as unknown[] | undefined) ?? [])] }],
        networkInterfaceIngress: [{ networkInterfaceIngress: [...rule(5432, "Database from the private range"), ...((get("networkInterfaceIngress") as unknown[] | undefined) ?? [])] }],
        instanceSourceDestCheck: [{ instanceSourceDestCheck: false }],
        networkInterfaceSourceDestCheck: [{ networkInterfaceSourceDestCheck: false }],
        publicInterface: [{ publicInterface: publicInterface === "none" ? "networkInterface" : "none" }],
        keyName: [{ keyName: "ops" }],
        userData: [{ userData: "#cloud-config\npackages:\n  - htop\n" }],
        guestNetwork: [{ guestNetwork: true }],
        iamInstanceProfile: [ssm ? { ssmAccess: false, iamInstanceProfile: "app-profile" } : { iamInstanceProfile: "app-profile" }],
        rootVolumeSizeGiB: [{ rootVolumeSizeGiB: 20 }],
        ssmAccess: [{ ssmAccess: !ssm }],
        standbyInstance: [standby ? { standbyInstance: false } : { standbyInstance: true }],
        activeInstance: [standby ? { activeInstance: "standby" } : { standbyInstance: true, activeInstance: "standby" }],
        automaticFailover: [{ ...(standby ? {} : { standbyInstance: true }), automaticFailover: true, failoverHealthCheckPort: 22 }],
        failoverHealthCheckPort: [{ ...(standby ? {} : { standbyInstance: true }), automaticFailover: true, failoverHealthCheckPort: 443 }],
        tags: [{ tags: { CostCenter: "4711" } }],
    };
}

/** Another region of the same partition for each stack's region, with its first zone (a move the matrix shows). */
const NEXT_REGION: Readonly<Record<string, string>> = { "ap-south-1": "ap-southeast-1", "ap-southeast-1": "ap-south-1", "eu-west-1": "eu-central-1" };

/** The provider's config key the matrix changes besides the project's: the region (every regional resource moves). */
export const PROVIDER_KEY = "aws:region";

/** The change of `aws:region` for a stack in `region`, its zone moved along; none for a region without a neighbour here. */
export function regionChangesFor(region: string): readonly ConfigChange[] {
    const next = NEXT_REGION[region];
    return next === undefined ? [] : [{ [PROVIDER_KEY]: next, availabilityZone: `${next}a` }];
}

export interface MatrixRow {
    readonly stack: string;
    /** The key the row is about. */
    readonly key: string;
    readonly change: ConfigChange;
    /** Every resource whose op is not `same`, as `<short name> <op>[ (delete-first|create-first)]`. */
    readonly ops: readonly string[];
    /** `applies`, or `refused: <key>: <reason>` (by the preview or the program). */
    readonly outcome: string;
}

/** The stack's YAML values of its own keys, without namespace (Pulumi.yaml defaults included). */
export function stackValues(stack: string): Record<string, unknown> {
    const project = readProjectFile().name;
    const prefix = `${project}:`;
    return Object.fromEntries(
        Object.entries(loadStackConfig(stack))
            .filter(([key]) => key.startsWith(prefix))
            .map(([key, text]) => {
                try {
                    return [key.slice(prefix.length), JSON.parse(text)];
                } catch {
                    return [key.slice(prefix.length), text];
                }
            }),
    );
}

/** The stack's config with a change, as the CLI passes it (full keys, text). */
export function changedConfig(stack: string, change: ConfigChange): Record<string, string> {
    const project = readProjectFile().name;
    const config = { ...loadStackConfig(stack) };
    for (const [key, value] of Object.entries(change)) {
        config[key.includes(":") ? key : `${project}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return config;
}

/** A Pulumi program: registers its resources, returns its outputs. */
export type Program = (secretKeys: readonly string[]) => Readonly<Record<string, pulumi.Output<unknown>>>;

/**
 * Runs the stack program (or another `program`) in this process under the mocks with `config` (much faster than
 * the runner `npm run plan` starts).
 */
export async function runInProcess(
    stack: string,
    config: Record<string, string>,
    mocks: MockOptions = {},
    secrets: Pick<StackConfig, "secretKeys" | "unreadableSecrets"> = { secretKeys: [], unreadableSecrets: [] },
    program: Program = dualSubnetEniStack,
): Promise<StackRun> {
    const project = readProjectFile().name;
    await pulumi.runtime.setMocks(createMocks(mocks), project, stack, false);
    pulumi.runtime.setAllConfig(config, secrets.secretKeys);
    const registrations = recordRegistrations();
    await resolveAll(Object.values(program(secrets.secretKeys)), { signal: AbortSignal.timeout(10_000) });
    await registrations.settled();
    return { exitCode: 0, diagnostics: [], output: "", registrations, project, stack, config, unreadableSecrets: secrets.unreadableSecrets };
}

/** The plan and property dependencies of the stack program (or another `program`) run in this process with `config`. */
export async function runConfigInProcess(stack: string, config: Record<string, string>, mocks: MockOptions = {}, program?: Program) {
    const run = await runInProcess(stack, config, mocks, undefined, program);
    return { plan: planOf(run), propertyDependencies: propertyDependenciesOf(run) };
}

const short = (name: string) => name.replace(`${STACK_COMPONENT_NAME}-`, "");

/** One row: the change run through the program and the preview against `deployed`. */
export async function matrixRow(stack: string, key: string, change: ConfigChange, deployed: StackPlan): Promise<MatrixRow> {
    try {
        const { plan, propertyDependencies } = await runConfigInProcess(stack, changedConfig(stack, change), MATRIX_AWS);
        const preview = previewChange(deployed, plan, propertyDependencies);
        const ops = preview.diff.changes
            .filter((c) => c.op !== "same")
            .map((c) => `${short(c.name)} ${c.op}${c.replaceOrder ? ` (${c.replaceOrder})` : ""}`);
        const outcome = preview.refusals.length === 0 ? "applies" : `refused: ${preview.refusals.map((r) => `${r.key}: ${r.reason}; instead: ${r.instead}`).join(" / ")}`;
        return { stack, key, change, ops, outcome };
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { stack, key, change, ops: [], outcome: `refused by the program: ${message.split("\n").slice(1).join(" ").trim() || message}` };
    }
}

/** Every row for `stacks`, key by key in Pulumi.yaml's order, then the region. */
export async function updateMatrix(stacks: readonly string[], deployedPlan: (stack: string) => StackPlan): Promise<MatrixRow[]> {
    const keys = Object.keys(readProjectFile().config ?? {});
    const rows: MatrixRow[] = [];
    for (const stack of stacks) {
        const changes: Readonly<Record<string, readonly ConfigChange[]>> = { ...changesFor(stackValues(stack)), [PROVIDER_KEY]: regionChangesFor(loadStackConfig(stack)[PROVIDER_KEY]) };
        for (const key of [...keys, PROVIDER_KEY]) {
            for (const change of changes[key] ?? []) {
                rows.push(await matrixRow(stack, key, change, deployedPlan(stack)));
            }
        }
    }
    return rows;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, "\\n");

/** The matrix as a Markdown table. */
export function renderMatrix(rows: readonly MatrixRow[]): string {
    const lines = ["| stack | key | change | resources that change (op) | outcome |", "| --- | --- | --- | --- | --- |"];
    for (const row of rows) {
        const change = Object.entries(row.change).map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(", ");
        lines.push(`| ${row.stack} | ${row.key} | ${cell(change)} | ${cell(row.ops.join(", ") || "none")} | ${cell(row.outcome)} |`);
    }
    return lines.join("\n");
}
