import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { decide, deployPool, endPeriod, join, settleDue, submitClaim, USDC, DAY } from "../helpers/fixtures";

// IClaimVoting.ClaimState
const APPROVED = 8n;
const PAID = 11n;

describe("smoke", function () {
  it("runs a claim from submission through a drawn jury to payout", async function () {
    const setup = await deployPool({ capPerMember: USDC(100), minBalance: USDC(600), minDeposit: USDC(600) });
    const { pool, members } = setup;
    for (const m of members.slice(0, 6)) await join(setup, m, USDC(1000));
    await time.increase(91 * DAY);
    const id = await submitClaim(setup, members[0], USDC(200));
    await decide(pool, id, true);
    await pool.resolve(id);
    expect(await pool.state(id)).to.equal(APPROVED);
    await endPeriod(pool, await pool.currentPeriod());
    await settleDue(pool);
    expect(await pool.state(id)).to.equal(PAID);
    // 200 + 8% fee over 6 members: 36 each; the claimant is paid 200 and the bond of 5 back.
    expect(await pool.balanceOf(members[1].address)).to.equal(USDC(1000) - USDC(36));
    expect(await pool.payoutOf(members[0].address)).to.equal(USDC(205));
  });

  it("pays a small claim decided by a drawn jury in a pool of ten", async function () {
    const f = await deployPool();
    for (const m of f.members.slice(0, 10)) await join(f, m, USDC(20));
    await time.increase(91 * DAY);
    const id = await submitClaim(f, f.members[0], USDC(1));
    await decide(f.pool, id, true);
    await f.pool.resolve(id);
    await endPeriod(f.pool, await f.pool.currentPeriod());
    await settleDue(f.pool);
    expect(await f.pool.state(id)).to.equal(PAID);
    expect(await f.pool.payoutOf(f.members[0].address)).to.equal(USDC(1) + USDC(5));
  });
});
