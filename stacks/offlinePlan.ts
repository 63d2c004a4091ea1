/**
 * The offline plan: what a stack would create, computed by running the stack program under the mocks
 * with the stack's config. Needs no Pulumi CLI, state backend or AWS credentials, so a pull request
 * from a fork can still show its infrastructure diff. It cannot see what exists already (everything is
 * a create) nor what AWS answers at deploy time (AMI ids, available zones are the mocks').
 */
import * as pulumi from "@pulumi/pulumi";
import { createMocks, mockAmiId, RecordedRegistration, recordRegistrations, resolveAll } from "../components/testing";
import { dualSubnetEniStack } from "./program";
import { loadStackConfig, PROJECT_DIR, readProjectFile } from "./stackFiles";

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
}

export interface StackPlan {
    readonly project: string;
    readonly stack: string;
    readonly region: string;
    /** Parents before children; siblings by logical name. */
    readonly resources: readonly PlannedResource[];
}

/** The logical name at the end of a URN. */
export const nameOfUrn = (urn: string) => urn.split("::").pop()!;

/** Runs the stack program for `stack` under the mocks with its config; every registration it made. */
export async function runStack(stack: string, dir = PROJECT_DIR): Promise<{ project: string; config: Record<string, string>; registrations: RecordedRegistration[] }> {
    const project = readProjectFile(dir).name;
    const config = loadStackConfig(stack, dir);
    await pulumi.runtime.setMocks(createMocks(), project, stack, false);
    pulumi.runtime.setAllConfig(config);
    const registrations = recordRegistrations();
    await resolveAll(Object.values(dualSubnetEniStack()));
    await registrations.settled();
    return { project, config, registrations };
}

/** What the stack program for `stack` would create. */
export async function planStack(stack: string, dir = PROJECT_DIR): Promise<StackPlan> {
    const { project, config, registrations } = await runStack(stack, dir);
    return { project, stack, region: config["aws:region"] ?? "", resources: orderTree(registrations.map(describe(registrations))) };
}

function describe(all: readonly RecordedRegistration[]): (registration: RecordedRegistration) => PlannedResource {
    const references = new Map<unknown, string>(all.filter((r) => r.id).map((r) => [r.id, `${r.name}.id`]));
    for (const architecture of ["x86_64", "arm64"]) {
        references.set(mockAmiId(architecture), `<newest Amazon Linux 2023 ${architecture} AMI, read at deploy time>`);
    }
    const readable = (value: unknown): unknown => {
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
        ...(r.parent ? { parent: nameOfUrn(r.parent) } : {}),
        inputs: readable(r.inputs) as Record<string, unknown>,
        dependsOn: [...new Set(r.dependencies.map(nameOfUrn))].sort(),
        ...(r.deleteBeforeReplace ? { deleteBeforeReplace: true as const } : {}),
        ...(r.ignoreChanges.length > 0 ? { ignoreChanges: r.ignoreChanges } : {}),
    });
}

function orderTree(resources: PlannedResource[]): PlannedResource[] {
    const children = (parent: string | undefined) =>
        resources.filter((r) => r.parent === parent).sort((a, b) => a.name.localeCompare(b.name));
    const walk = (parent: string | undefined): PlannedResource[] => children(parent).flatMap((r) => [r, ...walk(r.name)]);
    return walk(undefined);
}

/** The plan as an indented tree: one resource per line, its inputs, dependencies and options below it. */
export function renderPlan(plan: StackPlan): string {
    const depth = new Map<string, number>();
    const lines = [`Plan for stack "${plan.stack}" of ${plan.project} in ${plan.region}: ${plan.resources.length} resources to create`];
    for (const resource of plan.resources) {
        const level = resource.parent === undefined ? 0 : depth.get(resource.parent)! + 1;
        depth.set(resource.name, level);
        const indent = "  ".repeat(level);
        lines.push(`${indent}+ ${resource.name}  (${resource.type})`);
        for (const [key, value] of Object.entries(resource.inputs)) {
            lines.push(`${indent}      ${key}: ${JSON.stringify(value)}`);
        }
        if (resource.dependsOn.length > 0) {
            lines.push(`${indent}    depends on: ${resource.dependsOn.join(", ")}`);
        }
        const options = [resource.deleteBeforeReplace ? "deleteBeforeReplace" : "", resource.ignoreChanges ? `ignoreChanges ${resource.ignoreChanges.join(", ")}` : ""];
        if (options.some(Boolean)) {
            lines.push(`${indent}    options: ${options.filter(Boolean).join("; ")}`);
        }
    }
    return lines.join("\n");
}
