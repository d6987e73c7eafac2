import type { HuzhuClientConfig } from "../clients/client";
import type { Connector, LogEntry } from "../clients/connector";
import type { Address } from "../core/types";
import { ClaimState, MemberStatus } from "../core/types";
import { erc20PermitAbi, factoryAbi, isRevert, poolAbi, poolOf, read } from "../internal/contract";
import { tokenFreeze, type TokenFreeze } from "../internal/token";
import { decodeEventLog } from "viem";
import { createPoolEventDecoder } from "./decode";
import { fetchLogs, type FetchProgress } from "./fetch";
import { PoolLedger, type AuditRules, type Discrepancy } from "./rebuild";

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
  /** Parallel view calls when comparing members with the chain (default 16). */
  concurrency?: number;
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
  ledger: PoolLedger;
  /**
   * What the token's issuer has done to the pool at the audited block, from the token's views
   * (`paused()`, `isBlacklisted(pool)`...; undefined when the token has no such view). A frozen pool
   * still passes when its figures add up: settlement goes on, payouts and balances stay owed.
   */
  tokenFreeze: TokenFreeze;
  checks: AuditCheck[];
  passed: boolean;
  stats: { events: number; seconds: number; eventsPerSecond: number; members: number };
}

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
 * Audits a pool from its events: rebuilds every member's charges and balance and every period's
 * apportionment with the SDK's own arithmetic, checks each event's figures against the rebuild,
 * then checks the chain's views and the escrow's token balance against it, to the base unit.
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
  const r = await rulesAtCreation(client, pool, params, toBlock);
  const rules: AuditRules = {
    feeBps: BigInt(r.feeBps),
    capPerMember: r.capPerMember,
    maxClaimsPerPeriod: BigInt(r.maxClaimsPerPeriod),
    quorum: BigInt(r.quorum),
    approvalThresholdBps: BigInt(r.approvalThresholdBps),
    annualChargeCap: r.annualChargeCap,
    periodLength: BigInt(r.periodLength),
    minBalance: r.minBalance,
  };
  const logs = [...(params.resume?.logs ?? [])];
  const start = params.resume?.nextBlock ?? fromBlock;
  if (start <= toBlock) {
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
  }

  const decode = createPoolEventDecoder();
  const ledger = new PoolLedger(rules);
  for (const log of logs) {
    const event = decode(log);
    if (event) ledger.apply(event);
  }
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

  const [memberCount, chargeIndex, carry, fees, symbol, decimals, held, block, freeze] = await Promise.all([
    read(client, pool, poolAbi, "memberCount", [], toBlock),
    read(client, pool, poolAbi, "chargeIndex", [], toBlock),
    read(client, pool, poolAbi, "carry", [], toBlock),
    read(client, pool, poolAbi, "feesAccrued", [], toBlock),
    read(client, r.asset, erc20PermitAbi, "symbol", [], toBlock),
    read(client, r.asset, erc20PermitAbi, "decimals", [], toBlock),
    read(client, r.asset, erc20PermitAbi, "balanceOf", [pool], toBlock),
    // Statuses depend on the clock: judge them by the audited block's time, not the latest.
    client.connector.getTimestamp(toBlock),
    tokenFreeze(client, r.asset, pool, toBlock),
  ]);
  const diff = (
    list: Discrepancy[],
    check: string,
    subject: string,
    expected: bigint | number | string,
    actual: bigint | number | string,
  ) => {
    if (String(expected) !== String(actual))
      list.push({ check, subject, expected: String(expected), actual: String(actual) });
  };

  const countDiffs: Discrepancy[] = [];
  diff(countDiffs, "member count", "pool", ledger.memberCount, memberCount);
  check("member count matches the events", "memberCount()", countDiffs);

  const memberDiffs: Discrepancy[] = [];
  await mapLimit([...ledger.members.values()], params.concurrency ?? 16, async (m) => {
    // One view gives both the balance and the status: one call per member.
    const { balance, status } = await read(client, pool, poolAbi, "member", [m.member], toBlock);
    diff(memberDiffs, "member balance", `member ${m.member}`, ledger.balanceOf(m), balance);
    const expected = m.status === MemberStatus.Waiting && block >= m.eligibleAt ? MemberStatus.Active : m.status;
    diff(memberDiffs, "member status", `member ${m.member}`, expected, status);
  });
  check("every member's balance and status match the events", `${ledger.members.size} members`, memberDiffs);

  const claimDiffs: Discrepancy[] = [];
  await mapLimit([...ledger.claims.values()], params.concurrency ?? 16, async (c) => {
    const state = Number(await read(client, pool, poolAbi, "state", [c.id], toBlock));
    const pending = c.state === ClaimState.Committing;
    const ok = pending ? state >= ClaimState.Committing && state <= ClaimState.Resolvable : state === c.state;
    if (!ok)
      claimDiffs.push({
        check: "claim state",
        subject: `claim ${c.id}`,
        expected: pending ? "pending" : String(c.state),
        actual: String(state),
      });
  });
  check("every claim's state matches the events", `${ledger.claims.size} claims`, claimDiffs);

  const periodDiffs: Discrepancy[] = [];
  await mapLimit(ledger.periods, params.concurrency ?? 16, async (p) => {
    const s = await read(client, pool, poolAbi, "settlement", [p.period], toBlock);
    for (const key of [
      "members",
      "payouts",
      "fee",
      "cut",
      "share",
      "surplusOut",
      "deficitOut",
      "chargeIndex",
    ] as const) {
      diff(periodDiffs, `settlement ${key}`, `period ${p.period}`, p[key], s[key]);
    }
  });
  check("every settlement's stored figures match the rebuild", `${ledger.periods.length} periods`, periodDiffs);

  const payoutDiffs: Discrepancy[] = [];
  await mapLimit([...ledger.payouts.keys()], params.concurrency ?? 16, async (account) => {
    diff(
      payoutDiffs,
      "payout due",
      `account ${account}`,
      ledger.payouts.get(account)!,
      await read(client, pool, poolAbi, "payoutOf", [account], toBlock),
    );
  });
  check("every payout due matches the events", `${ledger.payouts.size} accounts`, payoutDiffs);

  const poolDiffs: Discrepancy[] = [];
  diff(poolDiffs, "charge index", "pool", ledger.chargeIndex, chargeIndex);
  diff(poolDiffs, "surplus carried", "pool", ledger.surplus, carry[0]);
  diff(poolDiffs, "deficit carried", "pool", ledger.deficit, carry[1]);
  diff(poolDiffs, "fees accrued", "pool", ledger.fees, fees);
  check("charge index, carry and fees match the rebuild", "pool", poolDiffs);

  const escrowDiffs: Discrepancy[] = [];
  diff(escrowDiffs, "escrow balance", `token ${r.asset}`, ledger.expectedEscrowBalance(), held);
  check("the escrow holds exactly what the events say it owes", "token balance", escrowDiffs);

  checks[0].passed = checks[0].discrepancies.length === 0;
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
    tokenFreeze: freeze,
    checks,
    passed: checks.every((c) => c.passed),
    stats: {
      events: ledger.events,
      seconds,
      eventsPerSecond: ledger.events / Math.max(seconds, 1e-3),
      members: ledger.members.size,
    },
  };
}
