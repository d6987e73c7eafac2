import type { HuzhuClientConfig } from "../clients/client";
import type { Address, MemberStatement } from "../core/types";
import { MemberStatus, nameOf } from "../core/types";
import { checkAddress } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { poolAbi, poolOf } from "../internal/contract";
import { multicallViews, readCall } from "../internal/multicall";

export interface GetMemberStatementParameters {
  member: Address;
  pool?: Address;
  /** Read the statement as it was at this block (default: the latest block). */
  blockNumber?: bigint;
}

export type GetMemberStatementReturnType = MemberStatement;
export type GetMemberStatementErrorType = HuzhuError;

/**
 * Reads a member's statement: status, eligibility date, credit, charges, balance, payouts due and open
 * claim, in one Multicall3 request (single calls where Multicall3 is absent).
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
  const [m, payout, openClaimId] = await multicallViews(
    client,
    [
      readCall(pool, poolAbi, "member", [member]),
      readCall(pool, poolAbi, "payoutOf", [member]),
      readCall(pool, poolAbi, "openClaimOf", [member]),
    ],
    { blockNumber: params.blockNumber },
  );
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
