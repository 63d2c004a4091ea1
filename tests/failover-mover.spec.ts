/**
 * The failover mover's decisions (components/failoverMover.js `decide`, pure): the hold-down, the judgement of a new
 * holder, no automatic fail-back, an unattached interface, and its configuration and log records.
 */
import * as assert from "assert";

interface Config {
    readonly [key: string]: unknown;
    readonly holdDownMs: number;
    readonly graceMs: number;
    readonly unattachedGraceMs: number;
}
interface View {
    readonly status: string;
    readonly attachment?: { readonly attachmentId: string; readonly instanceId: string; readonly status: string; readonly attachTime: number };
}
interface State {
    readonly attachmentId?: string;
    readonly answered: boolean;
    readonly failingSince?: number;
    readonly unattachedSince?: number;
}
interface Decision {
    readonly state: State;
    readonly action: { readonly kind: string; readonly [key: string]: unknown };
    readonly notes: readonly { readonly event: string }[];
}
/** The mover's exports, as this test uses them (the module is plain JavaScript). */
interface Mover {
    decide(config: Config, state: State, view: View, probeOk: boolean | undefined, now: number): Decision;
    configFromEnv(env: Record<string, string | undefined>): Config;
    failoverRecord(move: Record<string, unknown>): Record<string, unknown>;
    readonly INITIAL_STATE: State;
}
const mover = require("../components/failoverMover.js") as Mover;

const ENV = {
    NETWORK_INTERFACE_ID: "eni-0123456789abcdef0",
    NETWORK_INTERFACE_ADDRESS: "10.0.33.10",
    HEALTH_CHECK_PORT: "7000",
    PRIMARY_INSTANCE_ID: "i-0aaaaaaaaaaaaaaa1",
    STANDBY_INSTANCE_ID: "i-0bbbbbbbbbbbbbbb2",
    PREFERRED_INSTANCE_ID: "i-0aaaaaaaaaaaaaaa1",
};
const CONFIG = mover.configFromEnv(ENV);
const attachedTo = (instanceId: string, attachmentId = "eni-attach-1", attachTime = 0): View => ({ status: "in-use", attachment: { attachmentId, instanceId, status: "attached", attachTime } });
const ON_PRIMARY = attachedTo(ENV.PRIMARY_INSTANCE_ID);

/** Runs probes (true: answered) one second apart from `start`; the decisions, the state carried through. */
function run(probes: readonly boolean[], view: View = ON_PRIMARY, start = 1_000_000, state: State = mover.INITIAL_STATE): Decision[] {
    const decisions: Decision[] = [];
    probes.forEach((ok, i) => {
        const decision = mover.decide(CONFIG, state, view, ok, start + i * 1000);
        decisions.push(decision);
        state = decision.state;
    });
    return decisions;
}

