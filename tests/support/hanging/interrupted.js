// A tool that is interrupted: through tools/childProcess it starts a child that starts a helper of its own
// (the hanging runner), prints "started <child pid>", and waits; the test then sends it SIGTERM.
require("../register");
const path = require("path");
const { startChild } = require("../../../tools/childProcess");

const child = startChild(process.execPath, [path.join(__dirname, "runner.js")], {
    deadlineMs: 60_000,
    onStdout: (text) => process.stdout.write(text),
});
console.log(`started ${child.pid}`);
setInterval(() => {}, 1000);
