/**
 * Every invalid configuration, run three ways: the component with plain args (refused synchronously
 * where possible), the component with Output args (refused when they resolve), and the stack program
 * with the value in its stack config (errors name the config key). None may register an AWS resource.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { DualSubnetEniInstance, DualSubnetEniInstanceArgs, ValidatedField } from "../components";
import { instanceTypeFacts } from "../components/instanceTypes";
import { MockOptions } from "../components/testing";
import { dualSubnetEniStack } from "../stacks/program";
import { loadStackConfig } from "../stacks/stackFiles";
import { SEED_ARGS, SEED_CONFIG } from "./fixtures";
import { awsResources, PROJECT, useMocks, validationErrorOf } from "./helpers";

interface InvalidCase {
    readonly title: string;
    readonly field: ValidatedField;
    /** The bad value; undefined means the setting is missing. */
    readonly value: string | number | undefined;
    /** A fragment the reason must contain. */
    readonly reason: RegExp;
    readonly mocks?: MockOptions;
    readonly extra?: Partial<DualSubnetEniInstanceArgs>;
}

const single1Eni: MockOptions = {
    instanceTypes: { "x9.single": { maximumNetworkInterfaces: 1, maximumIpv4AddressesPerInterface: 4, supportedArchitectures: ["x86_64"] } },
};
const soldNowhere: MockOptions = { instanceTypes: { "i4i.large": { ...instanceTypeFacts("i4i.large")!, zoneSuffixes: [] } } };
const onlyInZoneB: MockOptions = {
    instanceTypes: { "c7i.large": { maximumNetworkInterfaces: 3, maximumIpv4AddressesPerInterface: 10, supportedArchitectures: ["x86_64"], zoneSuffixes: ["b"] } },
};

