import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Wallet } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HuzhuPool, MockERC20 } from "../../typechain-types";
import {
  commitmentOf,
  createPool,
  decide,
  defaultRules,
  deployFactory,
  drawJury,
  fund,
  submitClaim,
  voteOn,
  DAY,
  USDC,
} from "../helpers/fixtures";
import { predictJury, settleThrough } from "../regression/draw";

// DESIGN.md "Trust model" (v2): every role's "can never", tried. A block proposer (or an L2
// sequencer) is the one party this file cannot call as a role: with the default randomness the seed
// is blockhash(submission block + 1), so the proposer of that block can bias a draw only by choosing
// among the hashes it could publish (reorder or drop transactions, or withhold the block and lose its
// reward); each try is a full block's worth of revenue, it sees one hash per try, and withholding
// past 256 blocks only re-anchors to a new future block (JuryReanchored). It can also order a ring's
// exit before a draw once the hash is public (see test/adversarial/JuryDrawBias.test.ts). A pool that
// needs more names a VRF adapter as its randomness.
const RULES = { capPerMember: USDC(100), minBalance: USDC(600), minDeposit: USDC(600) };

async function joinAttested(
  pool: HuzhuPool,
  token: MockERC20,
  verifier: Wallet,
  member: HardhatEthersSigner,
  amount: bigint,
) {
  const commitment = commitmentOf(member.address);
  const deadline = BigInt(await time.latest()) + BigInt(DAY);
  const digest = await pool.attestationDigest(member.address, commitment, deadline);
  const signature = verifier.signingKey.sign(digest).serialized;
  await token.mint(member.address, amount);
  await token.connect(member).approve(await pool.getAddress(), amount);
  await pool.connect(member).join(amount, commitment, { deadline, signature });
}

async function trustPool(tokenName = "MockERC20") {
  const [, operator, guardian, assessor, keeper, ...members] = await ethers.getSigners();
  const verifier = new ethers.Wallet(ethers.id("trust-model-verifier"), ethers.provider);
  await operator.sendTransaction({ to: verifier.address, value: ethers.parseEther("1") });
  const token = (await (tokenName === "MockERC20"
    ? ethers.deployContract("MockERC20", ["Test USD", "TUSD", 6])
    : ethers.deployContract(tokenName))) as unknown as MockERC20;
  const factory = await deployFactory();
  const rules = defaultRules(await token.getAddress(), RULES);
  const roles = {
    operator: operator.address,
    verifier: verifier.address,
    assessor: assessor.address,
    guardian: guardian.address,
  };
  const pool = await createPool(factory, rules, roles);
  const crew = members.slice(0, 9);
  for (const m of crew) await joinAttested(pool, token, verifier, m, USDC(1000));
  await time.increase(91 * DAY);
  await settleThrough(pool, (await pool.currentPeriod()) - 1n);
  return { pool, token, operator, guardian, assessor, keeper, verifier, members: crew };
}
const plain = () => trustPool();
const pausable = () => trustPool("PausableToken");
const blacklist = () => trustPool("BlacklistToken");

async function balances(pool: HuzhuPool, members: HardhatEthersSigner[]) {
  return Promise.all(members.map((m) => pool.balanceOf(m.address)));
}