describe("the failover mover's decisions", () => {
    it("has the documented defaults: a probe a second, a 2 s hold-down, 5 minutes' grace for a new holder", () => {
        assert.deepStrictEqual([CONFIG.probeIntervalMs, CONFIG.probeTimeoutMs, CONFIG.holdDownMs, CONFIG.graceMs, CONFIG.unattachedGraceMs], [1000, 800, 2000, 300_000, 15_000]);
    });

    it("moves the interface to the standby once the primary failed every probe for the hold-down", () => {
        const decisions = run([true, false, false, false]);
        assert.deepStrictEqual(decisions.map((d) => d.action.kind), ["none", "none", "none", "move"]);
        assert.deepStrictEqual(decisions[3].action, { kind: "move", attachmentId: "eni-attach-1", from: ENV.PRIMARY_INSTANCE_ID, to: ENV.STANDBY_INSTANCE_ID, failingSince: 1_001_000 });
        assert.deepStrictEqual(decisions.flatMap((d) => d.notes.map((n) => n.event)), ["holder", "healthy", "unhealthy"]);
    });

    it("does not move it for a blip shorter than the hold-down, however often it comes", () => {
        const decisions = run([true, false, false, true, false, false, true, false, true]);
        assert.ok(decisions.every((d) => d.action.kind === "none"));
        assert.strictEqual(decisions.filter((d) => d.notes.some((n) => n.event === "unhealthy")).length, 3);
    });

    it("moves from the standby back to the primary only when the standby fails: never because the primary came back", () => {
        const onStandby = attachedTo(ENV.STANDBY_INSTANCE_ID, "eni-attach-2", 2_000_000);
        assert.ok(run([true, true, true, true, true], onStandby, 2_001_000).every((d) => d.action.kind === "none"));
        const failing = run([true, false, false, false], onStandby, 2_001_000);
        assert.deepStrictEqual(failing[3].action.to, ENV.PRIMARY_INSTANCE_ID);
    });

    it("does not judge a new holder that has not answered yet, until its grace is over: no ping-pong between two dead instances", () => {
        const justAttached = attachedTo(ENV.STANDBY_INSTANCE_ID, "eni-attach-3", 5_000_000);
        assert.ok(run([false, false, false, false, false], justAttached, 5_001_000).every((d) => d.action.kind === "none"));
        const late = run([false, false, false], justAttached, 5_000_000 + CONFIG.graceMs);
        assert.strictEqual(late[2].action.kind, "move");
    });

    it("starts over when the attachment changes (someone else moved it), and judges the new holder afresh", () => {
        const [first] = run([false]);
        const moved = mover.decide(CONFIG, first.state, attachedTo(ENV.STANDBY_INSTANCE_ID, "eni-attach-9", 1_000_500), true, 1_001_000);
        assert.deepStrictEqual(moved.state, { attachmentId: "eni-attach-9", answered: true });
        assert.deepStrictEqual(moved.notes.map((n) => n.event), ["holder", "healthy"]);
    });

    it("does nothing while EC2 attaches or detaches the interface", () => {
        const detaching: View = { status: "in-use", attachment: { ...ON_PRIMARY.attachment!, status: "detaching" } };
        const [decision] = run([false], detaching);
        assert.deepStrictEqual([decision.action.kind, decision.state], ["none", { answered: false }]);
    });

    it("attaches an interface left unattached for 15 s (its instance was terminated) to the preferred instance first, then the other", () => {
        const available: View = { status: "available" };
        const decisions = [0, 10_000, 15_000].map((ms, i) => mover.decide(CONFIG, i === 0 ? mover.INITIAL_STATE : { answered: false, unattachedSince: 1_000_000 }, available, undefined, 1_000_000 + ms));
        assert.deepStrictEqual(decisions.map((d) => d.action.kind), ["none", "none", "attach"]);
        assert.deepStrictEqual(decisions[2].action.to, [ENV.PREFERRED_INSTANCE_ID, ENV.STANDBY_INSTANCE_ID]);
        assert.deepStrictEqual(decisions[0].notes.map((n) => n.event), ["unattached"]);
    });

    it("moves an interface held by neither instance (mid-deploy) to the preferred one", () => {
        const decisions = run([true, false, false, false], attachedTo("i-0ccccccccccccccc3"));
        assert.deepStrictEqual(decisions[3].action.to, ENV.PREFERRED_INSTANCE_ID);
    });

    it("refuses a configuration with a variable missing or not valid, naming each", () => {
        assert.throws(
            () => mover.configFromEnv({ ...ENV, HEALTH_CHECK_PORT: "0", STANDBY_INSTANCE_ID: "", HOLD_DOWN_MS: "soon" }),
            /HEALTH_CHECK_PORT is "0", not a TCP port from 1 to 65535; STANDBY_INSTANCE_ID is not set; HOLD_DOWN_MS is "soon", not a whole number of milliseconds/,
        );
    });

    it("records a failover in CloudWatch's Embedded Metric Format: Failovers and FailoverSeconds by NetworkInterfaceId", () => {
        const record = mover.failoverRecord({ networkInterfaceId: ENV.NETWORK_INTERFACE_ID, from: "i-a", to: "i-b", failingSince: 1000, detachMs: 2500, attachMs: 1500, attachedAt: 7500 });
        assert.deepStrictEqual(record, {
            _aws: {
                Timestamp: 7500,
                CloudWatchMetrics: [{ Namespace: "DualSubnetEni", Dimensions: [["NetworkInterfaceId"]], Metrics: [{ Name: "Failovers", Unit: "Count" }, { Name: "FailoverSeconds", Unit: "Seconds" }] }],
            },
            event: "failover",
            NetworkInterfaceId: ENV.NETWORK_INTERFACE_ID,
            Failovers: 1,
            FailoverSeconds: 6.5,
            from: "i-a",
            to: "i-b",
            detachMs: 2500,
            attachMs: 1500,
        });
    });
});
