import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { PoolFactory } from "../../typechain-types";
import {
  createPool,
  defaultRules,
  deployFactory,
  join,
  NO_ATTESTATION,
  USDC,
  type Roles,
  type Rules,
} from "../helpers/fixtures";

const MAX_FEE_BPS = 1_000n;
const BPS = 10_000n;

/** The struct as the event returns it: fields in declaration order. */
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
  ];
}

function rolesTuple(r: Roles) {
  return [r.operator, r.verifier, r.assessor, r.guardian];
}

/** The least minimum balance the pool accepts: every claim at its cap, the largest fee, one unit a settle call. */
function requiredMinBalance(maxClaims: bigint, capPerMember: bigint): bigint {
  const perPeriod = maxClaims * capPerMember;
  return perPeriod + (perPeriod * MAX_FEE_BPS) / BPS + (maxClaims + 179n) / 180n;
}

/** EIP-1167 minimal proxy runtime code delegating to `implementation`, followed by the clone's immutable args. */
function minimalProxyCode(implementation: string, args = "0x"): string {
  return `0x363d3d373d3d3d363d73${implementation.slice(2).toLowerCase()}5af43d82803e903d91602b57fd5bf3${args.slice(2)}`;
}

/** The rules as the factory writes them into a clone's code: `abi.encode(rules)`. */
function encodedRules(factory: PoolFactory, rules: Rules): string {
  const input = factory.interface.getFunction("createPool").inputs[0];
  return ethers.AbiCoder.defaultAbiCoder().encode([input], [rules]);
}

async function factoryFixture() {
  const [, operator, guardian, assessor, alice, bob] = await ethers.getSigners();
  const token = await ethers.deployContract("MockERC20", ["Test USD", "TUSD", 6]);
  const factory = await deployFactory();
  const implementation = await ethers.getContractAt("HuzhuPool", await factory.implementation());
  const asset = await token.getAddress();
  const rules = defaultRules(asset);
  const roles: Roles = {
    operator: operator.address,
    verifier: ethers.ZeroAddress,
    assessor: assessor.address,
    guardian: guardian.address,
  };
  return { token, factory, implementation, asset, rules, roles, operator, guardian, assessor, alice, bob };
}

