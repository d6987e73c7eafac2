/**
 * The keeper service: a loop that watches pools and does every duty anyone may do, so that no pool
 * stalls: settle ended periods (part after part, in order), draw juries once their seed block
 * exists (re-anchoring an aged-out seed), tally rounds whose reveal window is over, resolve claims
 * past their timetable (in id order), complete served exits, and flag and lapse unfunded members in
 * batches. Never what only a member may do.
 *
 * Everything it must know comes from the chain: a pool's events are read once from its creation
 * block at start and then only for the blocks since the last cycle, plus a handful of views per pool
 * per cycle, so a cycle's reads do not grow with the member count, and a restart repeats nothing.
 *
 * Several keepers may run at once: every transaction is simulated (`eth_call`, then gas estimation)
 * just before it is sent, a duty found done by someone else is logged as `skipped`, and a standby
 * keeper (`standbyMs`) only acts on a duty that has stayed due that long, so that keepers do not pay
 * for the same duty in the same block.
 */
import type { JsonRpcProvider, Wallet } from "ethers";
import pino from "pino";
import { decodeFunctionResult, encodeEventTopics, encodeFunctionData, getAddress } from "viem";
import { completeExit } from "../actions/completeExit";
import { drawJury } from "../actions/drawJury";
import { lapseBatch } from "../actions/lapseBatch";
import { resolve } from "../actions/resolve";
import { settle } from "../actions/settle";
import { tally } from "../actions/tally";
import { factoryAbi } from "../abi/generated";
import type { HuzhuClientConfig } from "../clients/client";
import type { Connector, TxReceipt } from "../clients/connector";
import { fromEthers } from "../clients/ethers";
import { ClaimState, ClaimStateNames, MemberStatus } from "../core/enums.generated";
import type { Address, Hex, Rules } from "../core/types";
import { HuzhuError } from "../errors/base";
import { JurySeedNotReadyError } from "../errors/generated";
import {
  RpcRequestError,
  RpcUnavailableError,
  TransactionDroppedError,
  TransactionRevertedError,
  TransactionTimeoutError,
  classifyRpcFailure,
} from "../errors/transaction";
import { poolAbi, read, toSdkError } from "../internal/contract";
import { multicallRead, readCall, type ReadResult } from "../internal/multicall";
import { retryUnavailable } from "../internal/retry";
import { createKeeperMetrics, type DutyKind, type DutyOutcome, type KeeperMetrics } from "./metrics";
import { PoolState, decodePoolLogs } from "./state";

/** A pool to watch and the block it was created in (where its history starts). */
/**
 * What the keeper logs through: the part of pino's logger it uses (a pino logger fits). Declared
 * here so that pino's own types (and, through them, newer Node.js typings) stay out of the SDK's.
 */
export interface KeeperLogger {
  info(objOrMessage: unknown, message?: string): void;
  warn(objOrMessage: unknown, message?: string): void;
  error(objOrMessage: unknown, message?: string): void;
  debug(objOrMessage: unknown, message?: string): void;
  child(bindings: Record<string, unknown>): KeeperLogger;
}

export interface WatchedPool {
  address: Address;
  block: bigint;
}

