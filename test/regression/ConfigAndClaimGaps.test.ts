import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import {
  decide,
  defaultRules,
  deployFactory,
  deployPool,
  fund,
  join,
  submitClaim,
  DAY,
  USDC,
} from "../helpers/fixtures";
import type { Rules } from "../helpers/fixtures";
import { settleThrough } from "./draw";

// Finding (Info, v1): a paid claimant claimed again with the same evidence; weak rules passed validation.
describe("Regression: evidence is used once and weak rules are refused", function () {
  it("a paid claimant cannot claim again with the same evidence digest", async function () {
    const f = await deployPool({ capPerMember: USDC(100), minBalance: USDC(600), minDeposit: USDC(600) });
    const { pool } = f;
    const [alice] = f.members;
    for (const m of f.members.slice(0, 5)) await join(f, m, USDC(1000));
    await time.increase(91 * DAY);
    await settleThrough(pool, (await pool.currentPeriod()) - 1n);
    const first = await submitClaim(f, alice, USDC(300), "hospital-bill-42");
    await decide(pool, first, true);
    await pool.resolve(first);
    await settleThrough(pool, await pool.currentPeriod());
    expect((await pool.claim(first)).state).to.equal(11n); // Paid
    const digest = ethers.keccak256(ethers.toUtf8Bytes("hospital-bill-42"));
    expect(await pool.evidenceUsed(digest)).to.equal(true);
    await fund(f, alice, USDC(5));
    await expect(pool.connect(alice).submitClaim(USDC(300), digest, "ipfs://again"))
      .to.be.revertedWithCustomError(pool, "ClaimEvidenceUsed")
      .withArgs(digest);
  });

  describe("the factory refuses the v1 weak rules", function () {
    let factory: Awaited<ReturnType<typeof deployFactory>>;
    let asset: string;
    let roles: { operator: string; verifier: string; assessor: string; guardian: string };
    before(async function () {
      factory = await deployFactory();
      asset = await (await ethers.deployContract("MockERC20", ["T", "T", 6])).getAddress();
      const [, operator] = await ethers.getSigners();
      roles = {
        operator: operator.address,
        verifier: ethers.ZeroAddress,
        assessor: ethers.ZeroAddress,
        guardian: ethers.ZeroAddress,
      };
    });
    const refuse = async (overrides: Partial<Rules>, error: string) =>
      expect(factory.createPool(defaultRules(asset, overrides), roles)).to.be.revertedWithCustomError(factory, error);

    it("no waiting period", async () => refuse({ waitingPeriod: 0 }, "ConfigWaitingPeriodTooShort"));
    it("a waiting period shorter than a period plus the timetable", async () =>
      refuse({ waitingPeriod: 14 * DAY + 14 * DAY - 1 }, "ConfigWaitingPeriodTooShort"));
    it("a zero claim bond", async () => refuse({ claimBond: 0n }, "ConfigZeroBond"));
    it("a zero appeal bond or juror penalty", async function () {
      await refuse({ appealBond: 0n }, "ConfigZeroBond");
      await refuse({ jurorPenalty: 0n }, "ConfigZeroBond");
    });
    it("a 0.01% approval threshold, or exactly half", async function () {
      await refuse({ approvalThresholdBps: 1 }, "ConfigInvalidThreshold");
      await refuse({ approvalThresholdBps: 5_000 }, "ConfigInvalidThreshold");
    });
    it("a quorum of half the seats or less", async () => refuse({ quorumBps: 5_000 }, "ConfigInvalidQuorum"));
    it("a jury of one, or an even jury, or no appeal", async function () {
      await refuse({ jurySize: 1 }, "ConfigInvalidJury");
      await refuse({ jurySize: 4 }, "ConfigInvalidJury");
      await refuse({ maxAppealRounds: 0 }, "ConfigInvalidJury");
    });
  });
});
