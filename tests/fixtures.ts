import { DualSubnetEniInstanceArgs } from "../components";

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
