import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { MockJuryRandomness } from "../../typechain-types";
import { commitVote, deployPool, drawJury, fund, join, submitClaim, voteOn, DAY, USDC } from "../helpers/fixtures";
import { deliverSeed, findSeed, predictJury, queueLength, settleThrough } from "./draw";

// Finding (High, v1): four wallets of one person approve a made-up claim in a 15-member open pool.
// v2: only a drawn jury votes; the claimant is never seated; withholding reveals costs a penalty and
// buys a fresh jury; a captured jury is overturned by an appeal to a 2n+1 jury.
const RULES = { capPerMember: USDC(100), minBalance: USDC(600), minDeposit: USDC(600) };
const Drawing = 1n;
const Appealable = 5n;
const Rejected = 9n;

async function ringPool(withMockRandomness: boolean) {
  const randomness = (await ethers.deployContract("MockJuryRandomness")) as unknown as MockJuryRandomness;
  const f = await deployPool(withMockRandomness ? { ...RULES, randomness: await randomness.getAddress() } : RULES);
  const honest = f.members.slice(0, 11);
  const ring = f.members.slice(11, 15); // one person, four wallets, four made-up identities
  for (const m of [...honest, ...ring]) await join(f, m, USDC(600));
  await time.increase(91 * DAY);
  await settleThrough(f.pool, (await f.pool.currentPeriod()) - 1n);
  return { ...f, randomness, honest, ring };
}
const blockhashPool = () => ringPool(false);
const mockPool = () => ringPool(true);

const has = (jury: string[], who: HardhatEthersSigner[]) => who.filter((w) => jury.includes(w.address)).length;