describe("PoolFactory", function () {
  describe("createPool", function () {
    it("emits PoolCreated with the pool, its asset, its operator, its rules and its roles", async function () {
      const { factory, asset, rules, roles, operator } = await loadFixture(factoryFixture);
      const predicted = await factory.createPool.staticCall(rules, roles);

      await expect(factory.createPool(rules, roles))
        .to.emit(factory, "PoolCreated")
        .withArgs(predicted, asset, operator.address, rulesTuple(rules), rolesTuple(roles));
    });

    it("creates each pool as a minimal clone of the implementation, its rules as the clone's immutable args", async function () {
      const { factory, rules, roles } = await loadFixture(factoryFixture);
      const pool = await createPool(factory, rules, roles);

      expect(await ethers.provider.getCode(await pool.getAddress())).to.equal(
        minimalProxyCode(await factory.implementation(), encodedRules(factory, rules)),
      );
    });

    it("keeps the rules in code, not storage: a timelocked fee change moves only the fee and leaves the code as created", async function () {
      const { factory, rules, roles, operator } = await loadFixture(factoryFixture);
      const pool = await createPool(factory, rules, roles);
      const address = await pool.getAddress();
      const code = await ethers.provider.getCode(address);

      await pool.connect(operator).proposeRuleChange(roles, 700);
      await time.increase(await pool.changeDelay());
      await pool.connect(operator).executeRuleChange();

      expect(await ethers.provider.getCode(address)).to.equal(code);
      const after = [...(await pool.rules())];
      const expected = rulesTuple({ ...rules, feeBps: 700 }).map((v, i) => (i < 2 ? v : BigInt(v as bigint)));
      expect(after).to.deep.equal(expected);
    });

    it("initializes the new pool with the given rules and roles", async function () {
      const { factory, rules, roles } = await loadFixture(factoryFixture);
      const pool = await createPool(factory, rules, roles);

      expect([...(await pool.rules())]).to.deep.equal(
        rulesTuple(rules).map((v, i) => (i < 2 ? v : BigInt(v as bigint))),
      );
      expect([...(await pool.roles())]).to.deep.equal(rolesTuple(roles));
    });

    it("registers every pool it creates: isPool, poolCount and poolAt", async function () {
      const { factory, token, implementation, rules, roles, alice } = await loadFixture(factoryFixture);
      expect(await factory.poolCount()).to.equal(0n);

      const first = await createPool(factory, rules, roles);
      const second = await createPool(factory, { ...rules, feeBps: 500 }, roles);

      expect(await factory.poolCount()).to.equal(2n);
      expect(await factory.poolAt(0)).to.equal(await first.getAddress());
      expect(await factory.poolAt(1)).to.equal(await second.getAddress());
      expect(await factory.isPool(await first.getAddress())).to.equal(true);
      expect(await factory.isPool(await second.getAddress())).to.equal(true);
      expect(await factory.isPool(await implementation.getAddress())).to.equal(false);
      expect(await factory.isPool(await token.getAddress())).to.equal(false);
      expect(await factory.isPool(alice.address)).to.equal(false);
      await expect(factory.poolAt(2)).to.be.revertedWithPanic(0x32);
    });

    it("does not register a pool whose rules are rejected", async function () {
      const { factory, rules, roles } = await loadFixture(factoryFixture);

      await expect(factory.createPool({ ...rules, quorumBps: 0 }, roles))
        .to.be.revertedWithCustomError(factory, "ConfigInvalidQuorum")
        .withArgs(0);
      expect(await factory.poolCount()).to.equal(0n);
    });
  });

  describe("open pools", function () {
    it("creates a pool without a verifier, which reports itself open, when the factory accepts open pools", async function () {
      const { factory, rules, roles } = await loadFixture(factoryFixture);
      expect(await factory.refusesOpenPools()).to.equal(false);
      const pool = await createPool(factory, rules, roles);
      expect(await pool.isOpenPool()).to.equal(true);
    });

    it("refuses a pool without a verifier when the factory refuses open pools", async function () {
      const { rules, roles } = await loadFixture(factoryFixture);
      const strict = await deployFactory(true);
      expect(await strict.refusesOpenPools()).to.equal(true);
      await expect(strict.createPool(rules, roles)).to.be.revertedWithCustomError(strict, "FactoryOpenPoolRefused");
      expect(await strict.poolCount()).to.equal(0n);
    });

    it("creates a pool with a verifier when the factory refuses open pools, and it is not open", async function () {
      const { rules, roles, alice } = await loadFixture(factoryFixture);
      const strict = await deployFactory(true);
      const pool = await createPool(strict, rules, { ...roles, verifier: alice.address });
      expect(await pool.isOpenPool()).to.equal(false);
      expect(await strict.isPool(await pool.getAddress())).to.equal(true);
    });

    it("checks the open-pool policy before the rules", async function () {
      const { rules, roles } = await loadFixture(factoryFixture);
      const strict = await deployFactory(true);
      await expect(strict.createPool({ ...rules, feeBps: 1_001 }, roles)).to.be.revertedWithCustomError(
        strict,
        "FactoryOpenPoolRefused",
      );
    });
  });

  describe("isolation", function () {
    it("keeps members apart: a member of one pool is not a member of another", async function () {
      const { factory, token, rules, roles, alice } = await loadFixture(factoryFixture);
      const poolA = await createPool(factory, rules, roles);
      const poolB = await createPool(factory, rules, roles);

      await join({ token, pool: poolA }, alice, USDC(1000), "alice");

      expect(await poolA.memberCount()).to.equal(1n);
      expect(await poolA.statusOf(alice.address)).to.equal(1n); // Waiting
      expect(await poolB.memberCount()).to.equal(0n);
      expect(await poolB.statusOf(alice.address)).to.equal(0n); // None
      expect(await poolB.balanceOf(alice.address)).to.equal(0n);
      await expect(poolB.connect(alice).withdraw(USDC(1)))
        .to.be.revertedWithCustomError(poolB, "UnexpectedMemberStatus")
        .withArgs(alice.address, 0);
      // Each pool has its own commitment registry: the same identity may join another pool.
      await join({ token, pool: poolB }, alice, USDC(1000), "alice");
      expect(await poolB.memberCount()).to.equal(1n);
    });

    it("keeps tokens apart: a deposit in one pool is held by that pool only", async function () {
      const { factory, token, rules, roles, alice, bob } = await loadFixture(factoryFixture);
      const poolA = await createPool(factory, rules, roles);
      const poolB = await createPool(factory, { ...rules, feeBps: 500 }, roles);

      await join({ token, pool: poolA }, alice, USDC(1000), "alice");
      await join({ token, pool: poolB }, bob, USDC(300), "bob");

      expect(await token.balanceOf(await poolA.getAddress())).to.equal(USDC(1000));
      expect(await token.balanceOf(await poolB.getAddress())).to.equal(USDC(300));
      expect(await poolA.balanceOf(bob.address)).to.equal(0n);
      expect(await poolB.balanceOf(alice.address)).to.equal(0n);
      expect((await poolA.rules()).feeBps).to.equal(800n);
      expect((await poolB.rules()).feeBps).to.equal(500n);
      // Bob cannot take more from pool B than his own deposit, though pool A holds more.
      await expect(poolB.connect(bob).withdraw(USDC(1000)))
        .to.be.revertedWithCustomError(poolB, "MemberInsufficientBalance")
        .withArgs(bob.address, USDC(300), USDC(1001));
    });
  });

  describe("initialization", function () {
    it("leaves the implementation inert: paused for good, no guardian, nobody can join it", async function () {
      const { implementation, token, alice } = await loadFixture(factoryFixture);
      const address = await implementation.getAddress();

      expect(await implementation.paused()).to.equal(true);
      expect((await implementation.roles()).guardian).to.equal(ethers.ZeroAddress);
      await token.mint(alice.address, USDC(100));
      await token.connect(alice).approve(address, USDC(100));
      await expect(
        implementation.connect(alice).join(USDC(100), ethers.id("alice"), NO_ATTESTATION),
      ).to.be.revertedWithCustomError(implementation, "EnforcedPause");
      await expect(implementation.connect(alice).unpause())
        .to.be.revertedWithCustomError(implementation, "ConfigUnauthorized")
        .withArgs(alice.address);
      await expect(
        implementation.connect(alice).submitClaim(USDC(1), ethers.id("evidence"), ""),
      ).to.be.revertedWithCustomError(implementation, "EnforcedPause");
    });

    it("reverts when anyone initializes the implementation", async function () {
      const { implementation, rules, roles, alice } = await loadFixture(factoryFixture);

      await expect(implementation.connect(alice).initialize(rules, roles)).to.be.revertedWithCustomError(
        implementation,
        "InvalidInitialization",
      );
    });

    it("reverts when a clone is initialized a second time", async function () {
      const { factory, rules, roles, alice } = await loadFixture(factoryFixture);
      const pool = await createPool(factory, rules, roles);
      const hostileRoles = { ...roles, operator: alice.address };

      await expect(pool.connect(alice).initialize(rules, hostileRoles)).to.be.revertedWithCustomError(
        pool,
        "InvalidInitialization",
      );
      expect((await pool.roles()).operator).to.equal(roles.operator);
    });
  });

  describe("rule validation", function () {
    it("reverts when the asset is the zero address", async function () {
      const { factory, rules, roles } = await loadFixture(factoryFixture);

      await expect(factory.createPool({ ...rules, asset: ethers.ZeroAddress }, roles))
        .to.be.revertedWithCustomError(factory, "ConfigInvalidAsset")
        .withArgs(ethers.ZeroAddress);
    });

    it("reverts when the asset is an account without code", async function () {
      const { factory, rules, roles, alice } = await loadFixture(factoryFixture);

      await expect(factory.createPool({ ...rules, asset: alice.address }, roles))
        .to.be.revertedWithCustomError(factory, "ConfigInvalidAsset")
        .withArgs(alice.address);
    });

    it("reverts when the operator is the zero address", async function () {
      const { factory, rules, roles } = await loadFixture(factoryFixture);

      await expect(factory.createPool(rules, { ...roles, operator: ethers.ZeroAddress })).to.be.revertedWithCustomError(
        factory,
        "ConfigZeroOperator",
      );
    });

    it("reverts when the fee is above 10%, and accepts exactly 10%", async function () {
      const { factory, rules, roles } = await loadFixture(factoryFixture);

      await expect(factory.createPool({ ...rules, feeBps: 1001 }, roles))
        .to.be.revertedWithCustomError(factory, "ConfigFeeAboveMaximum")
        .withArgs(1001, 1000);
      await expect(factory.createPool({ ...rules, feeBps: 1000 }, roles)).to.emit(factory, "PoolCreated");
    });

    for (const field of ["periodLength", "commitWindow", "revealWindow", "appealWindow"] as const) {
      it(`reverts when the ${field} is zero`, async function () {
        const { factory, rules, roles } = await loadFixture(factoryFixture);

        await expect(factory.createPool({ ...rules, [field]: 0 }, roles)).to.be.revertedWithCustomError(
          factory,
          "ConfigZeroDuration",
        );
      });
    }

    it("reverts when the approval threshold is 50% or less, or above 100%, and accepts exactly 100%", async function () {
      const { factory, rules, roles } = await loadFixture(factoryFixture);

      await expect(factory.createPool({ ...rules, approvalThresholdBps: 5_000 }, roles))
        .to.be.revertedWithCustomError(factory, "ConfigInvalidThreshold")
        .withArgs(5_000);
      await expect(factory.createPool({ ...rules, approvalThresholdBps: 5_001 }, roles)).to.emit(
        factory,
        "PoolCreated",
      );
      await expect(factory.createPool({ ...rules, approvalThresholdBps: 10_001 }, roles))
        .to.be.revertedWithCustomError(factory, "ConfigInvalidThreshold")
        .withArgs(10_001);
      await expect(factory.createPool({ ...rules, approvalThresholdBps: 10_000 }, roles)).to.emit(
        factory,
        "PoolCreated",
      );
    });

    for (const field of ["maxClaimAmount", "capPerMember", "maxClaimsPerPeriod"] as const) {
      it(`reverts when the ${field} is zero`, async function () {
        const { factory, rules, roles } = await loadFixture(factoryFixture);

        await expect(factory.createPool({ ...rules, [field]: 0 }, roles)).to.be.revertedWithCustomError(
          factory,
          "ConfigZeroClaimLimit",
        );
      });
    }

    it("reverts when the minimum balance is one unit below the largest share, and accepts it at the share", async function () {
      const { factory, rules, roles } = await loadFixture(factoryFixture);
      // 5 claims x 0.1 USDC = 0.5 USDC, plus the 10% maximum fee, plus one unit.
      const required = requiredMinBalance(5n, USDC("0.1"));
      expect(required).to.equal(550_001n);

      await expect(factory.createPool({ ...rules, minBalance: required - 1n }, roles))
        .to.be.revertedWithCustomError(factory, "ConfigMinBalanceTooLow")
        .withArgs(required - 1n, required);
      await expect(factory.createPool({ ...rules, minBalance: required }, roles)).to.emit(factory, "PoolCreated");
    });

    it("computes the largest share with the maximum fee rounded down", async function () {
      const { factory, rules, roles } = await loadFixture(factoryFixture);
      // 3 x 33,333 = 99,999; 10% of it is 9,999.9, rounded down to 9,999; plus one unit: 109,999.
      const required = requiredMinBalance(3n, 33_333n);
      expect(required).to.equal(109_999n);

      await expect(
        factory.createPool({ ...rules, maxClaimsPerPeriod: 3, capPerMember: 33_333n, minBalance: 109_998n }, roles),
      )
        .to.be.revertedWithCustomError(factory, "ConfigMinBalanceTooLow")
        .withArgs(109_998n, 109_999n);
      await expect(
        factory.createPool({ ...rules, maxClaimsPerPeriod: 3, capPerMember: 33_333n, minBalance: 109_999n }, roles),
      ).to.emit(factory, "PoolCreated");
    });

    it("reverts when a raised cap per member is not matched by the minimum balance", async function () {
      const { factory, rules, roles } = await loadFixture(factoryFixture);
      const required = requiredMinBalance(5n, USDC(100));
      expect(required).to.equal(USDC(550) + 1n);

      await expect(factory.createPool({ ...rules, capPerMember: USDC(100) }, roles))
        .to.be.revertedWithCustomError(factory, "ConfigMinBalanceTooLow")
        .withArgs(USDC(1), required);
    });

    it("reverts when the minimum deposit is below the minimum balance, and accepts it equal", async function () {
      const { factory, rules, roles } = await loadFixture(factoryFixture);

      await expect(factory.createPool({ ...rules, minDeposit: USDC(1) - 1n, minBalance: USDC(1) }, roles))
        .to.be.revertedWithCustomError(factory, "ConfigMinDepositTooLow")
        .withArgs(USDC(1) - 1n, USDC(1));
      await expect(factory.createPool({ ...rules, minDeposit: USDC(1), minBalance: USDC(1) }, roles)).to.emit(
        factory,
        "PoolCreated",
      );
    });

    it("reverts when the annual cap is below the largest share, and accepts it at the share", async function () {
      const { factory, rules, roles } = await loadFixture(factoryFixture);
      const required = requiredMinBalance(5n, USDC("0.1"));

      await expect(factory.createPool({ ...rules, annualChargeCap: required - 1n }, roles))
        .to.be.revertedWithCustomError(factory, "ConfigAnnualCapTooLow")
        .withArgs(required - 1n, required);
      await expect(factory.createPool({ ...rules, annualChargeCap: required }, roles)).to.emit(factory, "PoolCreated");
    });
  });
});
