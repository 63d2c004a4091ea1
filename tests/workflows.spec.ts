/** The GitHub Actions workflows, shaped the way the README promises (their schema: `npm run lint`, action-validator). */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { deployOrder, listStacks, PROJECT_DIR } from "../tools/stackFiles";

const WORKFLOWS = path.join(PROJECT_DIR, ".github", "workflows");

interface Step {
    name?: string;
    env?: Record<string, string>;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, unknown>;
}
interface Job {
    needs?: string | string[];
    uses?: string;
    with?: Record<string, unknown>;
    steps?: Step[];
    environment?: string;
    strategy?: { matrix?: Record<string, unknown>; "fail-fast"?: boolean; "max-parallel"?: number };
}
interface Workflow {
    on: Record<string, unknown>;
    jobs: Record<string, Job>;
}

function workflow(name: string): Workflow {
    return parse(fs.readFileSync(path.join(WORKFLOWS, name), "utf8")) as Workflow;
}

function step(job: Job, uses: string): Step {
    const found = job.steps?.find((s) => s.uses?.startsWith(uses));
    assert.ok(found, `no step uses ${uses}`);
    return found;
}

describe("GitHub Actions workflows", () => {
    describe("preview (pull requests)", () => {
        const preview = workflow("preview.yml");
        const job = preview.jobs.preview;

        it("runs on pull requests, one job per stack file", () => {
            assert.ok("pull_request" in preview.on);
            assert.strictEqual(job.strategy?.matrix?.stack, "${{ fromJSON(needs.stacks.outputs.stacks) }}");
            assert.match(preview.jobs.stacks.steps!.map((s) => s.run ?? "").join("\n"), /Pulumi\.\*\.yaml/);
        });

        it("tests once, as root so that no test is skipped, and lints; every stack's job waits for it", () => {
            const runs = preview.jobs.test.steps!.map((s) => s.run ?? s.uses ?? "");
            assert.ok(runs.includes('sudo -E env "PATH=$PATH" npm test'), "the tests do not run as root");
            assert.ok(runs.includes("npm run lint"), "no lint");
            assert.deepStrictEqual(job.needs, ["stacks", "test"]);
        });

        it("installs from the lockfile and checks the offline plan before any cloud step", () => {
            const runs = job.steps!.map((s) => s.run ?? s.uses ?? "");
            const index = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r));
            const order = [/^npm ci$/, /plan -- --check/, /^pulumi\/actions/].map(index);
            assert.ok(order.every((i) => i >= 0), `missing steps: ${order}`);
            assert.deepStrictEqual([...order].sort((a, b) => a - b), order);
        });

        it("previews the change offline against the base branch's committed plan, before any cloud step, failing on a refused change", () => {
            const runs = job.steps!.map((s) => s.run ?? s.uses ?? "");
            const diff = runs.findIndex((r) => /npm run --silent plan -- "\$STACK" --diff --against "\$RUNNER_TEMP\/base-plan\.json"/.test(r));
            assert.ok(diff >= 0, "no offline diff step");
            assert.match(runs[diff], /git show "FETCH_HEAD:plans\/\$STACK\.json"/);
            assert.match(runs[diff], /exit "\$status"/);
            assert.strictEqual(job.steps![diff].env?.BASE_REF, "${{ github.base_ref }}");
            assert.ok(diff < runs.findIndex((r) => r.startsWith("pulumi/actions")) && diff > runs.findIndex((r) => /plan -- --check/.test(r)));
        });

        it("previews with a diff commented on the PR, only when a Pulumi token and an AWS role are there", () => {
            const pulumi = step(job, "pulumi/actions");
            assert.deepStrictEqual([pulumi.with?.command, pulumi.with?.["comment-on-pr"], pulumi.with?.diff], ["preview", true, true]);
            assert.strictEqual(pulumi.if, "steps.cloud.outputs.enabled == 'true'");
            const credentials = step(job, "aws-actions/configure-aws-credentials");
            assert.strictEqual(credentials.if, pulumi.if);
            assert.ok(credentials.with?.["role-to-assume"], "OIDC role");
        });
    });

    describe("deploy (push to main)", () => {
        const deploy = workflow("deploy.yml");

        it("runs on pushes to main, tests, then deploys every stack file one at a time in deploy order, stopping at a failure", () => {
            assert.deepStrictEqual((deploy.on.push as { branches: string[] }).branches, ["main"]);
            const job = deploy.jobs.deploy;
            assert.strictEqual(job.needs, "test");
            assert.ok(job.uses?.endsWith("pulumi-up.yml"), "deploys through pulumi-up.yml");
            assert.strictEqual(job.with?.stack, "${{ matrix.stack }}");
            assert.deepStrictEqual(job.strategy, { "fail-fast": true, "max-parallel": 1, matrix: { stack: "${{ fromJSON(needs.test.outputs.stacks) }}" } });
            const list = deploy.jobs.test.steps!.find((s) => s.run?.includes("plan -- --list --json"));
            assert.ok(list, "the test job lists the stacks with npm run plan -- --list --json");
            assert.strictEqual((deploy.jobs.test as Job & { outputs?: Record<string, string> }).outputs?.stacks, "${{ steps.stacks.outputs.stacks }}");
            const order = deployOrder(listStacks());
            assert.deepStrictEqual([order[0], order[1], order[order.length - 1]], ["dev", "staging", "prod"]);
            assert.deepStrictEqual([...order].sort(), listStacks());
        });

        it("tests as root and lints before any deploy", () => {
            const runs = deploy.jobs.test.steps!.map((s) => s.run ?? "");
            assert.ok(runs.includes('sudo -E env "PATH=$PATH" npm test') && runs.includes("npm run lint"));
        });

        it("deploys each stack in the GitHub environment of its name, where prod's approval is required", () => {
            const up = workflow("pulumi-up.yml").jobs.up;
            assert.strictEqual(up.environment, "${{ inputs.stack }}");
            assert.strictEqual(step(up, "pulumi/actions").with?.command, "up");
        });

        it("previews each stack's change against the plan of the previous main before pulumi up, stopping at a refused change", () => {
            const up = workflow("pulumi-up.yml").jobs.up;
            const runs = up.steps!.map((s) => s.run ?? s.uses ?? "");
            const diff = runs.findIndex((r) => /npm run --silent plan -- "\$STACK" --diff --against "\$RUNNER_TEMP\/deployed-plan\.json"$/m.test(r));
            assert.ok(diff >= 0, "no offline preview before pulumi up");
            assert.strictEqual(up.steps![diff].env?.BEFORE, "${{ github.event.before }}");
            assert.ok(diff < runs.findIndex((r) => r.startsWith("pulumi/actions")));
        });
    });

    describe("release (version tags)", () => {
        const release = workflow("release.yml");
        const job = release.jobs.publish;

        it("publishes with npm provenance on a vX.Y.Z tag, after the tests, from a tag that names the package's version", () => {
            assert.deepStrictEqual((release.on.push as { tags: string[] }).tags, ["v*.*.*"]);
            const runs = job.steps!.map((s) => s.run ?? s.uses ?? "");
            const index = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r));
            const order = [/npm test$/, /require\("\.\/package\.json"\)\.version/, /^npm pkg set repository/, /^npm publish --provenance/].map(index);
            assert.ok(order.every((i) => i >= 0), `missing steps: ${order}`);
            assert.deepStrictEqual([...order].sort((a, b) => a - b), order);
            assert.strictEqual((release as Workflow & { permissions?: Record<string, string> }).permissions?.["id-token"], "write");
        });

        it("sets the package's repository from the workflow's own repository, not from a placeholder in package.json", () => {
            const set = job.steps!.find((s) => s.run?.startsWith("npm pkg set repository"));
            assert.strictEqual(set?.env?.REPOSITORY_URL, "git+${{ github.server_url }}/${{ github.repository }}.git");
            const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { repository?: unknown };
            assert.strictEqual(pkg.repository, undefined);
        });
    });
});
