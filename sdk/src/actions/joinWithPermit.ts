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
import { NO_ATTESTATION, type Attestation } from "./join";

export interface JoinWithPermitParameters {
  amount: bigint;
  commitment: Hex;
  attestation?: Attestation;
  /** Permit deadline in seconds; one hour from the latest block by default. */
  deadline?: bigint;
  pool?: Address;
}
export type JoinWithPermitReturnType = TxReceipt;
/** As `join`, plus `MemberPermitFailedError` when the token refuses the permit and no allowance is left. */
export type JoinWithPermitErrorType = HuzhuError;

/**
 * Joins in one transaction: the wallet signs an ERC-2612 permit for the deposit (no gas), and the
 * pool uses it and takes the deposit in the same transaction as the join.
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
  const [domain, nonce, chainId, now] = await Promise.all([
    read(client, asset, erc20PermitAbi, "eip712Domain", []),
    read(client, asset, erc20PermitAbi, "nonces", [owner]),
    client.connector.getChainId(),
    client.connector.getTimestamp(),
  ]);
  const deadline = params.deadline ?? now + 3600n;
  const signature = await client.connector.signTypedData({
    domain: { name: domain[1], version: domain[2], chainId, verifyingContract: asset },
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
