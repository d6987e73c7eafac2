/**
 * Every chain read of the app, in one place. Views go through the SDK's `multicallRead`: batched in
 * Multicall3's `aggregate3` where the chain has it (one `eth_call` for a whole list), one call each
 * where it does not (learned once per connector). The board reads settlements, claims and
 * recoveries from the pool's events (one `eth_getLogs` per read, filtered by topic) and its views in
 * a few multicalls. Nothing reads per member.
 */
import {
  ClaimState,
  createPoolEventDecoder,
  feeOn,
  isRangeRefusal,
  getJuryDuties,
  multicallViews,
  getMemberStatement,
  getPool,
  nameOf,
  poolAbi,
  readCall,
  Verdict,
  type Address,
  type ClaimInfo,
  type HuzhuClientConfig,
  type LogEntry,
  type Hex,
  type MemberStatement,
  type PoolInfo,
  type ReadCall,
  type RoundInfo,
} from "@huzhu/sdk";
import { erc20Abi, toEventSelector, type AbiEvent } from "viem";

const selector = (name: string) =>
  toEventSelector(poolAbi.find((i) => i.type === "event" && i.name === name) as AbiEvent) as Hex;

const ZERO = "0x0000000000000000000000000000000000000000";

/** Connectors whose chain has no Multicall3: learned from the first read, then single calls at once. */
const withoutMulticall = new WeakSet<object>();

/**
 * View calls through the SDK's `multicallRead` (Multicall3, else single calls), every one required:
 * a failed call throws its typed error. Returns each call's decoded result, in order.
 */
export async function views<const calls extends readonly ReadCall[]>(
  client: Pick<HuzhuClientConfig, "connector">,
  calls: calls,
  blockNumber?: bigint,
): Promise<{ -readonly [K in keyof calls]: calls[K] extends ReadCall<infer R> ? R : never }> {
  const { connector } = client;
  return multicallViews(client, calls, {
    blockNumber,
    multicallAddress: withoutMulticall.has(connector) ? false : undefined,
    onProgress: (p) => {
      if (!p.multicall) withoutMulticall.add(connector);
    },
  });
}

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
  /** Who is paid the approved payout (`payeeOf`: the named payee, else the claimant). */
  payee: Address;
  /** What was paid and in which period (from `ClaimPaid`). */
  paid?: { amount: bigint; period: bigint };
}

/** A recovery waiting for its delay, as `RecoveryRequested` announced it and `recoveryOf` still shows it. */
export interface PendingRecovery {
  member: Address;
  newWallet: Address;
  commitment: Hex;
  byVerifier: boolean;
  readyAt: bigint;
}

