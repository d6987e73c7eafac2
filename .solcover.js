// solidity-coverage: instruments contracts/ (test tokens and harnesses excluded) and writes
// coverage/coverage-summary.json for CI's thresholds.
module.exports = {
  skipFiles: ["mocks/"],
  istanbulReporter: ["html", "lcov", "text", "json-summary"],
  // The pool compiles through the IR pipeline (its size needs it); keep the instrumented build small.
  irMinimum: true,
  // Suites tagged @json-rpc run against a `hardhat node` of their own, which coverage does not
  // instrument (and the instrumented build exceeds its contract size limit): they add no coverage.
  mocha: { timeout: 600000, grep: "@json-rpc", invert: true },
};
