/**
 * The component as a Python, Go, .NET, Java or YAML program gets it: built by the plugin's
 * `ComponentProvider.construct`, from inputs as plain JSON values (what the provider server hands over for
 * values without dependencies), under the project's mocks, side by side with the TypeScript constructor.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ConstructResult } from "@pulumi/pulumi/provider";
import { DUAL_SUBNET_ENI_INSTANCE_TYPE, DualSubnetEniInstance, DualSubnetEniInstanceValidationError, OUTPUT_NAMES } from "../../components";
import { MockSubnet, resolveAll } from "../../components/testing";
import { RecordedRegistration, Registrations } from "../../tools/sdkInternals";
import { componentProvider, type PackageSchema } from "../../scripts/schema";
import { once } from "../support/once";
import { SEED_ARGS, SEED_CONFIG, TYPES } from "../support/fixtures";
import { awsResources, promiseOf, single, useMocks } from "../support/helpers";

/** The seed's args as another language's SDK sends them. */
const SEED_JSON: Record<string, unknown> = JSON.parse(JSON.stringify(SEED_ARGS));

/** The plugin's provider once the SDK's analyzer has read the component's source (seconds of CPU, once per run). */
const ANALYZER_TIMEOUT_MS = 90_000;
const analyzed = once(async () => {
    await componentProvider().getSchema();
    return componentProvider();
});
const construct = async (name: string, inputs: Record<string, unknown>) => (await analyzed()).construct(name, DUAL_SUBNET_ENI_INSTANCE_TYPE, inputs, {});

/** A hook that waits for the analyzer, so that no test's own timeout pays for it. */
async function analyze(this: Mocha.Context): Promise<void> {
    this.timeout(ANALYZER_TIMEOUT_MS);
    await analyzed();
}

function childrenOf(registrations: readonly RecordedRegistration[], component: string): RecordedRegistration[] {
    return awsResources(registrations).filter((r) => r.parent.endsWith(`::${DUAL_SUBNET_ENI_INSTANCE_TYPE}::${component}`));
}

/**
 * The resources under a component with everything that depends on its name taken out: logical names lose the
 * component's name, and ids the mocks gave its children (they hash the name) become the child they identify.
 */
function shapeOf(registrations: readonly RecordedRegistration[], component: string) {
    const children = childrenOf(registrations, component);
    const child = (name: string) => `<${name.slice(component.length)}>`;
    const byId = new Map(children.map((r) => [r.id, child(r.name)]));
    const strip = (value: unknown): unknown =>
        typeof value === "string"
            ? (byId.get(value) ?? value)
            : Array.isArray(value)
              ? value.map(strip)
              : value && typeof value === "object"
                ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, strip(inner)]))
                : value;
    const names = (urns: readonly string[]) => urns.map((urn) => child(urn.split("::").pop()!)).sort();
    return {
        strip,
        resources: children
            .map((r) => ({
                type: r.type,
                name: child(r.name),
                inputs: strip(r.inputs),
                dependencies: names(r.dependencies),
                propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([key, urns]) => [key, names(urns)])),
                deleteBeforeReplace: r.deleteBeforeReplace,
                ignoreChanges: r.ignoreChanges,
            }))
            .sort((a, b) => a.name.localeCompare(b.name)),
    };
}