export interface Board {
  pool: PoolInfo;
  escrow: bigint;
  periods: PeriodRow[];
  claims: ClaimRow[];
  recoveries: PendingRecovery[];
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

/** The pool's rules, roles, figures and token (the SDK's `getPool`: two multicalls). */
export const readPool = (client: HuzhuClientConfig, blockNumber?: bigint): Promise<PoolInfo> =>
  getPool(client, { blockNumber });

const claimInfo = (id: bigint, c: Omit<ClaimInfo, "id" | "stateName" | "verdictName">): ClaimInfo => ({
  ...c,
  id,
  state: c.state as ClaimState,
  stateName: nameOf(ClaimState, c.state),
  verdict: c.verdict as Verdict,
  verdictName: nameOf(Verdict, c.verdict),
});

/** Claims with their payees and every round's tally and jury: two multicalls for any number of claims. */
async function readClaims(client: HuzhuClientConfig, ids: bigint[], blockNumber?: bigint) {
  const pool = client.pool!;
  const [claims, payees] = await Promise.all([
    views(
      client,
      ids.map((id) => readCall(pool, poolAbi, "claim", [id])),
      blockNumber,
    ),
    views(
      client,
      ids.map((id) => readCall(pool, poolAbi, "payeeOf", [id])),
      blockNumber,
    ),
  ]);
  const rounds = ids.flatMap((claimId, i) =>
    Array.from({ length: Number(claims[i].round) + 1 }, (_, r) => ({ claimId, round: BigInt(r) })),
  );
  const [tallies, juries] = await Promise.all([
    views(
      client,
      rounds.map((r) => readCall(pool, poolAbi, "round", [r.claimId, r.round])),
      blockNumber,
    ),
    views(
      client,
      rounds.map((r) => readCall(pool, poolAbi, "jury", [r.claimId, r.round])),
      blockNumber,
    ),
  ]);
  const byClaim = new Map<bigint, RoundInfo[]>();
  rounds.forEach((r, k) => {
    const list = byClaim.get(r.claimId) ?? [];
    list.push({ ...r, ...tallies[k], jurors: [...juries[k]] as Address[] });
    byClaim.set(r.claimId, list);
  });
  return ids.map((id, i) => ({
    ...claimInfo(id, claims[i] as never),
    payee: payees[i] as Address,
    rounds: byClaim.get(id) ?? [],
  }));
}

/** The public board: rules, figures, every settlement part, every claim with its rounds, pending recoveries. */
export async function readBoard(client: HuzhuClientConfig, fromBlock: bigint): Promise<Board> {
  const pool = client.pool!;
  const block = await client.connector.getBlockNumber();
  const [info, timestamp, events] = await Promise.all([
    readPool(client, block),
    client.connector.getTimestamp(block),
    logsOf(client, pool, fromBlock, block, [
      "PeriodSettled",
      "ClaimPaid",
      "RecoveryRequested",
      "RecoveryCancelled",
      "RecoveryCompleted",
    ]),
  ]);
  const periods: PeriodRow[] = [];
  const paid = new Map<bigint, { amount: bigint; period: bigint }>();
  const requested = new Map<string, PendingRecovery>();
  for (const e of events) {
    const a = e.args as Record<string, never>;
    if (e.name === "ClaimPaid") paid.set(a.claimId as bigint, { amount: a.paid, period: a.period });
    else if (e.name === "RecoveryRequested")
      requested.set((a.member as string).toLowerCase(), {
        member: a.member,
        newWallet: a.newWallet,
        commitment: a.commitment,
        byVerifier: a.byVerifier,
        readyAt: a.readyAt,
      });
    else if (e.name === "RecoveryCancelled" || e.name === "RecoveryCompleted")
      requested.delete((a.member as string).toLowerCase());
    else if (e.name === "PeriodSettled")
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
  const asked = [...requested.values()];
  const [claims, [escrow], states] = await Promise.all([
    readClaims(client, ids, block),
    views(client, [readCall(info.token.address, erc20Abi, "balanceOf", [pool])], block),
    // The events say what was asked; the pool says what is still pending.
    views(
      client,
      asked.map((r) => readCall(pool, poolAbi, "recoveryOf", [r.member])),
      block,
    ),
  ]);
  const recoveries = asked
    .map((r, i) => ({ ...r, newWallet: states[i].newWallet as Address, readyAt: states[i].readyAt }))
    .filter((r) => r.readyAt !== 0n);
  return {
    pool: info,
    escrow,
    periods,
    claims: claims.map((c) => ({ ...c, paid: paid.get(c.id) })).reverse(),
    recoveries,
    block,
    timestamp,
  };
}

/** A member's beneficiary, recovery settings and pending recovery (as the SDK's `getRecovery`). */
export interface RecoveryState {
  beneficiary: Address | null;
  recoveryAddress: Address | null;
  verifierRecoveryOff: boolean;
  pending: { newWallet: Address; readyAt: bigint; byVerifier: boolean } | null;
}

const orNull = (a: string) => (a === ZERO ? null : (a as Address));
const recoveryState = (v: {
  beneficiary: string;
  recoveryAddress: string;
  verifierRecoveryOff: boolean;
  newWallet: string;
  readyAt: bigint;
  byVerifier: boolean;
}): RecoveryState => ({
  beneficiary: orNull(v.beneficiary),
  recoveryAddress: orNull(v.recoveryAddress),
  verifierRecoveryOff: v.verifierRecoveryOff,
  pending:
    v.readyAt === 0n ? null : { newWallet: v.newWallet as Address, readyAt: v.readyAt, byVerifier: v.byVerifier },
});

/** A wallet's statement (the SDK's `getMemberStatement`: one multicall) and its recovery state. */
export async function readStatement(
  client: HuzhuClientConfig,
  member: Address,
): Promise<MemberStatement & { recovery: RecoveryState }> {
  const [statement, [recovery]] = await Promise.all([
    getMemberStatement(client, { member }),
    views(client, [readCall(client.pool!, poolAbi, "recoveryOf", [member])]),
  ]);
  return { ...statement, recovery: recoveryState(recovery) };
}

/** Who holds the membership of an identity commitment now, and its recovery state (zero: none). */
export async function readCommitment(
  client: HuzhuClientConfig,
  commitment: Hex,
): Promise<{ owner: Address | null; recovery?: RecoveryState }> {
  const pool = client.pool!;
  const [owner] = await views(client, [readCall(pool, poolAbi, "commitmentOwner", [commitment])]);
  if (owner === ZERO) return { owner: null };
  const [r] = await views(client, [readCall(pool, poolAbi, "recoveryOf", [owner])]);
  return { owner: owner as Address, recovery: recoveryState(r) };
}

export async function readClaim(client: HuzhuClientConfig, claimId: bigint) {
  const [claim] = await readClaims(client, [claimId]);
  return claim;
}

export const readTokenBalance = async (client: HuzhuClientConfig, token: Address, account: Address) =>
  (await views(client, [readCall(token, erc20Abi, "balanceOf", [account])]))[0];
export const readDuties = (client: HuzhuClientConfig, account: Address, fromBlock: bigint) =>
  getJuryDuties(client, { account, fromBlock });
export const readNow = async (client: HuzhuClientConfig) => client.connector.getTimestamp();

/** A wallet's own settings, recoveries, withdrawals to others and claims paying it, from events (newest first). */
export interface ActivityRow {
  name:
    | "BeneficiarySet"
    | "RecoveryOptionsSet"
    | "RecoveryRequested"
    | "RecoveryCancelled"
    | "RecoveryCompleted"
    | "MemberWithdrewTo"
    | "ClaimPayeeNamed";
  block: bigint;
  args: Record<string, unknown>;
}

const ACTIVITY = [
  "BeneficiarySet",
  "RecoveryOptionsSet",
  "RecoveryRequested",
  "RecoveryCancelled",
  "RecoveryCompleted",
  "MemberWithdrewTo",
  "ClaimPayeeNamed",
] as const;

export async function readActivity(client: HuzhuClientConfig, member: Address, fromBlock: bigint) {
  const block = await client.connector.getBlockNumber();
  const me = member.toLowerCase();
  const is = (v: unknown) => String(v).toLowerCase() === me;
  const events = await logsOf(client, client.pool!, fromBlock, block, [...ACTIVITY]);
  return events
    .filter((e) => {
      const a = e.args as Record<string, unknown>;
      switch (e.name) {
        // A hospital or a relative sees the claims that pay them.
        case "ClaimPayeeNamed":
          return is(a.payee);
        case "RecoveryRequested":
        case "RecoveryCancelled":
        case "RecoveryCompleted":
          return is(a.member) || is(a.newWallet);
        default:
          return is(a.member);
      }
    })
    .map((e) => ({ name: e.name, block: e.blockNumber, args: e.args as Record<string, unknown> }) as ActivityRow)
    .reverse();
}

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
    "RecoveryCompleted",
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
    // A completed recovery moves the membership from the lost wallet to the new one.
    else if (e.name === "RecoveryCompleted") {
      if ((a.member as string).toLowerCase() === me) inPool = false;
      if ((a.newWallet as string).toLowerCase() === me) inPool = true;
    } else if (e.name === "ClaimSubmitted") feeBps.set(a.claimId, a.feeBps);
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

export const claimStateName = (s: ClaimState) => nameOf(ClaimState, s);
export const verdictName = (v: Verdict) => nameOf(Verdict, v);
