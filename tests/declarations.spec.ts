/**
 * One declaration per arg: the args interface (components/args.ts). Every other place follows it, and fails
 * here when it does not: the package schema is generated from it (tests/schema.spec.ts holds the committed
 * one to it), Pulumi.yaml and the README's config table are held to the schema, the stack program's mapping
 * and validation's fields are derived.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { DUAL_SUBNET_ENI_INSTANCE_TYPE, DualSubnetEniInstanceArgs, ValidatedField } from "../components";
import { flattenArgs } from "../components/settings";
import type { ValidatedFieldOf } from "../components/rules/fields";
import schema from "../provider/schema.json";
import { type SchemaInput, SECRET_CONFIG_KEYS, stackArgs } from "../stacks/program";
import type { ProjectFile } from "../tools/configDeclarations";
import { configDeclarationProblems, configTableProblems } from "../tools/declarations";
import { PROJECT_DIR, readProjectFile } from "../tools/stackFiles";
import { SEED_ARGS } from "./support/fixtures";

const INPUTS: Readonly<Record<string, SchemaInput>> = schema.resources[DUAL_SUBNET_ENI_INSTANCE_TYPE as keyof typeof schema.resources].inputProperties;
const README = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
const PROJECT = readProjectFile();

/** A project like this one with one more declaration. */
const declaring = (key: string, declaration: object): ProjectFile => ({ ...PROJECT, config: { ...PROJECT.config, [key]: declaration } });

/** The README with one more row in the config table, after userData's. */
const withRow = (row: string) => README.replace(/^\| `userData` .*$/m, (line) => `${line}\n${row}`);

describe("each arg declared once: the places that follow the args interface", () => {
    it("Pulumi.yaml declares every arg of the committed schema (but existingNetwork), with the type Pulumi gives it", () => {
        assert.deepStrictEqual(configDeclarationProblems(INPUTS, PROJECT, schema.types), []);
    });

    it("the README's config table has a row for every declared key, and says which are secret", () => {
        assert.deepStrictEqual(configTableProblems(PROJECT, README), []);
    });

    describe("a made-up arg, madeUpArg, added to the interface (so to the schema)", () => {
        const inputs = { ...INPUTS, madeUpArg: { type: "string" } };

        it("fails until Pulumi.yaml declares it, of its type", () => {
            assert.deepStrictEqual(configDeclarationProblems(inputs, PROJECT, schema.types), ["madeUpArg: an arg of the component with no declaration in Pulumi.yaml"]);
            assert.deepStrictEqual(configDeclarationProblems(inputs, declaring("madeUpArg", { type: "integer", default: 0 }), schema.types), [
                "madeUpArg: declared in Pulumi.yaml as integer, but the arg is string",
            ]);
            assert.deepStrictEqual(configDeclarationProblems(inputs, declaring("madeUpArg", { type: "string", default: "" }), schema.types), []);
            assert.deepStrictEqual(configDeclarationProblems(INPUTS, declaring("madeUpArg", { type: "string" }), schema.types), [
                "madeUpArg: declared in Pulumi.yaml, but the component has no such arg",
            ]);
        });

        it("fails until the README's config table has its row, saying secret where it is declared so", () => {
            const project = declaring("madeUpArg", { default: "", secret: true });
            assert.deepStrictEqual(configTableProblems(project, README), ["madeUpArg: declared in Pulumi.yaml, but the README's config table has no row for it"]);
            assert.deepStrictEqual(configTableProblems(project, withRow("| `madeUpArg` | none | anything |")), ["madeUpArg: declared secret in Pulumi.yaml, but its README row does not say so"]);
            assert.deepStrictEqual(configTableProblems(project, withRow("| `madeUpArg` | none | anything; secret |")), []);
            assert.deepStrictEqual(configTableProblems(PROJECT, withRow("| `madeUpArg` | none | anything |")), ["madeUpArg: a row of the README's config table, but Pulumi.yaml declares no such key"]);
        });

        it("refuses a plain arg declared secret (the component could not take an Output there)", () => {
            assert.deepStrictEqual(configDeclarationProblems(INPUTS, declaring("namePrefix", { default: "", secret: true }), schema.types), [
                "namePrefix: declared secret in Pulumi.yaml, but the component takes it as a plain value",
            ]);
        });

        it("reaches the component through the stack program: no mapping to edit", async () => {
            const read = (key: string) => ({ text: key === "madeUpArg" ? "made up" : undefined, secret: false });
            assert.strictEqual(stackArgs(read, inputs).madeUpArg, "made up");
            const secret = stackArgs((key) => ({ ...read(key), secret: key === "madeUpArg" }), inputs).madeUpArg as pulumi.Output<string>;
            assert.strictEqual(await pulumi.isSecret(secret), true);
        });

        it("fails until the stack program's SECRET_CONFIG_KEYS and Pulumi.yaml's secret declarations agree", () => {
            assert.deepStrictEqual(SECRET_CONFIG_KEYS, ["userData"]);
            assert.deepStrictEqual(configDeclarationProblems(inputs, declaring("madeUpArg", { default: "", secret: true }), schema.types), [
                "madeUpArg: declared secret in Pulumi.yaml, but not in the stack program's SECRET_CONFIG_KEYS",
            ]);
        });

        it("is a validated field, by name, with no list to edit", () => {
            const args = { ...SEED_ARGS, madeUpArg: "made up" } as DualSubnetEniInstanceArgs;
            assert.strictEqual((flattenArgs(args, { name: "n", instanceType: "t3.micro", namePrefix: "n" }) as Record<string, unknown>).madeUpArg, "made up");
            // Type-level: the field union follows the interface (tsc, in npm test, checks these two lines).
            const field: ValidatedFieldOf<DualSubnetEniInstanceArgs & { madeUpArg?: string }> = "madeUpArg";
            // @ts-expect-error madeUpArg is not an arg of today's interface
            const notYet: ValidatedField = "madeUpArg";
            assert.deepStrictEqual([field, notYet], ["madeUpArg", "madeUpArg"]);
        });
    });
});
