/** The config checks, generic over Pulumi.yaml's declarations (here a project with keys of every type). */
import * as assert from "assert";
import { AWS_REGIONS, undeclaredConfigProblems } from "../stacks/configChecks";
import { declaredConfigProblems, fullKey, hasDeclaredType, type ProjectFile } from "../tools/configDeclarations";
import { dualSubnetEniStack } from "../stacks/program";
import { loadStackConfig } from "../tools/stackFiles";
import { useMocks } from "./support/helpers";

const PROJECT: ProjectFile = {
    name: "proj",
    config: {
        zone: { type: "string" },
        standby: { type: "boolean", default: false },
        sizeGiB: { type: "integer", default: 8 },
        ips: { type: "array", items: { type: "string" }, default: [] },
        ingress: { type: "array", items: { type: "object" }, default: [] },
        legacy: "untyped default",
        "aws:region": { value: "us-east-1" },
    },
};

/** The project's declared keys, in full: what the stack program reads. */
const DECLARED = Object.keys(PROJECT.config ?? {}).map((name) => fullKey(PROJECT, name));
const undeclared = (config: Record<string, string>) => undeclaredConfigProblems(PROJECT.name, DECLARED, config);

describe("config checks", () => {
    describe("hasDeclaredType", () => {
        const cases: [string, Parameters<typeof hasDeclaredType>[0], unknown, boolean][] = [
            ["a YAML number as text", { type: "string" }, 5, true],
            ["a list as text", { type: "string" }, ["a"], false],
            ["true", { type: "boolean" }, true, true],
            ['"false"', { type: "boolean" }, "false", true],
            ['"yes" as a boolean', { type: "boolean" }, "yes", false],
            ["12", { type: "integer" }, 12, true],
            ['"-3"', { type: "integer" }, "-3", true],
            ["1.5", { type: "integer" }, 1.5, false],
            ['"two"', { type: "integer" }, "two", false],
            ["a list of text", { type: "array", items: { type: "string" } }, ["10.0.1.10"], true],
            ["a list with a number", { type: "array", items: { type: "string" } }, ["a", 5], false],
            ["a list of objects", { type: "array", items: { type: "object" } }, [{ port: 22 }], true],
            ["a list of lists", { type: "array", items: { type: "object" } }, [[22]], false],
            ["text for a list", { type: "array", items: { type: "string" } }, "a,b", false],
            ["nested integers stay numbers", { type: "array", items: { type: "integer" } }, ["1"], false],
            ["an object", { type: "object" }, { a: 1 }, true],
            ["a type Pulumi does not know", { type: "float" }, 1.5, false],
        ];
        for (const [title, declaration, value, expected] of cases) {
            it(`${expected ? "accepts" : "refuses"} ${title} for ${declaration.type}`, () => assert.strictEqual(hasDeclaredType(declaration, value), expected));
        }
    });

    describe("declaredConfigProblems (what the Pulumi CLI refuses too)", () => {
        it("accepts a stack that sets every key without a default, in the right types", () => {
            assert.deepStrictEqual(declaredConfigProblems(PROJECT, { "proj:zone": "us-east-1a", "proj:standby": true, "proj:ingress": [{ port: 22 }] }), []);
        });

        it("names a missing key without a default and every value of the wrong type, with the value", () => {
            const problems = declaredConfigProblems(PROJECT, { "proj:standby": "yes", "proj:sizeGiB": "big", "proj:ips": "10.0.1.10" });
            assert.deepStrictEqual(
                problems.map((p) => [p.key, p.value, p.reason.split(" (")[0]]),
                [
                    ["proj:zone", undefined, "is missing; Pulumi.yaml declares it without a default, so every stack must set it"],
                    ["proj:standby", "yes", "must be of type 'boolean'"],
                    ["proj:sizeGiB", "big", "must be of type 'integer'"],
                    ["proj:ips", "10.0.1.10", "must be of type 'array<string>'"],
                ],
            );
        });

        it("leaves untyped keys and other namespaces unchecked, as the CLI does", () => {
            assert.deepStrictEqual(declaredConfigProblems(PROJECT, { "proj:zone": "z", "proj:legacy": [1], "aws:region": 42 }), []);
        });
    });

    describe("undeclaredConfigProblems (what the stack program refuses)", () => {
        it("accepts declared keys and other namespaces", () => {
            assert.deepStrictEqual(undeclared({ "aws:region": "eu-west-1", "proj:zone": "eu-west-1a", "proj:legacy": "x", "aws:profile": "p" }), []);
        });

        it("names a missing aws:region", () => {
            assert.deepStrictEqual(undeclared({ "proj:zone": "a" }).map((p) => p.key), ["aws:region"]);
        });

        it("names a region AWS does not have, and the nearest one", () => {
            const [problem] = undeclared({ "aws:region": "eu-wets-1" });
            assert.deepStrictEqual([problem.key, problem.value, problem.reason], ["aws:region", "eu-wets-1", "is not an AWS region; did you mean eu-west-1?"]);
        });

        it("names each undeclared key of the project's namespace, and the nearest declared key", () => {
            const problems = undeclared({ "aws:region": "us-east-1", "proj:standbye": "true", "proj:sizegib": "9" });
            assert.deepStrictEqual(
                problems.map((p) => `${p.key}: ${p.reason}`),
                ["proj:sizegib: is not declared in Pulumi.yaml, so nothing reads it; did you mean proj:sizeGiB?", "proj:standbye: is not declared in Pulumi.yaml, so nothing reads it; did you mean proj:standby?"],
            );
        });

        it("suggests a declared key by its name, whatever the namespace: prefix is namePrefix", () => {
            const [problem] = undeclaredConfigProblems("dual-subnet-eni", ["dual-subnet-eni:ami", "dual-subnet-eni:namePrefix"], { "aws:region": "us-east-1", "dual-subnet-eni:prefix": "x" });
            assert.strictEqual(problem.reason, "is not declared in Pulumi.yaml, so nothing reads it; did you mean dual-subnet-eni:namePrefix?");
        });

        it("knows the regions of the installed AWS provider, GovCloud and China included", () => {
            for (const region of ["us-east-1", "ap-south-1", "eu-west-1", "ap-southeast-1", "us-gov-west-1", "cn-north-1"]) {
                assert.ok(AWS_REGIONS.includes(region), region);
            }
        });
    });

    describe("the stack program reports every mistake of a stack file in one round", () => {
        it("a region typo, an undeclared key and a VPC CIDR with host bits: one error naming all three, no resource", async () => {
            const config = { ...loadStackConfig("dev"), "aws:region": "ap-sooth-1", "dual-subnet-eni:instancetype": "t3.small", "dual-subnet-eni:vpcCidrBlock": "10.0.0.5/20" };
            const registrations = await useMocks(config);
            assert.throws(
                () => dualSubnetEniStack(),
                (error: unknown) => {
                    const lines = String((error as Error).message).split("\n");
                    assert.strictEqual(lines[0], 'Stack "test" has 3 invalid config settings:');
                    assert.deepStrictEqual(lines.slice(1).map((line) => line.split(" = ")[0]), ["  - aws:region", "  - dual-subnet-eni:instancetype", "  - dual-subnet-eni:vpcCidrBlock"]);
                    return true;
                },
            );
            assert.deepStrictEqual(registrations, []);
        });
    });
});
