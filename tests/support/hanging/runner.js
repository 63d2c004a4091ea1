// A runner that hangs: it starts a process of its own, prints its id, and never exits (both sleep).
const { spawn } = require("child_process");

const helper = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
console.log(`helper ${helper.pid}`);
setInterval(() => {}, 1000);
