import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { BlacklistToken, HuzhuPool, MockERC20 } from "../../typechain-types";
import {
  DAY,
  USDC,
  commitVote,
  createPool,
  defaultRules,
  deployPool,
  endPeriod,
  join,
  saltOf,
  submitClaim,
  voteOn,
  type Rules,
} from "../helpers/fixtures";

// Claim states and member statuses, in the order of IClaimVoting.ClaimState and IMemberRegistry.MemberStatus.
const APPROVED = 4n;
const PAID = 7n;
const LAPSED = 4n;
const EXITED = 5n;

/** Rules that let one claim cost each member up to 100 USDC; solvency needs minBalance >= 5 x 110 + 1 unit. */
const RULES: Partial<Rules> = { capPerMember: USDC(100), minBalance: USDC(600), minDeposit: USDC(600) };
const DEPOSIT = USDC(1_000);

interface Setup {
  pool: HuzhuPool;
  token: MockERC20;
}

/**
 * Deploys a pool, lets `count` members join with `deposit`, waits past the waiting period and
 * settles every ended period, so that the test starts at the first instant of period `period`.
 */
async function activePool(overrides: Partial<Rules> = {}, decimals = 6, deposit = DEPOSIT, count = 6) {
  const setup = await deployPool({ ...RULES, ...overrides }, {}, decimals);
  const { pool, members } = setup;
  for (const m of members.slice(0, count)) await join(setup, m, deposit);
  await time.increase(91 * DAY);
  const last = await pool.currentPeriod();
  await settleThrough(pool, last);
  const [alice, bob, carol, dave, erin, frank, grace, henry] = members;
  return { ...setup, alice, bob, carol, dave, erin, frank, grace, henry, period: last + 1n };
}

/** Moves the clock to the end of `period` and settles every period up to it. */
async function settleThrough(pool: HuzhuPool, period: bigint) {
  await endPeriod(pool, period);
  for (let p = await pool.nextPeriodToSettle(); p <= period; p++) await pool.settle(p);
}

/** Submits one claim per claimant, in order, and returns their ids. */
async function submitClaims(setup: Setup, claims: Array<[HardhatEthersSigner, bigint]>) {
  const ids: bigint[] = [];
  for (const [claimant, amount] of claims) ids.push(await submitClaim(setup, claimant, amount, `evidence:${amount}`));
  return ids;
}

/** Votes on several claims at once: every voter commits on every claim, then reveals, then the windows end. */
async function approveAll(pool: HuzhuPool, ids: bigint[], voters: HardhatEthersSigner[]) {
  for (const id of ids) for (const voter of voters) await commitVote(pool, voter, id, true);
  const last = await pool.claim(ids[ids.length - 1]);
  await time.increaseTo(last.commitEndsAt);
  for (const id of ids) {
    for (const voter of voters) await pool.connect(voter).revealVote(id, true, saltOf(`${voter.address}:${id}`));
  }
  await time.increaseTo(last.revealEndsAt);
  await pool.resolve(ids[ids.length - 1]);
}

/** Every member's balance, in the order given. */
async function balancesOf(pool: HuzhuPool, accounts: HardhatEthersSigner[]) {
  return Promise.all(accounts.map((a) => pool.balanceOf(a.address)));
}

/**
 * Invariant 1 of DESIGN.md: the escrow holds exactly the member balances, the unwithdrawn payouts
 * and fees, the open bonds and the surplus, less the deficit.
 */
async function expectEscrowBalanced(setup: Setup, accounts: HardhatEthersSigner[]) {
  const { pool, token } = setup;
  let owed = 0n;
  for (const a of accounts) owed += (await pool.balanceOf(a.address)) + (await pool.payoutOf(a.address));
  owed += await pool.feesAccrued();
  const claimCount = await pool.claimCount();
  for (let id = 1n; id <= claimCount; id++) {
    const c = await pool.claim(id);
    if (c.state >= 1n && c.state <= 3n) owed += c.bond;
  }
  const [surplus, deficit] = await pool.carry();
  expect(await token.balanceOf(await pool.getAddress())).to.equal(owed + surplus - deficit);
}

