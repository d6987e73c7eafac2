import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HuzhuPool } from "../../typechain-types";
import {
  createPool,
  defaultRules,
  deployFactory,
  deployPool,
  endPeriod,
  join,
  submitClaim,
  commitVote,
  decide,
  drawJury,
  settledParts,
  DAY,
  USDC,
  type Roles,
  type Rules,
} from "../helpers/fixtures";

// One period plus the claim timetable of the default rules: 2 rounds of 3 + 2 + 2 days.
const TIMETABLE = 2 * (3 * DAY + 2 * DAY + 2 * DAY);
const DELAY = 14 * DAY + TIMETABLE;
const MONEY_RULES = { capPerMember: USDC(100), minBalance: USDC(600), minDeposit: USDC(600) };

function rulesTuple(r: Rules) {
  return [
    r.asset,
    r.randomness,
    r.waitingPeriod,
    r.periodLength,
    r.commitWindow,
    r.revealWindow,
    r.appealWindow,
    r.lapseGrace,
    r.minDeposit,
    r.minBalance,
    r.maxClaimsPerPeriod,
    r.feeBps,
    r.jurySize,
    r.maxAppealRounds,
    r.quorumBps,
    r.approvalThresholdBps,
    r.maxClaimAmount,
    r.capPerMember,
    r.claimBond,
    r.appealBond,
    r.jurorPenalty,
    r.annualChargeCap,
    r.maxPayoutPerMember,
  ].map((v, i) => (i < 2 ? v : BigInt(v as bigint)));
}

function rolesTuple(r: Roles) {
  return [r.operator, r.verifier, r.assessor, r.guardian];
}

async function configFixture() {
  const setup = await deployPool(MONEY_RULES);
  const { factory, token, pool, operator, guardian, assessor, keeper, members } = setup;
  const [alice, bob, carol, dave, successor] = members;
  const [created] = await factory.queryFilter(factory.filters.PoolCreated());
  const createdAt = (await created.getBlock()).timestamp;
  const rules = defaultRules(await token.getAddress(), MONEY_RULES);
  const roles: Roles = {
    operator: operator.address,
    verifier: ethers.ZeroAddress,
    assessor: assessor.address,
    guardian: guardian.address,
  };
  // The change most tests propose: a successor operator and a 5% fee.
  const newRoles: Roles = { ...roles, operator: successor.address };
  return {
    ...setup,
    rules,
    roles,
    newRoles,
    createdAt,
    operator,
    guardian,
    assessor,
    keeper,
    alice,
    bob,
    carol,
    dave,
    successor,
  };
}

/** Settles every ended period and returns the figures of every part settled. */
async function settleAndRead(pool: HuzhuPool) {
  await endPeriod(pool, await pool.currentPeriod());
  const parts = [];
  for (;;) {
    const next = await pool.nextPeriodToSettle();
    if ((await pool.periodEnd(next)) > BigInt(await time.latest())) return parts;
    parts.push(...(await settledParts(pool, await pool.settle(next))));
  }
}

async function noGuardianFixture() {
  return deployPool({}, { guardian: ethers.ZeroAddress });
}

/** Proposes `newRoles` with a 5% fee at a known time; returns the eta. */
async function propose(setup: Awaited<ReturnType<typeof configFixture>>, feeBps = 500): Promise<bigint> {
  await setup.pool.connect(setup.operator).proposeRuleChange(setup.newRoles, feeBps);
  return (await setup.pool.pendingChange()).eta;
}