export interface KeeperOptions {
  /** The keeper's account: an ethers `Wallet` on a `JsonRpcProvider` (it pays the gas). */
  wallet: Wallet;
  /** Pools to watch (e.g. those of a deployments file). */
  pools?: WatchedPool[];
  /** Watch every pool this factory ever created (and those it creates while the keeper runs). */
  factory?: WatchedPool;
  /** Pause between cycles when nothing was due (default 5,000 ms). After work, the next cycle starts at once. */
  intervalMs?: number;
  /**
   * How long a duty must have been seen due before this keeper does it (default 0: at once). Give a
   * backup keeper a standby of a few blocks' time, so that keepers do not race for the same duty.
   */
  standbyMs?: number;
  /** Send nothing while the gas price (max fee per gas) is above this, in wei; undefined: no ceiling. */
  maxGasPriceWei?: bigint;
  /** `/health` reports not ready when the keeper lags the head by more blocks than this (default 5). */
  maxLagBlocks?: number;
  /** Longest pause after failed cycles (the pause doubles from `intervalMs`; default 30,000 ms). */
  maxBackoffMs?: number;
  /** Block range of one `eth_getLogs` while reading history (default 5,000). */
  blockRange?: bigint;
  /** Members per `lapseBatch` transaction (default 100). */
  lapseBatchSize?: number;
  /**
   * Gas limit above the estimate, in basis points (default 2,500: +25%). A settlement mined a little
   * later than estimated may close more ended periods than the estimate saw.
   */
  gasMarginBps?: number;
  /** How long to wait for a receipt (default: the SDK's 3 minutes). */
  receiptTimeoutMs?: number;
  logger?: KeeperLogger;
  metrics?: KeeperMetrics;
  /** Called just before a duty is sent (after this keeper decided to do it); for tests and tracing. */
  beforeSend?: (duty: { pool: Address; kind: DutyKind; key: string }) => Promise<void>;
}

/** What `/health` reports. */
export interface KeeperHealth {
  ready: boolean;
  /** Whether the node answered `eth_blockNumber` just now (within 2 s). */
  chainAnswers: boolean;
  /** The head the node reported just now (else the last one seen). */
  head: string | null;
  /** Blocks between that head and the last block whose events the keeper processed. */
  lagBlocks: number | null;
  lastCycleOk: boolean;
  lastCycleAgeMs: number | null;
  consecutiveFailures: number;
  pools: number;
  error?: string;
}

interface Duty {
  pool: Address;
  kind: DutyKind;
  /** Identifies the duty across cycles (standby timing, logs). */
  key: string;
  fields: Record<string, unknown>;
  /** Sends the transaction(s); resolves with the receipts. */
  run(): Promise<TxReceipt[]>;
  /** Whether the duty is still due on chain (after a failed attempt: skipped if not). */
  stillDue(): Promise<boolean>;
}

interface PoolWatch {
  address: Address;
  /** The last block whose events are applied. */
  seen: bigint;
  rules: Rules;
  startedAt: bigint;
  state: PoolState;
  client: HuzhuClientConfig;
}

export interface Keeper {
  /** Runs cycles until `stop()`; resolves once the current step is finished. */
  start(): Promise<void>;
  /** Asks the loop to stop after the current step (a transaction in flight is waited for). */
  stop(): void;
  /** Runs one cycle (what `start` repeats); resolves with the number of duties sent. */
  cycle(): Promise<number>;
  /** Asks the node for its head (2 s at most) and reports readiness: the chain answers, the lag is small, cycles run. */
  health(): Promise<KeeperHealth>;
  readonly metrics: KeeperMetrics;
  readonly logger: KeeperLogger;
  /** The keeper's account. */
  readonly address: Address;
}

const ON_NOTICE = new Set<number>([MemberStatus.Exiting, MemberStatus.Lapsing]);

/** Whether an error means the node did not answer (retry the cycle later), not that a duty failed. */
function isUnavailable(error: unknown): boolean {
  if (error instanceof RpcUnavailableError) return true;
  if (error instanceof RpcRequestError) return classifyRpcFailure(error.cause) === "unavailable";
  return !(error instanceof HuzhuError) && classifyRpcFailure(error) === "unavailable";
}

const messageOf = (error: unknown) =>
  error instanceof HuzhuError ? error.shortMessage : error instanceof Error ? error.message : String(error);

/**
 * The ethers connector, signing with a gas limit `marginBps` above the node's estimate: the state a
 * keeper's transaction meets when mined may need more gas than the estimate's (a settlement that
 * closes one more ended period), and an out-of-gas revert is a transaction wasted.
 */
