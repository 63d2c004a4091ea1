// @ts-check
/**
 * The failover mover of `automaticFailover`, shipped as the code of an AWS Lambda function (Node.js runtime, whose
 * AWS SDK for JavaScript v3 it uses) in the VPC. EventBridge Scheduler invokes it once a minute; each invocation
 * probes the ENI's primary address every second until its time is nearly up. When the instance holding the ENI has
 * failed every probe for the hold-down, it detaches
 * the ENI (forced: the instance has failed) and attaches it to the other instance at device index 1. EC2 attaches an
 * interface to one instance at a time: that is the lock, also between two invocations running at once (a detach of
 * an attachment someone else already ended fails with InvalidAttachmentID.NotFound, an attach of an interface
 * someone else attached with InvalidNetworkInterface.InUse, and the mover then only reads again).
 *
 * `decide` holds every decision and is pure; `handler` and the functions it calls are the thin shell (the EC2
 * client, a TCP connect, the clock, console.log). Plain CommonJS: the same file runs as the Lambda's code, from the
 * package (dist/) and in the failover drill (`npm run failover:drill`).
 */
"use strict";
const net = require("net");

/**
 * @typedef {object} MoverConfig
 * @property {string} networkInterfaceId `eni-…` id of the interface it moves.
 * @property {string} address The interface's primary private IPv4: what the health check connects to.
 * @property {number} port The health check's TCP port.
 * @property {string} primaryInstanceId
 * @property {string} standbyInstanceId
 * @property {string} preferredInstanceId Where an interface found unattached goes first (`activeInstance`).
 * @property {number} probeIntervalMs A probe starts this often.
 * @property {number} probeTimeoutMs A probe that has not connected by then failed.
 * @property {number} holdDownMs The holder must fail every probe for this long before the interface moves.
 * @property {number} graceMs An instance that took the interface is judged only once it answered, or after this long.
 * @property {number} unattachedGraceMs An interface unattached this long is attached again (an instance holding it was terminated).
 * @property {number} pollMs How often a move reads the interface while EC2 detaches or attaches it.
 * @property {number} stepTimeoutMs The longest a move waits for the detach, and for the attach.
 * @property {number} stopMarginMs An invocation stops probing this long before its time is up.
 */

/**
 * @typedef {object} AttachmentView
 * @property {string} attachmentId
 * @property {string} instanceId
 * @property {string} status attaching, attached, detaching or detached.
 * @property {number} attachTime Milliseconds since the epoch.
 */

/**
 * @typedef {object} InterfaceView The interface as DescribeNetworkInterfaces gives it.
 * @property {string} status available, in-use, ...
 * @property {AttachmentView} [attachment]
 */

/**
 * @typedef {object} MoverState What the mover remembers between probes (and between invocations of a warm Lambda).
 * @property {string} [attachmentId] The attachment the counts below are about.
 * @property {boolean} answered Whether its instance answered a probe since the mover saw it attached.
 * @property {number} [failingSince] When the first of the failed probes in a row started.
 * @property {number} [unattachedSince] When the mover first saw the interface unattached.
 */

/** @typedef {{ kind: "none" } | { kind: "move", attachmentId: string, from: string, to: string, failingSince: number } | { kind: "attach", to: readonly string[] }} Action */

/** @typedef {{ event: string, [key: string]: unknown }} Note A log line worth writing: a change of health, a decision. */

/** @type {MoverState} */
const INITIAL_STATE = { answered: false };

/** Defaults of the timings, in milliseconds; each can be set through the environment (see `configFromEnv`). */
const DEFAULT_TIMINGS = {
    probeIntervalMs: 1000,
    probeTimeoutMs: 800,
    holdDownMs: 2000,
    graceMs: 300_000,
    unattachedGraceMs: 15_000,
    pollMs: 250,
    stepTimeoutMs: 30_000,
    stopMarginMs: 2000,
};

/**
 * The mover's configuration from its environment; throws naming every variable that is missing or not valid.
 * @param {Readonly<Record<string, string | undefined>>} env
 * @returns {MoverConfig}
 */
