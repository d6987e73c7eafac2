/**
 * v2 status: these derivations describe the v1 contracts' storage and are NOT used for v2
 * (bench/gas.ts prints the floor as n/a): v2's join appends to the juror set, exits and lapses
 * swap-and-pop it, claims carry rounds and seats, settle records yearly payouts and pays in parts,
 * and none of that has been re-derived yet. List an operation in gas.ts's V2_FLOORS once its floor
 * here is rewritten for v2.
 *
 * The least gas the EVM can charge for what each operation must do (Cancun schedule):
 * the 21,000 base, its calldata, each storage slot it must create, change or clear (EIP-2929 cold
 * access, EIP-2200 writes, EIP-3529 refunds), each log it must emit, each token transfer it must
 * make. Reads of the pool's rules are NOT counted: a pool could carry them in its code (immutable
 * clone arguments) instead of storage, so they are part of the gap, not of the floor.
 */
export const G = {
  tx: 21_000,
  /** A slot written from zero, first touch in the transaction (20,000 + 2,100 cold). */
  newSlot: 22_100,
  /** A non-zero slot changed, first touch (2,900 + 2,100 cold). */
  change: 5_000,
  /** A further write to a slot already written in the transaction. */
  dirty: 100,
  /** A slot cleared, first touch: 5,000 charged, 4,800 refunded (EIP-3529). */
  clear: 5_000 - 4_800,
  coldRead: 2_100,
  coldAccount: 2_600,
  ecrecover: 3_000,
  /** CREATE plus 200 per byte of deployed code. */
  create: 32_000,
  codeByte: 200,
};

export const log = (topics: number, dataBytes: number) => 375 + 375 * topics + 8 * dataBytes;

/** Calldata: 16 per non-zero byte, 4 per zero byte. */
export function calldata(data: string): number {
  const bytes = Buffer.from(data.slice(2), "hex");
  let gas = 0;
  for (const b of bytes) gas += b === 0 ? 4 : 16;
  return gas;
}

/** `transferFrom` into the pool with an unlimited allowance: call, allowance read, two balance changes, Transfer log. */
export const tokenPull = G.coldAccount + G.coldRead + G.change + G.change + log(3, 32);
/** `transfer` out of the pool to an account that holds tokens: call, two balance changes, Transfer log. */
export const tokenPush = G.coldAccount + G.change + G.change + log(3, 32);
/** An ERC-2612 permit used in the same transaction: signature check, nonce 0 -> 1, allowance set then spent back to 0. */
export const permit = G.ecrecover + G.newSlot + G.newSlot + G.dirty - 19_900 + log(3, 32);

export interface Floor {
  gas: number;
  derivation: string;
}

const words = (n: number) => 32 * n;

