/**
 * Everything the offline tools and the tests need from @pulumi/pulumi beyond its public API, in one place:
 * - the mock monitor's requests, which carry resource options (`deleteBeforeReplace`, `parent`, aliases, ...)
 *   that `Mocks.newResource` never sees (`recordRegistrations`);
 * - a local engine and resource monitor speaking the SDK's gRPC protocol (`@pulumi/pulumi/proto`), for the
 *   runner `pulumi up` starts (`@pulumi/pulumi/cmd/run`), with the SDK's `MockMonitor` behind it
 *   (`startLocalEngine`);
 * - the plugin runner and the provider protocol `pulumi package add` uses (`schemaServedBy`);
 * - the SDK's promise wrapper and `Error.prepareStackTrace`, whose stack captures dominate a run under mocks
 *   (`skipPulumiStackCaptures`).
 * `tests/sdkInternals.spec.ts` holds each of them to the SDK versions in VERIFIED_SDK_VERSIONS; nothing that
 * ships (components/, stacks/) imports this module.
 */
import { createRequire } from "module";
import type * as grpcTypes from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { GetSchemaRequest } from "@pulumi/pulumi/proto/provider_pb";
import * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import * as resourceRpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resourceProto from "@pulumi/pulumi/proto/resource_pb";

/** The @pulumi/pulumi versions this module was run against (its test fails on any other until re-checked). */
export const VERIFIED_SDK_VERSIONS: readonly string[] = ["3.248.0"];

// The SDK's own copies, so the server speaks with exactly the gRPC and protobuf code the runner uses.
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = sdkRequire("@grpc/grpc-js") as typeof grpcTypes;
const { Empty } = sdkRequire("google-protobuf/google/protobuf/empty_pb") as typeof import("google-protobuf/google/protobuf/empty_pb");

/** The runner the Node.js language host starts for `pulumi up`: it loads the program and connects to the engine. */
export const PULUMI_RUNNER = sdkRequire.resolve("./cmd/run");

/** The runner the Node.js language host starts for a source-based plugin (`pulumi package add <folder>`). */
export const PULUMI_PLUGIN_RUNNER = sdkRequire.resolve("./cmd/run-plugin");

/** The installed SDK's version. */
export const SDK_VERSION = (sdkRequire("./package.json") as { version: string }).version;

/** One message the program logged through the engine, as `pulumi up` receives it. */
export interface Diagnostic {
    readonly severity: "debug" | "info" | "warning" | "error";
    readonly message: string;
    /** The resource it is about; "" for the program as a whole (shown under the stack). */
    readonly urn: string;
}

const SEVERITIES: Record<engineProto.LogSeverity, Diagnostic["severity"]> = {
    [engineProto.LogSeverity.DEBUG]: "debug",
    [engineProto.LogSeverity.INFO]: "info",
    [engineProto.LogSeverity.WARNING]: "warning",
    [engineProto.LogSeverity.ERROR]: "error",
};

/** An engine and resource monitor on a local port, answering a runner from mocks. */
export interface LocalEngine {
    /** `host:port` for the runner's `--monitor` and `--engine`. */
    readonly address: string;
    /** Every resource registration the program made, options included. */
    readonly registrations: Registrations;
    /** What the program logged, in order. */
    readonly diagnostics: readonly Diagnostic[];
    stop(): void;
}

/**
 * Starts a local engine and resource monitor for one program run of `stack` in `project`: the monitor is the
 * SDK's `MockMonitor` answering from `mocks`, the engine collects what the program logs.
 */
