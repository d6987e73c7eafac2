import { ethers } from "ethers";

/**
 * A plain TypeScript model of one Huzhu v2 pool, written from DESIGN.md, V2-NOTES.md and the
 * interfaces' NatSpec. Every action either returns the custom error the chain must revert with (and
 * changes nothing), or applies its effect and returns null. Times are block timestamps, amounts base
 * units. The jury draw is predicted exactly from the seed block's hash (the test reads it).
 */

export enum MemberStatus {
  None,
  Waiting,
  Active,
  Exiting,
  Lapsing,
  Lapsed,
  Exited,
}

export enum ClaimState {
  None,
  Drawing,
  Committing,
  Revealing,
  Tallying,
  Appealable,
  Decided,
  Resolvable,
  Approved,
  Rejected,
  NoQuorum,
  Paid,
}

export enum Verdict {
  None,
  Approve,
  Reject,
}

export enum JurorVote {
  None,
  Seated,
  Committed,
  Approved,
  Rejected,
}

export interface ModelRules {
  waitingPeriod: bigint;
  periodLength: bigint;
  commitWindow: bigint;
  revealWindow: bigint;
  appealWindow: bigint;
  lapseGrace: bigint;
  minDeposit: bigint;
  minBalance: bigint;
  maxClaimsPerPeriod: bigint;
  feeBps: bigint;
  jurySize: bigint;
  maxAppealRounds: bigint;
  quorumBps: bigint;
  approvalThresholdBps: bigint;
  maxClaimAmount: bigint;
  capPerMember: bigint;
  claimBond: bigint;
  appealBond: bigint;
  jurorPenalty: bigint;
  maxPayoutPerMember: bigint;
}

/** A revert the chain must produce: the custom error's name and its arguments. */
export interface Revert {
  error: string;
  args: unknown[];
}

export type Outcome = Revert | null;

const revert = (error: string, ...args: unknown[]): Revert => ({ error, args });

export interface MemberRecord {
  status: MemberStatus; // stored: Waiting (also Active by the clock), Exiting, Lapsing, Lapsed, Exited
  flagged: boolean;
  lapsableAt: bigint;
  eligibleAt: bigint;
  credit: bigint;
  chargeMark: bigint; // index at join while counted; total charged once gone
  exitBound: bigint; // while Exiting or Lapsing
  commitment: string;
}

export interface RoundRecord {
  seedBlock: bigint;
  setSize: bigint;
  target: bigint;
  seats: string[];
  approvals: bigint;
  rejections: bigint;
  drawn: boolean;
  tallied: boolean;
}

export interface VoteRecord {
  round: bigint;
  vote: JurorVote;
  commitment: string;
  support: boolean;
  salt: string;
}

export interface ClaimRecord {
  id: bigint;
  claimant: string;
  submittedAt: bigint;
  status: ClaimState; // Drawing while pending, then the recorded outcome
  verdict: Verdict;
  feeBps: bigint;
  amount: bigint;
  bond: bigint;
  evidence: string;
  round: bigint;
  rounds: RoundRecord[];
  votes: Map<string, VoteRecord>;
  appellant: string | null;
  /** Who is paid the payout: the payee named at submission, else the beneficiary, else the claimant. */
  payee: string;
}

/** A recovery waiting for its delay, by the member it moves. */
export interface PendingRecovery {
  newWallet: string;
  readyAt: bigint;
  byVerifier: boolean;
}

export const RECOVERY_DELAY = 30n * 24n * 60n * 60n;

/** A member's settings (they move with the membership); `nonce` is signed in the verifier's attestations. */
export interface RecoveryOptions {
  beneficiary: string;
  recoveryAddress: string;
  verifierRecoveryOff: boolean;
  nonce: bigint;
}

/** What a recovery attestation says, and who signed it (the verifier, or someone else). */
export interface RecoveryAttestation {
  signer: string;
  member: string;
  newWallet: string;
  commitment: string;
  nonce: bigint;
  deadline: bigint;
}
const ZERO_ADDRESS = ethers.ZeroAddress;

export interface SettlementFigures {
  period: bigint;
  part: bigint;
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
  closed: boolean;
  paid: Array<{ claimId: bigint; claimant: string; payee: string; requested: bigint; paid: bigint }>;
}

const BPS = 10_000n;
const YEAR = 365n * 24n * 60n * 60n;
export const MAX_CLAIMS_PER_SETTLE = 180n;
const MAX_PERIODS_PER_SETTLE = 32;
const MAX_FEE_BPS = 1_000n;
const coder = ethers.AbiCoder.defaultAbiCoder();

