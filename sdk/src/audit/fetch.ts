import type { Connector, LogEntry, LogFilter } from "../clients/connector";
import type { Address } from "../core/types";
import { HuzhuError } from "../errors/base";
import { AdaptiveSize } from "../internal/adaptive";

export interface FetchProgress {
  fromBlock: bigint;
  toBlock: bigint;
  /** The last block fetched so far. */
  block: bigint;
  logs: number;
  logsPerSecond: number;
  blocksPerSecond: number;
  /** Blocks in the request just answered: the fetcher's range, clipped at `toBlock` for the last one. */
  range: bigint;
  /** Blocks the fetcher will ask next: halved on a refusal, then grown back slowly. */
  nextRange: bigint;
  /** Requests the endpoint refused as too wide so far. */
  refusals: number;
}

export interface FetchLogsOptions {
  address: Address;
  fromBlock: bigint;
  toBlock: bigint;
  /**
   * Blocks asked per request at first and at most (default 10,000); halved when refused, then grown
   * back a quarter at a time, up to just below the range last refused (see {@link AdaptiveSize}).
   */
  initialRange?: bigint;
  /**
   * Logs wanted per answer (default 1,000): after a larger answer the range shrinks in proportion,
   * then grows back. Large answers cost some clients dearly (ethers v6 copies a response's whole
   * body at every chunk it reads: 15 s for 11,000 logs in one answer).
   */
  targetLogs?: number;
  /** Only logs with these topics (e.g. `[[selectorA, selectorB]]`: any of these events); all by default. */
  topics?: LogFilter["topics"];
  /** Tries of one range before giving up on a failure that is not a refusal (default 5). */
  retries?: number;
  /** First backoff in milliseconds, doubled on each retry (default 200). */
  backoffMs?: number;
  onProgress?: (progress: FetchProgress) => void;
  /** Called after each fetched range with the logs of that range: a checkpoint hook. */
  onRange?: (toBlock: bigint, logs: LogEntry[]) => void | Promise<void>;
}

/** The endpoint answered that the range is too large (too many results, too many blocks). */
export function isRangeRefusal(error: unknown): boolean {
  const text = JSON.stringify(error, (_k, v) => (typeof v === "bigint" ? v.toString() : v)) + String(error);
  return /more than \d+ results|query returned more than|block range|range (is )?too (large|wide)|limit exceeded|too many (results|blocks|logs)|-32005|exceed/i.test(
    text,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Fetches every log of `address` in `[fromBlock, toBlock]`, in ranges. A refused range is halved and
 * asked again, and the range grows back slowly after answers, staying below the width last refused
 * (an endpoint with a fixed cap refuses about one request in 64, not every other one); any other
 * failure is retried with exponential backoff. Logs come back in chain order.
 */
export async function fetchLogs(connector: Connector, options: FetchLogsOptions): Promise<LogEntry[]> {
  const retries = options.retries ?? 5;
  const backoffMs = options.backoffMs ?? 200;
  const range = new AdaptiveSize(Number(options.initialRange ?? 10_000n));
  const targetLogs = options.targetLogs ?? 1_000;
  const all: LogEntry[] = [];
  const started = Date.now();
  let from = options.fromBlock;
  while (from <= options.toBlock) {
    const asked = BigInt(range.current);
    const to = from + asked - 1n < options.toBlock ? from + asked - 1n : options.toBlock;
    let logs: LogEntry[] | undefined;
    for (let attempt = 0; logs === undefined; attempt++) {
      try {
        logs = await connector.getLogs({
          address: options.address,
          fromBlock: from,
          toBlock: to,
          topics: options.topics,
        });
      } catch (error) {
        if (isRangeRefusal(error) && to > from) break;
        if (attempt + 1 >= retries) {
          throw new HuzhuError(`Could not fetch logs of blocks ${from}-${to} after ${retries} tries.`, {
            cause: error,
          });
        }
        await sleep(backoffMs * 2 ** attempt);
      }
    }
    if (logs === undefined) {
      range.refused(Number(to - from + 1n));
      continue;
    }
    // A range clipped at the end says nothing about wider ones.
    if (to - from + 1n === asked) range.answered(Number(asked));
    if (logs.length > targetLogs) range.limit((Number(to - from + 1n) * targetLogs) / logs.length);
    all.push(...logs);
    await options.onRange?.(to, logs);
    const seconds = Math.max((Date.now() - started) / 1000, 1e-3);
    options.onProgress?.({
      fromBlock: options.fromBlock,
      toBlock: options.toBlock,
      block: to,
      logs: all.length,
      logsPerSecond: all.length / seconds,
      blocksPerSecond: Number(to - options.fromBlock + 1n) / seconds,
      range: to - from + 1n,
      nextRange: BigInt(range.current),
      refusals: range.refusals,
    });
    from = to + 1n;
  }
  all.sort((a, b) =>
    a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
  );
  return all;
}
