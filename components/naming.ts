/**
 * Names of the component's children. Logical names (part of each URN) derive from the component's
 * name and must stay stable: renaming one makes Pulumi replace that resource. `Name` tags derive from
 * `namePrefix` and follow the console how-to (`test-vpc`, `test-subnet-1`, …).
 */

const CHILDREN = {
    vpc: { logical: "vpc", tag: "vpc" },
    defaultSecurityGroup: { logical: "default-sg", tag: "default-sg" },
    primarySubnet: { logical: "primary-subnet", tag: "subnet-1" },
    secondarySubnet: { logical: "secondary-subnet", tag: "subnet-2" },
    primarySecurityGroup: { logical: "primary-sg", tag: "instance-sg" },
    primarySecurityGroupEgress: { logical: "primary-sg-egress", tag: "instance-sg-egress" },
    secondarySecurityGroup: { logical: "secondary-sg", tag: "network-interface-sg" },
    secondarySecurityGroupEgress: { logical: "secondary-sg-egress", tag: "network-interface-sg-egress" },
    instance: { logical: "instance", tag: "instance" },
    networkInterface: { logical: "eni", tag: "network-interface" },
    attachment: { logical: "eni-attachment", tag: "network-interface-attachment" },
} as const;

export type ChildKey = keyof typeof CHILDREN;
export type ChildNames = Readonly<Record<ChildKey, string>>;

function prefixed(prefix: string, part: (child: (typeof CHILDREN)[ChildKey]) => string): ChildNames {
    const entries = Object.entries(CHILDREN).map(([key, child]) => [key, `${prefix}-${part(child)}`]);
    return Object.fromEntries(entries) as ChildNames;
}

/** Pulumi logical names of the children of the component called `componentName`. */
export function logicalNames(componentName: string): ChildNames {
    return prefixed(componentName, (child) => child.logical);
}

/** `Name` tag values (the ENI's description too) for a `namePrefix`. */
export function nameTags(namePrefix: string): ChildNames {
    return prefixed(namePrefix, (child) => child.tag);
}
