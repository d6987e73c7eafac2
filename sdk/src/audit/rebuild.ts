/**
 * Rebuilds a pool's whole state from its events alone, with the SDK's pure core: members and their
 * charges, claims and their tallies, every period's apportionment. Every figure an event states is
 * checked against the recomputation as it is replayed. No client library, no contract view.
 */
import { apportion, cappedPayout, feeOn, BPS } from "../core/apportion";
import { MemberStatus, ClaimState } from "../core/types";
import type { Address, Hex } from "../core/types";
import type { DecodedEvent } from "./decode";

const YEAR = 365n * 24n * 3600n;

/** The rules the replay needs, as they were when the pool was created. */
export interface AuditRules {
  feeBps: bigint;
  capPerMember: bigint;
  maxClaimsPerPeriod: bigint;
  quorum: bigint;
  approvalThresholdBps: bigint;
  annualChargeCap: bigint;
  periodLength: bigint;
  minBalance: bigint;
}

export interface MemberLedger {
  member: Address;
  commitment: Hex;
  status: MemberStatus;
  joinedBlock: bigint;
  eligibleAt: bigint;
  deposits: bigint;
  withdrawals: bigint;
  /** Charge index at join. */
  indexAtJoin: bigint;
  /** Frozen at leave; while counted, `chargeIndex - indexAtJoin`. */
  chargedAtLeave: bigint;
  shortfall: bigint;
  /** Replay positions, to tell which settlements the member shared. */
  joinedSeq: number;
  leftSeq: number;
}

export interface ClaimLedger {
  id: bigint;
  claimant: Address;
  amount: bigint;
  bond: bigint;
  state: ClaimState;
  approvals: bigint;
  rejections: bigint;
  voters: Set<Address>;
  committers: Set<Address>;
  paid: bigint;
  paidPeriod?: bigint;
}

export interface PeriodLedger {
  period: bigint;
  block: bigint;
  seq: number;
  members: bigint;
  claims: Array<{ id: bigint; claimant: Address; requested: bigint; paid: bigint }>;
  payouts: bigint;
  fee: bigint;
  feeBps: bigint;
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

export class PoolLedger {
  readonly members = new Map<Address, MemberLedger>();
  readonly claims = new Map<bigint, ClaimLedger>();
  readonly periods: PeriodLedger[] = [];
  readonly payouts = new Map<Address, bigint>();
  readonly discrepancies: Discrepancy[] = [];
  memberCount = 0n;
  chargeIndex = 0n;
  surplus = 0n;
  deficit = 0n;
  fees = 0n;
  openBonds = 0n;
  events = 0;
  private feeBps: bigint;
  private year = 0n;
  private yearStartIndex = 0n;
  private pendingPaid: PeriodLedger["claims"] = [];

  constructor(private readonly rules: AuditRules) {
    this.feeBps = rules.feeBps;
  }

  /** What a member has been charged so far. */
  chargedOf(m: MemberLedger): bigint {
    return m.leftSeq >= 0 ? m.chargedAtLeave : this.chargeIndex - m.indexAtJoin;
  }

  /** A member's balance: deposits - withdrawals - charges. */
  balanceOf(m: MemberLedger): bigint {
    return m.deposits - m.withdrawals - this.chargedOf(m);
  }

  /** What the escrow must hold, to the base unit. */
  expectedEscrowBalance(): bigint {
    let total = this.fees + this.openBonds + this.surplus - this.deficit;
    for (const m of this.members.values()) total += this.balanceOf(m);
    for (const p of this.payouts.values()) total += p;
    return total;
  }

  /** The settlements a member shared: those replayed while they were counted. */
  periodsOf(m: MemberLedger): PeriodLedger[] {
    return this.periods.filter((p) => p.seq > m.joinedSeq && (m.leftSeq < 0 || p.seq < m.leftSeq));
  }

