/**
 * The failover drill's long-lived processes in a namespace: the fake EC2 endpoint (fakeEc2.ts, through ts-node) and the
 * mover's shipped code under the Lambda host (lambdaHost.js), its SDK pointed at the fake endpoint with static fake
 * credentials. Shared by the drill and the namespace test.
 */
import * as path from "path";
import { type Agent, startLineChild } from "../netns";
import { PROJECT_DIR } from "../stackFiles";
import type { FakeEc2Options } from "./fakeEc2";

export const MOVER_CODE = path.join(PROJECT_DIR, "components", "failoverMover.js");

/** Starts the fake EC2 endpoint; `onEvent` hears its JSON lines ({"event":"listening","port"} first). */
export function startFakeEc2(namespace: string, options: FakeEc2Options, deadlineMs: number, onEvent: (event: Record<string, any>) => void): Agent {
    const tsNode = path.join(PROJECT_DIR, "node_modules", ".bin", "ts-node");
    return startLineChild(namespace, [tsNode, "--swc", path.join(__dirname, "fakeEc2.ts"), JSON.stringify(options)], "the fake EC2 endpoint", { deadlineMs, onLine: onEvent });
}

/**
 * Starts the mover as Lambda runs it (an invocation a minute, 60 s timeout), configured by `config` (its environment
 * variables, see failoverMover.js configFromEnv) against the fake endpoint on `endpointPort`; `onLine` hears its log.
 */
export function startMover(namespace: string, config: Readonly<Record<string, string>>, endpointPort: number, deadlineMs: number, onLine: (line: Record<string, any>) => void): Agent {
    const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        ...config,
        AWS_ENDPOINT_URL_EC2: `http://127.0.0.1:${endpointPort}`,
        AWS_REGION: "eu-west-1",
        AWS_ACCESS_KEY_ID: "AKIAFAILOVERDRILL000",
        AWS_SECRET_ACCESS_KEY: "fake-secret-of-the-failover-drill",
        AWS_EC2_METADATA_DISABLED: "true",
        // The SDK's notice that its 2027 releases need Node.js 22 would otherwise interleave with the log lines.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
    const host = [process.execPath, path.join(__dirname, "lambdaHost.js"), MOVER_CODE, JSON.stringify({ timeoutMs: 60_000, periodMs: 60_000, deadlineMs })];
    return startLineChild(namespace, host, "the Lambda host", { deadlineMs, env, onLine });
}
