import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deployPool, join, submitClaim, voteOn, endPeriod, USDC, DAY } from "../helpers/fixtures";

describe("smoke", function () {
  it("runs a claim from submission to payout", async function () {
    const setup = await deployPool({ capPerMember: USDC(100), minBalance: USDC(600), minDeposit: USDC(600) });
    const { pool, members } = setup;
    for (const m of members.slice(0, 6)) await join(setup, m, USDC(1000));
    await time.increase(91 * DAY);
    const id = await submitClaim(setup, members[0], USDC(200));
    await voteOn(pool, id, [
      [members[1], true],
      [members[2], true],
      [members[3], false],
    ]);
    await pool.resolve(id);
    expect(await pool.state(id)).to.equal(4n);
    const period = await pool.currentPeriod();
    await endPeriod(pool, period);
    for (let p = 0n; p <= period; p++) await pool.settle(p);
    const s = await pool.settlement(period);
    expect(s.share).to.equal(USDC(36));
    expect(await pool.payoutOf(members[0].address)).to.equal(USDC(205));
  });
});
