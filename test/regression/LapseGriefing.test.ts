import { expect } from "chai";
import { ethers, network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import {
  commitmentOf,
  decide,
  deployPool,
  fund,
  join,
  submitClaim,
  DAY,
  NO_ATTESTATION,
  USDC,
} from "../helpers/fixtures";
import { settleThrough } from "./draw";

// Finding (Low, v1): settle and lapse in one block left no time to top up; a lapsed identity could
// never return. v2: a flag starts a grace of at least a period; a top-up clears it; an Exited or
// Lapsed wallet may join again with its own commitment.
const RULES = { capPerMember: USDC(100), minBalance: USDC(600), minDeposit: USDC(600) };
// The keeper's transactions pay a higher tip, so the block orders them before the member's top-up.
const GAS = { gasLimit: 1_000_000, maxFeePerGas: 100_000_000_000n, maxPriorityFeePerGas: 3_000_000_000n };
const LOW = { gasLimit: 1_000_000, maxFeePerGas: 100_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n };

async function underfundedGrace() {
  const f = await deployPool(RULES);
  const { pool } = f;
  const [alice, bob, carol, dave, grace] = f.members;
  for (const m of [alice, bob, carol, dave]) await join(f, m, USDC(1000));
  await join(f, grace, USDC(600), "grace");
  await time.increase(91 * DAY);
  await settleThrough(pool, (await pool.currentPeriod()) - 1n);
  const id = await submitClaim(f, alice, USDC(10));
  await decide(pool, id, true);
  await pool.resolve(id);
  return { ...f, grace, period: await pool.currentPeriod() };
}

describe("Regression: lapse gives a grace, and a lapsed identity may return", function () {
  it("settle, a bot's flag+lapse and the member's top-up in one block: the lapse fails, the top-up clears the flag", async function () {
    const f = await underfundedGrace();
    const { pool, keeper, grace, period } = f;
    await settleThrough(pool, period - 1n);
    await time.increaseTo(await pool.periodEnd(period));
    await fund(f, grace, USDC(100));
    expect(await pool.nextPeriodToSettle()).to.equal(period);
    await network.provider.send("evm_setAutomine", [false]);
    const t1 = await pool.connect(keeper).settle(period, GAS);
    const t2 = await pool.connect(keeper).flag(grace.address, GAS);
    const t3 = await pool.connect(keeper).lapse(grace.address, GAS);
    const t4 = await pool.connect(grace).addToMemberFunds(USDC(100), LOW);
    await network.provider.send("evm_mine", []);
    await network.provider.send("evm_setAutomine", [true]);
    expect((await t1.wait())!.status).to.equal(1);
    expect((await t2.wait())!.status).to.equal(1);
    await expect(t3.wait()).to.be.rejected; // MemberGraceNotOver
    expect((await t4.wait())!.status).to.equal(1);
    const m = await pool.member(grace.address);
    expect(m.status).to.equal(2n); // Active
    expect(m.lapsableAt).to.equal(0n); // the flag is cleared
    expect(await pool.balanceOf(grace.address)).to.equal(USDC("697.84"));
  });

  it("a member who cannot top up is lapsed only after the grace, and returns with the same commitment", async function () {
    const f = await underfundedGrace();
    const { pool, keeper, grace, period, token } = f;
    await settleThrough(pool, period);
    await pool.connect(keeper).flag(grace.address);
    const lapsableAt = (await pool.member(grace.address)).lapsableAt;
    expect(lapsableAt - BigInt(await time.latest())).to.be.gte((await pool.rules()).periodLength);
    await expect(pool.connect(keeper).lapse(grace.address)).to.be.revertedWithCustomError(pool, "MemberGraceNotOver");
    await time.increaseTo(lapsableAt);
    await pool.connect(keeper).lapse(grace.address);
    expect(await pool.statusOf(grace.address)).to.equal(4n); // Lapsing: a forced exit notice
    await pool.completeExit(grace.address);
    expect(await pool.statusOf(grace.address)).to.equal(5n); // Lapsed
    const left = await pool.balanceOf(grace.address);

    // Another wallet cannot take the identity; grace's own wallet returns with it.
    const fresh = new ethers.Wallet(ethers.id("grace-2"), ethers.provider);
    await f.operator.sendTransaction({ to: fresh.address, value: ethers.parseEther("1") });
    await token.mint(fresh.address, USDC(600));
    await token.connect(fresh).approve(await pool.getAddress(), USDC(600));
    await expect(
      pool.connect(fresh).join(USDC(600), commitmentOf("grace"), NO_ATTESTATION),
    ).to.be.revertedWithCustomError(pool, "MemberCommitmentUsed");
    await fund(f, grace, USDC(600));
    await expect(pool.connect(grace).join(USDC(600), commitmentOf("wrong"), NO_ATTESTATION))
      .to.be.revertedWithCustomError(pool, "MemberCommitmentMismatch")
      .withArgs(grace.address, commitmentOf("wrong"));
    await pool.connect(grace).join(USDC(600), commitmentOf("grace"), NO_ATTESTATION);
    const back = await pool.member(grace.address);
    expect(back.status).to.equal(1n); // Waiting: a new waiting period
    expect(await pool.balanceOf(grace.address)).to.equal(left + USDC(600));
  });
});
