import type { HuzhuClientConfig } from "../clients/client";
import type { Connector, LogEntry } from "../clients/connector";
import type { Address, Hex } from "../core/types";
import { erc20PermitAbi, factoryAbi, findRevertData, isRevert, poolAbi, poolOf, read } from "../internal/contract";
import {
  multicallRead,
  readCall,
  type MulticallReadOptions,
  type ReadCall,
  type ReadResult,
} from "../internal/multicall";
import type { TokenFreeze } from "../internal/token";
import { decodeEventLog, getAbiItem, parseAbi, toEventSelector } from "viem";
import { checksumAddressesIn } from "../internal/abiCodec";
import { createPoolEventDecoder } from "./decode";
import { fetchLogs, type FetchProgress } from "./fetch";
import { poolLens, type LensMemberView, type LensReadOptions, type PoolLensReader } from "./lens";
import { PoolLedger, type AuditRules, type Discrepancy } from "./rebuild";
import { checkRecoveryDelays } from "./recoveryDelay";

export interface AuditParameters {
  pool?: Address;
  /** The factory that created the pool: its `PoolCreated` event gives the rules at creation. */
  factory?: Address;
  /** The first block to read (the pool's creation block); 0 by default. */
  fromBlock?: bigint;
  /** The block to audit at; the latest by default. */
  toBlock?: bigint;
  /** Blocks per log request at first (shrinks when the endpoint refuses). */
  blockRange?: bigint;
  /** Logs already fetched (from a checkpoint), covering `[fromBlock, resumeFrom - 1]`. */
  resume?: { logs: LogEntry[]; nextBlock: bigint };
  onProgress?: (progress: FetchProgress) => void;
  /** Called after each fetched range: save `{ logs, nextBlock }` to resume later. */
  onCheckpoint?: (checkpoint: { logs: LogEntry[]; nextBlock: bigint }) => void | Promise<void>;
  /** Parallel block-hash reads for the seed check (default 16). */
  concurrency?: number;
  /**
   * How the views are batched through Multicall3 (batch size, requests in flight, its address;
   * `multicallAddress: false` makes one call per view). Where Multicall3 has no code the auditor
   * falls back to single calls by itself.
   */
  multicall?: Omit<MulticallReadOptions, "blockNumber">;
  /**
   * Reads a block's hash, to check that every jury seed is the hash of its seed block (pools with the
   * default randomness). Without it the connector's `getBlockHash`, if it has one, is used; else the
   * check is reported as not run.
   */
  getBlockHash?: (blockNumber: bigint) => Promise<Hex>;
  /**
   * Member records and the juror set through the pool lens (contracts/lens/PoolLens.sol, run by
   * `eth_call` with a state override at the pool's address: thousands of members per call). On by
   * default where the endpoint runs it (one small call finds out); else, or with `false`, one
   * `member()` and one `jurorAt()` per member through Multicall3. The result's `views` says which.
   */
  lens?: false | Omit<LensReadOptions, "blockNumber">;
  /** Juror set positions compared with `jurorAt` (default: all; a number compares that many, spread evenly). */
  jurorPositions?: "all" | number;
  /** Compare every round of every claim with `round()` and `jury()` (default true). */
  checkRounds?: boolean;
}

export interface AuditCheck {
  name: string;
  passed: boolean;
  /** What was compared, e.g. "1,000 members". */
  scope: string;
  discrepancies: Discrepancy[];
}

export interface AuditResult {
  pool: Address;
  asset: Address;
  decimals: number;
  symbol: string;
  fromBlock: bigint;
  toBlock: bigint;
  /** The audited block's time: whether a waiting member is active yet is judged by it. */
  timestamp: bigint;
  /** The rebuild. Its accounts are in lower case (the checks and the reports print them checksummed). */
  ledger: PoolLedger;
  /** The pool has no identity verifier (roles.verifier is zero): anyone may join with any commitment. */
  openPool: boolean;
  /**
   * What the token's issuer has done to the pool at the audited block, from the token's views
   * (`paused()`, `isBlacklisted(pool)`...; undefined when the token has no such view). A frozen pool
   * still passes when its figures add up: settlement goes on, payouts and balances stay owed.
   */
  tokenFreeze: TokenFreeze;
  checks: AuditCheck[];
  passed: boolean;
  /** How the member records and the juror set were read: through the pool lens, or view by view (and why). */
  views: { lens: boolean; note: string };
  stats: { events: number; seconds: number; eventsPerSecond: number; members: number };
}

