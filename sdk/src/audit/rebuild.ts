/**
 * Rebuilds a v2 pool's whole state from its events alone, with the SDK's pure core: members (flags,
 * lapses, returns, juror penalties) and the juror set in position order, claims with their jury
 * rounds (every draw recomputed from its seed), votes, tallies, appeals and bonds, and every
 * settlement part's apportionment with a fee rate per claim, beneficiaries and claim payees (a payout
 * is credited to its payee only), and recoveries (a membership moves whole to its new wallet, payouts
 * already owed stay). Every figure an event states is checked against the recomputation as it is
 * replayed. No client library, no contract view.
 */
import { apportion, cappedPayout, feeOn } from "../core/apportion";
import { JurorSet, drawJury, quorumOf, verdictOf } from "../core/jury";
import type { Address, Hex } from "../core/types";
import type { DecodedEvent } from "./decode";
import { ClaimStateV2, MemberStatusV2, Verdict } from "./states";

const YEAR = 365n * 24n * 3600n;
const MAX_CLAIMS_PER_SETTLE = 180n;
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** The rules the replay needs, as they were when the pool was created (the fee is followed through rule changes). */
export interface AuditRules {
  /** The pool: the draw hashes it. */
  pool: Address;
  randomness: Address;
  feeBps: bigint;
  capPerMember: bigint;
  maxClaimsPerPeriod: bigint;
  jurySize: bigint;
  maxAppealRounds: bigint;
  quorumBps: bigint;
  approvalThresholdBps: bigint;
  annualChargeCap: bigint;
  maxPayoutPerMember: bigint;
  periodLength: bigint;
  commitWindow: bigint;
  revealWindow: bigint;
  appealWindow: bigint;
  minBalance: bigint;
  claimBond: bigint;
  appealBond: bigint;
  jurorPenalty: bigint;
  /** `startedAt()`: period `p` ends at `startedAt + (p + 1) * periodLength`. */
  startedAt: bigint;
}

export interface MemberLedger {
  member: Address;
  commitment: Hex;
  /** The stored status: Waiting for every counted member not leaving (Active follows from the clock). */
  status: MemberStatusV2;
  flagged: boolean;
  lapsableAt: bigint;
  /** While Exiting or Lapsing: claims below it must be final and paid first. */
  exitBound: bigint;
  joinedBlock: bigint;
  eligibleAt: bigint;
  /** Deposits minus withdrawals and penalties since the last join (a return carries the balance in). */
  credit: bigint;
  /** The charge index at the last join while counted; the frozen charge once left. */
  chargeMark: bigint;
  /** Lifetime figures, for statements. */
  deposits: bigint;
  withdrawals: bigint;
  penalties: bigint;
  shortfall: bigint;
  /** Charges of memberships before the last return. */
  chargedBefore: bigint;
  returns: number;
  /** Replay positions of each membership, to tell which settlements the member shared. */
  spans: Array<{ joinedSeq: number; leftSeq: number }>;
  /** A top-up that reached the minimum must clear the flag (MemberFlagCleared). */
  clearDue: boolean;
  /** Paid the member's claims unless a claim names another payee. */
  beneficiary?: Address;
  /** The wallets this membership was recovered from, oldest first. */
  formerWallets?: Address[];
}

/** A recovery of a lost wallet, from its request to its completion or cancellation. */
export interface RecoveryLedger {
  member: Address;
  newWallet: Address;
  commitment: Hex;
  byVerifier: boolean;
  readyAt: bigint;
  requestedBlock: bigint;
  outcome: "pending" | "cancelled" | "completed";
  /** Who cancelled it (the member's wallet or its recovery address). */
  cancelledBy?: Address;
  endedBlock?: bigint;
}

export interface RoundLedger {
  round: bigint;
  target: bigint;
  seedBlock: bigint;
  setSize: bigint;
  reanchors: bigint;
  drawn: boolean;
  seed?: Hex;
  /** The block of the draw: the seed must be the hash of `seedBlock` (default randomness). */
  drawBlock?: bigint;
  jurors: Address[];
  /** Jurors the replay computed for the draw. */
  expectedJurors: Address[];
  committed: Set<string>;
  votes: Map<string, boolean>;
  penalized: Map<string, bigint>;
  tallied: boolean;
  approvals: bigint;
  rejections: bigint;
  quorum: bigint;
  verdict: Verdict;
  /** The round was opened by an appeal. */
  appeal?: { appellant: Address; against: Verdict };
}

export interface AppealLedger {
  round: bigint;
  appellant: Address;
  against: Verdict;
  bond: bigint;
  overturned?: boolean;
  refunded?: bigint;
  forfeited?: bigint;
}

export interface ClaimLedger {
  id: bigint;
  claimant: Address;
  amount: bigint;
  bond: bigint;
  feeBps: bigint;
  evidenceDigest: Hex;
  submittedAt: bigint;
  resolvesAt: bigint;
  /** Recorded status: Drawing while pending, then Approved, Rejected, NoQuorum or Paid. */
  state: ClaimStateV2;
  verdict: Verdict;
  rounds: RoundLedger[];
  /** Everyone seated on any round (lower-case). */
  seated: Set<string>;
  appeals: AppealLedger[];
  pendingAppeal?: AppealLedger;
  /** The verdict of the round that decides the pending appeal, once tallied. */
  appealDecision?: boolean;
  /** What the next JuryRoundOpened must seat. */
  nextTarget?: bigint;
  paid: bigint;
  paidPeriod?: bigint;
  /** Who is paid the payout, when not the claimant (`ClaimPayeeNamed`). */
  payee?: Address;
}

export interface PaidClaim {
  id: bigint;
  claimant: Address;
  /** Credited with the payout: the claim's payee, else its claimant. */
  payee: Address;
  requested: bigint;
  paid: bigint;
  feeBps: bigint;
  fee: bigint;
}