function configFromEnv(env) {
    const problems = [];
    /** @param {string} name */
    const text = (name) => (env[name] ? String(env[name]) : (problems.push(`${name} is not set`), ""));
    /** @param {string} name @param {number} fallback */
    const ms = (name, fallback) => {
        const number = env[name] ? Number(env[name]) : fallback;
        if (!Number.isInteger(number) || number < 0) {
            problems.push(`${name} is ${JSON.stringify(env[name])}, not a whole number of milliseconds`);
        }
        return number;
    };
    const port = Number(text("HEALTH_CHECK_PORT"));
    if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) {
        problems.push(`HEALTH_CHECK_PORT is ${JSON.stringify(env.HEALTH_CHECK_PORT)}, not a TCP port from 1 to 65535`);
    }
    /** @type {MoverConfig} */
    const config = {
        ...DEFAULT_TIMINGS,
        networkInterfaceId: text("NETWORK_INTERFACE_ID"),
        address: text("NETWORK_INTERFACE_ADDRESS"),
        port,
        primaryInstanceId: text("PRIMARY_INSTANCE_ID"),
        standbyInstanceId: text("STANDBY_INSTANCE_ID"),
        preferredInstanceId: text("PREFERRED_INSTANCE_ID"),
        // PROBE_INTERVAL_MS for probeIntervalMs, and so on.
        ...Object.fromEntries(Object.entries(DEFAULT_TIMINGS).map(([key, fallback]) => [key, ms(key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase(), fallback)])),
    };
    if (problems.length > 0) {
        throw new Error(`the failover mover's configuration: ${problems.join("; ")}`);
    }
    return config;
}

/**
 * One step of the mover: from what it remembers, the interface as EC2 describes it now and the probe that started at
 * `now` (true: it connected; undefined: no probe, the interface was not attached), the next state, what to do and
 * what to log. Pure.
 *
 * - A move needs the holder to have failed every probe since `failingSince`, for at least `holdDownMs`: a blip shorter
 *   than that never moves the interface.
 * - A holder is judged only once it answered a probe since it took the interface, or once it has held it for
 *   `graceMs`: an instance still booting is not failed, and two dead instances do not pass the interface back and
 *   forth faster than that.
 * - The interface goes to the other instance of the two; from an instance that is neither (mid-deploy), to the
 *   preferred one. Nothing moves it back when the old holder comes back: it moves only away from a failing holder.
 * - An interface found unattached for `unattachedGraceMs` (the instance holding it was terminated) is attached to the
 *   preferred instance, else the other: long enough that a deploy deleting the interface (detach, then delete) is
 *   never raced.
 *
 * @param {MoverConfig} config
 * @param {MoverState} state
 * @param {InterfaceView} view
 * @param {boolean | undefined} probeOk
 * @param {number} now
 * @returns {{ state: MoverState, action: Action, notes: Note[] }}
 */
function decide(config, state, view, probeOk, now) {
    const attachment = view.attachment;
    if (!attachment || attachment.status === "detached") {
        const unattachedSince = state.unattachedSince ?? now;
        const due = now - unattachedSince >= config.unattachedGraceMs;
        const others = [config.primaryInstanceId, config.standbyInstanceId].filter((id) => id !== config.preferredInstanceId);
        return {
            state: { answered: false, unattachedSince },
            action: due ? { kind: "attach", to: [config.preferredInstanceId, ...others] } : { kind: "none" },
            notes: state.unattachedSince === undefined ? [{ event: "unattached", status: view.status }] : [],
        };
    }
    if (attachment.status !== "attached") {
        return { state: { answered: false }, action: { kind: "none" }, notes: [] };
    }
    const same = state.attachmentId === attachment.attachmentId;
    const before = same ? state : { answered: false };
    /** @type {Note[]} */
    const notes = same ? [] : [{ event: "holder", instanceId: attachment.instanceId, attachmentId: attachment.attachmentId }];
    if (probeOk === undefined) {
        return { state: { ...before, attachmentId: attachment.attachmentId }, action: { kind: "none" }, notes };
    }
    if (probeOk) {
        if (!before.answered || before.failingSince !== undefined) {
            notes.push({ event: "healthy", instanceId: attachment.instanceId });
        }
        return { state: { attachmentId: attachment.attachmentId, answered: true }, action: { kind: "none" }, notes };
    }
    const failingSince = before.failingSince ?? now;
    if (before.failingSince === undefined) {
        notes.push({ event: "unhealthy", instanceId: attachment.instanceId });
    }
    const next = { attachmentId: attachment.attachmentId, answered: before.answered, failingSince };
    const judged = before.answered || now - attachment.attachTime >= config.graceMs;
    if (!judged || now - failingSince < config.holdDownMs) {
        return { state: next, action: { kind: "none" }, notes };
    }
    const { primaryInstanceId: primary, standbyInstanceId: standby } = config;
    const to = attachment.instanceId === primary ? standby : attachment.instanceId === standby ? primary : config.preferredInstanceId;
    return { state: next, action: { kind: "move", attachmentId: attachment.attachmentId, from: attachment.instanceId, to, failingSince }, notes };
}

/**
 * An EMF metric directive: the named metrics, with their units, in namespace DualSubnetEni by NetworkInterfaceId.
 * @param {Record<string, string>} units
 */
const metrics = (units) => ({ Namespace: "DualSubnetEni", Dimensions: [["NetworkInterfaceId"]], Metrics: Object.entries(units).map(([Name, Unit]) => ({ Name, Unit })) });

