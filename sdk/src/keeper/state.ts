/**
 * What a keeper knows of a pool, rebuilt from the pool's events: the members' balances (as
 * `credit + chargeMark`, so that the whole index moves with one number, the charge index), flags,
 * exit notices, and the claims still on their timetable. Built once from the pool's history at
 * start, then updated from the events of each new block range: a cycle never reads per member.
 */
import { decodeEventLog, getAddress } from "viem";
import { poolAbi } from "../abi/generated";
import type { LogEntry } from "../clients/connector";
import { ClaimState, Verdict } from "../core/enums.generated";
import type { Address, Rules } from "../core/types";

/** A member as the keeper tracks it. */
export interface MemberEntry {
  /** `Waiting`/`Active` (in the juror set: may be flagged), `Exiting`/`Lapsing` (notice), `Left`. */
  phase: "counted" | "notice" | "left";
  /** Deposits minus withdrawals and juror penalties, as the contract's `credit`. */
  credit: bigint;
  /** The charge index at the last join (while counted), or the charges frozen at leaving. */
  mark: bigint;
  /** While flagged: when the member may be lapsed; 0 when not flagged. */
  lapsableAt: bigint;
  /** While on notice: claims with a lower id must be final and paid before the exit completes. */
  exitBound: bigint;
}

/** A claim as the keeper tracks it (what `Juries.stateOf` needs). */
export interface ClaimEntry {
  id: bigint;
  submittedAt: bigint;
  resolvesAt: bigint;
  round: bigint;
  seedBlock: bigint;
  drawn: boolean;
  tallied: boolean;
  verdict: number;
  /** The outcome once resolved (Approved, Rejected, NoQuorum), then Paid. */
  final?: number;
}

/** A decoded pool event with its position in the chain. */
export interface KeeperEvent {
  eventName: string;
  args: Record<string, unknown>;
  blockNumber: bigint;
  logIndex: number;
}

/** Decodes a pool's logs (logs of other contracts or unknown events are ignored), in chain order. */
export function decodePoolLogs(logs: LogEntry[]): KeeperEvent[] {
  const events: KeeperEvent[] = [];
  for (const log of logs) {
    try {
      const decoded = decodeEventLog({ abi: poolAbi, data: log.data, topics: log.topics as never });
      events.push({
        eventName: decoded.eventName,
        args: decoded.args as unknown as Record<string, unknown>,
        blockNumber: log.blockNumber,
        logIndex: log.logIndex,
      });
    } catch {
      // Not an event of the pool's ABI.
    }
  }
  return events.sort((a, b) =>
    a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
  );
}

export class PoolState {
  readonly members = new Map<Address, MemberEntry>();
  readonly claims = new Map<bigint, ClaimEntry>();
  /** Members on an exit notice (Exiting or Lapsing). */
  readonly notice = new Set<Address>();
  chargeIndex = 0n;
  memberCount = 0n;
  claimCount = 0n;
  /** Claims below this id are resolved. */
  nextToResolve = 1n;
  /** Members counted and not on notice, ordered by `credit + mark` (rebuilt when stale). */
  private sorted?: Array<{ member: Address; key: bigint }>;
  private readonly rounds: bigint;
  private readonly roundLength: bigint;

  constructor(readonly rules: Rules) {
    this.rounds = 1n + BigInt(rules.maxAppealRounds);
    this.roundLength = BigInt(rules.commitWindow + rules.revealWindow + rules.appealWindow);
  }

  apply(events: KeeperEvent[]): void {
    for (const e of events) this.applyOne(e);
  }

  private member(address: unknown): MemberEntry {
    const key = getAddress(address as string) as Address;
    let m = this.members.get(key);
    if (!m) this.members.set(key, (m = { phase: "left", credit: 0n, mark: 0n, lapsableAt: 0n, exitBound: 0n }));
    return m;
  }

