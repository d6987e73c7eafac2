import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { decide, deployPool, endPeriod, join, submitClaim, USDC, DAY } from "../helpers/fixtures";

describe("smoke v2", function () {
  it("a claim decided by a drawn jury is paid", async function () {
    const f = await deployPool();
    for (const m of f.members.slice(0, 10)) await join(f, m, USDC(20));
    await time.increase(91 * DAY);
    const id = await submitClaim(f, f.members[0], USDC(1));
    await decide(f.pool, id, true);
    await f.pool.resolve(id);
    expect((await f.pool.claim(id)).state).to.equal(8n);
    const p = await f.pool.currentPeriod();
    await endPeriod(f.pool, p);
    let next = await f.pool.nextPeriodToSettle();
    while (next <= p) {
      await f.pool.settle(next);
      next = await f.pool.nextPeriodToSettle();
    }
    expect((await f.pool.claim(id)).state).to.equal(11n);
    expect(await f.pool.payoutOf(f.members[0].address)).to.equal(USDC(1) + USDC(5));
  });
});