/**
 * The log line of a failover: CloudWatch Embedded Metric Format, so that CloudWatch Logs keeps the record and makes
 * the metrics `Failovers` (count) and `FailoverSeconds` (from the first failed probe until the interface was
 * attached to the other instance) in namespace `DualSubnetEni`, by `NetworkInterfaceId`.
 * @param {{ networkInterfaceId: string, from: string, to: string, failingSince: number, detachMs: number, attachMs: number, attachedAt: number }} move
 */
function failoverRecord(move) {
    return {
        _aws: { Timestamp: move.attachedAt, CloudWatchMetrics: [metrics({ Failovers: "Count", FailoverSeconds: "Seconds" })] },
        event: "failover",
        NetworkInterfaceId: move.networkInterfaceId,
        Failovers: 1,
        FailoverSeconds: (move.attachedAt - move.failingSince) / 1000,
        from: move.from,
        to: move.to,
        detachMs: move.detachMs,
        attachMs: move.attachMs,
    };
}

/**
 * The log line that starts an invocation, with the gap since the previous invocation of this execution
 * environment ended (absent on a cold start) as the EMF metric `InvocationGapSeconds`.
 * @param {string} networkInterfaceId @param {number} now @param {number | undefined} previousEnd
 */
function invocationRecord(networkInterfaceId, now, previousEnd) {
    const gap = previousEnd === undefined ? {} : { InvocationGapSeconds: (now - previousEnd) / 1000 };
    return {
        _aws: { Timestamp: now, CloudWatchMetrics: previousEnd === undefined ? [] : [metrics({ InvocationGapSeconds: "Seconds" })] },
        event: "invocation",
        NetworkInterfaceId: networkInterfaceId,
        coldStart: previousEnd === undefined,
        ...gap,
    };
}

// The shell: EC2, TCP, the clock, the log.

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {unknown} line */
const log = (line) => console.log(JSON.stringify(line));

/** @param {unknown} error */
const errorCode = (error) => (error !== null && typeof error === "object" && "name" in error ? String(error.name) : "Error");

/**
 * Whether a TCP connection to the address opens within the timeout (closed at once), and if not, why.
 * @param {string} host @param {number} port @param {number} timeoutMs
 * @returns {Promise<{ ok: boolean, error?: string }>}
 */
function probe(host, port, timeoutMs) {
    return new Promise((resolve) => {
        const socket = net.connect({ host, port });
        /** @param {{ ok: boolean, error?: string }} result */
        const done = (result) => {
            clearTimeout(timer);
            socket.destroy();
            resolve(result);
        };
        const timer = setTimeout(() => done({ ok: false, error: "timeout" }), timeoutMs);
        socket.once("connect", () => done({ ok: true }));
        socket.once("error", (/** @type {NodeJS.ErrnoException} */ error) => done({ ok: false, error: error.code ?? error.message }));
    });
}

/**
 * The EC2 calls the mover makes, through the AWS SDK v3 client the runtime provides.
 * @param {MoverConfig} config
 */
function ec2Calls(config) {
    // The Lambda runtime's SDK; required here so that `decide` and its tests load without it.
    const sdk = require("@aws-sdk/client-ec2");
    const client = new sdk.EC2Client({});
    return {
        /** @returns {Promise<InterfaceView>} */
        describe: async () => {
            const answer = await client.send(new sdk.DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [config.networkInterfaceId] }));
            const found = answer.NetworkInterfaces?.[0];
            const attachment = found?.Attachment;
            const time = attachment?.AttachTime ? new Date(attachment.AttachTime).getTime() : 0;
            const view = { attachmentId: attachment?.AttachmentId ?? "", instanceId: attachment?.InstanceId ?? "", status: attachment?.Status ?? "", attachTime: time };
            return { status: found?.Status ?? "missing", ...(view.attachmentId ? { attachment: view } : {}) };
        },
        /** @param {string} attachmentId */
        detach: (attachmentId) => client.send(new sdk.DetachNetworkInterfaceCommand({ AttachmentId: attachmentId, Force: true })),
        /** @param {string} instanceId */
        attach: async (instanceId) =>
            (await client.send(new sdk.AttachNetworkInterfaceCommand({ NetworkInterfaceId: config.networkInterfaceId, InstanceId: instanceId, DeviceIndex: 1 }))).AttachmentId,
    };
}

/**
 * Reads the interface until `until` holds, every `pollMs`, at most `stepTimeoutMs`.
 * @param {ReturnType<typeof ec2Calls>} ec2 @param {MoverConfig} config @param {(view: InterfaceView) => boolean} until
 */
