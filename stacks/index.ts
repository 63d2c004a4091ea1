// Entry point of `pulumi up` (Pulumi.yaml's `main`); each export is a stack output.
import { dualSubnetEniStack } from "./program";

export const {
    vpcId,
    primarySubnetId,
    secondarySubnetId,
    primarySecurityGroupId,
    secondarySecurityGroupId,
    instanceId,
    instancePrivateIp,
    instancePrivateIps,
    networkInterfaceId,
    networkInterfacePrivateIp,
    networkInterfacePrivateIps,
    attachmentId,
    publicIp,
    standbyInstanceId,
    activeInstanceId,
    vpcIpv6CidrBlock,
    instanceIpv6Addresses,
    networkInterfaceIpv6Addresses,
    networkInterfaceIpv4Prefixes,
    networkInterfaceIpv6Prefixes,
} = dualSubnetEniStack();