export async function startLocalEngine(mocks: pulumi.runtime.Mocks, project: string, stack: string): Promise<LocalEngine> {
    const monitor = new MockMonitor(mocks) as unknown as MockMonitorCalls;
    // The SDK's mock monitor names URNs after the process's own stack; these runs each have theirs.
    monitor.newUrn = (parent, type, name) => {
        const qualifiedType = parent ? `${parent.split("::")[2]}$${type}` : type;
        return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
    };
    const registrations = recordRegistrations(monitor);
    const diagnostics: Diagnostic[] = [];
    let rootResource = "";

    const server = new grpc.Server();
    server.addService(engineRpc.EngineService, {
        log: (call: Unary<engineProto.LogRequest>, done: Done) => {
            const request = call.request;
            diagnostics.push({ severity: SEVERITIES[request.getSeverity()], message: request.getMessage(), urn: request.getUrn() });
            done(null, new Empty());
        },
        getRootResource: (_call: Unary<unknown>, done: Done) => done(null, new engineProto.GetRootResourceResponse().setUrn(rootResource)),
        setRootResource: (call: Unary<engineProto.SetRootResourceRequest>, done: Done) => {
            rootResource = call.request.getUrn();
            done(null, new engineProto.SetRootResourceResponse());
        },
        startDebugging: (_call: Unary<unknown>, done: Done) => done(null, new Empty()),
        requirePulumiVersion: (_call: Unary<unknown>, done: Done) => done(null, new engineProto.RequirePulumiVersionResponse()),
    });
    const viaMocks = (method: "invoke" | "readResource" | "registerResource" | "registerPackage") => (call: Unary<unknown>, done: Done) => monitor[method](call.request as RegisterResourceRequest, done as MockCallback);
    server.addService(resourceRpc.ResourceMonitorService, {
        supportsFeature: (call: Unary<resourceProto.SupportsFeatureRequest>, done: Done) =>
            monitor.supportsFeature(call.request, (_error, response) => done(null, new resourceProto.SupportsFeatureResponse().setHassupport(response.getHassupport()))),
        invoke: viaMocks("invoke"),
        readResource: viaMocks("readResource"),
        registerResource: viaMocks("registerResource"),
        registerResourceOutputs: (call: Unary<unknown>, done: Done) => monitor.registerResourceOutputs(call.request, (error) => (done as MockCallback)(error, new Empty())),
        registerPackage: viaMocks("registerPackage"),
        signalAndWaitForShutdown: (_call: Unary<unknown>, done: Done) => done(null, new Empty()),
    });
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    return { address: `127.0.0.1:${port}`, registrations, diagnostics, stop: () => server.forceShutdown() };
}

type Done = grpcTypes.sendUnaryData<unknown>;
type Unary<Request> = Pick<grpcTypes.ServerUnaryCall<Request, unknown>, "request">;
type MockCallback = (error: unknown, response?: unknown) => void;

/** The SDK's mock monitor: grpc-style `(request, callback)` methods. */
interface MockMonitorCalls extends MonitorCalls {
    newUrn(parent: string, type: string, name: string): string;
    supportsFeature(request: unknown, callback: (error: null, response: { getHassupport(): boolean }) => void): void;
    readResource(request: unknown, callback: MockCallback): void;
    registerPackage(request: unknown, callback: MockCallback): void;
}

/** The package schema a plugin serves at `address`, asked for over gRPC as the Pulumi CLI asks. */
export async function schemaServedBy(address: string): Promise<string> {
    const client = new ResourceProviderClient(address, grpc.credentials.createInsecure());
    try {
        return await new Promise<string>((resolve, reject) =>
            client.getSchema(new GetSchemaRequest(), (error: grpcTypes.ServiceError | null, response: { getSchema(): string }) => (error ? reject(error) : resolve(response.getSchema()))),
        );
    } finally {
        client.close();
    }
}

/**
 * A component of an earlier test may still register its outputs after the next test installed new
 * mocks; the new monitor does not know that URN and would fail whichever test is running then. This makes
 * the current mock monitor ignore outputs of resources it never registered.
 */
export function ignoreOutputsOfEarlierPrograms(): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        resources: Map<string, unknown>;
        registerResourceOutputs(request: { getUrn(): string }, callback: Callback): void;
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (request, callback) => (monitor.resources.has(request.getUrn()) ? registerOutputs(request, callback) : callback(null, {}));
}

/** One resource registration as the engine would receive it, options included. */
export interface RecordedRegistration {
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    /** URN of the parent, or "" for the stack itself. */
    readonly parent: string;
    /** URNs of the resources this one depends on (inputs and `dependsOn`). */
    readonly dependencies: readonly string[];
    /** For each input, the URNs of the resources its value came from: the data dependencies. */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    readonly deleteBeforeReplace: boolean;
    readonly ignoreChanges: readonly string[];
    /** Its `aliases` as the engine receives them, so the engine takes it for the deployed resource of such a URN. */
    readonly aliases: readonly RecordedAlias[];
    /** Input paths whose change replaces the resource whatever the provider says (`replaceOnChanges`). */
    readonly replaceOnChanges: readonly string[];
    readonly inputs: Record<string, unknown>;
    /** The id the mocks gave it, once registered. */
    id?: string;
}

