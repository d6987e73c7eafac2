import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { decide, defaultRules, deployFactory, deployPool, join, submitClaim, DAY, USDC } from "../helpers/fixtures";
import { settleThrough } from "./draw";

// Finding (Medium, v1): a member at the minimum lapsed themself and left at once while a large claim
// was under vote, skipping the exit notice. v2: lapse needs a flag and a grace of at least one period,
// and is a forced exit notice bound to every claim submitted before it.
const RULES = { capPerMember: USDC(100), minBalance: USDC(600), minDeposit: USDC(600) };
const Lapsing = 4n;
const Lapsed = 5n;

describe("Regression: lapsing yourself is never a faster way out than asking to exit", function () {
  it("refuses a grace shorter than a period at creation", async function () {
    const factory = await deployFactory();
    const token = await ethers.deployContract("MockERC20", ["T", "T", 6]);
    const [, operator] = await ethers.getSigners();
    const rules = defaultRules(await token.getAddress(), { ...RULES, lapseGrace: 14 * DAY - 1 });
    const roles = {
      operator: operator.address,
      verifier: ethers.ZeroAddress,
      assessor: ethers.ZeroAddress,
      guardian: ethers.ZeroAddress,
    };
    await expect(factory.createPool(rules, roles))
      .to.be.revertedWithCustomError(factory, "ConfigLapseGraceTooShort")
      .withArgs(14 * DAY - 1, 14 * DAY);
  });

  it("an underfunded member cannot lapse themself at once, and once lapsed still pays the claim under vote", async function () {
    const f = await deployPool(RULES);
    const { pool } = f;
    const [alice, bob, carol, dave, erin, frank] = f.members;
    for (const m of [alice, bob, carol, dave, erin, frank]) await join(f, m, USDC(1000));
    await time.increase(91 * DAY);
    await settleThrough(pool, (await pool.currentPeriod()) - 1n);
    await pool.connect(erin).withdraw(USDC(400));
    await pool.connect(frank).withdraw(USDC(400));
    const small = await submitClaim(f, alice, USDC(6));
    await decide(pool, small, true);
    await pool.resolve(small);
    await settleThrough(pool, await pool.currentPeriod());
    expect(await pool.balanceOf(erin.address)).to.be.lt(USDC(600));

    const big = await submitClaim(f, bob, USDC(500), "big");
    await pool.connect(frank).requestExit(); // the designed path
    // erin tries the v1 shortcut: no flag, no grace.
    await expect(pool.connect(erin).lapse(erin.address))
      .to.be.revertedWithCustomError(pool, "MemberGraceNotOver")
      .withArgs(erin.address, 0);
    await pool.connect(erin).flag(erin.address);
    const lapsableAt = (await pool.member(erin.address)).lapsableAt;
    expect(lapsableAt).to.be.gte(BigInt(await time.latest()) + (await pool.rules()).periodLength);
    await expect(pool.connect(erin).lapse(erin.address))
      .to.be.revertedWithCustomError(pool, "MemberGraceNotOver")
      .withArgs(erin.address, lapsableAt);
    // She cannot take her balance out below the minimum while counted.
    const erinBalance = await pool.balanceOf(erin.address);
    await expect(pool.connect(erin).withdraw(erinBalance)).to.be.revertedWithCustomError(
      pool,
      "MemberInsufficientBalance",
    );

    await decide(pool, big, true);
    await time.increaseTo(lapsableAt);
    // The lapse is a forced exit notice bound to every claim so far, `big` included.
    await expect(pool.connect(erin).lapse(erin.address))
      .to.emit(pool, "MemberLapsing")
      .withArgs(erin.address, erinBalance, big + 1n);
    expect(await pool.statusOf(erin.address)).to.equal(Lapsing);
    await expect(pool.connect(erin).withdraw(erinBalance)).to.be.revertedWithCustomError(
      pool,
      "MemberInsufficientBalance",
    );
    await expect(pool.completeExit(erin.address)).to.be.revertedWithCustomError(pool, "MemberExitNotReady");

    await pool.resolve(big);
    const period = await pool.currentPeriod();
    const erinBefore = await pool.balanceOf(erin.address);
    const frankBefore = await pool.balanceOf(frank.address);
    await settleThrough(pool, period);
    const s = await pool.settlement(period, 0);
    expect(s.claimsPaid).to.equal(1n);
    expect(s.members).to.equal(6n); // erin and frank both still counted
    expect(erinBefore - (await pool.balanceOf(erin.address))).to.equal(s.share);
    expect(frankBefore - (await pool.balanceOf(frank.address))).to.equal(s.share);
    await pool.completeExit(erin.address);
    await pool.completeExit(frank.address);
    expect(await pool.statusOf(erin.address)).to.equal(Lapsed);
  });
});
