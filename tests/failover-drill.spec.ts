/**
 * The failover drill's parts that need no namespaces: the fake EC2 endpoint answers the real AWS SDK v3 client as
 * EC2's Query API does (the SDK parses its XML and its error codes), and the drill's figures.
 */
import * as assert from "assert";
import type * as http from "http";
import { p50, splitBrainRounds } from "../tools/failoverDrill/drill";
import { FakeEc2, serveFakeEc2 } from "../tools/failoverDrill/fakeEc2";

/** What an EC2 client answers to DescribeNetworkInterfaces, as far as this spec reads it. */
interface DescribedInterfaces {
    readonly NetworkInterfaces?: {
        readonly NetworkInterfaceId?: string;
        readonly Status?: string;
        readonly PrivateIpAddress?: string;
        readonly Attachment?: { readonly AttachmentId?: string; readonly InstanceId?: string; readonly DeviceIndex?: number; readonly Status?: string; readonly AttachTime?: Date };
    }[];
}

/** The parts of @aws-sdk/client-ec2 this spec uses, typed here: the package's own declarations are some 1,400 files for tsc to parse. */
interface Ec2Sdk {
    EC2Client: new (config: object) => { send(command: object): Promise<unknown>; destroy(): void };
    DescribeNetworkInterfacesCommand: new (input: { NetworkInterfaceIds: string[] }) => object;
    AttachNetworkInterfaceCommand: new (input: { NetworkInterfaceId: string; InstanceId: string; DeviceIndex: number }) => object;
    DetachNetworkInterfaceCommand: new (input: { AttachmentId: string; Force: boolean }) => object;
}
const { AttachNetworkInterfaceCommand, DescribeNetworkInterfacesCommand, DetachNetworkInterfaceCommand, EC2Client } = require("@aws-sdk/client-ec2") as Ec2Sdk;

const OPTIONS = {
    networkInterfaceId: "eni-0d1a2b3c4d5e6f701",
    addresses: ["10.0.33.10", "10.0.33.11"],
    prefixLength: 24,
    router: "10.0.33.1",
    link: "eth1",
    instances: { "i-0d1a2b3c4d5e6f702": "ns-primary", "i-0d1a2b3c4d5e6f703": "ns-standby" },
    attachedTo: "i-0d1a2b3c4d5e6f702",
    detachMs: [2000, 3000] as const,
    attachMs: [1000, 3000] as const,
    configureGuest: true,
    commandDeadlineMs: 1000,
};

describe("the failover drill's fake EC2 endpoint, through the real AWS SDK v3 EC2 client", () => {
    let server: http.Server;
    let client: InstanceType<Ec2Sdk["EC2Client"]>;
    const warning = process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;

    before(async () => {
        // The SDK's notice that its 2027 releases need Node.js 22 (the switch is the SDK's own).
        process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
        server = await serveFakeEc2(new FakeEc2(OPTIONS, () => undefined));
        client = new EC2Client({
            endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
            region: "eu-west-1",
            credentials: { accessKeyId: "AKIAFAILOVERDRILL000", secretAccessKey: "fake" },
            maxAttempts: 1,
        });
    });

    after(() => {
        client.destroy();
        server.close();
        if (warning === undefined) {
            delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
        }
    });

    it("describes the interface attached to the primary at device index 1", async () => {
        const { NetworkInterfaces } = (await client.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [OPTIONS.networkInterfaceId] }))) as DescribedInterfaces;
        const [eni] = NetworkInterfaces!;
        assert.deepStrictEqual([eni.NetworkInterfaceId, eni.Status, eni.PrivateIpAddress, eni.Attachment?.InstanceId, eni.Attachment?.DeviceIndex, eni.Attachment?.Status], [
            OPTIONS.networkInterfaceId,
            "in-use",
            "10.0.33.10",
            "i-0d1a2b3c4d5e6f702",
            1,
            "attached",
        ]);
        assert.match(eni.Attachment!.AttachmentId!, /^eni-attach-[0-9a-f]{17}$/);
        assert.ok(eni.Attachment!.AttachTime instanceof Date);
    });

    it("refuses as EC2 does: an attached interface (InvalidNetworkInterface.InUse), an attachment that is gone, an unknown interface", async () => {
        const refusal = (sent: Promise<unknown>) => sent.then(() => undefined, (error: Error) => [error.name, error.message]);
        assert.deepStrictEqual(await refusal(client.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: OPTIONS.networkInterfaceId, InstanceId: "i-0d1a2b3c4d5e6f703", DeviceIndex: 1 }))), [
            "InvalidNetworkInterface.InUse",
            `Interface: [${OPTIONS.networkInterfaceId}] in use.`,
        ]);
        assert.deepStrictEqual(await refusal(client.send(new DetachNetworkInterfaceCommand({ AttachmentId: "eni-attach-00000000000000000", Force: true }))), [
            "InvalidAttachmentID.NotFound",
            "The attachment ID 'eni-attach-00000000000000000' does not exist",
        ]);
        assert.deepStrictEqual(await refusal(client.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ["eni-0ffffffffffffffff"] }))), [
            "InvalidNetworkInterfaceID.NotFound",
            "The networkInterface ID 'eni-0ffffffffffffffff' does not exist",
        ]);
    });
});

describe("the failover drill's figures", () => {
    it("reports the median by nearest rank", () => {
        assert.strictEqual(p50([9000, 7000, 8000, 10000]), 8000);
        assert.strictEqual(p50([7000]), 7000);
    });

    it("counts a probe round as split brain when both instances answered in it", () => {
        const reply = (round: number, address: string, from?: string) => ({ round, address, from, at: 0 });
        const replies = [reply(1, "a", "primary"), reply(1, "b", "primary"), reply(2, "a", "primary"), reply(2, "b", "standby"), reply(3, "a"), reply(3, "b", "standby")];
        assert.strictEqual(splitBrainRounds(replies), 1);
    });
});