describe("CostSharingPool", function () {
  function sixMembers() {
    return activePool();
  }

  describe("settle", function () {
    it("settles a period, emitting every figure of the apportionment and recording it", async function () {
      const setup = await loadFixture(sixMembers);
      const { pool, alice, bob, carol, dave, period } = setup;
      const id = await submitClaim(setup, alice, USDC(200));
      await voteOn(pool, id, [
        [bob, true],
        [carol, true],
        [dave, true],
      ]);
      await pool.resolve(id);
      await endPeriod(pool, period);

      // payouts 200, fee 8% = 16, need 216 over 6 members: 36 each, nothing carried.
      const tx = pool.settle(period);
      await expect(tx)
        .to.emit(pool, "PeriodSettled")
        .withArgs(period, 6n, 1n, USDC(200), USDC(16), 0n, 0n, 0n, USDC(36), 0n, 0n, USDC(36));
      await expect(tx).to.emit(pool, "ClaimPaid").withArgs(id, period, alice.address, USDC(200), USDC(200));

      const s = await pool.settlement(period);
      expect(s.members).to.equal(6n);
      expect(s.claimsPaid).to.equal(1n);
      expect(s.payouts).to.equal(USDC(200));
      expect(s.fee).to.equal(USDC(16));
      expect(s.cut).to.equal(0n);
      expect(s.surplusIn).to.equal(0n);
      expect(s.deficitIn).to.equal(0n);
      expect(s.share).to.equal(USDC(36));
      expect(s.surplusOut).to.equal(0n);
      expect(s.deficitOut).to.equal(0n);
      expect(s.chargeIndex).to.equal(USDC(36));
      expect(s.settledAt).to.equal(BigInt(await time.latest()));
      expect(await pool.state(id)).to.equal(PAID);
    });

    it("charges every counted member the share, the claimant included", async function () {
      const setup = await loadFixture(sixMembers);
      const { pool, members, alice, bob, carol, dave, period } = setup;
      const six = members.slice(0, 6);
      const id = await submitClaim(setup, alice, USDC(200));
      await voteOn(pool, id, [
        [bob, true],
        [carol, true],
        [dave, true],
      ]);
      await pool.resolve(id);
      await endPeriod(pool, period);
      await pool.settle(period);
      expect(await balancesOf(pool, six)).to.deep.equal(six.map(() => USDC(964)));
      expect((await pool.member(bob.address)).charged).to.equal(USDC(36));
    });

    it("reverts when the period has not ended", async function () {
      const { pool, period } = await loadFixture(sixMembers);
      const end = await pool.periodEnd(period);
      await expect(pool.settle(period)).to.be.revertedWithCustomError(pool, "PeriodNotEnded").withArgs(period, end);
    });

    it("reverts when a period is settled twice", async function () {
      const { pool, period } = await loadFixture(sixMembers);
      await endPeriod(pool, period);
      await pool.settle(period);
      await expect(pool.settle(period))
        .to.be.revertedWithCustomError(pool, "PeriodNotNext")
        .withArgs(period, period + 1n);
    });

    it("reverts when a period is settled before the one preceding it", async function () {
      const { pool, period } = await loadFixture(sixMembers);
      await endPeriod(pool, period + 1n);
      await expect(pool.settle(period + 1n))
        .to.be.revertedWithCustomError(pool, "PeriodNotNext")
        .withArgs(period + 1n, period);
    });

    it("settles a period without claims at a zero share", async function () {
      const { pool, alice, period } = await loadFixture(sixMembers);
      await endPeriod(pool, period);
      await expect(pool.settle(period))
        .to.emit(pool, "PeriodSettled")
        .withArgs(period, 6n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n)
        .and.not.to.emit(pool, "ClaimPaid");
      expect(await pool.chargeIndex()).to.equal(0n);
      expect(await pool.balanceOf(alice.address)).to.equal(DEPOSIT);
    });

    it("lets the one member left pay their own claim, up to capPerMember x 1", async function () {
      const setup = await loadFixture(sixMembers);
      const { pool, alice, bob, carol, dave, erin, frank, period } = setup;
      const others = [bob, carol, dave, erin, frank];
      // Asking to exit before the claim binds nobody to it, yet they may still vote on it.
      for (const m of others) await pool.connect(m).requestExit();
      const id = await submitClaim(setup, alice, USDC(1_000));
      await voteOn(pool, id, [
        [bob, true],
        [carol, true],
        [dave, true],
      ]);
      await pool.resolve(id);
      for (const m of others) await pool.completeExit(m.address);
      expect(await pool.memberCount()).to.equal(1n);
      await endPeriod(pool, period);

      // paid min(1,000, 100 x 1) = 100, fee 8, share 108.
      const tx = pool.settle(period);
      await expect(tx)
        .to.emit(pool, "PeriodSettled")
        .withArgs(period, 1n, 1n, USDC(100), USDC(8), 0n, 0n, 0n, USDC(108), 0n, 0n, USDC(108));
      await expect(tx).to.emit(pool, "ClaimPaid").withArgs(id, period, alice.address, USDC(1_000), USDC(100));
      expect(await pool.balanceOf(alice.address)).to.equal(USDC(892));
      expect(await pool.payoutOf(alice.address)).to.equal(USDC(105));
    });

    it("pays at most capPerMember x N for a claim above it", async function () {
      const setup = await loadFixture(sixMembers);
      const { pool, alice, bob, carol, dave, period } = setup;
      const id = await submitClaim(setup, alice, USDC(1_000));
      await voteOn(pool, id, [
        [bob, true],
        [carol, true],
        [dave, true],
      ]);
      await pool.resolve(id);
      await endPeriod(pool, period);

      // paid min(1,000, 100 x 6) = 600, fee 48, share 648 / 6 = 108.
      const tx = pool.settle(period);
      await expect(tx).to.emit(pool, "ClaimPaid").withArgs(id, period, alice.address, USDC(1_000), USDC(600));
      await expect(tx)
        .to.emit(pool, "PeriodSettled")
        .withArgs(period, 6n, 1n, USDC(600), USDC(48), 0n, 0n, 0n, USDC(108), 0n, 0n, USDC(108));
      expect(await pool.payoutOf(alice.address)).to.equal(USDC(605));
    });

    it("leaves a claim whose reveal ends after the period end to the next period", async function () {
      const setup = await loadFixture(sixMembers);
      const { pool, alice, bob, carol, dave, period } = setup;
      await time.increaseTo((await pool.periodEnd(period)) - BigInt(2 * DAY));
      const id = await submitClaim(setup, alice, USDC(200));
      await voteOn(pool, id, [
        [bob, true],
        [carol, true],
        [dave, true],
      ]);
      await pool.resolve(id);
      expect(await pool.state(id)).to.equal(APPROVED);

      // The vote is over, but it ended after period `period` did: that period does not pay it.
      await expect(pool.settle(period))
        .to.emit(pool, "PeriodSettled")
        .withArgs(period, 6n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n)
        .and.not.to.emit(pool, "ClaimPaid");
      expect(await pool.state(id)).to.equal(APPROVED);

      await endPeriod(pool, period + 1n);
      await expect(pool.settle(period + 1n))
        .to.emit(pool, "ClaimPaid")
        .withArgs(id, period + 1n, alice.address, USDC(200), USDC(200));
      expect(await pool.state(id)).to.equal(PAID);
    });

    it("accrues the fee and lets the operator withdraw it", async function () {
      const setup = await loadFixture(sixMembers);
      const { pool, token, operator, alice, bob, carol, dave, erin, period } = setup;
      const first = await submitClaim(setup, alice, USDC(200));
      await voteOn(pool, first, [
        [bob, true],
        [carol, true],
        [dave, true],
      ]);
      await pool.resolve(first);
      await settleThrough(pool, period);
      expect(await pool.feesAccrued()).to.equal(USDC(16));

      const second = await submitClaim(setup, erin, USDC("12.5"));
      await voteOn(pool, second, [
        [bob, true],
        [carol, true],
        [dave, true],
      ]);
      await pool.resolve(second);
      await settleThrough(pool, period + 1n);
      expect(await pool.feesAccrued()).to.equal(USDC(17));

      const tx = pool.connect(operator).withdrawFees();
      await expect(tx).to.emit(pool, "FeesWithdrawn").withArgs(operator.address, USDC(17));
      await expect(tx).to.changeTokenBalances(token, [operator, pool], [USDC(17), -USDC(17)]);
      expect(await pool.feesAccrued()).to.equal(0n);
    });

    it("credits the payout, which the claimant withdraws once", async function () {
      const setup = await loadFixture(sixMembers);
      const { pool, token, alice, bob, carol, dave, period } = setup;
      const id = await submitClaim(setup, alice, USDC(200));
      await voteOn(pool, id, [
        [bob, true],
        [carol, true],
        [dave, true],
      ]);
      await pool.resolve(id);
      expect(await pool.payoutOf(alice.address)).to.equal(USDC(5)); // the bond, refunded
      await settleThrough(pool, period);
      expect(await pool.payoutOf(alice.address)).to.equal(USDC(205));

      const tx = pool.connect(alice).withdrawPayout();
      await expect(tx).to.emit(pool, "PayoutWithdrawn").withArgs(alice.address, USDC(205));
      await expect(tx).to.changeTokenBalances(token, [alice, pool], [USDC(205), -USDC(205)]);
      expect(await pool.payoutOf(alice.address)).to.equal(0n);
      await expect(pool.connect(alice).withdrawPayout())
        .to.be.revertedWithCustomError(pool, "EscrowNothingToWithdraw")
        .withArgs(alice.address);
    });

    it("makes a member who asked to exit pay the period of a claim submitted before the request", async function () {
      const setup = await loadFixture(sixMembers);
      const { pool, alice, bob, carol, dave, frank, period } = setup;
      const id = await submitClaim(setup, alice, USDC(200));
      await expect(pool.connect(frank).requestExit())
        .to.emit(pool, "MemberExitRequested")
        .withArgs(frank.address, id + 1n);
      await voteOn(pool, id, [
        [bob, true],
        [carol, true],
        [dave, true],
      ]);
      await pool.resolve(id);
      await expect(pool.completeExit(frank.address))
        .to.be.revertedWithCustomError(pool, "MemberExitNotReady")
        .withArgs(frank.address, id + 1n);

      await endPeriod(pool, period);
      await expect(pool.settle(period))
        .to.emit(pool, "PeriodSettled")
        .withArgs(period, 6n, 1n, USDC(200), USDC(16), 0n, 0n, 0n, USDC(36), 0n, 0n, USDC(36));
      expect(await pool.balanceOf(frank.address)).to.equal(USDC(964));
      await expect(pool.completeExit(frank.address))
        .to.emit(pool, "MemberLeft")
        .withArgs(frank.address, EXITED, USDC(36), USDC(964), 0n, 5n);
    });

    it("raises the charge index by each period's share, and charges a later joiner only later shares", async function () {
      const setup = await loadFixture(sixMembers);
      const { pool, alice, bob, carol, dave, erin, grace, period } = setup;
      expect(await pool.chargeIndex()).to.equal(0n);
      const first = await submitClaim(setup, alice, USDC(200));
      await voteOn(pool, first, [
        [bob, true],
        [carol, true],
        [dave, true],
      ]);
      await pool.resolve(first);
      await settleThrough(pool, period);
      expect(await pool.chargeIndex()).to.equal(USDC(36));

      await join(setup, grace, DEPOSIT);
      const second = await submitClaim(setup, erin, USDC(700));
      await voteOn(pool, second, [
        [bob, true],
        [carol, true],
        [dave, true],
      ]);
      await pool.resolve(second);
      await endPeriod(pool, period + 1n);
      // 7 members: paid 700 (cap 700), fee 56, share 756 / 7 = 108.
      await expect(pool.settle(period + 1n))
        .to.emit(pool, "PeriodSettled")
        .withArgs(period + 1n, 7n, 1n, USDC(700), USDC(56), 0n, 0n, 0n, USDC(108), 0n, 0n, USDC(144));
      expect(await pool.chargeIndex()).to.equal(USDC(144));
      expect((await pool.settlement(period + 1n)).chargeIndex).to.equal(USDC(144));
      expect((await pool.member(grace.address)).charged).to.equal(USDC(108));
      expect((await pool.member(alice.address)).charged).to.equal(USDC(144));
    });
  });

  describe("views", function () {
    it("tells the current period, its end and the next period to settle", async function () {
      const { pool, period } = await loadFixture(sixMembers);
      const startedAt = await pool.startedAt();
      const length = BigInt(14 * DAY);
      expect(await pool.currentPeriod()).to.equal(period);
      expect(await pool.nextPeriodToSettle()).to.equal(period);
      expect(await pool.periodEnd(period)).to.equal(startedAt + (period + 1n) * length);
      expect(await pool.periodEnd(0n)).to.equal(startedAt + length);

      await time.increaseTo((await pool.periodEnd(period)) - 1n);
      expect(await pool.currentPeriod()).to.equal(period);
      await time.increaseTo(await pool.periodEnd(period));
      expect(await pool.currentPeriod()).to.equal(period + 1n);
      expect(await pool.nextPeriodToSettle()).to.equal(period);
      await pool.settle(period);
      expect(await pool.nextPeriodToSettle()).to.equal(period + 1n);
    });
  });

  for (const { decimals, unit, claim, share, second, secondShare } of [
    {
      decimals: 6,
      unit: 10n ** 6n,
      // need 200.000003 + fee 16 = 216.000003 over 7: share 30.857144, surplus 5 base units.
      claim: 200_000_003n,
      share: 30_857_144n,
      // need 100 + 8 - 5 = 107.999995 over 7: share 15.428571, surplus 2 base units.
      second: 100_000_000n,
      secondShare: 15_428_571n,
    },
    {
      decimals: 18,
      unit: 10n ** 18n,
      // need 216e18 + 3 over 7: share 30_857_142_857_142_857_144, surplus 5 base units.
      claim: 200n * 10n ** 18n + 3n,
      share: 30_857_142_857_142_857_144n,
      // need 108e18 - 5 over 7: share 15_428_571_428_571_428_571, surplus 2 base units.
      second: 100n * 10n ** 18n,
      secondShare: 15_428_571_428_571_428_571n,
    },
  ]) {
    describe(`exact to the base unit with a ${decimals}-decimal token`, function () {
      const rules: Partial<Rules> = {
        capPerMember: 100n * unit,
        minBalance: 600n * unit,
        minDeposit: 600n * unit,
        maxClaimAmount: 300_000n * unit,
        claimBond: 5n * unit,
      };
      function sevenMembers() {
        return activePool(rules, decimals, 1_000n * unit, 7);
      }

      it("charges every member exactly the share and carries the surplus to the next period", async function () {
        const setup = await loadFixture(sevenMembers);
        const { pool, token, members, alice, bob, carol, dave, erin, period } = setup;
        const seven = members.slice(0, 7);
        const fee = (claim * 800n) / 10_000n;
        expect(fee).to.equal(16n * unit);

        const first = await submitClaim(setup, alice, claim);
        await voteOn(pool, first, [
          [bob, true],
          [carol, true],
          [dave, true],
        ]);
        await pool.resolve(first);
        await endPeriod(pool, period);
        const before = await balancesOf(pool, seven);
        await expect(pool.settle(period))
          .to.emit(pool, "PeriodSettled")
          .withArgs(period, 7n, 1n, claim, fee, 0n, 0n, 0n, share, 5n, 0n, share);
        const after = await balancesOf(pool, seven);
        expect(after.map((b, i) => before[i] - b)).to.deep.equal(seven.map(() => share));
        expect(share * 7n).to.equal(claim + fee + 5n);
        expect(await pool.carry()).to.deep.equal([5n, 0n]);
        await expectEscrowBalanced(setup, seven);

        const secondId = await submitClaim(setup, erin, second);
        await voteOn(pool, secondId, [
          [bob, true],
          [carol, true],
          [dave, true],
        ]);
        await pool.resolve(secondId);
        await endPeriod(pool, period + 1n);
        await expect(pool.settle(period + 1n))
          .to.emit(pool, "PeriodSettled")
          .withArgs(period + 1n, 7n, 1n, second, 8n * unit, 0n, 5n, 0n, secondShare, 2n, 0n, share + secondShare);
        expect(secondShare * 7n).to.equal(second + 8n * unit - 5n + 2n);
        const last = await balancesOf(pool, seven);
        expect(last.map((b, i) => after[i] - b)).to.deep.equal(seven.map(() => secondShare));
        expect((await pool.settlement(period + 1n)).surplusIn).to.equal(5n);
        await expectEscrowBalanced(setup, seven);
        expect(await token.decimals()).to.equal(BigInt(decimals));
      });
    });
  }

  describe("per-period maximum", function () {
    function twoClaimsPerPeriod() {
      return activePool({ maxClaimsPerPeriod: 2 });
    }

    it("pays at most maxClaimsPerPeriod claims, first in first out, and the rest in the next period", async function () {
      const setup = await loadFixture(twoClaimsPerPeriod);
      const { pool, members, alice, bob, carol, dave, erin, frank, period } = setup;
      const [first, second, third] = await submitClaims(setup, [
        [alice, USDC(100)],
        [bob, USDC(200)],
        [carol, USDC(300)],
      ]);
      await approveAll(pool, [first, second, third], [dave, erin, frank]);
      expect(await pool.paymentQueue()).to.deep.equal([3n, first]);
      await endPeriod(pool, period);

      // payouts 300, fee 24, share 324 / 6 = 54.
      const tx = pool.settle(period);
      await expect(tx)
        .to.emit(pool, "PeriodSettled")
        .withArgs(period, 6n, 2n, USDC(300), USDC(24), 0n, 0n, 0n, USDC(54), 0n, 0n, USDC(54));
      await expect(tx).to.emit(pool, "ClaimPaid").withArgs(first, period, alice.address, USDC(100), USDC(100));
      await expect(tx).to.emit(pool, "ClaimPaid").withArgs(second, period, bob.address, USDC(200), USDC(200));
      expect(await pool.state(third)).to.equal(APPROVED);
      expect(await pool.paymentQueue()).to.deep.equal([1n, third]);
      await expectEscrowBalanced(setup, members.slice(0, 6));

      await endPeriod(pool, period + 1n);
      const next = pool.settle(period + 1n);
      await expect(next)
        .to.emit(pool, "PeriodSettled")
        .withArgs(period + 1n, 6n, 1n, USDC(300), USDC(24), 0n, 0n, 0n, USDC(54), 0n, 0n, USDC(108));
      await expect(next)
        .to.emit(pool, "ClaimPaid")
        .withArgs(third, period + 1n, carol.address, USDC(300), USDC(300));
      expect(await pool.state(third)).to.equal(PAID);
      expect(await pool.paymentQueue()).to.deep.equal([0n, 0n]);
      await expectEscrowBalanced(setup, members.slice(0, 6));
    });
  });

  describe("deficit", function () {
    it("charges a lapsed member's shortfall in the next share, the escrow balanced throughout", async function () {
      const setup = await loadFixture(sixMembers);
      const { pool, members, alice, bob, carol, dave, erin, frank, period } = setup;
      const six = members.slice(0, 6);
      await pool.connect(frank).withdraw(USDC(400));
      await expectEscrowBalanced(setup, six);

      // Two periods of three claims at the per-claim cap of 600: 1,800 + fee 144 = 1,944, share 324 each.
      const firstIds = await submitClaims(setup, [
        [alice, USDC(600)],
        [bob, USDC(600)],
        [carol, USDC(600)],
      ]);
      await approveAll(pool, firstIds, [dave, erin, frank]);
      await expectEscrowBalanced(setup, six);
      await endPeriod(pool, period);
      await expect(pool.settle(period))
        .to.emit(pool, "PeriodSettled")
        .withArgs(period, 6n, 3n, USDC(1_800), USDC(144), 0n, 0n, 0n, USDC(324), 0n, 0n, USDC(324));
      await expectEscrowBalanced(setup, six);

      const secondIds = await submitClaims(setup, [
        [dave, USDC(600)],
        [erin, USDC(600)],
        [alice, USDC(600)],
      ]);
      await approveAll(pool, secondIds, [bob, carol, frank]);
      await endPeriod(pool, period + 1n);
      await expect(pool.settle(period + 1n))
        .to.emit(pool, "PeriodSettled")
        .withArgs(period + 1n, 6n, 3n, USDC(1_800), USDC(144), 0n, 0n, 0n, USDC(324), 0n, 0n, USDC(648));
      await expectEscrowBalanced(setup, six);

      // frank holds 600 - 648 = -48: nobody lapsed him in time.
      expect(await pool.balanceOf(frank.address)).to.equal(-USDC(48));
      await expect(pool.lapse(frank.address))
        .to.emit(pool, "MemberLeft")
        .withArgs(frank.address, LAPSED, USDC(600), 0n, USDC(48), 5n);
      expect(await pool.carry()).to.deep.equal([0n, USDC(48)]);
      expect(await pool.balanceOf(frank.address)).to.equal(0n);
      await expectEscrowBalanced(setup, six);

      // The five left pay it: 48 / 5 = 9.6 each.
      const before = await balancesOf(pool, six.slice(0, 5));
      await endPeriod(pool, period + 2n);
      await expect(pool.settle(period + 2n))
        .to.emit(pool, "PeriodSettled")
        .withArgs(period + 2n, 5n, 0n, 0n, 0n, 0n, 0n, USDC(48), USDC("9.6"), 0n, 0n, USDC("657.6"));
      const after = await balancesOf(pool, six.slice(0, 5));
      expect(after.map((b, i) => before[i] - b)).to.deep.equal(before.map(() => USDC("9.6")));
      expect(await pool.carry()).to.deep.equal([0n, 0n]);
      await expectEscrowBalanced(setup, six);
    });
  });

  describe("annual cap", function () {
    function cappedYear() {
      return activePool({ maxClaimsPerPeriod: 1, annualChargeCap: USDC(150) });
    }

    it("cuts a period's payouts pro rata so that no member is charged above the annual cap", async function () {
      const setup = await loadFixture(cappedYear);
      const { pool, members, alice, bob, carol, dave, erin, period } = setup;
      const six = members.slice(0, 6);
      const first = await submitClaim(setup, alice, USDC(600));
      await voteOn(pool, first, [
        [carol, true],
        [dave, true],
        [erin, true],
      ]);
      await pool.resolve(first);
      await settleThrough(pool, period);
      expect(await pool.chargeIndex()).to.equal(USDC(108));

      const second = await submitClaim(setup, bob, USDC(1_000));
      await voteOn(pool, second, [
        [carol, true],
        [dave, true],
        [erin, true],
      ]);
      await pool.resolve(second);
      await endPeriod(pool, period + 1n);

      // 42 left under the cap: 6 x 42 = 252 for payouts and fee. allowed floor(252 x 10,000 / 10,800)
      // = 233.333333, cut 600 - 233.333333 = 366.666667, fee 18.666666, need 251.999999, share 42, surplus 1.
      const before = await balancesOf(pool, six);
      const tx = pool.settle(period + 1n);
      await expect(tx)
        .to.emit(pool, "PeriodSettled")
        .withArgs(period + 1n, 6n, 1n, 233_333_333n, 18_666_666n, 366_666_667n, 0n, 0n, USDC(42), 1n, 0n, USDC(150));
      await expect(tx)
        .to.emit(pool, "ClaimPaid")
        .withArgs(second, period + 1n, bob.address, USDC(1_000), 233_333_333n);
      const after = await balancesOf(pool, six);
      expect(after.map((b, i) => before[i] - b)).to.deep.equal(six.map(() => USDC(42)));
      expect(await pool.payoutOf(bob.address)).to.equal(233_333_333n + USDC(5));
      expect((await pool.settlement(period + 1n)).cut).to.equal(366_666_667n);
      await expectEscrowBalanced(setup, six);
    });
  });

  describe("a claimant the token refuses", function () {
    async function blacklistPool() {
      const [, operator, guardian, assessor, , ...members] = await ethers.getSigners();
      const token: BlacklistToken = await ethers.deployContract("BlacklistToken");
      const factory = await ethers.deployContract("PoolFactory");
      const rules = defaultRules(await token.getAddress(), RULES);
      const pool = await createPool(factory, rules, {
        operator: operator.address,
        verifier: ethers.ZeroAddress,
        assessor: assessor.address,
        guardian: guardian.address,
      });
      // The fixture helpers only call mint and approve, which BlacklistToken has too.
      const setup = { pool, token: token as unknown as MockERC20 };
      for (const m of members.slice(0, 6)) await join(setup, m, DEPOSIT);
      await time.increase(91 * DAY);
      const last = await pool.currentPeriod();
      await settleThrough(pool, last);
      const [alice, bob, carol, dave, erin] = members;
      return { setup, pool, token, alice, bob, carol, dave, erin, period: last + 1n };
    }

    it("does not stop settlement nor another claimant's withdrawal, and stays claimable", async function () {
      const { setup, pool, token, alice, bob, carol, dave, erin, period } = await loadFixture(blacklistPool);
      const ids = await submitClaims(setup, [
        [alice, USDC(200)],
        [bob, USDC(100)],
      ]);
      await approveAll(pool, ids, [carol, dave, erin]);
      await token.setBlacklisted(alice.address, true);
      await endPeriod(pool, period);

      // payouts 300, fee 24, share 324 / 6 = 54.
      await expect(pool.settle(period))
        .to.emit(pool, "PeriodSettled")
        .withArgs(period, 6n, 2n, USDC(300), USDC(24), 0n, 0n, 0n, USDC(54), 0n, 0n, USDC(54));
      await expect(pool.connect(bob).withdrawPayout()).to.changeTokenBalances(
        token,
        [bob, pool],
        [USDC(105), -USDC(105)],
      );
      await expect(pool.connect(alice).withdrawPayout())
        .to.be.revertedWithCustomError(token, "Blacklisted")
        .withArgs(alice.address);
      expect(await pool.payoutOf(alice.address)).to.equal(USDC(205));

      await token.setBlacklisted(alice.address, false);
      await expect(pool.connect(alice).withdrawPayout()).to.changeTokenBalances(
        token,
        [alice, pool],
        [USDC(205), -USDC(205)],
      );
      expect(await pool.payoutOf(alice.address)).to.equal(0n);
    });
  });
});
