import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { commitVote, deployPool, drawJury, join, saltOf, submitClaim, USDC, DAY } from "../helpers/fixtures";

// The vote path decides the common case from the claim and the juror's vote word alone (no round
// record read) and falls back to the library's full state check otherwise: these tests pin the
// windows' edges, in the first round and in a later one, to the states the views report.
const State = { Committing: 2, Revealing: 3, Tallying: 4 };

async function activePool() {
  const setup = await deployPool({
    capPerMember: USDC(10),
    maxClaimsPerPeriod: 2,
    minBalance: USDC(25),
    minDeposit: USDC(25),
    quorumBps: 6_000,
  });
  const members = setup.members.slice(0, 13);
  for (const m of members) await join(setup, m, USDC(100));
  await time.increase(91 * DAY);
  return { ...setup, alice: members[0] };
}

describe("vote windows (the pool's fast path and the library's full check agree)", function () {
  it("round 0: commits until the last second of the commit window, reveals until the last of the reveal window", async function () {
    const f = await loadFixture(activePool);
    const id = await submitClaim(f, f.alice, USDC(35));
    const [j1, j2, j3] = await drawJury(f.pool, id);
    const r = await f.pool.round(id, 0n);
    const s1 = await commitVote(f.pool, j1, id, true);

    await time.setNextBlockTimestamp(r.commitEndsAt - 1n);
    const s2 = await commitVote(f.pool, j2, id, false);
    expect(await f.pool.jurorVote(id, j2.address)).to.deep.equal([0n, 2n]);

    await time.setNextBlockTimestamp(r.commitEndsAt);
    await expect(f.pool.connect(j3).commitDecision(id, await f.pool.voteCommitment(id, 0n, j3.address, true, s1)))
      .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
      .withArgs(id, State.Revealing, State.Committing);

    await time.setNextBlockTimestamp(r.revealEndsAt - 1n);
    await expect(f.pool.connect(j2).revealDecision(id, false, s2))
      .to.emit(f.pool, "VoteRevealed")
      .withArgs(id, 0n, j2.address, false);
    expect((await f.pool.round(id, 0n)).rejections).to.equal(1n);

    await time.setNextBlockTimestamp(r.revealEndsAt);
    await expect(f.pool.connect(j1).revealDecision(id, true, s1))
      .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
      .withArgs(id, State.Tallying, State.Revealing);
  });

  it("round 1: the windows start a round length later, and a juror of round 0 is not seated in it", async function () {
    const f = await loadFixture(activePool);
    const id = await submitClaim(f, f.alice, USDC(35));
    const first = await drawJury(f.pool, id);
    // Nobody votes: short of quorum, the tally opens round 1 with a fresh jury.
    await time.increaseTo((await f.pool.round(id, 0n)).revealEndsAt);
    await f.pool.tally(id);
    expect((await f.pool.claim(id)).round).to.equal(1n);
    const second = await drawJury(f.pool, id);
    const r = await f.pool.round(id, 1n);
    expect(r.opensAt).to.equal((await f.pool.claim(id)).submittedAt + 7n * BigInt(DAY));

    await expect(
      f.pool
        .connect(first[0])
        .commitDecision(id, await f.pool.voteCommitment(id, 1n, first[0].address, true, saltOf("late"))),
    )
      .to.be.revertedWithCustomError(f.pool, "JurorNotSeated")
      .withArgs(id, 1n, first[0].address);

    await time.setNextBlockTimestamp(r.commitEndsAt - 1n);
    const salt = await commitVote(f.pool, second[0], id, true);
    await time.setNextBlockTimestamp(r.commitEndsAt);
    await expect(f.pool.connect(second[1]).commitDecision(id, salt))
      .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
      .withArgs(id, State.Revealing, State.Committing);

    await time.setNextBlockTimestamp(r.revealEndsAt - 1n);
    await expect(f.pool.connect(second[0]).revealDecision(id, true, salt))
      .to.emit(f.pool, "VoteRevealed")
      .withArgs(id, 1n, second[0].address, true);
  });
});