/** One settle call (a "part" of a period): a period paid over several calls has several. */
export interface PeriodLedger {
  period: bigint;
  part: bigint;
  closed: boolean;
  block: bigint;
  seq: number;
  members: bigint;
  claims: PaidClaim[];
  payouts: bigint;
  fee: bigint;
  cut: bigint;
  surplusIn: bigint;
  deficitIn: bigint;
  share: bigint;
  surplusOut: bigint;
  deficitOut: bigint;
  chargeIndex: bigint;
}

/** A difference between what the chain says and what the replay computes. */
export interface Discrepancy {
  check: string;
  subject: string;
  expected: string;
  actual: string;
}

const show = (v: unknown) => (typeof v === "bigint" ? v.toString() : String(v));
const lower = (a: string) => a.toLowerCase();
const counted = (s: MemberStatusV2) =>
  s === MemberStatusV2.Waiting || s === MemberStatusV2.Exiting || s === MemberStatusV2.Lapsing;

export class PoolLedger {
  readonly members = new Map<Address, MemberLedger>();
  readonly claims = new Map<bigint, ClaimLedger>();
  /** Every settle call in order. */
  readonly periods: PeriodLedger[] = [];
  readonly payouts = new Map<Address, bigint>();
  readonly discrepancies: Discrepancy[] = [];
  readonly jurors = new JurorSet();
  /** Seeds to check against block hashes (default randomness): claim, round, seed block, seed. */
  readonly seeds: Array<{ claimId: bigint; round: bigint; seedBlock: bigint; seed: Hex }> = [];
  /** The yearly payout record per claimant: the pool year and what was paid in it. */
  readonly yearPayouts = new Map<string, { year: bigint; paid: bigint }>();
  /** Every recovery requested, in order. */
  readonly recoveries: RecoveryLedger[] = [];
  /** Where each recovered membership went, by old wallet (lower-case): a seat left behind pays from there. */
  private readonly movedTo = new Map<string, Address>();
  /** Recovery settings by member (lower-case): recovery address and verifier opt-out. */
  readonly recoveryOptions = new Map<string, { recoveryAddress: Address; verifierRecoveryOff: boolean }>();
  memberCount = 0n;
  chargeIndex = 0n;
  surplus = 0n;
  deficit = 0n;
  fees = 0n;
  openBonds = 0n;
  openAppealBonds = 0n;
  penaltiesTaken = 0n;
  events = 0;
  nextPeriod = 0n;
  nextPart = 0n;
  feeBps: bigint;
  private paidInPeriod = 0n;
  private year = 0n;
  private yearStartIndex = 0n;
  private resolved = 0n;
  private readonly queue: bigint[] = [];
  private readonly evidence = new Set<string>();
  private pendingPaid: PaidClaim[] = [];
  private readonly memberByKey = new Map<string, MemberLedger>();
  /** The first wallet that joined with each commitment (a scan of every member per join made 10,000 joins take seconds). */
  private readonly walletByCommitment = new Map<string, Address>();

  constructor(readonly rules: AuditRules) {
    this.feeBps = rules.feeBps;
  }

  get roundLength(): bigint {
    return this.rules.commitWindow + this.rules.revealWindow + this.rules.appealWindow;
  }

  get rounds(): bigint {
    return 1n + this.rules.maxAppealRounds;
  }

  periodEnd(period: bigint): bigint {
    return this.rules.startedAt + (period + 1n) * this.rules.periodLength;
  }

  /** Approved claims waiting for settlement, in order. */
  get paymentQueue(): readonly bigint[] {
    return this.queue;
  }

  /** What a member has been charged in the current membership. */
  chargedOf(m: MemberLedger): bigint {
    return counted(m.status) ? this.chargeIndex - m.chargeMark : m.chargeMark;
  }

  /** A member's balance: credit - charged (negative only if keepers lapsed them late). */
  balanceOf(m: MemberLedger): bigint {
    return m.credit - this.chargedOf(m);
  }

  /** The status a view shows at time `now`. */
  statusAt(m: MemberLedger, now: bigint): MemberStatusV2 {
    return m.status === MemberStatusV2.Waiting && now >= m.eligibleAt ? MemberStatusV2.Active : m.status;
  }

  /** What the escrow must hold, to the base unit. */
  expectedEscrowBalance(): bigint {
    let total = this.fees + this.openBonds + this.openAppealBonds + this.surplus - this.deficit;
    for (const m of this.members.values()) total += this.balanceOf(m);
    for (const p of this.payouts.values()) total += p;
    return total;
  }

  /** The settle calls a member shared: those replayed while they were counted. */
  periodsOf(m: MemberLedger): PeriodLedger[] {
    return this.periods.filter((p) => m.spans.some((s) => p.seq > s.joinedSeq && (s.leftSeq < 0 || p.seq < s.leftSeq)));
  }

  /** A claim's state at time `now`, as `IClaimVoting.state` computes it. */
  claimStateAt(c: ClaimLedger, now: bigint): ClaimStateV2 {
    if (c.state !== ClaimStateV2.Drawing) return c.state;
    if (now >= c.resolvesAt) return ClaimStateV2.Resolvable;
    const r = c.rounds[c.rounds.length - 1];
    const opensAt = c.submittedAt + r.round * this.roundLength;
    if (!r.tallied) {
      const commitEnd = opensAt + this.rules.commitWindow;
      if (now < commitEnd) return r.drawn ? ClaimStateV2.Committing : ClaimStateV2.Drawing;
      if (now < commitEnd + this.rules.revealWindow) return ClaimStateV2.Revealing;
      return ClaimStateV2.Tallying;
    }
    if (c.verdict !== Verdict.None && r.round + 1n < this.rounds && now < opensAt + this.roundLength)
      return ClaimStateV2.Appealable;
    return ClaimStateV2.Decided;
  }

  /** Checks left for the end of the replay. */
  finish(): void {
    for (const m of this.members.values())
      if (m.clearDue)
        this.differ("flag cleared by a sufficient top-up", `member ${m.member}`, "MemberFlagCleared", "none");
  }

  private differ(check: string, subject: string, expected: unknown, actual: unknown) {
    // Equal values of one type (the usual case) need no string of either.
    if (expected === actual) return;
    if (show(expected) !== show(actual))
      this.discrepancies.push({ check, subject, expected: show(expected), actual: show(actual) });
  }

