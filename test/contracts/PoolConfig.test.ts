import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  createPool,
  defaultRules,
  deployPool,
  endPeriod,
  join,
  submitClaim,
  voteOn,
  DAY,
  USDC,
  type Roles,
  type Rules,
} from "../helpers/fixtures";

const DELAY = 14 * DAY + 3 * DAY + 2 * DAY; // one period plus both vote windows of the default rules
const MONEY_RULES = { capPerMember: USDC(100), minBalance: USDC(600), minDeposit: USDC(600) };

function rulesTuple(r: Rules) {
  return [
    r.asset,
    r.waitingPeriod,
    r.periodLength,
    r.commitWindow,
    r.minDeposit,
    r.minBalance,
    r.maxClaimsPerPeriod,
    r.feeBps,
    r.maxClaimAmount,
    r.capPerMember,
    r.revealWindow,
    r.quorum,
    r.approvalThresholdBps,
    r.claimBond,
    r.annualChargeCap,
  ].map((v, i) => (i === 0 ? v : BigInt(v as bigint)));
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

    it("sets the change delay to one period plus both vote windows", async function () {
      const { pool, factory, token, roles } = await loadFixture(configFixture);
      expect(await pool.changeDelay()).to.equal(DELAY);

      const other = await createPool(
        factory,
        defaultRules(await token.getAddress(), { periodLength: 7 * DAY, commitWindow: DAY, revealWindow: DAY / 2 }),
        roles,
      );
      expect(await other.changeDelay()).to.equal(7 * DAY + DAY + DAY / 2);
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
      await voteOn(pool, id, [
        [bob, true],
        [carol, true],
        [dave, true],
      ]);
      await pool.resolve(id);
      const period = await pool.currentPeriod();
      await endPeriod(pool, period);
      for (let p = 0n; p <= period; p++) await pool.settle(p);

      // 200 USDC paid at the new 5% fee: 10 USDC, shared by 4 members at 52.5 USDC each.
      expect((await pool.settlement(period)).fee).to.equal(USDC(10));
      expect((await pool.settlement(period)).share).to.equal(USDC("52.5"));
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

  describe("fees across an operator change", function () {
    it("credits the fees earned before the change to the outgoing operator's payout", async function () {
      const setup = await loadFixture(configFixture);
      const { pool, token, operator, successor, alice, bob, carol, dave } = setup;
      for (const m of [alice, bob, carol, dave]) await join(setup, m, USDC(1000));
      await time.increase(91 * DAY);
      const id = await submitClaim(setup, alice, USDC(200));
      await voteOn(pool, id, [
        [bob, true],
        [carol, true],
        [dave, true],
      ]);
      await pool.resolve(id);
      const period = await pool.currentPeriod();
      await endPeriod(pool, period);
      for (let p = 0n; p <= period; p++) await pool.settle(p);
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
});
