import * as fs from "fs";
import * as path from "path";
import { DualSubnetEniInstanceArgs } from "../../components";
import type { MockOptions } from "../../components/testing";
import type { CheckedArgs } from "../../components/rules/fields";
import { UNSET_ARGS } from "../../components/settings";
import { PROJECT_DIR } from "../../tools/stackFiles";
import { encryptValue, passphraseKey } from "../../tools/stackSecrets";

/** The console how-to's values (the dev stack). */
export const SEED_ARGS: DualSubnetEniInstanceArgs = {
    availabilityZone: "ap-south-1a",
    vpcCidrBlock: "10.0.0.0/20",
    primarySubnetCidrBlock: "10.0.0.0/24",
    secondarySubnetCidrBlock: "10.0.1.0/24",
    namePrefix: "test",
};

export const SEED_CONFIG = { "aws:region": "ap-south-1" };

export const TYPES = {
    vpc: "aws:ec2/vpc:Vpc",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    subnet: "aws:ec2/subnet:Subnet",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    instance: "aws:ec2/instance:Instance",
    networkInterface: "aws:ec2/networkInterface:NetworkInterface",
    attachment: "aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment",
} as const;

/**
 * A passphrase provider's state from pulumi/pulumi's own tests (pkg/secrets/passphrase/manager_test.go): "password"
 * opens it, "password123" does not. So the fixtures below read as the CLI writes them.
 */
export const ENCRYPTION_SALT = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";
export const PASSPHRASE = "password";
export const WRONG_PASSPHRASE = "password123";

/** User data whose plaintext must never be seen outside the instance's own userData input. */
export const USER_DATA = "#cloud-config\n# TOPSECRET-4f1c token\nruncmd: [echo hello]\n";
export const PLAINTEXT = "TOPSECRET-4f1c";

/**
 * The dev stack file with `top` lines above it and `userData` as a `secure:` value (default: USER_DATA encrypted
 * under PASSPHRASE, as `pulumi config set --secret` writes it; the key is derived once per test run).
 */
export function secretStackFile(top = `encryptionsalt: ${ENCRYPTION_SALT}\n`, userData = encryptValue(passphraseKey(PASSPHRASE, Buffer.from(ENCRYPTION_SALT.split(":")[1], "base64")), USER_DATA)): string {
    return `${top}${fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8")}  dual-subnet-eni:userData:\n    secure: ${userData}\n`;
}

/** AWS's partition and DNS suffix (what aws.getPartition answers) for regions of every partition. */
export const PARTITION_OF_REGION: Readonly<Record<string, readonly [partition: string, dnsSuffix: string]>> = {
    "us-east-1": ["aws", "amazonaws.com"],
    "eu-west-1": ["aws", "amazonaws.com"],
    "cn-north-1": ["aws-cn", "amazonaws.com.cn"],
    "cn-northwest-1": ["aws-cn", "amazonaws.com.cn"],
    "us-gov-east-1": ["aws-us-gov", "amazonaws.com"],
    "us-gov-west-1": ["aws-us-gov", "amazonaws.com"],
    "us-iso-east-1": ["aws-iso", "c2s.ic.gov"],
    "us-isob-east-1": ["aws-iso-b", "sc2s.sgov.gov"],
    "eu-isoe-west-1": ["aws-iso-e", "cloud.adc-e.uk"],
    "us-isof-south-1": ["aws-iso-f", "csp.hci.ic.gov"],
    "eusc-de-east-1": ["aws-eusc", "amazonaws.eu"],
};

/** The region with its partition and DNS suffix, from {@link PARTITION_OF_REGION}. */
export const withPartition = (region: string): [string, string, string] => [region, ...PARTITION_OF_REGION[region]];

/** An existing VPC with two subnets in ap-south-1a, for the cases only an existing network has (the stack program builds a new one). */
export const EXISTING_VPC = "vpc-0a1b2c3d4e5f60718";
export const OTHER_VPC = "vpc-0ffffffffffffffff";
export const EXISTING_SUBNETS = {
    primary: { id: "subnet-0000000000000000a", vpcId: EXISTING_VPC, availabilityZone: "ap-south-1a", cidrBlock: "172.16.0.0/24" },
    secondary: { id: "subnet-0000000000000000b", vpcId: EXISTING_VPC, availabilityZone: "ap-south-1a", cidrBlock: "172.16.1.0/24" },
} as const;
/** The component's args on that network: the seed's name prefix, the existing ids instead of the four new-network fields. */
export const EXISTING_ARGS: DualSubnetEniInstanceArgs = {
    existingNetwork: { vpcId: EXISTING_VPC, primarySubnetId: EXISTING_SUBNETS.primary.id, secondarySubnetId: EXISTING_SUBNETS.secondary.id },
    namePrefix: "test",
};

/** A case's mocks: on an existing network, with its two subnets unless the case mocks its own. */
export const mocksOfCase = (c: { readonly existing?: boolean; readonly mocks?: MockOptions }): MockOptions | undefined =>
    c.existing && !c.mocks?.existingSubnets ? { ...c.mocks, existingSubnets: Object.values(EXISTING_SUBNETS) } : c.mocks;

/** The seed's args as the checks see them, every optional arg at its unset value. */
export const SEED_CHECKED_ARGS: CheckedArgs = {
    ...UNSET_ARGS,
    availabilityZone: "ap-south-1a",
    vpcCidrBlock: "10.0.0.0/20",
    primarySubnetCidrBlock: "10.0.0.0/24",
    secondarySubnetCidrBlock: "10.0.1.0/24",
    instanceType: "t3.micro",
    namePrefix: "test",
    name: "seed",
};
