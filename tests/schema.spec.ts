/**
 * The package schema other languages' SDKs are generated from: the committed provider/schema.json, held against
 * the TypeScript source it comes from, read here on its own (syntax only). That the SDK's analyzer still writes
 * this schema from the source is `npm run schema -- --check`'s job (in `npm run lint`).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { DUAL_SUBNET_ENI_INSTANCE_TYPE, DualSubnetEniInstance, OUTPUT_NAMES } from "../components";
import { type PackageSchema, PROVIDER_DIR, SCHEMA_FILE, type SchemaProperty, type SchemaResource } from "../scripts/schema";
import { PROJECT_DIR } from "../tools/stackFiles";

const COMPONENT_SOURCE = path.join(PROJECT_DIR, "components", "dualSubnetEniInstance.ts");
/** Where the args interface and its nested types are declared: the floor module every other place follows. */
const ARGS_SOURCE = path.join(PROJECT_DIR, "components", "args.ts");
const AWS_VERSION = (require("@pulumi/aws/package.json") as { version: string }).version;
const versionOf = (dir: string) => (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;

/** A property as written in the TypeScript source: its name, whether it is optional, and its TSDoc text. */
interface DeclaredProperty {
    readonly name: string;
    readonly optional: boolean;
    readonly doc: string;
}

const LINK_HINT = "(a TSDoc {@link} becomes [object Object] in the schema: write the name in backticks)";

function docOf(node: ts.Node): string {
    const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
    return docs.map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "").join("\n");
}

/** The properties of an interface, or the public instance properties of a class, declared in the component's source. */
function declaredProperties(source: ts.SourceFile, kind: "interface" | "class", name: string): { doc: string; properties: DeclaredProperty[] } {
    const isKind = kind === "interface" ? ts.isInterfaceDeclaration : ts.isClassDeclaration;
    const declaration = source.statements.find((s): s is ts.InterfaceDeclaration | ts.ClassDeclaration => isKind(s) && s.name?.text === name);
    assert.ok(declaration, `no ${kind} ${name} in ${path.relative(PROJECT_DIR, source.fileName)}`);
    if (kind === "interface") {
        // Inherited fields are in the schema too, but not in this syntactic reading.
        assert.strictEqual(declaration.heritageClauses, undefined, `${name} extends another interface; read its fields too`);
    }
    const hidden = [ts.SyntaxKind.PrivateKeyword, ts.SyntaxKind.ProtectedKeyword, ts.SyntaxKind.StaticKeyword];
    const properties = (declaration.members as ts.NodeArray<ts.ClassElement | ts.TypeElement>)
        .filter((m): m is ts.PropertySignature | ts.PropertyDeclaration => ts.isPropertySignature(m) || ts.isPropertyDeclaration(m))
        .filter((m) => ts.isIdentifier(m.name) && !(ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((mod) => hidden.includes(mod.kind))))
        .map((m) => ({ name: (m.name as ts.Identifier).text, optional: m.questionToken !== undefined, doc: docOf(m) }));
    return { doc: docOf(declaration), properties };
}

