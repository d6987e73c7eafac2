import { decodeEventLog, encodeEventTopics, type ContractEventName } from "viem";
import type { HuzhuClientConfig } from "../clients/client";
import type { Address, Hex } from "../core/types";
import { poolAbi } from "./contract";

export interface PoolEvent {
  eventName: ContractEventName<typeof poolAbi>;
  args: Record<string, unknown>;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
}

/** Fetches and decodes a pool's events in block ranges (simple; the auditor has the resilient fetcher). */
export async function fetchPoolEvents(
  client: HuzhuClientConfig,
  pool: Address,
  options: {
    fromBlock?: bigint;
    toBlock?: bigint;
    blockRange?: bigint;
    names?: Array<ContractEventName<typeof poolAbi>>;
    /** Called after each block range with the blocks scanned so far and in all. */
    onProgress?: (scanned: bigint, total: bigint) => void;
  },
): Promise<PoolEvent[]> {
  const toBlock = options.toBlock ?? (await client.connector.getBlockNumber());
  const range = options.blockRange ?? 5_000n;
  const topics = options.names
    ? [options.names.map((eventName) => encodeEventTopics({ abi: poolAbi, eventName } as never)[0] as Hex)]
    : undefined;
  const events: PoolEvent[] = [];
  const first = options.fromBlock ?? 0n;
  const total = toBlock >= first ? toBlock - first + 1n : 0n;
  for (let from = first; from <= toBlock; from += range) {
    const to = from + range - 1n < toBlock ? from + range - 1n : toBlock;
    for (const log of await client.connector.getLogs({ address: pool, fromBlock: from, toBlock: to, topics })) {
      const decoded = decodeEventLog({ abi: poolAbi, data: log.data, topics: log.topics as never });
      events.push({
        eventName: decoded.eventName,
        args: decoded.args as unknown as Record<string, unknown>,
        blockNumber: log.blockNumber,
        logIndex: log.logIndex,
        transactionHash: log.transactionHash,
      });
    }
    options.onProgress?.(to - first + 1n, total);
  }
  return events;
}