const CASES: InvalidCase[] = [
    { title: "VPC CIDR with host bits", field: "vpcCidrBlock", value: "10.0.0.5/20", reason: /canonical "10\.0\.0\.0\/20"/ },
    { title: "VPC CIDR without a prefix", field: "vpcCidrBlock", value: "10.0.0.0", reason: /not an IPv4 CIDR/ },
    { title: "VPC CIDR with an octet over 255", field: "vpcCidrBlock", value: "300.0.0.0/16", reason: /not an IPv4 CIDR/ },
    { title: "VPC larger than /16", field: "vpcCidrBlock", value: "10.0.0.0/8", reason: /prefix \/8; AWS allows VPC prefixes from \/16 to \/28/ },
    { title: "VPC smaller than /28", field: "vpcCidrBlock", value: "10.0.0.0/29", reason: /prefix \/29/ },
    { title: "missing VPC CIDR", field: "vpcCidrBlock", value: undefined, reason: /is required/ },
    { title: "primary subnet outside the VPC", field: "primarySubnetCidrBlock", value: "10.0.16.0/24", reason: /not inside vpcCidrBlock 10\.0\.0\.0\/20/ },
    { title: "primary subnet smaller than /28", field: "primarySubnetCidrBlock", value: "10.0.0.0/29", reason: /subnet prefixes from \/16 to \/28/ },
    { title: "secondary subnet outside the VPC", field: "secondarySubnetCidrBlock", value: "192.168.1.0/24", reason: /not inside vpcCidrBlock/ },
    { title: "secondary subnet equal to the primary", field: "secondarySubnetCidrBlock", value: "10.0.0.0/24", reason: /same block as primarySubnetCidrBlock/ },
    { title: "secondary subnet overlapping the primary", field: "secondarySubnetCidrBlock", value: "10.0.0.128/25", reason: /overlaps primarySubnetCidrBlock 10\.0\.0\.0\/24/ },
    { title: "secondary subnet with host bits", field: "secondarySubnetCidrBlock", value: "10.0.1.1/24", reason: /canonical "10\.0\.1\.0\/24"/ },
    { title: "a region instead of a zone", field: "availabilityZone", value: "ap-south-1", reason: /not an availability zone name/ },
    { title: "an upper-case zone", field: "availabilityZone", value: "AP-SOUTH-1A", reason: /not an availability zone name/ },
    { title: "a zone of another region", field: "availabilityZone", value: "eu-west-1a", reason: /region eu-west-1, but the AWS provider's region is ap-south-1/ },
    { title: "a zone the region does not have", field: "availabilityZone", value: "ap-south-1z", reason: /not an available zone of ap-south-1/ },
    { title: "a malformed instance type", field: "instanceType", value: "t3micro", reason: /not an instance type name/ },
    { title: "an instance type AWS does not sell", field: "instanceType", value: "z9.huge", reason: /: is not an EC2 instance type AWS lists \(check the spelling, e\.g\. t3\.micro\)$/ },
    { title: "a real instance type the region does not sell", field: "instanceType", value: "i4i.large", reason: /: is not offered in region ap-south-1$/, mocks: soldNowhere },
    { title: "an instance type with one network interface", field: "instanceType", value: "x9.single", reason: /at least 2/, mocks: single1Eni },
    { title: "an instance type not offered in the zone", field: "instanceType", value: "c7i.large", reason: /not offered in ap-south-1a \(offered in: ap-south-1b\)/, mocks: onlyInZoneB },
    { title: "a Mac instance type with no AMI", field: "instanceType", value: "mac2.metal", reason: /no Amazon Linux 2023 image; set ami/ },
    { title: "a malformed AMI", field: "ami", value: "ubuntu-22.04", reason: /not an AMI id/ },
    { title: "an instance IP outside its subnet", field: "instancePrivateIp", value: "10.0.1.10", reason: /not inside the primary subnet 10\.0\.0\.0\/24/ },
    { title: "an instance IP AWS reserves (router)", field: "instancePrivateIp", value: "10.0.0.1", reason: /reserves in 10\.0\.0\.0\/24/ },
    { title: "an ENI IP AWS reserves (broadcast)", field: "networkInterfacePrivateIp", value: "10.0.1.255", reason: /reserves/ },
    { title: "an ENI IP that is no address", field: "networkInterfacePrivateIp", value: "10.0.1.300", reason: /not an IPv4 address/ },
    { title: "more ENI addresses than t3.micro allows", field: "networkInterfaceSecondaryPrivateIpCount", value: 2, reason: /asks for 3 IPv4 addresses .* allows 2 per interface/ },
    { title: "a negative secondary IP count", field: "networkInterfaceSecondaryPrivateIpCount", value: -1, reason: /whole number/ },
    { title: "a name prefix too long for AWS", field: "namePrefix", value: "n".repeat(201), reason: /201 characters long/ },
];

function componentArgs(c: InvalidCase, wrap: (value: unknown) => unknown): DualSubnetEniInstanceArgs {
    const args: Record<string, unknown> = { ...SEED_ARGS, ...c.extra };
    for (const key of Object.keys(args)) {
        if (key !== "namePrefix") {
            args[key] = wrap(args[key]);
        }
    }
    args[c.field] = c.field === "namePrefix" ? c.value : wrap(c.value);
    return args as unknown as DualSubnetEniInstanceArgs;
}

function assertNames(message: string, label: string, c: InvalidCase) {
    const line = message.split("\n").find((l) => l.includes(`${label} = `));
    assert.ok(line, `no line names ${label}:\n${message}`);
    assert.ok(line.includes(c.value === undefined ? "" : String(c.value)), `the line does not show the value:\n${line}`);
    assert.match(line, c.reason);
}

describe("invalid configurations are refused before any AWS resource exists", () => {
    it(`covers at least 20 configurations (${CASES.length})`, () => assert.ok(CASES.length >= 20));

    for (const c of CASES) {
        describe(c.title, () => {
            it("component, plain args: the error names the arg and value", async () => {
                const registrations = await useMocks(SEED_CONFIG, c.mocks);
                const error = await validationErrorOf(registrations, () => new DualSubnetEniInstance("bad", componentArgs(c, (v) => v)));
                assertNames(error.message, c.field, c);
                assert.deepStrictEqual(error.problems.map((p) => p.field), [c.field]);
                assert.deepStrictEqual(awsResources(registrations), []);
            });

            it("component, Output args: refused once they resolve", async () => {
                const registrations = await useMocks(SEED_CONFIG, c.mocks);
                const error = await validationErrorOf(registrations, () => new DualSubnetEniInstance("bad", componentArgs(c, (v) => pulumi.output(v))));
                assertNames(error.message, c.field, c);
                assert.deepStrictEqual(awsResources(registrations), []);
            });

            it("stack program: the error names the config key and value", async () => {
                const config = loadStackConfig("dev");
                const key = `${PROJECT}:${c.field}`;
                if (c.value === undefined) {
                    delete config[key];
                } else {
                    config[key] = String(c.value);
                }
                const registrations = await useMocks(config, c.mocks);
                const error = await validationErrorOf(registrations, () => dualSubnetEniStack());
                assertNames(error.message, key, c);
                assert.deepStrictEqual(awsResources(registrations), []);
            });
        });
    }

    it("reports several problems in one error", async () => {
        const registrations = await useMocks(SEED_CONFIG);
        const error = await validationErrorOf(registrations, 
            () => new DualSubnetEniInstance("bad", { ...SEED_ARGS, vpcCidrBlock: "10.0.0.5/20", availabilityZone: "ap-south-1", instancePrivateIp: "10.0.0.0" }),
        );
        assert.deepStrictEqual(error.problems.map((p) => p.field), ["vpcCidrBlock", "availabilityZone", "instancePrivateIp"]);
        assert.match(error.message, /^DualSubnetEniInstance "bad" has 3 invalid settings:\n/);
        assert.deepStrictEqual(registrations, []);
    });

    it("a stack config number that does not parse is refused by key", async () => {
        const registrations = await useMocks({ ...loadStackConfig("dev"), [`${PROJECT}:networkInterfaceSecondaryPrivateIpCount`]: "two" });
        assert.throws(() => dualSubnetEniStack(), /dual-subnet-eni:networkInterfaceSecondaryPrivateIpCount.*two/);
        assert.deepStrictEqual(registrations, []);
    });
});
