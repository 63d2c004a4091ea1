/** Failures as the AWS provider reports them to a program: the provider's own texts around EC2's error codes. */

/** An invoke failure as the engine reports one (its text in `details`, which the SDK turns into the message). */
export function invokeError(message: string): Error {
    return Object.assign(new Error(message), { details: message });
}

/**
 * An EC2 API error as the provider wraps it when a create fails (terraform-provider-aws prefixes the AWS SDK for
 * Go v2's operation error with what it was doing, e.g. `internal/service/ec2/ec2_instance.go` resourceInstanceCreate:
 * "creating EC2 Instance: %s"); `code` and `message` are the EC2 API's own error code and text.
 */
export function ec2ApiError(doing: string, operation: string, code: string, message: string): Error {
    return new Error(`${doing}: operation error EC2: ${operation}, https response error StatusCode: 400, RequestID: 00000000-0000-0000-0000-000000000000, api error ${code}: ${message}`);
}

/** A region's AWS partition, the partition's DNS suffix and its reverse form. */
export interface PartitionFacts {
    readonly partition: string;
    readonly dnsSuffix: string;
    readonly reverseDnsPrefix: string;
}

const PARTITIONS: readonly (readonly [RegExp, PartitionFacts])[] = [
    [/^cn-/, { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn", reverseDnsPrefix: "cn.com.amazonaws" }],
    [/^us-gov-/, { partition: "aws-us-gov", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" }],
    [/^us-iso-/, { partition: "aws-iso", dnsSuffix: "c2s.ic.gov", reverseDnsPrefix: "gov.ic.c2s" }],
    [/^us-isob-/, { partition: "aws-iso-b", dnsSuffix: "sc2s.sgov.gov", reverseDnsPrefix: "gov.sgov.sc2s" }],
    [/^eu-isoe-/, { partition: "aws-iso-e", dnsSuffix: "cloud.adc-e.uk", reverseDnsPrefix: "uk.adc-e.cloud" }],
    [/^us-isof-/, { partition: "aws-iso-f", dnsSuffix: "csp.hci.ic.gov", reverseDnsPrefix: "gov.ic.hci.csp" }],
    [/^eusc-/, { partition: "aws-eusc", dnsSuffix: "amazonaws.eu", reverseDnsPrefix: "eu.amazonaws" }],
];

/**
 * The partition of a region and its DNS suffix, as the AWS SDK's endpoint rules list them
 * (aws-sdk-go-v2 `internal/endpoints/awsrulesfn/partitions.json`, which `aws.getPartition` reads).
 */
export function partitionOf(region: string): PartitionFacts {
    return PARTITIONS.find(([pattern]) => pattern.test(region))?.[1] ?? { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
}
