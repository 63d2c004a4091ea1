// The mocha configuration of each suite (.mocharc.js files): the files and timeout are the suite's; the rest is
// shared. Under CI=true a pending (skipped) test or a `.only` fails the run, so CI cannot pass by skipping.
module.exports = (spec, timeout) => ({
    require: ["tests/support/register.js", "tests/support/setup.ts"],
    spec: [spec],
    timeout,
    forbidOnly: process.env.CI === "true",
    forbidPending: process.env.CI === "true",
});
