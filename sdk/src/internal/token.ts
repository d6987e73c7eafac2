import type { HuzhuClientConfig } from "../clients/client";
import type { Address } from "../core/types";
import { ContractRevertError } from "../errors/base";
import { confirm, erc20PermitAbi, poolAbi, read, toSdkError, writeHeld } from "./contract";
import { laneOf, releaseReservation, reserveAllowance, type AllowanceReservation } from "./sequencer";

/** The pool's asset. */
export async function assetOf(client: HuzhuClientConfig, pool: Address): Promise<Address> {
  return (await read(client, pool, poolAbi, "rules", [])).asset;
}

// What a pull from an account without allowance reverts with: only these call for an approval.
const ALLOWANCE_ERRORS = new Set(["ERC20InsufficientAllowance", "SafeERC20FailedOperation"]);

/**
 * Makes sure the pool may pull `amount` of its asset for one action, and reserves it for that
 * action (pass the reservation to `write`). Actions of one account in this process share the
 * allowance: each reserves its amount from what is left after the actions already pending; when
 * that falls short, the pool is approved for the projected allowance plus `amount`, so an approval
 * never takes away what an earlier one granted to an action still pending.
 *
 * It approves only when the action would otherwise succeed: `simulate` runs the action first, and
 * a revert for any other reason (already a member, deposit too low, paused...) is thrown before an
 * approval is sent.
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
    if (error instanceof ContractRevertError && !ALLOWANCE_ERRORS.has(error.errorName)) throw error;
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
