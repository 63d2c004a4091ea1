/**
 * The plan command and the config checks, on throw-away projects that share this project's code
 * (symlinks) but have their own stack files. Failures that need the program run it through cmd/run.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { USAGE } from "../../scripts/plan";
import { planOf, runStack, StackPlan, StackProgramError, StackRun } from "../../tools/offlinePlan";
import { stopChildren } from "../../tools/childProcess";
import { RUNNER_DEADLINE_MS, RUNNER_EXIT_AFTER_LOGGED_ERROR } from "../../tools/localEngine";
import { PROJECT_DIR } from "../../tools/stackFiles";
import { plan, PlanResult } from "../support/planCommand";

const DEV = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");
const SHARED = ["Pulumi.yaml", "package.json", "tsconfig.json", "node_modules", "stacks", "components"];
const projects: string[] = [];

/** A project with this project's code and only the given stack files (stack name to YAML). */
function projectWith(stackFiles: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-plan-"));
    projects.push(dir);
    SHARED.forEach((entry) => fs.symlinkSync(path.join(PROJECT_DIR, entry), path.join(dir, entry)));
    Object.entries(stackFiles).forEach(([stack, text]) => fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text));
    return dir;
}

const NO_STACK_TRACE = /^\s+at |__pulumiRunError|\[Circular/m;

// The runners work in these folders: stopped (and exited) first.
after(async () => {
    await stopChildren();
    projects.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
});

describe("npm run plan", () => {
    it("--help explains every flag", async () => {
        const { code, out } = await plan(["--help"], PROJECT_DIR);
        assert.strictEqual(code, 0);
        for (const flag of ["--json", "--check", "--update", "--list", "--help"]) {
            assert.match(out, new RegExp(`^  ${flag} +\\S`, "m"), `${flag} is not explained`);
        }
        assert.strictEqual(out, USAGE);
    });

    it("names the stacks that exist when asked for one that does not", async () => {
        const { code, err } = await plan(["qa"], projectWith({ dev: DEV, prod: DEV }));
        assert.strictEqual(code, 2);
        assert.match(err, /no stack qa \(no Pulumi\.qa\.yaml\); the stacks are: dev, prod/);
    });

    it("suggests the stack a mistyped name most likely meant: Dev is dev", async () => {
        const { code, err } = await plan(["Dev"], projectWith({ dev: DEV, prod: DEV }));
        assert.strictEqual(code, 2);
        assert.match(err, /no stack Dev \(no Pulumi\.Dev\.yaml\); did you mean dev\?; the stacks are: dev, prod/);
    });

    it("names the file of a YAML error", async () => {
        const { code, err } = await plan(["broken"], projectWith({ broken: "config:\n  aws:region: [us-east-1\n" }));
        assert.strictEqual(code, 1);
        assert.match(err, /^error: Pulumi\.broken\.yaml is not valid YAML: /);
    });

    it("lists stacks in deploy order: dev, staging, the others by name, prod last", async () => {
        const dir = projectWith({ prod: DEV, qa: DEV, dev: DEV, staging: DEV, perf: DEV });
        assert.deepStrictEqual(await plan(["--list", "--json"], dir), { code: 0, out: JSON.stringify(["dev", "staging", "perf", "qa", "prod"]), err: "" });
    });

    describe("refuses what the Pulumi CLI refuses, before running the program", () => {
        it("a value not of its declared type, naming the key and value", async () => {
            const { code, err } = await plan(["typed"], projectWith({ typed: `${DEV}  dual-subnet-eni:networkInterfaceSecondaryPrivateIpCount: two\n` }));
            assert.strictEqual(code, 1);
            assert.match(err, /Pulumi\.typed\.yaml .*the Pulumi CLI refuses it too:\n {2}- dual-subnet-eni:networkInterfaceSecondaryPrivateIpCount = "two": must be of type 'integer'/);
        });

        it("a key declared without a default that the stack does not set", async () => {
            const { code, err } = await plan(["partial"], projectWith({ partial: DEV.replace(/^.*vpcCidrBlock.*\n/m, "") }));
            assert.strictEqual(code, 1);
            assert.match(err, /- dual-subnet-eni:vpcCidrBlock: is missing; Pulumi\.yaml declares it without a default/);
        });
    });

    describe("through the runner pulumi up starts (cmd/run), one at a time", () => {
        const program = {
            // Two refusals in one runner: a region that does not exist and a key Pulumi.yaml does not declare.
            // Three mistakes in one file, all reported in one round: a region that does not exist, a key Pulumi.yaml
            // does not declare, and a VPC CIDR with host bits.
            typo: DEV.replace("aws:region: ap-south-1", "aws:region: ap-sooth-1")
                .replace("dual-subnet-eni:instanceType:", "dual-subnet-eni:instancetype:")
                .replace("vpcCidrBlock: 10.0.0.0/20", "vpcCidrBlock: 10.0.0.5/20"),
            elsewhere: DEV.replace("availabilityZone: ap-south-1a", "availabilityZone: eu-west-1a"),
        };
        let refused: PlanResult;
        let elsewhere: StackRun;
        const stderrOf = (stack: string) => refused.err.split("\n\n").filter((section) => section.includes(`dual-subnet-eni-${stack}`)).join("\n\n");

        before(async function () {
            // The plan runs its two stacks one after the other; the third runner runs beside it, on the other core.
            this.timeout(2 * RUNNER_DEADLINE_MS + 10_000);
            const dir = projectWith({ ...program, dev: DEV });
            [refused, elsewhere] = await Promise.all([plan(["--json", "dev", "typo"], dir), runStack("elsewhere", dir)]);
        });

        it("fails the plan with exit code 1, the passing stack's plan as the only thing on stdout: one JSON array", () => {
            assert.strictEqual(refused.code, 1);
            const plans = JSON.parse(refused.out) as StackPlan[];
            assert.deepStrictEqual(plans.map((p) => p.stack), ["dev"]);
            assert.deepStrictEqual(plans[0], JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "plans", "dev.json"), "utf8")), "the runner's plan of dev differs from plans/dev.json");
        });

        it("refuses a key Pulumi.yaml does not declare, naming the nearest declared key, in the program (a missing aws:region: configChecks.spec.ts)", () => {
            const err = stderrOf("typo");
            assert.match(err, /^ {4}error: Stack "typo" has 3 invalid config settings:$/m);
            assert.match(err, /^ {6}- dual-subnet-eni:vpcCidrBlock = "10\.0\.0\.5\/20": has host bits set; use the canonical "10\.0\.0\.0\/20"$/m);
            assert.match(err, /^ {6}- dual-subnet-eni:instancetype = "t3\.micro": is not declared in Pulumi\.yaml, so nothing reads it; did you mean dual-subnet-eni:instanceType\?$/m);
            assert.doesNotMatch(err, NO_STACK_TRACE);
        });

        it("refuses a region AWS does not have, naming the nearest one, in the program", () => {
            const err = stderrOf("typo");
            assert.match(err, /^ {6}- aws:region = "ap-sooth-1": is not an AWS region; did you mean ap-south-1\?$/m);
            assert.doesNotMatch(err, NO_STACK_TRACE);
        });

        it("prints what pulumi up prints for an error that needs AWS's answers (a zone of another region), no resource, no stack trace", () => {
            const message = [
                'DualSubnetEniInstance "dual-subnet-eni" has 1 invalid setting:',
                `  - dual-subnet-eni:availabilityZone = "eu-west-1a": is in region eu-west-1, but the AWS provider's region is ap-south-1`,
            ].join("\n");
            assert.strictEqual(elsewhere.exitCode, RUNNER_EXIT_AFTER_LOGGED_ERROR, elsewhere.output);
            assert.deepStrictEqual(elsewhere.diagnostics.filter((d) => d.severity !== "debug"), [{ severity: "error", message, urn: "" }]);
            assert.strictEqual(elsewhere.output, "");
            assert.deepStrictEqual(elsewhere.registrations.filter((r) => r.custom).map((r) => r.type), [], "AWS resources were registered");
            const printed = ["Diagnostics:", "  pulumi:pulumi:Stack (dual-subnet-eni-elsewhere):", ...message.split("\n").map((line, i) => `    ${i === 0 ? "error: " : ""}${line}`)].join("\n");
            assert.throws(() => planOf(elsewhere), (error: unknown) => error instanceof StackProgramError && error.message === printed);
        });
    });
});