  private applyOne({ eventName, args: a }: KeeperEvent): void {
    const n = (k: string) => a[k] as bigint;
    switch (eventName) {
      case "MemberJoined": {
        const m = this.member(a.member);
        // A return keeps what was left: the credit minus the charges frozen at leaving.
        const carried = m.phase === "left" ? m.credit - m.mark : 0n;
        Object.assign(m, { phase: "counted", credit: carried + n("deposit"), mark: n("chargeIndex"), lapsableAt: 0n });
        this.memberCount = n("memberCount");
        this.sorted = undefined;
        break;
      }
      case "MemberToppedUp":
        this.member(a.member).credit += n("amount");
        this.sorted = undefined;
        break;
      case "MemberWithdrew":
      case "MemberWithdrewTo":
        this.member(a.member).credit -= n("amount");
        this.sorted = undefined;
        break;
      case "JurorPenalized":
        this.member(a.juror).credit -= n("amount");
        this.sorted = undefined;
        break;
      case "MemberFlagged":
        this.member(a.member).lapsableAt = n("lapsableAt");
        break;
      case "MemberFlagCleared":
        this.member(a.member).lapsableAt = 0n;
        break;
      case "MemberExitRequested":
      case "MemberLapsing":
        Object.assign(this.member(a.member), { phase: "notice", lapsableAt: 0n, exitBound: n("claimBound") });
        this.notice.add(getAddress(a.member as string) as Address);
        this.sorted = undefined;
        break;
      case "MemberLeft":
        Object.assign(this.member(a.member), { phase: "left", mark: n("charged"), exitBound: 0n });
        this.notice.delete(getAddress(a.member as string) as Address);
        this.memberCount = n("memberCount");
        this.sorted = undefined;
        break;
      case "RecoveryCompleted": {
        // The whole membership moves to the new wallet; the old one holds nothing any more.
        const from = getAddress(a.member as string) as Address;
        const to = getAddress(a.newWallet as string) as Address;
        const entry = this.members.get(from);
        if (entry) {
          this.members.set(to, entry);
          this.members.delete(from);
        }
        if (this.notice.delete(from)) this.notice.add(to);
        this.sorted = undefined;
        break;
      }
      case "PeriodSettled":
        this.chargeIndex = n("chargeIndex");
        break;
      case "ClaimSubmitted": {
        const id = n("claimId");
        const resolvesAt = n("resolvesAt");
        this.claims.set(id, {
          id,
          resolvesAt,
          submittedAt: resolvesAt - this.rounds * this.roundLength,
          round: 0n,
          seedBlock: 0n,
          drawn: false,
          tallied: false,
          verdict: Verdict.None,
        });
        if (id > this.claimCount) this.claimCount = id;
        break;
      }
      case "JuryRoundOpened": {
        const c = this.claims.get(n("claimId"));
        if (c) Object.assign(c, { round: n("round"), seedBlock: n("seedBlock"), drawn: false, tallied: false });
        break;
      }
      case "JuryReanchored": {
        const c = this.claims.get(n("claimId"));
        if (c) c.seedBlock = n("seedBlock");
        break;
      }
      case "JuryDrawn": {
        const c = this.claims.get(n("claimId"));
        if (c) c.drawn = true;
        break;
      }
      case "RoundTallied": {
        const c = this.claims.get(n("claimId"));
        if (c) {
          c.tallied = true;
          if (Number(a.verdict) !== Verdict.None) c.verdict = Number(a.verdict);
        }
        break;
      }
      case "ClaimResolved": {
        const id = n("claimId");
        const c = this.claims.get(id);
        if (c) c.final = Number(a.outcome);
        if (id >= this.nextToResolve) this.nextToResolve = id + 1n;
        // A claim that will never be paid needs no more tracking.
        if (Number(a.outcome) !== ClaimState.Approved) this.claims.delete(id);
        break;
      }
      case "ClaimPaid":
        this.claims.delete(n("claimId"));
        break;
    }
  }

  /** A claim's state at `now`, as `Juries.stateOf` computes it. */
  claimState(c: ClaimEntry, now: bigint): number {
    if (c.final !== undefined) return c.final;
    if (now >= c.resolvesAt) return ClaimState.Resolvable;
    const { commitWindow, revealWindow } = this.rules;
    const opensAt = c.submittedAt + c.round * this.roundLength;
    if (!c.tallied) {
      const commitEnd = opensAt + BigInt(commitWindow);
      if (now < commitEnd) return c.drawn ? ClaimState.Committing : ClaimState.Drawing;
      if (now < commitEnd + BigInt(revealWindow)) return ClaimState.Revealing;
      return ClaimState.Tallying;
    }
    if (c.verdict !== Verdict.None && c.round + 1n < this.rounds && now < opensAt + this.roundLength)
      return ClaimState.Appealable;
    return ClaimState.Decided;
  }

  /** A member's balance now (for a counted member). */
  balanceOf(m: MemberEntry): bigint {
    return m.credit - (this.chargeIndex - m.mark);
  }

  /**
   * Members in the juror set whose balance is below the minimum: those with `credit + mark` under
   * `minBalance + chargeIndex`, a prefix of the index ordered by that key (no scan of the others).
   */
  underfunded(): Array<{ member: Address; entry: MemberEntry }> {
    if (!this.sorted) {
      this.sorted = [];
      for (const [member, m] of this.members)
        if (m.phase === "counted") this.sorted.push({ member, key: m.credit + m.mark });
      this.sorted.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    }
    const threshold = this.rules.minBalance + this.chargeIndex;
    const found: Array<{ member: Address; entry: MemberEntry }> = [];
    for (const { member, key } of this.sorted) {
      if (key >= threshold) break;
      found.push({ member, entry: this.members.get(member)! });
    }
    return found;
  }
}
