/**
 * How the engine finds the deployed resource a registration stands for: by URN (stack, project, the type chain
 * of its parents, its name), then by the URNs of its aliases, its parent's aliases multiplied in. Followed
 * from pulumi/pulumi `pkg/resource/deploy/step_generator.go`: getOldResource (the URN first, then each alias;
 * a matched alias is remembered for the children), generateAliases, collapseAliasToUrn and
 * inheritedChildAlias; URNs as `sdk/go/common/resource/urn/urn.go` New and `resource/alias.go` CreateURN
 * build them. Pure: no Pulumi.
 */
import type { PlannedAlias, PlannedResource, StackPlan } from "./offlinePlan";

/** The parent's qualified type, `$`, the resource's type: `a:b:C$aws:ec2/vpc:Vpc` (the stack itself is left out). */
const qualifiedTypeOf = (urn: string): string => urn.split("::")[2];
const nameOfUrn = (urn: string): string => urn.split("::").slice(3).join("::");

/** A URN as CreateURN builds it: under `parentUrn` when there is one, else at the stack's root. */
function createUrn(name: string, type: string, parentUrn: string | undefined, project: string, stack: string): string {
    const prefix = parentUrn === undefined ? `urn:pulumi:${stack}::${project}::` : `${parentUrn.slice(0, parentUrn.lastIndexOf("::"))}$`;
    return `${prefix}${type}::${name}`;
}

/** Each resource's URN in `plan`, from its parent chain (parents are logical names of the same plan). */
export function urnsOf(plan: StackPlan): Map<PlannedResource, string> {
    const byName = new Map(plan.resources.map((r) => [r.name, r]));
    const urns = new Map<PlannedResource, string>();
    const urnOf = (resource: PlannedResource, seen: ReadonlySet<string> = new Set()): string => {
        const known = urns.get(resource);
        if (known !== undefined) {
            return known;
        }
        const parent = resource.parent === undefined || seen.has(resource.parent) ? undefined : byName.get(resource.parent);
        const urn = createUrn(resource.name, resource.type, parent && urnOf(parent, new Set([...seen, resource.name])), plan.project, plan.stack);
        urns.set(resource, urn);
        return urn;
    };
    plan.resources.forEach((r) => urnOf(r));
    return urns;
}

/** A plan's alias as the engine's alias spec: a bare name keeps the resource's type and parent. */
const specOf = (alias: string | PlannedAlias): PlannedAlias => (typeof alias === "string" ? { name: alias } : alias);

/**
 * The deployed resource each registration of `next` takes the place of, as the engine matches them in
 * registration order (`next` lists parents first); a deployed resource is taken at most once.
 */
export function matchDeployed(deployed: StackPlan, next: StackPlan): Map<PlannedResource, PlannedResource> {
    const deployedUrns = urnsOf(deployed);
    const olds = new Map([...deployedUrns].map(([resource, urn]) => [urn, resource]));
    const urns = urnsOf(next);
    const byName = new Map(next.resources.map((r) => [r.name, r]));
    /** New URN → the old URN it was matched through (the engine's `sg.aliases`). */
    const aliased = new Map<string, string>();
    const taken = new Set<PlannedResource>();
    const matches = new Map<PlannedResource, PlannedResource>();

    const collapse = (resource: PlannedResource, parentUrn: string | undefined, alias: PlannedAlias): string => {
        if (alias.urn !== undefined) {
            return alias.urn;
        }
        const named = alias.parent === undefined ? parentUrn : alias.parent === null ? undefined : urns.get(byName.get(alias.parent)!);
        const parent = named === undefined ? undefined : (aliased.get(named) ?? named);
        return createUrn(alias.name ?? resource.name, alias.type ?? resource.type, parent, alias.project ?? next.project, alias.stack ?? next.stack);
    };
    const inheritedChildAlias = (childType: string, childName: string, parentName: string, parentAlias: string): string => {
        const name = childName.startsWith(parentName) ? `${nameOfUrn(parentAlias)}${childName.slice(parentName.length)}` : childName;
        return `urn:pulumi:${next.stack}::${next.project}::${qualifiedTypeOf(parentAlias)}$${childType}::${name}`;
    };
    const aliasesOf = (resource: PlannedResource, parentUrn: string | undefined): string[] => {
        const specs = (resource.aliases ?? []).map(specOf);
        const result = specs.map((spec) => collapse(resource, parentUrn, spec));
        const parentAlias = parentUrn === undefined ? undefined : aliased.get(parentUrn);
        if (parentUrn !== undefined && parentAlias !== undefined) {
            const parentName = nameOfUrn(parentUrn);
            result.push(inheritedChildAlias(resource.type, resource.name, parentName, parentAlias));
            for (const spec of specs) {
                const childAlias = collapse(resource, parentUrn, spec);
                result.push(inheritedChildAlias(qualifiedTypeOf(childAlias).split("$").pop()!, nameOfUrn(childAlias), parentName, parentAlias));
            }
        }
        return [...new Set(result)];
    };

    for (const resource of next.resources) {
        const urn = urns.get(resource)!;
        const parent = resource.parent === undefined ? undefined : byName.get(resource.parent);
        const parentUrn = parent && urns.get(parent);
        const found = [urn, ...aliasesOf(resource, parentUrn)].find((candidate) => olds.has(candidate) && !taken.has(olds.get(candidate)!));
        const old = found === undefined ? undefined : olds.get(found)!;
        if (old === undefined) {
            continue;
        }
        taken.add(old);
        matches.set(resource, old);
        if (found !== urn) {
            aliased.set(urn, found!);
        }
    }
    return matches;
}
