/**
 * The audit of docs/day-2-changes.md: every input the component sets, in every configuration run here, has a row
 * there, and each row holds against the provider's facts (tools/awsAttributeFacts.json, terraform-provider-aws
 * v6.58.0) and the plans: its flags, how the component sets it, and that no ForceNew input is contradicted by
 * the provider's Read.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DualSubnetEniInstance, outputsOf } from "../components";
import type { MockSubnet } from "../components/testing";
import type { PlannedResource, StackPlan } from "../tools/offlinePlan";
import { REPLACE_RULES } from "../tools/planDiff";
import { previewChange } from "../tools/preview";
import { ATTRIBUTE_FACTS, type AttributeFacts, isObject, isRegional, keptWhenLeftOut, valueAt } from "../tools/providerState";
import { changedConfig, MATRIX_AWS, type Program, runConfigInProcess } from "../tools/updateMatrix";
import { listStacks, PROJECT_DIR } from "../tools/stackFiles";

const HANDLINGS = [
    "always",
    "always; ignoreChanges after create",
    'always; "" when none',
    "some configurations; kept when left out",
    "some configurations; default when left out",
    "never; the provider's region",
] as const;
type Handling = (typeof HANDLINGS)[number];

interface AuditRow {
    readonly type: string;
    readonly attribute: string;
    readonly flags: string;
    readonly handling: Handling;
    readonly why: string;
}

/** The rows of the table under "## The audit". */
function auditRows(): AuditRow[] {
    const doc = fs.readFileSync(path.join(PROJECT_DIR, "docs", "day-2-changes.md"), "utf8");
    const section = doc.slice(doc.indexOf("## The audit"));
    const code = (cell: string) => /^`(.+)`$/.exec(cell)?.[1] ?? cell;
    return section
        .split("\n")
        .filter((line) => line.startsWith("| `"))
        .map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()))
        .map(([type, attribute, flags, handling, why]) => ({ type: code(type), attribute: code(attribute), flags, handling: handling as Handling, why }));
}

const flagsOf = (facts: AttributeFacts) =>
    [facts.required ? "Required" : facts.optional ? "Optional" : "", facts.computed ? "Computed" : "", facts.forceNew ? "ForceNew" : ""].filter(Boolean).join(", ");

/** The attribute paths an input map sets: top-level keys, `tags` as one, leaves of nested blocks. */
function pathsOf(inputs: Readonly<Record<string, unknown>>, prefix = ""): string[] {
    return Object.entries(inputs).flatMap(([key, value]) => {
        const at = prefix ? `${prefix}.${key}` : key;
        return isObject(value) && at !== "tags" ? pathsOf(value, at) : [at];
    });
}

const VPC = "vpc-0a1b2c3d4e5f60718";
const SUBNETS: MockSubnet[] = [
    { id: "subnet-0000000000000000a", vpcId: VPC, availabilityZone: "ap-south-1a", cidrBlock: "172.16.0.0/24", ipv6CidrBlock: "2600:1f18:47b:ab00::/64", internetGatewayId: "igw-0a1b2c3d4e5f60718" },
    { id: "subnet-0000000000000000b", vpcId: VPC, availabilityZone: "ap-south-1a", cidrBlock: "172.16.1.0/24", ipv6CidrBlock: "2600:1f18:47b:ab01::/64", internetGatewayId: "igw-0a1b2c3d4e5f60718" },
];

/** dev with every optional input of the instance and ENI, a public ENI, and rules of each source kind. */
const EVERYTHING_ON_DEV = {
    instancePrivateIp: "10.0.0.10",
    instanceSecondaryPrivateIps: ["10.0.0.11"],
    keyName: "ops",
    rootVolumeSizeGiB: 20,
    userData: "#cloud-config\n",
    instanceSourceDestCheck: false,
    networkInterfaceSourceDestCheck: false,
    networkInterfacePrivateIp: "10.0.1.10",
    networkInterfaceSecondaryPrivateIpCount: 1,
    iamInstanceProfile: "app-profile",
    publicInterface: "networkInterface",
    instanceIngress: [
        { protocol: "tcp", fromPort: 80, toPort: 80, prefixListId: "pl-0123456789abcdef0", description: "HTTP from the office prefix list" },
    ],
};

/** dev dual stack: a public instance (its `::/0` to the internet gateway), two IPv6 addresses on it, a /28 and a /80 on the ENI. */
const IPV6_ON_DEV = { ipv6: true, publicInterface: "instance", instanceIpv6AddressCount: 2, networkInterfaceIpv4PrefixCount: 1, networkInterfaceIpv6PrefixCount: 1 };

/**
 * A library consumer's existing dual-stack network: a public instance, a standby, Session Manager, an IPv6 rule, a
 * group of the VPC as a source, two IPv6 addresses on the ENI.
 */
