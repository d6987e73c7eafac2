/**
 * One queue ("lane") per account and chain in this process, shared by every client and connector
 * that sends from that account: the ethers and viem adapters, the app and the keeper alike.
 *
 * Inside a lane, one transaction at a time is simulated and handed to the node; waiting for
 * receipts happens outside, in parallel. So N actions started at once from one wallet get N
 * consecutive nonces, each is simulated against the state its predecessors leave (the node's
 * pending state), and a failure before sending leaves no gap in the nonces.
 *
 * Across processes that share a key there is no shared queue: a lane re-reads the account's
 * pending nonce from the node before every transaction and, when the node refuses a nonce as used
 * ("nonce too low", "replacement transaction underpriced", "known transaction"), reads it again and
 * re-simulates, up to five times, then throws `NonceConflictError`. No action is sent twice and
 * none is mined without a passing simulation on this node, but allowances are only accounted
 * within one process (another process's approval can overwrite ours), and a simulation cannot see
 * another process's transaction the node has not received yet.
 */
import { keccak256 } from "viem";
import type { HuzhuClientConfig } from "../clients/client";
import type { Connector, TxInfo, TxReceipt, TxRequest } from "../clients/connector";
import type { Address, Hex } from "../core/types";
import { HuzhuError } from "../errors/base";
import { UNAVAILABLE_ATTEMPTS, backoff, retryUnavailable } from "./retry";
import {
  InsufficientFundsError,
  NonceConflictError,
  RpcRequestError,
  RpcUnavailableError,
  TransactionDroppedError,
  TransactionReplacedError,
  TransactionTimeoutError,
  UserRejectedRequestError,
  classifyRpcFailure,
  toRpcError,
} from "../errors/transaction";

/** How long an action waits for its receipt unless the client says otherwise: 3 minutes. */
export const DEFAULT_RECEIPT_TIMEOUT_MS = 180_000;
/** Rounds of "re-read the nonce and try again" when another sender takes ours. */
const CONFLICT_ROUNDS = 5;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export { retryUnavailable };

interface AllowanceState {
  /** What the allowance will be once every transaction this lane has sent is mined. */
  projected?: bigint;
  /** `Lane.sent` when `projected` was last read from the chain. */
  readAt: number;
  /** Reserved by actions that have their allowance but are not sent yet. */
  reserved: bigint;
  /** Needed by actions waiting to approve: the first approval covers them all. */
  wanted: bigint;
}