  private differ(check: string, subject: string, expected: unknown, actual: unknown) {
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
      case "MemberJoined": {
        const member = a.member as Address;
        this.differ("join index", `member ${member}`, this.chargeIndex, a.chargeIndex);
        this.memberCount++;
        this.differ("member count at join", `member ${member}`, this.memberCount, a.memberCount);
        this.members.set(member, {
          member,
          commitment: a.commitment,
          status: MemberStatus.Waiting,
          joinedBlock: e.blockNumber,
          eligibleAt: a.eligibleAt,
          deposits: a.deposit,
          withdrawals: 0n,
          indexAtJoin: this.chargeIndex,
          chargedAtLeave: 0n,
          shortfall: 0n,
          joinedSeq: seq,
          leftSeq: -1,
        });
        break;
      }
      case "MemberToppedUp":
        this.memberOf(a.member, "top-up").deposits += a.amount as bigint;
        break;
      case "MemberExitRequested":
        this.memberOf(a.member, "exit request").status = MemberStatus.Exiting;
        break;
      case "MemberLeft": {
        const m = this.memberOf(a.member, "leave");
        const credit = m.deposits - m.withdrawals;
        let charged = this.chargeIndex - m.indexAtJoin;
        const shortfall = charged > credit ? charged - credit : 0n;
        if (shortfall > 0n) charged = credit;
        this.differ("charged at leave", `member ${m.member}`, charged, a.charged);
        this.differ("shortfall at leave", `member ${m.member}`, shortfall, a.shortfall);
        this.differ("balance at leave", `member ${m.member}`, credit - charged, a.balance);
        m.chargedAtLeave = charged;
        m.shortfall = shortfall;
        m.status = Number(a.status) as MemberStatus;
        m.leftSeq = seq;
        this.memberCount--;
        this.differ("member count at leave", `member ${m.member}`, this.memberCount, a.memberCount);
        if (shortfall > 0n) this.carryLoss(shortfall);
        break;
      }
      case "MemberWithdrew":
        this.memberOf(a.member, "withdrawal").withdrawals += a.amount as bigint;
        break;
      case "ClaimSubmitted": {
        const id = a.claimId as bigint;
        this.differ("claim ids in order", `claim ${id}`, BigInt(this.claims.size + 1), id);
        this.claims.set(id, {
          id,
          claimant: a.claimant,
          amount: a.amount,
          bond: a.bond,
          state: ClaimState.Committing,
          approvals: 0n,
          rejections: 0n,
          voters: new Set(),
          committers: new Set(),
          paid: 0n,
        });
        this.openBonds += a.bond as bigint;
        break;
      }
      case "VoteCommitted": {
        const c = this.claimOf(a.claimId, "commit");
        if (c) {
          if (a.voter === c.claimant)
            this.differ("claimant never votes", `claim ${c.id}`, "no vote", `commit by ${a.voter}`);
          c.committers.add(a.voter);
        }
        break;
      }
      case "VoteRevealed": {
        const c = this.claimOf(a.claimId, "reveal");
        if (!c) break;
        const voter = a.voter as Address;
        if (voter === c.claimant) this.differ("claimant never votes", `claim ${c.id}`, "no vote", `vote by ${voter}`);
        if (c.voters.has(voter))
          this.differ("one vote per member", `claim ${c.id}`, "one reveal", `second reveal by ${voter}`);
        if (!c.committers.has(voter))
          this.differ("reveal follows a commit", `claim ${c.id}`, "a commit", `none by ${voter}`);
        c.voters.add(voter);
        if (a.support) c.approvals++;
        else c.rejections++;
        break;
      }
      case "ClaimResolved": {
        const c = this.claimOf(a.claimId, "resolution");
        if (!c) break;
        this.differ("tally", `claim ${c.id} approvals`, c.approvals, a.approvals);
        this.differ("tally", `claim ${c.id} rejections`, c.rejections, a.rejections);
        const revealed = c.approvals + c.rejections;
        const outcome =
          revealed < this.rules.quorum
            ? ClaimState.NoQuorum
            : c.approvals * BPS >= revealed * this.rules.approvalThresholdBps
              ? ClaimState.Approved
              : ClaimState.Rejected;
        this.differ("outcome follows the vote", `claim ${c.id}`, outcome, Number(a.outcome));
        c.state = outcome;
        this.openBonds -= c.bond;
        if (outcome === ClaimState.Rejected) {
          this.differ("bond forfeited", `claim ${c.id}`, c.bond, a.bondForfeited);
          this.carryGain(c.bond);
        } else {
          this.differ("bond refunded", `claim ${c.id}`, c.bond, a.bondRefunded);
          this.credit(c.claimant, c.bond);
        }
        break;
      }
      case "ClaimPaid": {
        const c = this.claimOf(a.claimId, "payment");
        if (!c) break;
        if (c.state !== ClaimState.Approved) {
          this.differ(
            "paid only if approved, once",
            `claim ${c.id}`,
            "Approved and unpaid",
            c.state === ClaimState.Paid ? "paid before" : `state ${c.state}`,
          );
        }
        this.differ("paid to its claimant", `claim ${c.id}`, c.claimant, a.claimant);
        c.state = ClaimState.Paid;
        c.paid = a.paid;
        c.paidPeriod = a.period;
        this.pendingPaid.push({ id: c.id, claimant: c.claimant, requested: c.amount, paid: a.paid });
        this.credit(c.claimant, a.paid);
        break;
      }
      case "PeriodSettled":
        this.settle(e, seq, a);
        break;
      case "PayoutWithdrawn":
        this.credit(a.account, -(a.amount as bigint));
        break;
      case "FeesWithdrawn":
        this.fees -= a.amount as bigint;
        break;
      case "FeesCredited":
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

  private settle(e: DecodedEvent, seq: number, a: Record<string, never>) {
    const period = a.period as bigint;
    const subject = `period ${period}`;
    const paid = this.pendingPaid;
    this.pendingPaid = [];
    this.differ("member count at settlement", subject, this.memberCount, a.members);
    this.differ("periods in order", subject, BigInt(this.periods.length), period);
    let maxShare: bigint | undefined;
    if (this.rules.annualChargeCap > 0n) {
      const year = (period * this.rules.periodLength) / YEAR;
      if (year !== this.year) {
        this.year = year;
        this.yearStartIndex = this.chargeIndex;
      }
      maxShare = this.rules.annualChargeCap - (this.chargeIndex - this.yearStartIndex);
    }
    if (BigInt(paid.length) > this.rules.maxClaimsPerPeriod) {
      this.differ("claims per period", subject, `<= ${this.rules.maxClaimsPerPeriod}`, paid.length);
    }
    const capped = paid.map((p) => cappedPayout(p.requested, this.rules.capPerMember, this.memberCount));
    const r = apportion(capped, {
      members: this.memberCount,
      feeBps: this.feeBps,
      surplusIn: this.surplus,
      deficitIn: this.deficit,
      maxShare,
    });
    paid.forEach((p, i) => this.differ("claim payout", `claim ${p.id} in ${subject}`, r.paid[i], p.paid));
    const figures: Array<[string, bigint]> = [
      ["payouts", r.payouts],
      ["fee", r.fee],
      ["cut", r.cut],
      ["surplusIn", this.surplus],
      ["deficitIn", this.deficit],
      ["share", r.share],
      ["surplusOut", r.surplusOut],
      ["deficitOut", r.deficitOut],
      ["chargeIndex", this.chargeIndex + r.share],
    ];
    for (const [name, value] of figures) this.differ(`settlement ${name}`, subject, value, a[name]);
    if (r.fee > feeOn(r.payouts, 1_000n))
      this.differ("fee within the 10% cap", subject, `<= ${feeOn(r.payouts, 1_000n)}`, r.fee);
    this.periods.push({
      period,
      block: e.blockNumber,
      seq,
      members: this.memberCount,
      claims: paid,
      payouts: r.payouts,
      fee: r.fee,
      feeBps: this.feeBps,
      cut: r.cut,
      surplusIn: this.surplus,
      deficitIn: this.deficit,
      share: r.share,
      surplusOut: r.surplusOut,
      deficitOut: r.deficitOut,
      chargeIndex: this.chargeIndex + r.share,
    });
    this.chargeIndex += r.share;
    this.surplus = r.surplusOut;
    this.deficit = r.deficitOut;
    this.fees += r.fee;
  }

  private memberOf(member: Address, what: string): MemberLedger {
    const m = this.members.get(member);
    if (m) return m;
    this.differ(`${what} by a member`, `member ${member}`, "a joined member", "unknown");
    const ghost: MemberLedger = {
      member,
      commitment: "0x",
      status: MemberStatus.None,
      joinedBlock: 0n,
      eligibleAt: 0n,
      deposits: 0n,
      withdrawals: 0n,
      indexAtJoin: this.chargeIndex,
      chargedAtLeave: 0n,
      shortfall: 0n,
      joinedSeq: this.events,
      leftSeq: -1,
    };
    this.members.set(member, ghost);
    return ghost;
  }

  private claimOf(id: bigint, what: string): ClaimLedger | undefined {
    const c = this.claims.get(id);
    if (!c) this.differ(`${what} of a submitted claim`, `claim ${id}`, "a submitted claim", "unknown");
    return c;
  }
}
