/**
 * A fake EC2 endpoint for the failover drill and the namespace test: the Query API's three calls the mover makes,
 * answered as EC2 answers them (form-encoded POST, XML in the 2016-11-15 namespace, errors as
 * `<Response><Errors><Error><Code>`), for one network interface whose "attachment" is its link (`eth1`, one end of a
 * veth pair) in an instance's network namespace. A detach moves the link into this process's own namespace (down,
 * addresses gone) after 2 to 3 s, an attach moves it into the instance's namespace after 1 to 3 s: the times
 * amazon-vpc-cni-k8s #608 reports (detach "around 2-3 seconds"). EC2 holds an interface on one instance at a time,
 * and so does this: attaching an attached interface is InvalidNetworkInterface.InUse ("Interface: [eni-…] in use.",
 * as terraform-provider-aws #27513 quotes it), detaching an attachment that is gone InvalidAttachmentID.NotFound
 * (the code terraform-provider-aws's detachNetworkInterface treats as detached). Signatures are not checked.
 *
 *   ts-node --swc tools/failoverDrill/fakeEc2.ts '<FakeEc2Options as JSON>'
 *
 * runs it (in the namespace it should listen in) and prints JSON lines: {"event":"listening","port"}, then
 * {"event":"detached"|"attached","instanceId","at"} as the link moves. It exits when its stdin closes.
 */
import * as crypto from "crypto";
import * as http from "http";
import { runIn } from "../netns";

export interface FakeEc2Options {
    readonly networkInterfaceId: string;
    /** The interface's private IPv4 addresses, the primary first. */
    readonly addresses: readonly string[];
    /** The interface's subnet prefix length and router (the subnet's .1), for the guest's configuration after an attach. */
    readonly prefixLength: number;
    readonly router: string;
    /** The link's name in an instance's namespace. */
    readonly link: string;
    /** Instance id → its network namespace. */
    readonly instances: Readonly<Record<string, string>>;
    /** Where the link is at the start (attached since `attachTime`). */
    readonly attachedTo: string;
    /** Milliseconds a detach and an attach take, each drawn evenly from [min, max]. */
    readonly detachMs: readonly [number, number];
    readonly attachMs: readonly [number, number];
    /**
     * Configure the guest after an attach, as Amazon Linux's amazon-ec2-net-utils does on a hot-plug: the addresses,
     * the link up, and replies from them routed back through it (policy routing, table 1001). Off where the caller
     * runs the component's own guest script instead (guestNetwork).
     */
    readonly configureGuest: boolean;
    readonly port?: number;
    /** Each `ip` command's deadline. */
    readonly commandDeadlineMs: number;
}

interface Attachment {
    readonly attachmentId: string;
    readonly instanceId: string;
    status: "attaching" | "attached" | "detaching";
    readonly attachTime: Date;
}

/** An EC2 API error: its code, its message, and the HTTP status EC2 answers it with. */
class Ec2Error extends Error {
    constructor(
        readonly code: string,
        message: string,
        readonly status = 400,
    ) {
        super(message);
    }
}

const XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/";
const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const requestId = () => crypto.randomUUID();
const between = ([min, max]: readonly [number, number]) => min + Math.random() * (max - min);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The fake's state and the calls that change it; `emit` hears each move of the link. */
export class FakeEc2 {
    private attachment: Attachment | undefined;
    private counter = 0;

    constructor(
        private readonly options: FakeEc2Options,
        private readonly emit: (event: Record<string, unknown>) => void,
    ) {
        this.attachment = { attachmentId: this.newAttachmentId(), instanceId: options.attachedTo, status: "attached", attachTime: new Date() };
    }

    private newAttachmentId(): string {
        return `eni-attach-${crypto.createHash("sha256").update(`${this.options.networkInterfaceId}-${++this.counter}`).digest("hex").slice(0, 17)}`;
    }

