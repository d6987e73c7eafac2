import type { HuzhuClientConfig } from "../clients/client";
import type { TxReceipt } from "../clients/connector";
import type { Address, Roles, Rules } from "../core/types";
import { checkAddress } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { InvalidParameterError } from "../errors/base";
import { factoryAbi, factoryOf, write } from "../internal/contract";
import { findEvent } from "../internal/events";

const ZERO: Address = "0x0000000000000000000000000000000000000000";

export interface CreatePoolParameters {
  rules: Rules;
  /** Only the operator is required; the other roles default to none (the zero address). */
  roles: Pick<Roles, "operator"> & Partial<Roles>;
  factory?: Address;
}
export interface CreatePoolReturnType {
  pool: Address;
  receipt: TxReceipt;
}
/** `Config*Error` for rules that break solvency or a decidable vote (checked by the pool itself). */
export type CreatePoolErrorType = HuzhuError;

/**
 * Creates a pool through the factory. The pool validates the rules: a minimum balance that cannot
 * pay the largest share, a fee above 10% or a zero window are refused with a typed error.
 * @example
 * const { pool } = await createPool(client, { rules, roles: { operator: "0x..." } });
 */
export async function createPool(
  client: HuzhuClientConfig,
  params: CreatePoolParameters,
): Promise<CreatePoolReturnType> {
  const factory = factoryOf(client, params.factory);
  const rules = params.rules;
  checkAddress(rules.asset, "rules.asset");
  for (const key of [
    "minDeposit",
    "minBalance",
    "maxClaimAmount",
    "capPerMember",
    "claimBond",
    "annualChargeCap",
  ] as const) {
    if (typeof rules[key] !== "bigint" || rules[key] < 0n)
      throw new InvalidParameterError(`rules.${key}`, "must be a non-negative bigint of base units");
  }
  const roles: Roles = {
    operator: checkAddress(params.roles.operator, "roles.operator"),
    verifier: checkAddress(params.roles.verifier ?? ZERO, "roles.verifier"),
    assessor: checkAddress(params.roles.assessor ?? ZERO, "roles.assessor"),
    guardian: checkAddress(params.roles.guardian ?? ZERO, "roles.guardian"),
  };
  const receipt = await write(client, factory, factoryAbi, "createPool", [rules, roles]);
  const event = findEvent(receipt, factoryAbi, "PoolCreated");
  return { pool: event!.args.pool, receipt };
}