/** The views tokens answer with their issuer's freeze (as in `tokenFreeze`): USDC, Tether, simple tokens. */
const tokenViewsAbi = parseAbi([
  "function paused() view returns (bool)",
  "function isBlacklisted(address) view returns (bool)",
  "function isBlackListed(address) view returns (bool)",
  "function blacklisted(address) view returns (bool)",
]);

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(workers);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The connector with its reads retried, with exponential backoff, when they fail for any reason but
 * a revert (a 502, a dropped connection): one flaky answer must not sink an audit of thousands of
 * calls. Log queries are left alone: {@link fetchLogs} retries them and shrinks refused ranges.
 */
export function withReadRetries(connector: Connector, tries = 5, backoffMs = 200): Connector {
  const retry = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (attempt >= tries || isRevert(error)) throw error;
        await sleep(backoffMs * 2 ** (attempt - 1));
      }
    }
  };
  const wrapped: Connector = Object.create(connector);
  return Object.assign(wrapped, {
    call: (tx: Parameters<Connector["call"]>[0]) => retry(() => connector.call(tx)),
    getBlockNumber: () => retry(() => connector.getBlockNumber()),
    getTimestamp: (blockNumber?: bigint) => retry(() => connector.getTimestamp(blockNumber)),
  });
}

/** The pool's logs from `fromBlock` (or the checkpoint's next block) to `toBlock`, checkpointed as asked. */
async function fetchPoolLogs(
  client: HuzhuClientConfig,
  pool: Address,
  params: AuditParameters,
  fromBlock: bigint,
  toBlock: bigint,
): Promise<LogEntry[]> {
  const logs = [...(params.resume?.logs ?? [])];
  const start = params.resume?.nextBlock ?? fromBlock;
  if (start > toBlock) return logs;
  const fetched = await fetchLogs(client.connector, {
    address: pool,
    fromBlock: start,
    toBlock,
    initialRange: params.blockRange,
    onProgress: params.onProgress,
    onRange: async (to, rangeLogs) => {
      if (!params.onCheckpoint) return;
      logs.push(...rangeLogs);
      await params.onCheckpoint({ logs, nextBlock: to + 1n });
    },
  });
  if (!params.onCheckpoint) logs.push(...fetched);
  return logs;
}

async function rulesAtCreation(client: HuzhuClientConfig, pool: Address, params: AuditParameters, toBlock: bigint) {
  if (params.factory) {
    const logs = await fetchLogs(client.connector, {
      address: params.factory,
      fromBlock: params.fromBlock ?? 0n,
      toBlock,
    });
    for (const log of logs) {
      try {
        const e = decodeEventLog({ abi: factoryAbi, data: log.data, topics: log.topics as never });
        if (e.eventName === "PoolCreated" && e.args.pool.toLowerCase() === pool.toLowerCase()) return e.args.rules;
      } catch {
        // Not a PoolCreated log.
      }
    }
  }
  return read(client, pool, poolAbi, "rules", [], toBlock);
}

/**
 * Audits a v2 pool from its events: rebuilds every member's charges, penalties and balance, the juror
 * set, every jury draw, tally and appeal, and every settlement part's apportionment with the SDK's
 * own arithmetic, checks each event's figures against the rebuild, then checks the chain's views and
 * the escrow's token balance against it, to the base unit.
 *
 * @example
 * const result = await audit(client, { factory, fromBlock: deployment.factory.block, onProgress: console.log });
 * if (!result.passed) process.exitCode = 1;
 */
