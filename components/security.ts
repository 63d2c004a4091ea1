/** The security step: a security group per interface with its rules, and the SSM role when asked for. */
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import { SecurityGroupEgressRule, SecurityGroupIngressRule } from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { ChildContext } from "./childContext";
import { lookUpPartition } from "./awsLookups";
import { awsIngressRule, IngressRule, ingressRuleKey } from "./rules/ingressRules";
import { isPending } from "./settings";
import { ChildNames } from "./naming";

/** Which interface a security group serves: the instance's primary interface, or the ENI. */
export type InterfaceSide = "instance" | "networkInterface";

const SIDES = {
    instance: {
        group: "primarySecurityGroup",
        egress: "primarySecurityGroupEgress",
        rules: "instanceIngress",
        description: (nameTags: ChildNames) => `Primary network interface of ${nameTags.instance}`,
    },
    networkInterface: {
        group: "secondarySecurityGroup",
        egress: "secondarySecurityGroupEgress",
        rules: "networkInterfaceIngress",
        description: (nameTags: ChildNames) => `Network interface ${nameTags.networkInterface}`,
    },
} as const;

/**
 * An interface's security group: all outbound traffic, and one inbound rule per entry of the settings'
 * `<side>Ingress`. Rules given as plain values are named by content (ingressRuleKey), so removing one
 * touches no other; each takes its former positional name (`…-ingress-<index>`) as an alias, which carries
 * a deployed stack over without re-creating its rules as long as the list itself does not change in the
 * same deployment (the preview refuses that case: AWS would see a duplicate rule). Rules with Output
 * values keep positional names.
 */
export function createInterfaceSecurityGroup(
    { parent, settings, names, nameTags, tags }: ChildContext,
    side: InterfaceSide,
    vpcId: pulumi.Input<string>,
    givenRules: readonly unknown[],
): ec2.SecurityGroup {
    const { group, egress, rules, description } = SIDES[side];
    const securityGroup = new ec2.SecurityGroup(names[group], { vpcId, description: description(nameTags), tags: tags(nameTags[group]) }, parent);
    new SecurityGroupEgressRule(
        names[egress],
        { securityGroupId: securityGroup.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "All outbound IPv4 traffic", tags: tags(nameTags[egress]) },
        parent,
    );
    const byContent = !isPending(givenRules);
    for (let index = 0; index < givenRules.length; index++) {
        const rule = settings.apply((s) => awsIngressRule(s[rules][index]));
        const positional = `${names[group]}-ingress-${index}`;
        const suffix = byContent ? ingressRuleKey(givenRules[index] as IngressRule) : String(index);
        new SecurityGroupIngressRule(
            `${names[group]}-ingress-${suffix}`,
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
                tags: tags(`${nameTags[group]}-ingress-${suffix}`),
            },
            { ...parent, ...(byContent ? { aliases: [{ name: positional }] } : {}) },
        );
    }
    return securityGroup;
}

/** A role EC2 can assume with AmazonSSMManagedInstanceCore, and its instance profile: Session Manager without SSH. */
export function createSsmInstanceProfile({ parent, settings, names, nameTags, tags }: ChildContext): iam.InstanceProfile {
    // The partition (aws, aws-cn, aws-us-gov, aws-iso, ...) and its DNS suffix come from the provider's region,
    // through aws.getPartition, asked once every check passed.
    const partition = settings.apply(() => pulumi.output(lookUpPartition(parent)));
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
