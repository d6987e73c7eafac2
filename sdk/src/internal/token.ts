import type { HuzhuClientConfig } from "../clients/client";
import type { Address } from "../core/types";
import { erc20PermitAbi, poolAbi, read, write } from "./contract";

/** The pool's asset. */
export async function assetOf(client: HuzhuClientConfig, pool: Address): Promise<Address> {
  return (await read(client, pool, poolAbi, "rules", [])).asset;
}

/** Approves the pool for `amount` of its asset when the current allowance is short. */
export async function ensureAllowance(client: HuzhuClientConfig, pool: Address, owner: Address, amount: bigint) {
  if (amount === 0n) return;
  const asset = await assetOf(client, pool);
  const allowance = await read(client, asset, erc20PermitAbi, "allowance", [owner, pool]);
  if (allowance < amount) await write(client, asset, erc20PermitAbi, "approve", [pool, amount]);
}
