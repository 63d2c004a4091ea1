module.exports = require("./tests/support/mochaConfig")("tests/*.spec.ts", 20_000);
