/** What a mocked data source receives and answers, shared by the handler tables (dataSources.ts and the files beside it). */
import type { FakeAws } from "./fakeAws";

/** A data source's filter, as the provider takes it. */
export interface Filter {
    readonly name: string;
    readonly values: readonly string[];
}

/** Every input a data source of the component takes; each handler reads its own. */
export interface CallInputs {
    readonly region?: string;
    readonly filters?: readonly Filter[];
    readonly instanceType?: string;
    readonly instanceStateNames?: readonly string[];
    readonly name?: string;
    readonly keyName?: string;
    readonly subnetId?: string;
    readonly vpcId?: string;
    readonly id?: string;
    readonly service?: string;
    readonly serviceName?: string;
    readonly serviceType?: string;
    readonly serviceCode?: string;
    readonly quotaCode?: string;
}

export type Answer = Record<string, unknown>;
export type Handler = (aws: FakeAws, inputs: CallInputs, region: string) => Answer;

/** The values of the filter `name`, or none. */
export const filterValues = (inputs: CallInputs, name: string): readonly string[] => inputs.filters?.find((filter) => filter.name === name)?.values ?? [];

/** True when `value` passes the filter `name`: absent, or listing it (EC2 ORs a filter's values and ANDs filters). */
export const passes = (inputs: CallInputs, name: string, value: string | undefined): boolean =>
    !inputs.filters?.some((filter) => filter.name === name) || (value !== undefined && filterValues(inputs, name).includes(value));
