/**
 * Errors of sending a transaction and waiting for it, and of reaching the node: everything between
 * "the simulation passed" and "the receipt is here" that is not a contract's own revert.
 */
import { ContractRevertError, HuzhuError, TransactionFailedError } from "./base";
import type { TxReceipt } from "../clients/connector";

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);

/** The node did not answer, or answered with an HTTP error (down, overloaded, rate-limited, unreachable). */
export class RpcUnavailableError extends HuzhuError {
  override name = "RpcUnavailableError";
  /** For a transaction: whether it may have reached the node before the failure (then it may still be mined). */
  readonly maybeSent: boolean;
  constructor(options: { cause?: unknown; maybeSent?: boolean; details?: string } = {}) {
    super(
      options.maybeSent
        ? "The JSON-RPC node did not answer while the transaction was being sent: it may or may not have been sent. Check the account's transactions before trying again."
        : "The JSON-RPC node did not answer: try again, or use another node.",
      { cause: options.cause, details: options.details ?? reasonOf(options.cause) },
    );
    this.maybeSent = options.maybeSent ?? false;
  }
}

/** The node answered with an error the SDK has no better name for. */
export class RpcRequestError extends HuzhuError {
  override name = "RpcRequestError";
  constructor(cause: unknown) {
    super("The JSON-RPC node refused the request.", { cause, details: reasonOf(cause) });
  }
}

/** The node refused to accept a transaction: nothing was sent. */
export class TransactionRejectedError extends HuzhuError {
  override name = "TransactionRejectedError";
  readonly account: string;
  constructor(shortMessage: string, account: string, cause?: unknown) {
    super(shortMessage, { cause, details: reasonOf(cause) });
    this.account = account;
  }
}

/**
 * Another sender kept taking the nonce the SDK chose ("nonce too low", "replacement transaction
 * underpriced", "known transaction"): another process or wallet is sending from the same account.
 * The SDK re-read the account's nonce and tried again several times; nothing of this call was mined.
 */
export class NonceConflictError extends TransactionRejectedError {
  override name = "NonceConflictError";
  readonly nonce: number;
  constructor(account: string, nonce: number, cause?: unknown) {
    super(
      `Another sender keeps using the nonces of ${account} (last tried ${nonce}): the transaction was not sent. Is another process sending from this account?`,
      account,
      cause,
    );
    this.nonce = nonce;
  }
}

/** The wallet's owner declined to sign or send. */
export class UserRejectedRequestError extends HuzhuError {
  override name = "UserRejectedRequestError";
  constructor(cause?: unknown) {
    super("The request was declined in the wallet: nothing was sent.", { cause });
  }
}

/** The account cannot pay for the transaction's gas. */
export class InsufficientFundsError extends TransactionRejectedError {
  override name = "InsufficientFundsError";
  constructor(account: string, cause?: unknown) {
    super(`${account} cannot pay for the gas of this transaction: send it some ETH.`, account, cause);
  }
}

/**
 * The transaction was sent but no receipt came within the timeout. It may still be mined: wait for
 * it again with `waitForTransaction({ hash })`, or replace it from the wallet.
 */
export class TransactionTimeoutError extends HuzhuError {
  override name = "TransactionTimeoutError";
  readonly hash: `0x${string}`;
  readonly timeoutMs: number;
  constructor(hash: `0x${string}`, timeoutMs: number) {
    super(
      `The transaction ${hash} was sent but not mined within ${seconds(timeoutMs)}. It may still be mined: wait for it again with waitForTransaction({ hash: "${hash}" }).`,
    );
    this.hash = hash;
    this.timeoutMs = timeoutMs;
  }
}

/** The node no longer knows the transaction and its nonce is still unused: it will not be mined as it is. */
export class TransactionDroppedError extends HuzhuError {
  override name = "TransactionDroppedError";
  readonly hash: `0x${string}`;
  constructor(hash: `0x${string}`) {
    super(`The transaction ${hash} was dropped by the node and will not be mined: send the action again.`);
    this.hash = hash;
  }
}

/** Another transaction with the same nonce was mined instead (a wallet's "speed up" or "cancel", or another sender). */
export class TransactionReplacedError extends HuzhuError {
  override name = "TransactionReplacedError";
  readonly hash: `0x${string}`;
  readonly nonce: number;
  constructor(hash: `0x${string}`, nonce: number) {
    super(
      `The transaction ${hash} was replaced: another transaction with its nonce (${nonce}) was mined instead. If you sped it up in your wallet, check the account's latest transaction.`,
    );
    this.hash = hash;
    this.nonce = nonce;
  }
}

