/** URNs and aliases as the engine computes them (tools/urns.ts, after pulumi/pulumi step_generator.go getOldResource). */
import * as assert from "assert";
import type { PlannedResource, StackPlan } from "../tools/offlinePlan";
import { matchDeployed, urnsOf } from "../tools/urns";

const resource = (name: string, type: string, parent?: string, aliases?: PlannedResource["aliases"]): PlannedResource => ({
    name,
    type,
    inputs: {},
    dependsOn: [],
    ...(parent ? { parent } : {}),
    ...(aliases ? { aliases } : {}),
});
const plan = (...resources: PlannedResource[]): StackPlan => ({ project: "proj", stack: "dev", region: "ap-south-1", resources });
const names = (matches: Map<PlannedResource, PlannedResource>) => [...matches].map(([now, before]) => `${now.name} <- ${before.name}`);

describe("URNs and aliases as the engine computes them", () => {
    it("a URN carries the type chain of the parents (the stack left out) and the name", () => {
        const urns = urnsOf(plan(resource("app", "acme:index:App"), resource("web", "acme:index:Web", "app"), resource("vpc", "aws:ec2/vpc:Vpc", "web")));
        assert.deepStrictEqual([...urns.values()], [
            "urn:pulumi:dev::proj::acme:index:App::app",
            "urn:pulumi:dev::proj::acme:index:App$acme:index:Web::web",
            "urn:pulumi:dev::proj::acme:index:App$acme:index:Web$aws:ec2/vpc:Vpc::vpc",
        ]);
    });

    it("matches the same name under another parent only through an alias, and a whole-URN alias as given", () => {
        const deployed = plan(resource("vpc", "aws:ec2/vpc:Vpc"), resource("old-subnet", "aws:ec2/subnet:Subnet"));
        const moved = plan(resource("app", "acme:index:App"), resource("vpc", "aws:ec2/vpc:Vpc", "app"), resource("subnet", "aws:ec2/subnet:Subnet", "app"));
        assert.deepStrictEqual(names(matchDeployed(deployed, moved)), []);
        const aliased = plan(
            resource("app", "acme:index:App"),
            resource("vpc", "aws:ec2/vpc:Vpc", "app", [{ parent: null }]),
            resource("subnet", "aws:ec2/subnet:Subnet", "app", [{ urn: "urn:pulumi:dev::proj::aws:ec2/subnet:Subnet::old-subnet" }]),
        );
        assert.deepStrictEqual(names(matchDeployed(deployed, aliased)), ["vpc <- vpc", "subnet <- old-subnet"]);
    });

    it("takes a deployed resource once: the resource of that URN first (a later alias to it is a duplicate the engine refuses; here it matches nothing)", () => {
        const deployed = plan(resource("a", "aws:ec2/vpc:Vpc"));
        const both = plan(resource("a", "aws:ec2/vpc:Vpc"), resource("b", "aws:ec2/vpc:Vpc", undefined, ["a"]));
        assert.deepStrictEqual(names(matchDeployed(deployed, both)), ["a <- a"]);
    });
});
