import type { HuzhuClientConfig } from "../clients/client";
import type { Address } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, read } from "../internal/contract";
import { fetchPoolEvents } from "../internal/logs";
import { multicallRead, readCall } from "../internal/multicall";

export interface GetUnderfundedMembersParameters {
  pool?: Address;
  /** First block to scan (the pool's deployment block); 0 by default. */
  fromBlock?: bigint;
  /** Blocks per `eth_getLogs` request at first and at most (default 5,000; halved when refused). */
  blockRange?: bigint;
  /** Reports progress: blocks scanned, then balances read (for a progress bar). */
  onProgress?: (progress: UnderfundedScanProgress) => void;
}
export interface UnderfundedScanProgress {
  stage: "events" | "balances";
  done: number;
  total: number;
}
export type GetUnderfundedMembersReturnType = Array<{
  member: Address;
  balance: bigint;
  minBalance: bigint;
  /** When the member may be lapsed: 0 when not flagged yet (`flag` first, or `lapseBatch`). */
  lapsableAt: bigint;
}>;
export type GetUnderfundedMembersErrorType = HuzhuError;

/**
 * Lists the Waiting and Active members below the minimum balance: the membership comes from the
 * pool's events (joins minus exit requests, lapses and leaves), the balances from the chain. These
 * are the members a keeper may flag, and lapse once their grace is over (`lapseBatch` does both).
 * @example
 * const due = await getUnderfundedMembers(client, { fromBlock: deployment.blocks.factory });
 */
export async function getUnderfundedMembers(
  client: HuzhuClientConfig,
  params: GetUnderfundedMembersParameters = {},
): Promise<GetUnderfundedMembersReturnType> {
  const pool = poolOf(client, params.pool);
  // Events and balances at one block, so that a join after the scan is not read half-way.
  const toBlock = await client.connector.getBlockNumber();
  const fromBlock = params.fromBlock ?? 0n;
  const events = await fetchPoolEvents(client, pool, {
    fromBlock,
    toBlock,
    blockRange: params.blockRange,
    names: ["MemberJoined", "MemberExitRequested", "MemberLapsing", "MemberLeft"],
    onProgress: (p) =>
      params.onProgress?.({
        stage: "events",
        done: Number(p.block - fromBlock + 1n),
        total: Number(toBlock - fromBlock + 1n),
      }),
  });
  const counted = new Set<Address>();
  for (const e of events) {
    const member = (e.args as { member: Address }).member;
    if (e.eventName === "MemberJoined") counted.add(member);
    else counted.delete(member);
  }
  const { minBalance } = await read(client, pool, poolAbi, "rules", [], toBlock);
  const members = [...counted];
  // One batch of `member()` views through Multicall3 (single calls where it is absent).
  const views = await multicallRead(
    client,
    members.map((member) => readCall(pool, poolAbi, "member", [member], { allowFailure: false })),
    {
      blockNumber: toBlock,
      onProgress: (p) => params.onProgress?.({ stage: "balances", done: p.done, total: p.total }),
    },
  );
  const result: GetUnderfundedMembersReturnType = [];
  views.forEach((view, i) => {
    if (!view.success) return;
    const m = view.result;
    if (m.balance < BigInt(minBalance))
      result.push({ member: members[i], balance: m.balance, minBalance, lapsableAt: m.lapsableAt });
  });
  return result;
}
