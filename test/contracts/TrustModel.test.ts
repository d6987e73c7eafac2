import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HuzhuPool } from "../../typechain-types";
import {
  commitmentOf,
  commitVote,
  createPool,
  defaultRules,
  deployPool,
  endPeriod,
  fund,
  join,
  saltOf,
  submitClaim,
  voteOn,
  DAY,
  NO_ATTESTATION,
  USDC,
  type Roles,
} from "../helpers/fixtures";

// Claims up to 100 USDC a member: the minimum balance covers 5 x 100 + 10% + 1 unit.
const MONEY_RULES = { capPerMember: USDC(100), minBalance: USDC(600), minDeposit: USDC(600) };

// MemberStatus and ClaimState as the contracts number them.
const WAITING = 1;
const ACTIVE = 2;
const LAPSED = 4;
const EXITED = 5;
const COMMITTING = 1;
const REVEALING = 2;
const RESOLVABLE = 3;
const APPROVED = 4;
const REJECTED = 5;
const NO_QUORUM = 6;

const EVIDENCE = ethers.keccak256(ethers.toUtf8Bytes("evidence"));
const REVIEW = ethers.keccak256(ethers.toUtf8Bytes("assessor review"));

/**
 * Five members with 1,000 USDC and frank with exactly the minimum balance (600 USDC), all past
 * the waiting period. A 200 USDC claim then costs each of the 6 members (200 + 8% fee) / 6 = 36 USDC.
 */
async function membersFixture() {
  const setup = await deployPool(MONEY_RULES);
  const [alice, bob, carol, dave, erin, frank, grace, verifier] = setup.members;
  for (const m of [alice, bob, carol, dave, erin]) await join(setup, m, USDC(1000));
  await join(setup, frank, USDC(600));
  await time.increase(91 * DAY);
  const everyone = [alice, bob, carol, dave, erin, frank];
  return { ...setup, alice, bob, carol, dave, erin, frank, grace, verifier, everyone };
}

/** Alice has a 200 USDC claim in its commit window. */
async function claimFixture() {
  const setup = await membersFixture();
  const claimId = await submitClaim(setup, setup.alice, USDC(200));
  const claimPeriod = await setup.pool.currentPeriod();
  return { ...setup, claimId, claimPeriod };
}

type ClaimSetup = Awaited<ReturnType<typeof claimFixture>>;

/** Bob, carol and dave approve the claim, and it is resolved. */
async function approveAndResolve(setup: ClaimSetup) {
  await voteOn(setup.pool, setup.claimId, [
    [setup.bob, true],
    [setup.carol, true],
    [setup.dave, true],
  ]);
  await setup.pool.resolve(setup.claimId);
}

/** Settles every period from the next one to `last`, once `last` has ended. */
async function settleThrough(pool: HuzhuPool, last: bigint, caller?: HardhatEthersSigner) {
  await endPeriod(pool, last);
  const settler = caller ? pool.connect(caller) : pool;
  for (let p = await pool.nextPeriodToSettle(); p <= last; p++) await settler.settle(p);
}

/** The claim approved and paid: every member charged 36 USDC, alice credited 205 USDC, 16 USDC of fee. */
async function settledFixture() {
  const setup = await claimFixture();
  await approveAndResolve(setup);
  await settleThrough(setup.pool, setup.claimPeriod);
  return setup;
}

/** The claim in its commit window, and the guardian has paused the pool. */
async function pausedFixture() {
  const setup = await claimFixture();
  await setup.pool.connect(setup.guardian).pause();
  return setup;
}

/** A pool with an identity verifier, nobody joined yet. */
async function verifierFixture() {
  const signers = await ethers.getSigners();
  const verifier = signers[12]; // not one of the members used below
  const setup = await deployPool({}, { verifier: verifier.address });
  const [alice] = setup.members;
  return { ...setup, alice, verifier };
}

/** Everything a role could change about the members' money, to compare before and after. */
async function moneyState(setup: Awaited<ReturnType<typeof membersFixture>>) {
  const { pool, token, everyone } = setup;
  return {
    held: await token.balanceOf(await pool.getAddress()),
    balances: await Promise.all(everyone.map((m) => pool.balanceOf(m.address))),
    wallets: await Promise.all(everyone.map((m) => token.balanceOf(m.address))),
    payouts: await Promise.all(everyone.map((m) => pool.payoutOf(m.address))),
    fees: await pool.feesAccrued(),
    carry: [...(await pool.carry())],
    memberCount: await pool.memberCount(),
  };
}

