/** Public API of the dual-subnet-eni package. */
export {
    DEFAULT_INSTANCE_TYPE,
    DUAL_SUBNET_ENI_INSTANCE_TYPE,
    DualSubnetEniInstance,
    DualSubnetEniInstanceArgs,
    DualSubnetEniInstanceOptions,
    DualSubnetEniInstanceOutputs,
    ExistingNetwork,
    IngressRuleArgs,
    OUTPUT_NAMES,
    outputsOf,
} from "./dualSubnetEniInstance";
export { DualSubnetEniInstanceValidationError, FieldLabel } from "./errors";
export { ActiveInstance, ExistingNetworkField, PublicInterface, ValidatedField, ValidationProblem } from "./validation";
export { IngressProtocol } from "./ingressRules";
