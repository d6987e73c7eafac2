/**
 * The jury draw of the contracts' `Juries` library, in plain TypeScript, and the juror set it
 * samples: pure functions, so that an auditor can recompute every seated jury from events alone.
 *
 * A round's draw: `base = keccak256(abi.encode(seed, pool, claimId, round))`; for nonce 0, 1, ...
 * (at most `4 * target + 16` tries, none when the set snapshot is empty) the position is
 * `uint(keccak256(abi.encode(base, nonce))) % setSize`; a position at or past the set's current
 * size, the claimant, a member with `eligibleAt >= submittedAt` and a member already seated on the
 * claim (any round) are skipped; the draw stops once `target` seats are filled.
 */
import { encodeAbiParameters, keccak256 } from "viem";
import type { Address, Hex } from "./types";

const BPS = 10_000n;

/** How many positions a draw of `target` seats tries at most. */
export function drawTries(target: bigint, setSize: bigint): bigint {
  return setSize === 0n ? 0n : 4n * target + 16n;
}

/** `keccak256(abi.encode(seed, pool, claimId, round))`. */
export function drawBase(seed: Hex, pool: Address, claimId: bigint, round: bigint): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "address" }, { type: "uint256" }, { type: "uint256" }],
      [seed, pool, claimId, round],
    ),
  );
}

/** `uint256(keccak256(abi.encode(base, nonce))) % setSize`. */
export function drawPosition(base: Hex, nonce: bigint, setSize: bigint): bigint {
  return BigInt(keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "uint256" }], [base, nonce]))) % setSize;
}

/** Revealed votes a round of `seats` needs: `ceil(seats * quorumBps / 10000)`. */
export function quorumOf(seats: bigint, quorumBps: bigint): bigint {
  return (seats * quorumBps + BPS - 1n) / BPS;
}

/** The verdict of a tallied round: 0 None (short of quorum), 1 Approve, 2 Reject, as `IClaimVoting.Verdict`. */
export function verdictOf(approvals: bigint, rejections: bigint, quorum: bigint, thresholdBps: bigint): 0 | 1 | 2 {
  const revealed = approvals + rejections;
  if (revealed < quorum) return 0;
  return approvals * BPS >= revealed * thresholdBps ? 1 : 2;
}

export interface DrawInput {
  seed: Hex;
  pool: Address;
  claimId: bigint;
  round: bigint;
  /** Seats to fill. */
  target: bigint;
  /** The juror set's size when the round opened (positions sampled). */
  setSize: bigint;
  /** The juror set at the draw: `at(i)` for `i < size`, and the live position of a member (none at a hole). */
  set: {
    readonly size: number;
    at(position: number): Address | undefined;
    positionOf(account: Address): number | undefined;
  };
  claimant: Address;
  submittedAt: bigint;
  /** A member's `eligibleAt` at the draw. */
  eligibleAt(account: Address): bigint;
  /** Whether the account already sits (or sat) on this claim's jury. */
  seated(account: Address): boolean;
}

/** The jurors a draw seats, in seat order (exactly as `Juries.draw`). */
export function drawJury(input: DrawInput): Address[] {
  const out: Address[] = [];
  const tries = drawTries(input.target, input.setSize);
  if (tries === 0n) return out;
  const base = drawBase(input.seed, input.pool, input.claimId, input.round);
  const chosen = new Set<string>();
  const claimant = input.claimant.toLowerCase();
  for (let nonce = 0n; nonce < tries && BigInt(out.length) < input.target; nonce++) {
    const position = drawPosition(base, nonce, input.setSize);
    if (position >= BigInt(input.set.size)) continue;
    const juror = input.set.at(Number(position));
    // A hole: its leaver is no longer in the set, or sits at another position since returning.
    if (juror === undefined || input.set.positionOf(juror) !== Number(position)) continue;
    const key = juror.toLowerCase();
    if (key === claimant || input.eligibleAt(juror) >= input.submittedAt) continue;
    if (chosen.has(key) || input.seated(juror)) continue;
    chosen.add(key);
    out.push(juror);
  }
  return out;
}

/**
 * The juror set (position -> account), as `MemberRegistry` keeps it: a joining or returning member
 * takes the last hole, else a new position at the end; a member who gives notice (exit request or
 * lapse) leaves a hole where they were, their address still there until a join fills it. Nobody
 * else ever moves.
 */
export class JurorSet {
  private readonly list: Address[] = [];
  private readonly positions = new Map<string, number>();
  private readonly holes: number[] = [];

  /** Positions, holes included (`jurorCount()`). */
  get size(): number {
    return this.list.length;
  }

  /** Holes waiting for a join (`jurorHoles()`). */
  get holeCount(): number {
    return this.holes.length;
  }

  /** The account at a position (`jurorAt`): at a hole, the member who left it. */
  at(position: number): Address | undefined {
    return this.list[position];
  }

  /** Whether the account holds a live position. */
  has(account: Address): boolean {
    return this.positions.has(account.toLowerCase());
  }

  /** The account's live position, if it holds one. */
  positionOf(account: Address): number | undefined {
    return this.positions.get(account.toLowerCase());
  }

  /** Places a member (join or return) in the last hole, else at the end; false if already there. */
  add(account: Address): boolean {
    const key = account.toLowerCase();
    if (this.positions.has(key)) return false;
    const position = this.holes.length > 0 ? this.holes.pop()! : this.list.length;
    this.positions.set(key, position);
    this.list[position] = account;
    return true;
  }

  /** Leaves a hole at the member's position; false if the account holds none. */
  remove(account: Address): boolean {
    const key = account.toLowerCase();
    const position = this.positions.get(key);
    if (position === undefined) return false;
    this.holes.push(position);
    this.positions.delete(key);
    return true;
  }

  /** Moves a live position to another account (a recovered membership); false if `from` holds none. */
  replace(from: Address, to: Address): boolean {
    const position = this.positions.get(from.toLowerCase());
    if (position === undefined) return false;
    this.positions.delete(from.toLowerCase());
    this.positions.set(to.toLowerCase(), position);
    this.list[position] = to;
    return true;
  }

  /** The accounts at every position, in order (holes show their leaver). */
  toArray(): Address[] {
    return [...this.list];
  }
}