const existingNetwork: Program = () =>
    outputsOf(
        new DualSubnetEniInstance("byo", {
            existingNetwork: { vpcId: VPC, primarySubnetId: SUBNETS[0].id, secondarySubnetId: SUBNETS[1].id },
            ipv6: true,
            networkInterfaceIpv6AddressCount: 2,
            publicInterface: "instance",
            standbyInstance: true,
            ssmAccess: true,
            instanceIngress: [
                { protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0", description: "HTTPS over IPv6" },
                { protocol: "all", sourceSecurityGroupId: "sg-0123456789abcdef0" },
            ],
        }),
    );

describe("the audit of every input the component sets (docs/day-2-changes.md)", () => {
    const rows = auditRows();
    let plans: StackPlan[] = [];
    const resources = () => plans.flatMap((plan) => plan.resources.filter((r) => ATTRIBUTE_FACTS[r.type] || r.type.startsWith("aws:")));
    const ofType = (type: string) => resources().filter((r) => r.type === type);

    before(async () => {
        const committed = listStacks().map((stack) => JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "plans", `${stack}.json`), "utf8")) as StackPlan);
        const mocks = {
            ...MATRIX_AWS,
            existingSubnets: SUBNETS,
            prefixLists: { "pl-0123456789abcdef0": { maxEntries: 5 } },
            securityGroups: { "sg-0123456789abcdef0": { vpcId: VPC } },
        };
        const variants = [
            await runConfigInProcess("dev", changedConfig("dev", EVERYTHING_ON_DEV), mocks),
            await runConfigInProcess("dev", changedConfig("dev", IPV6_ON_DEV), mocks),
            await runConfigInProcess("dev", changedConfig("dev", {}), mocks, existingNetwork),
        ];
        plans = [...committed, ...variants.map((v) => v.plan)];
    });

    it("has a row, and provider facts, for every input of every AWS resource in the plans; and no row no plan uses", () => {
        const used = new Set(resources().flatMap((r) => pathsOf(r.inputs).map((at) => `${r.type} ${at.startsWith("tags") ? "tags" : at}`)));
        const rowKeys = new Set(rows.map((row) => `${row.type} ${row.attribute}`));
        const missing = [...used].filter((key) => !rowKeys.has(key) && !rowKeys.has(`* ${key.split(" ")[1]}`));
        assert.deepStrictEqual(missing, [], "inputs without an audit row");
        assert.deepStrictEqual([...used].filter((key) => !ATTRIBUTE_FACTS[key.split(" ")[0]]?.attributes[key.split(" ")[1]]), [], "inputs without facts: refresh tools/awsAttributeFacts.json");
        assert.deepStrictEqual(rows.filter((row) => row.type !== "*" && !used.has(`${row.type} ${row.attribute}`)).map((row) => `${row.type} ${row.attribute}`), [], "rows no plan uses");
        assert.ok(rows.every((row) => HANDLINGS.includes(row.handling) && row.why.length > 0), "every row has a known handling and a reason");
    });

    it("every configuration is unchanged after the provider's read: no input a Read contradicts forces a replacement", () => {
        for (const plan of plans) {
            const p = previewChange(plan, plan);
            assert.deepStrictEqual(p.diff.changes.filter((c) => c.op !== "same").map((c) => c.name), [], `${plan.stack}`);
        }
    });

    for (const row of rows) {
        it(`${row.type} ${row.attribute}: ${row.flags}; ${row.handling}`, () => {
            const present = (r: PlannedResource) => (row.attribute === "tags" ? r.inputs.tags !== undefined : valueAt(r.inputs, row.attribute) !== undefined);
            if (row.type === "*") {
                const types = [...new Set(resources().map((r) => r.type))];
                if (row.attribute === "tags") {
                    const tagged = types.filter((type) => ATTRIBUTE_FACTS[type].attributes.tags);
                    assert.ok(tagged.every((type) => flagsOf(ATTRIBUTE_FACTS[type].attributes.tags) === row.flags));
                    assert.deepStrictEqual(tagged.flatMap(ofType).filter((r) => !present(r)).map((r) => r.name), []);
                } else {
                    assert.strictEqual(row.handling, "never; the provider's region");
                    assert.deepStrictEqual(resources().filter((r) => r.inputs.region !== undefined).map((r) => r.name), []);
                    assert.ok(types.some(isRegional) && types.some((type) => !isRegional(type)), "regional and global types both audited");
                }
                return;
            }
            const facts = ATTRIBUTE_FACTS[row.type].attributes[row.attribute];
            assert.strictEqual(row.flags, flagsOf(facts), "the provider's flags");
            const rules = REPLACE_RULES[row.type];
            assert.strictEqual(rules.replaceOnChange.includes(row.attribute), facts.forceNew, "awsReplaceOnChange.json agrees on ForceNew");
            if (facts.forceNew && /^Not read back from config/.test(facts.read ?? "")) {
                assert.strictEqual(row.handling, "always; ignoreChanges after create", "a ForceNew attribute Read derives from something else must be ignored after create");
            }
            const all = ofType(row.type);
            const setIn = all.filter(present);
            assert.ok(setIn.length > 0, "set somewhere");
            if (row.handling.startsWith("always")) {
                assert.deepStrictEqual(all.filter((r) => !present(r)).map((r) => r.name), [], "set on every resource of the type");
            } else {
                assert.ok(setIn.length < all.length, "left out somewhere");
            }
            if (row.handling === "always; ignoreChanges after create") {
                assert.deepStrictEqual(all.filter((r) => !r.ignoreChanges?.includes(row.attribute)).map((r) => r.name), []);
            }
            if (row.handling === 'always; "" when none') {
                assert.ok(facts.optional && facts.computed && !facts.forceNew, "left out it would be kept; changed it is an update");
                assert.ok(all.some((r) => valueAt(r.inputs, row.attribute) === "") && all.some((r) => valueAt(r.inputs, row.attribute) !== ""));
            }
            if (row.handling === "some configurations; kept when left out") {
                assert.ok(keptWhenLeftOut(row.type, row.attribute, {}), "Optional and Computed");
            }
            if (row.handling === "some configurations; default when left out") {
                assert.ok(!facts.computed && !keptWhenLeftOut(row.type, row.attribute, {}), "Optional, not Computed");
            }
        });
    }
});
