/**
 * Processes the guest-network namespace test and the failover drill run inside their namespaces (plain JavaScript:
 * no ts-node start-up).
 *
 *   node netns-agents.js instance '{"name", "imdsFile", "port", "udpAddresses", "backlog", "deadlineMs"}'
 *     a fake IMDSv2 (token, then GETs of `mac` and `network/interfaces/macs/...`, answered from imdsFile
 *     `{"mac", "macs": {"<mac>": {"device-number", ...}}}`, read per request) on
 *     127.0.0.1, a TCP server on every IPv4 and every IPv6 address and a UDP socket per address in udpAddresses
 *     (either family; needs ip_nonlocal_bind), each answering "<name> <local address>"; `backlog` (optional) is the
 *     TCP listen queue: while the agent is frozen (SIGSTOP) the kernel completes at most that many connections more,
 *     as a hung machine completes none. Prints {"imdsPort"} once listening, then
 *     {"imds": path, "value"} for each IMDS request it answered (no value: 404).
 *   node netns-agents.js client '{"deadlineMs"}'
 *     reads probes {"id", "protocol", "address", "port", "localPort", "timeoutMs"} as JSON lines, answers
 *     {"id", "reply"} or {"id", "error"}; a UDP probe accepts replies from the probed address only (a
 *     connected socket). {"end": id, "why"} ends a probe still waiting, answered {"id", "error": why}.
 *
 * Every agent exits at its deadline, and when its stdin closes (the test process went away).
 */
"use strict";
const dgram = require("dgram");
const fs = require("fs");
const http = require("http");
const net = require("net");
const readline = require("readline");

const [role, json] = process.argv.slice(2);
const options = JSON.parse(json);
setTimeout(() => process.exit(3), options.deadlineMs);
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();

const udpFamily = (address) => (address.includes(":") ? "udp6" : "udp4");
const listening = (server, ...args) => new Promise((resolve, reject) => server.once("error", reject).listen(...args, () => resolve(server)));

async function instance() {
    const tokens = new Set();
    const imds = http.createServer((request, response) => {
        const answer = (status, body) => response.writeHead(status, { "Content-Type": "text/plain" }).end(body);
        if (request.method === "PUT" && request.url === "/latest/api/token") {
            if (!request.headers["x-aws-ec2-metadata-token-ttl-seconds"]) {
                return answer(400, "");
            }
            const token = `token-${tokens.size}`;
            tokens.add(token);
            return answer(200, token);
        }
        if (!tokens.has(request.headers["x-aws-ec2-metadata-token"])) {
            return answer(401, "");
        }
        const { mac: primaryMac, macs } = JSON.parse(fs.readFileSync(options.imdsFile, "utf8"));
        const prefix = "/latest/meta-data/network/interfaces/macs/";
        const [mac, key] = request.url.startsWith(prefix) ? request.url.slice(prefix.length).split("/") : [];
        const value =
            request.url === "/latest/meta-data/mac" ? primaryMac : request.url === prefix ? Object.keys(macs).map((m) => `${m}/`).join("\n") : macs[mac]?.[key];
        console.log(JSON.stringify({ imds: request.url, value }));
        return value === undefined ? answer(404, "") : answer(200, value);
    });
    await listening(imds, 0, "127.0.0.1");
    for (const host of ["0.0.0.0", "::"]) {
        // A client that gave up first resets the connection: that ends the answer, not the agent.
        const tcp = net.createServer((socket) => socket.on("error", () => undefined).end(`${options.name} ${socket.localAddress}\n`));
        await listening(tcp, { port: options.port, host, ipv6Only: host === "::", ...(options.backlog === undefined ? {} : { backlog: options.backlog }) });
    }
    for (const address of options.udpAddresses) {
        const socket = dgram.createSocket(udpFamily(address));
        socket.on("message", (_message, peer) => socket.send(`${options.name} ${address}\n`, peer.port, peer.address));
        await new Promise((resolve, reject) => socket.once("error", reject).bind(options.port, address, resolve));
    }
    console.log(JSON.stringify({ imdsPort: imds.address().port }));
}

/** Probes waiting for their answer, by id: each one's `done`. */
const waiting = new Map();

function probe({ id, protocol, address, port, localPort, timeoutMs }) {
    return new Promise((resolve) => {
        let socket;
        const done = (result) => {
            waiting.delete(id);
            clearTimeout(timer);
            socket?.destroy?.();
            socket?.close?.();
            resolve(result);
        };
        waiting.set(id, done);
        const timer = setTimeout(() => done({ error: "timeout" }), timeoutMs);
        if (protocol === "tcp") {
            let reply = "";
            socket = net.connect({ host: address, port, localPort });
            socket.on("data", (chunk) => (reply += chunk));
            socket.on("end", () => done({ reply: reply.trim() }));
            socket.on("error", (error) => done({ error: error.code }));
        } else {
            socket = dgram.createSocket(udpFamily(address));
            socket.on("message", (message) => done({ reply: message.toString().trim() }));
            socket.on("error", (error) => done({ error: error.code }));
            socket.bind(localPort, () => socket.connect(port, address, () => socket.send("probe")));
        }
    });
}

function client() {
    readline.createInterface({ input: process.stdin }).on("line", async (line) => {
        const request = JSON.parse(line);
        if (request.end !== undefined) {
            waiting.get(request.end)?.({ error: request.why });
            return;
        }
        console.log(JSON.stringify({ id: request.id, ...(await probe(request)) }));
    });
    console.log(JSON.stringify({ ready: true }));
}

(role === "instance" ? instance() : Promise.resolve(client())).catch((error) => {
    console.error(error);
    process.exit(2);
});
