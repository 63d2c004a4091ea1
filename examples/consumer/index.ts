import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { DualSubnetEniInstance } from "dual-subnet-eni";

// 1. The component builds its own VPC and two subnets in one zone.
const standalone = new DualSubnetEniInstance("standalone", {
    availabilityZone: "ap-south-1a",
    vpcCidrBlock: "10.10.0.0/20",
    primarySubnetCidrBlock: "10.10.0.0/24",
    secondarySubnetCidrBlock: "10.10.1.0/24",
    // Optional args take `undefined` (tsconfig.json sets exactOptionalPropertyTypes): unset, t3.micro.
    instanceType: new pulumi.Config().get("standaloneInstanceType"),
    tags: { Team: "network" },
});

// 2. On a VPC that awsx builds: one zone, two isolated subnets (no NAT gateway, nothing that costs money).
const shared = new awsx.ec2.Vpc("shared", {
    cidrBlock: "10.20.0.0/16",
    numberOfAvailabilityZones: 1,
    natGateways: { strategy: awsx.ec2.NatGatewayStrategy.None },
    subnetSpecs: [
        { type: awsx.ec2.SubnetType.Isolated, name: "app" },
        { type: awsx.ec2.SubnetType.Isolated, name: "replication" },
    ],
});
const onShared = new DualSubnetEniInstance("on-shared", {
    existingNetwork: {
        vpcId: shared.vpcId,
        primarySubnetId: shared.isolatedSubnetIds.apply((ids) => ids[0]),
        secondarySubnetId: shared.isolatedSubnetIds.apply((ids) => ids[1]),
    },
    instanceType: "t4g.small",
});

export const standaloneEniIp = standalone.networkInterfacePrivateIp;
export const sharedEniIp = onShared.networkInterfacePrivateIp;
export const sharedInstanceId = onShared.instanceId;
