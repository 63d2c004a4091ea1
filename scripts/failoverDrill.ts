/** The failover drill's command line: `npm run failover:drill -- --help`. */
import { runAsCli, runsFromArgs } from "./cli";
import { cannotRun, FAILOVER_BOUND_MS, runDrill } from "../tools/failoverDrill/drill";

export const USAGE = `usage: npm run failover:drill -- [--runs N] [--json] [--help]

Runs automaticFailover's mover (components/failoverMover.js, with the real AWS SDK v3 EC2 client, as Lambda
runs it) against a fake EC2 endpoint on this machine that moves the ENI's link between Linux network namespaces
(detach 2-3 s, attach 1-3 s). A client probes the ENI's addresses every 100 ms through a router that enforces the
source/destination check. First a blip shorter than the hold-down (it must not move the ENI); then each run kills
the instance holding the ENI or freezes it (SIGSTOP), in turn, measures the time until every address answers from
the other instance, brings the failed one back (it must not take the ENI back). Needs Linux and root.

  --runs N   failovers to run (default 10)
  --json     print { runs, failoverMs, p50Ms, maxMs, splitBrain, flipBackOnDeploy } on stdout
  --help     print this help

Progress goes to stderr. Exit 1 when a run takes ${FAILOVER_BOUND_MS / 1000} s or more, both instances answered at once,
the blip moved the ENI, a revived instance took it back, or a stack update after the failover would move it back.`;

export async function main(args: readonly string[]): Promise<number> {
    const parsed = runsFromArgs(args, USAGE, ["--json"], 10);
    if (typeof parsed === "number") {
        return parsed;
    }
    const { runs } = parsed;
    const cannot = await cannotRun();
    if (cannot) {
        console.error(`the failover drill cannot run here: ${cannot}`);
        return 1;
    }
    const { result, failures } = await runDrill(runs, (line) => console.error(line));
    if (args.includes("--json")) {
        console.log(JSON.stringify(result));
    } else {
        console.log(`${result.runs} failovers: p50 ${result.p50Ms} ms, max ${result.maxMs} ms (${result.failoverMs.join(", ")} ms); split brain ${result.splitBrain}; a stack update after a failover would ${result.flipBackOnDeploy ? "" : "not "}move the ENI back`);
    }
    failures.forEach((failure) => console.error(`✗ ${failure}`));
    return failures.length > 0 ? 1 : 0;
}

runAsCli(module, main);
