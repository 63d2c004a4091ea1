/**
 * npm run build (and so `npm pack`'s prepack): compiles tsconfig.build.json to dist/ as `tsc -p` does,
 * declarations included, and copies guestNetwork's script and the failover mover (plain JavaScript, the Lambda's
 * code) beside the compiled modules that read them. Fails, printing the
 * errors as tsc prints them, when the compile reports any.
 *
 * The package test runs `build` in its own process with a compiler host that parses each declaration
 * file once for this build and for the consumer's compiles.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { runAsCli } from "./cli";

/** This file's project (scripts/ is never compiled), without loading stacks/stackFiles.ts and the SDK with it. */
const PROJECT_DIR = path.resolve(__dirname, "..");

/**
 * Compiles the project of `configFile` as `tsc -p` would, emit included; returns its errors as tsc
 * prints them, "" when there are none.
 */
export function compileProject(configFile: string, host: ts.CompilerHost = ts.createCompilerHost({})): string {
    const config = ts.getParsedCommandLineOfConfigFile(configFile, {}, {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
            throw new Error(ts.formatDiagnostic(diagnostic, host));
        },
    })!;
    const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host, configFileParsingDiagnostics: config.errors });
    const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
    return ts.formatDiagnostics(diagnostics, host);
}

/** Files shipped as they are, beside the compiled modules. */
const SHIPPED_AS_IS = ["guest-network.sh", "failoverMover.js"];

/** Builds dist/; returns the compile's errors ("" when there are none), and copies the files only when there are none. */
export function build(host?: ts.CompilerHost): string {
    const errors = compileProject(path.join(PROJECT_DIR, "tsconfig.build.json"), host);
    if (errors === "") {
        SHIPPED_AS_IS.forEach((file) => fs.copyFileSync(path.join(PROJECT_DIR, "components", file), path.join(PROJECT_DIR, "dist", file)));
    }
    return errors;
}

runAsCli(module, async () => {
    const errors = build();
    process.stderr.write(errors);
    return errors === "" ? 0 : 1;
});
