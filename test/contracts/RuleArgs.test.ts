import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { RuleArgsHarness } from "../../typechain-types";
import { DAY, defaultRules, deployFactory, createPool, type Rules } from "../helpers/fixtures";

const coder = ethers.AbiCoder.defaultAbiCoder();

/** The rules as the factory writes them into a clone: `abi.encode(rules)`, 23 words. */
function words(rules: Rules): bigint[] {
  return [
    rules.asset,
    rules.randomness,
    rules.waitingPeriod,
    rules.periodLength,
    rules.commitWindow,
    rules.revealWindow,
    rules.appealWindow,
    rules.lapseGrace,
    rules.minDeposit,
    rules.minBalance,
    rules.maxClaimsPerPeriod,
    rules.feeBps,
    rules.jurySize,
    rules.maxAppealRounds,
    rules.quorumBps,
    rules.approvalThresholdBps,
    rules.maxClaimAmount,
    rules.capPerMember,
    rules.claimBond,
    rules.appealBond,
    rules.jurorPenalty,
    rules.annualChargeCap,
    rules.maxPayoutPerMember,
  ].map((v) => BigInt(v as bigint | string));
}

async function harnessFixture() {
  const harness = (await ethers.deployContract("RuleArgsHarness")) as unknown as RuleArgsHarness;
  const [, other] = await ethers.getSigners();
  const rules = defaultRules(other.address, { randomness: ethers.Wallet.createRandom().address, feeBps: 250 });
  const encoded = coder.encode(Array(23).fill("uint256"), words(rules));
  const receipt = await (await harness.cloneWith(encoded)).wait();
  const event = receipt!.logs.map((l) => harness.interface.parseLog(l)).find((e) => e?.name === "Cloned")!;
  const clone = (await ethers.getContractAt("RuleArgsHarness", event.args.clone)) as unknown as RuleArgsHarness;
  return { harness, clone, rules, encoded };
}

describe("RuleArgs", function () {
  it("reads every word of the clone's args from the clone's own code", async function () {
    const { clone, rules } = await loadFixture(harnessFixture);
    const expected = words(rules);
    for (let i = 0; i < expected.length; i++) expect(await clone.word(i)).to.equal(expected[i], `word ${i}`);
    expect([...(await clone.all())]).to.deep.equal(expected);
  });

  it("types the asset and the randomness source, and derives the claim timetable", async function () {
    const { clone, rules } = await loadFixture(harnessFixture);
    expect(await clone.asset()).to.equal(rules.asset);
    expect(await clone.randomness()).to.equal(rules.randomness);
    const round = BigInt(rules.commitWindow) + BigInt(rules.revealWindow) + BigInt(rules.appealWindow);
    expect(await clone.timetable()).to.equal((1n + BigInt(rules.maxAppealRounds)) * round);
    expect(round).to.equal(BigInt(7 * DAY));
  });

  it("returns the rules as abi.encode(rules) with the stored fee in place of the creation-time fee", async function () {
    const { clone, rules } = await loadFixture(harnessFixture);
    const got = [...(await clone.rulesWithFee(900))].map((v) => BigInt(v as bigint | string));
    const expected = words({ ...rules, feeBps: 900 });
    expect(got).to.deep.equal(expected);
  });

  it("reads the running account's code, not the implementation's: outside a clone the words are not the args", async function () {
    const { harness, clone } = await loadFixture(harnessFixture);
    // The harness itself is no clone: its "args" are its own bytecode from offset 0x2d.
    const own = await ethers.provider.getCode(await harness.getAddress());
    expect(await harness.word(0)).to.equal(BigInt("0x" + own.slice(2 + 0x2d * 2, 2 + 0x2d * 2 + 64)));
    expect(await harness.word(0)).to.not.equal(await clone.word(0));
  });

  it("reads zeros past the end of the code", async function () {
    const { clone } = await loadFixture(harnessFixture);
    expect(await clone.word(23)).to.equal(0n);
    expect(await clone.word(1000)).to.equal(0n);
  });

  it("gives a pool the timetable of the rules it was created with", async function () {
    const token = await ethers.deployContract("MockERC20", ["Test USD", "TUSD", 6]);
    const factory = await deployFactory();
    const [, operator] = await ethers.getSigners();
    const rules = defaultRules(await token.getAddress(), { commitWindow: 4 * DAY, maxAppealRounds: 2 });
    const pool = await createPool(factory, rules, {
      operator: operator.address,
      verifier: ethers.ZeroAddress,
      assessor: ethers.ZeroAddress,
      guardian: ethers.ZeroAddress,
    });
    const round = 4 * DAY + Number(rules.revealWindow) + Number(rules.appealWindow);
    // claimTimetable reads in the pool; changeDelay adds the period length.
    expect(await pool.claimTimetable()).to.equal(BigInt(3 * round));
    expect(await pool.changeDelay()).to.equal(BigInt(3 * round) + BigInt(rules.periodLength));
  });
});
