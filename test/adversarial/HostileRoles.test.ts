import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HuzhuPool } from "../../typechain-types";
import {
  commitmentOf,
  commitVote,
  deployPool,
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
const EXITED = 5;
const COMMITTING = 1;
const RESOLVABLE = 3;
const APPROVED = 4;

const ATTESTATION_TYPES = {
  Attestation: [
    { name: "member", type: "address" },
    { name: "commitment", type: "bytes32" },
    { name: "deadline", type: "uint256" },
  ],
};

/** Settles every period from the next one to `last`, once `last` has ended. */
async function settleThrough(pool: HuzhuPool, last: bigint) {
  await endPeriod(pool, last);
  for (let p = await pool.nextPeriodToSettle(); p <= last; p++) await pool.settle(p);
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
 * settled; alice's 200 USDC claim is in its commit window. Settled among 6 it costs 36 a head.
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
  const roles = { operator, verifier, assessor, guardian, keeper };
  return { ...setup, ...roles, roles, alice, bob, carol, dave, erin, frank, grace, everyone, claimId, claimPeriod };
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

/** Bob, carol and dave approve `claimId`: commits, then reveals, then the reveal window ends. */
async function approveByVote(f: RolesSetup) {
  const { pool, claimId } = f;
  const voters = [f.bob, f.carol, f.dave];
  const salts = [];
  for (const v of voters) salts.push(await commitVote(pool, v, claimId, true));
  const c = await pool.claim(claimId);
  await time.increaseTo(c.commitEndsAt);
  for (let i = 0; i < voters.length; i++) await pool.connect(voters[i]).revealVote(claimId, true, salts[i]);
  await time.increaseTo(c.revealEndsAt);
}

/** Erin asked to leave before the guardian paused the pool, mid-vote on alice's claim. */
async function pausedWithExitFixture() {
  const f = await rolesFixture();
  await f.pool.connect(f.erin).requestExit();
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
        await expect(asRole.lapse(bob.address))
          .to.be.revertedWithCustomError(pool, "MemberFunded")
          .withArgs(bob.address, USDC(1000), USDC(600));
        await expect(asRole.lapse(alice.address))
          .to.be.revertedWithCustomError(pool, "MemberFunded")
          .withArgs(alice.address, USDC(1000), USDC(600));
        const addresses = everyone.map((m) => m.address);
        expect(await asRole.lapseBatch.staticCall(addresses)).to.equal(0n);
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
      });
    }
  });

  describe("a guardian pausing mid-vote", function () {
    it("stops neither the rest of the vote, nor resolution, settlement or the claimant's payout", async function () {
      const f = await loadFixture(rolesFixture);
      const { pool, token, guardian, keeper, alice, bob, carol, dave, grace, claimId, claimPeriod } = f;
      const bobSalt = await commitVote(pool, bob, claimId, true);

      await expect(pool.connect(guardian).pause()).to.emit(pool, "Paused").withArgs(guardian.address);
      const carolSalt = await commitVote(pool, carol, claimId, true);
      const daveSalt = await commitVote(pool, dave, claimId, true);
      const c = await pool.claim(claimId);
      await time.increaseTo(c.commitEndsAt);
      await expect(pool.connect(bob).revealVote(claimId, true, bobSalt))
        .to.emit(pool, "VoteRevealed")
        .withArgs(claimId, bob.address, true);
      await pool.connect(carol).revealVote(claimId, true, carolSalt);
      await pool.connect(dave).revealVote(claimId, true, daveSalt);
      await time.increaseTo(c.revealEndsAt);
      await expect(pool.connect(keeper).resolve(claimId))
        .to.emit(pool, "ClaimResolved")
        .withArgs(claimId, alice.address, APPROVED, 3, 0, USDC(5), 0);
      await endPeriod(pool, claimPeriod);
      await expect(pool.connect(keeper).settle(claimPeriod))
        .to.emit(pool, "PeriodSettled")
        .withArgs(claimPeriod, 6, 1, USDC(200), USDC(16), 0, 0, 0, USDC(36), 0, 0, USDC(36));
      await expect(pool.connect(alice).withdrawPayout()).to.changeTokenBalances(
        token,
        [alice, pool],
        [USDC(205), -USDC(205)],
      );

      // The pause held throughout: joins were refused all along.
      expect(await pool.paused()).to.equal(true);
      await expect(join(f, grace, USDC(600))).to.be.revertedWithCustomError(pool, "EnforcedPause");
      expect(await pool.balanceOf(bob.address)).to.equal(USDC(964));
    });

    it("stops no reveal when the pause falls inside the reveal window", async function () {
      const f = await loadFixture(rolesFixture);
      const { pool, guardian, alice, bob, carol, dave, claimId } = f;
      const salts = [];
      for (const v of [bob, carol, dave]) salts.push(await commitVote(pool, v, claimId, true));
      const c = await pool.claim(claimId);
      await time.increaseTo(c.commitEndsAt);
      await pool.connect(bob).revealVote(claimId, true, salts[0]);

      await pool.connect(guardian).pause();
      await expect(pool.connect(carol).revealVote(claimId, true, salts[1]))
        .to.emit(pool, "VoteRevealed")
        .withArgs(claimId, carol.address, true);
      await expect(pool.connect(dave).revealVote(claimId, true, salts[2]))
        .to.emit(pool, "VoteRevealed")
        .withArgs(claimId, dave.address, true);
      await time.increaseTo(c.revealEndsAt);
      await expect(pool.resolve(claimId))
        .to.emit(pool, "ClaimResolved")
        .withArgs(claimId, alice.address, APPROVED, 3, 0, USDC(5), 0);
    });
  });

  describe("a guardian pause and an exiting member", function () {
    it("cannot block the withdrawals or the exit of a member who asked to leave before the pause", async function () {
      const f = await loadFixture(pausedWithExitFixture);
      const { pool, token, keeper, erin, claimId, claimPeriod } = f;
      expect(await pool.paused()).to.equal(true);
      expect(await pool.statusOf(erin.address)).to.equal(EXITING);

      // Down to the minimum balance while exiting and paused.
      await expect(pool.connect(erin).withdraw(USDC(400))).to.changeTokenBalances(
        token,
        [erin, pool],
        [USDC(400), -USDC(400)],
      );
      await expect(pool.connect(keeper).completeExit(erin.address))
        .to.be.revertedWithCustomError(pool, "MemberExitNotReady")
        .withArgs(erin.address, claimId + 1n);
      await approveByVote(f);
      await pool.resolve(claimId);
      await settleThrough(pool, claimPeriod);
      await expect(pool.connect(keeper).completeExit(erin.address))
        .to.emit(pool, "MemberLeft")
        .withArgs(erin.address, EXITED, USDC(36), USDC(564), 0, 5);
      await expect(pool.connect(erin).withdraw(USDC(564))).to.changeTokenBalances(
        token,
        [erin, pool],
        [USDC(564), -USDC(564)],
      );
      expect(await pool.balanceOf(erin.address)).to.equal(0n);
      expect(await pool.paused()).to.equal(true);
    });

    it("cannot block an exit asked for during the pause, completed by the member once the earlier claim closes", async function () {
      const f = await loadFixture(rolesFixture);
      const { pool, token, guardian, frank, claimId } = f;
      await pool.connect(guardian).pause();

      await expect(pool.connect(frank).requestExit())
        .to.emit(pool, "MemberExitRequested")
        .withArgs(frank.address, claimId + 1n);
      // Alice's claim was submitted before the request: frank waits for it like anyone.
      await expect(pool.connect(frank).completeExit(frank.address))
        .to.be.revertedWithCustomError(pool, "MemberExitNotReady")
        .withArgs(frank.address, claimId + 1n);
      await time.increaseTo((await pool.claim(claimId)).revealEndsAt);
      // Without quorum the claim closes and holds nobody back.
      await pool.connect(frank).resolve(claimId);
      await expect(pool.connect(frank).completeExit(frank.address))
        .to.emit(pool, "MemberLeft")
        .withArgs(frank.address, EXITED, 0, USDC(1000), 0, 5);
      await expect(pool.connect(frank).withdraw(USDC(1000))).to.changeTokenBalances(
        token,
        [frank, pool],
        [USDC(1000), -USDC(1000)],
      );
      expect(await pool.paused()).to.equal(true);
    });
  });
});
