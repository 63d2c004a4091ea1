/**
 * One program with N components (each its own VPC) under the mocks, in a fresh process:
 *   ts-node --swc scripts/benchScale.ts <N> [--sdk-stack-captures]
 * Prints one JSON line: wall time from the first constructor to the last registration, peak RSS,
 * and how many data-source calls the program made.
 */
import * as pulumi from "@pulumi/pulumi";
import { DualSubnetEniInstance, outputsOf } from "../components";
import { createMocks, resolveAll } from "../components/testing";
import { recordRegistrations, skipPulumiStackCaptures } from "../tools/sdkInternals";

async function main(): Promise<void> {
    const count = Number(process.argv[2]);
    const sdkCaptures = process.argv.includes("--sdk-stack-captures");
    if (!sdkCaptures) {
        skipPulumiStackCaptures();
    }
    const mocks = createMocks({ region: "ap-south-1" });
    let invokes = 0;
    const call = mocks.call.bind(mocks);
    mocks.call = (args) => {
        invokes++;
        return call(args);
    };
    await pulumi.runtime.setMocks(mocks, "dual-subnet-eni", "bench", false);
    const registrations = recordRegistrations();
    const start = process.hrtime.bigint();
    const components = Array.from(
        { length: count },
        (_, i) =>
            new DualSubnetEniInstance(`c${i}`, {
                availabilityZone: "ap-south-1a",
                vpcCidrBlock: "10.0.0.0/20",
                primarySubnetCidrBlock: "10.0.0.0/24",
                secondarySubnetCidrBlock: "10.0.1.0/24",
            }),
    );
    await resolveAll(components.flatMap((c) => Object.values(outputsOf(c))));
    await registrations.settled();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const result = { count, ms, resources: registrations.length, invokes, maxRssMb: process.resourceUsage().maxRSS / 1024 };
    process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
    () => process.exit(0),
    (error) => {
        console.error(error);
        process.exit(1);
    },
);
