/** Types shared by the SDK, the CLI and the auditor. No client library is imported here. */

export type Address = `0x${string}`;
export type Hex = `0x${string}`;

// The contracts' enums (`MemberStatus`, `ClaimState`, and their `...Names` lists) are generated
// from the compiler's AST by scripts/sdk-codegen.ts: a value the contracts add appears on compile.
import { ClaimState, MemberStatus, type enumNames } from "./enums.generated";
export * from "./enums.generated";

/** The name of every enum of the contracts. */
export type EnumName = keyof typeof enumNames;

/** A round's verdict, numbered as in `IClaimVoting.Verdict`. */
export const Verdict = { None: 0, Approve: 1, Reject: 2 } as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

/** Where a member stands on a claim's jury, numbered as in `IClaimVoting.JurorVote`. */
export const JurorVote = { None: 0, Seated: 1, Committed: 2, Approved: 3, Rejected: 4 } as const;
export type JurorVote = (typeof JurorVote)[keyof typeof JurorVote];

/** The name of a status or state number, e.g. `nameOf(MemberStatus, 2) === "Active"`. */
export function nameOf<T extends Record<string, number>>(table: T, value: number): keyof T & string {
  const entry = Object.entries(table).find(([, v]) => v === value);
  if (!entry) throw new RangeError(`no name for ${value}`);
  return entry[0] as keyof T & string;
}

/** The rules of a pool, as `IPoolConfig.Rules`: amounts in base units, durations in seconds. */
export interface Rules {
  asset: Address;
  /** The jury seed source (`IJuryRandomness`); the zero address = the hash of a future block. */
  randomness: Address;
  waitingPeriod: number;
  periodLength: number;
  commitWindow: number;
  revealWindow: number;
  /** After a round's verdict, the time to appeal it. */
  appealWindow: number;
  /** From a flag for an unfunded balance until the member may be lapsed (at least a period). */
  lapseGrace: number;
  minDeposit: bigint;
  minBalance: bigint;
  maxClaimsPerPeriod: number;
  feeBps: number;
  /** Seats of a first jury: odd, at least 3. */
  jurySize: number;
  /** Rounds after the first: a fresh jury after no quorum, or an appeal (at least 1). */
  maxAppealRounds: number;
  /** Revealed votes needed, in basis points of the round's seats (> 5000). */
  quorumBps: number;
  approvalThresholdBps: number;
  maxClaimAmount: bigint;
  capPerMember: bigint;
  claimBond: bigint;
  appealBond: bigint;
  /** Taken from a seated juror who does not reveal. */
  jurorPenalty: bigint;
  annualChargeCap: bigint;
  /** Most one member can be paid in a pool year; 0 = no limit. */
  maxPayoutPerMember: bigint;
}

/** The role holders of a pool; the zero address for a role the pool does not use. */
export interface Roles {
  operator: Address;
  verifier: Address;
  assessor: Address;
  guardian: Address;
}

/** A pool's rules, roles and live figures. */
export interface PoolInfo {
  address: Address;
  rules: Rules;
  roles: Roles;
  token: { address: Address; symbol: string; decimals: number };
  startedAt: bigint;
  memberCount: bigint;
  chargeIndex: bigint;
  currentPeriod: bigint;
  nextPeriodToSettle: bigint;
  claimCount: bigint;
  surplus: bigint;
  deficit: bigint;
  feesAccrued: bigint;
  paused: boolean;
  /** True when the pool has no identity verifier: anyone may join with any commitment. */
  isOpenPool: boolean;
  /** A claim's whole timetable in seconds: `(1 + maxAppealRounds) x (commit + reveal + appeal windows)`. */
  claimTimetable: bigint;
  /** The next part of `nextPeriodToSettle` (a period with many claims is settled in parts). */
  nextPart: bigint;
}

/** What a member has put in, been charged and holds. */
export interface MemberStatement {
  member: Address;
  status: MemberStatus;
  statusName: keyof typeof MemberStatus;
  /** From this time (seconds) the member may claim, and vote on claims submitted after it. */
  eligibleAt: bigint;
  /** Deposits minus withdrawals. */
  credit: bigint;
  charged: bigint;
  balance: bigint;
  exitClaimBound: bigint;
  /** While flagged for an unfunded balance: when the member may be lapsed; 0 when not flagged. */
  lapsableAt: bigint;
  /** Payouts and refunded bonds waiting to be withdrawn. */
  payout: bigint;
  openClaimId: bigint;
}

/** One jury round of a claim (`IClaimVoting.RoundView`), with its jurors. */
export interface RoundInfo {
  claimId: bigint;
  round: bigint;
  /** The block whose hash seeds the draw (0 before the round opens). */
  seedBlock: bigint;
  /** Juror set positions the draw samples. */
  setSize: bigint;
  seatsTarget: bigint;
  /** Seats filled by the draw. */
  seats: bigint;
  /** Revealed votes needed. */
  quorum: bigint;
  approvals: bigint;
  rejections: bigint;
  reanchors: bigint;
  drawn: boolean;
  tallied: boolean;
  opensAt: bigint;
  commitEndsAt: bigint;
  revealEndsAt: bigint;
  appealEndsAt: bigint;
  jurors: Address[];
}

/** A claim, its current round and verdict. */
export interface ClaimInfo {
  id: bigint;
  claimant: Address;
  state: ClaimState;
  stateName: keyof typeof ClaimState;
  amount: bigint;
  bond: bigint;
  /** The fee in force at submission: the one this claim is charged. */
  feeBps: bigint;
  evidenceDigest: Hex;
  reviewDigest: Hex;
  submittedAt: bigint;
  /** The current (last opened) round. */
  round: bigint;
  /** The last quorate round's verdict. */
  verdict: Verdict;
  verdictName: keyof typeof Verdict;
  /** A pending appeal's appellant, or the zero address. */
  appellant: Address;
  /** The end of the claim's timetable: it becomes final then, whatever happens. */
  resolvesAt: bigint;
}

/** The stored figures of one settle call ("part") of a period (`ICostSharingPool.Settlement`). */
export interface SettlementPart {
  part: bigint;
  members: bigint;
  claimsPaid: bigint;
  share: bigint;
  chargeIndex: bigint;
  /** The period's last part. */
  closed: boolean;
}

/**
 * A period's settlement: its parts as stored, and totals over them (payouts, fee, cut and carry are
 * only in the `PeriodSettled` events: see the auditor).
 */
export interface PeriodApportionment {
  period: bigint;
  /** Every part is settled and the period is closed. */
  settled: boolean;
  parts: SettlementPart[];
  members: bigint;
  claimsPaid: bigint;
  /** The sum of the parts' shares: what one member counted through the period was charged. */
  share: bigint;
  chargeIndex: bigint;
}
