import { encodeEventTopics, type ContractEventName } from "viem";
import type { HuzhuClientConfig } from "../clients/client";
import type { Address, Hex } from "../core/types";
import { createPoolEventDecoder } from "../audit/decode";
import { fetchLogs, type FetchProgress } from "../audit/fetch";
import { poolAbi } from "./contract";

export interface PoolEvent {
  eventName: ContractEventName<typeof poolAbi>;
  args: Record<string, unknown>;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
}

/**
 * Fetches and decodes a pool's events (all, or those named) with the auditor's fetcher: ranges
 * halved when the endpoint refuses and grown back slowly, other failures retried.
 */
export async function fetchPoolEvents(
  client: HuzhuClientConfig,
  pool: Address,
  options: {
    fromBlock?: bigint;
    toBlock?: bigint;
    /** Blocks per request at first and at most (default 5,000). */
    blockRange?: bigint;
    names?: Array<ContractEventName<typeof poolAbi>>;
    /** Called after each answered range. */
    onProgress?: (progress: FetchProgress) => void;
  },
): Promise<PoolEvent[]> {
  const toBlock = options.toBlock ?? (await client.connector.getBlockNumber());
  const topics = options.names
    ? [options.names.map((eventName) => encodeEventTopics({ abi: poolAbi, eventName } as never)[0] as Hex)]
    : undefined;
  const logs = await fetchLogs(client.connector, {
    address: pool,
    fromBlock: options.fromBlock ?? 0n,
    toBlock,
    topics,
    initialRange: options.blockRange ?? 5_000n,
    onProgress: options.onProgress,
  });
  const decode = createPoolEventDecoder();
  const events: PoolEvent[] = [];
  for (const log of logs) {
    const decoded = decode(log);
    if (!decoded) continue;
    events.push({
      eventName: decoded.name as ContractEventName<typeof poolAbi>,
      args: decoded.args,
      blockNumber: log.blockNumber,
      logIndex: log.logIndex,
      transactionHash: log.transactionHash,
    });
  }
  return events;
}
