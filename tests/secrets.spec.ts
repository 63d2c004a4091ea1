/**
 * Secrets: a secret arg makes secret only the child inputs made from it; no message, plan or output shows its
 * plaintext; stack files with `secure:` values plan with the passphrase provider, are refused with a wrong
 * passphrase, and plan with the checks named as not made without one.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { DualSubnetEniInstance, DualSubnetEniInstanceArgs } from "../components";
import { resolveAll } from "../components/testing";
import { RecordedRegistration, Registrations } from "../tools/sdkInternals";
import { notCheckedOf, planOf, renderPlan, StackPlan } from "../tools/offlinePlan";
import { dualSubnetEniStack } from "../stacks/program";
import { loadStack, loadStackConfig, PROJECT_DIR, StackFileError } from "../tools/stackFiles";
import { INCORRECT_PASSPHRASE } from "../tools/stackSecrets";
import { PASSPHRASE, PLAINTEXT, secretStackFile, SEED_ARGS, SEED_CONFIG, TYPES, USER_DATA, WRONG_PASSPHRASE } from "./support/fixtures";
import { awsResources, PROJECT, promiseOf, runStackInProcess, single, useMocks, validationErrorOf } from "./support/helpers";
import { plan } from "./support/planCommand";


/** Where in a registration's inputs a secret sits, as `<logical name>.<input path>`. */
function secretInputs(registrations: readonly RecordedRegistration[]): string[] {
    const found: string[] = [];
    const visit = (where: string, value: unknown) => {
        if (pulumi.runtime.isRpcSecret(value)) {
            found.push(where);
        } else if (value !== null && typeof value === "object") {
            Object.entries(value).forEach(([key, item]) => visit(`${where}.${key}`, item));
        }
    };
    awsResources(registrations).forEach((r) => visit(r.name, r.inputs));
    return found.sort();
}

/** Every registered input except the instance's userData, as text: the plaintext must not be in it. */
function inputsBesidesUserData(registrations: readonly RecordedRegistration[]): string {
    return JSON.stringify(awsResources(registrations).map((r) => (r.type === TYPES.instance ? { ...r.inputs, userData: undefined } : r.inputs)));
}

async function build(name: string, args: DualSubnetEniInstanceArgs): Promise<{ registrations: Registrations; component: DualSubnetEniInstance }> {
    const registrations = await useMocks(SEED_CONFIG);
    const component = new DualSubnetEniInstance(name, args);
    await promiseOf(component.attachmentId);
    await registrations.settled();
    return { registrations, component };
}