/** The names of every function of the pool that can change state. */
function stateChangingFunctions(pool: HuzhuPool): string[] {
  const names: string[] = [];
  pool.interface.forEachFunction((f) => {
    if (!f.constant) names.push(f.name);
  });
  return names.sort();
}

async function signAttestation(
  pool: HuzhuPool,
  verifier: HardhatEthersSigner,
  member: string,
  commitment: string,
  deadline: number,
) {
  const { chainId } = await ethers.provider.getNetwork();
  const domain = { name: "Huzhu Pool", version: "1", chainId, verifyingContract: await pool.getAddress() };
  const types = {
    Attestation: [
      { name: "member", type: "address" },
      { name: "commitment", type: "bytes32" },
      { name: "deadline", type: "uint256" },
    ],
  };
  const signature = await verifier.signTypedData(domain, types, { member, commitment, deadline });
  return { deadline, signature };
}

/** A pool holding `asset` (a hostile token), created through the factory with the default rules. */
async function poolFor(asset: string) {
  const [, operator, guardian, assessor, alice, bob, carol] = await ethers.getSigners();
  const factory = await ethers.deployContract("PoolFactory");
  const roles: Roles = {
    operator: operator.address,
    verifier: ethers.ZeroAddress,
    assessor: assessor.address,
    guardian: guardian.address,
  };
  const pool = await createPool(factory, defaultRules(asset), roles);
  return { pool, operator, alice, bob, carol };
}

async function feeOnTransferFixture() {
  const token = await ethers.deployContract("FeeOnTransferToken");
  return { token, ...(await poolFor(await token.getAddress())) };
}

async function noReturnFixture() {
  const token = await ethers.deployContract("NoReturnToken");
  return { token, ...(await poolFor(await token.getAddress())) };
}

/**
 * A reentrant token that is itself a member with 10 USDC (so that a hooked `withdraw` is a call
 * that succeeds when it does not re-enter), and alice a member with 1,000 USDC. The hook is off.
 */
async function reentrantFixture() {
  const token = await ethers.deployContract("ReentrantToken");
  const setup = { token, ...(await poolFor(await token.getAddress())) };
  const { pool, alice, bob, carol } = setup;
  const tokenAddress = await token.getAddress();
  const poolAddress = await pool.getAddress();
  // The hook calls from the token's own address: first it approves the pool, then it joins.
  await token.mint(bob.address, 10n);
  await token.setHook(tokenAddress, token.interface.encodeFunctionData("approve", [poolAddress, ethers.MaxUint256]));
  await token.connect(bob).transfer(carol.address, 1n);
  await token.mint(tokenAddress, USDC(10));
  await token.setHook(
    poolAddress,
    pool.interface.encodeFunctionData("join", [USDC(10), commitmentOf("token"), NO_ATTESTATION]),
  );
  await token.connect(bob).transfer(carol.address, 1n);
  await token.setHook(ethers.ZeroAddress, "0x");
  await token.mint(alice.address, USDC(1000));
  await token.connect(alice).approve(poolAddress, USDC(1000));
  await pool.connect(alice).join(USDC(1000), commitmentOf("alice"), NO_ATTESTATION);
  const hookedWithdraw = pool.interface.encodeFunctionData("withdraw", [USDC(1)]);
  return { ...setup, tokenAddress, poolAddress, hookedWithdraw };
}

