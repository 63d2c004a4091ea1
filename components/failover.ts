/**
 * The failover step of `automaticFailover`: the mover (failoverMover.js) as an AWS Lambda function in the primary
 * subnet, its role, log group and schedule, its security group (out to the ENI's health port and to EC2's API on 443),
 * the ENI group's inbound rule from it, and, with a new network, the `ec2` interface endpoint it reaches EC2 through
 * without any route out. docs/failover.md says why the mover runs there.
 */
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as lambda from "@pulumi/aws/lambda";
import * as scheduler from "@pulumi/aws/scheduler";
import { SecurityGroupEgressRule, SecurityGroupIngressRule } from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { lookUpPartition } from "./awsLookups";
import { ChildContext } from "./childContext";

/** How often EventBridge Scheduler starts an invocation; each one probes until shortly before its timeout. */
export const MOVER_SCHEDULE = "rate(1 minute)";
/** The Lambda function's timeout, seconds: one invocation covers the minute until the next starts. */
export const MOVER_TIMEOUT_SECONDS = 60;
/** What the Lambda function needs to run in the VPC: AWSLambdaVPCAccessExecutionRole's EC2 actions (describe ones take no resource). */
export const LAMBDA_VPC_ACCESS_ACTIONS = [
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
] as const;

let moverCode: string | undefined;

/** The mover's code as shipped beside this module (copied to dist/ by the build); read on first use. */
export function failoverMoverCode(): string {
    moverCode ??= fs.readFileSync(path.join(__dirname, "failoverMover.js"), "utf8");
    return moverCode;
}

/** What the mover works on. */
export interface FailoverTargets {
    readonly vpcId: pulumi.Input<string>;
    readonly subnetId: pulumi.Input<string>;
    /** True for a new network: the component makes the `ec2` interface endpoint. */
    readonly newNetwork: boolean;
    readonly networkInterface: ec2.NetworkInterface;
    readonly networkInterfaceSecurityGroupId: pulumi.Input<string>;
    readonly primary: ec2.Instance;
    readonly standby: ec2.Instance;
    /** `activeInstance`'s instance id: where the ENI is attached when created, and where an unattached ENI goes first. */
    readonly preferredInstanceId: pulumi.Input<string>;
    /** Resources holding fixed addresses in the subnet: the endpoint waits for them. */
    readonly fixedAddressHolders: pulumi.Resource[];
}

