import { audit, type Address, type HuzhuClientConfig } from "@huzhu/sdk";
import type { PublicClient } from "viem";

/**
 * In a module of its own, imported by the audit page only: with the SDK built from its sources
 * (vite.config.ts), the auditor's code then loads with that page, not with the board.
 */
/** The SDK's auditor over the page's RPC; it checks every jury seed against its block's hash. */
export const readAudit = (
  client: HuzhuClientConfig,
  publicClient: PublicClient,
  params: {
    factory?: Address;
    fromBlock: bigint;
    onProgress?: (p: { block: bigint; toBlock: bigint; logs: number }) => void;
  },
) =>
  audit(client, {
    factory: params.factory,
    fromBlock: params.fromBlock,
    getBlockHash: async (blockNumber) => (await publicClient.getBlock({ blockNumber })).hash,
    onProgress: params.onProgress,
  });