  private credit(account: Address, amount: bigint) {
    this.payouts.set(account, (this.payouts.get(account) ?? 0n) + amount);
  }

  private carryLoss(amount: bigint) {
    if (this.surplus >= amount) this.surplus -= amount;
    else {
      this.deficit += amount - this.surplus;
      this.surplus = 0n;
    }
  }

  private carryGain(amount: bigint) {
    if (this.deficit >= amount) this.deficit -= amount;
    else {
      this.surplus += amount - this.deficit;
      this.deficit = 0n;
    }
  }

  /** Replays one event (events must come in chain order). */
  apply(e: DecodedEvent): void {
    const seq = this.events++;
    const a = e.args as Record<string, never>;
    switch (e.name) {
      case "MemberJoined":
        this.join(e, seq, a);
        break;
      case "MemberToppedUp": {
        const m = this.memberOf(a.member, "top-up");
        if (!counted(m.status)) this.differ("top-up by a counted member", `member ${m.member}`, "counted", m.status);
        m.credit += a.amount as bigint;
        m.deposits += a.amount as bigint;
        if (m.flagged && this.balanceOf(m) >= this.rules.minBalance) {
          m.flagged = false;
          m.lapsableAt = 0n;
          m.clearDue = true;
        }
        break;
      }
      case "MemberFlagCleared": {
        const m = this.memberOf(a.member, "flag clearing");
        if (!m.clearDue)
          this.differ("flag cleared by a sufficient top-up", `member ${m.member}`, "no clearing", "cleared");
        m.clearDue = false;
        break;
      }
      case "MemberFlagged": {
        const m = this.memberOf(a.member, "flag");
        const subject = `member ${m.member}`;
        this.differ("flagged member counted, not leaving", subject, MemberStatusV2.Waiting, m.status);
        if (m.flagged) this.differ("flagged once", subject, "not flagged", "flagged");
        const balance = this.balanceOf(m);
        this.differ("balance at flag", subject, balance, a.balance);
        if (balance >= this.rules.minBalance)
          this.differ("flagged only below the minimum", subject, `< ${this.rules.minBalance}`, balance);
        m.flagged = true;
        m.lapsableAt = a.lapsableAt as bigint;
        break;
      }
      case "MemberLapsing": {
        const m = this.memberOf(a.member, "lapse");
        const subject = `member ${m.member}`;
        this.differ("lapsed member counted, not leaving", subject, MemberStatusV2.Waiting, m.status);
        if (!m.flagged) this.differ("lapsed only after a flag", subject, "flagged", "not flagged");
        const balance = this.balanceOf(m);
        this.differ("balance at lapse", subject, balance, a.balance);
        if (balance >= this.rules.minBalance)
          this.differ("lapsed only below the minimum", subject, `< ${this.rules.minBalance}`, balance);
        this.startNotice(m, MemberStatusV2.Lapsing, a.claimBound);
        break;
      }
      case "MemberExitRequested": {
        const m = this.memberOf(a.member, "exit request");
        this.differ(
          "exit requested by a counted member not leaving",
          `member ${m.member}`,
          MemberStatusV2.Waiting,
          m.status,
        );
        this.startNotice(m, MemberStatusV2.Exiting, a.claimBound);
        break;
      }
      case "MemberLeft":
        this.leave(seq, a);
        break;
      case "MemberWithdrew": {
        const m = this.memberOf(a.member, "withdrawal");
        const amount = a.amount as bigint;
        const keep = counted(m.status) ? this.rules.minBalance : 0n;
        if (this.balanceOf(m) < amount + keep)
          this.differ("withdrawal within the balance", `member ${m.member}`, `<= ${this.balanceOf(m) - keep}`, amount);
        m.credit -= amount;
        m.withdrawals += amount;
        break;
      }
      case "MemberWithdrewTo": {
        const m = this.memberOf(a.member, "withdrawal");
        const amount = a.amount as bigint;
        const keep = counted(m.status) ? this.rules.minBalance : 0n;
        if (this.balanceOf(m) < amount + keep)
          this.differ("withdrawal within the balance", `member ${m.member}`, `<= ${this.balanceOf(m) - keep}`, amount);
        m.credit -= amount;
        m.withdrawals += amount;
        break;
      }
      case "BeneficiarySet": {
        const m = this.memberOf(a.member, "beneficiary");
        m.beneficiary = a.beneficiary === ZERO_ADDRESS ? undefined : (a.beneficiary as Address);
        break;
      }
      case "RecoveryOptionsSet":
        this.memberOf(a.member, "recovery options");
        this.recoveryOptions.set(lower(a.member), {
          recoveryAddress: a.recoveryAddress as Address,
          verifierRecoveryOff: a.verifierRecoveryOff as boolean,
        });
        break;
      case "RecoveryRequested":
        this.recoveryRequested(e, a);
        break;
      case "RecoveryCancelled":
        this.recoveryCancelled(e, a);
        break;
      case "RecoveryCompleted":
        this.recoveryCompleted(e, a);
        break;
      case "ClaimPayeeNamed": {
        const c = this.claimOf(a.claimId, "payee");
        if (!c) break;
        if (lower(a.payee) === lower(c.claimant) || a.payee === ZERO_ADDRESS)
          this.differ("a named payee is not the claimant", `claim ${c.id}`, "another address", a.payee);
        c.payee = a.payee as Address;
        break;
      }
      case "ClaimSubmitted":
        this.submit(a);
        break;
      case "JuryRoundOpened":
        this.openRound(e, a);
        break;
      case "JuryReanchored": {
        const r = this.roundOf(a.claimId, a.round, "re-anchor");
        if (!r) break;
        this.differ("re-anchored seed block", `claim ${a.claimId} round ${a.round}`, e.blockNumber + 1n, a.seedBlock);
        r.seedBlock = a.seedBlock;
        r.reanchors++;
        break;
      }
      case "JurorSeated": {
        const r = this.roundOf(a.claimId, a.round, "seat");
        if (r) r.jurors.push(a.juror as Address);
        break;
      }
      case "JuryDrawn":
        this.drawn(e, a);
        break;
      case "VoteCommitted": {
        const r = this.roundOf(a.claimId, a.round, "commit");
        if (!r) break;
        const juror = a.juror as Address;
        if (!r.jurors.some((j) => lower(j) === lower(juror)))
          this.differ("only seated jurors commit", `claim ${a.claimId} round ${a.round}`, "a seated juror", juror);
        r.committed.add(lower(juror));
        break;
      }
      case "VoteRevealed": {
        const r = this.roundOf(a.claimId, a.round, "reveal");
        if (!r) break;
        const juror = lower(a.juror);
        const subject = `claim ${a.claimId} round ${a.round}`;
        if (!r.committed.has(juror)) this.differ("reveal follows a commit", subject, "a commit", `none by ${a.juror}`);
        if (r.votes.has(juror)) this.differ("one vote per juror", subject, "one reveal", `second reveal by ${a.juror}`);
        r.votes.set(juror, a.support as boolean);
        if (a.support) r.approvals++;
        else r.rejections++;
        break;
      }
      case "JurorPenalized":
        this.penalize(a);
        break;
      case "RoundTallied":
        this.tallied(a);
        break;
      case "AppealFiled":
        this.appealFiled(a);
        break;
      case "AppealDecided":
        this.appealDecided(a);
        break;
      case "ClaimResolved":
        this.resolve(a);
        break;
      case "ClaimPaid": {
        const c = this.claimOf(a.claimId, "payment");
        if (!c) break;
        const subject = `claim ${c.id}`;
        if (c.state !== ClaimStateV2.Approved)
          this.differ(
            "paid only if approved, once",
            subject,
            "Approved and unpaid",
            c.state === ClaimStateV2.Paid ? "paid before" : `state ${c.state}`,
          );
        this.differ("paid in queue order", subject, this.queue[0] ?? "an empty queue", c.id);
        if (this.queue[0] === c.id) this.queue.shift();
        this.differ("paid to its claimant", subject, c.claimant, a.claimant);
        this.differ("requested amount", subject, c.amount, a.requested);
        this.differ("paid in the period being settled", subject, this.nextPeriod, a.period);
        if (c.resolvesAt > this.periodEnd(a.period as bigint))
          this.differ("paid after its timetable", subject, `resolves by ${this.periodEnd(a.period)}`, c.resolvesAt);
        c.state = ClaimStateV2.Paid;
        c.paid = a.paid;
        c.paidPeriod = a.period;
        this.pendingPaid.push({
          id: c.id,
          claimant: c.claimant,
          payee: c.payee ?? c.claimant,
          requested: c.amount,
          paid: a.paid,
          feeBps: c.feeBps,
          fee: 0n,
        });
        break;
      }
      case "PeriodSettled":
        this.settle(e, seq, a);
        break;
      case "PayoutWithdrawn": {
        const due = this.payouts.get(a.account) ?? 0n;
        this.differ("payout withdrawn whole", `account ${a.account}`, due, a.amount);
        this.credit(a.account, -(a.amount as bigint));
        break;
      }
      case "FeesWithdrawn":
        this.differ("fees withdrawn whole", "operator", this.fees, a.amount);
        this.fees -= a.amount as bigint;
        break;
      case "FeesCredited":
        this.differ("fees credited whole", "operator", this.fees, a.amount);
        this.fees -= a.amount as bigint;
        this.credit(a.operator, a.amount);
        break;
      case "RuleChangeExecuted":
        this.feeBps = BigInt(a.feeBps);
        break;
      default:
        // Reviews, pauses, proposals: no money moves.
        break;
    }
  }

