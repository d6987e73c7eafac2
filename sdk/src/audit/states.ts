/**
 * The v2 contracts' enums, as the auditor reads them (IMemberRegistry.MemberStatus,
 * IClaimVoting.ClaimState, Verdict, JurorVote). Kept with the auditor so that it reads v2 pools
 * whatever the rest of the SDK's tables say.
 */

export const MemberStatusV2 = {
  None: 0,
  Waiting: 1,
  Active: 2,
  Exiting: 3,
  Lapsing: 4,
  Lapsed: 5,
  Exited: 6,
} as const;
export type MemberStatusV2 = (typeof MemberStatusV2)[keyof typeof MemberStatusV2];

export const ClaimStateV2 = {
  None: 0,
  Drawing: 1,
  Committing: 2,
  Revealing: 3,
  Tallying: 4,
  Appealable: 5,
  Decided: 6,
  Resolvable: 7,
  Approved: 8,
  Rejected: 9,
  NoQuorum: 10,
  Paid: 11,
} as const;
export type ClaimStateV2 = (typeof ClaimStateV2)[keyof typeof ClaimStateV2];

export const Verdict = { None: 0, Approve: 1, Reject: 2 } as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export const JurorVote = { None: 0, Seated: 1, Committed: 2, Approved: 3, Rejected: 4 } as const;
export type JurorVote = (typeof JurorVote)[keyof typeof JurorVote];

/** The name of an enum value, or the number itself when it has none. */
export function nameIn(table: Record<string, number>, value: number): string {
  return Object.entries(table).find(([, v]) => v === value)?.[0] ?? String(value);
}
