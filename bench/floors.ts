/**
 * The least gas the EVM can charge for what each operation of the v2 pool must do (Cancun
 * schedule): the 21,000 base, its calldata, each storage slot it must create, change or clear
 * (EIP-2929 cold access, EIP-2200 writes, EIP-3529 refunds), each state it must read, each log it
 * must emit, each token transfer it must make. What is counted is what the design requires, in the
 * tightest layout it allows: the pool-wide counters an operation touches together (member count,
 * juror count, holes, charge index) are assumed packed into one slot, a member's record is one slot
 * (it is: 256 bits), and a seated juror's vote word already exists when they commit (the draw wrote
 * it). Reads of the pool's rules and roles are NOT counted (the rules are in the clone's code since
 * issue 13: about 100 gas a word), nor are the reentrancy lock (about 300 gas with transient
 * storage), the clone's DELEGATECALL into the implementation (2,600 cold) and a DELEGATECALL into a
 * linked library (2,600 cold plus the ABI encoding): choices, not requirements. A slot the measured
 * transaction writes from zero is counted as new (20,000 + 2,100), not as a change: the bench's
 * first claim (its counter), the settlements' first-time payees and their yearly records, the fees
 * after the operator took them out, the operator's token balance.
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
/** What writing a slot from zero costs more than changing it (the bench measures some first writes). */
export const fromZero = G.newSlot - G.change;
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
    gas: G.tx + calldata(d) + 3 * G.newSlot + G.change + log(3, words(4)) + tokenPull,
    derivation:
      "base + calldata + member record, commitment owner and juror-set position (3 new slots) + counters (member and juror count, charge index: change) + MemberJoined (3 topics, 4 words) + transferFrom",
  }),
  joinWithPermit: (d) => ({
    gas: G.tx + calldata(d) + 3 * G.newSlot + G.change + log(3, words(4)) + tokenPull + permit,
    derivation:
      "join's floor + permit (ecrecover, nonce 0->1, allowance set and spent back to 0 with its refund, Approval log)",
  }),
  topUp: (d) => ({
    gas: G.tx + calldata(d) + G.change + log(2, words(1)) + tokenPull,
    derivation:
      "the pool's addToMemberFunds(uint256) (named for its early selector): base + calldata + member record (change) + MemberToppedUp (2 topics, 1 word) + transferFrom",
  }),
  withdraw: (d) => ({
    gas: G.tx + calldata(d) + G.change + G.coldRead + log(2, words(1)) + tokenPush,
    derivation:
      "base + calldata + member record (change) + charge index (read: the balance is credit - charges) + MemberWithdrew (2 topics, 1 word) + transfer",
  }),
  requestExit: (d) => ({
    gas: G.tx + calldata(d) + G.change + G.coldRead + G.newSlot + G.newSlot + G.change + log(2, words(1)),
    derivation:
      "base + calldata + member record (change) + claim counter (read) + exit bound (new) + hole entry (new) + hole count (change) + MemberExitRequested (2 topics, 1 word)",
  }),
  completeExit: (d) => ({
    gas: G.tx + calldata(d) + G.change + G.change + G.clear + 2 * G.coldRead + log(3, words(4)),
    derivation:
      "base + calldata + member record + counters (changes) + exit bound (cleared) + resolved count and payment queue (reads) + MemberLeft (3 topics, 4 words)",
  }),
  submitClaim: (d) => ({
    gas:
      G.tx +
      calldata(d) +
      2 * G.coldRead +
      3 * G.newSlot +
      3 * G.newSlot +
      G.newSlot +
      log(3, words(8)) +
      log(2, words(4)) +
      tokenPull,
    derivation:
      "base + calldata + member record and juror count (reads) + claim (3 new slots) + open claim, evidence used and round 0 (3 new slots) + claim counter (new: the bench measures the pool's first claim) + ClaimSubmitted (3 topics, 8 words) + JuryRoundOpened (2 topics, 4 words) + bond transferFrom",
  }),
  commitVote: (d) => ({
    gas: G.tx + calldata(d) + G.coldRead + G.change + log(3, words(2)),
    derivation:
      "the pool's commitDecision(uint256,bytes32) (named for its early selector): base + calldata + claim (read: round and clock) + the juror's vote word (change: seated -> committed) + VoteCommitted (3 topics, 2 words)",
  }),
  revealVote: (d) => ({
    gas: G.tx + calldata(d) + G.coldRead + G.change + G.change + log(3, words(2)),
    derivation:
      "the pool's revealDecision(uint256,bool,bytes32) (named for its early selector): base + calldata + claim (read) + the juror's vote word (change) + the round's tally (change) + VoteRevealed (3 topics, 2 words)",
  }),
  appeal: (d) => ({
    gas:
      G.tx + calldata(d) + 3 * G.coldRead + G.change + 2 * G.newSlot + log(3, words(2)) + log(2, words(4)) + tokenPull,
    derivation:
      "base + calldata + round (read: verdict), appellant's member record and juror count (reads) + claim (change: round) + appellant and next round (2 new slots) + AppealFiled (3 topics, 2 words) + JuryRoundOpened (2 topics, 4 words) + bond transferFrom",
  }),
  settle: (d, k = 1) => ({
    gas:
      G.tx +
      calldata(d) +
      G.coldRead +
      3 * G.change +
      G.newSlot +
      G.newSlot +
      k * (G.coldRead + G.change + G.clear + G.change + fromZero + G.newSlot + log(4, words(2))) +
      log(2, words(13)),
    derivation: `base + calldata + member count (read) + period cursor, charge index and carry (3 changes) + fees (new: the operator took them out) + the part's record (new) + per claim (x${k}): claim (read), queue entry (cleared), claim status (change), payout (new: a first-time payee who took the refunded bond out), the yearly payout record (new: maxPayoutPerMember on), ClaimPaid (4 topics, 2 words) + PeriodSettled (2 topics, 13 words)`,
  }),
  withdrawPayout: (d) => ({
    gas: G.tx + calldata(d) + G.clear + log(2, words(1)) + tokenPush,
    derivation: "base + calldata + payout (cleared) + PayoutWithdrawn (2 topics, 1 word) + transfer",
  }),
  withdrawFees: (d) => ({
    gas: G.tx + calldata(d) + G.clear + log(2, words(1)) + tokenPush + fromZero,
    derivation:
      "base + calldata + fees (cleared) + FeesWithdrawn (2 topics, 1 word) + transfer to an operator holding no tokens (its balance written from zero; the operator is a role: its read is not counted)",
  }),
};
