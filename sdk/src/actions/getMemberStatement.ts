import type { HuzhuClientConfig } from "../clients/client";
import type { Address, MemberStatement } from "../core/types";
import { MemberStatus, nameOf } from "../core/types";
import { checkAddress } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf, read } from "../internal/contract";

export interface GetMemberStatementParameters {
  member: Address;
  pool?: Address;
}

export type GetMemberStatementReturnType = MemberStatement;
export type GetMemberStatementErrorType = HuzhuError;

/**
 * Reads a member's statement: status, eligibility date, credit, charges, balance, payouts due and open claim.
 *
 * @example
 * const s = await getMemberStatement(client, { member: "0x..." });
 * console.log(s.statusName, formatAmount(s.balance, 6));
 */
export async function getMemberStatement(
  client: HuzhuClientConfig,
  params: GetMemberStatementParameters,
): Promise<GetMemberStatementReturnType> {
  const pool = poolOf(client, params.pool);
  const member = checkAddress(params.member, "member");
  const [m, payout, openClaimId] = await Promise.all([
    read(client, pool, poolAbi, "member", [member]),
    read(client, pool, poolAbi, "payoutOf", [member]),
    read(client, pool, poolAbi, "openClaimOf", [member]),
  ]);
  const status = m.status as MemberStatus;
  return {
    member,
    status,
    statusName: nameOf(MemberStatus, status),
    eligibleAt: m.eligibleAt,
    credit: m.credit,
    charged: m.charged,
    balance: m.balance,
    exitClaimBound: m.exitClaimBound,
    lapsableAt: m.lapsableAt,
    payout,
    openClaimId,
  };
}
