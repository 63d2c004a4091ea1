// The mocha configuration of each suite (.mocharc.js files): the files and timeout are the suite's; the rest is
// shared. Under CI=true a pending (skipped) test or a `.only` fails the run, so CI cannot pass by skipping.
// `jobs`: spec files run in that many worker processes at once (mocha's parallel mode), for suites whose specs
// mostly wait for their own child processes.
module.exports = (spec, timeout, jobs = 1) => ({
    require: ["tests/support/register.js", "tests/support/setup.ts"],
    spec: [spec],
    timeout,
    forbidOnly: process.env.CI === "true",
    forbidPending: process.env.CI === "true",
    ...(jobs > 1 ? { parallel: true, jobs } : {}),
});