/** A policy document as IAM takes it. */
const policy = (statements: readonly Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const trust = (service: string) => policy([{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }]);

/**
 * The mover's permissions beyond running in the VPC: attach and detach only this ENI and these two instances
 * (every resource each action authorizes must be among them), and write to its own log group.
 */
export function moverPolicy(arns: { networkInterface: string; instances: readonly string[]; logGroup: string }): string {
    return policy([
        { Sid: "MoveThisInterfaceBetweenTheseInstances", Effect: "Allow", Action: ["ec2:AttachNetworkInterface", "ec2:DetachNetworkInterface"], Resource: [arns.networkInterface, ...arns.instances] },
        { Sid: "WriteItsLog", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${arns.logGroup}:*` },
    ]);
}

/** Creates the mover and what it needs; returns its Lambda function. */
export function createFailoverMover(children: ChildContext, targets: FailoverTargets): lambda.Function {
    const { parent, settings, names, nameTags, tags } = children;
    const port = settings.apply((s) => s.failoverHealthCheckPort!);
    const partition = settings.apply(() => pulumi.output(lookUpPartition(parent)));

    // Network: out to the ENI's health port and to EC2's API; the ENI's group lets the health check in.
    const securityGroup = new ec2.SecurityGroup(
        names.failoverSecurityGroup,
        { vpcId: targets.vpcId, description: `Failover mover of ${nameTags.networkInterface}`, tags: tags(nameTags.failoverSecurityGroup) },
        parent,
    );
    const healthRule = { ipProtocol: "tcp", fromPort: port, toPort: port };
    new SecurityGroupEgressRule(
        names.failoverHealthEgress,
        { securityGroupId: securityGroup.id, ...healthRule, referencedSecurityGroupId: targets.networkInterfaceSecurityGroupId, description: "Health check of the ENI", tags: tags(nameTags.failoverHealthEgress) },
        parent,
    );
    new SecurityGroupEgressRule(
        names.failoverHttpsEgress,
        { securityGroupId: securityGroup.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "EC2 API", tags: tags(nameTags.failoverHttpsEgress) },
        parent,
    );
    new SecurityGroupIngressRule(
        names.failoverHealthIngress,
        { securityGroupId: targets.networkInterfaceSecurityGroupId, ...healthRule, referencedSecurityGroupId: securityGroup.id, description: "Failover mover health check", tags: tags(nameTags.failoverHealthIngress) },
        parent,
    );
    if (targets.newNetwork) {
        createEc2Endpoint(children, targets, securityGroup);
    }

    // Role: run in the VPC; attach and detach only this ENI and these two instances; write its log.
    const role = new iam.Role(
        names.failoverRole,
        {
            description: `Failover mover of ${nameTags.networkInterface}: moves it between the two instances`,
            assumeRolePolicy: partition.apply(({ dnsSuffix }) => trust(`lambda.${dnsSuffix}`)),
            tags: tags(nameTags.failoverRole),
        },
        parent,
    );
    const vpcAccess = new iam.RolePolicy(
        names.failoverVpcAccessPolicy,
        { role: role.name, policy: settings.apply(() => policy([{ Sid: "RunInTheVpc", Effect: "Allow", Action: [...LAMBDA_VPC_ACCESS_ACTIONS], Resource: "*" }])) },
        parent,
    );
    const mover = new lambda.Function(
        names.failoverFunction,
        {
            description: `Moves ${nameTags.networkInterface} to the other instance when the one holding it fails (dual-subnet-eni automaticFailover)`,
            runtime: "nodejs22.x",
            architectures: ["arm64"],
            handler: "index.handler",
            code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(failoverMoverCode()) }),
            role: role.arn,
            memorySize: 128,
            timeout: MOVER_TIMEOUT_SECONDS,
            vpcConfig: { subnetIds: [targets.subnetId], securityGroupIds: [securityGroup.id] },
            environment: {
                variables: {
                    NETWORK_INTERFACE_ID: targets.networkInterface.id,
                    NETWORK_INTERFACE_ADDRESS: targets.networkInterface.privateIp,
                    HEALTH_CHECK_PORT: port.apply(String),
                    PRIMARY_INSTANCE_ID: targets.primary.id,
                    STANDBY_INSTANCE_ID: targets.standby.id,
                    PREFERRED_INSTANCE_ID: targets.preferredInstanceId,
                },
            },
            tags: tags(nameTags.failoverFunction),
        },
        // Lambda checks at create time that the role may make its network interfaces.
        { ...parent, dependsOn: [vpcAccess] },
    );
    const logGroup = new cloudwatch.LogGroup(
        names.failoverLogGroup,
        { name: pulumi.interpolate`/aws/lambda/${mover.name}`, retentionInDays: 90, tags: tags(nameTags.failoverLogGroup) },
        parent,
    );
    const move = new iam.RolePolicy(
        names.failoverMovePolicy,
        {
            role: role.name,
            policy: pulumi
                .all([targets.networkInterface.arn, targets.primary.arn, targets.standby.arn, logGroup.arn])
                .apply(([networkInterface, primary, standby, logs]) => moverPolicy({ networkInterface, instances: [primary, standby], logGroup: logs })),
        },
        parent,
    );
    // A failed or late invocation is not retried: the next minute's starts anyway.
    new lambda.FunctionEventInvokeConfig(names.failoverInvokeConfig, { functionName: mover.name, maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 }, parent);
    createSchedule(children, mover, partition, [logGroup, move]);
    return mover;
}

/** The `ec2` interface endpoint in the mover's subnet, private DNS on, reachable on 443 from the mover's group. */
function createEc2Endpoint({ parent, settings, names, nameTags, tags }: ChildContext, targets: FailoverTargets, moverGroup: ec2.SecurityGroup): void {
    const endpointGroup = new ec2.SecurityGroup(
        names.failoverEndpointSecurityGroup,
        { vpcId: targets.vpcId, description: `EC2 API endpoint of the failover mover of ${nameTags.networkInterface}`, tags: tags(nameTags.failoverEndpointSecurityGroup) },
        parent,
    );
    new SecurityGroupIngressRule(
        names.failoverEndpointIngress,
        {
            securityGroupId: endpointGroup.id,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            referencedSecurityGroupId: moverGroup.id,
            description: "HTTPS from the failover mover",
            tags: tags(nameTags.failoverEndpointIngress),
        },
        parent,
    );
    new ec2.VpcEndpoint(
        names.failoverEndpoint,
        {
            vpcId: targets.vpcId,
            serviceName: settings.apply((s) => `com.amazonaws.${s.region}.ec2`),
            vpcEndpointType: "Interface",
            subnetIds: [targets.subnetId],
            securityGroupIds: [endpointGroup.id],
            privateDnsEnabled: true,
            tags: tags(nameTags.failoverEndpoint),
        },
        // As the SSM endpoints: a new subnet replaces it (deleted first), after the fixed addresses are taken.
        { ...parent, dependsOn: targets.fixedAddressHolders, replaceOnChanges: ["subnetIds"] },
    );
}

/** EventBridge Scheduler invokes the mover every minute through a role that may invoke only it. */
function createSchedule(
    { parent, names, nameTags, tags }: ChildContext,
    mover: lambda.Function,
    partition: pulumi.Output<{ readonly dnsSuffix: string }>,
    before: pulumi.Resource[],
): void {
    const role = new iam.Role(
        names.failoverSchedulerRole,
        {
            description: `Lets EventBridge Scheduler invoke the failover mover of ${nameTags.networkInterface}`,
            assumeRolePolicy: partition.apply(({ dnsSuffix }) => trust(`scheduler.${dnsSuffix}`)),
            tags: tags(nameTags.failoverSchedulerRole),
        },
        parent,
    );
    const invoke = new iam.RolePolicy(
        names.failoverSchedulerPolicy,
        { role: role.name, policy: mover.arn.apply((arn) => policy([{ Sid: "InvokeTheMover", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: arn }])) },
        parent,
    );
    new scheduler.Schedule(
        names.failoverSchedule,
        {
            description: `Runs the failover mover of ${nameTags.networkInterface}`,
            scheduleExpression: MOVER_SCHEDULE,
            flexibleTimeWindow: { mode: "OFF" },
            target: { arn: mover.arn, roleArn: role.arn, retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 } },
        },
        // The first invocation can log and move.
        { ...parent, dependsOn: [...before, invoke] },
    );
}
