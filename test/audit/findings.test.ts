import { expect } from "chai";
import { ethers } from "hardhat";
import { audit, createHuzhuClient, fromEthers } from "../../sdk/src";
import { decide, deployPool, endPeriod, join, submitClaim, USDC, DAY } from "../helpers/fixtures";
import { time } from "@nomicfoundation/hardhat-network-helpers";

/**
 * What the auditor finds in the contracts themselves. `Apportionment.apportion` is a public library
 * function: the pool reaches it by an external (DELEGATE)CALL, which copies the `paid` array, so
 * the pro rata cut the library makes in place when the annual charge cap binds never reaches
 * `CostSharingPool._settlePart`: the claim is credited its uncut payout while members are charged
 * for the cut one. The auditor recomputes the cut and names the claim and the payout due.
 */
describe("audit finds a v2 contract defect: the annual cap's cut is not applied to the payout", function () {
  this.timeout(300_000);

  it("names the claim paid above what the members were charged for", async function () {
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
    expect(failed).to.include("events agree with the rebuild");
    expect(failed).to.include("every payout due matches the events");
    const payout = result.checks[0].discrepancies.find((d) => d.check === "claim payout")!;
    expect(BigInt(payout.actual)).to.be.greaterThan(BigInt(payout.expected));
  });
});
