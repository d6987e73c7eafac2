// `npm run bench [-- --full] [-- --gas | --audit]`: the gas benchmark on Hardhat's in-process network
// (bench/gas.ts), then the audit benchmark over Anvil and a `hardhat node` (bench/audit-speed.ts); `--gas` or
// `--audit` runs one of them. `--full` adds the largest sizes to both (100,000 members).
const { spawnSync } = require("node:child_process");

const full = process.argv.includes("--full");
const only = ["--gas", "--audit"].filter((flag) => process.argv.includes(flag));
const scripts = { "--gas": "bench/gas.ts", "--audit": "bench/audit-speed.ts" };
for (const flag of only.length > 0 ? only : Object.keys(scripts)) {
  const result = spawnSync("npx", ["hardhat", "run", scripts[flag]], {
    stdio: "inherit",
    env: { ...process.env, HUZHU_BENCH_FULL: full ? "1" : "0" },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
