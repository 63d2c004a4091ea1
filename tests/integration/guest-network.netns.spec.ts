/**
 * guestNetwork on real Linux networking: network namespaces stand in for a client in a third subnet, the VPC
 * router with its source/destination check, the instance with eth0 and the ENI (eth1), and the standby. The
 * guest script the component generated (taken from the prod stack's user data) runs inside them against a
 * fake IMDSv2. Needs Linux, root, iproute2, nftables, curl and util-linux (`npm run setup:linux`); skipped with
 * the reason otherwise, except that under CI=true a missing tool fails the run.
 *
 * The namespaces are built by one shell. Every command and agent runs through tools/childProcess.ts: a deadline,
 * and killed with its process group; the spec's `after` stops them and deletes the namespaces.
 */
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { numberToIpv4, parseIpv4, parseIpv4Cidr } from "../../components/cidr";
import { GUEST_SCRIPT_PATH } from "../../components/guestNetwork";
import { IPV6_SUBNET_INDEX, ipv6SubnetBlock } from "../../components/ipv6Addressing";
import { childMark, runChild, RunningChild, startChild, stopChildren } from "../../tools/childProcess";
import type { FakeEc2Options } from "../../tools/failoverDrill/fakeEc2";
import { startFakeEc2, startMover } from "../../tools/failoverDrill/processes";
import { Watch } from "../../tools/failoverDrill/watch";
import { type Agent, lineSplitter, runIn, startAgent as startNetnsAgent } from "../../tools/netns";
import { loadStackConfig } from "../../tools/stackFiles";
import { once } from "../support/once";
import { guestCloudConfigPart, stackUserData } from "../support/guestUserData";
import { PROJECT } from "../support/helpers";

const TOOLS = ["ip", "nft", "curl", "flock", "sh"];
/** Every command is killed (its process group) at this deadline, whatever the test does. */
const COMMAND_DEADLINE_MS = 20_000;
/** The agents and the router's trace watcher live from the spec's `before` to its `after`, at most this long. */
const AGENT_DEADLINE_MS = 60_000;
/**
 * The longest a probe waits for its answer. A reply the router's source check drops ends the probe at once
 * (the router's trace of the drop, see `watchDrops`), so no test waits for this.
 */
const PROBE_DEADLINE_MS = 10_000;
const PORT = 7000;
/** A probe's local port is this plus its number: the router's trace of a dropped reply names the probe. */
const CLIENT_PORT_BASE = 40_000;

/** Runs a command in a namespace (or in this one) within the command deadline; throws on failure. */
const run = (ns: string | undefined, args: readonly string[], options: { env?: Record<string, string>; shared?: boolean } = {}) => runIn(ns, args, { ...options, deadlineMs: COMMAND_DEADLINE_MS });

/** Why the test cannot run here (`missingTools`: what the project's setup installs), or undefined. */
async function cannotRun(): Promise<{ reason: string; missingTools?: boolean } | undefined> {
    if (process.platform !== "linux") {
        return { reason: `not Linux (${process.platform})` };
    }
    if (process.getuid?.() !== 0) {
        return { reason: "not root (network namespaces need CAP_NET_ADMIN)" };
    }
    const check = (script: string) => runChild("the network-namespace test's check", "sh", ["-c", script], { deadlineMs: COMMAND_DEADLINE_MS, shared: true });
    const missing = await check(`for tool in ${TOOLS.join(" ")}; do command -v "$tool" >/dev/null || echo "$tool"; done`).then(
        (result) => result.stdout.split("\n").filter((tool) => tool !== ""),
        (error: NodeJS.ErrnoException) => {
            if (error.code === "ENOENT") {
                return ["sh"];
            }
            throw error;
        },
    );
    if (missing.length > 0) {
        return { reason: `missing ${missing.join(", ")} (npm run setup:linux installs them)`, missingTools: true };
    }
    const probe = `dse-probe-${process.pid}`;
    const added = await check(`ip netns add ${probe} && ip netns del ${probe}`);
    return added.exitCode === 0 ? undefined : { reason: `no network namespaces: ${added.stderr.trim()}` };
}

/**
 * A VPC's Amazon-provided IPv6 /56, as the mocks give one but in the documentation range; each subnet takes the
 * /64 the component gives it (IPV6_SUBNET_INDEX), the client's subnet the next one.
 */
const VPC_IPV6 = "2001:db8:47b:ab00::/56";

/**
 * Addresses of the prod stack's plan: its subnets and the ENI's fixed IPs; AWS would assign the instances' own, the
 * IPv6 addresses (as with ipv6: true, instanceIpv6AddressCount 2) and the ENI's delegated /28 and /80 prefixes.
 */
