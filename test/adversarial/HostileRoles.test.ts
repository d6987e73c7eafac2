import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HuzhuPool } from "../../typechain-types";
import {
  commitmentOf,
  commitVote,
  deployPool,
  drawJury,
  endPeriod,
  fund,
  join,
  submitClaim,
  DAY,
  USDC,
} from "../helpers/fixtures";

// Claims up to 100 USDC a member: the minimum balance covers 5 x 100 + 10% + 1 unit.
const MONEY_RULES = { capPerMember: USDC(100), minBalance: USDC(600), minDeposit: USDC(600) };

// MemberStatus and ClaimState as the contracts number them.
const NONE = 0;
const ACTIVE = 2;
const EXITING = 3;
const EXITED = 6;
const DRAWING = 1;
const COMMITTING = 2;
const TALLYING = 4;
const APPEALABLE = 5;
const RESOLVABLE = 7;
const APPROVED = 8;
const NO_QUORUM = 10;

const ATTESTATION_TYPES = {
  Attestation: [
    { name: "member", type: "address" },
    { name: "commitment", type: "bytes32" },
    { name: "deadline", type: "uint256" },
  ],
};

/** Settles every period from the next one to `last`, once `last` has ended (one call may close several). */
async function settleThrough(pool: HuzhuPool, last: bigint) {
  await endPeriod(pool, last);
  for (let p = await pool.nextPeriodToSettle(); p <= last; p = await pool.nextPeriodToSettle()) await pool.settle(p);
}

/** Joins `member` with `amount` and the verifier's attestation of their commitment. */
async function joinAttested(
  setup: Awaited<ReturnType<typeof deployPool>>,
  verifier: HardhatEthersSigner,
  member: HardhatEthersSigner,
  amount: bigint,
) {
  const { pool } = setup;
  const { chainId } = await ethers.provider.getNetwork();
  const domain = { name: "Huzhu Pool", version: "1", chainId, verifyingContract: await pool.getAddress() };
  const commitment = commitmentOf(member.address);
  const deadline = BigInt(await time.latest()) + BigInt(DAY);
  const signature = await verifier.signTypedData(domain, ATTESTATION_TYPES, {
    member: member.address,
    commitment,
    deadline,
  });
  await fund(setup, member, amount);
  await pool.connect(member).join(amount, commitment, { deadline, signature });
}

/**
 * A pool with every role filled (operator, identity verifier, assessor, guardian) and a keeper.
 * Six verified members joined with 1,000 USDC and are active; every period before `claimPeriod` is
 * settled; alice's 200 USDC claim has its jury drawn (`jurors`, three of the five others) and is in
 * its commit window; `bystanders` are the two others. Settled among 6 it costs 36 a head, in
 * `payPeriod`, the period its timetable ends in.
 */
async function rolesFixture() {
  const signers = await ethers.getSigners();
  const verifier = signers[19];
  const setup = await deployPool(MONEY_RULES, { verifier: verifier.address });
  const { pool, operator, assessor, guardian, keeper } = setup;
  const [alice, bob, carol, dave, erin, frank, grace] = setup.members;
  const everyone = [alice, bob, carol, dave, erin, frank];
  for (const m of everyone) await joinAttested(setup, verifier, m, USDC(1000));
  await time.increase(91 * DAY);
  const claimPeriod = await pool.currentPeriod();
  await settleThrough(pool, claimPeriod - 1n);
  const claimId = await submitClaim(setup, alice, USDC(200));
  const jurors = await drawJury(pool, claimId);
  const seated = jurors.map((j) => j.address);
  const bystanders = everyone.filter((m) => m !== alice && !seated.includes(m.address));
  expect(bystanders).to.have.length(2);
  const payPeriod = claimPeriod + 1n;
  expect((await pool.claim(claimId)).resolvesAt).to.be.greaterThan(await pool.periodEnd(claimPeriod));
  expect((await pool.claim(claimId)).resolvesAt).to.be.lessThanOrEqual(await pool.periodEnd(payPeriod));
  const roles = { operator, verifier, assessor, guardian, keeper };
  return {
    ...setup,
    ...roles,
    roles,
    alice,
    bob,
    carol,
    dave,
    erin,
    frank,
    grace,
    everyone,
    jurors,
    bystanders,
    claimId,
    claimPeriod,
    payPeriod,
  };
}

