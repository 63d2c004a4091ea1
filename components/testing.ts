/**
 * `dual-subnet-eni/testing`: unit-test support for programs that use the component.
 * `await pulumi.runtime.setMocks(createMocks(), "project", "stack", false)`, then import the program.
 */
export { createMocks } from "./mocks/createMocks";
export { mockAmiId } from "./mocks/fakeAws";
export type {
    MockAmi,
    MockInstance,
    MockInstanceType,
    MockNetworkInterface,
    MockOptions,
    MockPrefixList,
    MockSecurityGroup,
    MockSubnet,
    MockTransitGatewayAttachment,
    MockVpcPeeringConnection,
} from "./mocks/options";
export { resolveAll } from "./mocks/resolveAll";
export { instanceTypeFacts } from "./instanceTypes";
