/**
 * Child-process work several tests need (runner runs, the plugin's start), run one item at a time in the
 * background from the start of the suite (a root hook starts the queue) while the in-process tests run:
 * on two cores it has the core the mocha process leaves idle, and on a busy machine it simply takes
 * longer, within its deadlines. A test awaits its item with a timeout derived from those deadlines.
 */

interface Work {
    /** The longest the item may take: the deadlines of the processes it starts, one after another. */
    readonly budgetMs: number;
    readonly run: () => Promise<unknown>;
    /** It mostly waits (for a timeout, a sleeping child): it starts at once, beside the queue's one item. */
    readonly waitsMostly: boolean;
    result?: Promise<unknown>;
}

const queue: Work[] = [];
let tail: Promise<unknown> = Promise.resolve();

function start(work: Work): Promise<unknown> {
    if (!work.result && work.waitsMostly) {
        work.result = work.run();
    } else if (!work.result) {
        work.result = tail.then(work.run);
        tail = work.result.catch(() => undefined);
    }
    return work.result;
}

/**
 * Queues work (at describe time, so the root hook finds it) whose child processes must be started with
 * `shared: true`; returns what awaits its result, starting the queue if the root hook has not.
 * `waitsMostly`: the work uses little CPU, so it need not wait for its turn.
 */
export function queueBackgroundWork<T>(budgetMs: number, run: () => Promise<T>, options: { waitsMostly?: boolean } = {}): () => Promise<T> {
    const work: Work = { budgetMs, run, waitsMostly: options.waitsMostly ?? false };
    queue.push(work);
    return () => start(work) as Promise<T>;
}

/** Starts every queued item, one after another. */
export function startBackgroundWork(): void {
    queue.forEach((work) => start(work).catch(() => undefined));
}

/** A hook timeout for awaiting queued work: every item queued may use its whole budget, plus a minute. */
export const backgroundWorkTimeout = (): number => queue.reduce((sum, work) => sum + work.budgetMs, 0) + 60_000;
