/** Secret inputs as a provider sees them: decrypted. */
import * as pulumi from "@pulumi/pulumi";

/** The mocks' two operations, with inputs already revealed. */
export interface PlainMocks {
    newResource(args: pulumi.runtime.MockResourceArgs, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> };
    call(args: pulumi.runtime.MockCallArgs, inputs: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Mocks that read secret inputs as the values they hold. A secret reaches the mocks wrapped
 * (`{ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value }`); a provider gets it decrypted.
 * An output whose input of the same name was secret stays secret, as the engine keeps it.
 */
export function withSecretInputs(mocks: PlainMocks): pulumi.runtime.Mocks {
    return {
        newResource(args) {
            const given = args.inputs as Record<string, unknown>;
            const result = mocks.newResource(args, revealed(given) as Record<string, unknown>);
            const secret = Object.keys(given).filter((key) => pulumi.runtime.isRpcSecret(given[key]) && key in result.state);
            return { ...result, state: { ...result.state, ...Object.fromEntries(secret.map((key) => [key, asRpcSecret(revealed(result.state[key]))])) } };
        },
        call: (args) => mocks.call(args, revealed(args.inputs) as Record<string, unknown>),
    };
}

/** A value with every secret wrapper, at any depth, replaced by the value it holds. */
function revealed(value: unknown): unknown {
    const plain: unknown = pulumi.runtime.unwrapRpcSecret(value);
    if (Array.isArray(plain)) {
        return plain.map(revealed);
    }
    const isPlainObject = plain !== null && typeof plain === "object" && Object.getPrototypeOf(plain) === Object.prototype;
    return isPlainObject ? Object.fromEntries(Object.entries(plain).map(([key, item]) => [key, revealed(item)])) : plain;
}

function asRpcSecret(value: unknown): Record<string, unknown> {
    return { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value };
}