/**
 * One alias: a whole URN, or the parts that differ from the resource's own (an alias spec, which the engine
 * completes with the resource's name, type, parent, project and stack).
 */
export interface RecordedAlias {
    readonly urn?: string;
    readonly name?: string;
    readonly type?: string;
    readonly project?: string;
    readonly stack?: string;
    /** URN of the parent it had; absent: its parent now (the SDK sends that along). */
    readonly parentUrn?: string;
    /** It had no parent (a child of the stack). */
    readonly noParent?: true;
}

/** Registrations in the order the engine received them, and a way to wait for the program to go quiet. */
export type Registrations = RecordedRegistration[] & {
    /** Resolves once no registration or data-source call is in flight and none has started for a turn of the event loop. */
    settled(): Promise<void>;
    /** Puts back the mock monitor's methods as they were before `recordRegistrations`; recording stops. */
    restore(): void;
};

/**
 * Records every resource registration from now on (call after `setMocks`, or pass a monitor of your own). Resource options such as
 * `deleteBeforeReplace` and `parent` never reach `Mocks.newResource`; the monitor's request carries them.
 * Process-wide state: it replaces three methods (`registerResource`, `registerResourceOutputs`, `invoke`) of
 * the mock monitor `setMocks` installed, until the next `setMocks` brings a new monitor or `restore()` is called.
 */
export function recordRegistrations(monitorToRecord: object | undefined = pulumi.runtime.getMonitor()): Registrations {
    const monitor = monitorToRecord as MonitorCalls | undefined;
    let inFlight = 0;
    let activity = 0;
    const settled = async () => {
        for (let seen = -1; inFlight > 0 || seen !== activity; ) {
            seen = activity;
            await new Promise((resolve) => setTimeout(resolve, 1));
        }
    };
    if (!monitor) {
        throw new Error("recordRegistrations: call pulumi.runtime.setMocks first");
    }
    const { registerResource, registerResourceOutputs, invoke } = monitor;
    const restore = () => Object.assign(monitor, { registerResource, registerResourceOutputs, invoke });
    const recorded = Object.defineProperties([] as RecordedRegistration[], {
        settled: { value: settled, enumerable: false },
        restore: { value: restore, enumerable: false },
    }) as Registrations;
    const track = <R>(call: (request: R, callback: Callback) => unknown, onResponse?: (response: unknown) => void) =>
        (request: R, callback: Callback) => {
            inFlight++;
            activity++;
            return call(request, (error, response) => {
                inFlight--;
                activity++;
                onResponse?.(response);
                callback(error, response);
            });
        };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
        const registration: RecordedRegistration = {
            type: request.getType(),
            name: request.getName(),
            custom: request.getCustom(),
            parent: request.getParent(),
            dependencies: request.getDependenciesList(),
            propertyDependencies: propertyDependenciesOf(request),
            deleteBeforeReplace: request.getDeletebeforereplace(),
            ignoreChanges: request.getIgnorechangesList(),
            replaceOnChanges: request.getReplaceonchangesList(),
            aliases: [...request.getAliasesList().map(recordedAlias), ...request.getAliasurnsList().map((urn) => ({ urn }))],
            // Unknowns kept (as `pulumi.unknown`) outside previews too, where only a program's own unknowns occur.
            inputs: pulumi.runtime.deserializeProperties(request.getObject() as Parameters<typeof pulumi.runtime.deserializeProperties>[0], true),
        };
        recorded.push(registration);
        const withId = (response: unknown) => (registration.id = (response as { getId?(): string } | undefined)?.getId?.());
        return track(register, withId)(request, callback);
    };
    monitor.registerResourceOutputs = track(monitor.registerResourceOutputs.bind(monitor));
    monitor.invoke = track(monitor.invoke.bind(monitor));
    return recorded;
}

type Callback = (error: unknown, response: unknown) => void;

/** An alias of the request as the SDK sent it (`runtime/resource.ts` mapAliasesForRequest): a URN or a spec. */
function recordedAlias(alias: AliasMessage): RecordedAlias {
    const spec = alias.getSpec();
    if (!spec) {
        return { urn: alias.getUrn() };
    }
    const given = { name: spec.getName(), type: spec.getType(), project: spec.getProject(), stack: spec.getStack(), parentUrn: spec.getParenturn() };
    return {
        ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== "")),
        ...(spec.getNoparent() ? { noParent: true as const } : {}),
    };
}

