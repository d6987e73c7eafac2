import { expect } from "chai";
import { ethers } from "hardhat";
import { audit, createHuzhuClient, fromEthers } from "../../sdk/src";
import { decide, deployPool, endPeriod, join, submitClaim, USDC, DAY } from "../helpers/fixtures";
import { time } from "@nomicfoundation/hardhat-network-helpers";

/**
 * The auditor found a v2 defect here: `Apportionment.apportion` is a public library function, so
 * the pool's call copies the payouts, and the annual cap's cut made in the copy never reached the
 * claimant's payout. The library now returns the cut payouts; this audit of a pool whose annual cap
 * cuts a payout passes every check (and failed on "claim payout" before the fix).
 */
describe("audit of a pool whose annual cap cuts a payout", function () {
  this.timeout(300_000);

  it("agrees with the chain on the cut payout", async function () {
    const f = await deployPool({
      maxClaimsPerPeriod: 1,
      capPerMember: USDC("0.1"),
      annualChargeCap: USDC("0.110001"),
    });
    const members = f.members.slice(0, 10);
    for (const m of members) await join(f, m, USDC(20));
    await time.increase(91 * DAY);
    const settleAll = async () => {
      const now = await f.pool.currentPeriod();
      let next = await f.pool.nextPeriodToSettle();
      while (next < now) {
        await f.pool.settle(next);
        next = await f.pool.nextPeriodToSettle();
      }
    };
    for (const claimant of [members[0], members[1]]) {
      const id = await submitClaim(f, claimant, USDC(1), `evidence-${claimant.address}`);
      await decide(f.pool, id, true);
      await f.pool.resolve(id);
      await endPeriod(f.pool, await f.pool.currentPeriod());
      await settleAll();
    }
    const client = createHuzhuClient({
      connector: fromEthers(ethers.provider),
      pool: (await f.pool.getAddress()) as `0x${string}`,
    });
    const result = await audit(client, { factory: (await f.factory.getAddress()) as `0x${string}` });
    const cut = result.ledger.periods.find((p) => p.cut > 0n);
    expect(cut, "a settlement cut by the annual cap").to.not.equal(undefined);
    const failed = result.checks.filter((c) => !c.passed).map((c) => c.name);
    expect(failed).to.deep.equal([]);
    expect(result.passed).to.equal(true);
  });
});
