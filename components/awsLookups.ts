/**
 * The data sources the component reads. Keep this list short: every invoke here is one a consumer's
 * unit tests must mock (see the README's "Data sources" table).
 */
import * as ec2 from "@pulumi/aws/ec2";
import { getAvailabilityZones } from "@pulumi/aws/getAvailabilityZones";
import { getParameter } from "@pulumi/aws/ssm";
import * as pulumi from "@pulumi/pulumi";
import { AwsFacts, SubnetFacts } from "./validation";

/** Invoke options of a component's lookups: the component is the parent, so its AWS provider answers. */
export interface LookupOptions extends pulumi.InvokeOptions {
    parent: pulumi.Resource;
}

const answersByEngine = new WeakMap<object, Map<string, Promise<unknown>>>();
const providerKeys = new WeakMap<pulumi.ProviderResource, string>();
let providerCount = 0;

/**
 * Shares one answer among the components of a program that ask the same question through the same AWS
 * provider: 100 components in one region make 4 data-source calls, not 400. Answers are kept per engine
 * connection, so a new program run (or a test's new mocks) asks afresh.
 */
function shared<T>(question: string, opts: LookupOptions, ask: () => Promise<T>): Promise<T> {
    const engine = pulumi.runtime.getMonitor();
    if (!engine) {
        return ask();
    }
    const answers = answersByEngine.get(engine) ?? new Map<string, Promise<unknown>>();
    answersByEngine.set(engine, answers);
    const provider = opts.parent.getProvider("aws:index:getAvailabilityZones");
    if (provider && !providerKeys.has(provider)) {
        providerKeys.set(provider, `provider#${providerCount++}`);
    }
    const key = `${provider ? providerKeys.get(provider) : "default"} ${question}`;
    if (!answers.has(key)) {
        answers.set(key, ask());
    }
    return answers.get(key) as Promise<T>;
}

/** Region, its available zones, and where and how the instance type runs there. */
export function lookUpAwsFacts(instanceType: string, opts: LookupOptions): Promise<AwsFacts> {
    return shared(`facts ${instanceType}`, opts, () => askAwsFacts(instanceType, opts));
}

async function askAwsFacts(instanceType: string, opts: LookupOptions): Promise<AwsFacts> {
    const [zones, offerings] = await Promise.all([
        getAvailabilityZones({ state: "available" }, opts),
        ec2.getInstanceTypeOfferings(
            { locationType: "availability-zone", filters: [{ name: "instance-type", values: [instanceType] }] },
            opts,
        ),
    ]);
    // getInstanceType fails outright for a type AWS does not know, so it is asked only about offered ones.
    const details = offerings.locations.length > 0 ? await ec2.getInstanceType({ instanceType }, opts) : undefined;
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

export function lookUpAmazonLinux2023Ami(architecture: "x86_64" | "arm64", opts: LookupOptions): Promise<string> {
    const name = amazonLinux2023Parameter(architecture);
    return shared(`ssm ${name}`, opts, async () => (await getParameter({ name }, opts)).insecureValue);
}

/** An existing subnet's VPC, zone and CIDR, or undefined when AWS has no subnet of that id. */
export async function lookUpSubnet(id: string, opts: pulumi.InvokeOptions): Promise<SubnetFacts | undefined> {
    try {
        const subnet = await ec2.getSubnet({ id }, opts);
        return { vpcId: subnet.vpcId, availabilityZone: subnet.availabilityZone, cidrBlock: subnet.cidrBlock };
    } catch (error) {
        if (/InvalidSubnetID\.NotFound|no matching EC2 Subnet found/i.test(String(error))) {
            return undefined;
        }
        throw error;
    }
}
