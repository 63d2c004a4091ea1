/**
 * The data sources the component reads. Keep this list short: every invoke here is one a consumer's
 * unit tests must mock (see the README's "Data sources" table).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsFacts, SubnetFacts } from "./validation";

/** Region, its available zones, and where and how the instance type runs there. */
export async function lookUpAwsFacts(instanceType: string, opts: pulumi.InvokeOptions): Promise<AwsFacts> {
    const [zones, offerings] = await Promise.all([
        aws.getAvailabilityZones({ state: "available" }, opts),
        aws.ec2.getInstanceTypeOfferings(
            { locationType: "availability-zone", filters: [{ name: "instance-type", values: [instanceType] }] },
            opts,
        ),
    ]);
    // getInstanceType fails outright for a type AWS does not know, so it is asked only about offered ones.
    const details = offerings.locations.length > 0 ? await aws.ec2.getInstanceType({ instanceType }, opts) : undefined;
    return {
        region: zones.region,
        availableZones: zones.names,
        instanceTypeZones: offerings.locations,
        instanceType: details && {
            maximumNetworkInterfaces: details.maximumNetworkInterfaces,
            maximumIpv4AddressesPerInterface: details.maximumIpv4AddressesPerInterface,
            supportedArchitectures: details.supportedArchitectures,
        },
    };
}

/** The SSM public parameter AWS keeps pointing at the newest Amazon Linux 2023 AMI for an architecture. */
export function amazonLinux2023Parameter(architecture: "x86_64" | "arm64"): string {
    return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`;
}

export async function lookUpAmazonLinux2023Ami(architecture: "x86_64" | "arm64", opts: pulumi.InvokeOptions): Promise<string> {
    const parameter = await aws.ssm.getParameter({ name: amazonLinux2023Parameter(architecture) }, opts);
    return parameter.insecureValue;
}

/** An existing subnet's VPC, zone and CIDR, or undefined when AWS has no subnet of that id. */
export async function lookUpSubnet(id: string, opts: pulumi.InvokeOptions): Promise<SubnetFacts | undefined> {
    try {
        const subnet = await aws.ec2.getSubnet({ id }, opts);
        return { vpcId: subnet.vpcId, availabilityZone: subnet.availabilityZone, cidrBlock: subnet.cidrBlock };
    } catch (error) {
        if (/InvalidSubnetID\.NotFound|no matching EC2 Subnet found/i.test(String(error))) {
            return undefined;
        }
        throw error;
    }
}
