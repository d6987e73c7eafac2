import {
  decodeErrorResult,
  parseAbi,
  decodeFunctionResult,
  encodeFunctionData,
  type Abi,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
} from "viem";
import { erc20PermitAbi, factoryAbi, poolAbi } from "../abi/generated";
import { HuzhuError, MissingAccountError, MissingAddressError, UnknownRevertError } from "../errors/base";
import { contractErrors } from "../errors/generated";
import { PanicError, TokenRevertedError, tokenError, tokenProblemOf } from "../errors/token";
import { RpcRequestError, TransactionRevertedError, classifyRpcFailure, toRpcError } from "../errors/transaction";
import type { Address, Hex } from "../core/types";
import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt, TxRequest } from "../clients/connector";
import {
  laneOf,
  readyReservation,
  releaseReservation,
  retryUnavailable,
  send,
  sendHeld,
  spendReservation,
  waitForReceipt,
  type AllowanceReservation,
  type Lane,
} from "./sequencer";

const errorAbi = [...poolAbi, ...factoryAbi, ...erc20PermitAbi].filter((item) => item.type === "error");

/** Finds revert data in whatever a client library threw: it sits at different depths in ethers and viem. */
export function findRevertData(error: unknown): Hex | undefined {
  const seen = new Set<unknown>();
  const stack: unknown[] = [error];
  while (stack.length > 0) {
    const e = stack.pop();
    if (e === null || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const data = (e as { data?: unknown }).data;
    if (typeof data === "string" && /^0x[0-9a-fA-F]{8}/.test(data)) return data as Hex;
    for (const key of ["data", "cause", "error", "info", "payload"]) stack.push((e as Record<string, unknown>)[key]);
  }
  return undefined;
}

/**
 * Whether a thrown error is a revert (with or without data), not a transport failure: a call to a
 * function the contract lacks reverts with no data, and must not be retried as if the node failed.
 */
export function isRevert(error: unknown): boolean {
  if (findRevertData(error) !== undefined) return true;
  const seen = new Set<unknown>();
  const stack: unknown[] = [error];
  while (stack.length > 0) {
    const e = stack.pop();
    if (e === null || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const { code, message, shortMessage } = e as { code?: unknown; message?: unknown; shortMessage?: unknown };
    if (code === "CALL_EXCEPTION" || code === 3) return true;
    if (typeof (shortMessage ?? message) === "string" && /\brevert/i.test(String(shortMessage ?? message))) return true;
    for (const key of ["cause", "error", "info"]) stack.push((e as Record<string, unknown>)[key]);
  }
  return false;
}

/**
 * Custom errors of widely used token code that are not in the pool's ABI (Solady's ERC20), decoded
 * into {@link TokenRevertedError} with the error's signature as the reason.
 */
const tokenErrorAbi = parseAbi([
  "error InsufficientAllowance()",
  "error InsufficientBalance()",
  "error PermitExpired()",
  "error InvalidPermit()",
  "error TotalSupplyOverflow()",
]);
const TOKEN_ERROR_PROBLEMS = { InsufficientAllowance: "allowance", InsufficientBalance: "balance" } as const;

/**
 * Turns a thrown revert into a typed SDK error (or passes other errors on):
 * - the pool's, the factory's and OpenZeppelin 5's custom errors: their generated classes;
 * - `Error(string)`: Huzhu's contracts never revert with a string, so it is the token's, as a
 *   {@link TokenRevertedError} (or its subclass for the problem: blacklisted, paused, balance, allowance);
 * - `Panic(uint256)`: {@link PanicError};
 * - known token custom errors (Solady's): {@link TokenRevertedError};
 * - anything else: {@link UnknownRevertError} with the data.
 */
export function toHuzhuError(error: unknown): Error {
  if (error instanceof HuzhuError) return error;
  const data = findRevertData(error);
  if (data === undefined) {
    return error instanceof Error ? error : new HuzhuError(String(error));
  }
  try {
    const decoded = decodeErrorResult({ abi: errorAbi, data });
    // viem decodes Solidity's own `Error(string)` and `Panic(uint256)` too (they are not in the ABI's types).
    const builtin = decoded as unknown as { errorName: string; args: readonly unknown[] };
    if (builtin.errorName === "Error") return tokenError(builtin.args[0] as string, { data, cause: error });
    if (builtin.errorName === "Panic") return new PanicError(builtin.args[0] as bigint, error);
    const item = errorAbi.find((e) => e.name === decoded.errorName);
    const args: Record<string, unknown> = {};
    item?.inputs.forEach((input, i) => (args[input.name] = (decoded.args ?? [])[i]));
    const ErrorClass = contractErrors[decoded.errorName as keyof typeof contractErrors];
    if (ErrorClass) return new (ErrorClass as new (a: Record<string, unknown>, c?: unknown) => Error)(args, error);
  } catch {
    // Not one of ours: try the tokens'.
  }
  try {
    const { errorName } = decodeErrorResult({ abi: tokenErrorAbi, data });
    const problem = TOKEN_ERROR_PROBLEMS[errorName as keyof typeof TOKEN_ERROR_PROBLEMS] ?? tokenProblemOf(errorName);
    return new TokenRevertedError(`${errorName}()`, { problem, data, cause: error });
  } catch {
    // Nobody's we know.
  }
  return new UnknownRevertError(data, error);
}

/**
 * What the SDK's calls throw: the typed error of a revert, else the SDK error for the failed
 * request (`RpcUnavailableError`, `RpcRequestError`), never a client library's raw error.
 */
export function toSdkError(error: unknown): HuzhuError {
  const e = toHuzhuError(error);
  return e instanceof HuzhuError ? e : toRpcError(e);
}

export function poolOf(client: HuzhuClientConfig, pool?: Address): Address {
  const address = pool ?? client.pool;
  if (!address) throw new MissingAddressError("pool");
  return address;
}

export function factoryOf(client: HuzhuClientConfig, factory?: Address): Address {
  const address = factory ?? client.factory;
  if (!address) throw new MissingAddressError("factory");
  return address;
}

/** Calls a view function of a contract and decodes its result. */
export async function read<
  const abi extends Abi,
  name extends ContractFunctionName<abi, "view" | "pure">,
  const args extends ContractFunctionArgs<abi, "view" | "pure", name>,
>(
  client: HuzhuClientConfig,
  address: Address,
  abi: abi,
  functionName: name,
  args: args,
  blockNumber?: bigint,
): Promise<ContractFunctionReturnType<abi, "view" | "pure", name, args>> {
  const data = encodeFunctionData({ abi, functionName, args } as never);
  try {
    const result = await retryUnavailable(() => client.connector.call({ to: address, data, blockNumber }));
    return decodeFunctionResult({ abi, functionName, data: result, args } as never) as never;
  } catch (error) {
    throw toSdkError(error);
  }
}

/** Encodes a transaction from the client's account. */
async function prepare(client: HuzhuClientConfig, address: Address, abi: Abi, functionName: string, args: unknown) {
  const from = await retryUnavailable(() => client.connector.getAddress());
  if (!from) throw new MissingAccountError();
  return { to: address, data: encodeFunctionData({ abi, functionName, args } as never), from };
}

/** `eth_call` of a transaction at a block tag; a revert throws its typed error. */
async function simulateAt(client: HuzhuClientConfig, tx: TxRequest, blockTag: "latest" | "pending") {
  try {
    await retryUnavailable(() => client.connector.call({ ...tx, blockTag }));
  } catch (error) {
    throw toSdkError(error);
  }
}

/**
 * Simulates a transaction with `eth_call` from the client's account; a revert throws the typed
 * error. While the account has transactions in flight, on the node's pending state (after them).
 */
export async function simulate<
  const abi extends Abi,
  name extends ContractFunctionName<abi, "nonpayable">,
  const args extends ContractFunctionArgs<abi, "nonpayable", name>,
>(client: HuzhuClientConfig, address: Address, abi: abi, functionName: name, args: args): Promise<void> {
  let tx;
  let lane;
  try {
    tx = await prepare(client, address, abi, functionName, args);
    lane = await laneOf(client.connector, tx.from);
  } catch (error) {
    throw toSdkError(error);
  }
  if (lane.inflight.size === 0 || lane.pendingUnsupported) return simulateAt(client, tx, "latest");
  try {
    await simulateAt(client, tx, "pending");
  } catch (error) {
    if (!(error instanceof RpcRequestError && classifyRpcFailure(error.cause) === "unsupported")) throw error;
    await simulateAt(client, tx, "latest");
  }
}

/**
 * Replays a mined, reverted transaction as a call to learn why: on the state before its block, then
 * after it (a transaction earlier in the same block may be the reason). Best effort.
 */
async function explainRevert(client: HuzhuClientConfig, receipt: TxReceipt): Promise<HuzhuError | undefined> {
  const tx = await client.connector.getTransaction(receipt.hash).catch(() => null);
  if (!tx?.to) return undefined;
  for (const blockNumber of [receipt.blockNumber - 1n, receipt.blockNumber]) {
    try {
      await client.connector.call({ to: tx.to, data: tx.data, from: tx.from, blockNumber });
    } catch (error) {
      const decoded = toHuzhuError(error);
      if (findRevertData(error) !== undefined && decoded instanceof HuzhuError) return decoded;
    }
  }
  return undefined;
}

/**
 * Waits for a sent transaction's receipt (up to the client's `receiptTimeoutMs`) and checks it: a
 * mined revert throws `TransactionRevertedError` with the contract's error as `reason`.
 */
export async function confirm(client: HuzhuClientConfig, hash: Hex, timeoutMs?: number): Promise<TxReceipt> {
  const receipt = await waitForReceipt(client, hash, timeoutMs);
  if (receipt.status === "success") return receipt;
  throw new TransactionRevertedError(receipt, await explainRevert(client, receipt));
}

export interface WriteOptions {
  /** Allowance reserved for this action by `ensureAllowance`: spent when it is sent, released otherwise. */
  allowance?: AllowanceReservation;
}

/**
 * Sends a transaction to a contract through its account's queue (see `sequencer.ts`): simulated on
 * the state the account's earlier transactions leave, so that a revert comes back as the
 * contract's typed error before any gas is spent; then waits for the receipt.
 */
export async function write<
  const abi extends Abi,
  name extends ContractFunctionName<abi, "nonpayable">,
  const args extends ContractFunctionArgs<abi, "nonpayable", name>,
>(
  client: HuzhuClientConfig,
  address: Address,
  abi: abi,
  functionName: name,
  args: args,
  options: WriteOptions = {},
): Promise<TxReceipt> {
  const { allowance } = options;
  try {
    const tx = await prepare(client, address, abi, functionName, args);
    const { lane, hash } = await send(client, tx, {
      simulate: (blockTag) => simulateAt(client, tx, blockTag),
      beforeSend: allowance ? () => readyReservation(allowance) : undefined,
      onSent: allowance ? () => spendReservation(allowance) : undefined,
    });
    try {
      return await confirm(client, hash);
    } finally {
      lane.settle(hash);
    }
  } catch (error) {
    throw toSdkError(error);
  } finally {
    releaseReservation(allowance);
  }
}

/** Sends a transaction from a lane whose `exclusive` section the caller holds; returns its hash. */
export async function writeHeld<
  const abi extends Abi,
  name extends ContractFunctionName<abi, "nonpayable">,
  const args extends ContractFunctionArgs<abi, "nonpayable", name>,
>(client: HuzhuClientConfig, lane: Lane, address: Address, abi: abi, functionName: name, args: args): Promise<Hex> {
  try {
    const tx = await prepare(client, address, abi, functionName, args);
    return await sendHeld(client, lane, tx, { simulate: (blockTag) => simulateAt(client, tx, blockTag) });
  } catch (error) {
    throw toSdkError(error);
  }
}

/** The pool's ABI, for actions. */
export { poolAbi, factoryAbi, erc20PermitAbi };