type RolesSetup = Awaited<ReturnType<typeof rolesFixture>>;

/** Every member's balance and payout, the roles' wallets, and the tokens the pool holds. */
async function moneyState(f: RolesSetup) {
  const { pool, token, everyone } = f;
  const roles = Object.values(f.roles);
  return {
    held: await token.balanceOf(await pool.getAddress()),
    balances: await Promise.all(everyone.map((m) => pool.balanceOf(m.address))),
    payouts: await Promise.all(everyone.map((m) => pool.payoutOf(m.address))),
    statuses: await Promise.all(everyone.map((m) => pool.statusOf(m.address))),
    roleWallets: await Promise.all(roles.map((r) => token.balanceOf(r.address))),
    rolePayouts: await Promise.all(roles.map((r) => pool.payoutOf(r.address))),
    fees: await pool.feesAccrued(),
    carry: [...(await pool.carry())],
    memberCount: await pool.memberCount(),
    chargeIndex: await pool.chargeIndex(),
    nextPeriod: await pool.nextPeriodToSettle(),
  };
}

/** The drawn jurors approve `claimId`: commits, then reveals, then the round is tallied; then the timetable ends. */
async function approveByVote(f: RolesSetup) {
  const { pool, claimId, jurors } = f;
  const salts = [];
  for (const v of jurors) salts.push(await commitVote(pool, v, claimId, true));
  const r = await pool.round(claimId, 0n);
  await time.increaseTo(r.commitEndsAt);
  for (let i = 0; i < jurors.length; i++) await pool.connect(jurors[i]).revealDecision(claimId, true, salts[i]);
  await time.increaseTo(r.revealEndsAt);
  await pool.tally(claimId);
  await time.increaseTo((await pool.claim(claimId)).resolvesAt);
}

/** A bystander (no juror) asked to leave before the guardian paused the pool, mid-vote on alice's claim. */
async function pausedWithExitFixture() {
  const f = await rolesFixture();
  await f.pool.connect(f.bystanders[0]).requestExit();
  await f.pool.connect(f.guardian).pause();
  return f;
}

