import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import type { ApportionmentHarness } from "../../typechain-types";
import type { Apportionment } from "../../typechain-types/contracts/mocks/ApportionmentHarness";

const MAX = ethers.MaxUint256;
const BPS = 10_000n;

interface Figures {
  payouts: bigint;
  fee: bigint;
  cut: bigint;
  share: bigint;
  surplusOut: bigint;
  deficitOut: bigint;
}

/** The input overrides, plus one fee rate for every claim (`feeBps`) or a rate per claim (`feesBps`). */
type Overrides = Partial<Apportionment.InputStruct> & { feeBps?: bigint; feesBps?: bigint[] };

function inputOf(overrides: Overrides): Apportionment.InputStruct {
  const { members, surplusIn, deficitIn, maxShare } = overrides;
  return { members: members ?? 0n, surplusIn: surplusIn ?? 0n, deficitIn: deficitIn ?? 0n, maxShare: maxShare ?? MAX };
}

/** Calls the harness and returns the cut payouts and the result as plain values. */
async function apportion(
  harness: ApportionmentHarness,
  payouts: bigint[],
  overrides: Overrides,
): Promise<{ paid: bigint[]; r: Figures }> {
  const feesBps = overrides.feesBps ?? payouts.map(() => overrides.feeBps ?? 0n);
  const [paid, r] = await harness.apportion(payouts, feesBps, inputOf(overrides));
  return {
    paid: [...paid],
    r: {
      payouts: r.payouts,
      fee: r.fee,
      cut: r.cut,
      share: r.share,
      surplusOut: r.surplusOut,
      deficitOut: r.deficitOut,
    },
  };
}

