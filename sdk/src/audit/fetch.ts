import type { Connector, LogEntry } from "../clients/connector";
import type { Address } from "../core/types";
import { HuzhuError } from "../errors/base";

export interface FetchProgress {
  fromBlock: bigint;
  toBlock: bigint;
  /** The last block fetched so far. */
  block: bigint;
  logs: number;
  logsPerSecond: number;
  blocksPerSecond: number;
  /** The range the fetcher is using now (it shrinks when the endpoint refuses). */
  range: bigint;
}

export interface FetchLogsOptions {
  address: Address;
  fromBlock: bigint;
  toBlock: bigint;
  /** Blocks asked per request at first (default 10,000); halved when refused, regrown after successes. */
  initialRange?: bigint;
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
 * asked again; any other failure is retried with exponential backoff. Logs come back in chain order.
 */
export async function fetchLogs(connector: Connector, options: FetchLogsOptions): Promise<LogEntry[]> {
  const retries = options.retries ?? 5;
  const backoffMs = options.backoffMs ?? 200;
  const maxRange = options.initialRange ?? 10_000n;
  let range = maxRange;
  const all: LogEntry[] = [];
  const started = Date.now();
  let from = options.fromBlock;
  while (from <= options.toBlock) {
    const to = from + range - 1n < options.toBlock ? from + range - 1n : options.toBlock;
    let logs: LogEntry[] | undefined;
    for (let attempt = 0; logs === undefined; attempt++) {
      try {
        logs = await connector.getLogs({ address: options.address, fromBlock: from, toBlock: to });
      } catch (error) {
        if (isRangeRefusal(error) && range > 1n) break;
        if (attempt + 1 >= retries) {
          throw new HuzhuError(`Could not fetch logs of blocks ${from}-${to} after ${retries} tries.`, {
            cause: error,
          });
        }
        await sleep(backoffMs * 2 ** attempt);
      }
    }
    if (logs === undefined) {
      range = range / 2n > 0n ? range / 2n : 1n;
      continue;
    }
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
      range,
    });
    from = to + 1n;
    // Regrow after a success, so that one dense stretch does not slow the rest.
    if (range < maxRange) range = range * 2n > maxRange ? maxRange : range * 2n;
  }
  all.sort((a, b) =>
    a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
  );
  return all;
}