  private join(e: DecodedEvent, seq: number, a: Record<string, never>) {
    const member = a.member as Address;
    // Built only for a discrepancy: ten thousand joins need none.
    const subject = () => `member ${member}`;
    if (this.chargeIndex !== a.chargeIndex) this.differ("join index", subject(), this.chargeIndex, a.chargeIndex);
    this.memberCount++;
    if (this.memberCount !== a.memberCount)
      this.differ("member count at join", subject(), this.memberCount, a.memberCount);
    const deposit = a.deposit as bigint;
    const old = this.memberByKey.get(lower(member));
    if (old) {
      if (old.status !== MemberStatusV2.Exited && old.status !== MemberStatusV2.Lapsed)
        this.differ("joins once while a member", subject(), "Exited or Lapsed before a return", old.status);
      this.differ("returns with the same commitment", subject(), old.commitment, a.commitment);
      old.chargedBefore += old.chargeMark;
      const carried = old.credit - old.chargeMark;
      Object.assign(old, {
        status: MemberStatusV2.Waiting,
        flagged: false,
        lapsableAt: 0n,
        exitBound: 0n,
        eligibleAt: a.eligibleAt,
        credit: carried + deposit,
        chargeMark: this.chargeIndex,
        deposits: old.deposits + deposit,
        returns: old.returns + 1,
      });
      old.spans.push({ joinedSeq: seq, leftSeq: -1 });
    } else {
      const holder = this.walletByCommitment.get(a.commitment);
      if (holder !== undefined) this.differ("one wallet per commitment", subject(), holder, member);
      else this.walletByCommitment.set(a.commitment, member);
      const m: MemberLedger = {
        member,
        commitment: a.commitment,
        status: MemberStatusV2.Waiting,
        flagged: false,
        lapsableAt: 0n,
        exitBound: 0n,
        joinedBlock: e.blockNumber,
        eligibleAt: a.eligibleAt,
        credit: deposit,
        chargeMark: this.chargeIndex,
        deposits: deposit,
        withdrawals: 0n,
        penalties: 0n,
        shortfall: 0n,
        chargedBefore: 0n,
        returns: 0,
        spans: [{ joinedSeq: seq, leftSeq: -1 }],
        clearDue: false,
      };
      this.members.set(member, m);
      this.memberByKey.set(lower(member), m);
    }
    this.jurors.add(member);
  }

