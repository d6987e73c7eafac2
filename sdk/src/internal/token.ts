import type { HuzhuClientConfig } from "../clients/client";
import type { Address } from "../core/types";
import { parseAbi } from "viem";
import { ContractRevertError, HuzhuError, UnknownRevertError } from "../errors/base";
import { RpcRequestError } from "../errors/transaction";
import {
  PanicError,
  TokenBalanceTooLowError,
  TokenBlacklistedError,
  TokenPausedError,
  TokenRevertedError,
} from "../errors/token";
import { confirm, erc20PermitAbi, poolAbi, read, toSdkError, writeHeld } from "./contract";
import { laneOf, releaseReservation, reserveAllowance, type AllowanceReservation } from "./sequencer";

/** The pool's asset. */
export async function assetOf(client: HuzhuClientConfig, pool: Address): Promise<Address> {
  return (await read(client, pool, poolAbi, "rules", [])).asset;
}

// What a pull from an account without allowance reverts with: only these call for an approval.
const ALLOWANCE_ERRORS = new Set(["ERC20InsufficientAllowance", "SafeERC20FailedOperation"]);

/**
 * Whether a failed simulation may be due to the short allowance alone. Named reasons decide
 * (a string about the allowance, OpenZeppelin 5's `ERC20InsufficientAllowance`); a token that says
 * nothing useful (empty revert data, `false`, an unknown custom error or string, an arithmetic panic)
 * might be refusing for the allowance, so the caller asks the token's views ({@link tokenObstacle}).
 */
function mayBeAllowance(error: unknown): boolean {
  if (error instanceof TokenRevertedError) return error.problem === "allowance" || error.problem === "other";
  if (error instanceof ContractRevertError) return ALLOWANCE_ERRORS.has(error.errorName);
  if (error instanceof PanicError) return error.code === 0x11n;
  if (error instanceof UnknownRevertError) return true;
  // A revert without data (a token that reverts with nothing) comes through as the node's refusal
  // of the call, wrapped (RpcRequestError) or not.
  if (error instanceof RpcRequestError) return /revert/i.test(`${error.details ?? ""} ${String(error.cause)}`);
  return !(error instanceof HuzhuError);
}

// Views that real tokens answer with their issuer's freeze: FiatToken (USDC) `isBlacklisted`,
// Tether `isBlackListed`, simple tokens `blacklisted`, and `paused` (FiatToken, OpenZeppelin).
const tokenViewsAbi = parseAbi([
  "function paused() view returns (bool)",
  "function isBlacklisted(address) view returns (bool)",
  "function isBlackListed(address) view returns (bool)",
  "function blacklisted(address) view returns (bool)",
]);

/** A view's answer, or undefined when the token has no such view (or it reverts). */
async function tryView(fn: () => Promise<boolean>): Promise<boolean | undefined> {
  try {
    return await fn();
  } catch {
    return undefined;
  }
}

/** What the token's issuer has done to the pool, as far as the token's views tell (undefined: no such view). */
export interface TokenFreeze {
  /** The token is paused: no transfer goes through. */
  paused: boolean | undefined;
  /** The account (the pool, say) is blacklisted: no transfer to or from it goes through. */
  blacklisted: boolean | undefined;
}

/** Whether `account` is blacklisted by the token, through whichever blacklist view it has. */
async function isBlacklisted(
  client: HuzhuClientConfig,
  asset: Address,
  account: Address,
  blockNumber?: bigint,
): Promise<boolean | undefined> {
  for (const name of ["isBlacklisted", "isBlackListed", "blacklisted"] as const) {
    const answer = await tryView(() => read(client, asset, tokenViewsAbi, name, [account], blockNumber));
    if (answer !== undefined) return answer;
  }
  return undefined;
}

/** Reads the token issuer's pause and its blacklist entry for `account` (at `blockNumber`, latest by default). */
export async function tokenFreeze(
  client: HuzhuClientConfig,
  asset: Address,
  account: Address,
  blockNumber?: bigint,
): Promise<TokenFreeze> {
  const [paused, blacklisted] = await Promise.all([
    tryView(() => read(client, asset, tokenViewsAbi, "paused", [], blockNumber)),
    isBlacklisted(client, asset, account, blockNumber),
  ]);
  return { paused, blacklisted };
}

/**
 * Asks the token's views whether anything but the allowance stops `owner`'s tokens from reaching
 * the pool: a pause, a blacklisted pool or owner, a short balance. Throws the typed token error
 * when something does; views the token lacks are skipped.
 */
export async function tokenObstacle(
  client: HuzhuClientConfig,
  asset: Address,
  pool: Address,
  owner: Address,
  amount: bigint,
): Promise<void> {
  const [poolFreeze, ownerBlacklisted, balance] = await Promise.all([
    tokenFreeze(client, asset, pool),
    isBlacklisted(client, asset, owner),
    read(client, asset, erc20PermitAbi, "balanceOf", [owner]).catch(() => undefined),
  ]);
  if (poolFreeze.paused) throw new TokenPausedError("paused() is true", { token: asset });
  if (poolFreeze.blacklisted)
    throw new TokenBlacklistedError("the pool is blacklisted", { account: pool, token: asset });
  if (ownerBlacklisted) throw new TokenBlacklistedError("the sender is blacklisted", { account: owner, token: asset });
  if (balance !== undefined && balance < amount)
    throw new TokenBalanceTooLowError("balanceOf() is below the amount", {
      account: owner,
      balance,
      needed: amount,
      token: asset,
    });
}

/**
 * Makes sure the pool may pull `amount` of its asset for one action, and reserves it for that
 * action (pass the reservation to `write`). Actions of one account in this process share the
 * allowance: each reserves its amount from what is left after the actions already pending; when
 * that falls short, the pool is approved for the projected allowance plus `amount`, so an approval
 * never takes away what an earlier one granted to an action still pending.
 *
 * It approves only when the action would otherwise succeed: `simulate` runs the action first, and
 * a revert for any other reason (already a member, deposit too low, paused pool, a token that names
 * a blacklist or a pause) is thrown before an approval is sent. When the token's revert does not say
 * why (empty data, `false`, an unknown error, or an allowance message that hides a pause), the
 * token's views decide ({@link tokenObstacle}).
 */
export async function ensureAllowance(
  client: HuzhuClientConfig,
  pool: Address,
  owner: Address,
  amount: bigint,
  simulate: () => Promise<void>,
): Promise<AllowanceReservation | undefined> {
  if (amount === 0n) return undefined;
  const asset = await assetOf(client, pool);
  const lane = await laneOf(client.connector, owner);
  const key = `${asset.toLowerCase()}:${pool.toLowerCase()}`;
  const allowance = () => read(client, asset, erc20PermitAbi, "allowance", [owner, pool]);
  const covered = await reserveAllowance(lane, key, amount, allowance);
  if (covered.reservation) return covered.reservation;
  try {
    await simulate();
  } catch (error) {
    if (!mayBeAllowance(error)) throw error;
    await tokenObstacle(client, asset, pool, owner, amount);
  }
  const { reservation, approval } = await reserveAllowance(lane, key, amount, allowance, (total) =>
    writeHeld(client, lane, asset, erc20PermitAbi, "approve", [pool, total]),
  );
  if (approval) {
    try {
      await confirm(client, approval);
    } catch (error) {
      releaseReservation(reservation);
      throw toSdkError(error);
    } finally {
      lane.settle(approval);
    }
  }
  return reservation;
}
