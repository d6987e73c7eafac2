/**
 * One audit in a process of its own, so that its peak memory (RSS) is the audit's alone: started by
 * bench/audit-speed.ts with the pool in the environment; prints one JSON line.
 */
import { createPublicClient, http } from "viem";
import { audit, createHuzhuClient, fromViem } from "../sdk/src";

async function main() {
  const { HUZHU_AUDIT_URL, HUZHU_AUDIT_POOL, HUZHU_AUDIT_FACTORY, HUZHU_AUDIT_FROM, HUZHU_AUDIT_TO } = process.env;
  const publicClient = createPublicClient({ transport: http(HUZHU_AUDIT_URL!) });
  const client = createHuzhuClient({ connector: fromViem({ publicClient }), pool: HUZHU_AUDIT_POOL as `0x${string}` });
  const started = Date.now();
  const result = await audit(client, {
    factory: HUZHU_AUDIT_FACTORY as `0x${string}`,
    fromBlock: BigInt(HUZHU_AUDIT_FROM!),
    toBlock: BigInt(HUZHU_AUDIT_TO!),
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(
    JSON.stringify({
      passed: result.passed,
      failed: result.checks.filter((c) => !c.passed).map((c) => c.name),
      members: result.stats.members,
      events: result.stats.events,
      seconds,
      // Node reports the process's peak resident set size in kilobytes.
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
