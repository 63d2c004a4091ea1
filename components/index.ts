/** Public API of the dual-subnet-eni package. */
export { DEFAULT_INSTANCE_TYPE, DUAL_SUBNET_ENI_INSTANCE_TYPE, DualSubnetEniInstance, OUTPUT_NAMES, outputsOf } from "./dualSubnetEniInstance";
export type {
    DualSubnetEniInstanceArgs,
    DualSubnetEniInstanceOptions,
    DualSubnetEniInstanceOutputs,
    ExistingNetwork,
    IngressRuleArgs,
} from "./dualSubnetEniInstance";
export { DualSubnetEniInstanceValidationError } from "./errors";
export { SECRET_PLACEHOLDER } from "./settings";
export { amazonLinux2023Parameter } from "./awsLookups";
export type { FieldLabel } from "./errors";
export type { IngressProtocol } from "./rules/ingressRules";
export type { ActiveInstance, PublicInterface } from "./args";
export type { ExistingNetworkField, ValidatedField, ValidationProblem } from "./rules/fields";