  private startNotice(m: MemberLedger, status: MemberStatusV2, bound: bigint) {
    if (!this.jurors.remove(m.member))
      this.differ("leaves the juror set", `member ${m.member}`, "in the set", "not in the set");
    m.status = status;
    m.flagged = false;
    m.lapsableAt = 0n;
    m.exitBound = BigInt(this.claims.size) + 1n;
    this.differ("exit notice bound", `member ${m.member}`, m.exitBound, bound);
  }

  private leave(seq: number, a: Record<string, never>) {
    const m = this.memberOf(a.member, "leave");
    const subject = `member ${m.member}`;
    const expectedStatus =
      m.status === MemberStatusV2.Exiting
        ? MemberStatusV2.Exited
        : m.status === MemberStatusV2.Lapsing
          ? MemberStatusV2.Lapsed
          : undefined;
    this.differ("leaves after a notice", subject, expectedStatus ?? "Exiting or Lapsing", Number(a.status));
    for (let id = 1n; id < m.exitBound; id++) {
      const c = this.claims.get(id);
      if (c && c.state !== ClaimStateV2.Paid && c.state !== ClaimStateV2.Rejected && c.state !== ClaimStateV2.NoQuorum)
        this.differ(
          "leaves once earlier claims are final and paid",
          subject,
          `claim ${id} final and paid`,
          `state ${c.state}`,
        );
    }
    let charged = this.chargeIndex - m.chargeMark;
    const shortfall = charged > m.credit ? charged - m.credit : 0n;
    if (shortfall > 0n) charged = m.credit;
    this.differ("charged at leave", subject, charged, a.charged);
    this.differ("shortfall at leave", subject, shortfall, a.shortfall);
    this.differ("balance at leave", subject, m.credit - charged, a.balance);
    m.chargeMark = charged;
    m.shortfall += shortfall;
    m.status = Number(a.status) as MemberStatusV2;
    m.exitBound = 0n;
    const span = m.spans[m.spans.length - 1];
    if (span) span.leftSeq = seq;
    this.memberCount--;
    this.differ("member count at leave", subject, this.memberCount, a.memberCount);
    if (shortfall > 0n) this.carryLoss(shortfall);
  }

  private submit(a: Record<string, never>) {
    const id = a.claimId as bigint;
    const subject = `claim ${id}`;
    this.differ("claim ids in order", subject, BigInt(this.claims.size + 1), id);
    this.differ("claim bond", subject, this.rules.claimBond, a.bond);
    this.differ("claim fee rate is the one in force", subject, this.feeBps, a.feeBps);
    const claimant = a.claimant as Address;
    const m = this.memberByKey.get(lower(claimant));
    if (!m || m.status !== MemberStatusV2.Waiting)
      this.differ("claimant is a counted member", subject, "Active", m ? m.status : "not a member");
    else if (this.balanceOf(m) < this.rules.minBalance)
      this.differ("claimant holds the minimum balance", subject, `>= ${this.rules.minBalance}`, this.balanceOf(m));
    for (const other of this.claims.values())
      if (
        lower(other.claimant) === lower(claimant) &&
        other.state !== ClaimStateV2.Paid &&
        other.state !== ClaimStateV2.Rejected &&
        other.state !== ClaimStateV2.NoQuorum
      )
        this.differ("one open claim per member", subject, "no open claim", `claim ${other.id}`);
    const digest = lower(a.evidenceDigest);
    if (this.evidence.has(digest)) this.differ("evidence used once", subject, "unused evidence", a.evidenceDigest);
    this.evidence.add(digest);
    const resolvesAt = a.resolvesAt as bigint;
    this.claims.set(id, {
      id,
      claimant,
      amount: a.amount,
      bond: a.bond,
      feeBps: BigInt(a.feeBps),
      evidenceDigest: a.evidenceDigest,
      submittedAt: resolvesAt - this.rounds * this.roundLength,
      resolvesAt,
      state: ClaimStateV2.Drawing,
      verdict: Verdict.None,
      rounds: [],
      seated: new Set(),
      appeals: [],
      nextTarget: this.rules.jurySize,
      paid: 0n,
    });
    this.openBonds += a.bond as bigint;
  }

  private openRound(e: DecodedEvent, a: Record<string, never>) {
    const c = this.claimOf(a.claimId, "jury round");
    if (!c) return;
    const round = a.round as bigint;
    const subject = `claim ${c.id} round ${round}`;
    this.differ("rounds in order", subject, BigInt(c.rounds.length), round);
    if (round >= this.rounds) this.differ("rounds within the timetable", subject, `< ${this.rounds}`, round);
    if (c.state !== ClaimStateV2.Drawing)
      this.differ("rounds of a pending claim", subject, "pending", `state ${c.state}`);
    this.differ("seats of the round", subject, c.nextTarget ?? "no round due", a.seatsTarget);
    this.differ("round's juror set size", subject, this.jurors.size, a.setSize);
    this.differ("round's seed block", subject, e.blockNumber + 1n, a.seedBlock);
    c.nextTarget = undefined;
    const pending = c.pendingAppeal;
    c.rounds.push({
      round,
      target: a.seatsTarget,
      seedBlock: a.seedBlock,
      setSize: a.setSize,
      reanchors: 0n,
      drawn: false,
      jurors: [],
      expectedJurors: [],
      committed: new Set(),
      votes: new Map(),
      penalized: new Map(),
      tallied: false,
      approvals: 0n,
      rejections: 0n,
      quorum: quorumOf(a.seatsTarget, this.rules.quorumBps),
      verdict: Verdict.None,
      appeal:
        pending && pending.round === round ? { appellant: pending.appellant, against: pending.against } : undefined,
    });
  }

