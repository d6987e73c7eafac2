import { ethers } from "ethers";

/**
 * A plain TypeScript model of one Huzhu pool, written from DESIGN.md and the interfaces' NatSpec.
 * Every action either returns the custom error the chain must revert with (and changes nothing),
 * or applies its effect and returns null. Times are block timestamps, amounts base units.
 */

export enum MemberStatus {
  None,
  Waiting,
  Active,
  Exiting,
  Lapsed,
  Exited,
}

export enum ClaimState {
  None,
  Committing,
  Revealing,
  Resolvable,
  Approved,
  Rejected,
  NoQuorum,
  Paid,
}

export interface ModelRules {
  waitingPeriod: bigint;
  periodLength: bigint;
  commitWindow: bigint;
  revealWindow: bigint;
  minDeposit: bigint;
  minBalance: bigint;
  maxClaimsPerPeriod: bigint;
  feeBps: bigint;
  maxClaimAmount: bigint;
  capPerMember: bigint;
  quorum: bigint;
  approvalThresholdBps: bigint;
  claimBond: bigint;
}

/** A revert the chain must produce: the custom error's name and its arguments. */
export interface Revert {
  error: string;
  args: unknown[];
}

export type Outcome = Revert | null;

const revert = (error: string, ...args: unknown[]): Revert => ({ error, args });

export interface MemberRecord {
  status: MemberStatus; // stored: Waiting for every counted member not exiting, Exiting, Lapsed or Exited
  eligibleAt: bigint;
  credit: bigint;
  chargeMark: bigint; // index at join while counted; total charged once gone
  exitBound: bigint; // meaningful while Exiting only
}

/** A voter's own memory of their sealed vote (the SDK keeps it for them). */
export interface SealedVote {
  support: boolean;
  salt: string;
}

export interface ClaimRecord {
  id: bigint;
  claimant: string;
  submittedAt: bigint;
  status: ClaimState; // Committing while pending, then the recorded outcome
  amount: bigint;
  bond: bigint;
  approvals: bigint;
  rejections: bigint;
  commitments: Map<string, string>; // voter => commitment on chain
  sealed: Map<string, SealedVote>; // voter => what they committed to
}

export interface SettlementFigures {
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
  paid: Array<{ claimId: bigint; claimant: string; requested: bigint; paid: bigint }>;
}

const BPS = 10_000n;

export function voteCommitment(claimId: bigint, voter: string, support: boolean, salt: string): string {
  return ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(
      ["uint256", "address", "bool", "bytes32"],
      [claimId, voter, support, salt],
    ),
  );
}

export class PoolModel {
  readonly members = new Map<string, MemberRecord>();
  readonly claims: ClaimRecord[] = []; // claims[id - 1]
  readonly openClaims = new Map<string, bigint>();
  readonly payouts = new Map<string, bigint>();
  readonly queue: bigint[] = []; // approved claim ids, ever; queueHead marks the first unpaid
  readonly settlements = new Map<bigint, SettlementFigures>();
  queueHead = 0;
  resolvedCount = 0n;
  memberCount = 0n;
  chargeIndex = 0n;
  surplus = 0n;
  deficit = 0n;
  fees = 0n;
  nextPeriod = 0n;
  paused = false;
  /** Tokens the escrow must hold: every inflow minus every outflow. */
  tokens = 0n;
  /** Timestamp of the latest block. */
  now: bigint;

  constructor(
    readonly rules: ModelRules,
    readonly startedAt: bigint,
    readonly operator: string,
    readonly guardian: string,
    now: bigint,
  ) {
    this.now = now;
  }

  // ------------------------------------------------------------------ views

  get claimCount(): bigint {
    return BigInt(this.claims.length);
  }

  record(account: string): MemberRecord {
    return (
      this.members.get(account) ?? {
        status: MemberStatus.None,
        eligibleAt: 0n,
        credit: 0n,
        chargeMark: 0n,
        exitBound: 0n,
      }
    );
  }

  static isCounted(status: MemberStatus): boolean {
    return status === MemberStatus.Waiting || status === MemberStatus.Exiting;
  }

  statusAt(account: string, t: bigint): MemberStatus {
    const m = this.record(account);
    if (m.status === MemberStatus.Waiting && t >= m.eligibleAt) return MemberStatus.Active;
    return m.status;
  }

