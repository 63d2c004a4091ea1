// Loaded by mocha after ts-node (see .mocharc.js); `mochaHooks` are root hooks for every spec file.
import { skipPulumiStackCaptures } from "../../tools/sdkInternals";

export { mochaHooks } from "./childHooks";

skipPulumiStackCaptures();
