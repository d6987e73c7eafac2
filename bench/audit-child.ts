/**
 * Audits in a process of their own, as an auditor runs: its wall time, and its peak memory (RSS)
 * alone. Started by bench/audit-speed.ts with the pool in the environment; `HUZHU_AUDIT_RUNS` audits
 * one after another (default 1), each timed; prints one JSON line.
 */
import { createPublicClient, http } from "viem";
import { audit, createHuzhuClient, fromViem } from "../sdk/src";

async function main() {
  const { HUZHU_AUDIT_URL, HUZHU_AUDIT_POOL, HUZHU_AUDIT_FACTORY, HUZHU_AUDIT_FROM, HUZHU_AUDIT_TO } = process.env;
  const publicClient = createPublicClient({ transport: http(HUZHU_AUDIT_URL!) });
  const client = createHuzhuClient({ connector: fromViem({ publicClient }), pool: HUZHU_AUDIT_POOL as `0x${string}` });
  const runs: number[] = [];
  let last: Awaited<ReturnType<typeof audit>> | undefined;
  for (let k = 0; k < Number(process.env.HUZHU_AUDIT_RUNS ?? 1); k++) {
    last = undefined; // The last run's rebuild is not kept through the next.
    const started = Date.now();
    last = await audit(client, {
      factory: HUZHU_AUDIT_FACTORY as `0x${string}`,
      fromBlock: BigInt(HUZHU_AUDIT_FROM!),
      toBlock: BigInt(HUZHU_AUDIT_TO!),
    });
    runs.push((Date.now() - started) / 1000);
    if (!last.passed) break;
  }
  console.log(
    JSON.stringify({
      passed: last!.passed,
      failed: last!.checks.filter((c) => !c.passed).map((c) => c.name),
      lens: last!.views.lens,
      members: last!.stats.members,
      events: last!.stats.events,
      seconds: runs[0],
      runs,
      // Node reports the process's peak resident set size in kilobytes.
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