  private drawn(e: DecodedEvent, a: Record<string, never>) {
    const r = this.roundOf(a.claimId, a.round, "draw");
    const c = this.claims.get(a.claimId as bigint);
    if (!r || !c) return;
    const subject = `claim ${c.id} round ${r.round}`;
    if (r.drawn) this.differ("drawn once", subject, "one draw", "a second draw");
    this.differ("seats filled", subject, r.jurors.length, a.seats);
    const seed = a.seed as Hex;
    const expected = drawJury({
      seed,
      pool: this.rules.pool,
      claimId: c.id,
      round: r.round,
      target: r.target,
      setSize: r.setSize,
      set: this.jurors,
      claimant: c.claimant,
      submittedAt: c.submittedAt,
      eligibleAt: (account) => this.memberByKey.get(lower(account))?.eligibleAt ?? 0n,
      seated: (account) => c.seated.has(lower(account)),
    });
    this.differ("jury equals the recomputed draw", subject, expected.join(" "), r.jurors.join(" "));
    r.expectedJurors = expected;
    r.drawn = true;
    r.seed = seed;
    r.drawBlock = e.blockNumber;
    for (const j of r.jurors) c.seated.add(lower(j));
    if (lower(this.rules.randomness) === ZERO_ADDRESS) {
      if (e.blockNumber <= r.seedBlock)
        this.differ("drawn after the seed block", subject, `> ${r.seedBlock}`, e.blockNumber);
      this.seeds.push({ claimId: c.id, round: r.round, seedBlock: r.seedBlock, seed });
    }
  }

  private penalize(a: Record<string, never>) {
    const r = this.roundOf(a.claimId, a.round, "penalty");
    if (!r) return;
    const juror = a.juror as Address;
    const subject = `claim ${a.claimId} round ${a.round} juror ${juror}`;
    if (!r.jurors.some((j) => lower(j) === lower(juror)))
      this.differ("only seated jurors are penalised", subject, "seated", "not seated");
    if (r.votes.has(lower(juror))) this.differ("only non-revealers are penalised", subject, "no reveal", "revealed");
    if (r.penalized.has(lower(juror))) this.differ("penalised once", subject, "once", "twice");
    // A seat drawn before its member's recovery: the penalty follows the membership (RecoveryTrail).
    let holder: string = juror;
    for (let i = 0; i < 16 && !this.memberByKey.has(lower(holder)) && this.movedTo.has(lower(holder)); i++)
      holder = this.movedTo.get(lower(holder))!;
    const m = this.memberByKey.get(lower(holder));
    let taken = 0n;
    if (m) {
      const balance = this.balanceOf(m);
      taken = balance <= 0n ? 0n : balance < this.rules.jurorPenalty ? balance : this.rules.jurorPenalty;
      m.credit -= taken;
      m.penalties += taken;
    }
    this.differ("juror penalty", subject, taken, a.amount);
    r.penalized.set(lower(juror), taken);
    this.penaltiesTaken += taken;
    this.carryGain(taken);
  }

  private tallied(a: Record<string, never>) {
    const r = this.roundOf(a.claimId, a.round, "tally");
    const c = this.claims.get(a.claimId as bigint);
    if (!r || !c) return;
    const subject = `claim ${c.id} round ${r.round}`;
    this.differ("tallies the current round", subject, c.rounds.length - 1, Number(r.round));
    if (r.tallied) this.differ("tallied once", subject, "once", "twice");
    for (const j of r.jurors)
      if (!r.votes.has(lower(j)) && !r.penalized.has(lower(j)))
        this.differ("every non-revealer penalised", subject, `a penalty for ${j}`, "none");
    this.differ("approvals", subject, r.approvals, a.approvals);
    this.differ("rejections", subject, r.rejections, a.rejections);
    this.differ("quorum", subject, r.quorum, a.quorum);
    const verdict = verdictOf(r.approvals, r.rejections, r.quorum, this.rules.approvalThresholdBps);
    this.differ("verdict follows the votes", subject, verdict, Number(a.verdict));
    r.tallied = true;
    r.verdict = verdict;
    if (verdict !== Verdict.None) {
      if (c.pendingAppeal) c.appealDecision = verdict !== c.pendingAppeal.against;
      c.verdict = verdict;
    } else if (r.round + 1n < this.rounds) {
      // A fresh jury of the same size, unless the timetable is over (resolve closes the round).
      c.nextTarget = r.target;
    }
  }

  private appealFiled(a: Record<string, never>) {
    const c = this.claimOf(a.claimId, "appeal");
    if (!c) return;
    const subject = `claim ${c.id}`;
    const appellant = a.appellant as Address;
    const last = c.rounds[c.rounds.length - 1];
    this.differ("appeal bond", subject, this.rules.appealBond, a.bond);
    this.differ("appeal opens the next round", subject, BigInt(c.rounds.length), a.round);
    if (!last?.tallied || c.verdict === Verdict.None || c.pendingAppeal)
      this.differ("appeal against a standing verdict", subject, "a tallied round's verdict", "none");
    if (c.verdict === Verdict.Reject) {
      if (lower(appellant) !== lower(c.claimant))
        this.differ("only the claimant appeals a rejection", subject, c.claimant, appellant);
    } else {
      const m = this.memberByKey.get(lower(appellant));
      if (
        !m ||
        m.status !== MemberStatusV2.Waiting ||
        m.eligibleAt >= c.submittedAt ||
        lower(appellant) === lower(c.claimant)
      )
        this.differ(
          "only a jury-eligible member appeals an approval",
          subject,
          "a seasoned member not leaving",
          appellant,
        );
    }
    const appeal: AppealLedger = { round: a.round, appellant, against: c.verdict, bond: a.bond };
    c.appeals.push(appeal);
    c.pendingAppeal = appeal;
    c.appealDecision = undefined;
    c.nextTarget = 2n * (last?.target ?? 0n) + 1n;
    this.openAppealBonds += a.bond as bigint;
  }

