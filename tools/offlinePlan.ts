/**
 * The offline plan: what a stack would create, computed by running the stack program under the mocks
 * with the stack's config. Needs no Pulumi CLI, state backend or AWS credentials, so a pull request
 * from a fork can still show its infrastructure diff. It cannot see what exists already (everything is
 * a create) nor what AWS answers at deploy time (AMI ids, available zones are the mocks').
 */
import * as pulumi from "@pulumi/pulumi";
import { SECRET_PLACEHOLDER } from "../components";
import { mockAmiId } from "../components/testing";
import { type ProgramRun, renderDiagnostics, runLikePulumiUp, type RunnerOptions } from "./localEngine";
import type { RecordedAlias, RecordedRegistration } from "./sdkInternals";
import { loadStack, PROJECT_DIR, readProjectFile, type UnreadableSecret } from "./stackFiles";

export interface PlannedResource {
    readonly type: string;
    readonly name: string;
    /** Logical name of the parent; absent for a child of the stack. */
    readonly parent?: string;
    /** Inputs as sent to the engine; another resource's id reads `<logical name>.id`. */
    readonly inputs: Record<string, unknown>;
    /** Logical names of the resources this one waits for, sorted. */
    readonly dependsOn: readonly string[];
    readonly deleteBeforeReplace?: true;
    readonly ignoreChanges?: readonly string[];
    /**
     * What it was before (its `aliases`): a logical name alone (same type and parent), or what else differed.
     * The engine takes the deployed resource of such a URN for this one (urns.ts).
     */
    readonly aliases?: readonly (string | PlannedAlias)[];
    /** Input paths whose change replaces it, whatever the provider says. */
    readonly replaceOnChanges?: readonly string[];
}

/** An alias beyond a bare name: each part given replaces the resource's own. */
export interface PlannedAlias {
    readonly urn?: string;
    readonly name?: string;
    readonly type?: string;
    /** Logical name of the parent it had; null: none (a child of the stack). */
    readonly parent?: string | null;
    readonly project?: string;
    readonly stack?: string;
}

export interface StackPlan {
    readonly project: string;
    readonly stack: string;
    readonly region: string;
    /** In the order `pulumi up` can create them: parents and dependencies first, ties by logical name. */
    readonly resources: readonly PlannedResource[];
}

/** The logical name at the end of a URN. */
export const nameOfUrn = (urn: string) => urn.split("::").pop()!;

const STACK_TYPE = "pulumi:pulumi:Stack";

export interface StackRun extends ProgramRun {
    readonly project: string;
    readonly stack: string;
    readonly config: Record<string, string>;
    /** Secret keys whose values the plan could not decrypt: the program ran with them unknown. */
    readonly unreadableSecrets: readonly UnreadableSecret[];
}

/**
 * Runs the stack program for `stack` with its config (secrets decrypted with the passphrase in `env`)
 * through cmd/run, as `pulumi up` would, under the mocks.
 */
export async function runStack(stack: string, dir = PROJECT_DIR, env: NodeJS.ProcessEnv = process.env, options: RunnerOptions = {}): Promise<StackRun> {
    const project = readProjectFile(dir);
    const { config, secretKeys, unreadableSecrets } = loadStack(stack, dir, env);
    const run = await runLikePulumiUp({ project: project.name, stack, config, secretKeys, dir, main: project.main ?? "." }, options);
    return { ...run, project: project.name, stack, config, unreadableSecrets };
}

/** The program failed; the message is what `pulumi up` prints for it. */
export class StackProgramError extends Error {
    constructor(
        message: string,
        public readonly exitCode: number,
    ) {
        super(message);
        this.name = "StackProgramError";
    }
}

/** What the stack program for `stack` would create, and the checks it could not make; a StackProgramError when it fails. */
export async function planStack(stack: string, dir = PROJECT_DIR): Promise<{ plan: StackPlan; notChecked: string[] }> {
    const run = await runStack(stack, dir);
    return { plan: planOf(run), notChecked: notCheckedOf(run) };
}

/** The plan of a finished run, or its failure as `pulumi up` reports it. */
export function planOf(run: StackRun): StackPlan {
    if (run.exitCode !== 0) {
        throw new StackProgramError(renderDiagnostics(run, run.project, run.stack) || `the program exited with code ${run.exitCode}`, run.exitCode);
    }
    const resources = run.registrations.filter((r) => r.type !== STACK_TYPE);
    return {
        project: run.project,
        stack: run.stack,
        region: run.config["aws:region"],
        resources: dependencyOrder(resources.map(describe(resources))),
    };
}

/**
 * The checks a run could not make, one line per secret it could not decrypt, with the key's declared rule.
 * Kept out of the plan itself, so a plan is the same with the passphrase and without it.
 */
export function notCheckedOf(run: StackRun): string[] {
    return run.unreadableSecrets.map(({ key, reason, rule }) => `${key} (a secret, ${reason}; the program ran with it unknown)${rule ? `: ${rule}` : ""}`);
}

/** Per resource, per input, the resources that input's value came from (what the plan's text does not show). */
export function propertyDependenciesOf(run: StackRun): Record<string, Record<string, string[]>> {
    const resources = run.registrations.filter((r) => r.type !== STACK_TYPE);
    return Object.fromEntries(
        resources.map((r) => [r.name, Object.fromEntries(Object.entries(r.propertyDependencies).map(([key, urns]) => [key, urns.filter((urn) => !isStackUrn(urn)).map(nameOfUrn)]))]),
    );
}

/** Whether a URN is the stack's own resource, the root every other resource hangs from. */
const isStackUrn = (urn: string) => urn.split("::")[2] === STACK_TYPE;

