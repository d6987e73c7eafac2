import { ethers } from "hardhat";
import type { HuzhuPool, MockJuryRandomness } from "../../typechain-types";

const coder = ethers.AbiCoder.defaultAbiCoder();

/** The key a pool asks its randomness source for: claim id << 8 | round. */
export const seedKey = (claimId: bigint, round: bigint | number): bigint => (claimId << 8n) | BigInt(round);

/**
 * The draw of `Juries.draw`, replayed off chain (V2-NOTES): position = keccak(abi.encode(base, nonce))
 * % setSize with base = keccak(abi.encode(seed, pool, claimId, round)); positions past the set's
 * current end, holes, the claimant, members not seasoned before the claim and earlier jurors are skipped,
 * for at most 4 * target + 16 tries.
 */
export async function predictJury(pool: HuzhuPool, claimId: bigint, seed: string): Promise<string[]> {
  const c = await pool.claim(claimId);
  const r = await pool.round(claimId, c.round);
  const set = await liveSet(pool);
  const seasoned = new Map<string, boolean>();
  for (const a of set) if (a !== "") seasoned.set(a, (await pool.member(a)).eligibleAt < c.submittedAt);
  const excluded = new Set<string>();
  for (let i = 0n; i < c.round; i++) for (const a of await pool.jury(claimId, i)) excluded.add(a);
  return replayDraw(
    await pool.getAddress(),
    claimId,
    c.round,
    seed,
    Number(r.setSize),
    Number(r.seatsTarget),
    set,
    c.claimant,
    seasoned,
    excluded,
  );
}

/**
 * The juror set position by position, with "" at a hole: a position is live when the account there
 * is Waiting or Active and its record holds that position (a notice leaves a hole, a join fills it).
 */
export async function liveSet(pool: HuzhuPool): Promise<string[]> {
  const count = Number(await pool.jurorCount());
  const set: string[] = [];
  for (let i = 0; i < count; i++) {
    const a = await pool.jurorAt(i);
    const m = await pool.member(a);
    set.push((m.status === 1n || m.status === 2n) && m.position === BigInt(i) ? a : "");
  }
  return set;
}

export function replayDraw(
  pool: string,
  claimId: bigint,
  round: bigint,
  seed: string,
  setSize: number,
  target: number,
  set: string[],
  claimant: string,
  seasoned: Map<string, boolean>,
  excluded: Set<string>,
): string[] {
  const base = ethers.keccak256(
    coder.encode(["bytes32", "address", "uint256", "uint256"], [seed, pool, claimId, round]),
  );
  const seated: string[] = [];
  const tries = setSize === 0 ? 0 : 4 * target + 16;
  for (let nonce = 0; nonce < tries && seated.length < target; nonce++) {
    const position = Number(
      BigInt(ethers.keccak256(coder.encode(["bytes32", "uint256"], [base, nonce]))) % BigInt(setSize),
    );
    if (position >= set.length) continue;
    const juror = set[position];
    if (juror === "" || juror === claimant || !seasoned.get(juror) || excluded.has(juror) || seated.includes(juror))
      continue;
    seated.push(juror);
  }
  return seated;
}

/** Searches seeds `keccak("seed:<label>:<i>")` for one whose jury satisfies `wanted`; returns it with the jury. */
export async function findSeed(
  pool: HuzhuPool,
  claimId: bigint,
  wanted: (jury: string[]) => boolean,
  label = "seed",
  maxTries = 20_000,
): Promise<{ seed: string; jury: string[] }> {
  const c = await pool.claim(claimId);
  const r = await pool.round(claimId, c.round);
  const set = await liveSet(pool);
  const seasoned = new Map<string, boolean>();
  for (const a of set) if (a !== "") seasoned.set(a, (await pool.member(a)).eligibleAt < c.submittedAt);
  const excluded = new Set<string>();
  for (let i = 0n; i < c.round; i++) for (const a of await pool.jury(claimId, i)) excluded.add(a);
  const address = await pool.getAddress();
  for (let i = 0; i < maxTries; i++) {
    const seed = ethers.id(`seed:${label}:${i}`);
    const jury = replayDraw(
      address,
      claimId,
      c.round,
      seed,
      Number(r.setSize),
      Number(r.seatsTarget),
      set,
      c.claimant,
      seasoned,
      excluded,
    );
    if (wanted(jury)) return { seed, jury };
  }
  throw new Error(`no seed in ${maxTries} tries`);
}

/** Delivers `seed` for the claim's current round through the mock source. */
export async function deliverSeed(randomness: MockJuryRandomness, pool: HuzhuPool, claimId: bigint, seed: string) {
  const c = await pool.claim(claimId);
  await randomness.deliver(seedKey(claimId, c.round), seed);
}

/** Settles every period up to `last`, part after part. */
export async function settleThrough(pool: HuzhuPool, last: bigint) {
  const end = await pool.periodEnd(last);
  const { time } = await import("@nomicfoundation/hardhat-network-helpers");
  if (BigInt(await time.latest()) < end) await time.increaseTo(end);
  while ((await pool.nextPeriodToSettle()) <= last) await pool.settle(await pool.nextPeriodToSettle());
}

/** The first output of `paymentQueue()` (named `length`, which the typed tuple cannot destructure). */
export const queueLength = (queue: unknown): bigint => (queue as bigint[])[0];