describe("TrustModel (v2)", function () {
  for (const role of ["operator", "verifier", "assessor", "guardian"] as const) {
    it(`the ${role} cannot sit on a jury, vote, decide, appeal or move a member's funds`, async function () {
      const f = await loadFixture(plain);
      const { pool, token, members } = f;
      const actor = (role === "verifier" ? f.verifier : f[role]) as unknown as HardhatEthersSigner;
      const claimant = members[0];
      const id = await submitClaim({ pool, token }, claimant, USDC(200));
      const before = await balances(pool, members);
      const escrow = await token.balanceOf(await pool.getAddress());

      // Seating: the role may call drawJury like anyone, but the seed, not the caller, picks the jury.
      const r0 = await pool.round(id, 0);
      await mine(1);
      const seed = (await ethers.provider.getBlock(Number(r0.seedBlock)))!.hash!;
      const expected = await predictJury(pool, id, seed);
      await pool.connect(actor).drawJury(id);
      expect(await pool.jury(id, 0)).to.deep.equal(expected);
      expect(expected).to.not.include(actor.address);
      // Voting and deciding.
      const commitment = await pool.voteCommitment(id, 0, actor.address, true, ethers.id("x"));
      await expect(pool.connect(actor).commitDecision(id, commitment))
        .to.be.revertedWithCustomError(pool, "JurorNotSeated")
        .withArgs(id, 0, actor.address);
      await expect(pool.connect(actor).tally(id)).to.be.revertedWithCustomError(pool, "UnexpectedClaimState");
      await expect(pool.connect(actor).resolve(id)).to.be.revertedWithCustomError(pool, "UnexpectedClaimState");
      // Moving funds.
      await expect(pool.connect(actor).withdraw(1)).to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus");
      await expect(pool.connect(actor).withdrawPayout()).to.be.revertedWithCustomError(pool, "EscrowNothingToWithdraw");
      await expect(pool.connect(actor).withdrawTo(1, actor.address)).to.be.revertedWithCustomError(
        pool,
        "UnexpectedMemberStatus",
      );
      await expect(pool.connect(actor).setBeneficiary(actor.address)).to.be.revertedWithCustomError(
        pool,
        "UnexpectedMemberStatus",
      );
      await expect(pool.connect(actor).cancelRecovery(members[1].address))
        .to.be.revertedWithCustomError(pool, "RecoveryNotPending")
        .withArgs(members[1].address);
      // No recovery is pending: nothing moves a membership (the verifier's own attempts: test/regression).
      await expect(pool.connect(actor).completeRecovery(commitmentOf(members[1].address)))
        .to.be.revertedWithCustomError(pool, "RecoveryNotPending")
        .withArgs(members[1].address);
      await expect(pool.connect(actor).flag(members[1].address)).to.be.revertedWithCustomError(pool, "MemberFunded");
      await expect(pool.connect(actor).lapse(members[1].address)).to.be.revertedWithCustomError(pool, "MemberFunded");
      await expect(pool.connect(actor).completeExit(members[1].address)).to.be.revertedWithCustomError(
        pool,
        "UnexpectedMemberStatus",
      );
      // The jury rejects; the role cannot appeal (against a rejection only the claimant may).
      const signers = await ethers.getSigners();
      await voteOn(
        pool,
        id,
        expected.map((a) => [signers.find((s) => s.address === a)!, false] as [HardhatEthersSigner, boolean]),
      );
      await fund({ pool, token }, actor, USDC(10));
      await expect(pool.connect(actor).appeal(id))
        .to.be.revertedWithCustomError(pool, "AppealNotAllowed")
        .withArgs(id, actor.address);
      await time.increaseTo((await pool.claim(id)).resolvesAt);
      await pool.connect(actor).resolve(id);
      expect((await pool.claim(id)).state).to.equal(9n); // Rejected, as the jury decided
      expect(await balances(pool, members)).to.deep.equal(before);
      // The escrow holds everything it held, plus the forfeited bond now in the carried surplus.
      expect(await token.balanceOf(await pool.getAddress())).to.equal(escrow);
    });
  }

  it("the assessor's review does not decide: a reviewed claim the jury rejects is rejected", async function () {
    const f = await loadFixture(plain);
    const { pool, token, assessor, members } = f;
    const id = await submitClaim({ pool, token }, members[0], USDC(200));
    await expect(pool.connect(assessor).attachReview(id, ethers.id("review: looks genuine")))
      .to.emit(pool, "ClaimReviewed")
      .withArgs(id, assessor.address, ethers.id("review: looks genuine"));
    await expect(pool.connect(members[1]).attachReview(id, ethers.id("x"))).to.be.reverted;
    await decide(pool, id, false);
    await pool.resolve(id);
    expect((await pool.claim(id)).state).to.equal(9n);
  });

  it("the guardian's pause stops joins and new claims, never draws, votes, appeals, resolution or settlement", async function () {
    const f = await loadFixture(plain);
    const { pool, token, guardian, members } = f;
    const id = await submitClaim({ pool, token }, members[0], USDC(200));
    await pool.connect(guardian).pause();
    await fund({ pool, token }, members[1], USDC(5));
    await expect(pool.connect(members[1]).submitClaim(USDC(1), ethers.id("e2"), "")).to.be.revertedWithCustomError(
      pool,
      "EnforcedPause",
    );
    const jury = await drawJury(pool, id);
    await voteOn(
      pool,
      id,
      jury.map((j) => [j, true] as [HardhatEthersSigner, boolean]),
    );
    // An honest member appeals the approval during the pause.
    const appellant = members.find(
      (m) => m.address !== members[0].address && !jury.some((j) => j.address === m.address),
    )!;
    await fund({ pool, token }, appellant, USDC(10));
    await expect(pool.connect(appellant).appeal(id)).to.emit(pool, "AppealFiled");
    await time.increaseTo((await pool.claim(id)).resolvesAt);
    await expect(pool.resolve(id)).to.emit(pool, "ClaimResolved");
    const before = await pool.nextPeriodToSettle();
    await settleThrough(pool, await pool.currentPeriod());
    expect(await pool.nextPeriodToSettle()).to.be.gt(before);
  });

  it("a token issuer pausing the token: settlement goes on and payouts stay owed until it unpauses", async function () {
    const f = await loadFixture(pausable);
    const { pool, token, members } = f;
    const claimant = members[0];
    const id = await submitClaim({ pool, token }, claimant, USDC(200));
    await decide(pool, id, true);
    await pool.resolve(id);
    await (token as unknown as { pause: () => Promise<unknown> }).pause();
    await settleThrough(pool, await pool.currentPeriod());
    expect((await pool.claim(id)).state).to.equal(11n); // Paid in the books
    const owed = await pool.payoutOf(claimant.address);
    expect(owed).to.equal(USDC(200) + USDC(5));
    await expect(pool.connect(claimant).withdrawPayout()).to.be.reverted;
    expect(await pool.payoutOf(claimant.address)).to.equal(owed);
    await (token as unknown as { unpause: () => Promise<unknown> }).unpause();
    await expect(pool.connect(claimant).withdrawPayout()).to.changeTokenBalances(token, [claimant], [owed]);
  });

  it("a token issuer blacklisting the pool: settlement goes on and payouts stay owed until it lifts the freeze", async function () {
    const f = await loadFixture(blacklist);
    const { pool, token, members } = f;
    const claimant = members[0];
    const id = await submitClaim({ pool, token }, claimant, USDC(200));
    await decide(pool, id, true);
    await pool.resolve(id);
    const bl = token as unknown as { setBlacklisted: (a: string, v: boolean) => Promise<unknown> };
    await bl.setBlacklisted(await pool.getAddress(), true);
    await settleThrough(pool, await pool.currentPeriod());
    expect((await pool.claim(id)).state).to.equal(11n);
    const owed = await pool.payoutOf(claimant.address);
    await expect(pool.connect(claimant).withdrawPayout()).to.be.reverted;
    expect(await pool.payoutOf(claimant.address)).to.equal(owed);
    await bl.setBlacklisted(await pool.getAddress(), false);
    await expect(pool.connect(claimant).withdrawPayout()).to.changeTokenBalances(token, [claimant], [owed]);
  });
});
