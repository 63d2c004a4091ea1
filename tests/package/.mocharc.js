module.exports = require("../support/mochaConfig")("tests/package/*.spec.ts", 180_000);
