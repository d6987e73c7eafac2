import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HuzhuPool } from "../../typechain-types";
import { deployPool, join, submitClaim, voteOn, USDC, DAY, type PoolSetup } from "../helpers/fixtures";

// One claim a period, 10 a member a claim: with 7 members a claim of 70 costs each 10.8 (8% fee).
const RULES = {
  capPerMember: USDC(10),
  maxClaimsPerPeriod: 1,
  minBalance: USDC("11.000001"),
  minDeposit: USDC("11.000001"),
};

/** Settles every period that has ended. */
async function settleDue(pool: HuzhuPool) {
  for (;;) {
    const next = await pool.nextPeriodToSettle();
    if ((await pool.periodEnd(next)) > BigInt(await time.latest())) return;
    await pool.settle(next);
  }
}

/** Runs a claim to its outcome: approved (3 yes) or rejected (3 no), then settles what is due. */
async function decide(
  setup: PoolSetup,
  claimant: HardhatEthersSigner,
  voters: HardhatEthersSigner[],
  approve: boolean,
) {
  const id = await submitClaim(setup, claimant, USDC(70));
  await voteOn(
    setup.pool,
    id,
    voters.map((v) => [v, approve]),
  );
  await setup.pool.resolve(id);
  await time.increaseTo(await setup.pool.periodEnd(await setup.pool.currentPeriod()));
  await settleDue(setup.pool);
  return id;
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
  it("takes a lapsed member's shortfall out of the surplus first", async function () {
    const f = await loadFixture(bigBondPool);
    // Two approved claims of 70 charge 10.8 each: the members who kept only the minimum go below zero.
    await decide(f, f.c1, [f.v1, f.v2, f.c3], true);
    await decide(f, f.c2, [f.v1, f.v2, f.c3], true);
    const [rounding] = await f.pool.carry();
    // A rejected claim forfeits its bond of 20 to the surplus carried.
    await decide(f, f.c3, [f.v1, f.v2, f.c1], false);
    const [surplus] = await f.pool.carry();
    expect(surplus).to.equal(rounding + USDC(20));
    const balance = await f.pool.balanceOf(f.l1.address);
    expect(balance).to.be.lessThan(0n);
    expect(surplus).to.be.greaterThan(-balance);
    await expect(f.pool.lapse(f.l1.address))
      .to.emit(f.pool, "MemberLeft")
      .withArgs(f.l1.address, 4, RULES.minDeposit, 0n, -balance, 6n);
    expect(await f.pool.carry()).to.deep.equal([surplus + balance, 0n]);
  });

  it("pays a carried deficit out of a forfeited bond first", async function () {
    const f = await loadFixture(smallBondPool);
    await decide(f, f.c1, [f.v1, f.v2, f.c3], true);
    await decide(f, f.c2, [f.v1, f.v2, f.c3], true);
    const shortfall = -(await f.pool.balanceOf(f.l1.address));
    const [surplusBefore] = await f.pool.carry();
    await f.pool.lapse(f.l1.address);
    const deficit = shortfall - surplusBefore;
    expect(await f.pool.carry()).to.deep.equal([0n, deficit]);
    expect(deficit).to.be.greaterThan(USDC(1));
    // A rejected claim's bond of 1 pays part of the deficit.
    const id = await submitClaim(f, f.c3, USDC(70));
    await voteOn(f.pool, id, [
      [f.v1, false],
      [f.v2, false],
      [f.c1, false],
    ]);
    await expect(f.pool.resolve(id)).to.emit(f.pool, "ClaimResolved");
    expect(await f.pool.carry()).to.deep.equal([0n, deficit - USDC(1)]);
  });
});

describe("annual charge cap across pool years", function () {
  it("cuts the second claim of a year, and allows a full share again in the next pool year", async function () {
    const f = await loadFixture(cappedPool);
    await decide(f, f.c1, [f.v1, f.v2, f.c3], true);
    const first = await f.pool.settlement((await f.pool.nextPeriodToSettle()) - 1n);
    expect(first.share).to.equal(USDC("10.8"));
    expect(first.cut).to.equal(0n);
    // 4.2 left in the year: the next claim is cut so that the share stays within the cap.
    await decide(f, f.c2, [f.v1, f.v2, f.c3], true);
    const second = await f.pool.settlement((await f.pool.nextPeriodToSettle()) - 1n);
    expect(second.share).to.be.lessThanOrEqual(USDC("4.2"));
    expect(second.cut).to.be.greaterThan(0n);
    // Period 27 starts 378 days in: a new pool year, the allowance is whole again.
    await time.increaseTo(await f.pool.periodEnd(26n));
    await settleDue(f.pool);
    await decide(f, f.c3, [f.v1, f.v2, f.c1], true);
    const period = (await f.pool.nextPeriodToSettle()) - 1n;
    expect(period).to.be.greaterThanOrEqual(27n);
    const third = await f.pool.settlement(period);
    expect(third.cut).to.equal(0n);
    expect(third.payouts).to.equal(USDC(70));
  });
});