describe("DualSubnetEniInstance through the component package (ComponentProvider.construct, JSON inputs)", () => {
    let registrations: Registrations;
    let typed: DualSubnetEniInstance;
    let constructed: ConstructResult;

    before(analyze);

    before(async function () {
        registrations = await useMocks(SEED_CONFIG);
        typed = new DualSubnetEniInstance("typed", SEED_ARGS);
        constructed = await construct("json", SEED_JSON);
        const outputs = [typed, constructed.state].flatMap((source) => OUTPUT_NAMES.map((name) => (source as Record<string, pulumi.Output<string>>)[name]));
        await resolveAll(outputs);
        await registrations.settled();
    });

    it("registers the component at the URN construct returns, with the seed's 11 AWS resources as its children", async () => {
        assert.match(await promiseOf(pulumi.output(constructed.urn)), new RegExp(`::${DUAL_SUBNET_ENI_INSTANCE_TYPE}::json$`));
        assert.ok(registrations.some((r) => r.type === DUAL_SUBNET_ENI_INSTANCE_TYPE && r.name === "json"));
        assert.strictEqual(childrenOf(registrations, "json").length, 11);
    });

    it("builds the same resources, inputs, wiring and resource options as the TypeScript constructor", () => {
        const json = shapeOf(registrations, "json").resources;
        assert.deepStrictEqual(json, shapeOf(registrations, "typed").resources);
        const attachment = json.find((r) => r.type === TYPES.attachment)!;
        assert.deepStrictEqual(attachment.inputs, { instanceId: "<-instance>", networkInterfaceId: "<-eni>", deviceIndex: 1 });
        assert.strictEqual(attachment.deleteBeforeReplace, true);
        assert.strictEqual((json.find((r) => r.type === TYPES.networkInterface)!.inputs as Record<string, unknown>).subnetId, "<-secondary-subnet>");
    });

    it("answers every output the schema declares, with the values the TypeScript component has", async () => {
        const schema = JSON.parse(await (await analyzed()).getSchema()) as PackageSchema;
        const declared = Object.keys(schema.resources[DUAL_SUBNET_ENI_INSTANCE_TYPE].properties).sort();
        assert.deepStrictEqual(Object.keys(constructed.state).sort(), declared);
        const valuesOf = async (source: Record<string, unknown>, component: string) => {
            const { strip } = shapeOf(registrations, component);
            return Object.fromEntries(await Promise.all(OUTPUT_NAMES.map(async (name) => [name, strip(await promiseOf(source[name] as pulumi.Output<string>))])));
        };
        const json = await valuesOf(constructed.state, "json");
        assert.deepStrictEqual(json, await valuesOf(typed as unknown as Record<string, unknown>, "typed"));
        assert.deepStrictEqual([json.vpcId, json.instanceId, json.attachmentId], ["<-vpc>", "<-instance>", "<-eni-attachment>"]);
        assert.match(await promiseOf((constructed.state.instance as pulumi.Resource).urn), /::json-instance$/);
    });
});

describe("ComponentProvider.construct with invalid or existing-network JSON inputs", () => {
    before(analyze);

    it("refuses a VPC CIDR with host bits before registering anything, naming the field and the value", async () => {
        const registrations = await useMocks(SEED_CONFIG);
        await assert.rejects(construct("bad", { ...SEED_JSON, vpcCidrBlock: "10.0.0.5/20" }), (error: unknown) => {
            assert.ok(error instanceof DualSubnetEniInstanceValidationError, String(error));
            assert.match(error.message, /vpcCidrBlock/);
            assert.match(error.message, /10\.0\.0\.5\/20/);
            return true;
        });
        await registrations.settled();
        assert.deepStrictEqual(registrations.map((r) => r.type), []);
    });

    it("takes existingNetwork as a JSON object and builds on its subnets", async () => {
        const subnets: MockSubnet[] = ["a", "b"].map((suffix, index) => ({
            id: `subnet-0000000000000000${suffix}`,
            vpcId: "vpc-0a1b2c3d4e5f60718",
            availabilityZone: "ap-south-1a",
            cidrBlock: `172.16.${index}.0/24`,
        }));
        const registrations = await useMocks(SEED_CONFIG, { existingSubnets: subnets });
        const existingNetwork = { vpcId: subnets[0].vpcId, primarySubnetId: subnets[0].id, secondarySubnetId: subnets[1].id };
        const { state } = await construct("byo", { existingNetwork, namePrefix: "byo" });
        await resolveAll(OUTPUT_NAMES.map((name) => state[name] as pulumi.Output<string>));
        await registrations.settled();
        assert.strictEqual(state.vpc, undefined);
        assert.deepStrictEqual(awsResources(registrations).filter((r) => r.type === TYPES.vpc || r.type === TYPES.subnet), []);
        assert.strictEqual(single(registrations, TYPES.instance).inputs.subnetId, subnets[0].id);
        assert.strictEqual(single(registrations, TYPES.networkInterface).inputs.subnetId, subnets[1].id);
    });
});
