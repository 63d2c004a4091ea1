/**
 * The failover drill: the mover's shipped code (components/failoverMover.js) with the real AWS SDK v3 EC2 client,
 * run as Lambda runs it (lambdaHost.js), against the fake EC2 endpoint (fakeEc2.ts) on the drill's namespaces
 * (network.ts). A client probes the ENI's addresses every 100 ms through the router. Each run fails the instance
 * holding the ENI (kills it, or freezes it with SIGSTOP), measures the time until every address answers from the
 * other instance, brings the failed one back and checks it does not take the ENI back. Before the runs, a blip
 * shorter than the hold-down must not move the ENI. Needs Linux and root.
 */
import { childMark, stopChildren } from "../childProcess";
import { type Agent, NETNS_AGENTS, runIn, startAgent, startLineChild } from "../netns";
import type { FakeEc2Options } from "./fakeEc2";
import { previewAfterFailover } from "./flipBack";
import { startFakeEc2, startMover } from "./processes";
import { ADDRESSES, blipScript, buildNetwork, drillNamespaces, type Namespaces, removeNetwork } from "./network";
import { Watch } from "./watch";

export const PORT = 7000;
/** The acceptance bound of one failover, from the failure until every address answers again. */
export const FAILOVER_BOUND_MS = 15_000;
const COMMAND_DEADLINE_MS = 20_000;
const PROBE_EVERY_MS = 100;
const BLIP_MS = 1500;
const OBSERVE_AFTER_REVIVAL_MS = 3000;
const IDS = { eni: "eni-0d1a2b3c4d5e6f701", primary: "i-0d1a2b3c4d5e6f702", standby: "i-0d1a2b3c4d5e6f703" } as const;
type Holder = "primary" | "standby";
/** How each run fails the holder, in turn: each mode hits each instance within four runs. */
const MODES = ["kill", "freeze", "freeze", "kill"] as const;

export interface DrillResult {
    readonly runs: number;
    readonly failoverMs: number[];
    readonly p50Ms: number;
    readonly maxMs: number;
    readonly splitBrain: number;
    readonly flipBackOnDeploy: boolean;
}

export interface DrillReport {
    readonly result: DrillResult;
    /** What failed the drill (a run over the bound, a blip that moved the ENI, an instance that took it back); empty when it passed. */
    readonly failures: string[];
}

/** The median of the measured times (nearest rank). */
export const p50 = (values: readonly number[]) => (values.length === 0 ? 0 : [...values].sort((a, b) => a - b)[Math.ceil(values.length / 2) - 1]);

/** Why the drill cannot run here, or undefined. */
export async function cannotRun(): Promise<string | undefined> {
    if (process.platform !== "linux") {
        return `not Linux (${process.platform})`;
    }
    if (process.getuid?.() !== 0) {
        return "not root (network namespaces need CAP_NET_ADMIN)";
    }
    const missing = await runIn(undefined, ["sh", "-c", "for tool in ip nft; do command -v $tool >/dev/null || echo $tool; done"], { deadlineMs: COMMAND_DEADLINE_MS });
    return missing.trim() ? `missing ${missing.trim().split("\n").join(", ")} (npm run setup:linux installs them)` : undefined;
}

interface Reply {
    readonly round: number;
    readonly address: string;
    /** The instance that answered, or undefined when none did. */
    readonly from?: string;
    readonly at: number;
}

/** Runs the drill; `say` hears its progress. */
export async function runDrill(runs: number, say: (line: string) => void): Promise<DrillReport> {
    const deadlineMs = runs * 45_000 + 120_000;
    const ns = drillNamespaces(`dfo${process.pid.toString(36)}`);
    const mark = childMark();
    say(`building the network (namespaces ${Object.values(ns).join(", ")})`);
    await buildNetwork(ns, COMMAND_DEADLINE_MS);
    try {
        return await drill(runs, ns, deadlineMs, say);
    } finally {
        await stopChildren(mark);
        await removeNetwork(ns, COMMAND_DEADLINE_MS);
    }
}

