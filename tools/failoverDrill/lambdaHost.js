/**
 * Runs the failover mover's handler as AWS runs it in the drill: an invocation with a context whose
 * getRemainingTimeInMillis counts down from the function's timeout, one every `periodMs` (EventBridge Scheduler's
 * rate(1 minute)), in one process, so that module state carries over as in a warm execution environment. The mover's
 * log lines (console.log) go to stdout. Plain JavaScript, run in the drill's mover namespace:
 *
 *   node lambdaHost.js <path of failoverMover.js> '{"timeoutMs", "periodMs", "deadlineMs"}'
 *
 * The mover's configuration comes from the environment, as Lambda gives a function its variables. It exits at its
 * deadline, and when its stdin closes (the drill went away).
 */
"use strict";
const [moverPath, json] = process.argv.slice(2);
const { timeoutMs, periodMs, deadlineMs } = JSON.parse(json);
setTimeout(() => process.exit(3), deadlineMs);
process.stdin.on("end", () => process.exit(0)).resume();

const mover = require(moverPath);

(async () => {
    for (let next = Date.now(); ; ) {
        const end = Date.now() + timeoutMs;
        await mover.handler({}, { getRemainingTimeInMillis: () => end - Date.now() });
        next += periodMs;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
    }
})().catch((error) => {
    console.error(error);
    process.exit(2);
});
