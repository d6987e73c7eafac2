import type { HuzhuClientConfig } from "../clients/client";
import type { Address } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, read } from "../internal/contract";
import { fetchPoolEvents } from "../internal/logs";

export interface GetUnderfundedMembersParameters {
  pool?: Address;
  /** First block to scan (the pool's deployment block); 0 by default. */
  fromBlock?: bigint;
  /** Blocks per `eth_getLogs` request (default 5,000). */
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
  const events = await fetchPoolEvents(client, pool, {
    fromBlock: params.fromBlock,
    blockRange: params.blockRange,
    names: ["MemberJoined", "MemberExitRequested", "MemberLapsing", "MemberLeft"],
    onProgress: (scanned, total) =>
      params.onProgress?.({ stage: "events", done: Number(scanned), total: Number(total) }),
  });
  const counted = new Set<Address>();
  for (const e of events) {
    const member = (e.args as { member: Address }).member;
    if (e.eventName === "MemberJoined") counted.add(member);
    else counted.delete(member);
  }
  const { minBalance } = await read(client, pool, poolAbi, "rules", []);
  const result: GetUnderfundedMembersReturnType = [];
  let done = 0;
  for (const member of counted) {
    const m = await read(client, pool, poolAbi, "member", [member]);
    if (m.balance < BigInt(minBalance))
      result.push({ member, balance: m.balance, minBalance, lapsableAt: m.lapsableAt });
    params.onProgress?.({ stage: "balances", done: ++done, total: counted.size });
  }
  return result;
}