  private appealDecided(a: Record<string, never>) {
    const c = this.claimOf(a.claimId, "appeal decision");
    if (!c) return;
    const subject = `claim ${c.id}`;
    const appeal = c.pendingAppeal;
    if (!appeal) {
      this.differ("appeal decided once filed", subject, "a pending appeal", "none");
      return;
    }
    this.differ("appellant", subject, appeal.appellant, a.appellant);
    const overturned = c.appealDecision ?? false;
    const refunded = c.appealDecision === false ? 0n : appeal.bond;
    this.differ("appeal overturned", subject, overturned, a.overturned);
    this.differ("appeal bond refunded", subject, refunded, a.refunded);
    this.differ("appeal bond forfeited", subject, appeal.bond - refunded, a.forfeited);
    appeal.overturned = overturned;
    appeal.refunded = refunded;
    appeal.forfeited = appeal.bond - refunded;
    this.openAppealBonds -= appeal.bond;
    if (refunded > 0n) this.credit(appeal.appellant, refunded);
    if (appeal.bond > refunded) this.carryGain(appeal.bond - refunded);
    c.pendingAppeal = undefined;
    c.appealDecision = undefined;
  }

  private resolve(a: Record<string, never>) {
    const c = this.claimOf(a.claimId, "resolution");
    if (!c) return;
    const subject = `claim ${c.id}`;
    this.differ("resolved in id order", subject, this.resolved + 1n, c.id);
    this.resolved = c.id;
    if (c.pendingAppeal)
      this.differ("appeal decided before resolution", subject, "no pending appeal", c.pendingAppeal.appellant);
    const last = c.rounds[c.rounds.length - 1];
    if (last && !last.tallied) this.differ("last round closed at resolution", subject, "tallied", "not tallied");
    this.differ("resolved claimant", subject, c.claimant, a.claimant);
    const outcome =
      c.verdict === Verdict.Approve
        ? ClaimStateV2.Approved
        : c.verdict === Verdict.Reject
          ? ClaimStateV2.Rejected
          : ClaimStateV2.NoQuorum;
    this.differ("outcome follows the last verdict", subject, outcome, Number(a.outcome));
    const forfeited = outcome === ClaimStateV2.Rejected ? c.bond : 0n;
    this.differ("bond refunded", subject, c.bond - forfeited, a.bondRefunded);
    this.differ("bond forfeited", subject, forfeited, a.bondForfeited);
    c.state = outcome;
    this.openBonds -= c.bond;
    if (forfeited > 0n) this.carryGain(forfeited);
    else this.credit(c.claimant, c.bond);
    if (outcome === ClaimStateV2.Approved) this.queue.push(c.id);
    if (outcome === ClaimStateV2.NoQuorum) this.evidence.delete(lower(c.evidenceDigest));
  }

  private hasPayable(end: bigint): boolean {
    const head = this.queue[0];
    return head !== undefined && this.claims.get(head)!.resolvesAt <= end;
  }

  private settle(e: DecodedEvent, seq: number, a: Record<string, never>) {
    const period = a.period as bigint;
    const part = a.part as bigint;
    const subject = part === 0n ? `period ${period}` : `period ${period} part ${part}`;
    const paid = this.pendingPaid;
    this.pendingPaid = [];
    this.differ("periods in order", subject, this.nextPeriod, period);
    this.differ("parts in order", subject, this.nextPart, part);
    this.differ("member count at settlement", subject, this.memberCount, a.members);
    this.differ("claims paid", subject, paid.length, a.claimsPaid);
    const n = BigInt(paid.length);
    if (n > MAX_CLAIMS_PER_SETTLE) this.differ("claims per settle call", subject, `<= ${MAX_CLAIMS_PER_SETTLE}`, n);
    if (this.paidInPeriod + n > this.rules.maxClaimsPerPeriod)
      this.differ("claims per period", subject, `<= ${this.rules.maxClaimsPerPeriod}`, this.paidInPeriod + n);
    const year = (period * this.rules.periodLength) / YEAR;
    let maxShare: bigint | undefined;
    if (this.rules.annualChargeCap > 0n) {
      if (year !== this.year) {
        this.year = year;
        this.yearStartIndex = this.chargeIndex;
      }
      maxShare = this.rules.annualChargeCap - (this.chargeIndex - this.yearStartIndex);
    }
    const limit = this.rules.maxPayoutPerMember;
    const capped = paid.map((p) => {
      const c = cappedPayout(p.requested, this.rules.capPerMember, this.memberCount);
      if (limit === 0n) return c;
      const rec = this.yearPayouts.get(lower(p.claimant));
      const left = limit - (rec && rec.year === year ? rec.paid : 0n);
      return c < left ? c : left;
    });
    const feesBps = paid.map((p) => p.feeBps);
    const r = apportion(capped, feesBps, {
      members: this.memberCount,
      surplusIn: this.surplus,
      deficitIn: this.deficit,
      maxShare,
    });
    paid.forEach((p, i) => {
      this.differ("claim payout", `claim ${p.id} in ${subject}`, r.paid[i], p.paid);
      p.fee = feeOn(r.paid[i], p.feeBps);
      if (p.feeBps > 1_000n) this.differ("fee rate within the 10% cap", `claim ${p.id}`, "<= 1000", p.feeBps);
      if (r.paid[i] > 0n) {
        // Invariant 4: paid only to its payee (the claimant unless the claim named another).
        this.credit(p.payee, r.paid[i]);
        if (limit !== 0n) {
          const rec = this.yearPayouts.get(lower(p.claimant));
          const used = rec && rec.year === year ? rec.paid : 0n;
          this.yearPayouts.set(lower(p.claimant), { year, paid: used + r.paid[i] });
        }
      }
    });
    const index = this.chargeIndex + r.share;
    const figures: Array<[string, bigint]> = [
      ["payouts", r.payouts],
      ["fee", r.fee],
      ["cut", r.cut],
      ["surplusIn", this.surplus],
      ["deficitIn", this.deficit],
      ["share", r.share],
      ["surplusOut", r.surplusOut],
      ["deficitOut", r.deficitOut],
      ["chargeIndex", index],
    ];
    for (const [name, value] of figures) this.differ(`settlement ${name}`, subject, value, a[name]);
    const closed =
      this.memberCount === 0n ||
      this.paidInPeriod + n === this.rules.maxClaimsPerPeriod ||
      !this.hasPayable(this.periodEnd(period));
    this.differ("settlement closed", subject, closed, a.closed);
    this.periods.push({
      period,
      part,
      closed,
      block: e.blockNumber,
      seq,
      members: this.memberCount,
      claims: paid,
      payouts: r.payouts,
      fee: r.fee,
      cut: r.cut,
      surplusIn: this.surplus,
      deficitIn: this.deficit,
      share: r.share,
      surplusOut: r.surplusOut,
      deficitOut: r.deficitOut,
      chargeIndex: index,
    });
    this.chargeIndex = index;
    this.surplus = r.surplusOut;
    this.deficit = r.deficitOut;
    this.fees += r.fee;
    if (closed) {
      this.nextPeriod = period + 1n;
      this.nextPart = 0n;
      this.paidInPeriod = 0n;
    } else {
      this.nextPart = part + 1n;
      this.paidInPeriod += n;
    }
  }