export function voteCommitment(claimId: bigint, round: bigint, juror: string, support: boolean, salt: string): string {
  return ethers.keccak256(
    coder.encode(["uint256", "uint256", "address", "bool", "bytes32"], [claimId, round, juror, support, salt]),
  );
}

/** The chain keeps a commitment without its low 16 bits. */
const masked = (c: string): bigint => BigInt(c) & ~0xffffn;

export class PoolModel {
  readonly members = new Map<string, MemberRecord>();
  readonly commitmentOwners = new Map<string, string>();
  /** The juror set, position by position: a notice leaves a hole (the leaver's address stays), a join fills the last hole. */
  readonly jurorSet: string[] = [];
  readonly jurorHoles: number[] = [];
  private readonly jurorPositions = new Map<string, number>();
  readonly claims: ClaimRecord[] = []; // claims[id - 1]
  readonly openClaims = new Map<string, bigint>();
  readonly evidenceUsed = new Set<string>();
  readonly payouts = new Map<string, bigint>();
  readonly yearPayouts = new Map<string, { year: bigint; used: bigint }>();
  /** A member's settings (they move with the membership): beneficiary, recovery address, verifier opt-out, nonce. */
  readonly options = new Map<string, RecoveryOptions>();
  /** The pool's identity verifier (zero: none); it never changes in a run (fee changes keep the roles). */
  verifier = ZERO_ADDRESS;
  readonly pendingRecoveries = new Map<string, PendingRecovery>();
  /** The recovery trail (RecoveryTrail.sol): where each recovered membership went, and came from. */
  readonly movedTo = new Map<string, string>();
  readonly movedFrom = new Map<string, string>();
  /** Wallets whose record carries the MOVED mark: from a completed recovery until a join rewrites it. */
  readonly movedMark = new Set<string>();
  readonly queue: bigint[] = [];
  readonly settlements: SettlementFigures[] = [];
  queueHead = 0;
  resolvedCount = 0n;
  memberCount = 0n;
  chargeIndex = 0n;
  surplus = 0n;
  deficit = 0n;
  fees = 0n;
  nextPeriod = 0n;
  part = 0n;
  paidInPeriod = 0n;
  paused = false;
  feeBps: bigint;
  pending: { feeBps: bigint; eta: bigint } | null = null;
  /** Tokens the escrow must hold: every inflow minus every outflow. */
  tokens = 0n;
  /** Timestamp of the latest block. */
  now: bigint;

  constructor(
    readonly rules: ModelRules,
    readonly startedAt: bigint,
    readonly poolAddress: string,
    readonly operator: string,
    readonly guardian: string,
    now: bigint,
  ) {
    this.now = now;
    this.feeBps = rules.feeBps;
  }

  // ------------------------------------------------------------------ views

  get claimCount(): bigint {
    return BigInt(this.claims.length);
  }

  get roundLength(): bigint {
    return this.rules.commitWindow + this.rules.revealWindow + this.rules.appealWindow;
  }

  get timetable(): bigint {
    return (1n + this.rules.maxAppealRounds) * this.roundLength;
  }

  get changeDelay(): bigint {
    return this.rules.periodLength + this.timetable;
  }

  record(account: string): MemberRecord {
    return (
      this.members.get(account) ?? {
        status: MemberStatus.None,
        flagged: false,
        lapsableAt: 0n,
        eligibleAt: 0n,
        credit: 0n,
        chargeMark: 0n,
        exitBound: 0n,
        commitment: ethers.ZeroHash,
      }
    );
  }