  chargedOf(account: string): bigint {
    const m = this.record(account);
    return PoolModel.isCounted(m.status) ? this.chargeIndex - m.chargeMark : m.chargeMark;
  }

  balanceOf(account: string): bigint {
    return this.record(account).credit - this.chargedOf(account);
  }

  payoutOf(account: string): bigint {
    return this.payouts.get(account) ?? 0n;
  }

  claim(id: bigint): ClaimRecord | undefined {
    return id >= 1n && id <= this.claimCount ? this.claims[Number(id - 1n)] : undefined;
  }

  commitEnd(c: ClaimRecord): bigint {
    return c.submittedAt + this.rules.commitWindow;
  }

  revealEnd(c: ClaimRecord): bigint {
    return c.submittedAt + this.rules.commitWindow + this.rules.revealWindow;
  }

  claimState(id: bigint, t: bigint): ClaimState {
    const c = this.claim(id);
    if (c === undefined) return ClaimState.None;
    if (c.status !== ClaimState.Committing) return c.status;
    if (t < this.commitEnd(c)) return ClaimState.Committing;
    if (t < this.revealEnd(c)) return ClaimState.Revealing;
    return ClaimState.Resolvable;
  }

  claimsIn(state: ClaimState, t: bigint): ClaimRecord[] {
    return this.claims.filter((c) => this.claimState(c.id, t) === state);
  }

  /** Bonds of claims submitted and not yet resolved. */
  openBonds(): bigint {
    return this.claims.filter((c) => c.status === ClaimState.Committing).reduce((sum, c) => sum + c.bond, 0n);
  }

  periodEnd(period: bigint): bigint {
    return this.startedAt + (period + 1n) * this.rules.periodLength;
  }

  queueLength(): bigint {
    return BigInt(this.queue.length - this.queueHead);
  }

  queueFront(): bigint {
    return this.queueHead < this.queue.length ? this.queue[this.queueHead] : 0n;
  }

  claimsDoneBelow(bound: bigint): boolean {
    if (this.resolvedCount + 1n < bound) return false;
    return this.queueHead === this.queue.length || this.queue[this.queueHead] >= bound;
  }

  // ------------------------------------------------------------------ carry

  private carryLoss(amount: bigint): void {
    if (this.surplus >= amount) this.surplus -= amount;
    else {
      this.deficit += amount - this.surplus;
      this.surplus = 0n;
    }
  }

  private carryGain(amount: bigint): void {
    if (this.deficit >= amount) this.deficit -= amount;
    else {
      this.surplus += amount - this.deficit;
      this.deficit = 0n;
    }
  }

  private creditPayout(account: string, amount: bigint): void {
    this.payouts.set(account, this.payoutOf(account) + amount);
  }

  /** Takes a member out of the count; a negative balance is written off and carried as a deficit. */
  private leave(account: string, status: MemberStatus): void {
    const m = this.record(account);
    let charged = this.chargeIndex - m.chargeMark;
    if (charged > m.credit) {
      this.carryLoss(charged - m.credit);
      charged = m.credit;
    }
    m.status = status;
    m.chargeMark = charged;
    this.memberCount -= 1n;
  }

  // ------------------------------------------------------------------ member actions

  join(account: string, amount: bigint, t: bigint): Outcome {
    if (this.paused) return revert("EnforcedPause");
    if (amount < this.rules.minDeposit) return revert("MemberDepositTooLow", amount, this.rules.minDeposit);
    if (this.record(account).status !== MemberStatus.None) return revert("MemberAlreadyJoined", account);
    this.members.set(account, {
      status: MemberStatus.Waiting,
      eligibleAt: t + this.rules.waitingPeriod,
      credit: amount,
      chargeMark: this.chargeIndex,
      exitBound: 0n,
    });
    this.memberCount += 1n;
    this.tokens += amount;
    return null;
  }

  topUp(account: string, amount: bigint, t: bigint): Outcome {
    if (amount === 0n) return revert("MemberZeroAmount");
    const m = this.record(account);
    if (!PoolModel.isCounted(m.status)) return revert("UnexpectedMemberStatus", account, this.statusAt(account, t));
    m.credit += amount;
    this.tokens += amount;
    return null;
  }

