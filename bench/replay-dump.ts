/**
 * Decode + rebuild alone, from logs kept by `HUZHU_BENCH_DUMP=<file>` (bench/audit-speed.ts): for
 * profiling the replay without a node. `npx ts-node --transpile-only bench/replay-dump.ts <file> [runs]`
 */
import { readFileSync } from "node:fs";
import { createPoolEventDecoder, PoolLedger, type AuditRules, type LogEntry } from "../sdk/src";
import { clearChecksumCache } from "../sdk/src/internal/abiCodec";

const [file, runsArg] = process.argv.slice(2);
const dump = JSON.parse(readFileSync(file, "utf8"), (_k, v) =>
  typeof v === "string" && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v,
) as { rules: AuditRules; logs: LogEntry[] };
const rates: number[] = [];
for (let run = 0; run < Number(runsArg ?? 9); run++) {
  clearChecksumCache();
  const started = process.hrtime.bigint();
  const decode = createPoolEventDecoder({ checksum: false });
  const ledger = new PoolLedger(dump.rules);
  for (const entry of dump.logs) {
    const event = decode(entry);
    if (event) ledger.apply(event);
  }
  ledger.finish();
  const s = Number(process.hrtime.bigint() - started) / 1e9;
  if (ledger.discrepancies.length > 0) throw new Error(JSON.stringify(ledger.discrepancies.slice(0, 5)));
  rates.push(Math.round(dump.logs.length / s));
}
console.log(
  JSON.stringify({ events: dump.logs.length, rates, median: [...rates].sort((a, b) => a - b)[rates.length >> 1] }),
);
