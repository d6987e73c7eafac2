import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { MockJuryRandomness } from "../../typechain-types";
import { deployPool, fund, join, submitClaim, DAY, USDC } from "../helpers/fixtures";
import { deliverSeed, predictJury, settleThrough, liveSet } from "./draw";

// Finding (Low, v1): members who asked to leave approved a claim they would never pay for.
// v2: requestExit takes a member out of the juror set at once; a jury is drawn only from the set.
const RULES = { capPerMember: USDC(100), minBalance: USDC(600), minDeposit: USDC(600) };

describe("Regression: exiting members are never seated", function () {
  it("members who asked to leave leave the juror set, are seated by no seed, and cannot commit or appeal", async function () {
    const randomness = (await ethers.deployContract("MockJuryRandomness")) as unknown as MockJuryRandomness;
    const f = await deployPool({ ...RULES, randomness: await randomness.getAddress() });
    const { pool } = f;
    const stayers = f.members.slice(0, 6);
    const leavers = f.members.slice(6, 9);
    for (const m of [...stayers, ...leavers]) await join(f, m, USDC(1000));
    await time.increase(91 * DAY);
    await settleThrough(pool, (await pool.currentPeriod()) - 1n);
    for (const l of leavers) await pool.connect(l).requestExit();
    // Each leaver's position is a hole: the draw skips it (nobody moves in until a join fills it).
    expect(await pool.jurorHoles()).to.equal(3n);
    const live = (await liveSet(pool)).filter((a) => a !== "");
    expect(live).to.have.length(6);
    for (const l of leavers) expect(live).to.not.include(l.address);

    const id = await submitClaim(f, stayers[0], USDC(500));
    expect((await pool.round(id, 0)).setSize).to.equal(9n);
    // Whatever the seed, no leaver is seated: try a few.
    for (let i = 0; i < 25; i++) {
      for (const a of await predictJury(pool, id, ethers.id(`leaver:${i}`))) {
        expect(leavers.map((l) => l.address)).to.not.include(a);
      }
    }
    await deliverSeed(randomness, pool, id, ethers.id("leaver:0"));
    await pool.drawJury(id);
    const jury = await pool.jury(id, 0);
    expect(jury).to.have.length(3);
    for (const l of leavers) {
      expect(jury).to.not.include(l.address);
      const commitment = await pool.voteCommitment(id, 0, l.address, true, ethers.id("x"));
      await expect(pool.connect(l).commitDecision(id, commitment))
        .to.be.revertedWithCustomError(pool, "JurorNotSeated")
        .withArgs(id, 0, l.address);
    }
    // An exiting member may not appeal an approval either (not jury-eligible).
    const signers = await ethers.getSigners();
    for (const a of jury) {
      const s = signers.find((x) => x.address === a)!;
      const salt = ethers.id(`s:${a}`);
      await pool.connect(s).commitDecision(id, await pool.voteCommitment(id, 0, a, true, salt));
    }
    await time.increaseTo((await pool.round(id, 0)).commitEndsAt);
    for (const a of jury)
      await pool.connect(signers.find((x) => x.address === a)!).revealDecision(id, true, ethers.id(`s:${a}`));
    await time.increaseTo((await pool.round(id, 0)).revealEndsAt);
    await pool.tally(id);
    await fund(f, leavers[0], USDC(10));
    await expect(pool.connect(leavers[0]).appeal(id))
      .to.be.revertedWithCustomError(pool, "AppealNotAllowed")
      .withArgs(id, leavers[0].address);
  });
});
