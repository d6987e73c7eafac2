import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { ClaimState } from "../../sdk/src";
import type { Address } from "../../sdk/src";
import { drawJury, voteOn } from "../helpers/fixtures";
import { KINDS, USD, claimFixture, clientFor } from "./helpers";

const addressOf = (signer: { address: string }) => signer.address as Address;

for (const kind of KINDS) {
  describe(`sdk jury actions with a ${kind} client`, function () {
    describe("drawJury", function () {
      it("seats the round's jury (never the claimant) once the seed block exists", async function () {
        const f = await loadFixture(claimFixture);
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        // The simulation runs on the latest block: it must be past the seed block.
        await mine(2);
        const { jurors, round, reanchored, receipt } = await keeper.drawJury({ claimId: 1n });
        expect(receipt.status).to.equal("success");
        expect([round, reanchored]).to.deep.equal([0n, false]);
        expect(jurors).to.have.length(3);
        expect(jurors).to.not.include(f.members[0].address);
        expect(jurors).to.deep.equal([...(await f.pool.jury(1n, 0n))]);
        expect((await keeper.getClaim({ claimId: 1n })).state).to.equal(ClaimState.Committing);
      });

      it("re-anchors a seed older than 256 blocks, seating nobody; the next draw seats the jury", async function () {
        const f = await loadFixture(claimFixture);
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        await mine(300);
        const first = await keeper.drawJury({ claimId: 1n });
        expect(first.reanchored).to.equal(true);
        expect(first.jurors).to.deep.equal([]);
        expect((await keeper.getRound({ claimId: 1n })).reanchors).to.equal(1n);
        await mine(2);
        const second = await keeper.drawJury({ claimId: 1n });
        expect(second.reanchored).to.equal(false);
        expect(second.jurors).to.have.length(3);
      });
    });

    describe("tally", function () {
      it("short of quorum: penalizes the silent jurors and opens a fresh jury's round", async function () {
        const f = await loadFixture(claimFixture);
        const jurors = await drawJury(f.pool, 1n);
        await time.increaseTo((await f.pool.round(1n, 0n)).revealEndsAt);
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        const t = await keeper.tally({ claimId: 1n });
        expect([t.round, t.approvals, t.rejections, t.quorum, t.verdictName]).to.deep.equal([0n, 0n, 0n, 2n, "None"]);
        expect(t.penalized).to.deep.equal(jurors.map((j) => ({ juror: j.address, amount: USD("1") })));
        expect(t.nextRound).to.equal(1n);
        const claim = await keeper.getClaim({ claimId: 1n });
        expect([claim.round, claim.stateName]).to.deep.equal([1n, "Drawing"]);
        expect((await keeper.getRound({ claimId: 1n })).seatsTarget).to.equal(3n);
      });

      it("returns the verdict, the quorum and the penalties of the round it closes", async function () {
        const f = await loadFixture(claimFixture);
        const jurors = await drawJury(f.pool, 1n);
        const voters = jurors.slice(0, 2);
        const salts = [];
        for (const j of voters) {
          const c = clientFor(kind, j, { pool: f.poolAddress });
          salts.push((await c.commitVote({ claimId: 1n, support: true })).salt);
        }
        const r = await f.pool.round(1n, 0n);
        await time.increaseTo(r.commitEndsAt);
        for (const j of voters)
          await clientFor(kind, j, { pool: f.poolAddress }).revealVote({ claimId: 1n, support: true });
        await time.increaseTo(r.revealEndsAt);
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        const t = await keeper.tally({ claimId: 1n });
        expect([t.round, t.approvals, t.rejections, t.quorum, t.verdictName]).to.deep.equal([
          0n,
          2n,
          0n,
          2n,
          "Approve",
        ]);
        expect(t.penalized).to.deep.equal([{ juror: jurors[2].address, amount: USD("1") }]);
        expect(t.nextRound).to.equal(undefined);
        expect((await keeper.getClaim({ claimId: 1n })).stateName).to.equal("Appealable");
      });
    });

    describe("appeal", function () {
      it("the claimant appeals a rejection: approves the appeal bond, opens a round of 2 x 3 + 1 seats", async function () {
        const f = await loadFixture(claimFixture);
        const jurors = await drawJury(f.pool, 1n);
        await voteOn(
          f.pool,
          1n,
          jurors.map((j) => [j, false]),
        );
        const claimant = clientFor(kind, f.members[0], { pool: f.poolAddress });
        const before = await f.token.balanceOf(f.members[0].address);
        const { round, bond } = await claimant.appeal({ claimId: 1n });
        expect([round, bond]).to.deep.equal([1n, USD("10")]);
        expect(await f.token.balanceOf(f.members[0].address)).to.equal(before - USD("10"));
        const claim = await claimant.getClaim({ claimId: 1n });
        expect(claim.appellant).to.equal(f.members[0].address);
        expect(claim.round).to.equal(1n);
        expect((await claimant.getRound({ claimId: 1n })).seatsTarget).to.equal(7n);
      });
    });

    describe("getJuryDuties", function () {
      it("lists the seat, commit then reveal due with their deadlines, then done or missed", async function () {
        const f = await loadFixture(claimFixture);
        const [first, second] = await drawJury(f.pool, 1n);
        const r = await f.pool.round(1n, 0n);
        const mine1 = clientFor(kind, first, { pool: f.poolAddress });
        const duties = await mine1.getJuryDuties();
        expect(duties).to.deep.equal([
          {
            claimId: 1n,
            round: 0n,
            vote: 1,
            voteName: "Seated",
            due: "commit",
            from: r.opensAt,
            dueBy: r.commitEndsAt,
            claimState: ClaimState.Committing,
            claimStateName: "Committing",
          },
        ]);
        await mine1.commitVote({ claimId: 1n, support: true });
        await time.increaseTo(r.commitEndsAt);
        const reveal = await mine1.getJuryDuties({ pendingOnly: true });
        expect(reveal.map((d) => [d.due, d.from, d.dueBy])).to.deep.equal([["reveal", r.commitEndsAt, r.revealEndsAt]]);
        await mine1.revealVote({ claimId: 1n, support: true });
        expect((await mine1.getJuryDuties())[0].due).to.equal("done");
        expect(await mine1.getJuryDuties({ pendingOnly: true })).to.deep.equal([]);
        // The second juror never committed: the commit window passed.
        const reader = clientFor(kind, f.stranger, { pool: f.poolAddress });
        expect((await reader.getJuryDuties({ account: addressOf(second) }))[0].due).to.equal("missed");
        expect(await reader.getJuryDuties({ account: addressOf(f.members[0]), blockRange: 2n })).to.deep.equal([]);
        expect(ethers.isAddress(second.address)).to.equal(true);
      });
    });
  });
}
