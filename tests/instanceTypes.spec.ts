/** The instance-type table shipped with the library: its figures through the mocks, and the architectures derived from type names. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { architecturesOf, instanceTypeFacts } from "../components/instanceTypes";
import { createMocks } from "../components/testing";
import { stringify } from "yaml";
import { planOf } from "../tools/offlinePlan";
import { PROJECT_DIR, readStackFile } from "../tools/stackFiles";
import { runStackInProcess } from "./support/helpers";

const SHIPPED = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "components", "awsInstanceNetworkLimits.json"), "utf8")) as {
    source: string;
    columns: string[];
    instanceTypes: Record<string, [number, number]>;
};
const TYPES = Object.keys(SHIPPED.instanceTypes);
const familyOf = (type: string) => type.split(".")[0];

/** What DescribeInstanceTypes reports as `SupportedArchitectures`, per AWS's instance-type documentation. */
const AWS_ARCHITECTURES: Readonly<Record<string, readonly string[]>> = {
    ...Object.fromEntries(
        ["a1.medium", "t4g.nano", "m6g.large", "m7g.large", "m7gd.xlarge", "c6gn.large", "c7gn.large", "c8g.large", "r8gd.large", "x2gd.large",
            "is4gen.large", "im4gn.large", "g5g.xlarge", "hpc7g.4xlarge", "i4g.large", "i8ge.large", "x8g.large"].map((type) => [type, ["arm64"]]),
    ),
    ...Object.fromEntries(
        ["t3.micro", "t3a.small", "t2.large", "m1.large", "m3.medium", "c3.xlarge", "m5.large", "m7i-flex.large", "c7i-flex.large", "r7iz.large",
            "x2iezn.2xlarge", "i4i.large", "g4dn.xlarge", "g4ad.xlarge", "g5.xlarge", "gr6.4xlarge", "p5en.48xlarge", "p6-b200.48xlarge",
            "inf2.xlarge", "trn1.2xlarge", "hpc7a.12xlarge", "u7i-12tb.224xlarge", "u-6tb1.metal", "bmn-sf1.metal"].map((type) => [type, ["x86_64"]]),
    ),
    ...Object.fromEntries(
        ["t1.micro", "t2.nano", "t2.micro", "t2.small", "t2.medium", "m1.small", "m1.medium", "c1.medium", "c3.large"].map((type) => [type, ["i386", "x86_64"]]),
    ),
    "mac1.metal": ["x86_64_mac"],
    "mac2.metal": ["arm64_mac"],
    "mac2-m2pro.metal": ["arm64_mac"],
    "mac-m4.metal": ["arm64_mac"],
};

/** Every Graviton family of the table: AWS's arm64 families. */
const GRAVITON_FAMILIES = [
    "a1", "t4g", "m6g", "m6gd", "m7g", "m7gd", "m8g", "m8gb", "m8gd", "m8gn", "m9g", "m9gd", "c6g", "c6gd", "c6gn", "c7g", "c7gd", "c7gn",
    "c8g", "c8gb", "c8gd", "c8gn", "c9g", "c9gd", "r6g", "r6gd", "r7g", "r7gd", "r8g", "r8gb", "r8gd", "r8gn", "x2gd", "x8g", "g5g",
    "hpc7g", "i4g", "i8g", "i8ge", "im4gn", "is4gen",
];
const MAC_FAMILIES = ["mac1", "mac2", "mac2-m1ultra", "mac2-m2", "mac2-m2pro", "mac-m3ultra", "mac-m4", "mac-m4pro", "mac-m4max"];