function prodAddresses() {
    const config = loadStackConfig("prod");
    const key = (name: string) => config[`${PROJECT}:${name}`];
    const subnet = (name: string) => {
        const parsed = parseIpv4Cidr(key(name));
        assert.ok(parsed.ok, `${name}: ${key(name)}`);
        const base = parseIpv4(parsed.cidr.canonical.split("/")[0])!;
        return { cidr: parsed.cidr.canonical, at: (offset: number) => numberToIpv4(base + offset) };
    };
    const primary = subnet("primarySubnetCidrBlock");
    const secondary = subnet("secondarySubnetCidrBlock");
    // The client's subnet: the /24 after the (/24) secondary subnet, inside prod's VPC.
    const client = (offset: number) => secondary.at(256 + offset);
    const block6 = (index: number) => ipv6SubnetBlock(VPC_IPV6, index);
    const host6 = (index: number, host: string) => block6(index).replace("::/64", `::${host}`);
    const [primary6, secondary6, client6] = [IPV6_SUBNET_INDEX.primary, IPV6_SUBNET_INDEX.secondary, 2];
    const prefix6 = block6(secondary6).replace("::/64", ":1234::/80");
    return {
        primaryCidr: primary.cidr,
        secondaryCidr: secondary.cidr,
        primaryRouter: primary.at(1),
        secondaryRouter: secondary.at(1),
        // The instance's primary IP and a secondary one (as instanceSecondaryPrivateIps would give), the standby's.
        instance: [primary.at(10), primary.at(11)],
        standby: [primary.at(20)],
        eni: [key("networkInterfacePrivateIp"), ...(JSON.parse(key("networkInterfaceSecondaryPrivateIps")) as string[])],
        client: client(10),
        clientRouter: client(1),
        primaryCidr6: block6(primary6),
        secondaryCidr6: block6(secondary6),
        instance6: [host6(primary6, "10"), host6(primary6, "11")],
        standby6: [host6(primary6, "20")],
        eni6: [host6(secondary6, "10")],
        // The ENI's delegated prefixes (networkInterfaceIpv4PrefixCount, networkInterfaceIpv6PrefixCount) and an address in each.
        eniPrefix4: `${secondary.at(32)}/28`,
        eniPrefix6: prefix6,
        inPrefixes: [secondary.at(37), prefix6.replace("::/80", "::5")],
        client6: host6(client6, "10"),
        clientRouter6: host6(client6, "1"),
    };
}

/** The link-local address of the VPC router on each instance's link, as its router advertisements name it. */
const ROUTER_LINK_LOCAL = "fe80::1";

/** The variables of the guest's environment file, as systemd's EnvironmentFile reads these lines. */
function envFile(files: Map<string, string>): Record<string, string> {
    const text = files.get("/etc/dual-subnet-eni/guest-network.env");
    assert.ok(text !== undefined, "no environment file");
    return Object.fromEntries(text.trim().split("\n").map((line) => line.split("=", 2) as [string, string]));
}

const MACS = { instance: "0a:00:00:00:00:10", eni: "0a:00:00:00:01:10", standby: "0a:00:00:00:00:20" };

/** A drop the router's trace showed: the packet's protocol, source and destination port, the counter of the rule. */
interface Drop {
    readonly protocol: string;
    readonly source: string;
    readonly port: number;
    readonly counter: string;
}

const id = `dse${process.pid.toString(36)}${crypto.randomBytes(2).toString("hex")}`;
const ns = { client: `${id}-client`, router: `${id}-router`, instance: `${id}-inst`, standby: `${id}-stby` };
const a = prodAddresses();
/** The namespaces' set-up, once the background queue has started it. */
let settingUp: Promise<unknown> | undefined;
/** Set when the run's last hook has cleaned up: a set-up the queue starts later does nothing. */
let runOver = false;
/** Where the spec's `before` started: the children started after it (agents, watcher, guest scripts) are the spec's. */
let specChildren: number | undefined;
let work: string | undefined;

/**
 * One shell builds the whole network: the namespaces without reverse-path filters (only the router's explicit
 * check drops packets), the links, the router with its source/destination check, the guests as DHCP leaves them.
 */
