import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { commitVote, drawJury, deployPool, join, submitClaim, DAY, USDC } from "../helpers/fixtures";
import { settleThrough } from "./draw";

// Finding (Low, v1): with a backlog of approved claims, a member who asked to exit when a fee rise
// was proposed was still charged the new fee. v2: each claim carries the fee in force at submission.
const RULES = {
  capPerMember: USDC(100),
  minBalance: USDC(111),
  minDeposit: USDC(600),
  maxClaimsPerPeriod: 1,
  feeBps: 0,
};

describe("Regression: a fee rise never reaches claims submitted before it", function () {
  it("a member who asks to leave when a fee rise is proposed pays only fee-free settlements", async function () {
    const f = await deployPool(RULES);
    const { pool, operator } = f;
    const [a, b, , , , victim] = f.members;
    for (const m of f.members.slice(0, 6)) await join(f, m, USDC(1000));
    await time.increase(91 * DAY);
    await settleThrough(pool, (await pool.currentPeriod()) - 1n);

    const c1 = await submitClaim(f, a, USDC(100), "c1");
    const c2 = await submitClaim(f, b, USDC(100), "c2");
    const r = await pool.roles();
    await pool
      .connect(operator)
      .proposeRuleChange(
        { operator: r.operator, verifier: r.verifier, assessor: r.assessor, guardian: r.guardian },
        1_000,
      );
    await pool.connect(victim).requestExit();
    const eta = (await pool.pendingChange()).eta;
    // Both claims are decided side by side (their timetables overlap).
    const votes: Array<[bigint, HardhatEthersSigner, string]> = [];
    for (const id of [c1, c2])
      for (const j of await drawJury(pool, id)) votes.push([id, j, await commitVote(pool, j, id, true)]);
    await time.increaseTo((await pool.round(c2, 0)).commitEndsAt);
    for (const [id, j, salt] of votes) await pool.connect(j).revealDecision(id, true, salt);
    await time.increaseTo((await pool.claim(c2)).resolvesAt);
    await pool.resolve(c2);
    expect((await pool.claim(c1)).state).to.equal(8n); // Approved
    expect((await pool.claim(c2)).state).to.equal(8n);
    if (BigInt(await time.latest()) < eta) await time.increaseTo(eta);
    await pool.connect(operator).executeRuleChange();
    expect((await pool.rules()).feeBps).to.equal(1_000n);
    expect((await pool.claim(c1)).feeBps).to.equal(0n);
    expect((await pool.claim(c2)).feeBps).to.equal(0n);

    // One claim a period: the backlog is paid after the rise, at the fee of its own submission.
    let charged = 0n;
    for (;;) {
      const p = await pool.nextPeriodToSettle();
      const before = await pool.balanceOf(victim.address);
      const feesBefore = await pool.feesAccrued();
      await settleThrough(pool, p);
      charged += before - (await pool.balanceOf(victim.address));
      expect(await pool.feesAccrued()).to.equal(feesBefore); // no fee on c1 or c2
      if (
        await pool.completeExit.staticCall(victim.address).then(
          () => true,
          () => false,
        )
      )
        break;
    }
    await pool.completeExit(victim.address);
    // 100 + 100 shared by 6 members, no fee.
    expect(charged).to.be.closeTo((USDC(200) + 5n) / 6n, 2n);
    // A claim submitted after the rise pays the new fee.
    const c3 = await submitClaim(f, a, USDC(100), "later");
    expect((await pool.claim(c3)).feeBps).to.equal(1_000n);
  });
});