async function waitFor(ec2, config, until) {
    const deadline = Date.now() + config.stepTimeoutMs;
    for (;;) {
        const view = await ec2.describe();
        if (until(view)) {
            return view;
        }
        if (Date.now() >= deadline) {
            throw new Error(`the interface is still ${view.status}${view.attachment ? ` (${view.attachment.status} to ${view.attachment.instanceId})` : ""} after ${config.stepTimeoutMs} ms`);
        }
        await sleep(config.pollMs);
    }
}

/**
 * Attaches the interface to the first instance of `targets` that takes it, then waits until EC2 reports it attached.
 * An interface someone else attached meanwhile (InvalidNetworkInterface.InUse) is left where it is.
 * @param {ReturnType<typeof ec2Calls>} ec2 @param {MoverConfig} config @param {readonly string[]} targets
 * @returns {Promise<string | undefined>} The instance it went to.
 */
async function attachToFirst(ec2, config, targets) {
    for (const instanceId of targets) {
        try {
            const attachmentId = await ec2.attach(instanceId);
            await waitFor(ec2, config, (view) => view.attachment?.attachmentId === attachmentId && view.attachment?.status === "attached");
            return instanceId;
        } catch (error) {
            log({ event: "attach-failed", instanceId, error: errorCode(error), message: String(error) });
            if (errorCode(error) === "InvalidNetworkInterface.InUse") {
                return undefined;
            }
        }
    }
    return undefined;
}

/**
 * Moves the interface: forced detach, wait until it is available, attach to the other instance; logs the failover.
 * @param {ReturnType<typeof ec2Calls>} ec2 @param {MoverConfig} config
 * @param {{ attachmentId: string, from: string, to: string, failingSince: number }} move
 */
async function moveInterface(ec2, config, move) {
    const started = Date.now();
    log({ event: "moving", from: move.from, to: move.to, attachmentId: move.attachmentId });
    try {
        await ec2.detach(move.attachmentId);
    } catch (error) {
        // Someone else ended this attachment first: the interface is theirs to place.
        log({ event: "detach-failed", attachmentId: move.attachmentId, error: errorCode(error), message: String(error) });
        return;
    }
    await waitFor(ec2, config, (view) => view.status === "available" || view.attachment?.attachmentId !== move.attachmentId);
    const detached = Date.now();
    const to = await attachToFirst(ec2, config, [move.to]);
    if (to !== undefined) {
        const attachedAt = Date.now();
        log(failoverRecord({ networkInterfaceId: config.networkInterfaceId, ...move, to, detachMs: detached - started, attachMs: attachedAt - detached, attachedAt }));
    }
}

/**
 * What a warm execution environment keeps between invocations.
 * @type {{ state: MoverState, previousEnd: number | undefined }}
 */
const environment = { state: INITIAL_STATE, previousEnd: undefined };

/**
 * The Lambda handler: probes and decides every `probeIntervalMs` until `stopMarginMs` before the invocation's time is up.
 * @param {unknown} _event
 * @param {{ getRemainingTimeInMillis(): number }} context
 */
async function handler(_event, context) {
    const config = configFromEnv(process.env);
    const ec2 = ec2Calls(config);
    const stopAt = Date.now() + context.getRemainingTimeInMillis() - config.stopMarginMs;
    log(invocationRecord(config.networkInterfaceId, Date.now(), environment.previousEnd));
    try {
        while (Date.now() + config.probeIntervalMs <= stopAt) {
            const started = Date.now();
            await step(ec2, config, started);
            await sleep(Math.max(0, started + config.probeIntervalMs - Date.now()));
        }
    } finally {
        environment.previousEnd = Date.now();
    }
}

/**
 * One probe and what follows from it. An EC2 error is logged and the next step tries again.
 * @param {ReturnType<typeof ec2Calls>} ec2 @param {MoverConfig} config @param {number} now
 */
async function step(ec2, config, now) {
    try {
        const [view, probed] = await Promise.all([ec2.describe(), probe(config.address, config.port, config.probeTimeoutMs)]);
        const attached = view.attachment?.status === "attached";
        const { state, action, notes } = decide(config, environment.state, view, attached ? probed.ok : undefined, now);
        environment.state = state;
        notes.forEach((note) => log({ ...note, at: now }));
        if (attached && !probed.ok) {
            log({ event: "probe-failed", instanceId: view.attachment?.instanceId, error: probed.error, at: now });
        }
        if (action.kind === "move") {
            await moveInterface(ec2, config, action);
            environment.state = INITIAL_STATE;
        } else if (action.kind === "attach") {
            const to = await attachToFirst(ec2, config, action.to);
            log({ event: "attached", instanceId: to ?? null, reason: "the interface was unattached" });
            environment.state = INITIAL_STATE;
        }
    } catch (error) {
        log({ event: "error", error: errorCode(error), message: String(error) });
    }
}

module.exports = { handler, decide, configFromEnv, failoverRecord, invocationRecord, INITIAL_STATE, DEFAULT_TIMINGS };
