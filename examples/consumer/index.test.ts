// A unit test of this program with the component's mocks: no AWS account, no Pulumi CLI.
// Run with `npm test` (node's built-in test runner on the compiled files).
import * as assert from "node:assert";
import { before, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { createMocks } from "dual-subnet-eni/testing";

let program: typeof import("./index.js");

before(async () => {
    await pulumi.runtime.setMocks(createMocks({ region: "ap-south-1" }), "dual-subnet-eni-consumer", "dev", false);
    program = await import("./index.js");
});

const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

test("each ENI gets a private IP from its own secondary subnet", async () => {
    assert.match(await valueOf(program.standaloneEniIp), /^10\.10\.1\.\d+$/);
    assert.match(await valueOf(program.sharedEniIp), /^10\.20\.1\.\d+$/);
});

test("the instance on the awsx network exists", async () => {
    assert.match(await valueOf(program.sharedInstanceId), /^i-[0-9a-f]{17}$/);
});