describe("Apportionment", function () {
  async function deployHarness() {
    // apportion is a public library function: the harness links the deployed library.
    const library = await ethers.deployContract("Apportionment");
    const harness = await ethers.deployContract("ApportionmentHarness", {
      libraries: { Apportionment: await library.getAddress() },
    });
    return { harness };
  }

  describe("cappedPayout", function () {
    it("pays the whole amount when it is below capPerMember x members", async function () {
      const { harness } = await loadFixture(deployHarness);
      expect(await harness.cappedPayout(599n, 100n, 6n)).to.equal(599n);
    });

    it("pays the whole amount when it equals the cap", async function () {
      const { harness } = await loadFixture(deployHarness);
      expect(await harness.cappedPayout(600n, 100n, 6n)).to.equal(600n);
    });

    it("pays capPerMember x members when the amount is above it", async function () {
      const { harness } = await loadFixture(deployHarness);
      expect(await harness.cappedPayout(601n, 100n, 6n)).to.equal(600n);
      expect(await harness.cappedPayout(1_000_000n, 100n, 1n)).to.equal(100n);
    });

    it("pays nothing when there are no members", async function () {
      const { harness } = await loadFixture(deployHarness);
      expect(await harness.cappedPayout(500n, 100n, 0n)).to.equal(0n);
    });
  });

  describe("feeOn", function () {
    it("takes feeBps of the payouts", async function () {
      const { harness } = await loadFixture(deployHarness);
      expect(await harness.feeOn(200_000_000n, 800n)).to.equal(16_000_000n);
      expect(await harness.feeOn(200_000_000n, 1_000n)).to.equal(20_000_000n);
    });

    it("rounds down, so that members never pay for rounding", async function () {
      const { harness } = await loadFixture(deployHarness);
      expect(await harness.feeOn(12_499n, 800n)).to.equal(999n);
      expect(await harness.feeOn(12n, 800n)).to.equal(0n);
      expect(await harness.feeOn(1n, 1_000n)).to.equal(0n);
    });

    it("is zero at zero basis points", async function () {
      const { harness } = await loadFixture(deployHarness);
      expect(await harness.feeOn(1_000_000n, 0n)).to.equal(0n);
    });
  });

  describe("apportion", function () {
    it("divides an exact need with no surplus", async function () {
      const { harness } = await loadFixture(deployHarness);
      const { paid, r } = await apportion(harness, [200_000_000n], { members: 6n, feeBps: 800n });
      expect(paid).to.deep.equal([200_000_000n]);
      expect(r).to.deep.equal({
        payouts: 200_000_000n,
        fee: 16_000_000n,
        cut: 0n,
        share: 36_000_000n,
        surplusOut: 0n,
        deficitOut: 0n,
      });
    });

    it("rounds the share up and carries the surplus (need 10, N 3: share 4, surplus 2)", async function () {
      const { harness } = await loadFixture(deployHarness);
      const { r } = await apportion(harness, [10n], { members: 3n });
      expect(r).to.deep.equal({ payouts: 10n, fee: 0n, cut: 0n, share: 4n, surplusOut: 2n, deficitOut: 0n });
    });

    it("sums several payouts and adds the fee before dividing", async function () {
      const { harness } = await loadFixture(deployHarness);
      // payouts 1,000 + 2,001 = 3,001; fee floor(3,001 x 8%) = 240; need 3,241; ceil(3,241 / 8) = 406.
      const { paid, r } = await apportion(harness, [1_000n, 2_001n], { members: 8n, feeBps: 800n });
      expect(paid).to.deep.equal([1_000n, 2_001n]);
      expect(r).to.deep.equal({ payouts: 3_001n, fee: 240n, cut: 0n, share: 406n, surplusOut: 7n, deficitOut: 0n });
    });

    it("lowers the need by the surplus carried in", async function () {
      const { harness } = await loadFixture(deployHarness);
      const { r } = await apportion(harness, [10n], { members: 3n, surplusIn: 4n });
      expect(r).to.deep.equal({ payouts: 10n, fee: 0n, cut: 0n, share: 2n, surplusOut: 0n, deficitOut: 0n });
    });

    it("charges nothing and carries the rest when the surplus covers the need", async function () {
      const { harness } = await loadFixture(deployHarness);
      const { paid, r } = await apportion(harness, [10n], { members: 3n, feeBps: 1_000n, surplusIn: 25n });
      expect(paid).to.deep.equal([10n]);
      expect(r).to.deep.equal({ payouts: 10n, fee: 1n, cut: 0n, share: 0n, surplusOut: 14n, deficitOut: 0n });
    });

    it("carries the surplus whole when there is nothing to pay", async function () {
      const { harness } = await loadFixture(deployHarness);
      const { r } = await apportion(harness, [], { members: 3n, surplusIn: 25n });
      expect(r).to.deep.equal({ payouts: 0n, fee: 0n, cut: 0n, share: 0n, surplusOut: 25n, deficitOut: 0n });
    });

    it("adds the deficit carried in to the need", async function () {
      const { harness } = await loadFixture(deployHarness);
      const { r } = await apportion(harness, [10n], { members: 3n, deficitIn: 5n });
      expect(r).to.deep.equal({ payouts: 10n, fee: 0n, cut: 0n, share: 5n, surplusOut: 0n, deficitOut: 0n });
    });

    it("charges a deficit alone, rounded up", async function () {
      const { harness } = await loadFixture(deployHarness);
      const { r } = await apportion(harness, [], { members: 3n, deficitIn: 7n });
      expect(r).to.deep.equal({ payouts: 0n, fee: 0n, cut: 0n, share: 3n, surplusOut: 2n, deficitOut: 0n });
    });

    it("with no members, pays nothing, cuts every payout and keeps the carry", async function () {
      const { harness } = await loadFixture(deployHarness);
      const withSurplus = await apportion(harness, [10n, 20n], { members: 0n, feeBps: 800n, surplusIn: 5n });
      expect(withSurplus.paid).to.deep.equal([0n, 0n]);
      expect(withSurplus.r).to.deep.equal({
        payouts: 0n,
        fee: 0n,
        cut: 30n,
        share: 0n,
        surplusOut: 5n,
        deficitOut: 0n,
      });
      const withDeficit = await apportion(harness, [10n], { members: 0n, deficitIn: 7n });
      expect(withDeficit.paid).to.deep.equal([0n]);
      expect(withDeficit.r).to.deep.equal({
        payouts: 0n,
        fee: 0n,
        cut: 10n,
        share: 0n,
        surplusOut: 0n,
        deficitOut: 7n,
      });
    });

    it("leaves the payouts whole when the share equals the cap", async function () {
      const { harness } = await loadFixture(deployHarness);
      const { paid, r } = await apportion(harness, [600n], { members: 6n, maxShare: 100n });
      expect(paid).to.deep.equal([600n]);
      expect(r).to.deep.equal({ payouts: 600n, fee: 0n, cut: 0n, share: 100n, surplusOut: 0n, deficitOut: 0n });
    });

    it("cuts the payouts pro rata, rounding down, when the share would pass the annual cap", async function () {
      const { harness } = await loadFixture(deployHarness);
      // Uncapped: 900 + fee 72 = 972 over 6 = 162 > 100. Budget 6 x 100 = 600; allowed
      // floor(600 x 10,000 / 10,800) = 555; 700 x 555 / 900 = 431.67 -> 431, 200 x 555 / 900 = 123.33 -> 123;
      // fees claim by claim: 34 + 9 = 43; need 597 over 6: share 100, surplus 3.
      const { paid, r } = await apportion(harness, [700n, 200n], { members: 6n, feeBps: 800n, maxShare: 100n });
      expect(paid).to.deep.equal([431n, 123n]);
      expect(r).to.deep.equal({ payouts: 554n, fee: 43n, cut: 346n, share: 100n, surplusOut: 3n, deficitOut: 0n });
    });

    it("counts the surplus carried in as room under the cap", async function () {
      const { harness } = await loadFixture(deployHarness);
      // Budget 6 x 100 + 30 = 630: the 660 payout is cut to 630 and the share is exactly the cap.
      const { paid, r } = await apportion(harness, [660n], { members: 6n, surplusIn: 30n, maxShare: 100n });
      expect(paid).to.deep.equal([630n]);
      expect(r).to.deep.equal({ payouts: 630n, fee: 0n, cut: 30n, share: 100n, surplusOut: 0n, deficitOut: 0n });
    });

    it("takes the deficit carried in out of the room under the cap", async function () {
      const { harness } = await loadFixture(deployHarness);
      // Budget 6 x 100 - 60 = 540.
      const { paid, r } = await apportion(harness, [600n], { members: 6n, deficitIn: 60n, maxShare: 100n });
      expect(paid).to.deep.equal([540n]);
      expect(r).to.deep.equal({ payouts: 540n, fee: 0n, cut: 60n, share: 100n, surplusOut: 0n, deficitOut: 0n });
    });

    it("charges the cap and carries the rest when a deficit alone passes the cap", async function () {
      const { harness } = await loadFixture(deployHarness);
      const { paid, r } = await apportion(harness, [50n], {
        members: 6n,
        feeBps: 800n,
        deficitIn: 900n,
        maxShare: 100n,
      });
      expect(paid).to.deep.equal([0n]);
      expect(r).to.deep.equal({ payouts: 0n, fee: 0n, cut: 50n, share: 100n, surplusOut: 0n, deficitOut: 300n });
    });

    it("charges nothing and carries the whole deficit when the cap is used up", async function () {
      const { harness } = await loadFixture(deployHarness);
      const { paid, r } = await apportion(harness, [40n], { members: 4n, deficitIn: 9n, maxShare: 0n });
      expect(paid).to.deep.equal([0n]);
      expect(r).to.deep.equal({ payouts: 0n, fee: 0n, cut: 40n, share: 0n, surplusOut: 0n, deficitOut: 9n });
    });

    it("charges each claim the fee rate it was submitted under, rounding each fee down", async function () {
      const { harness } = await loadFixture(deployHarness);
      // fees floor(1,001 x 8%) = 80 and floor(2,001 x 10%) = 200, not floor(3,002 x 9%): need 3,282 over 8 = 411.
      const { paid, r } = await apportion(harness, [1_001n, 2_001n], { members: 8n, feesBps: [800n, 1_000n] });
      expect(paid).to.deep.equal([1_001n, 2_001n]);
      expect(r).to.deep.equal({ payouts: 3_002n, fee: 280n, cut: 0n, share: 411n, surplusOut: 6n, deficitOut: 0n });
    });

    it("charges no fee on a claim submitted at a zero rate next to one with a fee", async function () {
      const { harness } = await loadFixture(deployHarness);
      const { r } = await apportion(harness, [500n, 500n], { members: 5n, feesBps: [0n, 1_000n] });
      expect(r).to.deep.equal({ payouts: 1_000n, fee: 50n, cut: 0n, share: 210n, surplusOut: 0n, deficitOut: 0n });
    });

    it("sizes the cut on the highest fee rate among the claims when the annual cap binds", async function () {
      const { harness } = await loadFixture(deployHarness);
      // Budget 6 x 100 = 600; allowed floor(600 x 10,000 / 11,000) = 545 (the 10% rate, not 0%);
      // 600 x 545 / 900 = 363.33 -> 363, 300 x 545 / 900 = 181.67 -> 181; fees 0 + 18 = 18.
      const { paid, r } = await apportion(harness, [600n, 300n], {
        members: 6n,
        feesBps: [0n, 1_000n],
        maxShare: 100n,
      });
      expect(paid).to.deep.equal([363n, 181n]);
      expect(r).to.deep.equal({ payouts: 544n, fee: 18n, cut: 356n, share: 94n, surplusOut: 2n, deficitOut: 0n });
    });

    it("keeps the apportionment identity and the cap for random inputs", async function () {
      const { harness } = await loadFixture(deployHarness);
      const amount = fc.bigInt({ min: 0n, max: 10n ** 12n });
      const carry = fc.oneof(
        fc.constant({ surplusIn: 0n, deficitIn: 0n }),
        amount.map((surplusIn) => ({ surplusIn, deficitIn: 0n })),
        amount.map((deficitIn) => ({ surplusIn: 0n, deficitIn })),
      );
      const members = fc.oneof(
        fc.constant(0n),
        fc.bigInt({ min: 1n, max: 10n }),
        fc.bigInt({ min: 0n, max: 1_000_000n }),
      );
      const maxShare = fc.oneof(
        fc.constant(MAX),
        fc.bigInt({ min: 0n, max: 1_000n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
      );
      const feeBps = fc.bigInt({ min: 0n, max: 1_000n });
      // A claim and its own fee rate (the one in force when it was submitted).
      const claim = fc.tuple(amount, feeBps);
      // The runs must reach the cut and the deficit-above-cap branches, or the property proves little.
      let cutRuns = 0;
      let deficitRuns = 0;

      await fc.assert(
        fc.asyncProperty(
          fc.array(claim, { minLength: 0, maxLength: 5 }),
          members,
          carry,
          maxShare,
          async (claims, n, { surplusIn, deficitIn }, cap) => {
            const payouts = claims.map(([amount]) => amount);
            const feesBps = claims.map(([, fee]) => fee);
            const { paid, r } = await apportion(harness, payouts, {
              members: n,
              feesBps,
              surplusIn,
              deficitIn,
              maxShare: cap,
            });
            const total = payouts.reduce((a, b) => a + b, 0n);
            const paidTotal = paid.reduce((a, b) => a + b, 0n);
            expect(paid.length).to.equal(payouts.length);
            paid.forEach((p, i) => expect(p <= payouts[i]).to.equal(true, "a payout grew"));
            expect(paidTotal).to.equal(r.payouts);
            expect(r.cut).to.equal(total - r.payouts);
            expect(r.fee).to.equal(paid.reduce((sum, p, i) => sum + (p * feesBps[i]) / BPS, 0n));
            expect(r.surplusOut === 0n || r.deficitOut === 0n).to.equal(true, "both carries non-zero");
            expect(r.share <= cap).to.equal(true, "share above maxShare");
            if (cap === MAX) expect(r.cut).to.equal(n === 0n ? total : 0n);
            if (n === 0n) {
              expect(r).to.deep.equal({
                payouts: 0n,
                fee: 0n,
                cut: total,
                share: 0n,
                surplusOut: surplusIn,
                deficitOut: deficitIn,
              });
              return;
            }
            expect(r.share * n).to.equal(r.payouts + r.fee + deficitIn - surplusIn + r.surplusOut - r.deficitOut);
            if (r.share > 0n) expect(r.surplusOut < n).to.equal(true, "surplus of a ceiling not below N");
            if (r.cut > 0n) cutRuns++;
            if (r.deficitOut > 0n) deficitRuns++;
          },
        ),
        { seed: 20_240_601, numRuns: 200 },
      );
      expect(cutRuns).to.be.greaterThan(10);
      expect(deficitRuns).to.be.greaterThan(10);
    });
  });
});
