/**
 * Secrets of a stack file, as the Pulumi CLI's passphrase secrets provider reads them (pulumi/pulumi
 * `pkg/secrets/passphrase/manager.go` and `sdk/go/common/resource/config/crypt.go`):
 * - key: PBKDF2-HMAC-SHA256(passphrase, salt, 1,000,000 iterations, 32 bytes);
 * - a value (`secure:`): `v1:<base64 12-byte nonce>:<base64 AES-256-GCM ciphertext followed by its 16-byte tag>`;
 * - the stack file's `encryptionsalt`: `v1:<base64 salt>:<the text "pulumi" encrypted as a value>`, which tells
 *   a wrong passphrase before any value is read.
 */
import { createCipheriv, createDecipheriv, createHash, pbkdf2Sync, randomBytes } from "crypto";
import * as fs from "fs";

const PBKDF2_ITERATIONS = 1_000_000;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** What `encryptionsalt` holds encrypted: the provider's check of the passphrase (manager.go). */
const PASSPHRASE_CHECK = "pulumi";

/**
 * The CLI's message for a wrong passphrase (manager.go's `errorCrypter.DecryptValue`; `ErrIncorrectPassphrase`
 * is "incorrect passphrase").
 */
export const INCORRECT_PASSPHRASE =
    "failed to decrypt: incorrect passphrase, please set PULUMI_CONFIG_PASSPHRASE to the correct passphrase or set PULUMI_CONFIG_PASSPHRASE_FILE to a file containing the passphrase";

/** Why a stack's secrets cannot be read, or the function that decrypts them. */
export type StackDecrypter = { readonly decrypt: (ciphertext: string) => string } | { readonly unreadable: string };

/** A stack file's secrets settings, as the CLI writes them at the top of `Pulumi.<stack>.yaml`. */
export interface SecretsSettings {
    readonly secretsprovider?: string;
    readonly encryptionsalt?: string;
}

/** Derived keys by passphrase and salt: PBKDF2's million rounds (about a second) run once per process for each. */
const derivedKeys = new Map<string, Buffer>();

export function passphraseKey(passphrase: string, salt: Buffer): Buffer {
    const id = createHash("sha256").update(passphrase).update("\u0000").update(salt).digest("hex");
    let key = derivedKeys.get(id);
    if (!key) {
        key = pbkdf2Sync(passphrase, salt, PBKDF2_ITERATIONS, KEY_BYTES, "sha256");
        derivedKeys.set(id, key);
    }
    return key;
}

/** A value as crypt.go's `symmetricCrypter.EncryptValue` writes it (what `pulumi config set --secret` stores). */
export function encryptValue(key: Buffer, plaintext: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv("aes-256-gcm", key, nonce);
    const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
}

/** The plaintext of a value; throws "bad value" (crypt.go's words) where it is malformed or its tag does not match. */
export function decryptValue(key: Buffer, value: string): string {
    const parts = value.split(":");
    if (parts.length !== 3 || parts[0] !== "v1") {
        throw new Error(parts[0] === "v1" ? "bad value" : "unknown value version");
    }
    const nonce = Buffer.from(parts[1], "base64");
    const sealed = Buffer.from(parts[2], "base64");
    if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) {
        throw new Error("bad value");
    }
    const decipher = createDecipheriv("aes-256-gcm", key, nonce);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
        return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
        throw new Error("bad value");
    }
}

/** The passphrase as the CLI reads it: PULUMI_CONFIG_PASSPHRASE (even empty), else the trimmed PULUMI_CONFIG_PASSPHRASE_FILE. */
function passphraseFrom(env: NodeJS.ProcessEnv): string | undefined {
    if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) {
        return env.PULUMI_CONFIG_PASSPHRASE;
    }
    const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
    if (!file) {
        return undefined;
    }
    try {
        return fs.readFileSync(file, "utf8").trim();
    } catch (error) {
        throw new Error(`unable to read PULUMI_CONFIG_PASSPHRASE_FILE: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
}

/**
 * How to read a stack's secrets: with the passphrase provider and a passphrase, a decrypter once the passphrase
 * passes `encryptionsalt`'s check (a wrong one throws the CLI's message); otherwise why they cannot be read.
 */
export function stackDecrypter(settings: SecretsSettings, env: NodeJS.ProcessEnv = process.env): StackDecrypter {
    const provider = settings.secretsprovider ?? (settings.encryptionsalt ? "passphrase" : "default");
    if (provider !== "passphrase") {
        const name = provider === "default" ? "the Pulumi Cloud secrets provider (no encryptionsalt or secretsprovider)" : `the ${provider.split("?")[0]} secrets provider`;
        return { unreadable: `encrypted by ${name}, which the offline plan cannot reach` };
    }
    const passphrase = passphraseFrom(env);
    if (passphrase === undefined) {
        return { unreadable: "no PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE is set" };
    }
    const [version, salt, ...check] = (settings.encryptionsalt ?? "").split(":");
    if (version !== "v1" || check.length !== 3) {
        throw new Error("encryptionsalt is malformed: expected v1:<base64 salt>:<encrypted check>");
    }
    const key = passphraseKey(passphrase, Buffer.from(salt, "base64"));
    let checked: string | undefined;
    try {
        checked = decryptValue(key, check.join(":"));
    } catch {
        checked = undefined;
    }
    if (checked !== PASSPHRASE_CHECK) {
        throw new Error(INCORRECT_PASSPHRASE);
    }
    return { decrypt: (ciphertext) => decryptValue(key, ciphertext) };
}