describe("TrustModel", function () {
  describe("operator", function () {
    it("cannot move member funds: no pool function called by the operator changes a balance", async function () {
      const setup = await loadFixture(claimFixture);
      const { pool, token, operator, assessor, guardian, alice, everyone, claimId } = setup;
      const poolAddress = await pool.getAddress();
      // Alice leaves a standing unlimited approval and 500 USDC in her wallet.
      await token.mint(alice.address, USDC(500));
      await token.connect(alice).approve(poolAddress, ethers.MaxUint256);
      const before = await moneyState(setup);
      expect(before.held).to.equal(USDC(5600) + USDC(5)); // deposits plus alice's bond
      expect(before.balances).to.deep.equal([...Array(5).fill(USDC(1000)), USDC(600)]);
      expect(before.wallets).to.deep.equal([USDC(500), 0n, 0n, 0n, 0n, 0n]);
      const operatorWallet = await token.balanceOf(operator.address);
      const sameRoles: Roles = {
        operator: operator.address,
        verifier: ethers.ZeroAddress,
        assessor: assessor.address,
        guardian: guardian.address,
      };
      const asOperator = pool.connect(operator);
      const addresses = everyone.map((m) => m.address);
      let eta = 0n;

      const calls: Record<string, () => Promise<void>> = {
        initialize: () =>
          expect(asOperator.initialize(defaultRules(poolAddress), sameRoles)).to.be.revertedWithCustomError(
            pool,
            "InvalidInitialization",
          ),
        join: () =>
          expect(asOperator.join(USDC(1000), commitmentOf("operator"), NO_ATTESTATION))
            .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
            .withArgs(poolAddress, 0, USDC(1000)),
        joinWithPermit: () =>
          expect(
            asOperator.joinWithPermit(USDC(1000), commitmentOf("operator"), NO_ATTESTATION, {
              deadline: 0,
              v: 27,
              r: ethers.ZeroHash,
              s: ethers.ZeroHash,
            }),
          )
            .to.be.revertedWithCustomError(pool, "MemberPermitFailed")
            .withArgs(operator.address, 0, USDC(1000)),
        topUp: () =>
          expect(asOperator.topUp(USDC(1)))
            .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
            .withArgs(operator.address, 0),
        requestExit: () =>
          expect(asOperator.requestExit())
            .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
            .withArgs(operator.address, 0),
        completeExit: () =>
          expect(asOperator.completeExit(alice.address))
            .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
            .withArgs(alice.address, ACTIVE),
        withdraw: () =>
          expect(asOperator.withdraw(USDC(1)))
            .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
            .withArgs(operator.address, 0),
        lapse: () =>
          expect(asOperator.lapse(alice.address))
            .to.be.revertedWithCustomError(pool, "MemberFunded")
            .withArgs(alice.address, USDC(1000), USDC(600)),
        lapseBatch: async () => {
          expect(await asOperator.lapseBatch.staticCall(addresses)).to.equal(0n);
          await asOperator.lapseBatch(addresses);
        },
        submitClaim: () =>
          expect(asOperator.submitClaim(USDC(200), EVIDENCE, ""))
            .to.be.revertedWithCustomError(pool, "ClaimantNotActive")
            .withArgs(operator.address, 0),
        attachReview: () =>
          expect(asOperator.attachReview(claimId, REVIEW))
            .to.be.revertedWithCustomError(pool, "ConfigUnauthorized")
            .withArgs(operator.address),
        commitVote: () =>
          expect(asOperator.commitVote(claimId, ethers.id("vote")))
            .to.be.revertedWithCustomError(pool, "VoterNotEligible")
            .withArgs(claimId, operator.address),
        revealVote: () =>
          expect(asOperator.revealVote(claimId, true, saltOf("operator")))
            .to.be.revertedWithCustomError(pool, "UnexpectedClaimState")
            .withArgs(claimId, COMMITTING, REVEALING),
        resolve: () =>
          expect(asOperator.resolve(claimId))
            .to.be.revertedWithCustomError(pool, "UnexpectedClaimState")
            .withArgs(claimId, COMMITTING, RESOLVABLE),
        // Settling is the operator's keeper duty: an ended period with nothing approved charges nothing.
        settle: () =>
          expect(asOperator.settle(0)).to.emit(pool, "PeriodSettled").withArgs(0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        withdrawPayout: () =>
          expect(asOperator.withdrawPayout())
            .to.be.revertedWithCustomError(pool, "EscrowNothingToWithdraw")
            .withArgs(operator.address),
        withdrawFees: () =>
          expect(asOperator.withdrawFees())
            .to.be.revertedWithCustomError(pool, "EscrowNothingToWithdraw")
            .withArgs(operator.address),
        pause: () =>
          expect(asOperator.pause())
            .to.be.revertedWithCustomError(pool, "ConfigUnauthorized")
            .withArgs(operator.address),
        unpause: () =>
          expect(asOperator.unpause())
            .to.be.revertedWithCustomError(pool, "ConfigUnauthorized")
            .withArgs(operator.address),
        proposeRuleChange: async () => {
          await expect(asOperator.proposeRuleChange(sameRoles, 1000)).to.emit(pool, "RuleChangeProposed");
          eta = (await pool.pendingChange()).eta;
        },
        executeRuleChange: async () => {
          const now = (await time.latest()) + 1;
          await time.setNextBlockTimestamp(now);
          await expect(asOperator.executeRuleChange())
            .to.be.revertedWithCustomError(pool, "ConfigChangeNotReady")
            .withArgs(eta, now);
        },
        cancelRuleChange: () => expect(asOperator.cancelRuleChange()).to.emit(pool, "RuleChangeCancelled"),
      };

      expect(Object.keys(calls).sort()).to.deep.equal(stateChangingFunctions(pool));
      for (const call of Object.values(calls)) await call();

      expect(await moneyState(setup)).to.deep.equal(before);
      expect(await token.balanceOf(operator.address)).to.equal(operatorWallet);
    });

    it("cannot withdraw from the pool: it is not a member", async function () {
      const { pool, operator } = await loadFixture(membersFixture);

      await expect(pool.connect(operator).withdraw(USDC(1)))
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(operator.address, 0);
    });

    it("cannot approve a claim: it has no vote, and a claim without votes ends without quorum", async function () {
      const { pool, operator, alice, claimId } = await loadFixture(claimFixture);

      await expect(pool.connect(operator).commitVote(claimId, ethers.id("approve")))
        .to.be.revertedWithCustomError(pool, "VoterNotEligible")
        .withArgs(claimId, operator.address);
      await time.increaseTo((await pool.claim(claimId)).revealEndsAt);
      await expect(pool.connect(operator).resolve(claimId))
        .to.emit(pool, "ClaimResolved")
        .withArgs(claimId, alice.address, NO_QUORUM, 0, 0, USDC(5), 0);
      expect(await pool.state(claimId)).to.equal(NO_QUORUM);
      const [queued] = (await pool.paymentQueue()) as unknown as [bigint, bigint];
      expect(queued).to.equal(0n);
    });

    it("cannot raise the fee above 10%, not even in two steps", async function () {
      const { pool, operator, guardian, assessor } = await loadFixture(membersFixture);
      const roles: Roles = {
        operator: operator.address,
        verifier: ethers.ZeroAddress,
        assessor: assessor.address,
        guardian: guardian.address,
      };
      expect(await pool.MAX_FEE_BPS()).to.equal(1000n);

      await expect(pool.connect(operator).proposeRuleChange(roles, 1001))
        .to.be.revertedWithCustomError(pool, "ConfigFeeAboveMaximum")
        .withArgs(1001, 1000);
      await pool.connect(operator).proposeRuleChange(roles, 1000);
      await time.increase(await pool.changeDelay());
      await pool.connect(operator).executeRuleChange();
      expect((await pool.rules()).feeBps).to.equal(1000n);
      await expect(pool.connect(operator).proposeRuleChange(roles, 1001))
        .to.be.revertedWithCustomError(pool, "ConfigFeeAboveMaximum")
        .withArgs(1001, 1000);
    });
  });

  describe("identity verifier", function () {
    it("cannot add a member: its attestation only works in the member's own transaction", async function () {
      const { pool, token, verifier, alice } = await loadFixture(verifierFixture);
      const commitment = commitmentOf("alice");
      const attestation = await signAttestation(pool, verifier, alice.address, commitment, (await time.latest()) + DAY);
      await fund({ token, pool }, alice, USDC(1000));
      await fund({ token, pool }, verifier, USDC(1000));

      await expect(pool.connect(verifier).join(USDC(1000), commitment, attestation))
        .to.be.revertedWithCustomError(pool, "MemberAttestationInvalid")
        .withArgs(verifier.address, commitment);
      expect(await pool.memberCount()).to.equal(0n);
      expect(await pool.statusOf(alice.address)).to.equal(0n);
      expect(await pool.commitmentOwner(commitment)).to.equal(ethers.ZeroAddress);

      // The same attestation, sent by alice herself, is valid.
      await expect(pool.connect(alice).join(USDC(1000), commitment, attestation)).to.emit(pool, "MemberJoined");
      expect(await pool.commitmentOwner(commitment)).to.equal(alice.address);
    });

    it("cannot remove a member: lapsing a funded member reverts", async function () {
      const { pool, token, verifier, alice } = await loadFixture(verifierFixture);
      const commitment = commitmentOf("alice");
      const attestation = await signAttestation(pool, verifier, alice.address, commitment, (await time.latest()) + DAY);
      await fund({ token, pool }, alice, USDC(1000));
      await pool.connect(alice).join(USDC(1000), commitment, attestation);

      await expect(pool.connect(verifier).lapse(alice.address))
        .to.be.revertedWithCustomError(pool, "MemberFunded")
        .withArgs(alice.address, USDC(1000), USDC(1));
      expect(await pool.connect(verifier).lapseBatch.staticCall([alice.address])).to.equal(0n);
      await expect(pool.connect(verifier).completeExit(alice.address))
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(alice.address, WAITING);
      expect(await pool.memberCount()).to.equal(1n);
      expect(await pool.statusOf(alice.address)).to.equal(WAITING);
    });
  });

  describe("assessor", function () {
    it("cannot decide a claim: a reviewed claim is rejected when the members vote against it", async function () {
      const { pool, assessor, alice, bob, carol, dave, claimId } = await loadFixture(claimFixture);

      await expect(pool.connect(assessor).attachReview(claimId, REVIEW))
        .to.emit(pool, "ClaimReviewed")
        .withArgs(claimId, assessor.address, REVIEW);
      await voteOn(pool, claimId, [
        [bob, false],
        [carol, false],
        [dave, false],
      ]);
      await expect(pool.resolve(claimId))
        .to.emit(pool, "ClaimResolved")
        .withArgs(claimId, alice.address, REJECTED, 0, 3, 0, USDC(5));
      expect((await pool.claim(claimId)).reviewDigest).to.equal(REVIEW);
    });

    it("cannot decide a claim: a reviewed claim nobody votes on ends without quorum", async function () {
      const { pool, assessor, alice, claimId } = await loadFixture(claimFixture);

      await pool.connect(assessor).attachReview(claimId, REVIEW);
      await time.increaseTo((await pool.claim(claimId)).revealEndsAt);
      await expect(pool.connect(assessor).resolve(claimId))
        .to.emit(pool, "ClaimResolved")
        .withArgs(claimId, alice.address, NO_QUORUM, 0, 0, USDC(5), 0);
    });

    it("cannot vote unless a member, nor resolve before the vote ends", async function () {
      const { pool, assessor, claimId } = await loadFixture(claimFixture);

      await expect(pool.connect(assessor).commitVote(claimId, ethers.id("approve")))
        .to.be.revertedWithCustomError(pool, "VoterNotEligible")
        .withArgs(claimId, assessor.address);
      await expect(pool.connect(assessor).resolve(claimId))
        .to.be.revertedWithCustomError(pool, "UnexpectedClaimState")
        .withArgs(claimId, COMMITTING, RESOLVABLE);
    });
  });

  describe("guardian", function () {
    it("pauses joins and new claims", async function () {
      const setup = await loadFixture(pausedFixture);
      const { pool, bob, grace } = setup;

      await expect(join(setup, grace, USDC(1000))).to.be.revertedWithCustomError(pool, "EnforcedPause");
      await expect(
        pool.connect(grace).joinWithPermit(USDC(1000), commitmentOf("grace"), NO_ATTESTATION, {
          deadline: 0,
          v: 27,
          r: ethers.ZeroHash,
          s: ethers.ZeroHash,
        }),
      ).to.be.revertedWithCustomError(pool, "EnforcedPause");
      await expect(submitClaim(setup, bob, USDC(100))).to.be.revertedWithCustomError(pool, "EnforcedPause");
    });

    it("cannot pause votes", async function () {
      const { pool, bob, claimId } = await loadFixture(pausedFixture);
      const commitment = await pool.voteCommitment(claimId, bob.address, true, saltOf("bob"));

      await expect(pool.connect(bob).commitVote(claimId, commitment))
        .to.emit(pool, "VoteCommitted")
        .withArgs(claimId, bob.address, commitment);
    });

    it("cannot pause reveals", async function () {
      const { pool, bob, claimId } = await loadFixture(pausedFixture);
      const salt = await commitVote(pool, bob, claimId, true);
      await time.increaseTo((await pool.claim(claimId)).commitEndsAt);

      await expect(pool.connect(bob).revealVote(claimId, true, salt))
        .to.emit(pool, "VoteRevealed")
        .withArgs(claimId, bob.address, true);
    });

    it("cannot pause resolution", async function () {
      const setup = await loadFixture(pausedFixture);
      const { pool, alice, bob, carol, dave, claimId } = setup;
      await voteOn(pool, claimId, [
        [bob, true],
        [carol, true],
        [dave, true],
      ]);

      await expect(pool.resolve(claimId))
        .to.emit(pool, "ClaimResolved")
        .withArgs(claimId, alice.address, APPROVED, 3, 0, USDC(5), 0);
    });

    it("cannot pause settlement", async function () {
      const setup = await loadFixture(pausedFixture);
      const { pool, keeper, alice, claimId, claimPeriod } = setup;
      await approveAndResolve(setup);
      await settleThrough(pool, claimPeriod - 1n);
      await endPeriod(pool, claimPeriod);

      const tx = pool.connect(keeper).settle(claimPeriod);
      await expect(tx).to.emit(pool, "ClaimPaid").withArgs(claimId, claimPeriod, alice.address, USDC(200), USDC(200));
      // 6 members, 1 claim, 200 paid, 16 fee, no cut or carry, 36 each, index 36.
      await expect(tx)
        .to.emit(pool, "PeriodSettled")
        .withArgs(claimPeriod, 6, 1, USDC(200), USDC(16), 0, 0, 0, USDC(36), 0, 0, USDC(36));
    });

    it("cannot pause payout withdrawals", async function () {
      const setup = await loadFixture(pausedFixture);
      const { pool, token, alice } = setup;
      await approveAndResolve(setup);
      await settleThrough(pool, setup.claimPeriod);

      await expect(pool.connect(alice).withdrawPayout()).to.changeTokenBalances(
        token,
        [alice, pool],
        [USDC(205), -USDC(205)],
      );
    });

    it("cannot pause exits", async function () {
      const setup = await loadFixture(pausedFixture);
      const { pool, token, keeper, erin, claimId, claimPeriod } = setup;

      await expect(pool.connect(erin).requestExit())
        .to.emit(pool, "MemberExitRequested")
        .withArgs(erin.address, claimId + 1n);
      await approveAndResolve(setup);
      await settleThrough(pool, claimPeriod);
      // Erin shared the claim she saw before leaving: 36 USDC of her 1,000.
      await expect(pool.connect(keeper).completeExit(erin.address))
        .to.emit(pool, "MemberLeft")
        .withArgs(erin.address, EXITED, USDC(36), USDC(964), 0, 5);
      await expect(pool.connect(erin).withdraw(USDC(964))).to.changeTokenBalances(
        token,
        [erin, pool],
        [USDC(964), -USDC(964)],
      );
    });

    it("cannot pause withdrawals or top-ups", async function () {
      const { pool, token, bob } = await loadFixture(pausedFixture);

      await expect(pool.connect(bob).withdraw(USDC(400))).to.changeTokenBalances(
        token,
        [bob, pool],
        [USDC(400), -USDC(400)],
      );
      await token.connect(bob).approve(await pool.getAddress(), USDC(50));
      await expect(pool.connect(bob).topUp(USDC(50))).to.changeTokenBalances(token, [bob, pool], [-USDC(50), USDC(50)]);
      expect(await pool.balanceOf(bob.address)).to.equal(USDC(650));
    });
  });

  describe("anyone (keeper)", function () {
    it("settles an ended period, and no period before it ends", async function () {
      const setup = await loadFixture(claimFixture);
      const { pool, keeper, claimPeriod } = setup;
      await approveAndResolve(setup);
      await settleThrough(pool, claimPeriod - 1n, keeper);
      const end = await pool.periodEnd(claimPeriod);

      await expect(pool.connect(keeper).settle(claimPeriod))
        .to.be.revertedWithCustomError(pool, "PeriodNotEnded")
        .withArgs(claimPeriod, end);
      await time.increaseTo(end);
      await expect(pool.connect(keeper).settle(claimPeriod))
        .to.emit(pool, "PeriodSettled")
        .withArgs(claimPeriod, 6, 1, USDC(200), USDC(16), 0, 0, 0, USDC(36), 0, 0, USDC(36));
    });

    it("lapses a member below the minimum balance, who keeps what is left", async function () {
      const { pool, token, keeper, frank } = await loadFixture(settledFixture);
      expect(await pool.balanceOf(frank.address)).to.equal(USDC(564));

      await expect(pool.connect(keeper).lapse(frank.address))
        .to.emit(pool, "MemberLeft")
        .withArgs(frank.address, LAPSED, USDC(36), USDC(564), 0, 5);
      expect(await pool.memberCount()).to.equal(5n);
      await expect(pool.connect(frank).withdraw(USDC(564))).to.changeTokenBalances(
        token,
        [frank, pool],
        [USDC(564), -USDC(564)],
      );
    });

    it("lapses in a batch only the members below the minimum balance", async function () {
      const { pool, keeper, alice, bob, frank } = await loadFixture(settledFixture);
      const batch = [alice.address, frank.address, bob.address];

      expect(await pool.connect(keeper).lapseBatch.staticCall(batch)).to.equal(1n);
      await pool.connect(keeper).lapseBatch(batch);
      expect(await pool.statusOf(frank.address)).to.equal(LAPSED);
      expect(await pool.statusOf(alice.address)).to.equal(ACTIVE);
      expect(await pool.statusOf(bob.address)).to.equal(ACTIVE);
      expect(await pool.memberCount()).to.equal(5n);
    });

    it("cannot lapse a funded member, even one at exactly the minimum balance", async function () {
      const { pool, keeper, alice, frank } = await loadFixture(claimFixture);

      await expect(pool.connect(keeper).lapse(frank.address))
        .to.be.revertedWithCustomError(pool, "MemberFunded")
        .withArgs(frank.address, USDC(600), USDC(600));
      await expect(pool.connect(keeper).lapse(alice.address))
        .to.be.revertedWithCustomError(pool, "MemberFunded")
        .withArgs(alice.address, USDC(1000), USDC(600));
      expect(await pool.memberCount()).to.equal(6n);
    });

    it("cannot change anyone's balance outside settlement", async function () {
      const setup = await loadFixture(claimFixture);
      const { pool, keeper, alice, everyone, claimId, claimPeriod } = setup;
      const asKeeper = pool.connect(keeper);
      const before = await moneyState(setup);

      await expect(asKeeper.withdraw(USDC(1)))
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(keeper.address, 0);
      await expect(asKeeper.topUp(USDC(1)))
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(keeper.address, 0);
      await expect(asKeeper.completeExit(alice.address))
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(alice.address, ACTIVE);
      await expect(asKeeper.resolve(claimId))
        .to.be.revertedWithCustomError(pool, "UnexpectedClaimState")
        .withArgs(claimId, COMMITTING, RESOLVABLE);
      await expect(asKeeper.settle(claimPeriod))
        .to.be.revertedWithCustomError(pool, "PeriodNotNext")
        .withArgs(claimPeriod, 0);
      await expect(asKeeper.withdrawPayout())
        .to.be.revertedWithCustomError(pool, "EscrowNothingToWithdraw")
        .withArgs(keeper.address);
      await expect(asKeeper.withdrawFees())
        .to.be.revertedWithCustomError(pool, "ConfigUnauthorized")
        .withArgs(keeper.address);
      const addresses = everyone.map((m) => m.address);
      expect(await asKeeper.lapseBatch.staticCall(addresses)).to.equal(0n);
      await asKeeper.lapseBatch(addresses);

      expect(await moneyState(setup)).to.deep.equal(before);
    });
  });

  describe("escrow", function () {
    it("rejects a fee-on-transfer token at join, and nothing changes", async function () {
      const { token, pool, alice } = await loadFixture(feeOnTransferFixture);
      const poolAddress = await pool.getAddress();
      await token.mint(alice.address, USDC(1000));
      await token.connect(alice).approve(poolAddress, USDC(1000));

      // The token burns 1% in transit: 990 USDC would arrive for 1,000 asked.
      await expect(pool.connect(alice).join(USDC(1000), commitmentOf("alice"), NO_ATTESTATION))
        .to.be.revertedWithCustomError(pool, "EscrowTransferMismatch")
        .withArgs(USDC(1000), USDC(990));
      expect(await pool.memberCount()).to.equal(0n);
      expect(await pool.statusOf(alice.address)).to.equal(0n);
      expect(await pool.commitmentOwner(commitmentOf("alice"))).to.equal(ethers.ZeroAddress);
      expect(await token.balanceOf(poolAddress)).to.equal(0n);
      expect(await token.balanceOf(alice.address)).to.equal(USDC(1000));
    });

    it("works with a token whose transfers return nothing, for join and withdraw", async function () {
      const { token, pool, alice } = await loadFixture(noReturnFixture);
      await token.mint(alice.address, USDC(1000));
      await token.connect(alice).approve(await pool.getAddress(), USDC(1000));

      await expect(pool.connect(alice).join(USDC(1000), commitmentOf("alice"), NO_ATTESTATION)).to.changeTokenBalances(
        token,
        [alice, pool],
        [-USDC(1000), USDC(1000)],
      );
      await expect(pool.connect(alice).withdraw(USDC(400))).to.changeTokenBalances(
        token,
        [alice, pool],
        [USDC(400), -USDC(400)],
      );
      expect(await pool.balanceOf(alice.address)).to.equal(USDC(600));
    });

    it("lets a reentrant token's hook withdraw when it re-enters nothing (control)", async function () {
      const { token, pool, bob, carol, tokenAddress, poolAddress, hookedWithdraw } =
        await loadFixture(reentrantFixture);
      await token.setHook(poolAddress, hookedWithdraw);

      const tx = token.connect(bob).transfer(carol.address, 1n);
      await expect(tx).to.emit(pool, "MemberWithdrew").withArgs(tokenAddress, USDC(1));
      await expect(tx).to.changeTokenBalances(token, [tokenAddress, poolAddress], [USDC(1), -USDC(1)]);
    });

    it("blocks a reentrant token's hook from withdrawing during a join", async function () {
      const { token, pool, bob, tokenAddress, poolAddress, hookedWithdraw } = await loadFixture(reentrantFixture);
      await token.mint(bob.address, USDC(1000));
      await token.connect(bob).approve(poolAddress, USDC(1000));
      await token.setHook(poolAddress, hookedWithdraw);

      await expect(
        pool.connect(bob).join(USDC(1000), commitmentOf("bob"), NO_ATTESTATION),
      ).to.be.revertedWithCustomError(pool, "ReentrancyGuardReentrantCall");
      expect(await pool.statusOf(bob.address)).to.equal(0n);
      expect(await pool.memberCount()).to.equal(2n);
      expect(await pool.balanceOf(tokenAddress)).to.equal(USDC(10));
    });

    it("blocks a reentrant token's hook from withdrawing during a withdrawal", async function () {
      const { token, pool, alice, tokenAddress, poolAddress, hookedWithdraw } = await loadFixture(reentrantFixture);
      await token.setHook(poolAddress, hookedWithdraw);

      await expect(pool.connect(alice).withdraw(USDC(100))).to.be.revertedWithCustomError(
        pool,
        "ReentrancyGuardReentrantCall",
      );
      expect(await pool.balanceOf(alice.address)).to.equal(USDC(1000));
      expect(await pool.balanceOf(tokenAddress)).to.equal(USDC(10));
      expect(await token.balanceOf(poolAddress)).to.equal(USDC(1010));
    });

    it("blocks a reentrant token's hook from withdrawing during a top-up", async function () {
      const { token, pool, alice, tokenAddress, poolAddress, hookedWithdraw } = await loadFixture(reentrantFixture);
      await token.mint(alice.address, USDC(50));
      await token.connect(alice).approve(poolAddress, USDC(50));
      await token.setHook(poolAddress, hookedWithdraw);

      await expect(pool.connect(alice).topUp(USDC(50))).to.be.revertedWithCustomError(
        pool,
        "ReentrancyGuardReentrantCall",
      );
      expect(await pool.balanceOf(alice.address)).to.equal(USDC(1000));
      expect(await pool.balanceOf(tokenAddress)).to.equal(USDC(10));
    });

    it("reverts a payout withdrawal when nothing is owed, and pays a credited payout once", async function () {
      const { pool, token, alice, bob } = await loadFixture(settledFixture);

      await expect(pool.connect(bob).withdrawPayout())
        .to.be.revertedWithCustomError(pool, "EscrowNothingToWithdraw")
        .withArgs(bob.address);
      const tx = pool.connect(alice).withdrawPayout();
      await expect(tx).to.emit(pool, "PayoutWithdrawn").withArgs(alice.address, USDC(205));
      await expect(tx).to.changeTokenBalances(token, [alice, pool], [USDC(205), -USDC(205)]);
      await expect(pool.connect(alice).withdrawPayout())
        .to.be.revertedWithCustomError(pool, "EscrowNothingToWithdraw")
        .withArgs(alice.address);
    });

    it("reverts a fee withdrawal by anyone but the operator, or when no fee has accrued", async function () {
      const { pool, operator, alice } = await loadFixture(membersFixture);

      await expect(pool.connect(alice).withdrawFees())
        .to.be.revertedWithCustomError(pool, "ConfigUnauthorized")
        .withArgs(alice.address);
      await expect(pool.connect(operator).withdrawFees())
        .to.be.revertedWithCustomError(pool, "EscrowNothingToWithdraw")
        .withArgs(operator.address);
    });

    it("sends the accrued fee to the operator only", async function () {
      const { pool, token, operator, alice } = await loadFixture(settledFixture);

      await expect(pool.connect(alice).withdrawFees())
        .to.be.revertedWithCustomError(pool, "ConfigUnauthorized")
        .withArgs(alice.address);
      const tx = pool.connect(operator).withdrawFees();
      await expect(tx).to.emit(pool, "FeesWithdrawn").withArgs(operator.address, USDC(16));
      await expect(tx).to.changeTokenBalances(token, [operator, pool], [USDC(16), -USDC(16)]);
      expect(await pool.feesAccrued()).to.equal(0n);
    });
  });
});
