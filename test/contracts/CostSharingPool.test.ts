import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HuzhuPool } from "../../typechain-types";
import {
  DAY,
  USDC,
  approveTogether,
  commitmentOf,
  decide,
  deployPool,
  endPeriod,
  join,
  NO_ATTESTATION,
  settleDue,
  settledParts,
  submitClaim,
  type PoolSetup,
  type Rules,
} from "../helpers/fixtures";

// IClaimVoting.ClaimState
const PAID = 11n;
const BOND = USDC(5);

/** Rules that let one claim cost each member up to 100 USDC; solvency needs minBalance >= 5 x 110 + 1 unit. */
const RULES: Partial<Rules> = { capPerMember: USDC(100), minBalance: USDC(600), minDeposit: USDC(600) };
const DEPOSIT = USDC(1_000);

/** `count` members join with `deposit`, wait out the waiting period; every ended period is settled. */
async function activePool(overrides: Partial<Rules> = {}, count = 6) {
  const setup = await deployPool({ ...RULES, ...overrides });
  const { pool, members } = setup;
  for (const m of members.slice(0, count)) await join(setup, m, DEPOSIT);
  await time.increase(91 * DAY);
  await settleDue(pool);
  const [alice, bob, carol, dave, erin, frank] = members;
  return { ...setup, alice, bob, carol, dave, erin, frank };
}
const sixMembers = () => activePool();

/** Ends the current period and settles every ended period; returns the figures of every call's parts. */
async function settleNow(pool: HuzhuPool) {
  await endPeriod(pool, await pool.currentPeriod());
  const parts = [];
  for (;;) {
    const next = await pool.nextPeriodToSettle();
    if ((await pool.periodEnd(next)) > BigInt(await time.latest())) return parts;
    parts.push(...(await settledParts(pool, await pool.settle(next))));
  }
}

/** A claim approved by a drawn jury and resolved. */
async function approved(setup: PoolSetup, claimant: HardhatEthersSigner, amount: bigint, evidence: string) {
  const id = await submitClaim(setup, claimant, amount, evidence);
  await decide(setup.pool, id, true);
  await setup.pool.resolve(id);
  return id;
}

/** Moves the clock to the first second of the next period. */
async function toNextPeriod(pool: HuzhuPool) {
  await time.increaseTo(await pool.periodEnd(await pool.currentPeriod()));
}