describe("PoolConfig", function () {
  describe("views", function () {
    it("returns the rules the pool was created with", async function () {
      const { pool, rules } = await loadFixture(configFixture);

      expect([...(await pool.rules())]).to.deep.equal(rulesTuple(rules));
    });

    it("returns the roles the pool was created with", async function () {
      const { pool, roles } = await loadFixture(configFixture);

      expect([...(await pool.roles())]).to.deep.equal(rolesTuple(roles));
    });

    it("records the creation time as startedAt", async function () {
      const { pool, createdAt } = await loadFixture(configFixture);

      expect(await pool.startedAt()).to.equal(createdAt);
    });

    it("sets the change delay to one period plus the claim timetable", async function () {
      const { pool, factory, token, roles } = await loadFixture(configFixture);
      expect(await pool.changeDelay()).to.equal(DELAY);
      expect(await pool.claimTimetable()).to.equal(TIMETABLE);

      // 3 rounds of 1 + 0.5 + 0.25 days: 5.25 days; with a 7-day period: 12.25 days.
      const other = await createPool(
        factory,
        defaultRules(await token.getAddress(), {
          periodLength: 7 * DAY,
          lapseGrace: 7 * DAY,
          commitWindow: DAY,
          revealWindow: DAY / 2,
          appealWindow: DAY / 4,
          maxAppealRounds: 2,
        }),
        roles,
      );
      expect(await other.claimTimetable()).to.equal((3 * 7 * DAY) / 4);
      expect(await other.changeDelay()).to.equal(7 * DAY + (3 * 7 * DAY) / 4);
    });

    it("caps the fee at 10% and has no change pending at creation", async function () {
      const { pool } = await loadFixture(configFixture);

      expect(await pool.MAX_FEE_BPS()).to.equal(1000n);
      expect((await pool.pendingChange()).eta).to.equal(0n);
    });
  });

  describe("proposeRuleChange", function () {
    it("lets the operator propose new roles and fee, executable after the delay", async function () {
      const { pool, operator, newRoles } = await loadFixture(configFixture);
      const now = (await time.latest()) + 100;
      await time.setNextBlockTimestamp(now);

      await expect(pool.connect(operator).proposeRuleChange(newRoles, 500))
        .to.emit(pool, "RuleChangeProposed")
        .withArgs(rolesTuple(newRoles), 500, now + DELAY);
      const pending = await pool.pendingChange();
      expect([...pending.roles]).to.deep.equal(rolesTuple(newRoles));
      expect(pending.feeBps).to.equal(500n);
      expect(pending.eta).to.equal(now + DELAY);
    });

    it("reverts when anyone but the operator proposes", async function () {
      const { pool, guardian, assessor, alice, successor, newRoles } = await loadFixture(configFixture);

      for (const caller of [guardian, assessor, alice, successor]) {
        await expect(pool.connect(caller).proposeRuleChange(newRoles, 500))
          .to.be.revertedWithCustomError(pool, "ConfigUnauthorized")
          .withArgs(caller.address);
      }
    });

    it("reverts when the fee is above the 10% maximum", async function () {
      const { pool, operator, newRoles } = await loadFixture(configFixture);

      await expect(pool.connect(operator).proposeRuleChange(newRoles, 1001))
        .to.be.revertedWithCustomError(pool, "ConfigFeeAboveMaximum")
        .withArgs(1001, 1000);
      await expect(pool.connect(operator).proposeRuleChange(newRoles, 65_535))
        .to.be.revertedWithCustomError(pool, "ConfigFeeAboveMaximum")
        .withArgs(65_535, 1000);
    });

    it("reverts when the new operator is the zero address", async function () {
      const { pool, operator, roles } = await loadFixture(configFixture);

      await expect(
        pool.connect(operator).proposeRuleChange({ ...roles, operator: ethers.ZeroAddress }, 500),
      ).to.be.revertedWithCustomError(pool, "ConfigZeroOperator");
    });

    it("reverts when the change changes nothing", async function () {
      const { pool, operator, roles } = await loadFixture(configFixture);

      await expect(pool.connect(operator).proposeRuleChange(roles, 800)).to.be.revertedWithCustomError(
        pool,
        "ConfigNoOpChange",
      );
    });

    it("accepts a change of the fee alone and a change of one role alone", async function () {
      const { pool, operator, roles, successor } = await loadFixture(configFixture);

      await expect(pool.connect(operator).proposeRuleChange(roles, 799)).to.emit(pool, "RuleChangeProposed");
      await pool.connect(operator).cancelRuleChange();
      const newAssessor = { ...roles, assessor: successor.address };
      await expect(pool.connect(operator).proposeRuleChange(newAssessor, 800)).to.emit(pool, "RuleChangeProposed");
    });

    it("reverts when a change is already pending", async function () {
      const setup = await loadFixture(configFixture);
      const eta = await propose(setup);

      await expect(setup.pool.connect(setup.operator).proposeRuleChange(setup.roles, 100))
        .to.be.revertedWithCustomError(setup.pool, "ConfigChangeAlreadyPending")
        .withArgs(eta);
    });
  });

  describe("executeRuleChange", function () {
    it("reverts one second before the eta", async function () {
      const setup = await loadFixture(configFixture);
      const eta = await propose(setup);
      await time.setNextBlockTimestamp(eta - 1n);

      await expect(setup.pool.connect(setup.operator).executeRuleChange())
        .to.be.revertedWithCustomError(setup.pool, "ConfigChangeNotReady")
        .withArgs(eta, eta - 1n);
    });

    it("applies the new roles and fee at the eta", async function () {
      const setup = await loadFixture(configFixture);
      const { pool, operator, newRoles } = setup;
      const eta = await propose(setup);
      await time.setNextBlockTimestamp(eta);

      await expect(pool.connect(operator).executeRuleChange())
        .to.emit(pool, "RuleChangeExecuted")
        .withArgs(rolesTuple(newRoles), 500);
      expect([...(await pool.roles())]).to.deep.equal(rolesTuple(newRoles));
      expect((await pool.rules()).feeBps).to.equal(500n);
      expect((await pool.pendingChange()).eta).to.equal(0n);
    });

    it("reverts when anyone but the operator executes", async function () {
      const setup = await loadFixture(configFixture);
      const eta = await propose(setup);
      await time.increaseTo(eta);

      for (const caller of [setup.guardian, setup.successor, setup.alice]) {
        await expect(setup.pool.connect(caller).executeRuleChange())
          .to.be.revertedWithCustomError(setup.pool, "ConfigUnauthorized")
          .withArgs(caller.address);
      }
    });

    it("hands the role to the new operator: it receives later fees, the old one can no longer act", async function () {
      const setup = await loadFixture(configFixture);
      const { pool, token, operator, successor, alice, bob, carol, dave } = setup;
      for (const m of [alice, bob, carol, dave]) await join(setup, m, USDC(1000));
      await propose(setup, 500);
      await time.increase(91 * DAY);
      await pool.connect(operator).executeRuleChange();

      const id = await submitClaim(setup, alice, USDC(200));
      await decide(pool, id, true);
      await pool.resolve(id);
      const parts = await settleAndRead(pool);
      const paid = parts.find((p) => p.claimsPaid === 1n)!;

      // 200 USDC paid at the new 5% fee: 10 USDC, shared by 4 members at 52.5 USDC each.
      expect(paid.fee).to.equal(USDC(10));
      expect(paid.share).to.equal(USDC("52.5"));
      await expect(pool.connect(operator).withdrawFees())
        .to.be.revertedWithCustomError(pool, "ConfigUnauthorized")
        .withArgs(operator.address);
      await expect(pool.connect(operator).proposeRuleChange(setup.roles, 800))
        .to.be.revertedWithCustomError(pool, "ConfigUnauthorized")
        .withArgs(operator.address);
      const tx = pool.connect(successor).withdrawFees();
      await expect(tx).to.emit(pool, "FeesWithdrawn").withArgs(successor.address, USDC(10));
      await expect(tx).to.changeTokenBalances(token, [successor, pool], [USDC(10), -USDC(10)]);
    });
  });

  describe("fee per claim", function () {
    it("charges each claim the fee in force at its submission, across a fee change through the timelock", async function () {
      const setup = await loadFixture(configFixture);
      const { pool, operator, alice, bob, carol, dave } = setup;
      for (const m of [alice, bob, carol, dave]) await join(setup, m, USDC(1000));
      await time.increase(91 * DAY);
      const eta = await propose(setup, 500);
      await time.increaseTo(eta - 60n);
      const before = await submitClaim(setup, alice, USDC(200), "before");
      await time.increaseTo(eta);
      await pool.connect(operator).executeRuleChange();
      const after = await submitClaim(setup, bob, USDC(100), "after");
      expect((await pool.claim(before)).feeBps).to.equal(800n);
      expect((await pool.claim(after)).feeBps).to.equal(500n);
      // Both juries vote together: every commit, then every reveal once both are in their reveal windows.
      const ballots: Array<[bigint, HardhatEthersSigner, string]> = [];
      for (const id of [before, after]) {
        for (const juror of await drawJury(pool, id))
          ballots.push([id, juror, await commitVote(pool, juror, id, true)]);
      }
      await time.increaseTo((await pool.round(after, 0n)).commitEndsAt);
      for (const [id, juror, salt] of ballots) await pool.connect(juror).revealDecision(id, true, salt);
      await time.increaseTo((await pool.claim(after)).resolvesAt);
      await pool.resolve(after);
      const paid = (await settleAndRead(pool)).find((p) => p.claimsPaid === 2n)!;
      // 8% of 200 and 5% of 100: 16 + 5 = 21; (300 + 21) / 4 = 80.25 each.
      expect(paid.fee).to.equal(USDC(21));
      expect(paid.share).to.equal(USDC("80.25"));
      expect(await pool.feesAccrued()).to.equal(USDC(21));
    });
  });

  describe("fees across an operator change", function () {
    it("credits the fees earned before the change to the outgoing operator's payout", async function () {
      const setup = await loadFixture(configFixture);
      const { pool, token, operator, successor, alice, bob, carol, dave } = setup;
      for (const m of [alice, bob, carol, dave]) await join(setup, m, USDC(1000));
      await time.increase(91 * DAY);
      const id = await submitClaim(setup, alice, USDC(200));
      await decide(pool, id, true);
      await pool.resolve(id);
      await settleAndRead(pool);
      // 8% of 200 USDC, earned while `operator` held the role.
      expect(await pool.feesAccrued()).to.equal(USDC(16));

      const eta = await propose(setup, 500);
      await time.increaseTo(eta);
      await expect(pool.connect(operator).executeRuleChange())
        .to.emit(pool, "FeesCredited")
        .withArgs(operator.address, USDC(16));
      expect(await pool.feesAccrued()).to.equal(0n);
      expect(await pool.payoutOf(operator.address)).to.equal(USDC(16));
      await expect(pool.connect(successor).withdrawFees())
        .to.be.revertedWithCustomError(pool, "EscrowNothingToWithdraw")
        .withArgs(successor.address);
      await expect(pool.connect(operator).withdrawPayout()).to.changeTokenBalances(
        token,
        [operator, pool],
        [USDC(16), -USDC(16)],
      );
    });

    it("keeps the fees in place when the operator stays", async function () {
      const setup = await loadFixture(configFixture);
      const { pool, operator, roles } = setup;
      await pool.connect(operator).proposeRuleChange(roles, 500);
      await time.increaseTo((await pool.pendingChange()).eta);
      await expect(pool.connect(operator).executeRuleChange()).not.to.emit(pool, "FeesCredited");
      expect((await pool.roles()).operator).to.equal(roles.operator);
    });
  });

  describe("cancelRuleChange", function () {
    it("withdraws the pending change, which can then never be executed", async function () {
      const setup = await loadFixture(configFixture);
      const { pool, operator, roles } = setup;
      const eta = await propose(setup);

      await expect(pool.connect(operator).cancelRuleChange()).to.emit(pool, "RuleChangeCancelled");
      expect((await pool.pendingChange()).eta).to.equal(0n);
      await time.increaseTo(eta);
      await expect(pool.connect(operator).executeRuleChange()).to.be.revertedWithCustomError(
        pool,
        "ConfigNoPendingChange",
      );
      expect([...(await pool.roles())]).to.deep.equal(rolesTuple(roles));
      expect((await pool.rules()).feeBps).to.equal(800n);
    });

    it("reverts when nothing is pending", async function () {
      const { pool, operator } = await loadFixture(configFixture);

      await expect(pool.connect(operator).cancelRuleChange()).to.be.revertedWithCustomError(
        pool,
        "ConfigNoPendingChange",
      );
      await expect(pool.connect(operator).executeRuleChange()).to.be.revertedWithCustomError(
        pool,
        "ConfigNoPendingChange",
      );
    });

    it("reverts when anyone but the operator cancels", async function () {
      const setup = await loadFixture(configFixture);
      await propose(setup);

      for (const caller of [setup.guardian, setup.successor, setup.alice]) {
        await expect(setup.pool.connect(caller).cancelRuleChange())
          .to.be.revertedWithCustomError(setup.pool, "ConfigUnauthorized")
          .withArgs(caller.address);
      }
    });

    it("lets the operator propose again after a cancel, with a fresh delay", async function () {
      const setup = await loadFixture(configFixture);
      await propose(setup);
      await setup.pool.connect(setup.operator).cancelRuleChange();
      const now = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(now);

      await expect(setup.pool.connect(setup.operator).proposeRuleChange(setup.newRoles, 300))
        .to.emit(setup.pool, "RuleChangeProposed")
        .withArgs(rolesTuple(setup.newRoles), 300, now + DELAY);
    });
  });

  describe("pause", function () {
    it("lets the guardian pause and unpause joins", async function () {
      const setup = await loadFixture(configFixture);
      const { pool, guardian, alice } = setup;

      await expect(pool.connect(guardian).pause()).to.emit(pool, "Paused").withArgs(guardian.address);
      expect(await pool.paused()).to.equal(true);
      await expect(join(setup, alice, USDC(1000))).to.be.revertedWithCustomError(pool, "EnforcedPause");

      await expect(pool.connect(guardian).unpause()).to.emit(pool, "Unpaused").withArgs(guardian.address);
      expect(await pool.paused()).to.equal(false);
      await join(setup, alice, USDC(1000));
      expect(await pool.memberCount()).to.equal(1n);
    });

    it("reverts when anyone but the guardian pauses or unpauses", async function () {
      const { pool, operator, assessor, guardian, alice } = await loadFixture(configFixture);

      for (const caller of [operator, assessor, alice]) {
        await expect(pool.connect(caller).pause())
          .to.be.revertedWithCustomError(pool, "ConfigUnauthorized")
          .withArgs(caller.address);
      }
      await pool.connect(guardian).pause();
      for (const caller of [operator, assessor, alice]) {
        await expect(pool.connect(caller).unpause())
          .to.be.revertedWithCustomError(pool, "ConfigUnauthorized")
          .withArgs(caller.address);
      }
      expect(await pool.paused()).to.equal(true);
    });

    it("cannot be paused by anyone when the pool has no guardian", async function () {
      const { pool } = await loadFixture(noGuardianFixture);

      for (const caller of await ethers.getSigners()) {
        await expect(pool.connect(caller).pause())
          .to.be.revertedWithCustomError(pool, "ConfigUnauthorized")
          .withArgs(caller.address);
      }
      expect(await pool.paused()).to.equal(false);
    });

    it("stops a guardian removed by a rule change from pausing", async function () {
      const setup = await loadFixture(configFixture);
      const { pool, operator, guardian, roles } = setup;
      await pool.connect(operator).proposeRuleChange({ ...roles, guardian: ethers.ZeroAddress }, 800);
      await time.increase(DELAY);
      await pool.connect(operator).executeRuleChange();

      await expect(pool.connect(guardian).pause())
        .to.be.revertedWithCustomError(pool, "ConfigUnauthorized")
        .withArgs(guardian.address);
    });
  });
  describe("rule minimums (checked by the factory before the pool exists)", function () {
    async function rulesFixture() {
      const factory = await deployFactory();
      const token = await ethers.deployContract("MockERC20", ["Test USD", "TUSD", 6]);
      const [, operator] = await ethers.getSigners();
      const rules = defaultRules(await token.getAddress());
      const roles: Roles = {
        operator: operator.address,
        verifier: ethers.ZeroAddress,
        assessor: ethers.ZeroAddress,
        guardian: ethers.ZeroAddress,
      };
      return { factory, rules, roles, token };
    }

    it("accepts the default rules", async function () {
      const { factory, rules, roles } = await loadFixture(rulesFixture);
      await expect(factory.createPool(rules, roles)).to.emit(factory, "PoolCreated");
    });

    it("requires a quorum above half of the seats and at most all of them", async function () {
      const { factory, rules, roles } = await loadFixture(rulesFixture);
      for (const quorumBps of [5_000, 10_001]) {
        await expect(factory.createPool({ ...rules, quorumBps }, roles))
          .to.be.revertedWithCustomError(factory, "ConfigInvalidQuorum")
          .withArgs(quorumBps);
      }
      for (const quorumBps of [5_001, 10_000]) {
        await expect(factory.createPool({ ...rules, quorumBps }, roles)).to.emit(factory, "PoolCreated");
      }
    });

    it("requires an approval threshold above half of the revealed votes and at most all of them", async function () {
      const { factory, rules, roles } = await loadFixture(rulesFixture);
      for (const approvalThresholdBps of [5_000, 10_001]) {
        await expect(factory.createPool({ ...rules, approvalThresholdBps }, roles))
          .to.be.revertedWithCustomError(factory, "ConfigInvalidThreshold")
          .withArgs(approvalThresholdBps);
      }
    });

    it("requires an odd jury of at least 3 and at least one appeal round", async function () {
      const { factory, rules, roles } = await loadFixture(rulesFixture);
      for (const [jurySize, maxAppealRounds] of [
        [1, 1],
        [2, 1],
        [4, 1],
        [3, 0],
      ]) {
        await expect(factory.createPool({ ...rules, jurySize, maxAppealRounds }, roles))
          .to.be.revertedWithCustomError(factory, "ConfigInvalidJury")
          .withArgs(jurySize, maxAppealRounds);
      }
    });

    it("requires the last appeal jury to fit 127 seats", async function () {
      const { factory, rules, roles } = await loadFixture(rulesFixture);
      // 3 -> 7 -> 15 -> 31 -> 63 -> 127 fits; a sixth appeal would seat 255.
      const tall = { ...rules, maxAppealRounds: 5, waitingPeriod: 14 * DAY + 6 * 7 * DAY };
      await expect(factory.createPool(tall, roles)).to.emit(factory, "PoolCreated");
      const taller = { ...rules, maxAppealRounds: 6, waitingPeriod: 14 * DAY + 7 * 7 * DAY };
      await expect(factory.createPool(taller, roles))
        .to.be.revertedWithCustomError(factory, "ConfigInvalidJury")
        .withArgs(3, 6);
      await expect(factory.createPool({ ...rules, jurySize: 65 }, roles))
        .to.be.revertedWithCustomError(factory, "ConfigInvalidJury")
        .withArgs(65, 1);
      await expect(factory.createPool({ ...rules, jurySize: 63 }, roles)).to.emit(factory, "PoolCreated");
    });

    for (const field of ["claimBond", "appealBond", "jurorPenalty"] as const) {
      it(`requires a non-zero ${field}`, async function () {
        const { factory, rules, roles } = await loadFixture(rulesFixture);
        await expect(factory.createPool({ ...rules, [field]: 0 }, roles)).to.be.revertedWithCustomError(
          factory,
          "ConfigZeroBond",
        );
      });
    }

    it("requires a waiting period of at least one period plus the claim timetable", async function () {
      const { factory, rules, roles } = await loadFixture(rulesFixture);
      const required = 14 * DAY + TIMETABLE;
      await expect(factory.createPool({ ...rules, waitingPeriod: required - 1 }, roles))
        .to.be.revertedWithCustomError(factory, "ConfigWaitingPeriodTooShort")
        .withArgs(required - 1, required);
      await expect(factory.createPool({ ...rules, waitingPeriod: required }, roles)).to.emit(factory, "PoolCreated");
    });

    it("requires a lapse grace of at least one period", async function () {
      const { factory, rules, roles } = await loadFixture(rulesFixture);
      await expect(factory.createPool({ ...rules, lapseGrace: 14 * DAY - 1 }, roles))
        .to.be.revertedWithCustomError(factory, "ConfigLapseGraceTooShort")
        .withArgs(14 * DAY - 1, 14 * DAY);
      await expect(factory.createPool({ ...rules, lapseGrace: 14 * DAY }, roles)).to.emit(factory, "PoolCreated");
    });

    it("requires a randomness source with code, or none", async function () {
      const { factory, rules, roles } = await loadFixture(rulesFixture);
      const [, , , , , eoa] = await ethers.getSigners();
      await expect(factory.createPool({ ...rules, randomness: eoa.address }, roles))
        .to.be.revertedWithCustomError(factory, "ConfigInvalidRandomness")
        .withArgs(eoa.address);
      const vrf = await ethers.deployContract("MockJuryRandomness");
      await expect(factory.createPool({ ...rules, randomness: await vrf.getAddress() }, roles)).to.emit(
        factory,
        "PoolCreated",
      );
    });

    it("refuses amounts whose charge index could pass 88 bits within a century", async function () {
      const { factory, rules, roles } = await loadFixture(rulesFixture);
      // A share of 2.2 x 10^23 per 14-day period for a century (2,608 periods) passes 2^88 (about 3.1 x 10^26).
      const cap = 2n * 10n ** 22n;
      const largest = 10n * cap + (10n * cap) / 10n + 1n;
      const big = {
        ...rules,
        capPerMember: cap,
        maxClaimsPerPeriod: 10,
        minBalance: largest,
        minDeposit: largest,
        maxClaimAmount: cap,
      };
      await expect(factory.createPool(big, roles))
        .to.be.revertedWithCustomError(factory, "ConfigAmountsTooLarge")
        .withArgs(largest);
    });
  });
});