  requestExit(account: string, t: bigint): Outcome {
    const m = this.record(account);
    if (m.status !== MemberStatus.Waiting) return revert("UnexpectedMemberStatus", account, this.statusAt(account, t));
    m.status = MemberStatus.Exiting;
    m.exitBound = this.claimCount + 1n;
    return null;
  }

  completeExit(account: string, t: bigint): Outcome {
    const m = this.record(account);
    if (m.status !== MemberStatus.Exiting) return revert("UnexpectedMemberStatus", account, this.statusAt(account, t));
    if (!this.claimsDoneBelow(m.exitBound)) return revert("MemberExitNotReady", account, m.exitBound);
    m.exitBound = 0n;
    this.leave(account, MemberStatus.Exited);
    return null;
  }

  withdraw(account: string, amount: bigint): Outcome {
    if (amount === 0n) return revert("MemberZeroAmount");
    const m = this.record(account);
    if (m.status === MemberStatus.None) return revert("UnexpectedMemberStatus", account, MemberStatus.None);
    const needed = PoolModel.isCounted(m.status) ? amount + this.rules.minBalance : amount;
    const balance = this.balanceOf(account);
    if (balance < needed) return revert("MemberInsufficientBalance", account, balance, needed);
    m.credit -= amount;
    this.tokens -= amount;
    return null;
  }

  lapse(account: string, t: bigint): Outcome {
    const m = this.record(account);
    if (!PoolModel.isCounted(m.status)) return revert("UnexpectedMemberStatus", account, this.statusAt(account, t));
    const balance = this.balanceOf(account);
    if (balance >= this.rules.minBalance) return revert("MemberFunded", account, balance, this.rules.minBalance);
    this.leave(account, MemberStatus.Lapsed);
    return null;
  }

  // ------------------------------------------------------------------ claims and votes

  submitClaim(account: string, amount: bigint, t: bigint): Outcome {
    if (this.paused) return revert("EnforcedPause");
    if (amount === 0n || amount > this.rules.maxClaimAmount) {
      return revert("ClaimAmountOutOfRange", amount, this.rules.maxClaimAmount);
    }
    const status = this.statusAt(account, t);
    if (status !== MemberStatus.Active) return revert("ClaimantNotActive", account, status);
    const balance = this.balanceOf(account);
    if (balance < this.rules.minBalance) return revert("ClaimantUnderfunded", account, balance, this.rules.minBalance);
    const open = this.openClaims.get(account) ?? 0n;
    if (open !== 0n) return revert("ClaimAlreadyOpen", account, open);
    const id = this.claimCount + 1n;
    this.claims.push({
      id,
      claimant: account,
      submittedAt: t,
      status: ClaimState.Committing,
      amount,
      bond: this.rules.claimBond,
      approvals: 0n,
      rejections: 0n,
      commitments: new Map(),
      sealed: new Map(),
    });
    this.openClaims.set(account, id);
    this.tokens += this.rules.claimBond;
    return null;
  }

  commitVote(voter: string, id: bigint, support: boolean, salt: string, t: bigint): Outcome {
    const state = this.claimState(id, t);
    if (state !== ClaimState.Committing) return revert("UnexpectedClaimState", id, state, ClaimState.Committing);
    const c = this.claim(id)!;
    if (c.claimant === voter) return revert("VoterIsClaimant", id, voter);
    const m = this.record(voter);
    if (!PoolModel.isCounted(m.status) || m.eligibleAt >= c.submittedAt) return revert("VoterNotEligible", id, voter);
    c.commitments.set(voter, voteCommitment(id, voter, support, salt));
    c.sealed.set(voter, { support, salt });
    return null;
  }

  revealVote(voter: string, id: bigint, support: boolean, salt: string, t: bigint): Outcome {
    const state = this.claimState(id, t);
    if (state !== ClaimState.Revealing) return revert("UnexpectedClaimState", id, state, ClaimState.Revealing);
    const c = this.claim(id)!;
    const stored = c.commitments.get(voter);
    if (stored === undefined) return revert("VoteNotCommitted", id, voter);
    if (!PoolModel.isCounted(this.record(voter).status)) return revert("VoterNotEligible", id, voter);
    if (stored !== voteCommitment(id, voter, support, salt)) return revert("VoteRevealMismatch", id, voter);
    c.commitments.delete(voter);
    if (support) c.approvals += 1n;
    else c.rejections += 1n;
    return null;
  }

