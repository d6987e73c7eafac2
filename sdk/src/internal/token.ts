import type { HuzhuClientConfig } from "../clients/client";
import type { Address } from "../core/types";
import { ContractRevertError } from "../errors/base";
import { erc20PermitAbi, poolAbi, read, write } from "./contract";

/** The pool's asset. */
export async function assetOf(client: HuzhuClientConfig, pool: Address): Promise<Address> {
  return (await read(client, pool, poolAbi, "rules", [])).asset;
}

// What a pull from an account without allowance reverts with: only these call for an approval.
const ALLOWANCE_ERRORS = new Set(["ERC20InsufficientAllowance", "SafeERC20FailedOperation"]);

/**
 * Approves the pool for `amount` of its asset when the allowance is short, but only when the
 * action would otherwise succeed: `simulate` runs the action first, and a revert for any other
 * reason (already a member, deposit too low, paused...) is thrown before an approval is sent.
 */
export async function ensureAllowance(
  client: HuzhuClientConfig,
  pool: Address,
  owner: Address,
  amount: bigint,
  simulate: () => Promise<void>,
): Promise<void> {
  if (amount === 0n) return;
  const asset = await assetOf(client, pool);
  const allowance = await read(client, asset, erc20PermitAbi, "allowance", [owner, pool]);
  if (allowance >= amount) return;
  try {
    await simulate();
  } catch (error) {
    if (error instanceof ContractRevertError && !ALLOWANCE_ERRORS.has(error.errorName)) throw error;
  }
  await write(client, asset, erc20PermitAbi, "approve", [pool, amount]);
}