    /** Answers one Query API request body: the XML and the HTTP status. */
    async answer(body: string): Promise<{ status: number; xml: string }> {
        const params = new URLSearchParams(body);
        const action = params.get("Action") ?? "";
        try {
            switch (action) {
                case "DescribeNetworkInterfaces":
                    return { status: 200, xml: this.describe(params) };
                case "DetachNetworkInterface":
                    return { status: 200, xml: this.detach(params.get("AttachmentId") ?? "") };
                case "AttachNetworkInterface":
                    return { status: 200, xml: this.attach(params.get("NetworkInterfaceId") ?? "", params.get("InstanceId") ?? "", params.get("DeviceIndex") ?? "") };
                default:
                    throw new Ec2Error("InvalidAction", `The action ${action} is not valid for this web service.`);
            }
        } catch (error) {
            if (!(error instanceof Ec2Error)) {
                throw error;
            }
            return {
                status: error.status,
                xml: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${error.code}</Code><Message>${escape(error.message)}</Message></Error></Errors><RequestID>${requestId()}</RequestID></Response>`,
            };
        }
    }

    private describe(params: URLSearchParams): string {
        const ids = [...params.entries()].filter(([key]) => /^NetworkInterfaceId\.\d+$/.test(key)).map(([, id]) => id);
        const unknown = ids.filter((id) => id !== this.options.networkInterfaceId);
        if (unknown.length > 0) {
            throw new Ec2Error("InvalidNetworkInterfaceID.NotFound", `The networkInterface ID '${unknown[0]}' does not exist`);
        }
        const a = this.attachment;
        const attachment = a
            ? `<attachment><attachmentId>${a.attachmentId}</attachmentId><instanceId>${a.instanceId}</instanceId><instanceOwnerId>123456789012</instanceOwnerId><deviceIndex>1</deviceIndex><networkCardIndex>0</networkCardIndex><status>${a.status}</status><attachTime>${a.attachTime.toISOString()}</attachTime><deleteOnTermination>false</deleteOnTermination></attachment>`
            : "";
        const addresses = this.options.addresses.map((ip, i) => `<item><privateIpAddress>${ip}</privateIpAddress><primary>${i === 0}</primary></item>`).join("");
        return (
            `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeNetworkInterfacesResponse xmlns="${XMLNS}"><requestId>${requestId()}</requestId><networkInterfaceSet><item>` +
            `<networkInterfaceId>${this.options.networkInterfaceId}</networkInterfaceId><interfaceType>interface</interfaceType><status>${a ? "in-use" : "available"}</status>` +
            `<privateIpAddress>${this.options.addresses[0]}</privateIpAddress>${attachment}<privateIpAddressesSet>${addresses}</privateIpAddressesSet><sourceDestCheck>true</sourceDestCheck>` +
            `</item></networkInterfaceSet></DescribeNetworkInterfacesResponse>`
        );
    }

    private detach(attachmentId: string): string {
        const a = this.attachment;
        if (!a || a.attachmentId !== attachmentId) {
            throw new Ec2Error("InvalidAttachmentID.NotFound", `The attachment ID '${attachmentId}' does not exist`);
        }
        if (a.status === "attached") {
            a.status = "detaching";
            void this.later(between(this.options.detachMs), async () => {
                await this.unplug(a.instanceId);
                this.attachment = undefined;
                this.emit({ event: "detached", instanceId: a.instanceId, at: Date.now() });
            });
        }
        return `<?xml version="1.0" encoding="UTF-8"?>\n<DetachNetworkInterfaceResponse xmlns="${XMLNS}"><requestId>${requestId()}</requestId><return>true</return></DetachNetworkInterfaceResponse>`;
    }

    private attach(networkInterfaceId: string, instanceId: string, deviceIndex: string): string {
        if (networkInterfaceId !== this.options.networkInterfaceId) {
            throw new Ec2Error("InvalidNetworkInterfaceID.NotFound", `The networkInterface ID '${networkInterfaceId}' does not exist`);
        }
        if (!(instanceId in this.options.instances)) {
            throw new Ec2Error("InvalidInstanceID.NotFound", `The instance ID '${instanceId}' does not exist`);
        }
        if (deviceIndex !== "1") {
            throw new Ec2Error("InvalidParameterValue", `The drill's instances take the interface at device index 1, not ${deviceIndex}`);
        }
        if (this.attachment) {
            throw new Ec2Error("InvalidNetworkInterface.InUse", `Interface: [${networkInterfaceId}] in use.`);
        }
        const a: Attachment = { attachmentId: this.newAttachmentId(), instanceId, status: "attaching", attachTime: new Date() };
        this.attachment = a;
        void this.later(between(this.options.attachMs), async () => {
            await this.plug(instanceId);
            a.status = "attached";
            this.emit({ event: "attached", instanceId, at: Date.now() });
        });
        return `<?xml version="1.0" encoding="UTF-8"?>\n<AttachNetworkInterfaceResponse xmlns="${XMLNS}"><requestId>${requestId()}</requestId><attachmentId>${a.attachmentId}</attachmentId><networkCardIndex>0</networkCardIndex></AttachNetworkInterfaceResponse>`;
    }

    private async later(ms: number, work: () => Promise<void>): Promise<void> {
        await sleep(ms);
        await work().catch((error: unknown) => this.emit({ event: "error", message: String(error) }));
    }

    /** The hypervisor takes the link away: into this process's namespace, down (its addresses go with the move). */
    private async unplug(instanceId: string): Promise<void> {
        const { link, commandDeadlineMs: deadlineMs } = this.options;
        await runIn(undefined, ["ip", "-n", this.options.instances[instanceId], "link", "set", link, "netns", String(process.pid)], { deadlineMs });
        await runIn(undefined, ["ip", "link", "set", link, "down"], { deadlineMs });
    }

    /** The hypervisor gives the link to the instance; with `configureGuest`, the guest configures it. */
    private async plug(instanceId: string): Promise<void> {
        const { link, commandDeadlineMs: deadlineMs, addresses, prefixLength, router } = this.options;
        const ns = this.options.instances[instanceId];
        await runIn(undefined, ["ip", "link", "set", link, "netns", ns], { deadlineMs });
        if (this.options.configureGuest) {
            const script = [
                "set -e",
                `ip link set ${link} up`,
                ...addresses.map((ip) => `ip address add ${ip}/${prefixLength} dev ${link}`),
                `ip route replace default via ${router} dev ${link} table 1001`,
                ...addresses.flatMap((ip) => [`while ip rule del from ${ip} lookup 1001 2>/dev/null; do :; done`, `ip rule add from ${ip} lookup 1001`]),
            ].join("\n");
            await runIn(ns, ["sh", "-c", script], { deadlineMs });
        }
    }
}

/** Serves `fake` on 127.0.0.1; resolves to the port once it listens. */
export function serveFakeEc2(fake: FakeEc2, port = 0): Promise<http.Server> {
    const server = http.createServer((request, response) => {
        let body = "";
        request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        request.on("end", () => {
            fake.answer(body).then(
                ({ status, xml }) => response.writeHead(status, { "Content-Type": "text/xml;charset=UTF-8" }).end(xml),
                (error: unknown) => response.writeHead(500).end(String(error)),
            );
        });
    });
    return new Promise((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", () => resolve(server)));
}

if (require.main === module) {
    const options = JSON.parse(process.argv[2]) as FakeEc2Options;
    const print = (event: Record<string, unknown>) => process.stdout.write(JSON.stringify(event) + "\n");
    process.stdin.on("end", () => process.exit(0)).resume();
    void serveFakeEc2(new FakeEc2(options, print), options.port).then((server) => print({ event: "listening", port: (server.address() as { port: number }).port }));
}
