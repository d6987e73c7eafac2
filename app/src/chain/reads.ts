/**
 * Every chain read of the app, in one place (so that they can move to Multicall3 together). The
 * board reads settlements and claims from the pool's events (one `eth_getLogs` per kind, filtered by
 * topic) and a handful of views; per-claim views go out as one JSON-RPC batch. Nothing reads per member.
 */
import {
  audit,
  ClaimState,
  createPoolEventDecoder,
  feeOn,
  isRangeRefusal,
  getClaim,
  getJuryDuties,
  getMemberStatement,
  getPool,
  getRound,
  nameOf,
  poolAbi,
  Verdict,
  type Address,
  type ClaimInfo,
  type HuzhuClientConfig,
  type LogEntry,
  type Hex,
  type PoolInfo,
  type RoundInfo,
} from "@huzhu/sdk";
import { erc20Abi, toEventSelector, type AbiEvent } from "viem";
import type { PublicClient } from "viem";

const selector = (name: string) =>
  toEventSelector(poolAbi.find((i) => i.type === "event" && i.name === name) as AbiEvent) as Hex;

/** One settle call ("part") of a period, as the `PeriodSettled` event and the auditor's report give it. */
export interface PeriodRow {
  period: bigint;
  part: bigint;
  claimsPaid: bigint;
  payouts: bigint;
  fee: bigint;
  members: bigint;
  share: bigint;
  surplusOut: bigint;
  deficitOut: bigint;
  closed: boolean;
  block: bigint;
}

export interface ClaimRow extends ClaimInfo {
  rounds: RoundInfo[];
  /** What was paid and in which period (from `ClaimPaid`). */
  paid?: { amount: bigint; period: bigint };
}

export interface Board {
  pool: PoolInfo;
  escrow: bigint;
  periods: PeriodRow[];
  claims: ClaimRow[];
  block: bigint;
  timestamp: bigint;
}

/**
 * The pool's events of the given kinds, filtered by topic: one `eth_getLogs` on a local node; on an
 * endpoint that refuses wide ranges, the range is halved until it answers (the SDK's `isRangeRefusal`).
 */
async function logsOf(client: HuzhuClientConfig, pool: Address, fromBlock: bigint, toBlock: bigint, names: string[]) {
  const decode = createPoolEventDecoder();
  const topics = [names.map(selector)];
  const logs: LogEntry[] = [];
  let range = toBlock - fromBlock + 1n;
  for (let from = fromBlock; from <= toBlock;) {
    const to = from + range - 1n < toBlock ? from + range - 1n : toBlock;
    try {
      logs.push(...(await client.connector.getLogs({ address: pool, fromBlock: from, toBlock: to, topics })));
      from = to + 1n;
    } catch (error) {
      if (!isRangeRefusal(error) || range === 1n) throw error;
      range = range / 2n;
    }
  }
  return logs.map((l) => decode(l)).filter((e) => e !== undefined);
}

/** The public board: rules, figures, every settlement part and every claim with its rounds. */
export async function readBoard(
  client: HuzhuClientConfig,
  publicClient: PublicClient,
  fromBlock: bigint,
): Promise<Board> {
  const pool = client.pool!;
  const block = await client.connector.getBlockNumber();
  const [info, timestamp, events] = await Promise.all([
    getPool(client),
    client.connector.getTimestamp(block),
    logsOf(client, pool, fromBlock, block, ["PeriodSettled", "ClaimPaid"]),
  ]);
  const escrow = await publicClient.readContract({
    address: info.token.address,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [pool],
  });
  const periods: PeriodRow[] = [];
  const paid = new Map<bigint, { amount: bigint; period: bigint }>();
  for (const e of events) {
    const a = e.args as Record<string, never>;
    if (e.name === "ClaimPaid") paid.set(a.claimId as bigint, { amount: a.paid, period: a.period });
    else
      periods.push({
        period: a.period,
        part: a.part,
        claimsPaid: a.claimsPaid,
        payouts: a.payouts,
        fee: a.fee,
        members: a.members,
        share: a.share,
        surplusOut: a.surplusOut,
        deficitOut: a.deficitOut,
        closed: a.closed,
        block: e.blockNumber,
      });
  }
  const ids = Array.from({ length: Number(info.claimCount) }, (_, i) => BigInt(i + 1));
  // Claims and their rounds: each view a call, all of them sent together (one HTTP batch).
  const claims = await Promise.all(
    ids.map(async (claimId) => {
      const c = await getClaim(client, { claimId });
      const rounds = await Promise.all(
        Array.from({ length: Number(c.round) + 1 }, (_, r) => getRound(client, { claimId, round: BigInt(r) })),
      );
      return { ...c, rounds, paid: paid.get(claimId) };
    }),
  );
  return { pool: info, escrow, periods, claims: claims.reverse(), block, timestamp };
}

