// solidity-coverage: instruments contracts/ (test tokens and harnesses excluded) and writes
// coverage/coverage-summary.json for CI's thresholds.
module.exports = {
  skipFiles: ["mocks/"],
  istanbulReporter: ["html", "lcov", "text", "json-summary"],
  // The pool compiles through the IR pipeline (its size needs it); keep the instrumented build small.
  irMinimum: true,
  mocha: { timeout: 600000 },
};
