import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

/** Kinds of duty a keeper does. */
export const DUTY_KINDS = ["settle", "drawJury", "tally", "resolve", "completeExit", "lapseBatch"] as const;
export type DutyKind = (typeof DUTY_KINDS)[number];
/**
 * What became of a due duty: `done` (sent and mined by this keeper), `skipped` (someone else did it
 * first: the simulation or a lost race showed it was no longer due), `deferred` (not sent this
 * cycle: the gas price is above the ceiling, the seed is not ready, or this keeper is a standby whose
 * turn has not come), `failed` (anything else; retried next cycle).
 */
export type DutyOutcome = "done" | "skipped" | "deferred" | "failed";

/** The keeper's Prometheus metrics, in a registry of their own (see the README's "Keeper service"). */
export function createKeeperMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: "huzhu_keeper_process_" });
  const registers = [registry];
  return {
    registry,
    chainHead: new Gauge({
      name: "huzhu_keeper_chain_head",
      help: "The latest block number the keeper has seen.",
      registers,
    }),
    lagBlocks: new Gauge({
      name: "huzhu_keeper_lag_blocks",
      help: "Blocks between the chain head and the last block whose events the keeper had processed, at the start of the latest cycle.",
      registers,
    }),
    lastCycle: new Gauge({
      name: "huzhu_keeper_last_cycle_timestamp_seconds",
      help: "Wall-clock time (Unix seconds) the latest complete cycle finished.",
      registers,
    }),
    cycles: new Counter({
      name: "huzhu_keeper_cycles_total",
      help: "Cycles run, by result (ok, or error when the chain did not answer or a read failed).",
      labelNames: ["result"],
      registers,
    }),
    duties: new Counter({
      name: "huzhu_keeper_duties_total",
      help: "Due duties by pool, kind and outcome (done, skipped, deferred, failed).",
      labelNames: ["pool", "kind", "outcome"],
      registers,
    }),
    gasUsed: new Counter({
      name: "huzhu_keeper_gas_used_total",
      help: "Gas used by the keeper's mined transactions, by kind of duty.",
      labelNames: ["kind"],
      registers,
    }),
    gasSpent: new Counter({
      name: "huzhu_keeper_gas_spent_wei_total",
      help: "Wei paid for gas by the keeper's mined transactions (gas used x effective gas price).",
      registers,
    }),
    reverted: new Counter({
      name: "huzhu_keeper_reverted_transactions_total",
      help: "Keeper transactions mined as reverted (a race lost to another keeper in the same block).",
      registers,
    }),
    rpcErrors: new Counter({
      name: "huzhu_keeper_rpc_errors_total",
      help: "Cycles or steps interrupted because the node did not answer (retried with backoff).",
      registers,
    }),
    balance: new Gauge({
      name: "huzhu_keeper_balance_wei",
      help: "The keeper account's native balance, in wei.",
      registers,
    }),
    pools: new Gauge({ name: "huzhu_keeper_pools", help: "Pools watched.", registers }),
    members: new Gauge({
      name: "huzhu_pool_members",
      help: "Members counted by the pool (the share's divisor).",
      labelNames: ["pool"],
      registers,
    }),
    nextPeriodEnd: new Gauge({
      name: "huzhu_pool_next_period_end_timestamp_seconds",
      help: "When the next period to settle ends (chain time, Unix seconds).",
      labelNames: ["pool"],
      registers,
    }),
    nextPeriodToSettle: new Gauge({
      name: "huzhu_pool_next_period_to_settle",
      help: "The pool's next period to settle.",
      labelNames: ["pool"],
      registers,
    }),
    claims: new Gauge({
      name: "huzhu_pool_claims_waiting",
      help: "Claims not paid or closed yet, by state (Drawing ... Resolvable; Approved = resolved, waiting for payment).",
      labelNames: ["pool", "state"],
      registers,
    }),
    paymentQueue: new Gauge({
      name: "huzhu_pool_payment_queue_length",
      help: "Approved claims waiting for a settlement to pay them.",
      labelNames: ["pool"],
      registers,
    }),
    underfunded: new Gauge({
      name: "huzhu_pool_members_underfunded",
      help: "Members in the juror set below the minimum balance (flagged or about to be).",
      labelNames: ["pool"],
      registers,
    }),
  };
}
export type KeeperMetrics = ReturnType<typeof createKeeperMetrics>;
