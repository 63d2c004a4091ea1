/** The rules of `automaticFailover` and `failoverHealthCheckPort`, on the args alone. */
import type { Checker } from "./checker";

/** The mover's health check connects to a TCP port: 0 is no port a server listens on. */
const PORTS = { min: 1, max: 65535 } as const;

/** `automaticFailover` needs a standby to move the ENI to and a port to check; the port needs the mover. */
export function checkAutomaticFailover(checker: Checker, standbyInstance: boolean | undefined): void {
    const automatic = checker.flag("automaticFailover");
    checker.wholeNumber("failoverHealthCheckPort", PORTS.min, PORTS.max, `a TCP port from ${PORTS.min} to ${PORTS.max}`);
    const portGiven = checker.raw.failoverHealthCheckPort !== undefined || checker.pending.has("failoverHealthCheckPort");
    if (automatic === true && standbyInstance !== true && !checker.pending.has("standbyInstance")) {
        checker.report("automaticFailover", "is true, but standbyInstance is not set: there is no standby instance to move the ENI to; set standbyInstance: true too");
    }
    if (automatic === true && !portGiven) {
        checker.report("failoverHealthCheckPort", "is required with automaticFailover: the TCP port on the ENI's address whose answer says the instance holding it is healthy");
    }
    if (automatic !== true && !checker.pending.has("automaticFailover") && !checker.pending.has("failoverHealthCheckPort") && checker.raw.failoverHealthCheckPort !== undefined) {
        checker.report("failoverHealthCheckPort", "is set, but automaticFailover is not: nothing would check it");
    }
}