describe("a secret arg is secret only where it goes", () => {
    it("secret userData, plain args: only the instance's userData input is secret", async () => {
        const { registrations } = await build("plain", { ...SEED_ARGS, userData: pulumi.secret(USER_DATA) });
        assert.deepStrictEqual(secretInputs(registrations), ["plain-instance.userData"]);
        assert.strictEqual(pulumi.runtime.unwrapRpcSecret(single(registrations, TYPES.instance).inputs.userData), USER_DATA);
        assert.ok(!inputsBesidesUserData(registrations).includes(PLAINTEXT));
        assert.strictEqual(single(registrations, TYPES.vpc).inputs.cidrBlock, SEED_ARGS.vpcCidrBlock);
    });

    it("secret userData and a secret fixed IP, Output args: each secret only in its own inputs; the mocks read the secret IP", async () => {
        const outputs = Object.fromEntries(Object.entries(SEED_ARGS).map(([key, value]) => [key, key === "namePrefix" ? value : pulumi.output(value)]));
        const { registrations, component } = await build("outputs", {
            ...outputs,
            instanceType: pulumi.output("t3.small"),
            userData: pulumi.secret(USER_DATA),
            instancePrivateIp: pulumi.secret("10.0.0.10"),
        });
        assert.deepStrictEqual(secretInputs(registrations), ["outputs-instance.privateIp", "outputs-instance.userData"]);
        assert.strictEqual(await promiseOf(component.instancePrivateIp), "10.0.0.10");
        assert.strictEqual(await pulumi.isSecret(component.instancePrivateIp), true, "the engine keeps an output secret whose input was");
        assert.strictEqual(await pulumi.isSecret(component.networkInterfacePrivateIp), false);
    });

    it("through the stack program: userData set with --secret stays in the instance's userData", async () => {
        const key = `${PROJECT}:userData`;
        const config = { ...loadStackConfig("dev"), [key]: USER_DATA };
        const registrations = await useMocks(config);
        pulumi.runtime.setAllConfig(config, [key]);
        await resolveAll(Object.values(dualSubnetEniStack()));
        await registrations.settled();
        assert.deepStrictEqual(secretInputs(registrations), [`${PROJECT}-instance.userData`]);
        assert.ok(!inputsBesidesUserData(registrations).includes(PLAINTEXT));
    });

    it("a secret of unknown value (the plan without a passphrase): its own checks wait, every other check still runs", async () => {
        const registrations = await useMocks(SEED_CONFIG);
        const unknownSecret = pulumi.secret(pulumi.output(pulumi.unknown as unknown as string));
        const error = await validationErrorOf(registrations, () => new DualSubnetEniInstance("unknown", { ...SEED_ARGS, vpcCidrBlock: pulumi.output("10.0.0.5/20"), userData: unknownSecret }));
        assert.deepStrictEqual(error.problems.map((p) => p.field), ["vpcCidrBlock"]);
        assert.deepStrictEqual(awsResources(registrations), []);
    });

    it("a secret too long for AWS is refused without its value", async () => {
        const registrations = await useMocks(SEED_CONFIG);
        const long = `${PLAINTEXT}\n`.repeat(1200);
        const error = await validationErrorOf(registrations, () => new DualSubnetEniInstance("long", { ...SEED_ARGS, userData: pulumi.secret(long) }));
        assert.match(error.message, /- userData = "\[secret\]": is 18000 bytes; AWS takes at most 16384 bytes/);
        assert.ok(!error.message.includes(PLAINTEXT) && !JSON.stringify(error.problems).includes(PLAINTEXT));
        assert.deepStrictEqual(awsResources(registrations), []);
    });
});

