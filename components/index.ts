/** Public API of the dual-subnet-eni package. */
export {
    DEFAULT_INSTANCE_TYPE,
    DUAL_SUBNET_ENI_INSTANCE_TYPE,
    DualSubnetEniInstance,
    DualSubnetEniInstanceArgs,
    DualSubnetEniInstanceOutputs,
    ExistingNetwork,
    ExistingNetworkArgs,
    InstanceArgs,
    NewNetworkArgs,
    OUTPUT_NAMES,
    outputsOf,
} from "./dualSubnetEniInstance";
export { DualSubnetEniInstanceValidationError, FieldLabel } from "./errors";
export { ExistingNetworkField, ValidatedField, ValidationProblem } from "./validation";
