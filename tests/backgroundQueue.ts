/**
 * Child-process work several tests need (runner runs, the SDK's analyzer, madge, cloud-init), run in the
 * background from the start of the suite (a root hook starts the queue) while the in-process tests run. One
 * item runs at a time, on the core the mocha process leaves idle; while a test waits for an item, the mocha
 * process is idle too, so a second item may run on its core. Work that mostly waits starts at once. On a busy
 * machine it all simply takes longer, within its deadlines; a test awaits its item with a timeout derived
 * from those deadlines.
 */

interface Work {
    /** The longest the item may take: the deadlines of the processes it starts, one after another. */
    readonly budgetMs: number;
    readonly run: () => Promise<unknown>;
    /** It mostly waits (for a timeout, a sleeping child): it starts at once, beside the queue's items. */
    readonly waitsMostly: boolean;
    /** Settles as `run()` does, once the queue has started it. */
    readonly result: Promise<unknown>;
    /** Tests are waiting for it. */
    awaited: boolean;
    readonly settle: { resolve(value: unknown): void; reject(reason: unknown): void };
}

const queued: Work[] = [];
/** Items not started yet, in the order they were queued. */
const pending: Work[] = [];
let started = false;
let running = 0;
let testsWaiting = 0;

function launch(work: Work): void {
    work.run().then(work.settle.resolve, work.settle.reject);
}

/** The item to start next: one a test waits for, else the one with the longest budget (the longest work, likely). */
function next(): Work {
    const chosen = pending.find((work) => work.awaited) ?? pending.reduce((longest, work) => (work.budgetMs > longest.budgetMs ? work : longest));
    return pending.splice(pending.indexOf(chosen), 1)[0];
}

/** Starts pending items while there are free cores: one, or two while a test waits for background work. */
function pump(): void {
    while (running < (testsWaiting > 0 ? 2 : 1) && pending.length > 0) {
        const work = next();
        running++;
        const release = () => {
            running--;
            pump();
        };
        work.result.then(release, release);
        launch(work);
    }
}

function enqueue(work: Work): void {
    if (work.waitsMostly) {
        launch(work);
    } else {
        pending.push(work);
    }
}

/**
 * Queues work (at describe time, so the root hook finds it) whose child processes must be started with
 * `shared: true`; returns what awaits its result, starting the queue if the root hook has not.
 * `waitsMostly`: the work uses little CPU, so it need not wait for its turn.
 */
export function queueBackgroundWork<T>(budgetMs: number, run: () => Promise<T>, options: { waitsMostly?: boolean } = {}): () => Promise<T> {
    let settle!: Work["settle"];
    const result = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
    result.catch(() => undefined);
    const work: Work = { budgetMs, run, waitsMostly: options.waitsMostly ?? false, result, settle, awaited: false };
    queued.push(work);
    if (started) {
        enqueue(work);
        pump();
    }
    return async () => {
        startBackgroundWork();
        work.awaited = true;
        testsWaiting++;
        pump();
        try {
            return (await result) as T;
        } finally {
            testsWaiting--;
        }
    };
}

/** Starts the queue (once): work that mostly waits at once, the rest as cores come free. */
export function startBackgroundWork(): void {
    if (!started) {
        started = true;
        queued.forEach(enqueue);
        pump();
    }
}

/** A hook timeout for awaiting queued work: every item queued may use its whole budget, plus a minute. */
export const backgroundWorkTimeout = (): number => queued.reduce((sum, work) => sum + work.budgetMs, 0) + 60_000;
