// `npm run bench [-- --full]`: runs the gas benchmark on Hardhat's in-process network.
const { spawnSync } = require("node:child_process");

const full = process.argv.includes("--full");
const result = spawnSync("npx", ["hardhat", "run", "bench/gas.ts"], {
  stdio: "inherit",
  env: { ...process.env, HUZHU_BENCH_FULL: full ? "1" : "0" },
});
process.exit(result.status ?? 1);
