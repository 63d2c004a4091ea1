/** The security step: a security group per interface with its rules, and the SSM role when asked for. */
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import { SecurityGroupEgressRule, SecurityGroupIngressRule } from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { ChildContext } from "./childContext";
import { awsIngressRule, IngressRule } from "./ingressRules";
import { Settings } from "./settings";

/** An interface's security group: all outbound traffic, and the inbound rules `rules` picks from the settings. */
export function createInterfaceSecurityGroup(
    { parent, settings, tags }: ChildContext,
    group: { logicalName: string; egressName: string; nameTag: string; egressTag: string; description: string },
    vpcId: pulumi.Input<string>,
    ingress: { count: number; rules: (settings: Settings) => readonly IngressRule[] },
): ec2.SecurityGroup {
    const securityGroup = new ec2.SecurityGroup(group.logicalName, { vpcId, description: group.description, tags: tags(group.nameTag) }, parent);
    new SecurityGroupEgressRule(
        group.egressName,
        { securityGroupId: securityGroup.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "All outbound IPv4 traffic", tags: tags(group.egressTag) },
        parent,
    );
    for (let index = 0; index < ingress.count; index++) {
        const rule = settings.apply((s) => awsIngressRule(ingress.rules(s)[index]));
        new SecurityGroupIngressRule(
            `${group.logicalName}-ingress-${index}`,
            {
                securityGroupId: securityGroup.id,
                ipProtocol: rule.ipProtocol,
                fromPort: rule.fromPort,
                toPort: rule.toPort,
                cidrIpv4: rule.cidrIpv4,
                cidrIpv6: rule.cidrIpv6,
                referencedSecurityGroupId: rule.sourceSecurityGroupId,
                prefixListId: rule.prefixListId,
                description: rule.description,
                tags: tags(`${group.nameTag}-ingress-${index}`),
            },
            parent,
        );
    }
    return securityGroup;
}

/** AWS's partition of a region: where managed-policy ARNs and service principals live. */
function partitionOf(region: string): { partition: string; dnsSuffix: string } {
    if (region.startsWith("cn-")) {
        return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn" };
    }
    return { partition: region.startsWith("us-gov-") ? "aws-us-gov" : "aws", dnsSuffix: "amazonaws.com" };
}

/** A role EC2 can assume with AmazonSSMManagedInstanceCore, and its instance profile: Session Manager without SSH. */
export function createSsmInstanceProfile({ parent, settings, names, nameTags, tags }: ChildContext): iam.InstanceProfile {
    const partition = settings.apply((s) => partitionOf(s.region));
    const role = new iam.Role(
        names.ssmRole,
        {
            description: "Lets Session Manager reach the instance (AmazonSSMManagedInstanceCore)",
            assumeRolePolicy: partition.apply(({ dnsSuffix }) =>
                JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: `ec2.${dnsSuffix}` }, Action: "sts:AssumeRole" }] }),
            ),
            tags: tags(nameTags.ssmRole),
        },
        parent,
    );
    new iam.RolePolicyAttachment(
        names.ssmRolePolicy,
        { role: role.name, policyArn: partition.apply(({ partition: name }) => `arn:${name}:iam::aws:policy/AmazonSSMManagedInstanceCore`) },
        parent,
    );
    return new iam.InstanceProfile(names.ssmInstanceProfile, { role: role.name, tags: tags(nameTags.ssmInstanceProfile) }, parent);
}
