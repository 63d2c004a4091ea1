// mocha's configuration for the unit suite (`npm run test:unit`).
const fs = require("fs");
const path = require("path");

const TESTS = path.join(__dirname, "tests");
/**
 * Specs that wait for work done in child processes in the background (tests/backgroundQueue.ts; their hooks
 * and tests wait with `backgroundWorkTimeout()`) run after the others: the children work while the
 * in-process specs run, instead of the suite waiting for them. The queue starts its work in load order, so
 * these specs find it in the order they need it.
 */
const awaitsBackgroundWork = (file) => fs.readFileSync(path.join(TESTS, file), "utf8").includes("backgroundWorkTimeout()");
const specs = fs.readdirSync(TESTS).filter((file) => file.endsWith(".spec.ts")).sort();

module.exports = {
    require: ["tests/register.js", "tests/setup.ts"],
    spec: [...specs.filter((file) => !awaitsBackgroundWork(file)), ...specs.filter(awaitsBackgroundWork)].map((file) => `tests/${file}`),
    timeout: 20000,
};