function networkScript(): string {
    const sysctls = (name: string) =>
        [
            "net.ipv4.conf.all.rp_filter=0",
            "net.ipv4.conf.default.rp_filter=0",
            // IPv6 addresses usable at once (AWS's images turn duplicate address detection off too: amazon-ec2-net-utils).
            "net.ipv6.conf.all.accept_dad=0",
            "net.ipv6.conf.default.accept_dad=0",
            ...(name === ns.router ? ["net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"] : []),
            // The servers bind each address before the guest script adds it, and send each SYN-ACK once: a reply
            // the router drops is not sent again a second later, into another test's count of drops.
            ...(name === ns.instance || name === ns.standby ? ["net.ipv4.ip_nonlocal_bind=1", "net.ipv6.ip_nonlocal_bind=1", "net.ipv4.tcp_synack_retries=0"] : []),
        ].join(" ");
    const link = (host: string, dev: string, mac: string | undefined, peer: string) =>
        `ip -n ${host} link add ${dev}${mac ? ` address ${mac}` : ""} type veth peer name ${peer} netns ${ns.router}`;
    const batch = (name: string, commands: string[]) => [`ip -n ${name} -batch - <<'EOF'`, ...commands, "EOF"];
    // The source/destination check: a packet from an instance's link whose source is not an address of that
    // interface is dropped (and counted). Not AWS's: the drop is traced, so the test sees it happen (`watchDrops`).
    const check = (dev: string, family: "ip" | "ip6", ips: string[]) => `iifname "${dev}" ${family} saddr != { ${ips.join(", ")} } meta nftrace set 1 counter name "spoofed_${dev}" drop`;
    return [
        "set -e",
        ...Object.values(ns).flatMap((name) => [`ip netns add ${name}`, `ip -n ${name} link set lo up`, `ip netns exec ${name} sysctl -qw ${sysctls(name)}`]),
        link(ns.instance, "eth0", MACS.instance, "r0"),
        link(ns.instance, "eth1", MACS.eni, "r1"),
        link(ns.client, "eth0", undefined, "r2"),
        link(ns.standby, "eth0", MACS.standby, "r3"),
        // The router: the subnets' .1 on each link (and the link-local IPv6 router), a host route to each address
        // where AWS placed it, each delegated prefix routed to the interface that holds it.
        ...batch(ns.router, [
            `address add ${a.primaryRouter}/32 dev r0`,
            `address add ${a.primaryRouter}/32 dev r3`,
            `address add ${a.secondaryRouter}/32 dev r1`,
            `address add ${a.clientRouter}/24 dev r2`,
            ...["r0", "r1", "r3"].map((dev) => `address add ${ROUTER_LINK_LOCAL}/64 dev ${dev}`),
            `address add ${a.clientRouter6}/64 dev r2`,
            ...["r0", "r1", "r2", "r3"].map((dev) => `link set ${dev} up`),
            ...[...a.instance, ...a.instance6].map((ip) => `route add ${ip} dev r0`),
            ...[...a.eni, ...a.eni6].map((ip) => `route add ${ip} dev r1`),
            ...[...a.standby, ...a.standby6].map((ip) => `route add ${ip} dev r3`),
            `route add ${a.eniPrefix4} via ${a.eni[0]} dev r1`,
            `route add ${a.eniPrefix6} via ${a.eni6[0]} dev r1`,
        ]),
        `ip netns exec ${ns.router} nft -f - <<'EOF'`,
        "table inet vpc {",
        ...["r0", "r1", "r3"].map((dev) => `  counter spoofed_${dev} {}`),
        "  chain forward {",
        "    type filter hook forward priority filter; policy accept;",
        `    ${check("r0", "ip", a.instance)}`,
        `    ${check("r1", "ip", [...a.eni, a.eniPrefix4])}`,
        `    ${check("r3", "ip", a.standby)}`,
        `    ${check("r0", "ip6", a.instance6)}`,
        `    ${check("r1", "ip6", [...a.eni6, a.eniPrefix6])}`,
        `    ${check("r3", "ip6", a.standby6)}`,
        "  }",
        "}",
        "EOF",
        // The guests as DHCP and router advertisements leave them: each interface's primary IPv4 and IPv6 address,
        // the default routes via eth0 (metric 100), and via eth1's router at a higher metric.
        ...batch(ns.instance, [
            `address add ${a.instance[0]}/24 dev eth0`,
            `address add ${a.eni[0]}/24 dev eth1`,
            `address add ${a.instance6[0]}/128 dev eth0`,
            `address add ${a.eni6[0]}/128 dev eth1`,
            "link set eth0 up",
            "link set eth1 up",
            `route add default via ${a.primaryRouter} dev eth0 metric 100`,
            `route add default via ${ROUTER_LINK_LOCAL} dev eth0 proto ra metric 100`,
            `route add default via ${ROUTER_LINK_LOCAL} dev eth1 proto ra metric 1024`,
        ]),
        ...batch(ns.standby, [
            `address add ${a.standby[0]}/24 dev eth0`,
            `address add ${a.standby6[0]}/128 dev eth0`,
            "link set eth0 up",
            `route add default via ${a.primaryRouter} dev eth0 metric 100`,
            `route add default via ${ROUTER_LINK_LOCAL} dev eth0 proto ra metric 100`,
        ]),
        ...batch(ns.client, [
            `address add ${a.client}/24 dev eth0`,
            `address add ${a.client6}/64 dev eth0`,
            "link set eth0 up",
            `route add default via ${a.clientRouter} dev eth0`,
            `route add default via ${a.clientRouter6} dev eth0`,
        ]),
    ].join("\n");
}

/** Whether the test can run here, and if so the network built. */
const network = once(async () => {
    const cannot = (await cannotRun()) ?? (runOver ? { reason: "the run is over" } : undefined);
    if (!cannot) {
        settingUp = run(undefined, ["sh", "-c", networkScript()], { shared: true });
        await settingUp;
    }
    return cannot;
});

/** Stops the spec's children, then deletes the namespaces and the files, waiting for each; once, whichever hook comes first. */
let cleaned: Promise<void> | undefined;
const cleanUp = () =>
    (cleaned ??= (async () => {
        if (specChildren !== undefined) {
            await stopChildren(specChildren);
        }
        if (settingUp) {
            await settingUp.catch(() => undefined);
            // What a failed set-up created, too.
            const names = Object.values(ns).join(" ");
            await run(undefined, ["sh", "-c", `for name in ${names}; do [ ! -e /var/run/netns/$name ] || ip netns del $name; done`]);
        }
        if (work) {
            fs.rmSync(work, { recursive: true, force: true });
        }
    })());

// A root hook: the end of the run, also when this file's tests were left out (--grep) after the set-up ran.
after(() => {
    runOver = true;
    return cleanUp();
});