async function drill(runs: number, ns: Namespaces, deadlineMs: number, say: (line: string) => void): Promise<DrillReport> {
    const ec2Events = new Watch<Record<string, any>>();
    const moverLog = new Watch<Record<string, any>>();
    const replies = new Watch<Reply>();
    const failures: string[] = [];

    // The fake EC2 endpoint and the mover, in the mover's subnet.
    const fakeOptions: FakeEc2Options = {
        networkInterfaceId: IDS.eni,
        addresses: ADDRESSES.eni,
        prefixLength: ADDRESSES.prefixLength,
        router: ADDRESSES.eniSubnetRouter,
        link: "eth1",
        instances: { [IDS.primary]: ns.primary, [IDS.standby]: ns.standby },
        attachedTo: IDS.primary,
        detachMs: [2000, 3000],
        attachMs: [1000, 3000],
        configureGuest: true,
        commandDeadlineMs: COMMAND_DEADLINE_MS,
    };
    startFakeEc2(ns.mover, fakeOptions, deadlineMs, (event) => ec2Events.push(event));
    const instances: Record<Holder, Agent> = { primary: startInstance(ns, "primary", deadlineMs), standby: startInstance(ns, "standby", deadlineMs) };
    const client = startLineChild(ns.client, [process.execPath, NETNS_AGENTS, "client", JSON.stringify({ deadlineMs })], "the client agent", { deadlineMs, onLine: (line) => answered(line) });
    const { port } = await ec2Events.until((e) => e.event === "listening", 30_000, "the fake EC2 endpoint listening");
    await Promise.all(Object.values(instances).map((agent) => agent.next()));
    say(`fake EC2 endpoint on 127.0.0.1:${port} in ${ns.mover}; starting the mover (Lambda host, rate(1 minute), 60 s timeout)`);
    startMover(ns.mover, MOVER_CONFIG, port, deadlineMs, (line) => moverLog.push(line));

    // The client: every address, every 100 ms.
    const sent = new Map<number, { round: number; address: string }>();
    let round = 0;
    let probeId = 0;
    function answered(line: { id?: number; reply?: string; ready?: boolean }) {
        const probe = line.id === undefined ? undefined : sent.get(line.id);
        if (probe) {
            sent.delete(line.id!);
            replies.push({ ...probe, from: line.reply?.split(" ")[0], at: Date.now() });
        }
    }
    const prober = setInterval(() => {
        round++;
        for (const address of ADDRESSES.eni) {
            sent.set(++probeId, { round, address });
            client.child.stdin!.write(JSON.stringify({ id: probeId, protocol: "tcp", address, port: PORT, timeoutMs: 900 }) + "\n");
        }
    }, PROBE_EVERY_MS);
    try {
        const idOf = (holder: Holder) => IDS[holder];
        const healthy = (holder: Holder, after: number) => moverLog.until((l) => l.event === "healthy" && l.instanceId === idOf(holder) && l.at >= after, 90_000, `the mover finding the ${holder} healthy`);
        /** The first round after `after` in which every address answered from `holder`; its last answer's time. */
        const allAnswer = async (holder: Holder, after: number, ms: number) => {
            const done = await replies.until((r) => r.at >= after && roundAnsweredBy(replies.items, r.round, holder), ms, `every address answering from the ${holder}`);
            return Math.max(...replies.items.filter((r) => r.round === done.round).map((r) => r.at));
        };

        await healthy("primary", 0);
        await allAnswer("primary", 0, 10_000);
        failures.push(...(await blip(ns, moverLog, idOf("primary"), say)));

        const failoverMs: number[] = [];
        let holder: Holder = "primary";
        for (let run = 0; run < runs; run++) {
            const other: Holder = holder === "primary" ? "standby" : "primary";
            const mode = MODES[run % MODES.length];
            await healthy(holder, 0);
            const failedAt = Date.now();
            if (mode === "kill") {
                instances[holder].child.kill();
            } else {
                process.kill(instances[holder].child.pid, "SIGSTOP");
            }
            const back = await allAnswer(other, failedAt, FAILOVER_BOUND_MS * 2).catch(() => undefined);
            const ms = back === undefined ? Infinity : back - failedAt;
            failoverMs.push(ms);
            const record = moverLog.items.find((l) => l.event === "failover" && l._aws?.Timestamp >= failedAt);
            say(
                `run ${run + 1}/${runs}: ${mode === "kill" ? "killed" : "froze (SIGSTOP)"} the ${holder}; every address answered from the ${other} after ${ms} ms` +
                    (record ? ` (mover: failing for ${record.FailoverSeconds} s until attached, detach ${record.detachMs} ms, attach ${record.attachMs} ms)` : ""),
            );
            if (!(ms < FAILOVER_BOUND_MS)) {
                failures.push(`run ${run + 1}: the addresses answered again after ${ms} ms, not within ${FAILOVER_BOUND_MS} ms`);
            }
            // The failed instance comes back; it must not take the ENI back.
            if (mode === "kill") {
                instances[holder] = startInstance(ns, holder, deadlineMs);
                await instances[holder].next();
            } else {
                process.kill(instances[holder].child.pid, "SIGCONT");
            }
            const revivedAt = Date.now();
            await replies.until((r) => r.at >= revivedAt + OBSERVE_AFTER_REVIVAL_MS, OBSERVE_AFTER_REVIVAL_MS * 3, "the client's probes after the revival");
            const tookBack = replies.items.filter((r) => r.at >= revivedAt && r.from === holder).length;
            if (tookBack > 0) {
                failures.push(`run ${run + 1}: the ${holder} answered ${tookBack} probes for the ENI after it came back`);
            }
            holder = other;
        }
        const splitBrain = splitBrainRounds(replies.items);
        say("previewing pulumi up after a failover and pulumi refresh (offline diff, prod with automaticFailover)");
        const { moves } = await previewAfterFailover("prod", PORT);
        const finite = failoverMs.filter(Number.isFinite);
        const result: DrillResult = { runs, failoverMs, p50Ms: p50(failoverMs), maxMs: finite.length === failoverMs.length ? Math.max(...finite) : Infinity, splitBrain, flipBackOnDeploy: moves.length > 0 };
        if (splitBrain > 0) {
            failures.push(`${splitBrain} probe rounds had answers from both instances`);
        }
        if (result.flipBackOnDeploy) {
            failures.push(`a stack update after the failover would move the ENI back: ${moves.map((c) => `${c.name} ${c.op} [${c.properties.join(", ")}]`).join("; ")}`);
        }
        return { result, failures };
    } finally {
        clearInterval(prober);
    }
}

