import { expect } from "chai";
import { ethers } from "hardhat";
import { mine, time } from "@nomicfoundation/hardhat-network-helpers";
import type { JurySwarm } from "../../typechain-types";
import { deployPool, join, DAY, USDC } from "../helpers/fixtures";
import { queueLength, settleThrough } from "./draw";

// Finding (Medium, v1): a long queue of approved claims made `settle` exceed 2^24 (and any block's)
// gas, freezing payouts and exits for good. v2: a call pays at most MAX_CLAIMS_PER_SETTLE claims; a
// period with more is settled in parts, each its own record.
const CLAIMS = 1_800;
const MAX_CLAIMS = 2_000n;
const CAP = 10_000n; // 0.01 USDC a member per claim
const MIN_BALANCE = MAX_CLAIMS * CAP + (MAX_CLAIMS * CAP) / 10n + 1_000n;
const RULES = {
  maxClaimsPerPeriod: Number(MAX_CLAIMS),
  capPerMember: CAP,
  minBalance: MIN_BALANCE,
  minDeposit: MIN_BALANCE,
};
const EIP_7825_CAP = 2n ** 24n;

describe("Regression: settlement is bounded per call", function () {
  it("a queue of 1,800 approved claims settles in parts, each under 2^24 gas; the exit behind it completes", async function () {
    this.timeout(1_800_000);
    const f = await deployPool(RULES);
    const { pool, token } = f;
    const swarm = (await ethers.deployContract("JurySwarm", [
      await pool.getAddress(),
      await token.getAddress(),
    ])) as unknown as JurySwarm;
    for (let i = 0; i < CLAIMS; i += 50) await swarm.spawn(Math.min(50, CLAIMS - i));
    for (let i = 0; i < CLAIMS; i += 60) await swarm.joinRange(i, Math.min(i + 60, CLAIMS), MIN_BALANCE);
    const victim = f.members[0];
    await join(f, victim, MIN_BALANCE);
    await time.increase(91 * DAY);
    await settleThrough(pool, (await pool.currentPeriod()) - 1n);

    const bond = (await pool.rules()).claimBond;
    const first = (await pool.claimCount()) + 1n;
    for (let i = 0; i < CLAIMS; i += 60) await swarm.claimRange(i, Math.min(i + 60, CLAIMS), USDC("0.01"), bond);
    const last = await pool.claimCount();
    expect(last - first + 1n).to.equal(BigInt(CLAIMS));
    await pool.connect(victim).requestExit(); // bound to every claim above
    await mine(1);
    for (let id = first; id <= last; id += 30n) await swarm.drawAndCommit(id, id + 29n < last ? id + 29n : last);
    await time.increaseTo((await pool.round(last, 0)).commitEndsAt);
    for (let id = first; id <= last; id += 100n) await swarm.revealRange(id, id + 99n < last ? id + 99n : last);
    await time.increaseTo((await pool.claim(last)).resolvesAt);
    for (let id = first + 199n; ; id += 200n) {
      await pool.resolve(id < last ? id : last);
      if (id >= last) break;
    }
    const length = queueLength(await pool.paymentQueue());
    expect(length).to.equal(BigInt(CLAIMS));

    const lastPeriod = await pool.currentPeriod();
    await time.increaseTo(await pool.periodEnd(lastPeriod));
    const perCall = await pool.MAX_CLAIMS_PER_SETTLE();
    let parts = 0;
    let paid = 0n;
    let maxGas = 0n;
    while ((await pool.nextPeriodToSettle()) <= lastPeriod) {
      const period = await pool.nextPeriodToSettle();
      const part = await pool.nextPart();
      const receipt = await (await pool.settle(period, { gasLimit: EIP_7825_CAP })).wait();
      expect(receipt!.status).to.equal(1);
      expect(receipt!.gasUsed).to.be.lt(EIP_7825_CAP);
      if (receipt!.gasUsed > maxGas) maxGas = receipt!.gasUsed;
      const s = await pool.settlement(period, part);
      expect(s.claimsPaid).to.be.lte(perCall);
      paid += s.claimsPaid;
      parts++;
    }
    console.log(
      `      ${paid} claims paid in ${parts} settle calls; the largest used ${maxGas} gas (cap ${EIP_7825_CAP})`,
    );
    expect(paid).to.equal(BigInt(CLAIMS));
    expect(parts).to.be.gte(Math.ceil(CLAIMS / Number(perCall)));
    const left = queueLength(await pool.paymentQueue());
    expect(left).to.equal(0n);
    // The member who asked to leave is no longer frozen behind the queue.
    await pool.completeExit(victim.address);
    const balance = await pool.balanceOf(victim.address);
    await pool.connect(victim).withdraw(balance);
    expect(await pool.balanceOf(victim.address)).to.equal(0n);
  });
});