function withGasMargin(connector: Connector, wallet: Wallet, marginBps: number): Connector {
  const provider = wallet.provider!;
  return {
    ...connector,
    async signTransaction(tx, nonce) {
      const [network, estimate, fees] = await Promise.all([
        retryUnavailable(() => provider.getNetwork()),
        retryUnavailable(() => provider.estimateGas({ from: wallet.address, to: tx.to, data: tx.data })),
        retryUnavailable(() => provider.getFeeData()),
      ]);
      const pricing =
        fees.maxFeePerGas !== null && fees.maxPriorityFeePerGas !== null
          ? { type: 2, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas }
          : { type: 0, gasPrice: fees.gasPrice };
      return (await wallet.signTransaction({
        from: wallet.address,
        to: tx.to,
        data: tx.data,
        nonce,
        gasLimit: (estimate * BigInt(10_000 + marginBps)) / 10_000n,
        chainId: network.chainId,
        ...pricing,
      })) as Hex;
    },
  };
}

/** Creates a keeper (not started): see {@link KeeperOptions}, and `runKeeper` for the service with HTTP. */
export function createKeeper(options: KeeperOptions): Keeper {
  const { wallet } = options;
  const provider = wallet.provider as JsonRpcProvider | null;
  if (!provider) throw new HuzhuError("The keeper's wallet has no provider: connect it to a JsonRpcProvider.");
  if (!options.pools?.length && !options.factory) throw new HuzhuError("Give the keeper pools or a factory to watch.");
  const address = getAddress(wallet.address) as Address;
  const intervalMs = options.intervalMs ?? 5_000;
  const standbyMs = options.standbyMs ?? 0;
  const maxLagBlocks = options.maxLagBlocks ?? 5;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const blockRange = options.blockRange ?? 5_000n;
  const lapseBatchSize = options.lapseBatchSize ?? 100;
  const logger: KeeperLogger = options.logger ?? pino({ name: "huzhu-keeper" });
  const metrics = options.metrics ?? createKeeperMetrics();
  const connector = withGasMargin(fromEthers(wallet), wallet, options.gasMarginBps ?? 2_500);
  const base: HuzhuClientConfig = { connector, receiptTimeoutMs: options.receiptTimeoutMs };

  const watches = new Map<Address, PoolWatch>();
  let factoryBlock = options.factory ? options.factory.block - 1n : -1n;
  let head: bigint | undefined;
  let lastCycleAt: number | undefined;
  let lastCycleOk = false;
  let lastError: string | undefined;
  let failures = 0;
  let stopping = false;
  let wake: (() => void) | undefined;
  /** When each duty was first seen due (for the standby). */
  const dueSince = new Map<string, number>();
  /** Set after a send whose fate is unknown: wait until the account has nothing pending. */
  let uncertain = false;

  const logs = (target: Address, fromBlock: bigint, toBlock: bigint) =>
    retryUnavailable(() => connector.getLogs({ address: target, fromBlock, toBlock }));

  /** Every log of `target` in `fromBlock..toBlock`, in ranges of `blockRange`. */
  async function logsInRanges(target: Address, fromBlock: bigint, toBlock: bigint) {
    const all = [];
    for (let from = fromBlock; from <= toBlock; from += blockRange) {
      const to = from + blockRange - 1n < toBlock ? from + blockRange - 1n : toBlock;
      all.push(...(await logs(target, from, to)));
    }
    return all;
  }

  async function addPool(pool: WatchedPool): Promise<void> {
    const poolAddress = getAddress(pool.address) as Address;
    if (watches.has(poolAddress)) return;
    const client = { ...base, pool: poolAddress };
    const [rulesRead, startedRead] = await multicallRead(client, [
      readCall(poolAddress, poolAbi, "rules", [], { allowFailure: false }),
      readCall(poolAddress, poolAbi, "startedAt", [], { allowFailure: false }),
    ]);
    if (!rulesRead.success || !startedRead.success) throw new HuzhuError(`pool ${poolAddress}: rules unreadable`);
    const [rules, startedAt] = [rulesRead.result, startedRead.result];
    const state = new PoolState(rules as unknown as Rules);
    watches.set(poolAddress, {
      address: poolAddress,
      seen: pool.block - 1n,
      rules: rules as unknown as Rules,
      startedAt,
      state,
      client,
    });
    metrics.pools.set(watches.size);
    logger.info({ pool: poolAddress, fromBlock: pool.block.toString() }, "watching pool");
  }

  async function discoverPools(to: bigint): Promise<void> {
    if (!options.factory || factoryBlock >= to) return;
    const found = await logsInRanges(options.factory.address, factoryBlock + 1n, to);
    for (const log of found) {
      if (log.topics[0] !== POOL_CREATED_TOPIC || !log.topics[1]) continue;
      await addPool({ address: getAddress(`0x${log.topics[1].slice(26)}`) as Address, block: log.blockNumber });
    }
    factoryBlock = to;
  }

  /** Applies the pool's events since the last cycle, up to block `to`. */
  async function refresh(w: PoolWatch, to: bigint) {
    if (w.seen < to) {
      const fresh = await logsInRanges(w.address, w.seen + 1n, to);
      w.state.apply(decodePoolLogs(fresh));
      w.seen = to;
    }
  }

  /**
   * The two views a cycle needs of every pool, at block `at` (the block its events were read to),
   * in one Multicall3 request for all pools (one call each where Multicall3 is absent).
   */
  async function cycleViews(pools: PoolWatch[], at: bigint) {
    const answers = await multicallRead(
      base,
      pools.flatMap((w) => [
        readCall(w.address, poolAbi, "nextPeriodToSettle", [], { allowFailure: false }),
        readCall(w.address, poolAbi, "paymentQueue", [], { allowFailure: false }),
      ]),
      { blockNumber: at },
    );
    return pools.map((_, i) => {
      const period = answers[2 * i] as ReadResult<bigint>;
      const queue = answers[2 * i + 1] as ReadResult<readonly [bigint, bigint]>;
      // Not reached: calls that may not fail throw their error.
      if (!period.success || !queue.success) throw new HuzhuError("a pool view failed");
      const [queueLength, queueHead] = queue.result;
      return { nextPeriod: period.result, queueLength, queueHead };
    });
  }

  /** A view call of a state-changing function from the keeper's account, decoded (for `lapseBatch`'s counts). */
  async function dryRun(pool: Address, functionName: "lapseBatch", args: readonly [readonly Address[]]) {
    const data = encodeFunctionData({ abi: poolAbi, functionName, args });
    try {
      const result = await retryUnavailable(() => connector.call({ to: pool, data, from: address }));
      return decodeFunctionResult({ abi: poolAbi, functionName, data: result }) as readonly [bigint, bigint];
    } catch (error) {
      throw toSdkError(error);
    }
  }

  /** The duties of a pool due now, in the order they must be done. */
  function plan(
    w: PoolWatch,
    views: { nextPeriod: bigint; queueLength: bigint; queueHead: bigint },
    now: bigint,
    block: bigint,
  ): { claims: Duty[]; members: Duty[] } {
    const { state, address: pool, client } = w;
    const claims: Duty[] = [];
    const members: Duty[] = [];
    const claimStateIs = async (id: bigint, expected: number) =>
      Number(await read(client, pool, poolAbi, "state", [id])) === expected;

    let resolvable = 0n;
    for (const c of state.claims.values()) {
      const s = state.claimState(c, now);
      if (s === ClaimState.Drawing && block > c.seedBlock) {
        claims.push({
          pool,
          kind: "drawJury",
          key: `${pool}:drawJury:${c.id}:${c.round}:${c.seedBlock}`,
          fields: { claimId: c.id.toString(), round: c.round.toString() },
          run: async () => [(await drawJury(client, { claimId: c.id })).receipt],
          stillDue: () => claimStateIs(c.id, ClaimState.Drawing),
        });
      } else if (s === ClaimState.Tallying) {
        claims.push({
          pool,
          kind: "tally",
          key: `${pool}:tally:${c.id}:${c.round}`,
          fields: { claimId: c.id.toString(), round: c.round.toString() },
          run: async () => [(await tally(client, { claimId: c.id })).receipt],
          stillDue: () => claimStateIs(c.id, ClaimState.Tallying),
        });
      } else if (s === ClaimState.Resolvable && c.id > resolvable) resolvable = c.id;
    }
    if (resolvable > 0n) {
      claims.push({
        pool,
        kind: "resolve",
        key: `${pool}:resolve:${resolvable}`,
        fields: { upTo: resolvable.toString(), from: state.nextToResolve.toString() },
        run: async () => [await resolve(client, { claimId: resolvable })],
        stillDue: async () => (await read(client, pool, poolAbi, "nextClaimToResolve", [])) <= resolvable,
      });
    }
    const period = views.nextPeriod;
    const end = w.startedAt + (period + 1n) * BigInt(w.rules.periodLength);
    if (end <= now) {
      claims.push({
        pool,
        kind: "settle",
        key: `${pool}:settle:${period}`,
        fields: { period: period.toString() },
        run: async () => [(await settle(client, { period })).receipt],
        stillDue: async () => (await read(client, pool, poolAbi, "nextPeriodToSettle", [])) === period,
      });
    }

    // Exits are served once every claim below the bound is final and paid.
    for (const member of state.notice) {
      const { exitBound } = state.members.get(member)!;
      const served = state.nextToResolve >= exitBound && (views.queueLength === 0n || views.queueHead >= exitBound);
      if (!served) continue;
      members.push({
        pool,
        kind: "completeExit",
        key: `${pool}:completeExit:${member}`,
        fields: { member },
        run: async () => [await completeExit(client, { member })],
        stillDue: async () => ON_NOTICE.has(Number(await read(client, pool, poolAbi, "statusOf", [member]))),
      });
    }

    // Flags and lapses: the underfunded prefix of the index, not a scan of every member.
    const underfunded = state.underfunded();
    metrics.underfunded.set({ pool }, underfunded.length);
    const due = underfunded
      .filter(({ entry }) => entry.lapsableAt === 0n || entry.lapsableAt <= now)
      .map(({ member }) => member);
    for (let i = 0; i < due.length; i += lapseBatchSize) {
      const batch = due.slice(i, i + lapseBatchSize);
      const doable = async () => {
        const [flagged, lapsed] = await dryRun(pool, "lapseBatch", [batch]);
        return flagged + lapsed > 0n;
      };
      members.push({
        pool,
        kind: "lapseBatch",
        key: `${pool}:lapseBatch:${batch.join(",")}`,
        fields: { members: batch.length, first: batch[0] },
        run: async () => {
          // lapseBatch skips funded and already-flagged members instead of reverting: send it only
          // when it would flag or lapse someone.
          if (!(await doable())) throw new NothingToDo();
          return [(await lapseBatch(client, { members: batch })).receipt];
        },
        stillDue: doable,
      });
    }
    return { claims, members };
  }

  /** The gas price now, checked against the ceiling once per cycle. */
  let gasOk: boolean | undefined;
  async function gasBelowCeiling(): Promise<boolean> {
    if (options.maxGasPriceWei === undefined) return true;
    if (gasOk !== undefined) return gasOk;
    const fees = await retryUnavailable(() => provider!.getFeeData());
    const price = fees.maxFeePerGas ?? fees.gasPrice ?? 0n;
    gasOk = price <= options.maxGasPriceWei;
    if (!gasOk)
      logger.warn(
        { gasPrice: price.toString(), ceiling: options.maxGasPriceWei.toString() },
        "gas price above the ceiling: duties deferred",
      );
    return gasOk;
  }

  async function record(duty: Duty, receipts: TxReceipt[]): Promise<void> {
    for (const receipt of receipts) {
      metrics.gasUsed.inc({ kind: duty.kind }, Number(receipt.gasUsed));
      const full = await retryUnavailable(() => provider!.getTransactionReceipt(receipt.hash)).catch(() => null);
      if (full) metrics.gasSpent.inc(Number(full.gasUsed * full.gasPrice));
    }
  }

  /** Does one duty; returns whether a transaction was sent. Throws when the node did not answer. */
  async function execute(duty: Duty, seen: Set<string>): Promise<boolean> {
    seen.add(duty.key);
    const count = (outcome: DutyOutcome) => metrics.duties.inc({ pool: duty.pool, kind: duty.kind, outcome });
    const log = logger.child({ pool: duty.pool, duty: duty.kind, ...duty.fields });
    const since = dueSince.get(duty.key) ?? Date.now();
    dueSince.set(duty.key, since);
    if (Date.now() - since < standbyMs) {
      log.debug({ standbyMs }, "due: waiting for the standby before acting");
      return false;
    }
    if (!(await gasBelowCeiling())) {
      count("deferred");
      return false;
    }
    try {
      await options.beforeSend?.({ pool: duty.pool, kind: duty.kind, key: duty.key });
      const receipts = await duty.run();
      await record(duty, receipts);
      count("done");
      log.info(
        { txs: receipts.map((r) => r.hash), gasUsed: receipts.reduce((s, r) => s + r.gasUsed, 0n).toString() },
        "done",
      );
      dueSince.delete(duty.key);
      return true;
    } catch (error) {
      if (error instanceof NothingToDo) {
        count("skipped");
        log.info("skipped: nothing left to do (done by someone else)");
        return false;
      }
      // Sent, fate unknown: the next cycles send nothing until the account has nothing pending.
      if (error instanceof TransactionTimeoutError || error instanceof TransactionDroppedError) uncertain = true;
      if (error instanceof TransactionRevertedError) {
        metrics.reverted.inc();
        if (error.receipt) await record(duty, [error.receipt]);
      }
      if (isUnavailable(error)) {
        if (error instanceof RpcUnavailableError && error.maybeSent) uncertain = true;
        count("failed");
        log.warn({ err: messageOf(error) }, "node did not answer: retrying later");
        throw error;
      }
      if (error instanceof JurySeedNotReadyError) {
        count("deferred");
        log.info("seed not ready yet");
        return false;
      }
      let due = true;
      try {
        due = await duty.stillDue();
      } catch (check) {
        if (isUnavailable(check)) throw check;
      }
      if (!due) {
        count("skipped");
        dueSince.delete(duty.key);
        log.info({ reason: messageOf(error) }, "skipped: done by someone else first");
        return false;
      }
      count("failed");
      log.error({ err: messageOf(error) }, "failed: will retry next cycle");
      return false;
    }
  }

  async function cycle(): Promise<number> {
    gasOk = undefined;
    const latest = await retryUnavailable(() => provider!.getBlock("latest"));
    if (!latest) throw new RpcUnavailableError({ details: "the node returned no latest block" });
    const block = BigInt(latest.number);
    const now = BigInt(latest.timestamp);
    head = block;
    metrics.chainHead.set(Number(block));

    // Pools not added yet (first cycle, or a failed read of their rules): already watched ones cost nothing.
    for (const pool of options.pools ?? []) await addPool(pool);
    await discoverPools(block);
    let behind = 0n;
    for (const w of watches.values()) if (block - w.seen > behind) behind = block - w.seen;
    metrics.lagBlocks.set(Number(behind));

    if (uncertain) {
      const [pending, mined] = await Promise.all([
        retryUnavailable(() => connector.getTransactionCount(address, "pending")),
        retryUnavailable(() => connector.getTransactionCount(address, "latest")),
      ]);
      if (pending > mined) {
        logger.info({ pending: pending - mined }, "a transaction of ours is still pending: waiting for it");
        return 0;
      }
      uncertain = false;
    }

    let sent = 0;
    const seen = new Set<string>();
    const pools = [...watches.values()];
    for (const w of pools) await refresh(w, block);
    const viewsOf = await cycleViews(pools, block);
    for (const [k, w] of pools.entries()) {
      if (stopping) break;
      const views = viewsOf[k];
      publish(w, views, now);
      const { claims, members } = plan(w, views, now, block);
      let claimsSent = 0;
      for (const duty of claims) {
        if (stopping) break;
        if (await execute(duty, seen)) claimsSent++;
      }
      sent += claimsSent;
      // Settling and resolving change balances and exit bounds: members wait for the next cycle's events.
      if (claimsSent > 0) {
        for (const duty of members) seen.add(duty.key);
        continue;
      }
      for (const duty of members) {
        if (stopping) break;
        if (await execute(duty, seen)) sent++;
      }
    }
    for (const key of dueSince.keys()) if (!seen.has(key)) dueSince.delete(key);
    const balance = await retryUnavailable(() => provider!.getBalance(address));
    metrics.balance.set(Number(balance));
    return sent;
  }

  function publish(w: PoolWatch, views: { nextPeriod: bigint; queueLength: bigint }, now: bigint): void {
    const pool = w.address;
    metrics.members.set({ pool }, Number(w.state.memberCount));
    metrics.nextPeriodToSettle.set({ pool }, Number(views.nextPeriod));
    metrics.nextPeriodEnd.set({ pool }, Number(w.startedAt + (views.nextPeriod + 1n) * BigInt(w.rules.periodLength)));
    metrics.paymentQueue.set({ pool }, Number(views.queueLength));
    const byState = new Map<string, number>();
    for (const name of ClaimStateNames.slice(1, 9)) byState.set(name, 0);
    for (const c of w.state.claims.values()) {
      const name = ClaimStateNames[w.state.claimState(c, now)];
      byState.set(name, (byState.get(name) ?? 0) + 1);
    }
    for (const [state, n] of byState) metrics.claims.set({ pool, state }, n);
  }

  const sleep = (ms: number) =>
    new Promise<void>((done) => {
      const timer = setTimeout(done, ms);
      wake = () => {
        clearTimeout(timer);
        done();
      };
    });

  async function start(): Promise<void> {
    logger.info({ keeper: address, standbyMs, intervalMs }, "keeper started");
    while (!stopping) {
      let sent = 0;
      try {
        sent = await cycle();
        failures = 0;
        lastCycleOk = true;
        lastError = undefined;
        lastCycleAt = Date.now();
        metrics.lastCycle.set(Math.floor(lastCycleAt / 1000));
        metrics.cycles.inc({ result: "ok" });
      } catch (error) {
        failures++;
        lastCycleOk = false;
        lastError = messageOf(error);
        metrics.cycles.inc({ result: "error" });
        if (isUnavailable(error)) metrics.rpcErrors.inc();
        logger.warn({ err: lastError, failures }, "cycle failed: retrying after a pause");
      }
      if (stopping) break;
      if (sent > 0 && failures === 0) continue;
      await sleep(failures > 0 ? Math.min(maxBackoffMs, intervalMs * 2 ** (failures - 1)) : intervalMs);
    }
    logger.info("keeper stopped");
  }

  return {
    start,
    stop() {
      stopping = true;
      wake?.();
    },
    cycle,
    async health(): Promise<KeeperHealth> {
      let probed: bigint | undefined;
      let timer: NodeJS.Timeout | undefined;
      try {
        const answer = provider!.send("eth_blockNumber", []) as Promise<string>;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("no answer in 2 s")), 2_000);
        });
        probed = BigInt(await Promise.race([answer, timeout]));
      } catch {
        probed = undefined;
      } finally {
        clearTimeout(timer);
      }
      let processed: bigint | undefined;
      for (const w of watches.values()) if (processed === undefined || w.seen < processed) processed = w.seen;
      const top = probed ?? head;
      const lag = top !== undefined && processed !== undefined ? Number(top > processed ? top - processed : 0n) : null;
      const age = lastCycleAt === undefined ? null : Date.now() - lastCycleAt;
      const fresh = age !== null && age <= Math.max(30_000, 3 * intervalMs);
      return {
        ready: probed !== undefined && lastCycleOk && fresh && lag !== null && lag <= maxLagBlocks,
        chainAnswers: probed !== undefined,
        head: top === undefined ? null : top.toString(),
        lagBlocks: lag,
        lastCycleOk,
        lastCycleAgeMs: age,
        consecutiveFailures: failures,
        pools: watches.size,
        ...(lastError ? { error: lastError } : {}),
      };
    },
    metrics,
    logger,
    address,
  };
}

/** Thrown inside a duty whose dry run shows nothing left to do. */
class NothingToDo extends Error {}

const POOL_CREATED_TOPIC = encodeEventTopics({ abi: factoryAbi, eventName: "PoolCreated" })[0];