/**
 * A transaction was mined and reverted (gas was spent). `reason` is the contract's error when the
 * SDK could replay the transaction and decode it.
 */
export class TransactionRevertedError extends TransactionFailedError {
  override name = "TransactionRevertedError";
  readonly receipt: TxReceipt;
  readonly reason?: HuzhuError;
  constructor(receipt: TxReceipt, reason?: HuzhuError) {
    super(receipt.hash);
    this.receipt = receipt;
    this.reason = reason;
    const why = reason instanceof ContractRevertError ? `${reason.shortMessage} (${reason.errorName})` : undefined;
    Object.defineProperty(this, "shortMessage", {
      value: why
        ? `The transaction ${receipt.hash} was mined but reverted: ${why}`
        : `The transaction ${receipt.hash} was mined but reverted.`,
    });
    this.message = this.shortMessage + (reason?.details ? `\n\nDetails: ${reason.details}` : "");
  }
}

// --- Classifying what the client libraries and nodes throw -------------------------------------

export type RpcFailureKind =
  "nonce-low" | "nonce-high" | "underpriced" | "known" | "funds" | "rejected" | "unavailable" | "unsupported" | "other";

/** Every message, code and name in an error's cause chain, in one lower-case string. */
function textOf(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const stack: unknown[] = [error];
  while (stack.length > 0 && parts.length < 64) {
    const e = stack.pop();
    if (e === null || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const record = e as Record<string, unknown>;
    for (const key of ["name", "code", "message", "shortMessage", "details", "reason", "status"]) {
      const v = record[key];
      if (typeof v === "string" || typeof v === "number") parts.push(String(v));
    }
    for (const key of ["cause", "error", "info", "errors"]) {
      const v = record[key];
      if (Array.isArray(v)) stack.push(...v);
      else stack.push(v);
    }
  }
  return parts.join(" | ").toLowerCase();
}

/** The first line of the innermost message: what the node or the socket said. */
function reasonOf(error: unknown): string | undefined {
  if (error === undefined) return undefined;
  let e: unknown = error;
  let message: string | undefined;
  const seen = new Set<unknown>();
  while (e !== null && typeof e === "object" && !seen.has(e)) {
    seen.add(e);
    const m = (e as { shortMessage?: unknown; message?: unknown }).shortMessage ?? (e as { message?: unknown }).message;
    if (typeof m === "string" && m.length > 0) message = m;
    e = (e as { cause?: unknown }).cause ?? (e as { error?: unknown }).error;
  }
  return message?.split("\n")[0].slice(0, 300);
}

/** What kind of failure a thrown error is, from its messages and codes (nodes and libraries word them differently). */
export function classifyRpcFailure(error: unknown): RpcFailureKind {
  const text = textOf(error);
  if (/nonce too low|nonce_expired|noncetoolow|nonce has already been used|nonce is too low/.test(text))
    return "nonce-low";
  if (/nonce too high|noncetoohigh/.test(text)) return "nonce-high";
  if (/known transaction|already known|alreadyknown/.test(text)) return "known";
  if (
    /replacement transaction underpriced|replacement_underpriced|replacement fee too low|transaction underpriced/.test(
      text,
    )
  )
    return "underpriced";
  if (/insufficient funds|insufficient_funds|insufficientfundserror|exceeds the balance of the account/.test(text))
    return "funds";
  if (/user rejected|user denied|userrejectedrequesterror|action_rejected/.test(text)) return "rejected";
  if (
    /econnrefused|econnreset|etimedout|enotfound|eai_again|socket hang up|fetch failed|network_error|server_error|httprequesterror|timeouterror|request timed out|service unavailable|bad gateway|gateway time-?out|too many requests|\b50[234]\b|\b429\b|rate limit/.test(
      text,
    )
  )
    return "unavailable";
  if (/method not found|not supported|unsupported block|invalid block tag|-32601/.test(text)) return "unsupported";
  return "other";
}

/** Turns a failed request (not a revert) into the SDK error for it. */
export function toRpcError(error: unknown, options: { maybeSent?: boolean } = {}): HuzhuError {
  if (error instanceof HuzhuError) return error;
  if (classifyRpcFailure(error) === "unavailable") return new RpcUnavailableError({ cause: error, ...options });
  return new RpcRequestError(error);
}