describe("guestNetwork inside the guest, on Linux network namespaces (prod's addresses)", function () {
    this.timeout(60_000);
    let script: string;
    let guestEnv: Record<string, string>;
    /** The environment file the component writes with publicInterface networkInterface. */
    let publicEniEnv: Record<string, string>;
    let imdsUrl: Record<"instance" | "standby", string>;
    let client: Agent;
    /** The instance's agent: it reports each IMDS request it answered. */
    let instanceImds: Agent;
    let probeId = 0;
    /** automaticFailover's fake EC2 endpoint: its events, and the ids it knows (eth1 starts on the standby, where the flips leave it). */
    const ec2Events = new Watch<Record<string, any>>();
    const ids = { eni: "eni-0a1b2c3d4e5f60789", instance: "i-0a1b2c3d4e5f60781", standby: "i-0a1b2c3d4e5f60782" } as const;
    /** Probes waiting for an answer, by "<protocol> <address> <local port>": their number. */
    const waiting = new Map<string, number>();

    const startAgent = (namespace: string, role: string, options: object): Agent => startNetnsAgent(namespace, role, options, AGENT_DEADLINE_MS);

    /** Ends a waiting probe whose reply the router dropped: "no answer", with the dropping rule's counter. */
    function replyDropped(drop: Drop) {
        const probe = waiting.get(`${drop.protocol} ${drop.source} ${drop.port}`);
        if (probe !== undefined) {
            client.child.stdin!.write(JSON.stringify({ end: probe, why: `its reply dropped by the router: ${drop.counter}` }) + "\n");
        }
    }

    /**
     * `nft monitor trace` in the router: for every packet a rule drops, the packet's header and the rule. Resolves
     * once it listens (its netlink socket has joined nftables' trace group), so no drop after that goes unseen.
     */
    async function watchDrops(): Promise<void> {
        const packets = new Map<string, string>();
        const watcher = startChild("ip", ["netns", "exec", ns.router, "nft", "monitor", "trace"], {
            deadlineMs: AGENT_DEADLINE_MS,
            onStdout: lineSplitter((line) => {
                const [, trace, event] = /^trace id (\w+) (.*)$/.exec(line) ?? [];
                if (event?.includes(" packet: ")) {
                    packets.set(trace, event);
                }
                const counter = /counter name "(\w+)" drop \(verdict drop\)$/.exec(event ?? "")?.[1];
                const header = /\bip6? saddr (\S+) .*\b(tcp|udp) sport \d+ \2 dport (\d+)/.exec(packets.get(trace) ?? "");
                if (counter && header) {
                    packets.delete(trace);
                    replyDropped({ protocol: header[2], source: header[1], port: Number(header[3]), counter });
                }
            }),
        });
        await joinedTraceGroup(watcher);
    }

    /**
     * Resolves once the watcher's netlink socket (NETLINK_NETFILTER, 12) is in nftables' trace group
     * (NFNLGRP_NFTRACE, 9: bit 8 of the Groups column of its namespace's /proc/net/netlink; nothing else in the
     * router's namespace listens to traces). The kernel gives no event for that, so this looks again with
     * growing pauses (1, 2, 4 … ms), up to the command deadline.
     */
    async function joinedTraceGroup(watcher: RunningChild): Promise<void> {
        const joined = () => {
            try {
                return fs
                    .readFileSync(`/proc/${watcher.pid}/net/netlink`, "utf8")
                    .split("\n")
                    .map((line) => line.trim().split(/\s+/))
                    .some(([, family, , groups]) => family === "12" && (parseInt(groups, 16) & (1 << 8)) !== 0);
            } catch {
                return false;
            }
        };
        let exited = false;
        void watcher.done.finally(() => (exited = true));
        for (let waited = 0, pause = 1; !joined(); waited += pause, pause = Math.min(pause * 2, 100)) {
            if (exited || waited >= COMMAND_DEADLINE_MS) {
                const result = exited ? await watcher.done : undefined;
                throw new Error(`nft monitor trace did not listen in the router (${exited ? `exit ${result!.exitCode}: ${result!.stderr}` : `${COMMAND_DEADLINE_MS} ms`})`);
            }
            await new Promise((resolve) => setTimeout(resolve, pause));
        }
    }

    function imdsFile(host: "instance" | "standby") {
        return path.join(work!, `imds-${host}.json`);
    }

    /** What IMDS lists of an interface: device number, addresses, subnets; IPv6 and prefixes where it has them. */
    interface ImdsInterface {
        readonly mac: string;
        readonly device: number;
        readonly addresses: string[];
        readonly cidr: string;
        readonly ipv6?: { readonly addresses: string[]; readonly cidr: string };
        readonly prefixes?: { readonly ipv4: string; readonly ipv6: string };
    }

    function writeImds(host: "instance" | "standby", interfaces: ImdsInterface[]) {
        const macs = Object.fromEntries(
            interfaces.map((i) => [
                i.mac,
                {
                    "device-number": String(i.device),
                    "local-ipv4s": i.addresses.join("\n"),
                    "subnet-ipv4-cidr-block": i.cidr,
                    // IMDS answers these only where the interface has them (404 otherwise).
                    ...(i.ipv6 ? { ipv6s: i.ipv6.addresses.join("\n"), "subnet-ipv6-cidr-blocks": i.ipv6.cidr } : {}),
                    ...(i.prefixes ? { "ipv4-prefix": i.prefixes.ipv4, "ipv6-prefix": i.prefixes.ipv6 } : {}),
                },
            ]),
        );
        // Written whole, then renamed over the old: the agent, which reads it per request, never sees half a file.
        const next = `${imdsFile(host)}.next`;
        fs.writeFileSync(next, JSON.stringify({ mac: interfaces.find((i) => i.device === 0)?.mac, macs }));
        fs.renameSync(next, imdsFile(host));
    }

    /** The guest script, as cloud-init would have written it, run in a host's namespace with its IMDS. */
    function guest(host: "instance" | "standby", ...args: string[]): Promise<string> {
        return guestWith(guestEnv, host, ...args);
    }

    const guestEnvOf = (fileEnv: Record<string, string>, host: "instance" | "standby", attempts = 1) => ({
        ...fileEnv,
        DSE_IMDS_URL: imdsUrl[host],
        DSE_STATE_DIR: path.join(work!, `state-${host}`),
        DSE_IMDS_ATTEMPTS: String(attempts),
        DSE_IMDS_RETRY_SECONDS: "0.05",
    });

    function guestWith(fileEnv: Record<string, string>, host: "instance" | "standby", ...args: string[]): Promise<string> {
        return run(ns[host], ["sh", script, ...args], { env: guestEnvOf(fileEnv, host) });
    }

    /**
     * TCP and UDP probes from the client to each address, in parallel: the answer ("<host> <address>"), or "no
     * answer (<why>)": the router dropped its reply (it ends the probe at once), or the deadline passed.
     */
    async function probeAll(addresses: readonly string[]): Promise<Record<string, string>> {
        const requests = addresses.flatMap((address) =>
            (["tcp", "udp"] as const).map((protocol) => {
                const probe = ++probeId;
                return { id: probe, protocol, address, port: PORT, localPort: CLIENT_PORT_BASE + probe, timeoutMs: PROBE_DEADLINE_MS };
            }),
        );
        const key = (request: (typeof requests)[number]) => `${request.protocol} ${request.address} ${request.localPort}`;
        requests.forEach((request) => waiting.set(key(request), request.id));
        const answers = new Map<number, { reply?: string; error?: string }>();
        try {
            requests.forEach((request) => client.child.stdin!.write(JSON.stringify(request) + "\n"));
            while (answers.size < requests.length) {
                const answer = await client.next(PROBE_DEADLINE_MS + 5000);
                answers.set(answer.id, answer);
            }
        } finally {
            requests.forEach((request) => waiting.delete(key(request)));
        }
        return Object.fromEntries(requests.map(({ id, protocol, address }) => [`${protocol} ${address}`, answers.get(id)!.reply ?? `no answer (${answers.get(id)!.error})`]));
    }

    const expectAnswers = (host: string, addresses: readonly string[]) =>
        Object.fromEntries(addresses.flatMap((address) => ["tcp", "udp"].map((protocol) => [`${protocol} ${address}`, `${host} ${address}`])));
    /** Replies dropped on the way by the source check of one link: the client has no answer (no refusal, no error). */
    const expectDropped = (addresses: readonly string[], link: string) =>
        Object.fromEntries(addresses.flatMap((address) => ["tcp", "udp"].map((protocol) => [`${protocol} ${address}`, `no answer (its reply dropped by the router: spoofed_${link})`])));

    /** Packets the router dropped, by link, for a source address not assigned to it. */
    async function spoofedDrops(): Promise<Record<string, number>> {
        const listing = JSON.parse(await run(ns.router, ["nft", "-j", "list", "counters", "table", "inet", "vpc"])) as { nftables: { counter?: { name: string; packets: number } }[] };
        return Object.fromEntries(listing.nftables.flatMap((entry) => (entry.counter ? [[entry.counter.name, entry.counter.packets]] : [])));
    }

    const tablesIn = async (host: "instance" | "standby", family: "-4" | "-6" = "-4") =>
        (await run(ns[host], ["ip", family, "rule", "show"]))
            .split("\n")
            .filter((line) => / lookup \d+/.test(line) && !/lookup (main|local|default)/.test(line))
            .map((line) => line.trim());

    /** The interfaces as IMDS lists them: the ENI at its device number (its IPv6 address and delegated prefixes with it). */
    const INSTANCE: ImdsInterface = { mac: MACS.instance, device: 0, addresses: a.instance, cidr: a.primaryCidr, ipv6: { addresses: a.instance6, cidr: a.primaryCidr6 } };
    const STANDBY: ImdsInterface = { mac: MACS.standby, device: 0, addresses: a.standby, cidr: a.primaryCidr, ipv6: { addresses: a.standby6, cidr: a.primaryCidr6 } };
    const eniAt = (device: number): ImdsInterface => ({
        mac: MACS.eni,
        device,
        addresses: a.eni,
        cidr: a.secondaryCidr,
        ipv6: { addresses: a.eni6, cidr: a.secondaryCidr6 },
        prefixes: { ipv4: a.eniPrefix4, ipv6: a.eniPrefix6 },
    });

    /** eth1 moved into a host's namespace comes up and hears the router's advertisement (its default route, as the kernel installs it). */
    const advertised = (host: "instance" | "standby") =>
        run(undefined, ["sh", "-c", `ip -n ${ns[host]} link set eth1 up && ip -n ${ns[host]} -6 route replace default via ${ROUTER_LINK_LOCAL} dev eth1 proto ra metric 1024`]);

    before(async function () {
        this.timeout(3 * COMMAND_DEADLINE_MS + 10_000);
        const cannot = await network();
        if (cannot) {
            if (cannot.missingTools && process.env.CI === "true") {
                throw new Error(`CI runs the network-namespace test for real, but: ${cannot.reason}`);
            }
            console.log(`      skipped: ${cannot.reason}`);
            this.skip();
        }
        specChildren = childMark();
        work = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-netns-"));
        writeImds("instance", [INSTANCE, eniAt(1)]);
        writeImds("standby", [STANDBY]);
        // The agents start while this process computes the user data.
        const eniAddresses = [...a.eni, ...a.eni6, ...a.inPrefixes];
        const instanceAgent = startAgent(ns.instance, "instance", { name: "instance", imdsFile: imdsFile("instance"), port: PORT, udpAddresses: [...a.instance, ...a.instance6, ...eniAddresses] });
        const standbyAgent = startAgent(ns.standby, "instance", { name: "standby", imdsFile: imdsFile("standby"), port: PORT, udpAddresses: [...a.standby, ...a.standby6, ...eniAddresses] });
        client = startAgent(ns.client, "client", {});
        const fake: FakeEc2Options = {
            networkInterfaceId: ids.eni,
            addresses: a.eni,
            prefixLength: 24,
            router: a.secondaryRouter,
            link: "eth1",
            instances: { [ids.instance]: ns.instance, [ids.standby]: ns.standby },
            attachedTo: ids.standby,
            detachMs: [20, 50],
            attachMs: [20, 50],
            configureGuest: false,
            commandDeadlineMs: COMMAND_DEADLINE_MS,
        };
        startFakeEc2(ns.client, fake, AGENT_DEADLINE_MS, (event) => ec2Events.push(event));
        const ready = Promise.all([instanceAgent.next(), standbyAgent.next(), client.next(), watchDrops()]);
        ready.catch(() => undefined);

        // The configuration the component generates for prod's instances (the same for both).
        const [primaryUserData, standbyUserData] = await stackUserData("prod", { guestNetwork: "true" });
        assert.strictEqual(standbyUserData, primaryUserData);
        const { files } = guestCloudConfigPart(primaryUserData);
        script = path.join(work, "guest-network.sh");
        fs.writeFileSync(script, files.get(GUEST_SCRIPT_PATH)!, { mode: 0o755 });
        guestEnv = envFile(files);

        const [instanceReady, standbyReady] = await ready;
        instanceImds = instanceAgent;
        imdsUrl = { instance: `http://127.0.0.1:${instanceReady.imdsPort}`, standby: `http://127.0.0.1:${standbyReady.imdsPort}` };
        // First boot: the units start for every interface IMDS lists, while this process computes the user data
        // of a public ENI.
        const firstBoot = Promise.all([guest("instance", "apply-all"), guest("standby", "apply-all")]);
        firstBoot.catch(() => undefined);
        const [publicEniUserData] = await stackUserData("prod", { guestNetwork: "true", publicInterface: "networkInterface" });
        publicEniEnv = envFile(guestCloudConfigPart(publicEniUserData).files);
        await firstBoot;
    });

    after(cleanUp);

    it("answers TCP and UDP on every address of both interfaces (primary and secondary IPs), each through its own interface", async () => {
        const before = await spoofedDrops();
        assert.deepStrictEqual(await probeAll([...a.instance, ...a.eni]), expectAnswers("instance", [...a.instance, ...a.eni]));
        const [after, rules, table] = await Promise.all([spoofedDrops(), tablesIn("instance"), run(ns.instance, ["ip", "route", "show", "table", "1001"])]);
        assert.deepStrictEqual(after, before, "the router dropped a reply");
        for (const ip of a.instance) {
            assert.ok(rules.some((rule) => rule.includes(`from ${ip} lookup 1000`)), rules.join("\n"));
        }
        for (const ip of a.eni) {
            assert.ok(rules.some((rule) => rule.includes(`from ${ip} lookup 1001`)), rules.join("\n"));
        }
        assert.match(table, new RegExp(`default via ${a.secondaryRouter} dev eth1`));
        assert.match(table, new RegExp(`${a.secondaryCidr.replace(/\./g, "\\.")} dev eth1`));
    });

    it("answers TCP and UDP over IPv6 on both interfaces' addresses and on an address inside the ENI's delegated /80 prefix (and /28 IPv4 prefix), each through its own interface", async () => {
        const before = await spoofedDrops();
        const addresses = [...a.instance6, ...a.eni6, ...a.inPrefixes];
        assert.deepStrictEqual(await probeAll(addresses), expectAnswers("instance", addresses));
        const [after, rules4, rules6, table6, local4, local6] = await Promise.all([
            spoofedDrops(),
            tablesIn("instance"),
            tablesIn("instance", "-6"),
            run(ns.instance, ["ip", "-6", "route", "show", "table", "1001"]),
            run(ns.instance, ["ip", "-4", "route", "show", "table", "local", "type", "local", "dev", "eth1"]),
            run(ns.instance, ["ip", "-6", "route", "show", "table", "local", "type", "local", "dev", "eth1"]),
        ]);
        assert.deepStrictEqual(after, before, "the router dropped a reply");
        for (const source of a.instance6) {
            assert.ok(rules6.includes(`1000:\tfrom ${source} lookup 1000`), rules6.join("\n"));
        }
        for (const source of [...a.eni6, a.eniPrefix6]) {
            assert.ok(rules6.includes(`1001:\tfrom ${source} lookup 1001`), rules6.join("\n"));
        }
        assert.ok(rules4.includes(`1001:\tfrom ${a.eniPrefix4} lookup 1001`), rules4.join("\n"));
        assert.match(table6, new RegExp(`default via ${ROUTER_LINK_LOCAL} dev eth1`));
        assert.match(table6, new RegExp(`${a.secondaryCidr6} dev eth1`));
        assert.match(local4, new RegExp(`local ${a.eniPrefix4.replace(/\./g, "\\.")} `));
        assert.match(local6, new RegExp(`local ${a.eniPrefix6} `));
    });

    it("without the configuration, replies to eth1's IPv4 and IPv6 addresses leave by eth0 and the router's source check drops them", async () => {
        await guest("instance", "remove-all");
        try {
            const [rules, rules6, before] = await Promise.all([tablesIn("instance"), tablesIn("instance", "-6"), spoofedDrops()]);
            assert.deepStrictEqual([rules, rules6], [[], []]);
            const eth1 = [...a.eni, ...a.eni6];
            assert.deepStrictEqual(await probeAll([...a.instance, ...eth1]), { ...expectAnswers("instance", a.instance), ...expectDropped(eth1, "r0") });
            const after = await spoofedDrops();
            assert.ok(after.spoofed_r0 - before.spoofed_r0 >= eth1.length * 2, `dropped on eth0's link: ${after.spoofed_r0 - before.spoofed_r0}`);
        } finally {
            await guest("instance", "apply-all");
        }
        const all = [...a.eni, ...a.eni6, ...a.inPrefixes];
        assert.deepStrictEqual(await probeAll(all), expectAnswers("instance", all), "applied again, eth1 answers again");
    });

    it("after the flip (eth1 moved to the standby), the standby answers on eth1's addresses and the primary no longer does", async () => {
        // The ENI moves: the primary's unit stops (udev remove), the standby's starts (udev add), IMDS follows.
        await run(undefined, ["ip", "-n", ns.instance, "link", "set", "eth1", "netns", ns.standby]);
        writeImds("instance", [INSTANCE]);
        writeImds("standby", [STANDBY, eniAt(1)]);
        await guest("instance", "remove", "eth1");
        await advertised("standby");
        await guest("standby", "apply", "eth1");

        const [rules, rules6, table, table6, before] = await Promise.all([
            tablesIn("instance"),
            tablesIn("instance", "-6"),
            run(ns.instance, ["ip", "route", "show", "table", "1001"]),
            run(ns.instance, ["ip", "-6", "route", "show", "table", "1001"]),
            spoofedDrops(),
        ]);
        assert.ok([...rules, ...rules6].every((rule) => !rule.includes("lookup 1001")), "the primary kept eth1's rules");
        assert.deepStrictEqual([table.trim(), table6.trim()], ["", ""]);
        const eth1 = [...a.eni, ...a.eni6, ...a.inPrefixes];
        assert.deepStrictEqual(await probeAll([...eth1, ...a.instance, ...a.standby, ...a.instance6, ...a.standby6]), {
            ...expectAnswers("standby", eth1),
            ...expectAnswers("instance", [...a.instance, ...a.instance6]),
            ...expectAnswers("standby", [...a.standby, ...a.standby6]),
        });
        assert.deepStrictEqual(await spoofedDrops(), before, "the router dropped a reply");
    });

    it("with publicInterface networkInterface, the main default route goes through the ENI's subnet router, and is removed with it", async () => {
        // After the flip, the standby holds eth1; its unit restarts with the environment of a public ENI.
        await guestWith(publicEniEnv, "standby", "apply", "eth1");
        assert.match(await run(ns.standby, ["ip", "route", "get", a.client]), new RegExp(`via ${a.secondaryRouter} dev eth1 src ${a.eni[0]}`));
        assert.match(await run(ns.standby, ["ip", "-6", "route", "get", a.client6]), new RegExp(`via ${ROUTER_LINK_LOCAL} dev eth1 .*metric 1 `));
        await guestWith(publicEniEnv, "standby", "remove", "eth1");
        const [route, route6, rules, local6] = await Promise.all([
            run(ns.standby, ["ip", "route", "get", a.client]),
            run(ns.standby, ["ip", "-6", "route", "get", a.client6]),
            tablesIn("standby"),
            run(ns.standby, ["ip", "-6", "route", "show", "table", "local", "type", "local", "dev", "eth1"]),
        ]);
        assert.match(route, new RegExp(`via ${a.primaryRouter} dev eth0 src ${a.standby[0]}`));
        assert.match(route6, new RegExp(`via ${ROUTER_LINK_LOCAL} dev eth0 `));
        assert.ok(rules.every((rule) => !rule.includes("lookup 1001")));
        assert.doesNotMatch(local6, new RegExp(a.eniPrefix6), "the prefix's local route stayed");
        await guest("standby", "apply", "eth1");
    });

    it("fail back attached early (IMDS lists the ENI late, then with device number 0) over the standby's stale rules: the unit waits, the instance answers", async () => {
        // The standby's unit does not run this time (as after a crash): its rules for eth1's addresses stay behind.
        await run(undefined, ["ip", "-n", ns.standby, "link", "set", "eth1", "netns", ns.instance]);
        writeImds("standby", [STANDBY]);
        await advertised("instance");
        const unit = startChild("ip", ["netns", "exec", ns.instance, "sh", script, "apply", "eth1"], {
            env: { ...process.env, ...guestEnvOf(guestEnv, "instance", 200) },
            deadlineMs: COMMAND_DEADLINE_MS,
        });
        // AWS's metadata catches up in steps: the ENI unknown, then listed with device number 0 (not propagated
        // yet), then 1. The unit asks again until it has a device number it can trust.
        const asked = async (value: string | undefined) => {
            for (let line = await instanceImds.next(); !(line.imds === `/latest/meta-data/network/interfaces/macs/${MACS.eni}/device-number` && line.value === value); line = await instanceImds.next()) {
                // another request
            }
        };
        const withEni = (device: number) => writeImds("instance", [INSTANCE, eniAt(device)]);
        await asked(undefined);
        withEni(0);
        await asked("0");
        withEni(1);
        const exited = await unit.done;
        assert.strictEqual(exited.exitCode, 0, exited.stderr);
        assert.ok((await tablesIn("standby")).some((rule) => rule.includes("lookup 1001")), "the standby's stale rules are there");
        const eth1 = [...a.eni, ...a.eni6, ...a.inPrefixes];
        assert.deepStrictEqual(await probeAll([...eth1, ...a.standby]), { ...expectAnswers("instance", eth1), ...expectAnswers("standby", a.standby) });
    });

    it("flipped again, the standby's unit replaces its stale rules: one rule per address, the standby answers", async () => {
        await run(undefined, ["ip", "-n", ns.instance, "link", "set", "eth1", "netns", ns.standby]);
        await guest("instance", "remove", "eth1");
        writeImds("standby", [STANDBY, eniAt(1)]);
        await advertised("standby");
        await guest("standby", "apply", "eth1");
        const rulesOf1001 = async (family: "-4" | "-6") => (await tablesIn("standby", family)).filter((rule) => rule.includes("lookup 1001")).sort();
        const expected = (sources: string[]) => sources.map((source) => `1001:\tfrom ${source} lookup 1001`).sort();
        assert.deepStrictEqual(await rulesOf1001("-4"), expected([...a.eni, a.eniPrefix4]));
        assert.deepStrictEqual(await rulesOf1001("-6"), expected([...a.eni6, a.eniPrefix6]));
        const eth1 = [...a.eni, ...a.eni6, ...a.inPrefixes];
        assert.deepStrictEqual(await probeAll(eth1), expectAnswers("standby", eth1));
    });
    it("automaticFailover: the mover (its shipped code, the real AWS SDK, a fake EC2 endpoint) moves eth1 when its holder stops answering (on IPv4), and with guestNetwork the new holder answers on its IPv4 and IPv6 addresses and its delegated prefixes", async () => {
        // eth1 is on the standby (the test before). The fake endpoint (started with the agents) and the mover run in
        // the client's subnet; the mover probes faster than its defaults so the test stays short.
        const moverLog = new Watch<Record<string, any>>();
        const { port } = await ec2Events.until((e) => e.event === "listening", 20_000, "the fake EC2 endpoint listening");
        const timings = { PROBE_INTERVAL_MS: "200", PROBE_TIMEOUT_MS: "150", HOLD_DOWN_MS: "400", POLL_MS: "50" };
        const config = { NETWORK_INTERFACE_ID: ids.eni, NETWORK_INTERFACE_ADDRESS: a.eni[0], HEALTH_CHECK_PORT: String(PORT), PRIMARY_INSTANCE_ID: ids.instance, STANDBY_INSTANCE_ID: ids.standby, PREFERRED_INSTANCE_ID: ids.instance, ...timings };
        startMover(ns.client, config, port, AGENT_DEADLINE_MS, (line) => moverLog.push(line));
        const stopAnswering = (host: "instance" | "standby", on: boolean) =>
            run(ns[host], ["sh", "-c", on ? `nft add table ip failing && nft add chain ip failing input '{ type filter hook input priority 0; }' && nft add rule ip failing input tcp dport ${PORT} drop` : "nft delete table ip failing"]);
        /** The holder fails; once EC2 attached eth1 to the other host, IMDS lists it there and udev starts the unit (apply). */
        const failOver = async (from: "instance" | "standby", to: "instance" | "standby") => {
            const healthyAt = await moverLog.until((l) => l.event === "healthy" && l.instanceId === ids[from], 20_000, `the mover finding the ${from} healthy`);
            await stopAnswering(from, true);
            await ec2Events.until((e) => e.event === "attached" && e.instanceId === ids[to] && e.at >= healthyAt.at, 20_000, `eth1 attached to the ${to}`);
            const primaryInterface = { instance: INSTANCE, standby: STANDBY };
            writeImds(to, [primaryInterface[to], eniAt(1)]);
            writeImds(from, [primaryInterface[from]]);
            await advertised(to);
            await guest(to, "apply", "eth1");
            await stopAnswering(from, false);
        };

        await failOver("standby", "instance");
        await failOver("instance", "standby");
        // The mover probed eth1's primary IPv4 address only; its IPv6 addresses and prefixes moved with it.
        const before = await spoofedDrops();
        const eth1 = [...a.eni, ...a.eni6, ...a.inPrefixes];
        assert.deepStrictEqual(await probeAll(eth1), expectAnswers("standby", eth1));
        assert.deepStrictEqual(await spoofedDrops(), before, "the router dropped a reply");
        assert.deepStrictEqual(
            moverLog.items.filter((l) => l.event === "failover").map((l) => [l.from, l.to]),
            [
                [ids.standby, ids.instance],
                [ids.instance, ids.standby],
            ],
        );
    });
});