export const readPool = (client: HuzhuClientConfig) => getPool(client);
export const readStatement = (client: HuzhuClientConfig, member: Address) => getMemberStatement(client, { member });
export const readDuties = (client: HuzhuClientConfig, account: Address, fromBlock: bigint) =>
  getJuryDuties(client, { account, fromBlock });
export const readClaim = (client: HuzhuClientConfig, claimId: bigint) => getClaim(client, { claimId });
export const readRound = (client: HuzhuClientConfig, claimId: bigint, round?: bigint) =>
  getRound(client, { claimId, round });
export const readTokenBalance = (publicClient: PublicClient, token: Address, account: Address) =>
  publicClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [account] });
export const readNow = async (client: HuzhuClientConfig) => client.connector.getTimestamp();

export interface HistoryRow {
  period: bigint;
  part: bigint;
  share: bigint;
  /** Each claim paid in this part, and this member's part of it (the share split pro rata over payouts and fees). */
  claims: Array<{ claimId: bigint; paid: bigint; memberPart: bigint }>;
}

/**
 * A member's history from events only: every settlement part while they were a member (joined, not
 * yet left), with the share and their part of each claim paid in it, as the auditor's statement.
 */
export async function readHistory(
  client: HuzhuClientConfig,
  member: Address,
  fromBlock: bigint,
): Promise<HistoryRow[]> {
  const pool = client.pool!;
  const block = await client.connector.getBlockNumber();
  const events = await logsOf(client, pool, fromBlock, block, [
    "MemberJoined",
    "MemberLeft",
    "ClaimSubmitted",
    "ClaimPaid",
    "PeriodSettled",
  ]);
  const me = member.toLowerCase();
  const feeBps = new Map<bigint, bigint>();
  const rows: HistoryRow[] = [];
  let pending: Array<{ claimId: bigint; paid: bigint }> = [];
  let inPool = false;
  for (const e of events) {
    const a = e.args as Record<string, never>;
    if (e.name === "MemberJoined" && (a.member as string).toLowerCase() === me) inPool = true;
    else if (e.name === "MemberLeft" && (a.member as string).toLowerCase() === me) inPool = false;
    else if (e.name === "ClaimSubmitted") feeBps.set(a.claimId, a.feeBps);
    // A part's payouts come just before its PeriodSettled, in the same settle call.
    else if (e.name === "ClaimPaid") pending.push({ claimId: a.claimId, paid: a.paid });
    else if (e.name === "PeriodSettled") {
      const share = a.share as bigint;
      const charged = (a.payouts as bigint) + (a.fee as bigint);
      if (inPool)
        rows.push({
          period: a.period,
          part: a.part,
          share,
          claims: pending.map((c) => ({
            ...c,
            memberPart: charged === 0n ? 0n : (share * (c.paid + feeOn(c.paid, feeBps.get(c.claimId) ?? 0n))) / charged,
          })),
        });
      pending = [];
    }
  }
  return rows;
}

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

export const claimStateName = (s: ClaimState) => nameOf(ClaimState, s);
export const verdictName = (v: Verdict) => nameOf(Verdict, v);
