import { parseSignature } from "viem";
import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address, Hex } from "../core/types";
import { checkAmount, checkBytes32 } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { MissingAccountError } from "../errors/base";
import { erc20PermitAbi, poolAbi, poolOf, read, write } from "../internal/contract";
import { assetOf } from "../internal/token";
import { permitTypes } from "../utils/commitments";
import { getPermitDomain, type PermitDomain } from "./getPermitDomain";
import { NO_ATTESTATION, type Attestation } from "./join";

export interface JoinWithPermitParameters {
  amount: bigint;
  commitment: Hex;
  attestation?: Attestation;
  /** Permit deadline in seconds; one hour from the latest block by default. */
  deadline?: bigint;
  pool?: Address;
  /**
   * The token's EIP-712 domain, when you know it better than the token tells: it wins over discovery.
   * `chainId` defaults to the client's chain, `verifyingContract` to the pool's asset.
   */
  permitDomain?: Pick<PermitDomain, "name" | "version"> & Partial<PermitDomain>;
}
export type JoinWithPermitReturnType = TxReceipt;
/**
 * As `join`, plus `MemberPermitFailedError` when the token refuses the permit and no allowance is
 * left, and `PermitDomainError` when the token's EIP-712 domain cannot be found (see `getPermitDomain`).
 */
export type JoinWithPermitErrorType = HuzhuError;

/**
 * Joins in one transaction: the wallet signs an ERC-2612 permit for the deposit (no gas), and the
 * pool uses it and takes the deposit in the same transaction as the join. The permit's EIP-712
 * domain is `params.permitDomain` when given, else discovered by {@link getPermitDomain}: EIP-5267
 * `eip712Domain()`, or `name()`/`version()` (USDC: "USD Coin", "2") checked against the token's
 * `DOMAIN_SEPARATOR()` before anything is signed.
 * @example
 * await joinWithPermit(client, { amount: parseAmount("20", 6), commitment });
 */
export async function joinWithPermit(
  client: HuzhuClientConfig,
  params: JoinWithPermitParameters,
): Promise<JoinWithPermitReturnType> {
  const pool = poolOf(client, params.pool);
  const amount = checkAmount(params.amount);
  const commitment = checkBytes32(params.commitment, "commitment");
  const owner = await client.connector.getAddress();
  if (!owner) throw new MissingAccountError();
  const asset = await assetOf(client, pool);
  // The domain first: a token it cannot be found for may lack `nonces` too, and gets the plain error.
  const domain = params.permitDomain
    ? { chainId: await client.connector.getChainId(), verifyingContract: asset, ...params.permitDomain }
    : (await getPermitDomain(client, { token: asset })).domain;
  const [nonce, now] = await Promise.all([
    read(client, asset, erc20PermitAbi, "nonces", [owner]),
    client.connector.getTimestamp(),
  ]);
  const deadline = params.deadline ?? now + 3600n;
  const signature = await client.connector.signTypedData({
    domain,
    types: { Permit: [...permitTypes.Permit] },
    primaryType: "Permit",
    message: { owner, spender: pool, value: amount, nonce, deadline },
  });
  const { r, s, v, yParity } = parseSignature(signature);
  const permit = { deadline, v: Number(v ?? BigInt(yParity + 27)), r, s };
  return write(client, pool, poolAbi, "joinWithPermit", [
    amount,
    commitment,
    params.attestation ?? NO_ATTESTATION,
    permit,
  ]);
}
