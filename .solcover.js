// solidity-coverage: instruments contracts/ (test tokens, harnesses and the audit lens excluded) and writes
// coverage/coverage-summary.json for CI's thresholds.
module.exports = {
  // The lens is never deployed: auditors run it in an eth_call with a state override, and
  // test/audit/lens.test.ts (not a coverage suite) holds its reads equal to the pool's views.
  skipFiles: ["mocks/", "lens/"],
  istanbulReporter: ["html", "lcov", "text", "json-summary"],
  // The pool compiles through the IR pipeline (its size needs it); keep the instrumented build small.
  irMinimum: true,
  // Suites tagged @json-rpc run against a `hardhat node` of their own, which coverage does not
  // instrument (and the instrumented build exceeds its contract size limit): they add no coverage.
  // Tests tagged @heavy (181 claims settled in two parts) overflow the coverage collector's hit
  // records (it ran out of a 4 GB heap, and with more heap dropped every earlier suite's hits); they
  // run in `npm test`.
  mocha: { timeout: 600000, grep: "@json-rpc|@heavy", invert: true },
};
