import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  decide,
  deployPool,
  flagAndLapse,
  join,
  settleDue,
  settledParts,
  submitClaim,
  USDC,
  DAY,
  type PoolSetup,
} from "../helpers/fixtures";

// One claim a period, 10 a member a claim: with 7 members a claim of 70 costs each 10.8 (8% fee).
const RULES = {
  capPerMember: USDC(10),
  maxClaimsPerPeriod: 1,
  minBalance: USDC("11.000001"),
  minDeposit: USDC("11.000001"),
};
const LAPSED = 5;

/**
 * Runs a claim of 70 to its outcome through a drawn jury that votes `approve` as one, resolves it,
 * and settles every period that has ended by the end of the period it became final in; returns
 * the figures of the settle calls.
 */
async function run(setup: PoolSetup, claimant: HardhatEthersSigner, approve: boolean, evidence: string) {
  const { pool } = setup;
  const id = await submitClaim(setup, claimant, USDC(70), evidence);
  await decide(pool, id, approve);
  await pool.resolve(id);
  await time.increaseTo(await pool.periodEnd(await pool.currentPeriod()));
  const parts = [];
  for (;;) {
    const next = await pool.nextPeriodToSettle();
    if ((await pool.periodEnd(next)) > BigInt(await time.latest())) break;
    parts.push(...(await settledParts(pool, await pool.settle(next))));
  }
  return parts;
}

async function carryFixture(bond: bigint, annualChargeCap = 0n) {
  const setup = await deployPool({ ...RULES, claimBond: bond, annualChargeCap });
  const [c1, c2, c3, v1, v2, l1, l2] = setup.members;
  for (const m of [c1, c2, c3, v1, v2]) await join(setup, m, USDC(200));
  for (const m of [l1, l2]) await join(setup, m, RULES.minDeposit);
  await time.increase(91 * DAY);
  await settleDue(setup.pool);
  return { ...setup, c1, c2, c3, v1, v2, l1, l2 };
}

const bigBondPool = () => carryFixture(USDC(20));
const smallBondPool = () => carryFixture(USDC(1));
const cappedPool = () => carryFixture(USDC(5), USDC(15));

describe("carry between settlements", function () {
  it("takes a lapsed member's shortfall out of the surplus first when the forced exit completes", async function () {
    const f = await loadFixture(bigBondPool);
    // Two approved claims of 70 charge 10.8 each: the members who kept only the minimum go below zero.
    await run(f, f.c1, true, "c1");
    await run(f, f.c2, true, "c2");
    const [rounding] = await f.pool.carry();
    // A rejected claim forfeits its bond of 20 to the surplus carried.
    await run(f, f.c3, false, "c3");
    const [surplus] = await f.pool.carry();
    expect(surplus).to.equal(rounding + USDC(20));
    const balance = await f.pool.balanceOf(f.l1.address);
    expect(balance).to.be.lessThan(0n);
    expect(surplus).to.be.greaterThan(-balance);
    await flagAndLapse(f.pool, f.l1.address);
    await expect(f.pool.completeExit(f.l1.address))
      .to.emit(f.pool, "MemberLeft")
      .withArgs(f.l1.address, LAPSED, RULES.minDeposit, 0n, -balance, 6n);
    expect(await f.pool.carry()).to.deep.equal([surplus + balance, 0n]);
  });

  it("pays a carried deficit out of a forfeited bond first", async function () {
    const f = await loadFixture(smallBondPool);
    await run(f, f.c1, true, "c1");
    await run(f, f.c2, true, "c2");
    const shortfall = -(await f.pool.balanceOf(f.l1.address));
    const [surplusBefore] = await f.pool.carry();
    await flagAndLapse(f.pool, f.l1.address);
    await f.pool.completeExit(f.l1.address);
    const deficit = shortfall - surplusBefore;
    expect(await f.pool.carry()).to.deep.equal([0n, deficit]);
    expect(deficit).to.be.greaterThan(USDC(1));
    // A rejected claim's bond of 1 pays part of the deficit when the claim resolves.
    const id = await submitClaim(f, f.c3, USDC(70), "c3");
    await decide(f.pool, id, false);
    await expect(f.pool.resolve(id)).to.emit(f.pool, "ClaimResolved").withArgs(id, f.c3.address, 9, 0n, USDC(1));
    expect(await f.pool.carry()).to.deep.equal([0n, deficit - USDC(1)]);
  });
});

describe("annual charge cap across pool years", function () {
  it("cuts the second claim of a year, and allows a full share again in the next pool year", async function () {
    const f = await loadFixture(cappedPool);
    const first = (await run(f, f.c1, true, "c1")).find((p) => p.claimsPaid === 1n)!;
    expect(first.share).to.equal(USDC("10.8"));
    expect(first.cut).to.equal(0n);
    // 4.2 left in the year: the next claim is cut so that the share stays within the cap.
    const second = (await run(f, f.c2, true, "c2")).find((p) => p.claimsPaid === 1n)!;
    expect(second.share).to.be.lessThanOrEqual(USDC("4.2"));
    expect(second.cut).to.be.greaterThan(0n);
    expect((first.share as bigint) + (second.share as bigint)).to.be.lessThanOrEqual(USDC(15));
    // The claimant is credited the cut payout (plus the refunded bond), not the requested 70.
    expect(await f.pool.payoutOf(f.c2.address)).to.equal(USDC(5) + (second.payouts as bigint));
    // Period 27 starts 378 days in: a new pool year, the allowance is whole again.
    await time.increaseTo(await f.pool.periodEnd(26n));
    await settleDue(f.pool);
    const third = (await run(f, f.c3, true, "c3")).find((p) => p.claimsPaid === 1n)!;
    expect(third.period).to.be.greaterThanOrEqual(27n);
    expect(third.cut).to.equal(0n);
    expect(third.payouts).to.equal(USDC(70));
  });
});
