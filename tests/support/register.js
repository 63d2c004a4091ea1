// Loaded first by mocha (.mocharc.json): ts-node with SWC as its transpiler. ts-node's `swc` option implies
// transpile-only; type-checking is `npm run typecheck`'s job.
require("ts-node").register({ swc: true });