/** An instance: a TCP server on the drill's port on every address, with a listen queue of 1 (see netns-agents.js). */
function startInstance(ns: Namespaces, holder: Holder, deadlineMs: number): Agent {
    return startAgent(ns[holder], "instance", { name: holder, imdsFile: "/dev/null", port: PORT, udpAddresses: [], backlog: 1 }, deadlineMs);
}

/** The mover's configuration in the drill: its environment variables (failoverMover.js configFromEnv). */
const MOVER_CONFIG = {
    NETWORK_INTERFACE_ID: IDS.eni,
    NETWORK_INTERFACE_ADDRESS: ADDRESSES.eni[0],
    HEALTH_CHECK_PORT: String(PORT),
    PRIMARY_INSTANCE_ID: IDS.primary,
    STANDBY_INSTANCE_ID: IDS.standby,
    PREFERRED_INSTANCE_ID: IDS.primary,
};

/** Whether every ENI address answered from `holder` in `round`. */
function roundAnsweredBy(replies: readonly Reply[], round: number, holder: string): boolean {
    const inRound = replies.filter((r) => r.round === round);
    return ADDRESSES.eni.every((address) => inRound.some((r) => r.address === address && r.from === holder));
}

/** Rounds in which both instances answered for the ENI's addresses. */
export function splitBrainRounds(replies: readonly Reply[]): number {
    const answerers = new Map<number, Set<string>>();
    for (const r of replies.filter((reply) => reply.from !== undefined)) {
        answerers.set(r.round, (answerers.get(r.round) ?? new Set()).add(r.from!));
    }
    return [...answerers.values()].filter((names) => names.size > 1).length;
}

/** A blip shorter than the hold-down: the mover must see it and must not move the ENI. */
async function blip(ns: Namespaces, moverLog: Watch<Record<string, any>>, holderId: string, say: (line: string) => void): Promise<string[]> {
    const start = Date.now();
    await runIn(ns.router, ["sh", "-c", blipScript(true)], { deadlineMs: COMMAND_DEADLINE_MS });
    await new Promise((resolve) => setTimeout(resolve, BLIP_MS));
    await runIn(ns.router, ["sh", "-c", blipScript(false)], { deadlineMs: COMMAND_DEADLINE_MS });
    const seen = await moverLog.until((l) => l.event === "unhealthy" && l.instanceId === holderId && l.at >= start, 5000, "the mover seeing the blip").catch(() => undefined);
    const healthyAgain = await moverLog.until((l) => l.event === "healthy" && l.instanceId === holderId && l.at >= start, 10_000, "the mover finding the holder healthy after the blip");
    const moved = moverLog.items.filter((l) => (l.event === "moving" || l.event === "failover") && (l.at ?? l._aws?.Timestamp) >= start);
    say(`blip: the router dropped every packet to the ENI for ${BLIP_MS} ms (hold-down 2000 ms); the mover ${seen ? "saw it" : "did not see it"}, found the primary healthy again ${healthyAgain.at - start} ms after it began, moved ${moved.length === 0 ? "nothing" : "the ENI"}`);
    return [...(seen ? [] : ["the mover did not see the blip (no failed probe): the blip check proved nothing"]), ...(moved.length > 0 ? ["a blip shorter than the hold-down moved the ENI"] : [])];
}