function describe(all: readonly RecordedRegistration[]): (registration: RecordedRegistration) => PlannedResource {
    const references = new Map<unknown, string>(all.filter((r) => r.id).map((r) => [r.id, `${r.name}.id`]));
    for (const architecture of ["x86_64", "arm64"]) {
        references.set(mockAmiId(architecture), `<newest Amazon Linux 2023 ${architecture} AMI, read at deploy time>`);
    }
    const readable = (value: unknown): unknown => {
        // An unknown is a secret the plan could not decrypt (outside a preview, nothing else is unknown): shown
        // as a known secret is, so a plan reads the same with the passphrase and without it.
        if (pulumi.runtime.isRpcSecret(value) || pulumi.isUnknown(value)) {
            return SECRET_PLACEHOLDER;
        }
        if (Array.isArray(value)) {
            return value.map(readable);
        }
        if (value !== null && typeof value === "object") {
            return Object.fromEntries(Object.keys(value).sort().map((key) => [key, readable((value as Record<string, unknown>)[key])]));
        }
        return references.get(value) ?? value;
    };
    return (r) => ({
        type: r.type,
        name: r.name,
        ...(r.parent && !isStackUrn(r.parent) ? { parent: nameOfUrn(r.parent) } : {}),
        inputs: readable(r.inputs) as Record<string, unknown>,
        dependsOn: [...new Set(r.dependencies.filter((urn) => !isStackUrn(urn)).map(nameOfUrn))].sort(),
        ...(r.deleteBeforeReplace ? { deleteBeforeReplace: true as const } : {}),
        ...(r.ignoreChanges.length > 0 ? { ignoreChanges: r.ignoreChanges } : {}),
        ...(r.aliases.length > 0 ? { aliases: r.aliases.map((alias) => plannedAlias(alias, r.parent)) } : {}),
        ...(r.replaceOnChanges.length > 0 ? { replaceOnChanges: r.replaceOnChanges } : {}),
    });
}

/** An alias as the plan holds it: a bare name when only the name differs (the SDK sends the parent along). */
function plannedAlias({ urn, name, type, project, stack, parentUrn, noParent }: RecordedAlias, ownParent: string): string | PlannedAlias {
    if (urn !== undefined) {
        return { urn };
    }
    const parent = noParent || (parentUrn !== undefined && isStackUrn(parentUrn)) ? null : parentUrn === undefined || parentUrn === ownParent ? undefined : nameOfUrn(parentUrn);
    const parts: PlannedAlias = Object.fromEntries(Object.entries({ name, type, parent, project, stack }).filter(([, value]) => value !== undefined));
    return name !== undefined && Object.keys(parts).length === 1 ? name : parts;
}

/**
 * Topological order: each resource after its parent and the resources it depends on; among those ready
 * at the same time, by logical name, so the order is stable from run to run.
 */
export function dependencyOrder<R extends { readonly name: string; readonly parent?: string; readonly dependsOn: readonly string[] }>(resources: readonly R[]): R[] {
    const names = new Set(resources.map((r) => r.name));
    const before = (r: R) => [...(r.parent ? [r.parent] : []), ...r.dependsOn].filter((name) => names.has(name));
    const ordered: R[] = [];
    const done = new Set<string>();
    let pending = [...resources].sort((a, b) => a.name.localeCompare(b.name));
    while (pending.length > 0) {
        const next = pending.find((r) => before(r).every((name) => done.has(name)));
        if (!next) {
            throw new Error(`dependency cycle among ${pending.map((r) => r.name).join(", ")}`);
        }
        ordered.push(next);
        done.add(next.name);
        pending = pending.filter((r) => r !== next);
    }
    return ordered;
}

/** The longest input the text plan shows whole (a user data document is several KB); `--json` shows every input whole. */
const MAX_SHOWN_LENGTH = 160;

/** `text`, or past MAX_SHOWN_LENGTH its start and end around "…", and its length. */
export function abbreviated(text: string): string {
    return text.length <= MAX_SHOWN_LENGTH ? text : `${text.slice(0, 110)}…${text.slice(-30)} (${text.length} characters)`;
}

/** The plan as text: one resource per line in creation order, its parent, inputs, dependencies and options below it. */
export function renderPlan(plan: StackPlan): string {
    const lines = [`Plan for stack "${plan.stack}" of ${plan.project} in ${plan.region}: ${plan.resources.length} resources to create, in this order`];
    for (const resource of plan.resources) {
        lines.push(`+ ${resource.name}  (${resource.type})`);
        if (resource.parent) {
            lines.push(`    parent: ${resource.parent}`);
        }
        for (const [key, value] of Object.entries(resource.inputs)) {
            lines.push(`      ${key}: ${abbreviated(JSON.stringify(value))}`);
        }
        if (resource.dependsOn.length > 0) {
            lines.push(`    depends on: ${resource.dependsOn.join(", ")}`);
        }
        const options = [
            resource.deleteBeforeReplace ? "deleteBeforeReplace" : "",
            resource.ignoreChanges ? `ignoreChanges ${resource.ignoreChanges.join(", ")}` : "",
            resource.aliases ? `aliases ${resource.aliases.map((alias) => (typeof alias === "string" ? alias : JSON.stringify(alias))).join(", ")}` : "",
            resource.replaceOnChanges ? `replaceOnChanges ${resource.replaceOnChanges.join(", ")}` : "",
        ];
        if (options.some(Boolean)) {
            lines.push(`    options: ${options.filter(Boolean).join("; ")}`);
        }
    }
    return lines.join("\n");
}
