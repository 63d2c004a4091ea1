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
export type { FieldLabel } from "./errors";
export type { IngressProtocol } from "./ingressRules";
export type { ActiveInstance, ExistingNetworkField, PublicInterface, ValidatedField, ValidationProblem } from "./validation";
