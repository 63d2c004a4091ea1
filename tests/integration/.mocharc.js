module.exports = require("../support/mochaConfig")("tests/integration/*.spec.ts", 60_000, 2);