/** One account's queue on one chain. */
export class Lane {
  /** The nonce the next transaction gets, as far as this process knows. */
  next = 0;
  /** Sent, receipt not seen yet. */
  readonly inflight = new Set<Hex>();
  /** Transactions sent so far. */
  sent = 0;
  /** Set when the node refuses `eth_call` at "pending": simulate at "latest" once the lane is idle instead. */
  pendingUnsupported = false;
  readonly allowances = new Map<string, AllowanceState>();
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` when every earlier `exclusive` call of this lane has finished. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** A receipt was seen (or the wait ended). Only the lane's own section changes the allowance projections. */
  settle(hash: Hex): void {
    this.inflight.delete(hash);
  }
}

const lanes = new Map<string, Lane>();
const chainIds = new WeakMap<Connector, Promise<number>>();

/** The lane of `account` on the connector's chain (created on first use). */
export async function laneOf(connector: Connector, account: Address): Promise<Lane> {
  let chainId = chainIds.get(connector);
  if (!chainId) {
    chainId = retryUnavailable(() => connector.getChainId());
    chainIds.set(connector, chainId);
    chainId.catch(() => chainIds.delete(connector));
  }
  const key = `${await chainId}:${account.toLowerCase()}`;
  let lane = lanes.get(key);
  if (!lane) lanes.set(key, (lane = new Lane()));
  return lane;
}

function pollingInterval(client: HuzhuClientConfig): number {
  return Math.max(20, client.pollingIntervalMs ?? client.connector.pollingInterval);
}

/**
 * The nonce for the lane's next transaction. When this process has transactions in flight the node
 * does not count yet (a node whose "pending" is "latest"), waits for them: a simulation must see
 * every earlier transaction of the account.
 */
async function nextNonce(client: HuzhuClientConfig, lane: Lane, account: Address): Promise<number> {
  const count = () => retryUnavailable(() => client.connector.getTransactionCount(account, "pending"));
  let pending = await count();
  while (pending < lane.next && lane.inflight.size > 0) {
    await sleep(Math.min(pollingInterval(client), 500));
    pending = await count();
  }
  if (lane.inflight.size === 0 || pending > lane.next) lane.next = pending;
  return lane.next;
}

/** Checks that the transaction would succeed after everything the account has sent so far. */
async function simulateAfterInflight(
  client: HuzhuClientConfig,
  lane: Lane,
  simulate: (blockTag: "latest" | "pending") => Promise<void>,
): Promise<void> {
  // Nothing of ours in flight: the latest block is the state the transaction starts from, as before.
  if (lane.inflight.size === 0) return simulate("latest");
  if (!lane.pendingUnsupported) {
    try {
      return await simulate("pending");
    } catch (error) {
      if (!(error instanceof RpcRequestError && classifyRpcFailure(error.cause) === "unsupported")) throw error;
      lane.pendingUnsupported = true;
    }
  }
  while (lane.inflight.size > 0) await sleep(Math.min(pollingInterval(client), 500));
  await simulate("latest");
}

type Broadcast = { hash: Hex } | { conflict: unknown; nonceHigh: boolean };

function conflictOrThrow(error: unknown, account: Address, maybeSent: boolean): Broadcast {
  const kind = classifyRpcFailure(error);
  if (kind === "nonce-low" || kind === "underpriced" || kind === "known") return { conflict: error, nonceHigh: false };
  if (kind === "nonce-high") return { conflict: error, nonceHigh: true };
  if (kind === "funds") throw new InsufficientFundsError(account, error);
  if (kind === "rejected") throw new UserRejectedRequestError(error);
  if (kind === "unavailable") throw new RpcUnavailableError({ cause: error, maybeSent });
  throw error;
}

/** Signs once and sends those bytes, again if the node did not answer: the same bytes can be mined only once. */
async function broadcastSigned(
  connector: Connector,
  tx: TxRequest & { from: Address },
  nonce: number,
): Promise<Broadcast> {
  const raw = await retryUnavailable(() => connector.signTransaction!(tx, nonce));
  const hash = keccak256(raw);
  for (let attempt = 1; ; attempt++) {
    try {
      await connector.sendRawTransaction(raw);
      return { hash };
    } catch (error) {
      const kind = classifyRpcFailure(error);
      // The node holds these very bytes: an earlier attempt (ours, or the library's own retry) got through.
      if (kind === "known") return { hash };
      if (kind === "unavailable" && attempt < UNAVAILABLE_ATTEMPTS) {
        await sleep(backoff(attempt));
        continue;
      }
      if ((kind === "nonce-low" || kind === "underpriced") && attempt > 1) {
        const known = await connector.getTransaction(hash).catch(() => null);
        if (known) return { hash };
      }
      return conflictOrThrow(error, tx.from, attempt > 1 || kind === "unavailable");
    }
  }
}

/** Hands the transaction to the wallet, which chooses the nonce (a browser wallet, an unlocked node account). */
async function broadcastWallet(connector: Connector, tx: TxRequest & { from: Address }): Promise<Broadcast> {
  try {
    return { hash: await connector.sendTransaction(tx) };
  } catch (error) {
    return conflictOrThrow(error, tx.from, true);
  }
}

export interface SendOptions {
  /** Simulates the transaction at the given block tag; throws the typed error of a revert. */
  simulate: (blockTag: "latest" | "pending") => Promise<void>;
  /** Called after the simulation, before the transaction goes out (inside the lane). */
  beforeSend?: () => Promise<void>;
  /** Called once the node has accepted the transaction (inside the lane). */
  onSent?: () => void;
}

/** Sends from a lane whose `exclusive` section the caller holds. Returns the hash once the node has it. */
export async function sendHeld(
  client: HuzhuClientConfig,
  lane: Lane,
  tx: TxRequest & { from: Address },
  options: SendOptions,
): Promise<Hex> {
  let conflict: unknown;
  let nonce = lane.next;
  for (let round = 0; round < CONFLICT_ROUNDS; round++) {
    if (lane.inflight.size === 0) {
      // Nothing in flight: the nonce and the simulation (on the latest block) do not depend on each other.
      [nonce] = await Promise.all([
        nextNonce(client, lane, tx.from),
        simulateAfterInflight(client, lane, options.simulate),
      ]);
    } else {
      nonce = await nextNonce(client, lane, tx.from);
      await simulateAfterInflight(client, lane, options.simulate);
    }
    await options.beforeSend?.();
    const sent = client.connector.signTransaction
      ? await broadcastSigned(client.connector, tx, nonce)
      : await broadcastWallet(client.connector, tx);
    if ("conflict" in sent) {
      conflict = sent.conflict;
      // Someone else holds this nonce: re-read the account (and re-simulate: the state moved).
      lane.next = sent.nonceHigh ? 0 : Math.max(lane.next, nonce + 1);
      if (sent.nonceHigh) lane.inflight.clear();
      continue;
    }
    lane.inflight.add(sent.hash);
    lane.sent++;
    lane.next = nonce + 1;
    options.onSent?.();
    return sent.hash;
  }
  throw new NonceConflictError(tx.from, nonce, conflict);
}

/** Queues a transaction in its account's lane; returns its hash once the node has accepted it. */
export async function send(client: HuzhuClientConfig, tx: TxRequest & { from: Address }, options: SendOptions) {
  const lane = await laneOf(client.connector, tx.from);
  return { lane, hash: await lane.exclusive(() => sendHeld(client, lane, tx, options)) };
}

/**
 * Waits for a transaction's receipt, up to `timeoutMs`. Tells a replaced or dropped transaction
 * from a slow one; a node that does not answer for a while is waited out until the deadline.
 */
export async function waitForReceipt(
  client: HuzhuClientConfig,
  hash: Hex,
  timeoutMs: number = client.receiptTimeoutMs ?? DEFAULT_RECEIPT_TIMEOUT_MS,
): Promise<TxReceipt> {
  const connector = client.connector;
  const deadline = Date.now() + timeoutMs;
  const interval = pollingInterval(client);
  let info: TxInfo | null = null;
  let missing = 0;
  for (let poll = 0; ; poll++) {
    let receipt: TxReceipt | null = null;
    try {
      receipt = await connector.getTransactionReceipt(hash);
    } catch (error) {
      if (classifyRpcFailure(error) !== "unavailable") throw toRpcError(error);
    }
    if (receipt) return receipt;
    if (Date.now() >= deadline) break;
    // Every few polls (and the first): is it still known, and is its nonce still free?
    if (poll % 5 === 0) {
      try {
        const now = await connector.getTransaction(hash);
        if (now) info = now;
        if (now === null) missing++;
        if (info) {
          const latest = await connector.getTransactionCount(info.from, "latest");
          if (latest > info.nonce && !(await connector.getTransactionReceipt(hash)))
            throw new TransactionReplacedError(hash, info.nonce);
        }
        if (missing >= 2) throw new TransactionDroppedError(hash);
      } catch (error) {
        if (error instanceof HuzhuError) throw error;
        if (classifyRpcFailure(error) !== "unavailable") throw toRpcError(error);
      }
    }
    await sleep(Math.max(0, Math.min(interval, deadline - Date.now())));
  }
  throw new TransactionTimeoutError(hash, timeoutMs);
}

// --- Allowances ----------------------------------------------------------------------------------

/** Allowance set aside for one action that is not sent yet. */
export interface AllowanceReservation {
  readonly lane: Lane;
  readonly key: string;
  readonly amount: bigint;
  readonly read: () => Promise<bigint>;
  done: boolean;
}

function stateOf(lane: Lane, key: string): AllowanceState {
  let state = lane.allowances.get(key);
  if (!state) lane.allowances.set(key, (state = { reserved: 0n, wanted: 0n, readAt: -1 }));
  return state;
}

/**
 * The allowance projection, inside the lane: read from the chain when the lane has sent something
 * since the last read and all of it is mined (or on first use); otherwise projected.
 */
async function allowanceState(lane: Lane, key: string, read: () => Promise<bigint>): Promise<AllowanceState> {
  const state = stateOf(lane, key);
  if (state.projected === undefined || (lane.inflight.size === 0 && state.readAt !== lane.sent)) {
    state.projected = await retryUnavailable(read);
    state.readAt = lane.sent;
  }
  return state;
}

/**
 * Reserves `amount` of allowance for an action. When what is left after the actions already
 * pending falls short and `approve` is given, approves the projected allowance plus what every
 * action waiting to approve needs (it never lowers what an earlier approval granted to an action
 * still pending, and one approval serves many actions started together) and returns the
 * approval's hash, which the caller waits for. `approve(total)` sends from inside the lane.
 */
export async function reserveAllowance(
  lane: Lane,
  key: string,
  amount: bigint,
  read: () => Promise<bigint>,
  approve?: (total: bigint) => Promise<Hex>,
): Promise<{ reservation?: AllowanceReservation; approval?: Hex }> {
  const state = stateOf(lane, key);
  if (approve) state.wanted += amount;
  try {
    return await lane.exclusive(async () => {
      const current = await allowanceState(lane, key, read);
      const reservation: AllowanceReservation = { lane, key, amount, read, done: false };
      if (current.projected! - current.reserved >= amount) {
        current.reserved += amount;
        return { reservation };
      }
      if (!approve) return {};
      const total = current.projected! + current.wanted;
      const approval = await approve(total);
      current.projected = total;
      current.reserved += amount;
      return { reservation, approval };
    });
  } finally {
    if (approve) state.wanted -= amount;
  }
}

/**
 * Before the reserved action goes out (inside the lane): if everything the lane sent since the last
 * read is mined, re-read the chain's allowance now, while it does not include this transaction yet.
 * (Receipts arrive outside the lane, so this must happen in the same section as the send.)
 */
export async function readyReservation(reservation: AllowanceReservation): Promise<void> {
  await allowanceState(reservation.lane, reservation.key, reservation.read);
}

/** The action was sent: its allowance is spent (once mined). Call inside the lane, after `readyReservation`. */
export function spendReservation(reservation: AllowanceReservation): void {
  if (reservation.done) return;
  reservation.done = true;
  const state = reservation.lane.allowances.get(reservation.key)!;
  state.reserved -= reservation.amount;
  state.projected! -= reservation.amount;
}

/** The action will not be sent: give its allowance back to the others. */
export function releaseReservation(reservation: AllowanceReservation | undefined): void {
  if (!reservation || reservation.done) return;
  reservation.done = true;
  reservation.lane.allowances.get(reservation.key)!.reserved -= reservation.amount;
}
