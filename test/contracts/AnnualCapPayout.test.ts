import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { commitVote, deployPool, drawJury, endPeriod, join, submitClaim, DAY, USDC } from "../helpers/fixtures";

// The pool calls Apportionment.apportion in the linked library, which receives a copy of the
// payouts: a cut made by the annual cap must come back to the pool, or claimants would be credited
// more than the members were charged.
describe("annual cap: the cut reaches the payouts", function () {
  it("credits each claimant exactly the cut payout the settlement charged for", async function () {
    // One claim a period; the cap is one period's largest charge: the second period's share is cut.
    const f = await deployPool({
      annualChargeCap: USDC("0.22") + 1n,
      capPerMember: USDC("0.2"),
      maxClaimsPerPeriod: 1,
      minBalance: USDC(2),
    });
    const [alice, bob] = f.members;
    for (const m of f.members.slice(0, 12)) await join(f, m, USDC(20));
    await time.increase(91 * DAY);
    const a = await submitClaim(f, alice, USDC(2), "alice");
    const b = await submitClaim(f, bob, USDC(2), "bob");
    // Both juries approve, in the same windows.
    const votes: Array<[bigint, HardhatEthersSigner, string]> = [];
    for (const id of [a, b]) {
      for (const juror of await drawJury(f.pool, id))
        votes.push([id, juror, await commitVote(f.pool, juror, id, true)]);
    }
    await time.increaseTo((await f.pool.round(b, 0)).commitEndsAt);
    for (const [id, juror, salt] of votes) await f.pool.connect(juror).revealDecision(id, true, salt);
    await time.increaseTo((await f.pool.claim(b)).resolvesAt);
    await f.pool.resolve(b);

    const paid = new Map<string, bigint>();
    let cut = 0n;
    while ((await f.pool.claim(b)).state !== 11n) {
      const next = await f.pool.nextPeriodToSettle();
      await endPeriod(f.pool, next);
      const receipt = await (await f.pool.settle(next)).wait();
      for (const log of receipt!.logs) {
        const e = f.pool.interface.parseLog(log);
        if (e?.name === "ClaimPaid") paid.set(e.args.claimant, e.args.paid);
        if (e?.name === "PeriodSettled") cut += e.args.cut;
      }
    }
    expect(cut).to.be.greaterThan(0n);
    expect(paid.get(bob.address)).to.be.lessThan(USDC(2));
    // Each claimant is owed the bond back plus exactly the (cut) payout the settlement charged for.
    expect(await f.pool.payoutOf(alice.address)).to.equal(USDC(5) + paid.get(alice.address)!);
    expect(await f.pool.payoutOf(bob.address)).to.equal(USDC(5) + paid.get(bob.address)!);
    // What the escrow holds is exactly what it owes.
    let owed = await f.pool.feesAccrued();
    for (const m of f.members.slice(0, 12))
      owed += (await f.pool.payoutOf(m.address)) + (await f.pool.balanceOf(m.address));
    const [surplus, deficit] = await f.pool.carry();
    expect(await f.token.balanceOf(await f.pool.getAddress())).to.equal(owed + surplus - deficit);
  });
});