  private recoveryRequested(e: DecodedEvent, a: Record<string, never>) {
    const m = this.memberOf(a.member, "recovery request");
    const subject = `member ${m.member}`;
    this.differ("recovery names the member's commitment", subject, m.commitment, a.commitment);
    const pending = this.recoveries.find((r) => r.outcome === "pending" && lower(r.member) === lower(m.member));
    if (pending) this.differ("one recovery pending at a time", subject, "none pending", `to ${pending.newWallet}`);
    const options = this.recoveryOptions.get(lower(m.member));
    if (a.byVerifier && options?.verifierRecoveryOff)
      this.differ("no verifier recovery of a member who opted out", subject, "opted out", "recovered by the verifier");
    this.recoveries.push({
      member: m.member,
      newWallet: a.newWallet as Address,
      commitment: a.commitment,
      byVerifier: a.byVerifier as boolean,
      readyAt: a.readyAt as bigint,
      requestedBlock: e.blockNumber,
      outcome: "pending",
    });
  }

  private recoveryCancelled(e: DecodedEvent, a: Record<string, never>) {
    const subject = `member ${a.member}`;
    const r = this.recoveries.find((x) => x.outcome === "pending" && lower(x.member) === lower(a.member));
    if (!r) {
      this.differ("cancels a pending recovery", subject, "a pending recovery", "none");
      return;
    }
    const by = lower(a.by);
    const options = this.recoveryOptions.get(lower(r.member));
    if (by !== lower(r.member) && by !== lower(options?.recoveryAddress ?? ZERO_ADDRESS))
      this.differ("cancelled by the member or its recovery address", subject, r.member, a.by);
    r.outcome = "cancelled";
    r.cancelledBy = a.by as Address;
    r.endedBlock = e.blockNumber;
  }

  /** Moves the membership whole: record, juror position, settings, yearly payouts; never a payout owed. */
  private recoveryCompleted(e: DecodedEvent, a: Record<string, never>) {
    const subject = `member ${a.member}`;
    const r = this.recoveries.find((x) => x.outcome === "pending" && lower(x.member) === lower(a.member));
    if (!r) {
      this.differ("completes a pending recovery", subject, "a pending recovery", "none");
      return;
    }
    this.differ("recovery to the requested wallet", subject, r.newWallet, a.newWallet);
    this.differ("recovery of the member's commitment", subject, r.commitment, a.commitment);
    const m = this.memberOf(a.member, "recovery");
    if (this.memberByKey.has(lower(a.newWallet)))
      this.differ("recovery to a wallet that never was a member", subject, "a fresh wallet", a.newWallet);
    for (const c of this.claims.values())
      if (
        lower(c.claimant) === lower(m.member) &&
        (c.state === ClaimStateV2.Drawing || c.state === ClaimStateV2.Approved)
      )
        this.differ("recovery completes with no open claim", subject, "no open claim", `claim ${c.id}`);
    const newWallet = a.newWallet as Address;
    if (m.status === MemberStatusV2.Waiting) this.jurors.replace(m.member, newWallet);
    const old = m.member;
    this.movedTo.set(lower(old), newWallet);
    this.members.delete(old);
    this.memberByKey.delete(lower(old));
    m.formerWallets = [...(m.formerWallets ?? []), old];
    m.member = newWallet;
    this.members.set(newWallet, m);
    this.memberByKey.set(lower(newWallet), m);
    const year = this.yearPayouts.get(lower(old));
    if (year) {
      this.yearPayouts.delete(lower(old));
      this.yearPayouts.set(lower(newWallet), year);
    }
    const options = this.recoveryOptions.get(lower(old));
    if (options) {
      this.recoveryOptions.delete(lower(old));
      this.recoveryOptions.set(lower(newWallet), options);
    }
    r.outcome = "completed";
    r.endedBlock = e.blockNumber;
  }

  private memberOf(member: Address, what: string): MemberLedger {
    const m = this.memberByKey.get(lower(member));
    if (m) return m;
    this.differ(`${what} by a member`, `member ${member}`, "a joined member", "unknown");
    const ghost: MemberLedger = {
      member,
      commitment: "0x",
      status: MemberStatusV2.None,
      flagged: false,
      lapsableAt: 0n,
      exitBound: 0n,
      joinedBlock: 0n,
      eligibleAt: 0n,
      credit: 0n,
      chargeMark: 0n,
      deposits: 0n,
      withdrawals: 0n,
      penalties: 0n,
      shortfall: 0n,
      chargedBefore: 0n,
      returns: 0,
      spans: [],
      clearDue: false,
    };
    this.members.set(member, ghost);
    this.memberByKey.set(lower(member), ghost);
    return ghost;
  }

  private claimOf(id: bigint, what: string): ClaimLedger | undefined {
    const c = this.claims.get(id);
    if (!c) this.differ(`${what} of a submitted claim`, `claim ${id}`, "a submitted claim", "unknown");
    return c;
  }

  private roundOf(claimId: bigint, round: bigint, what: string): RoundLedger | undefined {
    const c = this.claimOf(claimId, what);
    if (!c) return undefined;
    const r = c.rounds[Number(round)];
    if (!r) this.differ(`${what} in an opened round`, `claim ${claimId} round ${round}`, "an opened round", "unknown");
    return r;
  }
}
