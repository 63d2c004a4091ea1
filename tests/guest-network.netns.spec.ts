/**
 * guestNetwork on real Linux networking: network namespaces stand in for a client in a third subnet, the VPC
 * router with its source/destination check, the instance with eth0 and the ENI (eth1), and the standby. The
 * guest script the component generated (taken from the prod stack's user data) runs inside them against a
 * fake IMDSv2. Needs Linux, root, iproute2, nftables, curl and util-linux (`npm run setup:linux`); skipped with
 * the reason otherwise, except that under CI=true a missing tool fails the run.
 */
import * as assert from "assert";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as readline from "readline";
import { numberToIpv4, parseIpv4, parseIpv4Cidr } from "../components/cidr";
import { GUEST_SCRIPT_PATH } from "../components/guestNetwork";
import { loadStackConfig, PROJECT_DIR } from "../stacks/stackFiles";
import { guestCloudConfigPart, stackUserData } from "./guestUserData";
import { PROJECT } from "./helpers";

const TOOLS = ["ip", "nft", "curl", "flock", "timeout", "sh"];
/** Every command and agent is killed (its process group) at this deadline, whatever the test does. */
const COMMAND_DEADLINE_S = 20;
const AGENT_DEADLINE_MS = 60_000;
/** How long a probe waits for an answer: a dropped reply costs this much (probes run in parallel). */
const PROBE_TIMEOUT_MS = 700;
const PORT = 7000;
/** Plain JavaScript, from the source tree also when this spec runs compiled (the bench). */
const AGENTS = path.join(PROJECT_DIR, "tests", "netns-agents.js");

/** Why the test cannot run here (`missingTools`: what the project's setup installs), or undefined. */
function cannotRun(): { reason: string; missingTools?: boolean } | undefined {
    if (process.platform !== "linux") {
        return { reason: `not Linux (${process.platform})` };
    }
    if (process.getuid?.() !== 0) {
        return { reason: "not root (network namespaces need CAP_NET_ADMIN)" };
    }
    const missing = TOOLS.filter((tool) => spawnSync("sh", ["-c", `command -v ${tool}`], { timeout: 5000 }).status !== 0);
    if (missing.length > 0) {
        return { reason: `missing ${missing.join(", ")} (npm run setup:linux installs them)`, missingTools: true };
    }
    const probe = `dse-probe-${process.pid}`;
    const added = spawnSync("ip", ["netns", "add", probe], { encoding: "utf8", timeout: 5000 });
    spawnSync("ip", ["netns", "del", probe], { timeout: 5000 });
    return added.status === 0 ? undefined : { reason: `no network namespaces: ${added.stderr.trim()}` };
}

/** Runs a command (in a namespace), killed with its process group at the deadline; throws on failure. */
function run(ns: string | undefined, args: readonly string[], options: { env?: Record<string, string>; input?: string } = {}): string {
    const argv = [...(ns ? ["ip", "netns", "exec", ns] : []), "timeout", "-s", "KILL", String(COMMAND_DEADLINE_S), ...args];
    const result = spawnSync(argv[0], argv.slice(1), {
        encoding: "utf8",
        input: options.input,
        env: { ...process.env, ...options.env },
        timeout: (COMMAND_DEADLINE_S + 5) * 1000,
        killSignal: "SIGKILL",
    });
    if (result.status !== 0) {
        throw new Error(`${argv.join(" ")}: exit ${result.status ?? result.signal}\n${result.stdout}${result.stderr}`);
    }
    return result.stdout;
}

/** Addresses of the prod stack's plan: its subnets and the ENI's fixed IPs; AWS would assign the instances' own. */
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
    };
}

/** The variables of the guest's environment file, as systemd's EnvironmentFile reads these lines. */
function envFile(files: Map<string, string>): Record<string, string> {
    const text = files.get("/etc/dual-subnet-eni/guest-network.env");
    assert.ok(text !== undefined, "no environment file");
    return Object.fromEntries(text.trim().split("\n").map((line) => line.split("=", 2) as [string, string]));
}

const MACS = { instance: "0a:00:00:00:00:10", eni: "0a:00:00:00:01:10", standby: "0a:00:00:00:00:20" };

interface Agent {
    readonly child: ChildProcess;
    readonly lines: AsyncIterator<string>;
}