describe("the shipped instance-type table", () => {
    it("holds AWS's figures for 1,391 types, with their source", () => {
        assert.strictEqual(TYPES.length, 1391);
        assert.match(SHIPPED.source, /DescribeInstanceTypes/);
        assert.deepStrictEqual(SHIPPED.columns, ["maximumNetworkInterfaces", "maximumIpv4AddressesPerInterface"]);
    });

    it("every entry answers through createMocks() with its own limits, offered in every zone of the region", () => {
        const mocks = createMocks({ region: "eu-west-1" });
        const wrong: string[] = [];
        for (const [type, [maximumNetworkInterfaces, maximumIpv4AddressesPerInterface]] of Object.entries(SHIPPED.instanceTypes)) {
            const answer = mocks.call({ token: "aws:ec2/getInstanceType:getInstanceType", inputs: { instanceType: type } }) as Record<string, unknown>;
            const offerings = mocks.call({
                token: "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings",
                inputs: { locationType: "availability-zone", filters: [{ name: "instance-type", values: [type] }] },
            }) as { instanceTypes: string[]; locations: string[] };
            const expected = { maximumNetworkInterfaces, maximumIpv4AddressesPerInterface, supportedArchitectures: architecturesOf(type), instanceType: type };
            const got = {
                maximumNetworkInterfaces: answer.maximumNetworkInterfaces,
                maximumIpv4AddressesPerInterface: answer.maximumIpv4AddressesPerInterface,
                supportedArchitectures: answer.supportedArchitectures,
                instanceType: answer.instanceType,
            };
            try {
                assert.deepStrictEqual(got, expected);
                assert.deepStrictEqual([offerings.instanceTypes, offerings.locations], [[type, type, type], ["eu-west-1a", "eu-west-1b", "eu-west-1c"]]);
            } catch {
                wrong.push(type);
            }
        }
        assert.deepStrictEqual(wrong, []);
    });

    it("a type outside the table is offered nowhere and unknown to getInstanceType, as on AWS", () => {
        const mocks = createMocks({ region: "eu-west-1" });
        for (const type of ["z9.huge", "t3.mini", "constructor", "__proto__"]) {
            assert.strictEqual(instanceTypeFacts(type), undefined, type);
            const offerings = mocks.call({
                token: "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings",
                inputs: { filters: [{ name: "instance-type", values: [type] }] },
            }) as { locations: string[] };
            assert.deepStrictEqual(offerings.locations, [], type);
            assert.throws(() => mocks.call({ token: "aws:ec2/getInstanceType:getInstanceType", inputs: { instanceType: type } }), /InvalidInstanceType/);
        }
    });

    it("MockOptions.instanceTypes overrides a real type (and its zones) and adds new ones", () => {
        const mocks = createMocks({
            region: "eu-west-1",
            instanceTypes: {
                "i4i.large": { maximumNetworkInterfaces: 2, maximumIpv4AddressesPerInterface: 3, supportedArchitectures: ["x86_64"], zoneSuffixes: ["b"] },
                "x9.single": { maximumNetworkInterfaces: 1, maximumIpv4AddressesPerInterface: 4, supportedArchitectures: ["x86_64"] },
            },
        });
        const offered = (type: string) =>
            (mocks.call({ token: "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings", inputs: { filters: [{ name: "instance-type", values: [type] }] } }) as {
                locations: string[];
            }).locations;
        const limit = (type: string) => (mocks.call({ token: "aws:ec2/getInstanceType:getInstanceType", inputs: { instanceType: type } }) as Record<string, unknown>).maximumNetworkInterfaces;
        assert.deepStrictEqual(offered("i4i.large"), ["eu-west-1b"]);
        assert.strictEqual(limit("i4i.large"), 2);
        assert.deepStrictEqual(offered("x9.single"), ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        assert.strictEqual(limit("x9.single"), 1);
        assert.strictEqual(limit("i4i.xlarge"), 4);
    });
});

describe("architecturesOf", () => {
    for (const [type, architectures] of Object.entries(AWS_ARCHITECTURES)) {
        it(`${type} runs ${architectures.join(", ")}`, () => {
            assert.ok(type in SHIPPED.instanceTypes, `${type} is not in the table`);
            assert.deepStrictEqual(architecturesOf(type), architectures);
        });
    }

    it("classes every family of the table: Graviton arm64, Mac their own, the rest x86_64", () => {
        const typesOf = new Map<string, string[]>();
        TYPES.forEach((type) => typesOf.set(familyOf(type), [...(typesOf.get(familyOf(type)) ?? []), type]));
        const families = [...typesOf.keys()];
        for (const family of [...GRAVITON_FAMILIES, ...MAC_FAMILIES]) {
            assert.ok(families.includes(family), `${family} is not in the table`);
        }
        const classes = (architecture: string) => families.filter((family) => typesOf.get(family)!.some((type) => architecturesOf(type).includes(architecture)));
        assert.deepStrictEqual(classes("arm64").sort(), [...GRAVITON_FAMILIES].sort());
        assert.deepStrictEqual(classes("arm64_mac").sort(), MAC_FAMILIES.filter((family) => family !== "mac1").sort());
        assert.deepStrictEqual(classes("x86_64_mac"), ["mac1"]);
        const i386 = TYPES.filter((type) => architecturesOf(type).includes("i386"));
        assert.deepStrictEqual(i386.sort(), ["c1.medium", "c3.large", "m1.medium", "m1.small", "t1.micro", "t2.medium", "t2.micro", "t2.nano", "t2.small"]);
        const x86 = families.filter((family) => !GRAVITON_FAMILIES.includes(family) && !MAC_FAMILIES.includes(family));
        assert.deepStrictEqual(x86.filter((family) => !typesOf.get(family)!.every((type) => architecturesOf(type).includes("x86_64"))), []);
    });
});

describe("a stack file with a type outside the old fifteen families (i4i.large)", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-i4i-"));
        fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        const dev = stringify({ config: { ...readStackFile("dev"), "dual-subnet-eni:instanceType": "i4i.large" } });
        fs.writeFileSync(path.join(dir, "Pulumi.storage.yaml"), dev);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("passes validation and plans an i4i.large instance on the x86_64 Amazon Linux 2023 AMI", async () => {
        const plan = planOf(await runStackInProcess("storage", dir));
        const instance = plan.resources.find((r) => r.type === "aws:ec2/instance:Instance");
        assert.ok(instance, "no instance planned");
        assert.strictEqual(instance.inputs.instanceType, "i4i.large");
        assert.match(String(instance.inputs.ami), /x86_64 AMI/);
        assert.ok(plan.resources.some((r) => r.type === "aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment"), "no ENI attachment planned");
    });
});
