import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import { checkAddress } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, write } from "../internal/contract";

export interface SetBeneficiaryParameters {
  /** Who the caller's claims pay unless a claim names another payee; the zero address removes it. */
  beneficiary: Address;
  pool?: Address;
}
export type SetBeneficiaryReturnType = TxReceipt;
/** `UnexpectedMemberStatusError` for a non-member, `RecoveryInvalidBeneficiaryError` for the pool itself. */
export type SetBeneficiaryErrorType = HuzhuError;

/**
 * Names the caller's beneficiary: a family member, say, who can withdraw the payout of the
 * member's approved claims (and nothing else) when the member cannot act. A claim may still name
 * another payee (`submitClaim({ payee })`).
 * @example
 * await setBeneficiary(client, { beneficiary: "0x..." });
 */
export async function setBeneficiary(
  client: HuzhuClientConfig,
  params: SetBeneficiaryParameters,
): Promise<SetBeneficiaryReturnType> {
  return write(client, poolOf(client, params.pool), poolAbi, "setBeneficiary", [
    checkAddress(params.beneficiary, "beneficiary"),
  ]);
}