describe("CostSharingPool", function () {
  describe("settle", function () {
    it("pays an approved claim once its timetable ended in the period, with every figure of the apportionment", async function () {
      const f = await loadFixture(sixMembers);
      const { pool, alice } = f;
      const id = await approved(f, alice, USDC(200), "alice");
      const indexBefore = await pool.chargeIndex();
      const parts = await settleNow(pool);
      const part = parts.find((p) => p.claimsPaid === 1n)!;
      // 200 + 8% = 216 over 6 members: 36 each, nothing carried.
      expect(part).to.deep.include({
        part: 0n,
        members: 6n,
        payouts: USDC(200),
        fee: USDC(16),
        cut: 0n,
        surplusIn: 0n,
        deficitIn: 0n,
        share: USDC(36),
        surplusOut: 0n,
        deficitOut: 0n,
        chargeIndex: indexBefore + USDC(36),
        closed: true,
      });
      const s = await pool.settlement(part.period as bigint, 0n);
      expect([s.members, s.claimsPaid, s.share, s.chargeIndex, s.closed]).to.deep.equal([
        6n,
        1n,
        USDC(36),
        indexBefore + USDC(36),
        true,
      ]);
      const [paid] = await pool.queryFilter(pool.filters.ClaimPaid(id));
      expect([
        paid.args.claimId,
        paid.args.period,
        paid.args.claimant,
        paid.args.requested,
        paid.args.paid,
      ]).to.deep.equal([id, part.period, alice.address, USDC(200), USDC(200)]);
      expect(await pool.state(id)).to.equal(PAID);
      expect(await pool.payoutOf(alice.address)).to.equal(USDC(200) + BOND);
      expect(await pool.balanceOf(alice.address)).to.equal(DEPOSIT - USDC(36));
      expect(await pool.feesAccrued()).to.equal(USDC(16));
      expect(await pool.openClaimOf(alice.address)).to.equal(0n);
    });

    it("reverts when the period has not ended, or is not the next to settle", async function () {
      const { pool } = await loadFixture(sixMembers);
      const next = await pool.nextPeriodToSettle();
      const end = await pool.periodEnd(next);
      await expect(pool.settle(next)).to.be.revertedWithCustomError(pool, "PeriodNotEnded").withArgs(next, end);
      await expect(pool.settle(next + 1n))
        .to.be.revertedWithCustomError(pool, "PeriodNotNext")
        .withArgs(next + 1n, next);
      await expect(pool.settle(next - 1n))
        .to.be.revertedWithCustomError(pool, "PeriodNotNext")
        .withArgs(next - 1n, next);
    });

    it("settles up to 32 ended periods with nothing to pay in one call", async function () {
      const { pool } = await loadFixture(sixMembers);
      const next = await pool.nextPeriodToSettle();
      await time.increaseTo(await pool.periodEnd(next + 39n));
      const first = await settledParts(pool, await pool.settle(next));
      expect(first).to.have.length(32);
      expect(first.map((p) => p.period)).to.deep.equal(Array.from({ length: 32 }, (_, i) => next + BigInt(i)));
      for (const p of first) expect([p.share, p.claimsPaid, p.closed]).to.deep.equal([0n, 0n, true]);
      expect(await pool.nextPeriodToSettle()).to.equal(next + 32n);
      const rest = await settledParts(pool, await pool.settle(next + 32n));
      expect(rest).to.have.length(8);
      expect(await pool.nextPeriodToSettle()).to.equal(next + 40n);
    });

    it("stops a run of empty periods before a period with a payable claim", async function () {
      const f = await loadFixture(sixMembers);
      const { pool, alice } = f;
      const next = await pool.nextPeriodToSettle();
      await approved(f, alice, USDC(60), "alice");
      await time.increase(5 * 14 * DAY);
      const first = await settledParts(pool, await pool.settle(next));
      expect(first.every((p) => p.claimsPaid === 0n)).to.equal(true);
      const paying = await settledParts(pool, await pool.settle(await pool.nextPeriodToSettle()));
      expect(paying[0].claimsPaid).to.equal(1n);
      // The same call goes on with the empty periods after it.
      expect(paying.length).to.be.greaterThan(1);
    });

    it("pays at most maxClaimsPerPeriod claims a period, first in first out, and the rest in the next period", async function () {
      const f = await activePool({ maxClaimsPerPeriod: 2 });
      const { pool, alice, bob, carol } = f;
      await toNextPeriod(pool);
      await settleDue(pool);
      const ids = [];
      for (const [claimant, amount] of [
        [alice, USDC(100)],
        [bob, USDC(200)],
        [carol, USDC(300)],
      ] as const) {
        ids.push(await submitClaim(f, claimant, amount, claimant.address));
      }
      await approveTogether(pool, ids);
      // The period the claims became final in, then the next one.
      const parts = [...(await settleNow(pool)), ...(await settleNow(pool))];
      const paying = parts.filter((p) => (p.claimsPaid as bigint) > 0n);
      // 100 + 200 = 300 + 24 fee over 6: 54; then 300 + 24: 54 again in the next period.
      expect(paying).to.have.length(2);
      expect(paying[0]).to.deep.include({
        claimsPaid: 2n,
        payouts: USDC(300),
        fee: USDC(24),
        share: USDC(54),
        closed: true,
      });
      expect(paying[1]).to.deep.include({
        claimsPaid: 1n,
        payouts: USDC(300),
        fee: USDC(24),
        share: USDC(54),
        closed: true,
      });
      expect(paying[1].period).to.equal((paying[0].period as bigint) + 1n);
      const paid = await pool.queryFilter(pool.filters.ClaimPaid());
      expect(paid.map((e) => [e.args.claimId, e.args.period])).to.deep.equal([
        [ids[0], paying[0].period],
        [ids[1], paying[0].period],
        [ids[2], paying[1].period],
      ]);
    });

    it("takes several parts, each with exact figures, when more than MAX_CLAIMS_PER_SETTLE claims are payable @heavy", async function () {
      this.timeout(600_000);
      // 181 claimants at 0.0001 USDC a head: each claim of 100 units pays 100 units plus an 8 unit fee.
      const CLAIMS = 181;
      const CAP = 100n;
      const setup = await deployPool({
        capPerMember: CAP,
        maxClaimsPerPeriod: 200,
        minBalance: USDC(1),
        minDeposit: USDC(1),
      });
      const { pool, token } = setup;
      expect(await pool.MAX_CLAIMS_PER_SETTLE()).to.equal(180n);
      const poolAddress = await pool.getAddress();
      // Impersonated wallets (no signing in JavaScript) for the claimants beyond the named signers.
      const signers = new Map<string, HardhatEthersSigner>();
      const claimants: HardhatEthersSigner[] = [...setup.members];
      for (let i = claimants.length; i < CLAIMS + 2; i++) {
        const address = ethers.getAddress(ethers.toBeHex(0x4a5a0000n + BigInt(i), 20));
        await ethers.provider.send("hardhat_setBalance", [address, "0x56BC75E2D63100000"]);
        claimants.push(await ethers.getImpersonatedSigner(address));
      }
      for (const c of claimants) {
        signers.set(c.address, c);
        await token.mint(c.address, USDC(10));
        await token.connect(c).approve(poolAddress, ethers.MaxUint256);
        await pool.connect(c).join(USDC(2), commitmentOf(c.address), NO_ATTESTATION);
      }
      const members = BigInt(claimants.length);
      await time.increase(91 * DAY);
      await toNextPeriod(pool);
      await settleDue(pool);
      const ids = [];
      for (const c of claimants.slice(0, CLAIMS)) {
        await pool.connect(c).submitClaim(CAP, ethers.id(`evidence:${c.address}`), "");
        ids.push(await pool.claimCount());
      }
      await approveTogether(pool, ids, signers);
      const [surplusIn] = await pool.carry();
      expect(surplusIn).to.equal(0n);
      const period = await pool.currentPeriod();
      await settleDue(pool);
      expect(await pool.nextPeriodToSettle()).to.equal(period);
      await endPeriod(pool, period);

      const first = await settledParts(pool, await pool.settle(period));
      const need0 = 180n * (CAP + 8n);
      const share0 = (need0 + members - 1n) / members;
      const surplus0 = share0 * members - need0;
      const index0 = await pool.chargeIndex();
      expect(first).to.have.length(1);
      expect(first[0]).to.deep.equal({
        period,
        part: 0n,
        members,
        claimsPaid: 180n,
        payouts: 180n * CAP,
        fee: 180n * 8n,
        cut: 0n,
        surplusIn: 0n,
        deficitIn: 0n,
        share: share0,
        surplusOut: surplus0,
        deficitOut: 0n,
        chargeIndex: index0,
        closed: false,
      });
      expect(await pool.nextPeriodToSettle()).to.equal(period);
      expect(await pool.nextPart()).to.equal(1n);
      expect((await pool.settlement(period, 0n)).closed).to.equal(false);

      const second = await settledParts(pool, await pool.settle(period));
      const need1 = CAP + 8n - surplus0;
      const share1 = need1 > 0n ? (need1 + members - 1n) / members : 0n;
      const surplus1 = need1 > 0n ? share1 * members - need1 : -need1;
      expect(second[0]).to.deep.equal({
        period,
        part: 1n,
        members,
        claimsPaid: 1n,
        payouts: CAP,
        fee: 8n,
        cut: 0n,
        surplusIn: surplus0,
        deficitIn: 0n,
        share: share1,
        surplusOut: surplus1,
        deficitOut: 0n,
        chargeIndex: index0 + share1,
        closed: true,
      });
      expect(await pool.nextPart()).to.equal(0n);
      expect(await pool.nextPeriodToSettle()).to.be.greaterThan(period);
      expect(await pool.state(ids[CLAIMS - 1])).to.equal(PAID);
      expect(await pool.paymentQueue()).to.deep.equal([0n, 0n]);
    });
  });

  describe("yearly payout limit", function () {
    it("pays a member at most maxPayoutPerMember in a pool year, and again from the next pool year", async function () {
      const f = await activePool({ maxPayoutPerMember: USDC(150) });
      const { pool, alice } = f;
      const first = await approved(f, alice, USDC(100), "first");
      await settleNow(pool);
      expect(await pool.paidThisYear(alice.address)).to.equal(USDC(100));
      const second = await approved(f, alice, USDC(100), "second");
      const parts = await settleNow(pool);
      // 50 left in the year: the claim pays 50, and the members share only what is paid.
      expect(parts.find((p) => p.claimsPaid === 1n)).to.deep.include({ payouts: USDC(50), fee: USDC(4), cut: 0n });
      const [event] = await pool.queryFilter(pool.filters.ClaimPaid(second));
      expect([event.args.requested, event.args.paid]).to.deep.equal([USDC(100), USDC(50)]);
      expect(await pool.paidThisYear(alice.address)).to.equal(USDC(150));
      expect(await pool.payoutOf(alice.address)).to.equal(USDC(150) + 2n * BOND);
      expect(first).to.equal(1n);
      // The next pool year starts 365 days after the pool: the limit is whole again.
      const startedAt = await pool.startedAt();
      await time.increaseTo(startedAt + 365n * BigInt(DAY));
      await settleDue(pool);
      expect(await pool.paidThisYear(alice.address)).to.equal(0n);
      const third = await approved(f, alice, USDC(100), "third");
      await settleNow(pool);
      const [late] = await pool.queryFilter(pool.filters.ClaimPaid(third));
      expect(late.args.paid).to.equal(USDC(100));
      expect(await pool.paidThisYear(alice.address)).to.equal(USDC(100));
    });

    it("leaves other members' payouts untouched by one member's limit", async function () {
      const f = await activePool({ maxPayoutPerMember: USDC(50) });
      const { pool, bob } = f;
      const id = await approved(f, bob, USDC(40), "bob");
      await settleNow(pool);
      const [event] = await pool.queryFilter(pool.filters.ClaimPaid(id));
      expect(event.args.paid).to.equal(USDC(40));
      expect(await pool.paidThisYear(f.alice.address)).to.equal(0n);
    });
  });

  describe("caps", function () {
    it("pays at most capPerMember x N for a claim above it", async function () {
      const f = await loadFixture(sixMembers);
      const id = await approved(f, f.alice, USDC(1_000), "big");
      const parts = await settleNow(f.pool);
      expect(parts.find((p) => p.claimsPaid === 1n)).to.deep.include({ payouts: USDC(600), share: USDC(108) });
      const [event] = await f.pool.queryFilter(f.pool.filters.ClaimPaid(id));
      expect([event.args.requested, event.args.paid]).to.deep.equal([USDC(1_000), USDC(600)]);
    });
  });

  describe("views", function () {
    it("tells the current period, its end and the next period to settle", async function () {
      const { pool } = await loadFixture(sixMembers);
      const startedAt = await pool.startedAt();
      const now = BigInt(await time.latest());
      const period = (now - startedAt) / BigInt(14 * DAY);
      expect(await pool.currentPeriod()).to.equal(period);
      expect(await pool.periodEnd(period)).to.equal(startedAt + (period + 1n) * BigInt(14 * DAY));
      expect(await pool.nextPeriodToSettle()).to.equal(period);
      expect(await pool.nextPart()).to.equal(0n);
    });
  });
});