export async function audit(huzhuClient: HuzhuClientConfig, params: AuditParameters = {}): Promise<AuditResult> {
  const started = Date.now();
  const client: HuzhuClientConfig = { ...huzhuClient, connector: withReadRetries(huzhuClient.connector) };
  const pool = poolOf(client, params.pool);
  const toBlock = params.toBlock ?? (await client.connector.getBlockNumber());
  const fromBlock = params.fromBlock ?? 0n;
  const creation = Promise.all([
    rulesAtCreation(client, pool, params, toBlock),
    read(client, pool, poolAbi, "startedAt", [], toBlock),
    read(client, pool, poolAbi, "roles", [], toBlock),
  ]);
  // The pool's events are fetched meanwhile (they do not depend on the rules).
  const fetched = fetchPoolLogs(client, pool, params, fromBlock, toBlock);
  fetched.catch(() => undefined); // Awaited below; not an unhandled rejection meanwhile.
  const [r, startedAt, roles] = await creation;
  const rules: AuditRules = {
    pool,
    randomness: r.randomness,
    feeBps: BigInt(r.feeBps),
    capPerMember: r.capPerMember,
    maxClaimsPerPeriod: BigInt(r.maxClaimsPerPeriod),
    jurySize: BigInt(r.jurySize),
    maxAppealRounds: BigInt(r.maxAppealRounds),
    quorumBps: BigInt(r.quorumBps),
    approvalThresholdBps: BigInt(r.approvalThresholdBps),
    annualChargeCap: r.annualChargeCap,
    maxPayoutPerMember: r.maxPayoutPerMember,
    periodLength: BigInt(r.periodLength),
    commitWindow: BigInt(r.commitWindow),
    revealWindow: BigInt(r.revealWindow),
    appealWindow: BigInt(r.appealWindow),
    minBalance: r.minBalance,
    claimBond: r.claimBond,
    appealBond: r.appealBond,
    jurorPenalty: r.jurorPenalty,
    startedAt: BigInt(startedAt),
  };

  const concurrency = params.concurrency ?? 16;
  // Every view goes through Multicall3 (single calls where it is absent), at the audited block.
  const many = <R>(calls: Array<ReadCall<R>>) =>
    multicallRead(huzhuClient, calls, { ...params.multicall, blockNumber: toBlock }) as Promise<ReadResult<R>[]>;
  // The lens, where the endpoint runs it (asked once, beside the pool's figures), and the pool's
  // figures: asked while the events are still coming.
  const lensFound =
    params.lens === false
      ? Promise.resolve({ lens: undefined, reason: "the lens was turned off (lens: false)" } as const)
      : poolLens(huzhuClient, pool, { ...params.lens, blockNumber: toBlock });
  const figures = Promise.all([
    many<unknown>([
      readCall(pool, poolAbi, "memberCount", []),
      readCall(pool, poolAbi, "jurorCount", []),
      readCall(pool, poolAbi, "jurorHoles", []),
      readCall(pool, poolAbi, "chargeIndex", []),
      readCall(pool, poolAbi, "carry", []),
      readCall(pool, poolAbi, "feesAccrued", []),
      readCall(pool, poolAbi, "nextPeriodToSettle", []),
      readCall(pool, poolAbi, "nextPart", []),
      readCall(r.asset, erc20PermitAbi, "balanceOf", [pool]),
      readCall(r.asset, erc20PermitAbi, "symbol", []),
      readCall(r.asset, erc20PermitAbi, "decimals", []),
      // The token issuer's freeze, through whichever of these views the token has (see tokenFreeze).
      readCall(r.asset, tokenViewsAbi, "paused", []),
      readCall(r.asset, tokenViewsAbi, "isBlacklisted", [pool]),
      readCall(r.asset, tokenViewsAbi, "isBlackListed", [pool]),
      readCall(r.asset, tokenViewsAbi, "blacklisted", [pool]),
    ]),
    // Statuses and claim states depend on the clock: judge them by the audited block's time.
    client.connector.getTimestamp(toBlock),
    lensFound,
  ]);
  figures.catch(() => undefined); // Awaited below.
  // The juror set through the lens as soon as the chain says its size, while the events still come
  // (the node reads storage while this process parses and replays the logs).
  const chainJurors = figures.then(([scalars, , probe]) =>
    probe.lens && scalars[1].success ? probe.lens.jurors(Number(scalars[1].result as bigint)) : undefined,
  );
  chainJurors.catch(() => undefined); // Awaited below.
  const logs = await fetched;
  // Every account that joined, from the MemberJoined logs' first topic, and their records through the
  // lens while the events are replayed (the node reads storage while this process decodes).
  const early = lensFound.then((probe) => {
    if (!probe.lens) return undefined;
    const accounts = joinedAccounts(logs);
    return { accounts, views: probe.lens.members(accounts) };
  });
  early.then((e) => e?.views.catch(() => undefined)).catch(() => undefined); // Awaited below.

  // Accounts in lower case through the replay and the comparisons (no hashing); the checks' text
  // and the reports checksum the addresses they print.
  const decode = createPoolEventDecoder({ checksum: false });
  const ledger = new PoolLedger(rules);
  for (const log of logs) {
    const event = decode(log);
    if (event) ledger.apply(event);
  }
  ledger.finish();
  const checks: AuditCheck[] = [
    {
      name: "events agree with the rebuild",
      passed: true,
      scope: `${ledger.events} events`,
      discrepancies: [...ledger.discrepancies],
    },
  ];
  const check = (name: string, scope: string, discrepancies: Discrepancy[]) =>
    checks.push({ name, scope, discrepancies, passed: discrepancies.length === 0 });
  /** A call's result, or a discrepancy saying the view reverted (a tampered pool may). */
  const answer = <R>(r: ReadResult<R>, list: Discrepancy[], check: string, subject: string): R | undefined => {
    if (r.success) return r.result;
    list.push({ check, subject, expected: "an answer", actual: `reverted: ${r.error.shortMessage}` });
    return undefined;
  };

  const [scalars, block, lensProbe] = await figures;
  const lens = lensProbe.lens;
  const views = lens
    ? { lens: true, note: "member records and juror set read through the pool lens (eth_call state override)" }
    : { lens: false, note: `one member() and jurorAt() per member: ${lensProbe.reason}` };
  const required = scalars.slice(0, 11).find((x) => !x.success);
  if (required && !required.success) throw required.error;
  const value = (x: ReadResult<unknown>) => (x.success ? x.result : undefined);
  const [memberCount, jurorCount, jurorHoles, chargeIndex, carry, fees, nextPeriod, nextPart, held, symbol, decimals] =
    scalars.slice(0, 11).map(value) as [
      bigint,
      bigint,
      bigint,
      bigint,
      readonly [bigint, bigint],
      bigint,
      bigint,
      bigint,
      bigint,
      string,
      number,
    ];
  const freeze: TokenFreeze = {
    paused: value(scalars[11]) as boolean | undefined,
    blacklisted: scalars
      .slice(12)
      .map(value)
      .find((x) => x !== undefined) as boolean | undefined,
  };
  const diff = (
    list: Discrepancy[],
    check: string,
    subject: string,
    expected: bigint | number | string | boolean,
    actual: bigint | number | string | boolean,
  ) => {
    if (String(expected).toLowerCase() !== String(actual).toLowerCase())
      list.push({ check, subject, expected: String(expected), actual: String(actual) });
  };

  const countDiffs: Discrepancy[] = [];
  diff(countDiffs, "member count", "pool", ledger.memberCount, memberCount);
  check("member count matches the events", "memberCount()", countDiffs);

  // The juror set, position by position, as the rebuild keeps it (a notice leaves a hole, a join fills the last one).
  const jurorDiffs: Discrepancy[] = [];
  diff(jurorDiffs, "juror count", "pool", ledger.jurors.size, jurorCount);
  diff(jurorDiffs, "juror set holes", "pool", ledger.jurors.holeCount, jurorHoles);
  const size = ledger.jurors.size;
  let positions = Array.from({ length: size }, (_, i) => i);
  const wanted = params.jurorPositions ?? "all";
  if (wanted !== "all" && wanted < size) {
    positions = Array.from({ length: wanted }, (_, i) => Math.floor((i * size) / wanted));
    if (size > 0) positions.push(size - 1);
  }
  const members = [...ledger.members.values()];
  const claims = [...ledger.claims.values()];
  const rounds = params.checkRounds === false ? [] : claims.flatMap((c) => c.rounds.map((round) => ({ c, round })));
  const payees = [...ledger.payouts.keys()];
  const yearPayees = rules.maxPayoutPerMember > 0n ? [...ledger.yearPayouts.entries()] : [];
  const jurorCalls = lens ? [] : positions.map((i) => readCall(pool, poolAbi, "jurorAt", [BigInt(i)]));
  const memberCalls = lens ? [] : members.map((m) => readCall(pool, poolAbi, "member", [m.member]));
  const claimCalls = claims.map((c) => readCall(pool, poolAbi, "claim", [c.id]));
  const roundCalls = rounds.map(({ c, round }) => readCall(pool, poolAbi, "round", [c.id, round.round]));
  const juryCalls = rounds.map(({ c, round }) => readCall(pool, poolAbi, "jury", [c.id, round.round]));
  const settlementCalls = ledger.periods.map((p) => readCall(pool, poolAbi, "settlement", [p.period, p.part]));
  const payoutCalls = payees.map((account) => readCall(pool, poolAbi, "payoutOf", [account]));
  const yearCalls = yearPayees.map(([account]) => readCall(pool, poolAbi, "paidThisYear", [account as Address]));
  // Every view in one reader: one batch size that adapts once, and a single-threaded node is not
  // flooded by readers side by side (their requests queue up and time out).
  // Block hashes for the seed check, read beside the views.
  const connectorHash = (client.connector as { getBlockHash?: (n: bigint) => Promise<Hex> }).getBlockHash;
  const blockHash = params.getBlockHash ?? connectorHash?.bind(client.connector);
  const hashes = new Map<bigint, Hex>();
  const hashesRead = blockHash
    ? mapLimit([...new Set(ledger.seeds.map((s) => s.seedBlock))], concurrency, async (n) => {
        hashes.set(n, await blockHash(n));
      })
    : Promise.resolve();
  hashesRead.catch(() => undefined); // Awaited below.
  // The rebuild's members on notice or flagged: their exit bound and lapse time are read whatever
  // the chain's record says (the lens reads them anyway where the record is on notice or flagged).
  const noticed = new Set(members.filter((m) => m.flagged || m.exitBound !== 0n).map((m) => m.member.toLowerCase()));
  const [viewResults, lensMembers, lensJurors] = await Promise.all([
    many<unknown>([
      ...jurorCalls,
      ...memberCalls,
      ...claimCalls,
      ...roundCalls,
      ...juryCalls,
      ...settlementCalls,
      ...payoutCalls,
      ...yearCalls,
    ]),
    lens
      ? membersThroughLens(
          lens,
          members.map((m) => m.member),
          noticed,
          early,
        )
      : undefined,
    lens ? jurorsThroughLens(lens, size, chainJurors) : undefined,
  ]);
  let taken = 0;
  const part = <R>(calls: Array<ReadCall<R>>) =>
    viewResults.slice(taken, (taken += calls.length)) as Array<ReadResult<R>>;
  const jurorViews = lensJurors ? positions.map((i) => lensJurors[i]) : part(jurorCalls);
  const memberViews: Array<ReadResult<LensMemberView>> = lensMembers ?? part(memberCalls);
  const claimViews = part(claimCalls);
  const roundViews = part(roundCalls);
  const juryViews = part(juryCalls);
  const settlementViews = part(settlementCalls);
  const payoutViews = part(payoutCalls);
  const yearViews = part(yearCalls);

  positions.forEach((i, k) => {
    const onChain = answer(jurorViews[k], jurorDiffs, "juror at position", `position ${i}`);
    if (onChain !== undefined) diff(jurorDiffs, "juror at position", `position ${i}`, ledger.jurors.at(i)!, onChain);
  });
  check("the juror set matches the events, in order", `${positions.length} of ${size} positions`, jurorDiffs);

  const memberDiffs: Discrepancy[] = [];
  members.forEach((m, k) => {
    // One view gives every figure: one call per member.
    const s = `member ${m.member}`;
    const v = answer(memberViews[k], memberDiffs, "member view", s);
    if (!v) return;
    diff(memberDiffs, "member balance", s, ledger.balanceOf(m), v.balance);
    diff(memberDiffs, "member status", s, ledger.statusAt(m, block), v.status);
    diff(memberDiffs, "member credit", s, m.credit, v.credit);
    diff(memberDiffs, "member charged", s, ledger.chargedOf(m), v.charged);
    diff(memberDiffs, "member eligible at", s, m.eligibleAt, v.eligibleAt);
    // The lens reads the flag from the record; member() shows it as a lapse time.
    diff(memberDiffs, "member flagged", s, m.flagged, v.flagged ?? v.lapsableAt !== 0n);
    // Read where the pool reads them (a member on notice or flagged, by the chain or the rebuild).
    if (v.exitClaimBound !== undefined) diff(memberDiffs, "member exit bound", s, m.exitBound, v.exitClaimBound);
    if (v.lapsableAt !== undefined) diff(memberDiffs, "member lapsable at", s, m.lapsableAt, v.lapsableAt);
  });
  check("every member's balance, status and flags match the events", `${ledger.members.size} members`, memberDiffs);

  const claimDiffs: Discrepancy[] = [];
  claims.forEach((c, k) => {
    const s = `claim ${c.id}`;
    const v = answer(claimViews[k], claimDiffs, "claim view", s);
    if (!v) return;
    diff(claimDiffs, "claim state", s, ledger.claimStateAt(c, block), v.state);
    diff(claimDiffs, "claimant", s, c.claimant, v.claimant);
    diff(claimDiffs, "claim amount", s, c.amount, v.amount);
    diff(claimDiffs, "claim bond", s, c.bond, v.bond);
    diff(claimDiffs, "claim fee rate", s, c.feeBps, v.feeBps);
    diff(claimDiffs, "claim round", s, c.rounds.length - 1, v.round);
    diff(claimDiffs, "claim verdict", s, c.verdict, v.verdict);
    diff(claimDiffs, "pending appellant", s, c.pendingAppeal?.appellant ?? ZERO, v.appellant);
    diff(claimDiffs, "claim resolves at", s, c.resolvesAt, v.resolvesAt);
  });
  const roundDiffs: Discrepancy[] = [];
  rounds.forEach(({ c, round: r }, k) => {
    const rs = `claim ${c.id} round ${r.round}`;
    const rv = answer(roundViews[k], roundDiffs, "round view", rs);
    const jury = answer(juryViews[k], roundDiffs, "jury view", rs);
    if (rv) {
      diff(roundDiffs, "seed block", rs, r.seedBlock, rv.seedBlock);
      diff(roundDiffs, "set size", rs, r.setSize, rv.setSize);
      diff(roundDiffs, "seats target", rs, r.target, rv.seatsTarget);
      diff(roundDiffs, "seats", rs, r.jurors.length, rv.seats);
      diff(roundDiffs, "quorum", rs, r.quorum, rv.quorum);
      diff(roundDiffs, "approvals", rs, r.approvals, rv.approvals);
      diff(roundDiffs, "rejections", rs, r.rejections, rv.rejections);
      diff(roundDiffs, "re-anchors", rs, r.reanchors, rv.reanchors);
      diff(roundDiffs, "drawn", rs, r.drawn, rv.drawn);
      diff(roundDiffs, "tallied", rs, r.tallied, rv.tallied);
    }
    if (jury) diff(roundDiffs, "jury", rs, r.jurors.join(" "), jury.join(" "));
  });
  check("every claim's state, verdict and appeal match the events", `${ledger.claims.size} claims`, claimDiffs);
  check("every jury round and its seats match the events", `${rounds.length} rounds`, roundDiffs);

  // Seeds: with the default randomness, each is the hash of its seed block.
  const seedDiffs: Discrepancy[] = [];
  if (ledger.seeds.length > 0 || blockHash) {
    if (blockHash) {
      await hashesRead;
      for (const s of ledger.seeds)
        diff(
          seedDiffs,
          "jury seed is the seed block's hash",
          `claim ${s.claimId} round ${s.round}`,
          hashes.get(s.seedBlock)!,
          s.seed,
        );
      check("every jury seed is the hash of its seed block", `${ledger.seeds.length} draws`, seedDiffs);
    } else {
      checks.push({
        name: "every jury seed is the hash of its seed block",
        scope: `not run: no way to read block hashes (pass getBlockHash); ${ledger.seeds.length} draws`,
        passed: true,
        discrepancies: [],
      });
    }
  }

  if (ledger.recoveries.length > 0)
    check(
      "every recovery waited its 30-day delay",
      `${ledger.recoveries.length} recoveries`,
      await checkRecoveryDelays(ledger.recoveries, (n) => client.connector.getTimestamp(n), concurrency),
    );

  const periodDiffs: Discrepancy[] = [];
  ledger.periods.forEach((p, k) => {
    const subject = `period ${p.period} part ${p.part}`;
    const s = answer(settlementViews[k], periodDiffs, "settlement view", subject);
    if (!s) return;
    diff(periodDiffs, "settlement members", subject, p.members, s.members);
    diff(periodDiffs, "settlement claims paid", subject, p.claims.length, s.claimsPaid);
    diff(periodDiffs, "settlement share", subject, p.share, s.share);
    diff(periodDiffs, "settlement chargeIndex", subject, p.chargeIndex, s.chargeIndex);
    diff(periodDiffs, "settlement closed", subject, p.closed, s.closed);
  });
  diff(periodDiffs, "next period to settle", "pool", ledger.nextPeriod, nextPeriod);
  diff(periodDiffs, "next part", "pool", ledger.nextPart, nextPart);
  check("every settlement part's stored figures match the rebuild", `${ledger.periods.length} parts`, periodDiffs);

  const payoutDiffs: Discrepancy[] = [];
  payees.forEach((account, k) => {
    const due = answer(payoutViews[k], payoutDiffs, "payout due", `account ${account}`);
    if (due !== undefined) diff(payoutDiffs, "payout due", `account ${account}`, ledger.payouts.get(account)!, due);
  });
  if (rules.maxPayoutPerMember > 0n) {
    const year = (block - rules.startedAt) / (365n * 86_400n);
    yearPayees.forEach(([account, rec], k) => {
      const paid = answer(yearViews[k], payoutDiffs, "paid this pool year", `account ${account}`);
      if (paid !== undefined)
        diff(payoutDiffs, "paid this pool year", `account ${account}`, rec.year === year ? rec.paid : 0n, paid);
    });
  }
  check("every payout due matches the events", `${ledger.payouts.size} accounts`, payoutDiffs);

  const poolDiffs: Discrepancy[] = [];
  diff(poolDiffs, "charge index", "pool", ledger.chargeIndex, chargeIndex);
  diff(poolDiffs, "surplus carried", "pool", ledger.surplus, carry[0]);
  diff(poolDiffs, "deficit carried", "pool", ledger.deficit, carry[1]);
  diff(poolDiffs, "fees accrued", "pool", ledger.fees, fees);
  check("charge index, carry and fees match the rebuild", "pool", poolDiffs);

  const escrowDiffs: Discrepancy[] = [];
  diff(escrowDiffs, "escrow balance", `token ${r.asset}`, ledger.expectedEscrowBalance(), held);
  check(
    "the escrow holds exactly what the events say it owes",
    "members + payouts + fees + claim bonds + appeal bonds + surplus - deficit",
    escrowDiffs,
  );

  checks[0].passed = checks[0].discrepancies.length === 0;
  for (const c of checks)
    c.discrepancies = c.discrepancies.map((d) => ({
      check: d.check,
      subject: checksumAddressesIn(d.subject),
      expected: checksumAddressesIn(d.expected),
      actual: checksumAddressesIn(d.actual),
    }));
  const seconds = (Date.now() - started) / 1000;
  return {
    pool,
    asset: r.asset,
    symbol,
    decimals,
    fromBlock,
    toBlock,
    timestamp: block,
    ledger,
    openPool: BigInt(roles.verifier) === 0n,
    tokenFreeze: freeze,
    checks,
    passed: checks.every((c) => c.passed),
    views,
    stats: {
      events: ledger.events,
      seconds,
      eventsPerSecond: ledger.events / Math.max(seconds, 1e-3),
      members: ledger.members.size,
    },
  };
}

