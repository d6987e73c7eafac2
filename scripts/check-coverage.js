// Fails when coverage of contracts/ is below the project's bar: 95% of lines, 90% of branches.
const { readFileSync } = require("node:fs");

const LINES = 95;
const BRANCHES = 90;
const summary = JSON.parse(readFileSync("coverage/coverage-summary.json", "utf8"));
const { lines, branches } = summary.total;
console.log(`contracts/ coverage: lines ${lines.pct}%, branches ${branches.pct}%`);
if (lines.pct < LINES || branches.pct < BRANCHES) {
  console.error(`below the bar: lines >= ${LINES}%, branches >= ${BRANCHES}%`);
  process.exit(1);
}