/** Each operation's floor, from its calldata. `k` is the batch or claim count where one applies. */
export const floors: Record<string, (data: string, k?: number) => Floor> = {
  join: (d) => ({
    gas: G.tx + calldata(d) + 2 * G.newSlot + G.change + log(3, words(4)) + tokenPull,
    derivation:
      "base + calldata + member slot (new) + commitment slot (new) + member count (change) + MemberJoined (3 topics, 4 words) + transferFrom",
  }),
  joinWithPermit: (d) => ({
    gas: G.tx + calldata(d) + 2 * G.newSlot + G.change + log(3, words(4)) + tokenPull + permit,
    derivation:
      "join's floor + permit (ecrecover, nonce 0->1, allowance set and spent back to 0 with its refund, Approval log)",
  }),
  topUp: (d) => ({
    gas: G.tx + calldata(d) + G.change + log(2, words(1)) + tokenPull,
    derivation: "base + calldata + member slot (change) + MemberToppedUp (2 topics, 1 word) + transferFrom",
  }),
  withdraw: (d) => ({
    gas: G.tx + calldata(d) + G.change + log(2, words(1)) + tokenPush,
    derivation: "base + calldata + member slot (change) + MemberWithdrew (2 topics, 1 word) + transfer",
  }),
  requestExit: (d) => ({
    gas: G.tx + calldata(d) + G.change + G.coldRead + G.newSlot + log(2, words(1)),
    derivation:
      "base + calldata + member slot (change) + claim counter (read) + exit bound (new) + MemberExitRequested",
  }),
  completeExit: (d) => ({
    gas: G.tx + calldata(d) + G.change + G.change + G.clear + 2 * G.coldRead + log(3, words(4)),
    derivation:
      "base + calldata + member slot + member count (changes) + exit bound (cleared) + claim cursor and queue (reads) + MemberLeft",
  }),
  submitClaim: (d) => ({
    gas: G.tx + calldata(d) + G.coldRead + 3 * G.newSlot + G.newSlot + G.change + log(3, words(8)) + tokenPull,
    derivation:
      "base + calldata + member slot (read) + claim (3 new slots) + open-claim slot (new) + claim counter (change) + ClaimSubmitted + bond transferFrom",
  }),
  attachReview: (d) => ({
    gas: G.tx + calldata(d) + G.coldRead + G.newSlot + log(3, words(1)),
    derivation: "base + calldata + claim slot (read) + review slot (new) + ClaimReviewed",
  }),
  commitVote: (d) => ({
    gas: G.tx + calldata(d) + 2 * G.coldRead + G.newSlot + log(3, words(1)),
    derivation: "base + calldata + claim and voter slots (reads) + commitment slot (new) + VoteCommitted",
  }),
  revealVote: (d) => ({
    gas: G.tx + calldata(d) + 2 * G.coldRead + G.clear + G.change + log(3, words(1)),
    derivation:
      "base + calldata + claim and voter slots (reads) + commitment (cleared) + tally (change) + VoteRevealed",
  }),
  resolve: (d) => ({
    gas: G.tx + calldata(d) + G.change + G.coldRead + G.newSlot + G.change + G.newSlot + log(4, words(4)),
    derivation:
      "base + calldata + claim status (change) + tally (read) + queue entry (new) + queue cursor (change) + bond credited to payout (new) + ClaimResolved",
  }),
  settle: (d, k = 1) => ({
    gas:
      G.tx +
      calldata(d) +
      G.change +
      G.change +
      G.change +
      k * (G.change + G.clear + G.change + G.clear + log(4, words(2))) +
      5 * G.newSlot +
      log(2, words(11)),
    derivation: `base + calldata + charge index + carry + fees (changes) + per claim (x${k}): claim status (change), queue entry (cleared), payout (change), open claim (cleared), ClaimPaid + the period's twelve figures kept for the explorer's read tab (5 new slots, as issue 2 requires) + PeriodSettled (11 words)`,
  }),
  withdrawPayout: (d) => ({
    gas: G.tx + calldata(d) + G.clear + log(2, words(1)) + tokenPush,
    derivation: "base + calldata + payout (cleared) + PayoutWithdrawn + transfer",
  }),
  withdrawFees: (d) => ({
    gas: G.tx + calldata(d) + G.coldRead + G.clear + log(2, words(1)) + tokenPush,
    derivation: "base + calldata + operator (read) + fees (cleared) + FeesWithdrawn + transfer",
  }),
  lapse: (d) => ({
    gas: G.tx + calldata(d) + G.change + G.change + log(3, words(4)),
    derivation: "base + calldata + member slot and member count (changes) + MemberLeft",
  }),
  lapseBatch: (d, k = 1) => ({
    gas: G.tx + calldata(d) + k * (G.change + log(3, words(4))) + G.change + (k - 1) * G.dirty,
    derivation: `base + calldata + per member (x${k}): member slot (change) + MemberLeft; member count (change, then warm writes)`,
  }),
  createPool: (d) => ({
    gas: G.tx + calldata(d) + G.create + 45 * G.codeByte + 9 * G.newSlot + 2 * G.newSlot + G.change + log(4, words(19)),
    derivation:
      "base + calldata + minimal clone (CREATE + 45 bytes) + rules, roles and start (9 new slots) + registry (2 new slots, length change) + PoolCreated",
  }),
};