describe("guestNetwork inside the guest, on Linux network namespaces (prod's addresses)", function () {
    this.timeout(60_000);
    const id = `dse${process.pid.toString(36)}${crypto.randomBytes(2).toString("hex")}`;
    const ns = { client: `${id}-client`, router: `${id}-router`, instance: `${id}-inst`, standby: `${id}-stby` };
    const a = prodAddresses();
    /** Every process the test starts, each the leader of its process group: killed with it in `after`. */
    const children: ChildProcess[] = [];
    let work: string;
    let script: string;
    let guestEnv: Record<string, string>;
    /** The environment file the component writes with publicInterface networkInterface. */
    let publicEniEnv: Record<string, string>;
    let imdsUrl: Record<"instance" | "standby", string>;
    let client: Agent;
    /** The instance's agent: it reports each IMDS request it answered. */
    let instanceImds: Agent;
    let probeId = 0;

    function startAgent(namespace: string, role: string, options: object): Agent {
        const child = spawn("ip", ["netns", "exec", namespace, process.execPath, AGENTS, role, JSON.stringify({ ...options, deadlineMs: AGENT_DEADLINE_MS })], {
            detached: true,
            stdio: ["pipe", "pipe", "inherit"],
        });
        children.push(child);
        return { child, lines: readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]() };
    }

    /** The agent's next output line, within `ms`. */
    async function nextLine(agent: Agent, ms = 10_000): Promise<any> {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer from an agent within ${ms} ms`)), ms)));
        try {
            const { value, done } = await Promise.race([agent.lines.next(), deadline]);
            assert.ok(!done, "the agent exited");
            return JSON.parse(value);
        } finally {
            clearTimeout(timer);
        }
    }

    function imdsFile(host: "instance" | "standby") {
        return path.join(work, `imds-${host}.json`);
    }

    function writeImds(host: "instance" | "standby", interfaces: { mac: string; device: number; addresses: string[]; cidr: string }[]) {
        const macs = Object.fromEntries(
            interfaces.map((i) => [i.mac, { "device-number": String(i.device), "local-ipv4s": i.addresses.join("\n"), "subnet-ipv4-cidr-block": i.cidr }]),
        );
        fs.writeFileSync(imdsFile(host), JSON.stringify({ mac: interfaces.find((i) => i.device === 0)?.mac, macs }));
    }

    /** The guest script, as cloud-init would have written it, run in a host's namespace with its IMDS. */
    function guest(host: "instance" | "standby", ...args: string[]): string {
        return guestWith(guestEnv, host, ...args);
    }

    const guestEnvOf = (fileEnv: Record<string, string>, host: "instance" | "standby", attempts = 1) => ({
        ...fileEnv,
        DSE_IMDS_URL: imdsUrl[host],
        DSE_STATE_DIR: path.join(work, `state-${host}`),
        DSE_IMDS_ATTEMPTS: String(attempts),
        DSE_IMDS_RETRY_SECONDS: "0.05",
    });

    function guestWith(fileEnv: Record<string, string>, host: "instance" | "standby", ...args: string[]): string {
        return run(ns[host], ["sh", script, ...args], { env: guestEnvOf(fileEnv, host) });
    }

    /** TCP and UDP probes from the client to each address, in parallel: the answer ("<host> <address>") or "no answer (<why>)". */
    async function probeAll(addresses: readonly string[]): Promise<Record<string, string>> {
        const requests = addresses.flatMap((address) => (["tcp", "udp"] as const).map((protocol) => ({ id: ++probeId, protocol, address, port: PORT, timeoutMs: PROBE_TIMEOUT_MS })));
        requests.forEach((request) => client.child.stdin!.write(JSON.stringify(request) + "\n"));
        const answers = new Map<number, { reply?: string; error?: string }>();
        while (answers.size < requests.length) {
            const answer = await nextLine(client, PROBE_TIMEOUT_MS + 5000);
            answers.set(answer.id, answer);
        }
        return Object.fromEntries(requests.map(({ id, protocol, address }) => [`${protocol} ${address}`, answers.get(id)!.reply ?? `no answer (${answers.get(id)!.error})`]));
    }

    const expectAnswers = (host: string, addresses: readonly string[]) =>
        Object.fromEntries(addresses.flatMap((address) => ["tcp", "udp"].map((protocol) => [`${protocol} ${address}`, `${host} ${address}`])));
    /** Replies dropped on the way: the client waits in vain (no refusal, no error). */
    const expectSilence = (addresses: readonly string[]) =>
        Object.fromEntries(addresses.flatMap((address) => ["tcp", "udp"].map((protocol) => [`${protocol} ${address}`, "no answer (timeout)"])));

    /** Packets the router dropped, by link, for a source address not assigned to it. */
    function spoofedDrops(): Record<string, number> {
        const listing = JSON.parse(run(ns.router, ["nft", "-j", "list", "counters", "table", "ip", "vpc"])) as { nftables: { counter?: { name: string; packets: number } }[] };
        return Object.fromEntries(listing.nftables.flatMap((entry) => (entry.counter ? [[entry.counter.name, entry.counter.packets]] : [])));
    }

    const tablesIn = (host: "instance" | "standby") =>
        run(ns[host], ["ip", "-4", "rule", "show"])
            .split("\n")
            .filter((line) => / lookup \d+/.test(line) && !/lookup (main|local|default)/.test(line))
            .map((line) => line.trim());

    before(async function () {
        const cannot = cannotRun();
        if (cannot) {
            if (cannot.missingTools && process.env.CI === "true") {
                throw new Error(`CI runs the network-namespace test for real, but: ${cannot.reason}`);
            }
            console.log(`      skipped: ${cannot.reason}`);
            this.skip();
        }
        // The configuration the component generates for prod's instances (the same for both).
        const [primaryUserData, standbyUserData] = await stackUserData("prod", { guestNetwork: "true" });
        assert.strictEqual(standbyUserData, primaryUserData);
        const { files } = guestCloudConfigPart(primaryUserData);
        const [publicEniUserData] = await stackUserData("prod", { guestNetwork: "true", publicInterface: "networkInterface" });
        publicEniEnv = envFile(guestCloudConfigPart(publicEniUserData).files);
        work = fs.mkdtempSync(path.join(os.tmpdir(), "dual-subnet-eni-netns-"));
        script = path.join(work, "guest-network.sh");
        fs.writeFileSync(script, files.get(GUEST_SCRIPT_PATH)!, { mode: 0o755 });
        guestEnv = envFile(files);

        for (const name of Object.values(ns)) {
            run(undefined, ["ip", "netns", "add", name]);
            run(name, ["ip", "link", "set", "lo", "up"]);
            // Only the router's explicit check drops packets: no reverse-path filter anywhere.
            run(name, ["sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0"]);
        }
        run(ns.router, ["sysctl", "-qw", "net.ipv4.ip_forward=1"]);
        const link = (host: string, dev: string, mac: string | undefined, peer: string) =>
            run(undefined, ["ip", "-n", host, "link", "add", dev, ...(mac ? ["address", mac] : []), "type", "veth", "peer", "name", peer, "netns", ns.router]);
        link(ns.instance, "eth0", MACS.instance, "r0");
        link(ns.instance, "eth1", MACS.eni, "r1");
        link(ns.client, "eth0", undefined, "r2");
        link(ns.standby, "eth0", MACS.standby, "r3");

        // The router: the subnets' .1 on each link, a host route to each address where AWS placed it.
        const batch = (name: string, commands: string[]) => run(name, ["ip", "-batch", "-"], { input: commands.join("\n") + "\n" });
        batch(ns.router, [
            `address add ${a.primaryRouter}/32 dev r0`,
            `address add ${a.primaryRouter}/32 dev r3`,
            `address add ${a.secondaryRouter}/32 dev r1`,
            `address add ${a.clientRouter}/24 dev r2`,
            ...["r0", "r1", "r2", "r3"].map((dev) => `link set ${dev} up`),
            ...a.instance.map((ip) => `route add ${ip}/32 dev r0`),
            ...a.eni.map((ip) => `route add ${ip}/32 dev r1`),
            ...a.standby.map((ip) => `route add ${ip}/32 dev r3`),
        ]);
        // The source/destination check: a packet from an instance's link whose source is not an address of that
        // interface is dropped (and counted).
        const check = (dev: string, ips: string[]) => `iifname "${dev}" ip saddr != { ${ips.join(", ")} } counter name "spoofed_${dev}" drop`;
        run(ns.router, ["nft", "-f", "-"], {
            input: [
                "table ip vpc {",
                ...["r0", "r1", "r3"].map((dev) => `  counter spoofed_${dev} {}`),
                "  chain forward {",
                "    type filter hook forward priority filter; policy accept;",
                `    ${check("r0", a.instance)}`,
                `    ${check("r1", a.eni)}`,
                `    ${check("r3", a.standby)}`,
                "  }",
                "}",
            ].join("\n"),
        });
        // The guests as DHCP leaves them: each interface's primary address, the default route via eth0 (metric 100).
        batch(ns.instance, [
            `address add ${a.instance[0]}/24 dev eth0`,
            `address add ${a.eni[0]}/24 dev eth1`,
            "link set eth0 up",
            "link set eth1 up",
            `route add default via ${a.primaryRouter} dev eth0 metric 100`,
        ]);
        batch(ns.standby, [`address add ${a.standby[0]}/24 dev eth0`, "link set eth0 up", `route add default via ${a.primaryRouter} dev eth0 metric 100`]);
        batch(ns.client, [`address add ${a.client}/24 dev eth0`, "link set eth0 up", `route add default via ${a.clientRouter} dev eth0`]);
        for (const ipns of [ns.instance, ns.standby]) {
            // The servers bind each address before the guest script adds it.
            run(ipns, ["sysctl", "-qw", "net.ipv4.ip_nonlocal_bind=1"]);
        }

        writeImds("instance", [
            { mac: MACS.instance, device: 0, addresses: a.instance, cidr: a.primaryCidr },
            { mac: MACS.eni, device: 1, addresses: a.eni, cidr: a.secondaryCidr },
        ]);
        writeImds("standby", [{ mac: MACS.standby, device: 0, addresses: a.standby, cidr: a.primaryCidr }]);
        const instanceAgent = startAgent(ns.instance, "instance", { name: "instance", imdsFile: imdsFile("instance"), port: PORT, udpAddresses: [...a.instance, ...a.eni] });
        const standbyAgent = startAgent(ns.standby, "instance", { name: "standby", imdsFile: imdsFile("standby"), port: PORT, udpAddresses: [...a.standby, ...a.eni] });
        client = startAgent(ns.client, "client", {});
        const [instanceReady, standbyReady] = await Promise.all([nextLine(instanceAgent), nextLine(standbyAgent), nextLine(client)]);
        instanceImds = instanceAgent;
        imdsUrl = { instance: `http://127.0.0.1:${instanceReady.imdsPort}`, standby: `http://127.0.0.1:${standbyReady.imdsPort}` };
        // First boot: the units start for every interface IMDS lists.
        guest("instance", "apply-all");
        guest("standby", "apply-all");
    });

    after(() => {
        for (const child of children) {
            if (child.exitCode === null && child.pid !== undefined) {
                try {
                    process.kill(-child.pid, "SIGKILL");
                } catch {
                    // already gone
                }
            }
        }
        for (const name of Object.values(ns)) {
            spawnSync("ip", ["netns", "del", name], { timeout: 5000 });
        }
        if (work) {
            fs.rmSync(work, { recursive: true, force: true });
        }
    });

    it("answers TCP and UDP on every address of both interfaces (primary and secondary IPs), each through its own interface", async () => {
        const before = spoofedDrops();
        assert.deepStrictEqual(await probeAll([...a.instance, ...a.eni]), expectAnswers("instance", [...a.instance, ...a.eni]));
        assert.deepStrictEqual(spoofedDrops(), before, "the router dropped a reply");
        const rules = tablesIn("instance");
        for (const ip of a.instance) {
            assert.ok(rules.some((rule) => rule.includes(`from ${ip} lookup 1000`)), rules.join("\n"));
        }
        for (const ip of a.eni) {
            assert.ok(rules.some((rule) => rule.includes(`from ${ip} lookup 1001`)), rules.join("\n"));
        }
        const table = run(ns.instance, ["ip", "route", "show", "table", "1001"]);
        assert.match(table, new RegExp(`default via ${a.secondaryRouter} dev eth1`));
        assert.match(table, new RegExp(`${a.secondaryCidr.replace(/\./g, "\\.")} dev eth1`));
    });

    it("without the configuration, replies to eth1's addresses leave by eth0 and the router's source check drops them", async () => {
        guest("instance", "remove-all");
        try {
            assert.deepStrictEqual(tablesIn("instance"), []);
            const before = spoofedDrops();
            assert.deepStrictEqual(await probeAll([...a.instance, ...a.eni]), { ...expectAnswers("instance", a.instance), ...expectSilence(a.eni) });
            const after = spoofedDrops();
            assert.ok(after.spoofed_r0 - before.spoofed_r0 >= a.eni.length * 2, `dropped on eth0's link: ${after.spoofed_r0 - before.spoofed_r0}`);
        } finally {
            guest("instance", "apply-all");
        }
        assert.deepStrictEqual(await probeAll(a.eni), expectAnswers("instance", a.eni), "applied again, eth1 answers again");
    });

    it("after the flip (eth1 moved to the standby), the standby answers on eth1's addresses and the primary no longer does", async () => {
        // The ENI moves: the primary's unit stops (udev remove), the standby's starts (udev add), IMDS follows.
        run(undefined, ["ip", "-n", ns.instance, "link", "set", "eth1", "netns", ns.standby]);
        writeImds("instance", [{ mac: MACS.instance, device: 0, addresses: a.instance, cidr: a.primaryCidr }]);
        writeImds("standby", [
            { mac: MACS.standby, device: 0, addresses: a.standby, cidr: a.primaryCidr },
            { mac: MACS.eni, device: 1, addresses: a.eni, cidr: a.secondaryCidr },
        ]);
        guest("instance", "remove", "eth1");
        guest("standby", "apply", "eth1");

        assert.ok(tablesIn("instance").every((rule) => !rule.includes("lookup 1001")), "the primary kept eth1's rules");
        assert.strictEqual(run(ns.instance, ["ip", "route", "show", "table", "1001"]).trim(), "");
        const before = spoofedDrops();
        assert.deepStrictEqual(await probeAll([...a.eni, ...a.instance, ...a.standby]), {
            ...expectAnswers("standby", a.eni),
            ...expectAnswers("instance", a.instance),
            ...expectAnswers("standby", a.standby),
        });
        assert.deepStrictEqual(spoofedDrops(), before, "the router dropped a reply");
    });

    it("with publicInterface networkInterface, the main default route goes through the ENI's subnet router, and is removed with it", () => {
        // After the flip, the standby holds eth1; its unit restarts with the environment of a public ENI.
        guestWith(publicEniEnv, "standby", "apply", "eth1");
        assert.match(run(ns.standby, ["ip", "route", "get", a.client]), new RegExp(`via ${a.secondaryRouter} dev eth1 src ${a.eni[0]}`));
        guestWith(publicEniEnv, "standby", "remove", "eth1");
        assert.match(run(ns.standby, ["ip", "route", "get", a.client]), new RegExp(`via ${a.primaryRouter} dev eth0 src ${a.standby[0]}`));
        assert.ok(tablesIn("standby").every((rule) => !rule.includes("lookup 1001")));
        guest("standby", "apply", "eth1");
    });

    it("fail back attached early (IMDS lists the ENI late, then with device number 0) over the standby's stale rules: the unit waits, the instance answers", async () => {
        // The standby's unit does not run this time (as after a crash): its rules for eth1's addresses stay behind.
        run(undefined, ["ip", "-n", ns.standby, "link", "set", "eth1", "netns", ns.instance]);
        writeImds("standby", [{ mac: MACS.standby, device: 0, addresses: a.standby, cidr: a.primaryCidr }]);
        const env = { ...process.env, ...guestEnvOf(guestEnv, "instance", 200) };
        const unit = spawn("ip", ["netns", "exec", ns.instance, "timeout", "-s", "KILL", String(COMMAND_DEADLINE_S), "sh", script, "apply", "eth1"], { env, detached: true, stdio: "ignore" });
        children.push(unit);
        const exited = new Promise<number | null>((resolve) => unit.on("exit", resolve));
        // AWS's metadata catches up in steps: the ENI unknown, then listed with device number 0 (not propagated
        // yet), then 1. The unit asks again until it has a device number it can trust.
        const asked = async (value: string | undefined) => {
            for (let line = await nextLine(instanceImds); !(line.imds === `/latest/meta-data/network/interfaces/macs/${MACS.eni}/device-number` && line.value === value); line = await nextLine(instanceImds)) {
                // another request
            }
        };
        const withEni = (device: number) =>
            writeImds("instance", [
                { mac: MACS.instance, device: 0, addresses: a.instance, cidr: a.primaryCidr },
                { mac: MACS.eni, device, addresses: a.eni, cidr: a.secondaryCidr },
            ]);
        await asked(undefined);
        withEni(0);
        await asked("0");
        withEni(1);
        assert.strictEqual(await exited, 0);
        assert.ok(tablesIn("standby").some((rule) => rule.includes("lookup 1001")), "the standby's stale rules are there");
        assert.deepStrictEqual(await probeAll([...a.eni, ...a.standby]), { ...expectAnswers("instance", a.eni), ...expectAnswers("standby", a.standby) });
    });

    it("flipped again, the standby's unit replaces its stale rules: one rule per address, the standby answers", async () => {
        run(undefined, ["ip", "-n", ns.instance, "link", "set", "eth1", "netns", ns.standby]);
        guest("instance", "remove", "eth1");
        writeImds("standby", [
            { mac: MACS.standby, device: 0, addresses: a.standby, cidr: a.primaryCidr },
            { mac: MACS.eni, device: 1, addresses: a.eni, cidr: a.secondaryCidr },
        ]);
        guest("standby", "apply", "eth1");
        assert.deepStrictEqual(tablesIn("standby").filter((rule) => rule.includes("lookup 1001")).sort(), a.eni.map((ip) => `1001:\tfrom ${ip} lookup 1001`).sort());
        assert.deepStrictEqual(await probeAll(a.eni), expectAnswers("standby", a.eni));
    });
});