describe("Regression: a sybil ring cannot approve a made-up claim", function () {
  it("the pool is an open pool and the ring's unseated wallets cannot commit (JurorNotSeated)", async function () {
    const f = await loadFixture(blockhashPool);
    const { pool, ring } = f;
    expect(await pool.isOpenPool()).to.equal(true);
    const [claimant, ...voters] = ring;
    const id = await submitClaim(f, claimant, USDC(1000));
    const seated = (await drawJury(pool, id)).map((s) => s.address);
    expect(seated).to.have.length(3);
    for (const v of [claimant, ...voters].filter((w) => !seated.includes(w.address))) {
      const commitment = await pool.voteCommitment(id, 0, v.address, true, ethers.id("x"));
      await expect(pool.connect(v).commitDecision(id, commitment))
        .to.be.revertedWithCustomError(pool, "JurorNotSeated")
        .withArgs(id, 0, v.address);
    }
  });

  it("never seats the claimant, even when the seed draws the claimant's position first", async function () {
    const f = await loadFixture(mockPool);
    const { pool, ring, randomness } = f;
    const claimant = ring[0];
    const id = await submitClaim(f, claimant, USDC(1000));
    const setSize = Number((await pool.round(id, 0)).setSize);
    let position = -1;
    for (let i = 0; i < setSize; i++) if ((await pool.jurorAt(i)) === claimant.address) position = i;
    expect(position).to.be.gte(0);
    // A seed whose very first draw is the claimant's position (the contract must skip it).
    let seed = "";
    const pool_ = await pool.getAddress();
    const coder = ethers.AbiCoder.defaultAbiCoder();
    for (let i = 0; !seed; i++) {
      const s = ethers.id(`claimant-first:${i}`);
      const base = ethers.keccak256(coder.encode(["bytes32", "address", "uint256", "uint256"], [s, pool_, id, 0]));
      const first = BigInt(ethers.keccak256(coder.encode(["bytes32", "uint256"], [base, 0]))) % BigInt(setSize);
      if (Number(first) === position) seed = s;
    }
    await deliverSeed(randomness, pool, id, seed);
    await pool.drawJury(id);
    const jury = await pool.jury(id, 0);
    expect(jury).to.have.length(3);
    expect(jury).to.not.include(claimant.address);
    expect(jury).to.deep.equal(await predictJury(pool, id, seed));
    const commitment = await pool.voteCommitment(id, 0, claimant.address, true, ethers.id("x"));
    await expect(pool.connect(claimant).commitDecision(id, commitment))
      .to.be.revertedWithCustomError(pool, "JurorNotSeated")
      .withArgs(id, 0, claimant.address);
  });

  it("a seated ring wallet that withholds its reveal pays the penalty and a fresh jury decides: no refund", async function () {
    const f = await loadFixture(mockPool);
    const { pool, ring, honest, randomness } = f;
    const [claimant, ...voters] = ring;
    const id = await submitClaim(f, claimant, USDC(1000), "made-up");
    // A jury with exactly one ring wallet; it commits yes and keeps its reveal back after two honest no's.
    const { seed, jury } = await findSeed(pool, id, (j) => has(j, voters) === 1, "withhold");
    await deliverSeed(randomness, pool, id, seed);
    await pool.drawJury(id);
    const signers = await ethers.getSigners();
    const seated = jury.map((a) => signers.find((s) => s.address === a)!);
    const ringAddresses = voters.map((v) => v.address);
    const insider = seated.find((s) => ringAddresses.includes(s.address))!;
    await commitVote(pool, insider, id, true);
    const balanceBefore = await pool.balanceOf(insider.address);
    await voteOn(
      pool,
      id,
      seated.filter((s) => s.address !== insider.address).map((s) => [s, false] as [HardhatEthersSigner, boolean]),
    );
    const penalized = await pool.queryFilter(pool.filters.JurorPenalized(id));
    expect(penalized.map((e) => [e.args.round, e.args.juror, e.args.amount])).to.deep.equal([
      [0n, insider.address, USDC("0.5")],
    ]);
    expect(await pool.balanceOf(insider.address)).to.equal(balanceBefore - USDC("0.5"));
    // Short of quorum: not a refund, a fresh jury in round 1 (the earlier jurors excluded).
    const c = await pool.claim(id);
    expect(c.round).to.equal(1n);
    expect(c.state).to.equal(Drawing);
    expect(await pool.openClaimOf(claimant.address)).to.equal(id);
    expect(await pool.payoutOf(claimant.address)).to.equal(0n);
    const fresh = await findSeed(pool, id, (j) => j.length === 3 && has(j, voters) <= 1, "fresh");
    for (const a of jury) expect(fresh.jury).to.not.include(a);
    await deliverSeed(randomness, pool, id, fresh.seed);
    await pool.drawJury(id);
    const second = fresh.jury.map((a) => signers.find((s) => s.address === a)!);
    await voteOn(
      pool,
      id,
      second.map((s) => [s, ringAddresses.includes(s.address)] as [HardhatEthersSigner, boolean]),
    );
    await time.increaseTo((await pool.claim(id)).resolvesAt);
    await pool.resolve(id);
    expect((await pool.claim(id)).state).to.equal(Rejected);
    expect(await pool.payoutOf(claimant.address)).to.equal(0n); // the bond is forfeited
    // The evidence is spent: the ring cannot retry the same made-up claim.
    await fund(f, claimant, USDC(5));
    await expect(
      pool.connect(claimant).submitClaim(USDC(1000), ethers.keccak256(ethers.toUtf8Bytes("made-up")), "ipfs://x"),
    ).to.be.revertedWithCustomError(pool, "ClaimEvidenceUsed");
    expect(honest.length).to.equal(11);
  });

  it("when the ring does capture a jury, an honest member's appeal to a 2n+1 jury overturns the approval", async function () {
    const f = await loadFixture(mockPool);
    const { pool, ring, honest, randomness, token } = f;
    const [claimant, ...voters] = ring;
    const id = await submitClaim(f, claimant, USDC(1000));
    // The one-in-364 seed that seats the three ring voters.
    const { seed, jury } = await findSeed(pool, id, (j) => has(j, voters) === 3, "capture");
    await deliverSeed(randomness, pool, id, seed);
    await pool.drawJury(id);
    expect([...(await pool.jury(id, 0))].sort()).to.deep.equal(voters.map((v) => v.address).sort());
    expect(jury).to.have.length(3);
    await voteOn(
      pool,
      id,
      voters.map((v) => [v, true] as [HardhatEthersSigner, boolean]),
    );
    expect((await pool.claim(id)).state).to.equal(Appealable);
    expect((await pool.claim(id)).verdict).to.equal(1n); // Approve

    // The claimant cannot appeal an approval, nor can a ring wallet dodge the bond; an honest member can.
    const appellant = honest[0];
    await fund(f, appellant, USDC(10));
    await expect(pool.connect(appellant).appeal(id)).to.changeTokenBalances(token, [appellant], [-USDC(10)]);
    const r1 = await pool.round(id, 1);
    expect(r1.seatsTarget).to.equal(7n);
    const fresh = await findSeed(pool, id, (j) => j.length === 7, "appeal");
    for (const v of voters) expect(fresh.jury).to.not.include(v.address); // earlier jurors are excluded
    await deliverSeed(randomness, pool, id, fresh.seed);
    await pool.drawJury(id);
    const signers = await ethers.getSigners();
    const appealJury = fresh.jury.map((a) => signers.find((s) => s.address === a)!);
    await voteOn(
      pool,
      id,
      appealJury.map((s) => [s, false] as [HardhatEthersSigner, boolean]),
    );
    const decided = await pool.queryFilter(pool.filters.AppealDecided(id));
    expect(decided.map((e) => [e.args.appellant, e.args.overturned, e.args.refunded, e.args.forfeited])).to.deep.equal([
      [appellant.address, true, USDC(10), 0n],
    ]);
    await time.increaseTo((await pool.claim(id)).resolvesAt);
    await pool.resolve(id);
    expect((await pool.claim(id)).state).to.equal(Rejected);
    expect(await pool.payoutOf(claimant.address)).to.equal(0n); // claim bond forfeited, nothing paid
    expect(await pool.payoutOf(appellant.address)).to.equal(USDC(10)); // appeal bond refunded
    const length = queueLength(await pool.paymentQueue());
    expect(length).to.equal(0n);
  });
});