describe("Hostile roles", function () {
  describe("no role can act early or take what is not theirs", function () {
    for (const name of ["operator", "verifier", "assessor", "guardian", "keeper"] as const) {
      it(`reverts every attempt by the ${name} and leaves every balance as it was`, async function () {
        const f = await loadFixture(rolesFixture);
        const { pool, alice, bob, everyone, claimId, claimPeriod } = f;
        const actor = f.roles[name];
        const asRole = pool.connect(actor);
        const before = await moneyState(f);
        expect(before.held).to.equal(USDC(6005));
        expect(before.balances).to.deep.equal(Array(6).fill(USDC(1000)));

        await expect(asRole.settle(claimPeriod))
          .to.be.revertedWithCustomError(pool, "PeriodNotEnded")
          .withArgs(claimPeriod, await pool.periodEnd(claimPeriod));
        await expect(asRole.resolve(claimId))
          .to.be.revertedWithCustomError(pool, "UnexpectedClaimState")
          .withArgs(claimId, COMMITTING, RESOLVABLE);
        // No role sits on a jury, can redraw one, close a round early or appeal.
        const ballot = await pool.voteCommitment(claimId, 0n, actor.address, true, ethers.id(name));
        await expect(asRole.commitDecision(claimId, ballot))
          .to.be.revertedWithCustomError(pool, "JurorNotSeated")
          .withArgs(claimId, 0n, actor.address);
        await expect(asRole.drawJury(claimId))
          .to.be.revertedWithCustomError(pool, "UnexpectedClaimState")
          .withArgs(claimId, COMMITTING, DRAWING);
        await expect(asRole.tally(claimId))
          .to.be.revertedWithCustomError(pool, "UnexpectedClaimState")
          .withArgs(claimId, COMMITTING, TALLYING);
        await expect(asRole.appeal(claimId))
          .to.be.revertedWithCustomError(pool, "UnexpectedClaimState")
          .withArgs(claimId, COMMITTING, APPEALABLE);
        await expect(asRole.flag(bob.address))
          .to.be.revertedWithCustomError(pool, "MemberFunded")
          .withArgs(bob.address, USDC(1000), USDC(600));
        await expect(asRole.lapse(bob.address))
          .to.be.revertedWithCustomError(pool, "MemberFunded")
          .withArgs(bob.address, USDC(1000), USDC(600));
        await expect(asRole.lapse(alice.address))
          .to.be.revertedWithCustomError(pool, "MemberFunded")
          .withArgs(alice.address, USDC(1000), USDC(600));
        const addresses = everyone.map((m) => m.address);
        expect([...(await asRole.lapseBatch.staticCall(addresses))]).to.deep.equal([0n, 0n]);
        await asRole.lapseBatch(addresses);
        await expect(asRole.completeExit(bob.address))
          .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
          .withArgs(bob.address, ACTIVE);
        await expect(asRole.withdraw(USDC(1)))
          .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
          .withArgs(actor.address, NONE);
        await expect(asRole.withdrawPayout())
          .to.be.revertedWithCustomError(pool, "EscrowNothingToWithdraw")
          .withArgs(actor.address);

        expect(await moneyState(f)).to.deep.equal(before);
        expect(await pool.state(claimId)).to.equal(COMMITTING);
        expect(await pool.jury(claimId, 0n)).to.deep.equal(f.jurors.map((j) => j.address));
      });
    }
  });

  describe("a guardian pausing mid-vote", function () {
    it("stops neither the rest of the jury's vote, nor resolution, settlement or the claimant's payout", async function () {
      const f = await loadFixture(rolesFixture);
      const { pool, token, guardian, keeper, alice, grace, jurors, claimId, claimPeriod, payPeriod } = f;
      const [first, second, third] = jurors;
      const firstSalt = await commitVote(pool, first, claimId, true);

      await expect(pool.connect(guardian).pause()).to.emit(pool, "Paused").withArgs(guardian.address);
      const secondSalt = await commitVote(pool, second, claimId, true);
      const thirdSalt = await commitVote(pool, third, claimId, true);
      const r = await pool.round(claimId, 0n);
      await time.increaseTo(r.commitEndsAt);
      await expect(pool.connect(first).revealDecision(claimId, true, firstSalt))
        .to.emit(pool, "VoteRevealed")
        .withArgs(claimId, 0n, first.address, true);
      await pool.connect(second).revealDecision(claimId, true, secondSalt);
      await pool.connect(third).revealDecision(claimId, true, thirdSalt);
      await time.increaseTo(r.revealEndsAt);
      await expect(pool.connect(keeper).tally(claimId)).to.emit(pool, "RoundTallied").withArgs(claimId, 0n, 3, 0, 3, 1);
      await time.increaseTo((await pool.claim(claimId)).resolvesAt);
      await expect(pool.connect(keeper).resolve(claimId))
        .to.emit(pool, "ClaimResolved")
        .withArgs(claimId, alice.address, APPROVED, USDC(5), 0);
      await settleThrough(pool, claimPeriod);
      await endPeriod(pool, payPeriod);
      await expect(pool.connect(keeper).settle(payPeriod))
        .to.emit(pool, "PeriodSettled")
        .withArgs(payPeriod, 0, 6, 1, USDC(200), USDC(16), 0, 0, 0, USDC(36), 0, 0, USDC(36), true);
      await expect(pool.connect(alice).withdrawPayout()).to.changeTokenBalances(
        token,
        [alice, pool],
        [USDC(205), -USDC(205)],
      );

      // The pause held throughout: joins and claims were refused all along.
      expect(await pool.paused()).to.equal(true);
      await expect(join(f, grace, USDC(600))).to.be.revertedWithCustomError(pool, "EnforcedPause");
      await expect(
        pool.connect(first).submitClaim(USDC(1), ethers.id("first's evidence"), ""),
      ).to.be.revertedWithCustomError(pool, "EnforcedPause");
      expect(await pool.balanceOf(first.address)).to.equal(USDC(964));
    });

    it("stops no reveal when the pause falls inside the reveal window", async function () {
      const f = await loadFixture(rolesFixture);
      const { pool, guardian, alice, jurors, claimId } = f;
      const salts = [];
      for (const v of jurors) salts.push(await commitVote(pool, v, claimId, true));
      const r = await pool.round(claimId, 0n);
      await time.increaseTo(r.commitEndsAt);
      await pool.connect(jurors[0]).revealDecision(claimId, true, salts[0]);

      await pool.connect(guardian).pause();
      await expect(pool.connect(jurors[1]).revealDecision(claimId, true, salts[1]))
        .to.emit(pool, "VoteRevealed")
        .withArgs(claimId, 0n, jurors[1].address, true);
      await expect(pool.connect(jurors[2]).revealDecision(claimId, true, salts[2]))
        .to.emit(pool, "VoteRevealed")
        .withArgs(claimId, 0n, jurors[2].address, true);
      await time.increaseTo((await pool.claim(claimId)).resolvesAt);
      // resolve tallies the round nobody closed.
      await expect(pool.resolve(claimId))
        .to.emit(pool, "ClaimResolved")
        .withArgs(claimId, alice.address, APPROVED, USDC(5), 0);
    });
  });

  describe("a guardian pause and an exiting member", function () {
    it("cannot block the withdrawals or the exit of a member who asked to leave before the pause", async function () {
      const f = await loadFixture(pausedWithExitFixture);
      const { pool, token, keeper, bystanders, claimId, payPeriod } = f;
      const leaver = bystanders[0];
      expect(await pool.paused()).to.equal(true);
      expect(await pool.statusOf(leaver.address)).to.equal(EXITING);

      // Down to the minimum balance while exiting and paused.
      await expect(pool.connect(leaver).withdraw(USDC(400))).to.changeTokenBalances(
        token,
        [leaver, pool],
        [USDC(400), -USDC(400)],
      );
      await expect(pool.connect(keeper).completeExit(leaver.address))
        .to.be.revertedWithCustomError(pool, "MemberExitNotReady")
        .withArgs(leaver.address, claimId + 1n);
      await approveByVote(f);
      await pool.resolve(claimId);
      // Resolved is not paid: the exit waits for the settlement.
      await expect(pool.connect(keeper).completeExit(leaver.address))
        .to.be.revertedWithCustomError(pool, "MemberExitNotReady")
        .withArgs(leaver.address, claimId + 1n);
      await settleThrough(pool, payPeriod);
      await expect(pool.connect(keeper).completeExit(leaver.address))
        .to.emit(pool, "MemberLeft")
        .withArgs(leaver.address, EXITED, USDC(36), USDC(564), 0, 5);
      await expect(pool.connect(leaver).withdraw(USDC(564))).to.changeTokenBalances(
        token,
        [leaver, pool],
        [USDC(564), -USDC(564)],
      );
      expect(await pool.balanceOf(leaver.address)).to.equal(0n);
      expect(await pool.paused()).to.equal(true);
    });

    it("cannot block an exit asked for during the pause, completed by the member once the earlier claim closes", async function () {
      const f = await loadFixture(rolesFixture);
      const { pool, token, guardian, alice, bystanders, claimId } = f;
      const leaver = bystanders[1];
      await pool.connect(guardian).pause();

      await expect(pool.connect(leaver).requestExit())
        .to.emit(pool, "MemberExitRequested")
        .withArgs(leaver.address, claimId + 1n);
      // Alice's claim was submitted before the request: the leaver waits for it like anyone.
      await expect(pool.connect(leaver).completeExit(leaver.address))
        .to.be.revertedWithCustomError(pool, "MemberExitNotReady")
        .withArgs(leaver.address, claimId + 1n);
      await time.increaseTo((await pool.claim(claimId)).resolvesAt);
      // Nobody on the jury revealed: without quorum the claim closes, the bond comes back, and
      // it holds nobody back.
      await expect(pool.connect(leaver).resolve(claimId))
        .to.emit(pool, "ClaimResolved")
        .withArgs(claimId, alice.address, NO_QUORUM, USDC(5), 0);
      await expect(pool.connect(leaver).completeExit(leaver.address))
        .to.emit(pool, "MemberLeft")
        .withArgs(leaver.address, EXITED, 0, USDC(1000), 0, 5);
      await expect(pool.connect(leaver).withdraw(USDC(1000))).to.changeTokenBalances(
        token,
        [leaver, pool],
        [USDC(1000), -USDC(1000)],
      );
      expect(await pool.paused()).to.equal(true);
    });
  });
});