describe("stack files with secure values (the passphrase provider)", () => {
    const dirs: string[] = [];

    /** A project sharing this one's code, with one stack file. */
    function projectWith(stack: string, stackFile: string): string {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-secrets-"));
        dirs.push(dir);
        ["Pulumi.yaml", "package.json", "tsconfig.json", "node_modules", "stacks", "components", "provider"].forEach((entry) => fs.symlinkSync(path.join(PROJECT_DIR, entry), path.join(dir, entry)));
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stackFile);
        return dir;
    }
    const passphraseStack = () => projectWith("vault", secretStackFile());

    /** Every text a plan can show: its JSON and its rendering. */
    const shown = (p: StackPlan) => `${JSON.stringify(p)}\n${renderPlan(p)}`;

    after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    it("with PULUMI_CONFIG_PASSPHRASE: decrypts, passes the key as a secret, and the plan shows [secret] there only", async () => {
        const dir = passphraseStack();
        const loaded = loadStack("vault", dir, { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE });
        assert.strictEqual(loaded.config[`${PROJECT}:userData`], USER_DATA);
        assert.deepStrictEqual(loaded.secretKeys, [`${PROJECT}:userData`]);
        const p = planOf(await runStackInProcess("vault", dir, { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE }));
        const secretPlaces = p.resources.flatMap((r) => Object.entries(r.inputs).filter(([, v]) => JSON.stringify(v).includes("[secret]")).map(([k]) => `${r.name}.${k}`));
        assert.deepStrictEqual(secretPlaces, [`${PROJECT}-instance.userData`]);
        assert.ok(!shown(p).includes(PLAINTEXT));
    });

    it("with PULUMI_CONFIG_PASSPHRASE_FILE: reads the passphrase, trimmed, as the CLI does", () => {
        const dir = passphraseStack();
        const file = path.join(dir, "passphrase.txt");
        fs.writeFileSync(file, `${PASSPHRASE}\n`);
        assert.strictEqual(loadStack("vault", dir, { PULUMI_CONFIG_PASSPHRASE_FILE: file }).config[`${PROJECT}:userData`], USER_DATA);
    });

    it("with a wrong passphrase: refused with the CLI's message, naming the file, before the program runs", async () => {
        const dir = passphraseStack();
        assert.throws(
            () => loadStack("vault", dir, { PULUMI_CONFIG_PASSPHRASE: WRONG_PASSPHRASE }),
            (error: unknown) => error instanceof StackFileError && error.message === `Pulumi.vault.yaml: ${INCORRECT_PASSPHRASE}`,
        );
        const previous = process.env.PULUMI_CONFIG_PASSPHRASE;
        process.env.PULUMI_CONFIG_PASSPHRASE = WRONG_PASSPHRASE;
        try {
            const result = await plan(["vault"], dir);
            assert.deepStrictEqual([result.code, result.out], [1, ""]);
            assert.strictEqual(result.err, `error: Pulumi.vault.yaml: ${INCORRECT_PASSPHRASE}`);
        } finally {
            if (previous === undefined) {
                delete process.env.PULUMI_CONFIG_PASSPHRASE;
            } else {
                process.env.PULUMI_CONFIG_PASSPHRASE = previous;
            }
        }
    });

    it("a secure value that does not decrypt: refused naming the key, not the value", () => {
        const dir = projectWith("tampered", secretStackFile(undefined, "v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        assert.throws(
            () => loadStack("tampered", dir, { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE }),
            (error: unknown) => error instanceof StackFileError && error.message === "Pulumi.tampered.yaml: the secure value of dual-subnet-eni:userData could not be decrypted: bad value",
        );
    });

    it("a secret for an arg the component takes plain (namePrefix): refused by key, before any resource", async () => {
        const config = { ...loadStackConfig("dev"), [`${PROJECT}:namePrefix`]: "hidden-prefix" };
        const registrations = await useMocks(config);
        assert.throws(
            () => dualSubnetEniStack([`${PROJECT}:namePrefix`]),
            (error: unknown) => /dual-subnet-eni:namePrefix: is a secret, but the component takes it as a plain value/.test(String(error)) && !String(error).includes("hidden-prefix"),
        );
        assert.deepStrictEqual(registrations, []);
    });

    it("without a passphrase: plans with userData an unknown secret, and names the checks not made", async () => {
        const dir = passphraseStack();
        // One after the other: an in-process run holds the process's mocks until it ends.
        const withPassphrase = await runStackInProcess("vault", dir, { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE });
        const without = await runStackInProcess("vault", dir, {});
        const p = planOf(without);
        assert.strictEqual(p.resources.find((r) => r.type === TYPES.instance)!.inputs.userData, "[secret]");
        assert.deepStrictEqual(p, planOf(withPassphrase), "the plan differs without the passphrase");
        assert.deepStrictEqual(notCheckedOf(without), [
            `${PROJECT}:userData (a secret, no PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE is set; the program ran with it unknown): User data (cloud-init), at most 16 KB; empty means none. A secret (it may hold credentials); set it with pulumi config set --secret userData.`,
        ]);
        assert.deepStrictEqual(notCheckedOf(withPassphrase), []);
    });

    it("with another secrets provider (awskms): plans with the secret unknown, naming the provider", async () => {
        const dir = projectWith("kms", secretStackFile("secretsprovider: awskms://alias/pulumi?region=ap-south-1\nencryptedkey: AQICAHh=\n", "AAABAMk2mGN5cmV0"));
        const run = await runStackInProcess("kms", dir, { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE });
        assert.strictEqual(planOf(run).resources.find((r) => r.type === TYPES.instance)!.inputs.userData, "[secret]");
        assert.match(notCheckedOf(run)[0] ?? "", /^dual-subnet-eni:userData \(a secret, encrypted by the awskms:\/\/alias\/pulumi secrets provider, which the offline plan cannot reach;/);
    });
});