describe("the component package schema (provider/schema.json)", () => {
    let schema: PackageSchema;
    let component: SchemaResource;
    let source: ts.SourceFile;
    let argsSource: ts.SourceFile;

    before(() => {
        schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as PackageSchema;
        component = schema.resources[DUAL_SUBNET_ENI_INSTANCE_TYPE];
        [source, argsSource] = [COMPONENT_SOURCE, ARGS_SOURCE].map((file) => ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true));
    });

    it("is the dual-subnet-eni package at the library's version, described like the library", () => {
        const library = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { version: string; description: string };
        assert.deepStrictEqual([schema.name, schema.version, schema.description], ["dual-subnet-eni", library.version, library.description]);
        assert.strictEqual(versionOf(PROVIDER_DIR), library.version, "provider/package.json and package.json must carry the same version");
    });

    it("holds the component, and only it, under dual-subnet-eni:index:DualSubnetEniInstance, described by the class's TSDoc", () => {
        assert.deepStrictEqual(Object.keys(schema.resources), ["dual-subnet-eni:index:DualSubnetEniInstance"]);
        assert.strictEqual(component.isComponent, true);
        assert.strictEqual(component.description, declaredProperties(source, "class", DualSubnetEniInstance.name).doc);
    });

    it("has one input per field of DualSubnetEniInstanceArgs, required exactly where the field is, described by its TSDoc", () => {
        const fields = declaredProperties(argsSource, "interface", "DualSubnetEniInstanceArgs").properties;
        assert.deepStrictEqual(Object.keys(component.inputProperties).sort(), fields.map((f) => f.name).sort());
        assert.deepStrictEqual([...component.requiredInputs].sort(), fields.filter((f) => !f.optional).map((f) => f.name).sort());
        for (const field of fields) {
            const input = component.inputProperties[field.name];
            assert.ok(field.doc.trim().length > 0, `DualSubnetEniInstanceArgs.${field.name} has no TSDoc`);
            assert.strictEqual(input.description, field.doc, `input ${field.name}: its description is not its TSDoc ${LINK_HINT}`);
            assert.strictEqual(input.optional === true, field.optional, `input ${field.name}: optional in one, required in the other`);
        }
    });

    it("types every input as plain data another language can send, never Any, a function or a resource", () => {
        const sendable = (property: SchemaProperty): boolean =>
            property.$ref !== undefined
                ? property.$ref.startsWith("#/types/dual-subnet-eni:index:")
                : ["string", "number", "boolean"].includes(property.type ?? "") ||
                  (property.type === "array" && sendable(property.items!)) ||
                  (property.type === "object" && sendable(property.additionalProperties!));
        for (const [name, input] of Object.entries(component.inputProperties)) {
            assert.ok(sendable(input), `input ${name} is ${JSON.stringify(input)}`);
        }
    });

    it("types today's inputs as the TypeScript API does (Inputs may be outputs of other resources; plain fields may not)", () => {
        const pick = ({ type, $ref, plain, additionalProperties }: SchemaProperty) => ({ type, $ref, plain: plain ?? false, additionalProperties });
        const string = { type: "string", $ref: undefined, plain: false, additionalProperties: undefined };
        const expected: Record<string, ReturnType<typeof pick>> = {
            availabilityZone: string,
            vpcCidrBlock: string,
            primarySubnetCidrBlock: string,
            secondarySubnetCidrBlock: string,
            existingNetwork: { type: undefined, $ref: "#/types/dual-subnet-eni:index:ExistingNetwork", plain: true, additionalProperties: undefined },
            instanceType: string,
            ami: string,
            namePrefix: { ...string, plain: true },
            instancePrivateIp: string,
            networkInterfacePrivateIp: string,
            networkInterfaceSecondaryPrivateIpCount: { ...string, type: "number" },
            tags: { type: "object", $ref: undefined, plain: false, additionalProperties: { type: "string" } },
        };
        for (const [name, want] of Object.entries(expected)) {
            assert.ok(component.inputProperties[name], `no input ${name}`);
            assert.deepStrictEqual(pick(component.inputProperties[name]), want, `input ${name}`);
        }
    });

    it("describes ExistingNetwork's three ids, each required and described by its TSDoc", () => {
        const fields = declaredProperties(argsSource, "interface", "ExistingNetwork").properties;
        const type = schema.types["dual-subnet-eni:index:ExistingNetwork"];
        assert.deepStrictEqual(Object.keys(type.properties).sort(), ["primarySubnetId", "secondarySubnetId", "vpcId"]);
        assert.deepStrictEqual([...type.required].sort(), ["primarySubnetId", "secondarySubnetId", "vpcId"]);
        for (const field of fields) {
            assert.deepStrictEqual(type.properties[field.name], { type: "string", description: field.doc });
        }
        for (const [typeName, { properties }] of Object.entries(schema.types)) {
            for (const [name, property] of Object.entries(properties ?? {})) {
                assert.ok(property.description, `${typeName}.${name} has no description`);
            }
        }
    });

    it("has one output per public field of the class, each described by its TSDoc; every name in OUTPUT_NAMES is a string (or list of strings) output", () => {
        const fields = declaredProperties(source, "class", DualSubnetEniInstance.name).properties;
        assert.deepStrictEqual(Object.keys(component.properties).sort(), fields.map((f) => f.name).sort());
        for (const field of fields) {
            assert.ok(field.doc.trim().length > 0, `DualSubnetEniInstance.${field.name} has no TSDoc`);
            assert.strictEqual(component.properties[field.name].description, field.doc, `output ${field.name}: its description is not its TSDoc ${LINK_HINT}`);
        }
        for (const name of OUTPUT_NAMES) {
            const property = component.properties[name];
            assert.deepStrictEqual(property?.type === "array" ? property.items : property?.type, /(PrivateIps|Ipv6Addresses|Prefixes)$/.test(name) ? { type: "string" } : "string", `output ${name}`);
            assert.ok(component.required.includes(name), `output ${name} is not always set`);
        }
    });

    it("is listed whole in the README's outputs table: every name of OUTPUT_NAMES, in order, with its TSDoc", () => {
        const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
        const start = readme.indexOf("| output | what |");
        assert.ok(start >= 0, "the README has no outputs table");
        const rows = readme.slice(start).split("\n\n")[0].split("\n").slice(2).map((row) => /^\| `(\w+)` \| (.*) \|$/.exec(row));
        assert.deepStrictEqual(rows.map((row) => row?.[1]), [...OUTPUT_NAMES]);
        for (const row of rows) {
            assert.strictEqual(row![2], component.properties[row![1]].description, `the README's text for ${row![1]} is not its TSDoc`);
        }
    });

    it("gives the child resources as references to the AWS package's resources, at the installed @pulumi/aws version", () => {
        assert.deepStrictEqual(schema.dependencies, [{ name: "aws", version: AWS_VERSION }]);
        const references = Object.entries(component.properties).filter(([, property]) => property.$ref !== undefined);
        for (const [name, property] of references) {
            assert.match(property.$ref!, new RegExp(`^/aws/v${AWS_VERSION.replace(/\./g, "\\.")}/schema\\.json#/resources/aws:`), `output ${name}`);
        }
        const instance = component.properties.instance;
        assert.strictEqual(instance.$ref, `/aws/v${AWS_VERSION}/schema.json#/resources/aws:ec2%2Finstance:Instance`);
        assert.ok(component.required.includes("instance") && !component.required.includes("vpc"), "vpc is absent with existingNetwork, instance never");
    });
});
