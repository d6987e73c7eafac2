import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address, Hex } from "../core/types";
import { checkAmount, checkBytes32 } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { MissingAccountError } from "../errors/base";
import { poolAbi, poolOf, simulate, write } from "../internal/contract";
import { ensureAllowance } from "../internal/token";

/** An identity verifier's attestation; omit it when the pool has no verifier. */
export interface Attestation {
  deadline: bigint;
  signature: Hex;
}

export interface JoinParameters {
  /** First deposit in base units, at least the pool's minimum deposit. */
  amount: bigint;
  /** `keccak256(abi.encode(string identity, bytes32 salt))`: see `identityCommitment`. */
  commitment: Hex;
  /** Required when the pool has an identity verifier. */
  attestation?: Attestation;
  /** The pool; defaults to the client's. */
  pool?: Address;
  /** Approve the pool for the deposit first when the allowance is short (default true). */
  approve?: boolean;
}

export type JoinReturnType = TxReceipt;

/**
 * `MemberDepositTooLowError`, `MemberAlreadyJoinedError`, `MemberCommitmentUsedError`,
 * `MemberCommitmentMismatchError` (a returning wallet with another commitment), attestation errors,
 * `EnforcedPauseError`, ...
 */
export type JoinErrorType = HuzhuError;

export const NO_ATTESTATION: Attestation = { deadline: 0n, signature: "0x" };

/**
 * Joins a pool with a first deposit. The member is counted at once and shares every claim settled
 * from now on; they may claim, and sit on juries, after the waiting period.
 *
 * Returning: a wallet that left (`Exited`, or `Lapsed` after a forced exit) joins again the same way,
 * with the SAME identity commitment; its remaining balance is kept and a new waiting period starts.
 *
 * @example
 * const receipt = await join(client, { amount: parseAmount("20", 6), commitment: identityCommitment("passport:...", salt) });
 * // Later, after leaving: join again with the same commitment.
 * await join(client, { amount: parseAmount("20", 6), commitment: identityCommitment("passport:...", salt) });
 */
export async function join(client: HuzhuClientConfig, params: JoinParameters): Promise<JoinReturnType> {
  const pool = poolOf(client, params.pool);
  const amount = checkAmount(params.amount);
  const commitment = checkBytes32(params.commitment, "commitment");
  const member = await client.connector.getAddress();
  if (!member) throw new MissingAccountError();
  const attestation = params.attestation ?? NO_ATTESTATION;
  const allowance =
    params.approve === false
      ? undefined
      : await ensureAllowance(client, pool, member, amount, () =>
          simulate(client, pool, poolAbi, "join", [amount, commitment, attestation]),
        );
  return write(client, pool, poolAbi, "join", [amount, commitment, attestation], { allowance });
}
