import type { HuzhuClientConfig } from "../clients/client";
import type { Address, Hex } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { poolOf } from "../internal/contract";
import { saltFromSignature, voteSaltMessage } from "../utils/commitments";

export interface DeriveVoteSaltParameters {
  claimId: bigint;
  pool?: Address;
}
export type DeriveVoteSaltReturnType = Hex;
export type DeriveVoteSaltErrorType = HuzhuError;

/**
 * Derives a vote's salt from the voter's wallet: the hash of its signature over a fixed message
 * naming the chain, pool and claim. ECDSA wallets sign deterministically (RFC 6979), so the same
 * wallet recomputes the same salt on any device: a voter never loses the ability to reveal.
 * Wallets whose signatures are not deterministic should pass their own salt to the vote actions.
 * @example
 * const salt = await deriveVoteSalt(client, { claimId: 7n });
 */
export async function deriveVoteSalt(
  client: HuzhuClientConfig,
  params: DeriveVoteSaltParameters,
): Promise<DeriveVoteSaltReturnType> {
  const pool = poolOf(client, params.pool);
  const chainId = await client.connector.getChainId();
  const signature = await client.connector.signMessage(voteSaltMessage(chainId, pool, params.claimId));
  return saltFromSignature(signature);
}
