import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address } from "../core/types";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, read, write } from "../internal/contract";
import { findEvents } from "../internal/events";

export interface DrawJuryParameters {
  claimId: bigint;
  pool?: Address;
}
export interface DrawJuryReturnType {
  receipt: TxReceipt;
  /** The round whose jury was drawn (or re-anchored). */
  round: bigint;
  /** The members seated by this draw, in seating order. */
  jurors: Address[];
  /**
   * True when the seed block had aged out (no draw within 256 blocks): the round was re-anchored to
   * a new future block and nobody was seated; call again once that block exists.
   */
  reanchored: boolean;
}
/**
 * `JurySeedNotReadyError` (the seed block is not mined yet: wait a block), `UnexpectedClaimStateError`
 * (drawn already, or the round's commit window is over).
 */
export type DrawJuryErrorType = HuzhuError;

/**
 * Draws the jury of a claim's current round from the juror set, with the seed fixed at the round's
 * opening. Anyone may call (a keeper does, in the first block the seed exists).
 * @example
 * const { jurors, reanchored } = await drawJury(client, { claimId: 7n });
 * if (!reanchored) console.log(`seated ${jurors.length}: ${jurors.join(", ")}`);
 */
export async function drawJury(client: HuzhuClientConfig, params: DrawJuryParameters): Promise<DrawJuryReturnType> {
  const pool = poolOf(client, params.pool);
  const { round } = await read(client, pool, poolAbi, "claim", [params.claimId]);
  const receipt = await write(client, pool, poolAbi, "drawJury", [params.claimId]);
  const jurors = findEvents(receipt, poolAbi, "JurorSeated").map((e) => e.args.juror as Address);
  const reanchored = findEvents(receipt, poolAbi, "JuryReanchored").length > 0;
  return { receipt, round, jurors, reanchored };
}