const ZERO = "0x0000000000000000000000000000000000000000";

const MEMBER_JOINED = toEventSelector(getAbiItem({ abi: poolAbi, name: "MemberJoined" }));

/** The accounts of every MemberJoined log (its first indexed topic), once each, in lower case. */
function joinedAccounts(logs: readonly LogEntry[]): Address[] {
  const accounts = new Set<string>();
  for (const log of logs)
    if (log.topics[0]?.toLowerCase() === MEMBER_JOINED && log.topics[1])
      accounts.add(`0x${log.topics[1].slice(26).toLowerCase()}`);
  return [...accounts] as Address[];
}

/**
 * The rebuild's members' views through the lens: those read early (every account that joined), the
 * rest (wallets a recovery moved a membership to) now, and the exit bound and lapse time of those the
 * rebuild has on notice or flagged, where the early read did not take them already.
 */
async function membersThroughLens(
  lens: PoolLensReader,
  accounts: readonly Address[],
  noticed: ReadonlySet<string>,
  early: Promise<{ accounts: Address[]; views: Promise<Array<ReadResult<LensMemberView>>> } | undefined>,
): Promise<Array<ReadResult<LensMemberView>>> {
  const first = await early;
  const earlyAccounts = first?.accounts ?? [];
  const earlyViews = first ? await first.views : [];
  const at = new Map(earlyAccounts.map((a, i) => [a.toLowerCase(), i]));
  const missing = accounts.filter((a) => !at.has(a.toLowerCase()));
  const [late] = await Promise.all([
    missing.length > 0 ? lens.members(missing, noticed) : Promise.resolve([]),
    lens.readNotices(
      earlyAccounts,
      earlyViews,
      earlyAccounts.flatMap((a, i) => (noticed.has(a.toLowerCase()) ? [i] : [])),
    ),
  ]);
  const lateAt = new Map(missing.map((a, i) => [a.toLowerCase(), i]));
  return accounts.map((a) => {
    const k = a.toLowerCase();
    const i = at.get(k);
    return i !== undefined ? earlyViews[i] : late[lateAt.get(k)!];
  });
}

/**
 * The juror set's positions `0 .. size - 1` through the lens: those read early (as many as the
 * chain's `jurorCount()`), and any past them the rebuild has (a tampered count).
 */
async function jurorsThroughLens(
  lens: PoolLensReader,
  size: number,
  early: Promise<Array<ReadResult<Address>> | undefined>,
): Promise<Array<ReadResult<Address>>> {
  const read = (await early) ?? [];
  if (read.length >= size) return read;
  const rest = await lens.jurors(size);
  return [...read, ...rest.slice(read.length)];
}