  resolve(id: bigint, t: bigint): Outcome {
    const state = this.claimState(id, t);
    if (state !== ClaimState.Resolvable) return revert("UnexpectedClaimState", id, state, ClaimState.Resolvable);
    for (let k = this.resolvedCount + 1n; k <= id; k++) this.resolveOne(this.claim(k)!);
    this.resolvedCount = id;
    return null;
  }

  private resolveOne(c: ClaimRecord): void {
    const revealed = c.approvals + c.rejections;
    if (revealed < this.rules.quorum) {
      c.status = ClaimState.NoQuorum;
      this.creditPayout(c.claimant, c.bond);
      this.openClaims.delete(c.claimant);
    } else if (c.approvals * BPS >= revealed * this.rules.approvalThresholdBps) {
      c.status = ClaimState.Approved;
      this.creditPayout(c.claimant, c.bond);
      this.queue.push(c.id);
    } else {
      c.status = ClaimState.Rejected;
      this.openClaims.delete(c.claimant);
      this.carryGain(c.bond);
    }
  }

  // ------------------------------------------------------------------ settlement

  settle(period: bigint, t: bigint): Outcome {
    if (period !== this.nextPeriod) return revert("PeriodNotNext", period, this.nextPeriod);
    const end = this.periodEnd(period);
    if (t < end) return revert("PeriodNotEnded", period, end);

    const members = this.memberCount;
    const maxCount = members === 0n ? 0 : Number(this.rules.maxClaimsPerPeriod);
    const paid: SettlementFigures["paid"] = [];
    while (paid.length < maxCount && this.queueHead < this.queue.length) {
      const c = this.claim(this.queue[this.queueHead])!;
      if (this.revealEnd(c) > end) break;
      const cap = this.rules.capPerMember * members;
      paid.push({ claimId: c.id, claimant: c.claimant, requested: c.amount, paid: c.amount < cap ? c.amount : cap });
      c.status = ClaimState.Paid;
      this.openClaims.delete(c.claimant);
      this.queueHead += 1;
    }

    // No annual cap in these rules: nothing is ever cut.
    const surplusIn = this.surplus;
    const deficitIn = this.deficit;
    const payouts = paid.reduce((sum, p) => sum + p.paid, 0n);
    let fee = 0n;
    let share = 0n;
    let surplusOut = surplusIn;
    let deficitOut = deficitIn;
    if (members !== 0n) {
      fee = (payouts * this.rules.feeBps) / BPS;
      const gross = payouts + fee + deficitIn;
      deficitOut = 0n;
      if (gross <= surplusIn) surplusOut = surplusIn - gross;
      else {
        const need = gross - surplusIn;
        share = (need + members - 1n) / members;
        surplusOut = share * members - need;
      }
    }

    this.chargeIndex += share;
    this.surplus = surplusOut;
    this.deficit = deficitOut;
    this.nextPeriod = period + 1n;
    this.fees += fee;
    for (const p of paid) if (p.paid !== 0n) this.creditPayout(p.claimant, p.paid);
    this.settlements.set(period, {
      members,
      claimsPaid: BigInt(paid.length),
      payouts,
      fee,
      cut: 0n,
      surplusIn,
      deficitIn,
      share,
      surplusOut,
      deficitOut,
      chargeIndex: this.chargeIndex,
      paid,
    });
    return null;
  }

  // ------------------------------------------------------------------ escrow and roles

  withdrawPayout(account: string): Outcome {
    const amount = this.payoutOf(account);
    if (amount === 0n) return revert("EscrowNothingToWithdraw", account);
    this.payouts.delete(account);
    this.tokens -= amount;
    return null;
  }

  withdrawFees(caller: string): Outcome {
    if (caller !== this.operator) return revert("ConfigUnauthorized", caller);
    if (this.fees === 0n) return revert("EscrowNothingToWithdraw", caller);
    this.tokens -= this.fees;
    this.fees = 0n;
    return null;
  }

  pause(caller: string): Outcome {
    if (caller !== this.guardian) return revert("ConfigUnauthorized", caller);
    if (this.paused) return revert("EnforcedPause");
    this.paused = true;
    return null;
  }

  unpause(caller: string): Outcome {
    if (caller !== this.guardian) return revert("ConfigUnauthorized", caller);
    if (!this.paused) return revert("ExpectedPause");
    this.paused = false;
    return null;
  }
}
