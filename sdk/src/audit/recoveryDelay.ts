import type { Discrepancy, RecoveryLedger } from "./rebuild";

/** The pool's recovery delay: 30 days, a constant of the code (`Recovery.DELAY`). */
export const RECOVERY_DELAY = 30n * 86_400n;

/**
 * Checks, from the times of the blocks that hold them, that every recovery waited its delay: each
 * request's `readyAt` is its block's time plus `RECOVERY_DELAY`, and each completion's block is no
 * earlier than `readyAt`. Only the blocks of `RecoveryRequested` and `RecoveryCompleted` events are
 * read (recoveries are rare), `concurrency` at a time.
 */
export async function checkRecoveryDelays(
  recoveries: readonly RecoveryLedger[],
  getTimestamp: (blockNumber: bigint) => Promise<bigint>,
  concurrency = 16,
): Promise<Discrepancy[]> {
  const blocks = new Set<bigint>();
  for (const r of recoveries) {
    blocks.add(r.requestedBlock);
    if (r.outcome === "completed" && r.endedBlock !== undefined) blocks.add(r.endedBlock);
  }
  const times = new Map<bigint, bigint>();
  const queue = [...blocks];
  const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
    for (let n = queue.pop(); n !== undefined; n = queue.pop()) times.set(n, await getTimestamp(n));
  });
  await Promise.all(workers);

  const found: Discrepancy[] = [];
  for (const r of recoveries) {
    const subject = `recovery of ${r.member} to ${r.newWallet} (block ${r.requestedBlock})`;
    const expectedReady = times.get(r.requestedBlock)! + RECOVERY_DELAY;
    if (r.readyAt !== expectedReady)
      found.push({
        check: "recovery ready 30 days after its request",
        subject,
        expected: expectedReady.toString(),
        actual: r.readyAt.toString(),
      });
    if (r.outcome !== "completed" || r.endedBlock === undefined) continue;
    const completedAt = times.get(r.endedBlock)!;
    if (completedAt < expectedReady || completedAt < r.readyAt)
      found.push({
        check: "recovery completed after its delay",
        subject,
        expected: `at or after ${expectedReady > r.readyAt ? expectedReady : r.readyAt}`,
        actual: `completed at ${completedAt} (block ${r.endedBlock})`,
      });
  }
  return found;
}