  static isCounted(status: MemberStatus): boolean {
    return status === MemberStatus.Waiting || status === MemberStatus.Exiting || status === MemberStatus.Lapsing;
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

  resolvesAt(c: ClaimRecord): bigint {
    return c.submittedAt + this.timetable;
  }

  opensAt(c: ClaimRecord, r: bigint): bigint {
    return c.submittedAt + r * this.roundLength;
  }

  quorumOf(target: bigint): bigint {
    return (target * this.rules.quorumBps + BPS - 1n) / BPS;
  }

  claimState(id: bigint, t: bigint): ClaimState {
    const c = this.claim(id);
    if (c === undefined) return ClaimState.None;
    if (c.status !== ClaimState.Drawing) return c.status;
    if (t >= this.resolvesAt(c)) return ClaimState.Resolvable;
    const round = c.rounds[Number(c.round)];
    const opensAt = this.opensAt(c, c.round);
    if (!round.tallied) {
      const commitEnd = opensAt + this.rules.commitWindow;
      if (t < commitEnd) return round.drawn ? ClaimState.Committing : ClaimState.Drawing;
      if (t < commitEnd + this.rules.revealWindow) return ClaimState.Revealing;
      return ClaimState.Tallying;
    }
    if (
      c.verdict !== Verdict.None &&
      c.round + 1n < 1n + this.rules.maxAppealRounds &&
      t < opensAt + this.roundLength
    ) {
      return ClaimState.Appealable;
    }
    return ClaimState.Decided;
  }

  claimsIn(state: ClaimState, t: bigint): ClaimRecord[] {
    return this.claims.filter((c) => this.claimState(c.id, t) === state);
  }

  /** Bonds of claims submitted and not yet resolved. */
  pendingClaimBonds(): bigint {
    return this.claims.filter((c) => c.status === ClaimState.Drawing).reduce((sum, c) => sum + c.bond, 0n);
  }

  /** Appeal bonds posted and not yet decided. */
  pendingAppealBonds(): bigint {
    return BigInt(this.claims.filter((c) => c.appellant !== null).length) * this.rules.appealBond;
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

  /** Whether `account` may sit on claim `c`'s jury or appeal its approval: counted, not leaving, seasoned before it. */
  jurorEligible(account: string, c: ClaimRecord): boolean {
    const m = this.record(account);
    return account !== c.claimant && m.status === MemberStatus.Waiting && m.eligibleAt < c.submittedAt;
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

  private removeJuror(account: string): void {
    this.jurorHoles.push(this.jurorPositions.get(account)!);
    this.jurorPositions.delete(account);
  }

  private addJuror(account: string): void {
    const position = this.jurorHoles.length > 0 ? this.jurorHoles.pop()! : this.jurorSet.length;
    this.jurorSet[position] = account;
    this.jurorPositions.set(account, position);
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
    m.exitBound = 0n;
    this.memberCount -= 1n;
  }

  // ------------------------------------------------------------------ member actions

  join(account: string, amount: bigint, commitment: string, t: bigint): Outcome {
    if (this.paused) return revert("EnforcedPause");
    if (amount < this.rules.minDeposit) return revert("MemberDepositTooLow", amount, this.rules.minDeposit);
    const m = this.record(account);
    const owner = this.commitmentOwners.get(commitment);
    let carried = 0n;
    if (m.status === MemberStatus.None) {
      if (owner !== undefined) return revert("MemberCommitmentUsed", commitment);
      this.commitmentOwners.set(commitment, account);
    } else if (m.status === MemberStatus.Exited || m.status === MemberStatus.Lapsed) {
      if (owner !== account) return revert("MemberCommitmentMismatch", account, commitment);
      carried = m.credit - m.chargeMark;
    } else return revert("MemberAlreadyJoined", account);
    this.movedMark.delete(account);
    this.members.set(account, {
      status: MemberStatus.Waiting,
      flagged: false,
      lapsableAt: 0n,
      eligibleAt: t + this.rules.waitingPeriod,
      credit: carried + amount,
      chargeMark: this.chargeIndex,
      exitBound: 0n,
      commitment,
    });
    this.addJuror(account);
    this.memberCount += 1n;
    this.tokens += amount;
    return null;
  }

  topUp(account: string, amount: bigint, t: bigint): Outcome {
    if (amount === 0n) return revert("MemberZeroAmount");
    const m = this.record(account);
    if (!PoolModel.isCounted(m.status)) return revert("UnexpectedMemberStatus", account, this.statusAt(account, t));
    m.credit += amount;
    if (m.flagged && this.balanceOf(account) >= this.rules.minBalance) {
      m.flagged = false;
      m.lapsableAt = 0n;
    }
    this.tokens += amount;
    return null;
  }

  requestExit(account: string, t: bigint): Outcome {
    const m = this.record(account);
    if (m.status !== MemberStatus.Waiting) return revert("UnexpectedMemberStatus", account, this.statusAt(account, t));
    this.removeJuror(account);
    m.status = MemberStatus.Exiting;
    m.exitBound = this.claimCount + 1n;
    return null;
  }

  completeExit(account: string, t: bigint): Outcome {
    const m = this.record(account);
    if (m.status !== MemberStatus.Exiting && m.status !== MemberStatus.Lapsing) {
      return revert("UnexpectedMemberStatus", account, this.statusAt(account, t));
    }
    if (!this.claimsDoneBelow(m.exitBound)) return revert("MemberExitNotReady", account, m.exitBound);
    this.leave(account, m.status === MemberStatus.Exiting ? MemberStatus.Exited : MemberStatus.Lapsed);
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

  flag(account: string, t: bigint): Outcome {
    const m = this.record(account);
    if (m.status !== MemberStatus.Waiting) return revert("UnexpectedMemberStatus", account, this.statusAt(account, t));
    if (m.flagged) return revert("MemberAlreadyFlagged", account, m.lapsableAt);
    const balance = this.balanceOf(account);
    if (balance >= this.rules.minBalance) return revert("MemberFunded", account, balance, this.rules.minBalance);
    m.flagged = true;
    m.lapsableAt = t + this.rules.lapseGrace;
    return null;
  }

  lapse(account: string, t: bigint): Outcome {
    const m = this.record(account);
    if (m.status !== MemberStatus.Waiting) return revert("UnexpectedMemberStatus", account, this.statusAt(account, t));
    const balance = this.balanceOf(account);
    if (balance >= this.rules.minBalance) return revert("MemberFunded", account, balance, this.rules.minBalance);
    if (!m.flagged || t < m.lapsableAt) return revert("MemberGraceNotOver", account, m.lapsableAt);
    m.flagged = false;
    m.lapsableAt = 0n;
    this.removeJuror(account);
    m.status = MemberStatus.Lapsing;
    m.exitBound = this.claimCount + 1n;
    return null;
  }

  // ------------------------------------------------------------------ claims and juries

  private openRound(c: ClaimRecord, r: bigint, target: bigint, block: bigint): void {
    c.rounds[Number(r)] = {
      seedBlock: block + 1n,
      setSize: BigInt(this.jurorSet.length),
      target,
      seats: [],
      approvals: 0n,
      rejections: 0n,
      drawn: false,
      tallied: false,
    };
    c.round = r;
  }

  // ------------------------------------------------------------------ beneficiaries and recovery

  optionsOf(account: string): RecoveryOptions {
    let o = this.options.get(account);
    if (o === undefined) {
      o = { beneficiary: ZERO_ADDRESS, recoveryAddress: ZERO_ADDRESS, verifierRecoveryOff: false, nonce: 0n };
      this.options.set(account, o);
    }
    return o;
  }

  setBeneficiary(account: string, beneficiary: string): Outcome {
    if (this.record(account).status === MemberStatus.None) {
      return revert("UnexpectedMemberStatus", account, MemberStatus.None);
    }
    if (beneficiary === this.poolAddress) return revert("RecoveryInvalidBeneficiary", beneficiary);
    this.optionsOf(account).beneficiary = beneficiary;
    return null;
  }

  setRecoveryOptions(account: string, recoveryAddress: string, verifierRecoveryOff: boolean): Outcome {
    if (this.record(account).status === MemberStatus.None) {
      return revert("UnexpectedMemberStatus", account, MemberStatus.None);
    }
    const o = this.optionsOf(account);
    Object.assign(o, { recoveryAddress, verifierRecoveryOff, nonce: o.nonce + 1n });
    return null;
  }

  private checkNewWallet(newWallet: string): Outcome {
    if (
      newWallet === ZERO_ADDRESS ||
      newWallet === this.poolAddress ||
      this.record(newWallet).status !== MemberStatus.None
    ) {
      return revert("RecoveryInvalidWallet", newWallet);
    }
    return null;
  }

  /**
   * By the member's recovery address (the attestation is ignored), else with the verifier's
   * attestation for the member's current nonce (none: deadline 0 and no signature).
   */
  requestRecovery(
    caller: string,
    commitment: string,
    newWallet: string,
    t: bigint,
    attestation?: RecoveryAttestation,
  ): Outcome {
    const member = this.commitmentOwners.get(commitment);
    if (member === undefined) return revert("RecoveryUnknownCommitment", commitment);
    const bad = this.checkNewWallet(newWallet);
    if (bad !== null) return bad;
    const p = this.pendingRecoveries.get(member);
    if (p !== undefined) return revert("RecoveryAlreadyPending", member, p.newWallet, p.readyAt);
    const o = this.optionsOf(member);
    const byVerifier = o.recoveryAddress === ZERO_ADDRESS || caller !== o.recoveryAddress;
    if (byVerifier) {
      if (this.verifier === ZERO_ADDRESS) return revert("RecoveryNotAuthorized", caller);
      if (o.verifierRecoveryOff) return revert("RecoveryVerifierOptedOut", member);
      const deadline = attestation?.deadline ?? 0n;
      if (t > deadline) return revert("MemberAttestationExpired", deadline, t);
      const a = attestation!;
      const valid =
        a.signer === this.verifier &&
        a.member === member &&
        a.newWallet === newWallet &&
        a.commitment === commitment &&
        a.nonce === o.nonce;
      if (!valid) return revert("RecoveryAttestationInvalid", member, newWallet);
      o.nonce += 1n; // used up
    }
    this.pendingRecoveries.set(member, { newWallet, readyAt: t + RECOVERY_DELAY, byVerifier });
    return null;
  }

  cancelRecovery(caller: string, member: string): Outcome {
    if (!this.pendingRecoveries.has(member)) return revert("RecoveryNotPending", member);
    if (caller !== member && caller !== this.optionsOf(member).recoveryAddress) {
      return revert("RecoveryNotAuthorized", caller);
    }
    this.pendingRecoveries.delete(member);
    return null;
  }

  /** Moves the whole membership; payouts already credited stay where they are; seats stay with the old wallet. */
  completeRecovery(commitment: string, t: bigint): Outcome {
    const member = this.commitmentOwners.get(commitment) ?? ZERO_ADDRESS;
    const p = this.pendingRecoveries.get(member);
    if (p === undefined) return revert("RecoveryNotPending", member);
    if (t < p.readyAt) return revert("RecoveryNotReady", member, p.readyAt);
    const open = this.openClaims.get(member) ?? 0n;
    if (open !== 0n) return revert("RecoveryClaimOpen", member, open);
    // The member may opt out while a verifier's recovery waits (the verifier never changes in a run).
    if (p.byVerifier && this.optionsOf(member).verifierRecoveryOff) return revert("RecoveryVerifierOptedOut", member);
    const bad = this.checkNewWallet(p.newWallet);
    if (bad !== null) return bad;
    const m = this.record(member);
    this.members.set(p.newWallet, m);
    this.members.delete(member);
    if (m.status === MemberStatus.Waiting) {
      const position = this.jurorPositions.get(member)!;
      this.jurorPositions.delete(member);
      this.jurorPositions.set(p.newWallet, position);
      this.jurorSet[position] = p.newWallet;
    }
    this.commitmentOwners.set(commitment, p.newWallet);
    const year = this.yearPayouts.get(member);
    if (year !== undefined) {
      this.yearPayouts.set(p.newWallet, year);
      this.yearPayouts.delete(member);
    }
    this.movedTo.set(member, p.newWallet);
    this.movedFrom.set(p.newWallet, member);
    this.movedMark.delete(member);
    this.movedMark.add(p.newWallet);
    this.options.set(p.newWallet, this.optionsOf(member));
    this.options.delete(member);
    this.pendingRecoveries.delete(member);
    return null;
  }

  // ------------------------------------------------------------------ claims

  /** `payee` undefined or zero: the member's beneficiary, else the claimant. */
  submitClaim(
    account: string,
    amount: bigint,
    evidence: string,
    t: bigint,
    block: bigint,
    payee: string = ZERO_ADDRESS,
  ): Outcome {
    if (this.paused) return revert("EnforcedPause");
    if (amount === 0n || amount > this.rules.maxClaimAmount) {
      return revert("ClaimAmountOutOfRange", amount, this.rules.maxClaimAmount);
    }
    if (this.evidenceUsed.has(evidence)) return revert("ClaimEvidenceUsed", evidence);
    const status = this.statusAt(account, t);
    if (status !== MemberStatus.Active) return revert("ClaimantNotActive", account, status);
    const balance = this.balanceOf(account);
    if (balance < this.rules.minBalance) return revert("ClaimantUnderfunded", account, balance, this.rules.minBalance);
    const open = this.openClaims.get(account) ?? 0n;
    if (open !== 0n) return revert("ClaimAlreadyOpen", account, open);
    if (payee === ZERO_ADDRESS) payee = this.optionsOf(account).beneficiary;
    if (payee === this.poolAddress) return revert("ClaimInvalidPayee", payee);
    const c: ClaimRecord = {
      id: this.claimCount + 1n,
      claimant: account,
      submittedAt: t,
      status: ClaimState.Drawing,
      verdict: Verdict.None,
      feeBps: this.feeBps,
      amount,
      bond: this.rules.claimBond,
      evidence,
      round: 0n,
      rounds: [],
      votes: new Map(),
      appellant: null,
      payee: payee === ZERO_ADDRESS ? account : payee,
    };
    this.claims.push(c);
    this.openRound(c, 0n, this.rules.jurySize, block);
    this.openClaims.set(account, c.id);
    this.evidenceUsed.add(evidence);
    this.tokens += c.bond;
    return null;
  }

  /**
   * Draws the current round's jury in block `block`; `seedHash` is the seed block's hash (null when
   * the chain no longer has it). Returns the outcome and the accounts seated, in seat order.
   */
  drawJury(id: bigint, t: bigint, block: bigint, seedHash: string | null): { outcome: Outcome; seated: string[] } {
    const state = this.claimState(id, t);
    if (state !== ClaimState.Drawing) {
      return { outcome: revert("UnexpectedClaimState", id, state, ClaimState.Drawing), seated: [] };
    }
    const c = this.claim(id)!;
    const round = c.rounds[Number(c.round)];
    if (block <= round.seedBlock) {
      return { outcome: revert("JurySeedNotReady", id, c.round, round.seedBlock), seated: [] };
    }
    if (seedHash === null) {
      round.seedBlock = block + 1n; // re-anchored
      return { outcome: null, seated: [] };
    }
    const base = ethers.keccak256(
      coder.encode(["bytes32", "address", "uint256", "uint256"], [seedHash, this.poolAddress, id, c.round]),
    );
    const tries = round.setSize === 0n ? 0n : 4n * round.target + 16n;
    const seated: string[] = [];
    for (let nonce = 0n; nonce < tries && BigInt(seated.length) < round.target; nonce++) {
      const position = BigInt(ethers.keccak256(coder.encode(["bytes32", "uint256"], [base, nonce]))) % round.setSize;
      if (position >= BigInt(this.jurorSet.length)) continue;
      const juror = this.jurorSet[Number(position)];
      if (this.jurorPositions.get(juror) !== Number(position)) continue; // a hole
      if (juror === c.claimant || this.record(juror).eligibleAt >= c.submittedAt) continue;
      if (c.votes.has(juror)) continue;
      // A recovered membership is not drawn again on a claim where one of its earlier wallets sits.
      if (this.movedMark.has(juror) && this.satBefore(c, juror)) continue;
      c.votes.set(juror, { round: c.round, vote: JurorVote.Seated, commitment: "", support: false, salt: "" });
      seated.push(juror);
    }
    round.seats = seated;
    round.drawn = true;
    return { outcome: null, seated };
  }

  commitVote(juror: string, id: bigint, support: boolean, salt: string, t: bigint): Outcome {
    const state = this.claimState(id, t);
    if (state !== ClaimState.Committing) return revert("UnexpectedClaimState", id, state, ClaimState.Committing);
    const c = this.claim(id)!;
    const v = c.votes.get(juror);
    if (v === undefined || v.round !== c.round || (v.vote !== JurorVote.Seated && v.vote !== JurorVote.Committed)) {
      return revert("JurorNotSeated", id, c.round, juror);
    }
    v.vote = JurorVote.Committed;
    v.commitment = voteCommitment(id, c.round, juror, support, salt);
    v.support = support;
    v.salt = salt;
    return null;
  }

  revealVote(juror: string, id: bigint, support: boolean, salt: string, t: bigint): Outcome {
    const state = this.claimState(id, t);
    if (state !== ClaimState.Revealing) return revert("UnexpectedClaimState", id, state, ClaimState.Revealing);
    const c = this.claim(id)!;
    const v = c.votes.get(juror);
    if (v === undefined || v.round !== c.round) return revert("JurorNotSeated", id, c.round, juror);
    if (v.vote !== JurorVote.Committed) return revert("VoteNotCommitted", id, juror);
    if (masked(voteCommitment(id, c.round, juror, support, salt)) !== masked(v.commitment)) {
      return revert("VoteRevealMismatch", id, juror);
    }
    v.vote = support ? JurorVote.Approved : JurorVote.Rejected;
    const round = c.rounds[Number(c.round)];
    if (support) round.approvals += 1n;
    else round.rejections += 1n;
    return null;
  }

  /** Penalties taken by the last close, by juror (for the test to compare with JurorPenalized). */
  readonly penalties: Array<{ claimId: bigint; juror: string; amount: bigint }> = [];

  /** Whether an earlier wallet of the membership `wallet` holds has a seat on claim `c` (at most 16 steps back). */
  private satBefore(c: ClaimRecord, wallet: string): boolean {
    let earlier = wallet;
    for (let i = 0; i < 16; i++) {
      earlier = this.movedFrom.get(earlier) ?? ZERO_ADDRESS;
      if (earlier === ZERO_ADDRESS || earlier === wallet) return false;
      if (c.votes.has(earlier)) return true;
    }
    return false;
  }

  /** The wallet holding now the membership a seat was drawn for: the trail, followed while records are empty. */
  private holderOf(wallet: string): string {
    for (let i = 0; i < 16 && this.record(wallet).status === MemberStatus.None; i++) {
      const next = this.movedTo.get(wallet);
      if (next === undefined) break;
      wallet = next;
    }
    return wallet;
  }

  private takePenalty(seat: string): bigint {
    const juror = this.holderOf(seat);
    const m = this.record(juror);
    const charged = this.chargedOf(juror);
    if (m.credit <= charged) return 0n;
    const balance = m.credit - charged;
    const taken = balance < this.rules.jurorPenalty ? balance : this.rules.jurorPenalty;
    m.credit -= taken;
    return taken;
  }

  private close(c: ClaimRecord, last: boolean, block: bigint): void {
    const round = c.rounds[Number(c.round)];
    round.tallied = true;
    let gain = 0n;
    for (const juror of round.seats) {
      const v = c.votes.get(juror)!;
      if (v.vote === JurorVote.Approved || v.vote === JurorVote.Rejected) continue;
      const taken = this.takePenalty(juror);
      this.penalties.push({ claimId: c.id, juror, amount: taken });
      gain += taken;
    }
    const revealed = round.approvals + round.rejections;
    let verdict = Verdict.None;
    if (revealed >= this.quorumOf(round.target)) {
      verdict = round.approvals * BPS >= revealed * this.rules.approvalThresholdBps ? Verdict.Approve : Verdict.Reject;
    }
    if (verdict !== Verdict.None) {
      if (c.appellant !== null) {
        if (verdict !== c.verdict) this.creditPayout(c.appellant, this.rules.appealBond);
        else gain += this.rules.appealBond;
        c.appellant = null;
      }
      c.verdict = verdict;
    } else if (!last && c.round + 1n < 1n + this.rules.maxAppealRounds) {
      this.openRound(c, c.round + 1n, round.target, block);
    }
    if (gain !== 0n) this.carryGain(gain);
  }

  tally(id: bigint, t: bigint, block: bigint): Outcome {
    const state = this.claimState(id, t);
    if (state !== ClaimState.Tallying) return revert("UnexpectedClaimState", id, state, ClaimState.Tallying);
    this.penalties.length = 0;
    this.close(this.claim(id)!, false, block);
    return null;
  }

  appeal(account: string, id: bigint, t: bigint, block: bigint): Outcome {
    const state = this.claimState(id, t);
    if (state !== ClaimState.Appealable) return revert("UnexpectedClaimState", id, state, ClaimState.Appealable);
    const c = this.claim(id)!;
    if (c.verdict === Verdict.Reject) {
      if (account !== c.claimant) return revert("AppealNotAllowed", id, account);
    } else if (!this.jurorEligible(account, c)) return revert("AppealNotAllowed", id, account);
    c.appellant = account;
    this.openRound(c, c.round + 1n, 2n * c.rounds[Number(c.round)].target + 1n, block);
    this.tokens += this.rules.appealBond;
    return null;
  }

  resolve(id: bigint, t: bigint, block: bigint): Outcome {
    const state = this.claimState(id, t);
    if (state !== ClaimState.Resolvable) return revert("UnexpectedClaimState", id, state, ClaimState.Resolvable);
    this.penalties.length = 0;
    for (let k = this.resolvedCount + 1n; k <= id; k++) {
      const c = this.claim(k)!;
      if (!c.rounds[Number(c.round)].tallied) this.close(c, true, block);
      if (c.appellant !== null) {
        this.creditPayout(c.appellant, this.rules.appealBond);
        c.appellant = null;
      }
      if (c.verdict === Verdict.Approve) {
        c.status = ClaimState.Approved;
        this.queue.push(c.id);
        this.creditPayout(c.claimant, c.bond);
      } else {
        this.openClaims.delete(c.claimant);
        if (c.verdict === Verdict.Reject) {
          c.status = ClaimState.Rejected;
          this.carryGain(c.bond);
        } else {
          c.status = ClaimState.NoQuorum;
          this.evidenceUsed.delete(c.evidence);
          this.creditPayout(c.claimant, c.bond);
        }
      }
    }
    this.resolvedCount = id;
    return null;
  }

  // ------------------------------------------------------------------ settlement

  private hasPayable(end: bigint): boolean {
    if (this.queueHead === this.queue.length) return false;
    return this.resolvesAt(this.claim(this.queue[this.queueHead])!) <= end;
  }

  private payoutLimit(claimant: string, year: bigint, payout: bigint): bigint {
    const limit = this.rules.maxPayoutPerMember;
    if (limit === 0n) return payout;
    const w = this.yearPayouts.get(claimant);
    const used = w !== undefined && w.year === year ? w.used : 0n;
    const left = limit - used;
    return payout < left ? payout : left;
  }

  paidThisYear(account: string, t: bigint): bigint {
    const w = this.yearPayouts.get(account);
    return w !== undefined && w.year === (t - this.startedAt) / YEAR ? w.used : 0n;
  }

  private settlePart(period: bigint, end: bigint): boolean {
    const members = this.memberCount;
    const paidBefore = this.paidInPeriod;
    let room = this.rules.maxClaimsPerPeriod - paidBefore;
    if (room > MAX_CLAIMS_PER_SETTLE) room = MAX_CLAIMS_PER_SETTLE;
    const maxCount = members === 0n ? 0n : room;
    const year = (period * this.rules.periodLength) / YEAR;
    const paid: SettlementFigures["paid"] = [];
    const feesBps: bigint[] = [];
    while (BigInt(paid.length) < maxCount && this.queueHead < this.queue.length) {
      const c = this.claim(this.queue[this.queueHead])!;
      if (this.resolvesAt(c) > end) break;
      c.status = ClaimState.Paid;
      this.openClaims.delete(c.claimant);
      this.queueHead += 1;
      const cap = this.rules.capPerMember * members;
      const capped = c.amount < cap ? c.amount : cap;
      paid.push({
        claimId: c.id,
        claimant: c.claimant,
        payee: c.payee,
        requested: c.amount,
        paid: this.payoutLimit(c.claimant, year, capped),
      });
      feesBps.push(c.feeBps);
    }
    const surplusIn = this.surplus;
    const deficitIn = this.deficit;
    let payouts = 0n;
    let fee = 0n;
    let cut = 0n;
    let share = 0n;
    let surplusOut = surplusIn;
    let deficitOut = deficitIn;
    if (members === 0n) {
      cut = paid.reduce((sum, p) => sum + p.paid, 0n);
      for (const p of paid) p.paid = 0n;
    } else {
      payouts = paid.reduce((sum, p) => sum + p.paid, 0n);
      fee = paid.reduce((sum, p, i) => sum + (p.paid * feesBps[i]) / BPS, 0n);
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
    const n = BigInt(paid.length);
    const closed = members === 0n || paidBefore + n === this.rules.maxClaimsPerPeriod || !this.hasPayable(end);
    const part = this.part;
    if (closed) {
      this.nextPeriod = period + 1n;
      this.part = 0n;
      this.paidInPeriod = 0n;
    } else {
      this.part = part + 1n;
      this.paidInPeriod = paidBefore + n;
    }
    this.fees += fee;
    for (const p of paid) {
      if (p.paid === 0n) continue;
      // Invariant 4: paid only to its payee; the yearly limit counts the claimant's payouts.
      this.creditPayout(p.payee, p.paid);
      if (this.rules.maxPayoutPerMember !== 0n) {
        const w = this.yearPayouts.get(p.claimant);
        const used = w !== undefined && w.year === year ? w.used : 0n;
        this.yearPayouts.set(p.claimant, { year, used: used + p.paid });
      }
    }
    this.settlements.push({
      period,
      part,
      members,
      claimsPaid: n,
      payouts,
      fee,
      cut,
      surplusIn,
      deficitIn,
      share,
      surplusOut,
      deficitOut,
      chargeIndex: this.chargeIndex,
      closed,
      paid,
    });
    return closed;
  }

  settle(period: bigint, t: bigint): Outcome {
    if (period !== this.nextPeriod) return revert("PeriodNotNext", period, this.nextPeriod);
    let end = this.periodEnd(period);
    if (t < end) return revert("PeriodNotEnded", period, end);
    for (let settled = 1; this.settlePart(period, end); ++settled) {
      period += 1n;
      end = this.periodEnd(period);
      if (settled === MAX_PERIODS_PER_SETTLE || t < end || this.hasPayable(end)) break;
    }
    return null;
  }

  settlementOf(period: bigint, part: bigint): SettlementFigures | undefined {
    return this.settlements.find((s) => s.period === period && s.part === part);
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

  /** A fee change, roles unchanged. */
  proposeFee(caller: string, feeBps: bigint, t: bigint): Outcome {
    if (caller !== this.operator) return revert("ConfigUnauthorized", caller);
    if (this.pending !== null) return revert("ConfigChangeAlreadyPending", this.pending.eta);
    if (feeBps > MAX_FEE_BPS) return revert("ConfigFeeAboveMaximum", feeBps, MAX_FEE_BPS);
    if (feeBps === this.feeBps) return revert("ConfigNoOpChange");
    this.pending = { feeBps, eta: t + this.changeDelay };
    return null;
  }

  executeChange(caller: string, t: bigint): Outcome {
    if (caller !== this.operator) return revert("ConfigUnauthorized", caller);
    if (this.pending === null) return revert("ConfigNoPendingChange");
    if (t < this.pending.eta) return revert("ConfigChangeNotReady", this.pending.eta, t);
    this.feeBps = this.pending.feeBps;
    this.pending = null;
    return null;
  }

  cancelChange(caller: string): Outcome {
    if (caller !== this.operator) return revert("ConfigUnauthorized", caller);
    if (this.pending === null) return revert("ConfigNoPendingChange");
    this.pending = null;
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
