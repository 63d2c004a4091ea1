/**
 * Runner processes the tests need, run one at a time in the background from the start of the suite (a
 * root hook starts the queue) while the in-process tests run: on two cores the runner has the core the
 * mocha process leaves idle, and on a busy machine it simply takes longer, within its deadline. A test
 * awaits its work with a timeout derived from the runner deadline and the processes queued before it.
 */
import { RUNNER_DEADLINE_MS } from "../stacks/localEngine";

interface Work {
    /** Runner processes the work starts, one after another (each with RUNNER_DEADLINE_MS). */
    readonly processes: number;
    readonly run: () => Promise<unknown>;
    result?: Promise<unknown>;
}

const queue: Work[] = [];
let tail: Promise<unknown> = Promise.resolve();

function start(work: Work): Promise<unknown> {
    if (!work.result) {
        work.result = tail.then(work.run);
        tail = work.result.catch(() => undefined);
    }
    return work.result;
}

/**
 * Queues work that starts `processes` runner processes (at describe time, so the root hook finds it);
 * returns what awaits its result, starting the queue if the root hook has not.
 */
export function queueRunnerWork<T>(processes: number, run: () => Promise<T>): () => Promise<T> {
    const work: Work = { processes, run };
    queue.push(work);
    return () => start(work) as Promise<T>;
}

/** Starts every queued work item, one after another. */
export function startQueuedRunnerWork(): void {
    queue.forEach((work) => start(work).catch(() => undefined));
}

/** A hook timeout for awaiting queued work: every runner queued may use its whole deadline, plus a minute. */
export const queuedRunnerWorkTimeout = (): number => queue.reduce((sum, work) => sum + work.processes, 0) * RUNNER_DEADLINE_MS + 60_000;
