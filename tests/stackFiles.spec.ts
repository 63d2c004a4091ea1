/**
 * Stack files read as the Pulumi CLI reads them: a config key without its namespace is the project's
 * (pulumi/pulumi sdk/go/common/workspace/loaders.go, `stackConfigNamespacedWithProject`).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planOf } from "../tools/offlinePlan";
import { loadStackConfig, PROJECT_DIR, StackFileError } from "../tools/stackFiles";
import { TYPES } from "./support/fixtures";
import { PROJECT, runStackInProcess } from "./support/helpers";

const DEV = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");

describe("a stack file's config keys", () => {
    let dir: string;

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-keys-"));
        fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.writeFileSync(path.join(dir, "Pulumi.bare.yaml"), DEV.replace(/^.*instanceType.*\n/m, "").replace("config:\n", "config:\n  instanceType: t3.small\n"));
        fs.writeFileSync(path.join(dir, "Pulumi.twice.yaml"), DEV.replace("config:\n", "config:\n  instanceType: t3.small\n"));
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("a key without a namespace (instanceType: t3.small) is the project's, as the Pulumi CLI reads it, and reaches the instance", async () => {
        assert.strictEqual(fs.readFileSync(path.join(dir, "Pulumi.bare.yaml"), "utf8").match(/instanceType/g)?.length, 1);
        const config = loadStackConfig("bare", dir);
        assert.strictEqual(config[`${PROJECT}:instanceType`], "t3.small");
        assert.ok(!("instanceType" in config), "the bare key was passed on as it is");
        const instance = planOf(await runStackInProcess("bare", dir)).resources.find((r) => r.type === TYPES.instance)!;
        assert.strictEqual(instance.inputs.instanceType, "t3.small");
    });

    it("a key written both with and without the namespace is refused, naming both", () => {
        assert.throws(
            () => loadStackConfig("twice", dir),
            (error: unknown) =>
                error instanceof StackFileError &&
                error.message === `Pulumi.twice.yaml sets ${PROJECT}:instanceType twice, as ${PROJECT}:instanceType and as instanceType (the same key: the Pulumi CLI puts a key without a namespace in the project's); keep one`,
        );
    });
});
