/** Public API of the dual-subnet-eni package. */
export {
    DEFAULT_INSTANCE_TYPE,
    DUAL_SUBNET_ENI_INSTANCE_TYPE,
    DualSubnetEniInstance,
    DualSubnetEniInstanceArgs,
    DualSubnetEniInstanceOptions,
    DualSubnetEniInstanceOutputs,
    ExistingNetwork,
    OUTPUT_NAMES,
    outputsOf,
} from "./dualSubnetEniInstance";
export { DualSubnetEniInstanceValidationError, FieldLabel } from "./errors";
export { ExistingNetworkField, ValidatedField, ValidationProblem } from "./validation";
