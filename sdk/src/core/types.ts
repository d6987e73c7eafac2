/** Types shared by the SDK, the CLI and the auditor. No client library is imported here. */

export type Address = `0x${string}`;
export type Hex = `0x${string}`;

// The contracts' enums (`MemberStatus`, `ClaimState`, and their `...Names` lists) are generated
// from the compiler's AST by scripts/sdk-codegen.ts: a value the contracts add appears on compile.
import { ClaimState, MemberStatus, type enumNames } from "./enums.generated";
export * from "./enums.generated";

/** The name of every enum of the contracts. */
export type EnumName = keyof typeof enumNames;

/** The name of a status or state number, e.g. `nameOf(MemberStatus, 2) === "Active"`. */
export function nameOf<T extends Record<string, number>>(table: T, value: number): keyof T & string {
  const entry = Object.entries(table).find(([, v]) => v === value);
  if (!entry) throw new RangeError(`no name for ${value}`);
  return entry[0] as keyof T & string;
}

/** The rules of a pool, as `IPoolConfig.Rules`: amounts in base units, durations in seconds. */
export interface Rules {
  asset: Address;
  waitingPeriod: number;
  periodLength: number;
  commitWindow: number;
  minDeposit: bigint;
  minBalance: bigint;
  maxClaimsPerPeriod: number;
  feeBps: number;
  maxClaimAmount: bigint;
  capPerMember: bigint;
  revealWindow: number;
  quorum: number;
  approvalThresholdBps: number;
  claimBond: bigint;
  annualChargeCap: bigint;
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
  /** Payouts and refunded bonds waiting to be withdrawn. */
  payout: bigint;
  openClaimId: bigint;
}

/** A claim with its tally. */
export interface ClaimInfo {
  id: bigint;
  claimant: Address;
  state: ClaimState;
  stateName: keyof typeof ClaimState;
  amount: bigint;
  bond: bigint;
  evidenceDigest: Hex;
  reviewDigest: Hex;
  submittedAt: bigint;
  commitEndsAt: bigint;
  revealEndsAt: bigint;
  approvals: bigint;
  rejections: bigint;
}

/** The figures of one settled period. */
export interface PeriodApportionment {
  period: bigint;
  settled: boolean;
  members: bigint;
  claimsPaid: bigint;
  payouts: bigint;
  fee: bigint;
  cut: bigint;
  surplusIn: bigint;
  deficitIn: bigint;
  share: bigint;
  surplusOut: bigint;
  deficitOut: bigint;
  chargeIndex: bigint;
  settledAt: bigint;
}