function propertyDependenciesOf(request: RegisterResourceRequest): Record<string, string[]> {
    const dependencies: Record<string, string[]> = {};
    request.getPropertydependenciesMap().forEach((urns, key) => (dependencies[key] = urns.getUrnsList()));
    return dependencies;
}

interface MonitorCalls {
    registerResource(request: RegisterResourceRequest, callback: Callback): unknown;
    registerResourceOutputs(request: unknown, callback: Callback): unknown;
    invoke(request: unknown, callback: Callback): unknown;
}

/** An alias in a RegisterResourceRequest (`proto/alias_pb`). */
interface AliasMessage {
    getUrn(): string;
    getSpec(): { getName(): string; getType(): string; getProject(): string; getStack(): string; getParenturn(): string; getNoparent(): boolean } | undefined | null;
}

/** The fields of the engine's RegisterResourceRequest that `recordRegistrations` reads. */
interface RegisterResourceRequest {
    getType(): string;
    getName(): string;
    getCustom(): boolean;
    getParent(): string;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(callback: (urns: { getUrnsList(): string[] }, key: string) => void): void };
    getDeletebeforereplace(): boolean;
    getIgnorechangesList(): string[];
    getAliasesList(): AliasMessage[];
    getAliasurnsList(): string[];
    getReplaceonchangesList(): string[];
    getObject(): unknown;
}

/**
 * Makes unit tests under Pulumi's mocks several times faster. The Pulumi SDK formats a stack trace for
 * every promise and resource it creates (`new Error().stack`, kept for leak and source-position reports
 * that mocks never use); through source-map support that formatting dominates a test's time. After this
 * call those message-less `Error`s format to "" while every other error keeps its full, source-mapped
 * trace. Call it once, after any source-map support (ts-node) is installed, e.g. from a mocha `--require`.
 * Process-wide state: it replaces `Error.prepareStackTrace`, which formats every error's stack in the process.
 * Collecting the frames of those traces costs as much again (mocha raises `Error.stackTraceLimit` to
 * Infinity), so the SDK's promise wrapper (`debuggablePromise`) also captures none while it runs, unless
 * PULUMI_DEBUG_PROMISE_LEAKS asks for its traces.
 * Returns a function that puts the previous formatter and wrapper back (a no-op when the skip was already installed).
 */
export function skipPulumiStackCaptures(): () => void {
    const format = Error.prepareStackTrace;
    if ((format as { skipsPulumiCaptures?: boolean } | undefined)?.skipsPulumiCaptures) {
        return () => undefined;
    }
    const prepare = (error: Error, frames: NodeJS.CallSite[]): unknown => {
        if (error instanceof Error && error.constructor === Error && error.message === "") {
            return "";
        }
        return format ? format(error, frames) : `${error}\n${frames.map((frame) => `    at ${frame}`).join("\n")}`;
    };
    const installed = Object.assign(prepare, { skipsPulumiCaptures: true });
    Error.prepareStackTrace = installed;
    const restoreWrapper = skipPromiseStackCaptures();
    return () => {
        if (Error.prepareStackTrace === installed) {
            Error.prepareStackTrace = format;
        }
        restoreWrapper();
    };
}

/** The SDK module whose `debuggablePromise` wraps each promise it creates (`new Error().stack` on each). */
interface DebuggableModule {
    debugPromiseLeaks: boolean;
    debuggablePromise: <T>(promise: Promise<T>, context: unknown) => Promise<T>;
}

/**
 * Makes the SDK's `debuggablePromise` capture no stack frames (its trace is only printed with
 * PULUMI_DEBUG_PROMISE_LEAKS, then left alone); returns what puts it back.
 */
function skipPromiseStackCaptures(): () => void {
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as DebuggableModule;
    if (debuggable.debugPromiseLeaks) {
        return () => undefined;
    }
    const wrap = debuggable.debuggablePromise;
    const withoutFrames: DebuggableModule["debuggablePromise"] = (promise, context) => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return wrap(promise, context);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
    debuggable.debuggablePromise = withoutFrames;
    return () => {
        if (debuggable.debuggablePromise === withoutFrames) {
            debuggable.debuggablePromise = wrap;
        }
    };
}
