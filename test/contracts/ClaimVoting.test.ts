import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HuzhuPool, MockERC20 } from "../../typechain-types";
import { deployPool, join, fund, submitClaim, voteOn, endPeriod, saltOf, USDC, DAY } from "../helpers/fixtures";

// IClaimVoting.ClaimState and IMemberRegistry.MemberStatus, in declaration order.
const State = { None: 0, Committing: 1, Revealing: 2, Resolvable: 3, Approved: 4, Rejected: 5, NoQuorum: 6, Paid: 7 };
const Status = { None: 0, Waiting: 1, Active: 2, Exiting: 3, Lapsed: 4, Exited: 5 };

// A cap of 10 a head and 2 claims a period need minBalance >= 2 * 10 * 1.1 + 1 unit = 22.000001.
const MIN_BALANCE = USDC(25);
const RULES = { capPerMember: USDC(10), maxClaimsPerPeriod: 2, minBalance: MIN_BALANCE, minDeposit: MIN_BALANCE };
// Defaults from test/helpers/fixtures.ts that the figures below depend on.
const BOND = USDC(5);
const MAX_CLAIM = USDC(300_000);
const WAITING = 90 * DAY;
const COMMIT = 3 * DAY;
const REVEAL = 2 * DAY;

const AMOUNT = USDC(35);
const EVIDENCE = ethers.keccak256(ethers.toUtf8Bytes("evidence")); // the digest the fixture's submitClaim uses
const URI = "ipfs://encrypted";
const REVIEW = ethers.id("assessor review");
const SALT_A = ethers.id("salt a");
const SALT_B = ethers.id("salt b");

type Ballot = [HardhatEthersSigner, boolean];

/** The commitment computed off chain, independently of the pool's `voteCommitment`. */
function sealed(claimId: bigint, voter: string, support: boolean, salt: string): string {
  return ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(
      ["uint256", "address", "bool", "bytes32"],
      [claimId, voter, support, salt],
    ),
  );
}

const ballotSalt = (voter: HardhatEthersSigner, claimId: bigint) => saltOf(`${voter.address}:${claimId}`);

/** Votes on several claims submitted together: every commit, then every reveal, then the last window ends. */
async function voteOnAll(pool: HuzhuPool, votes: Array<[bigint, Ballot[]]>) {
  for (const [id, ballots] of votes) {
    for (const [voter, support] of ballots) {
      await pool.connect(voter).commitVote(id, sealed(id, voter.address, support, ballotSalt(voter, id)));
    }
  }
  const last = await pool.claim(votes[votes.length - 1][0]);
  await time.increaseTo(last.commitEndsAt);
  for (const [id, ballots] of votes) {
    for (const [voter, support] of ballots) await pool.connect(voter).revealVote(id, support, ballotSalt(voter, id));
  }
  await time.increaseTo(last.revealEndsAt);
}

/** Funds the bond, submits a claim at a chosen second, and checks every argument of ClaimSubmitted. */
async function expectSubmission(
  f: { pool: HuzhuPool; token: MockERC20 },
  claimant: HardhatEthersSigner,
  amount: bigint,
  id: bigint,
) {
  await fund(f, claimant, BOND);
  const at = (await time.latest()) + 10;
  await time.setNextBlockTimestamp(at);
  await expect(f.pool.connect(claimant).submitClaim(amount, EVIDENCE, URI))
    .to.emit(f.pool, "ClaimSubmitted")
    .withArgs(id, claimant.address, amount, BOND, EVIDENCE, URI, at + COMMIT, at + COMMIT + REVEAL);
}

/** Ends the current period and settles every period up to it; returns the last one settled. */
async function settleAll(pool: HuzhuPool, keeper: HardhatEthersSigner): Promise<bigint> {
  const period = await pool.currentPeriod();
  await endPeriod(pool, period);
  for (let p = await pool.nextPeriodToSettle(); p <= period; p++) await pool.connect(keeper).settle(p);
  return period;
}

/** Seven active members: six hold 100, grace holds exactly the minimum balance. heidi and ivan have not joined. */
async function deployActivePool() {
  const setup = await deployPool(RULES);
  const [alice, bob, carol, dave, erin, frank, grace, heidi, ivan] = setup.members;
  for (const m of [alice, bob, carol, dave, erin, frank]) await join(setup, m, USDC(100));
  await join(setup, grace, MIN_BALANCE);
  await time.increase(WAITING + DAY);
  return { ...setup, alice, bob, carol, dave, erin, frank, grace, heidi, ivan };
}

describe("ClaimVoting", function () {
  describe("submitClaim", function () {
    it("takes the bond into the pool and records an open claim", async function () {
      const { pool, token, alice } = await loadFixture(deployActivePool);
      await fund({ pool, token }, alice, BOND);
      const at = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(at);
      const tx = pool.connect(alice).submitClaim(AMOUNT, EVIDENCE, URI);
      await expect(tx).to.changeTokenBalances(token, [alice, pool], [-BOND, BOND]);
      await expect(tx)
        .to.emit(pool, "ClaimSubmitted")
        .withArgs(1n, alice.address, AMOUNT, BOND, EVIDENCE, URI, at + COMMIT, at + COMMIT + REVEAL);
      expect(await pool.claimCount()).to.equal(1n);
      expect(await pool.openClaimOf(alice.address)).to.equal(1n);
      expect(await pool.state(1n)).to.equal(State.Committing);
    });

    it("returns ids counting from 1", async function () {
      const f = await loadFixture(deployActivePool);
      const { pool, alice, bob } = f;
      await fund(f, alice, BOND);
      expect(await pool.connect(alice).submitClaim.staticCall(AMOUNT, EVIDENCE, URI)).to.equal(1n);
      await submitClaim(f, alice, AMOUNT);
      await fund(f, bob, BOND);
      expect(await pool.connect(bob).submitClaim.staticCall(AMOUNT, EVIDENCE, URI)).to.equal(2n);
    });

    it("accepts a claim of exactly the maximum amount", async function () {
      const f = await loadFixture(deployActivePool);
      await expectSubmission(f, f.alice, MAX_CLAIM, 1n);
      expect((await f.pool.claim(1n)).amount).to.equal(MAX_CLAIM);
    });

    it("reverts when the amount is zero", async function () {
      const f = await loadFixture(deployActivePool);
      await fund(f, f.alice, BOND);
      await expect(f.pool.connect(f.alice).submitClaim(0n, EVIDENCE, URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimAmountOutOfRange")
        .withArgs(0n, MAX_CLAIM);
    });

    it("reverts when the amount is above the maximum", async function () {
      const f = await loadFixture(deployActivePool);
      await fund(f, f.alice, BOND);
      await expect(f.pool.connect(f.alice).submitClaim(MAX_CLAIM + 1n, EVIDENCE, URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimAmountOutOfRange")
        .withArgs(MAX_CLAIM + 1n, MAX_CLAIM);
      expect(await f.pool.claimCount()).to.equal(0n);
    });

    it("reverts when the evidence digest is zero", async function () {
      const f = await loadFixture(deployActivePool);
      await fund(f, f.alice, BOND);
      await expect(f.pool.connect(f.alice).submitClaim(AMOUNT, ethers.ZeroHash, URI)).to.be.revertedWithCustomError(
        f.pool,
        "ClaimZeroEvidence",
      );
    });

    it("reverts when a waiting member submits a claim", async function () {
      const f = await loadFixture(deployActivePool);
      await join(f, f.heidi, USDC(100));
      await fund(f, f.heidi, BOND);
      await expect(f.pool.connect(f.heidi).submitClaim(AMOUNT, EVIDENCE, URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimantNotActive")
        .withArgs(f.heidi.address, Status.Waiting);
    });

    it("reverts when a non-member submits a claim", async function () {
      const f = await loadFixture(deployActivePool);
      await fund(f, f.keeper, BOND);
      await expect(f.pool.connect(f.keeper).submitClaim(AMOUNT, EVIDENCE, URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimantNotActive")
        .withArgs(f.keeper.address, Status.None);
    });

    it("reverts when an exiting member submits a claim", async function () {
      const f = await loadFixture(deployActivePool);
      await f.pool.connect(f.frank).requestExit();
      await fund(f, f.frank, BOND);
      await expect(f.pool.connect(f.frank).submitClaim(AMOUNT, EVIDENCE, URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimantNotActive")
        .withArgs(f.frank.address, Status.Exiting);
    });

    it("reverts when an exited member submits a claim", async function () {
      const f = await loadFixture(deployActivePool);
      await f.pool.connect(f.frank).requestExit();
      await f.pool.connect(f.keeper).completeExit(f.frank.address);
      await fund(f, f.frank, BOND);
      await expect(f.pool.connect(f.frank).submitClaim(AMOUNT, EVIDENCE, URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimantNotActive")
        .withArgs(f.frank.address, Status.Exited);
    });

    it("reverts when the claimant already has a claim under vote", async function () {
      const f = await loadFixture(deployActivePool);
      await submitClaim(f, f.alice, AMOUNT);
      await fund(f, f.alice, BOND);
      await expect(f.pool.connect(f.alice).submitClaim(AMOUNT, EVIDENCE, URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimAlreadyOpen")
        .withArgs(f.alice.address, 1n);
    });

    it("reverts when the claimant's approved claim is not paid yet", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await voteOn(f.pool, id, [
        [f.bob, true],
        [f.carol, true],
        [f.dave, true],
      ]);
      await f.pool.resolve(id);
      expect(await f.pool.state(id)).to.equal(State.Approved);
      await fund(f, f.alice, BOND);
      await expect(f.pool.connect(f.alice).submitClaim(AMOUNT, EVIDENCE, URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimAlreadyOpen")
        .withArgs(f.alice.address, 1n);
    });

    it("accepts a new claim after the last one ended without quorum", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await voteOn(f.pool, id, [[f.bob, true]]);
      await f.pool.resolve(id);
      expect(await f.pool.state(id)).to.equal(State.NoQuorum);
      expect(await f.pool.openClaimOf(f.alice.address)).to.equal(0n);
      await expectSubmission(f, f.alice, AMOUNT, 2n);
      expect(await f.pool.openClaimOf(f.alice.address)).to.equal(2n);
    });

    it("accepts a new claim after the last one was rejected", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await voteOn(f.pool, id, [
        [f.bob, false],
        [f.carol, false],
        [f.dave, true],
      ]);
      await f.pool.resolve(id);
      expect(await f.pool.state(id)).to.equal(State.Rejected);
      expect(await f.pool.openClaimOf(f.alice.address)).to.equal(0n);
      await expectSubmission(f, f.alice, AMOUNT, 2n);
      expect(await f.pool.openClaimOf(f.alice.address)).to.equal(2n);
    });

    it("reverts while the guardian has paused the pool", async function () {
      const f = await loadFixture(deployActivePool);
      await f.pool.connect(f.guardian).pause();
      await fund(f, f.alice, BOND);
      await expect(f.pool.connect(f.alice).submitClaim(AMOUNT, EVIDENCE, URI)).to.be.revertedWithCustomError(
        f.pool,
        "EnforcedPause",
      );
      expect(await f.pool.claimCount()).to.equal(0n);
    });

    it("lets votes, reveals and resolution go on while the pool is paused", async function () {
      const f = await loadFixture(deployActivePool);
      const { pool, alice, bob, carol, dave } = f;
      const id = await submitClaim(f, alice, AMOUNT);
      await pool.connect(f.guardian).pause();
      expect(await pool.paused()).to.equal(true);
      const c = await pool.claim(id);
      for (const voter of [bob, carol, dave]) {
        await expect(pool.connect(voter).commitVote(id, sealed(id, voter.address, true, SALT_A)))
          .to.emit(pool, "VoteCommitted")
          .withArgs(id, voter.address, sealed(id, voter.address, true, SALT_A));
      }
      await time.increaseTo(c.commitEndsAt);
      for (const voter of [bob, carol, dave]) {
        await expect(pool.connect(voter).revealVote(id, true, SALT_A))
          .to.emit(pool, "VoteRevealed")
          .withArgs(id, voter.address, true);
      }
      await time.increaseTo(c.revealEndsAt);
      await expect(pool.connect(f.keeper).resolve(id))
        .to.emit(pool, "ClaimResolved")
        .withArgs(id, alice.address, State.Approved, 3n, 0n, BOND, 0n);
    });
  });

  describe("attachReview", function () {
    it("records the assessor's review digest", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await expect(f.pool.connect(f.assessor).attachReview(id, REVIEW))
        .to.emit(f.pool, "ClaimReviewed")
        .withArgs(id, f.assessor.address, REVIEW);
      expect((await f.pool.claim(id)).reviewDigest).to.equal(REVIEW);
    });

    it("reverts when a member attaches a review", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await expect(f.pool.connect(f.bob).attachReview(id, REVIEW))
        .to.be.revertedWithCustomError(f.pool, "ConfigUnauthorized")
        .withArgs(f.bob.address);
    });

    it("reverts when the operator attaches a review", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await expect(f.pool.connect(f.operator).attachReview(id, REVIEW))
        .to.be.revertedWithCustomError(f.pool, "ConfigUnauthorized")
        .withArgs(f.operator.address);
    });

    it("reverts once the commit window has closed", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await time.increaseTo((await f.pool.claim(id)).commitEndsAt);
      await expect(f.pool.connect(f.assessor).attachReview(id, REVIEW))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Revealing, State.Committing);
    });

    it("reverts for a claim that does not exist", async function () {
      const f = await loadFixture(deployActivePool);
      await expect(f.pool.connect(f.assessor).attachReview(1n, REVIEW))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(1n, State.None, State.Committing);
    });

    it("reverts when the review digest is zero", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await expect(f.pool.connect(f.assessor).attachReview(id, ethers.ZeroHash)).to.be.revertedWithCustomError(
        f.pool,
        "ClaimZeroReview",
      );
    });

    it("reverts when the claim already has a review", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await f.pool.connect(f.assessor).attachReview(id, REVIEW);
      await expect(f.pool.connect(f.assessor).attachReview(id, ethers.id("another review")))
        .to.be.revertedWithCustomError(f.pool, "ClaimAlreadyReviewed")
        .withArgs(id);
      expect((await f.pool.claim(id)).reviewDigest).to.equal(REVIEW);
    });

    it("leaves the tally and the outcome to the vote", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await f.pool.connect(f.assessor).attachReview(id, REVIEW);
      const c = await f.pool.claim(id);
      expect(c.state).to.equal(State.Committing);
      expect(c.approvals).to.equal(0n);
      expect(c.rejections).to.equal(0n);
      await voteOn(f.pool, id, [
        [f.bob, true],
        [f.carol, false],
        [f.dave, false],
      ]);
      await expect(f.pool.resolve(id))
        .to.emit(f.pool, "ClaimResolved")
        .withArgs(id, f.alice.address, State.Rejected, 1n, 2n, 0n, BOND);
    });
  });

  describe("commitVote", function () {
    it("stores the commitment and emits VoteCommitted", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      const commitment = sealed(id, f.bob.address, true, SALT_A);
      await expect(f.pool.connect(f.bob).commitVote(id, commitment))
        .to.emit(f.pool, "VoteCommitted")
        .withArgs(id, f.bob.address, commitment);
      expect(await f.pool.voteCommitmentOf(id, f.bob.address)).to.equal(commitment);
      expect(await f.pool.voteCommitmentOf(id, f.carol.address)).to.equal(ethers.ZeroHash);
    });

    it("replaces a commitment inside the window, and only the last one reveals", async function () {
      const f = await loadFixture(deployActivePool);
      const { pool, bob } = f;
      const id = await submitClaim(f, f.alice, AMOUNT);
      const first = sealed(id, bob.address, true, SALT_A);
      const second = sealed(id, bob.address, false, SALT_B);
      await pool.connect(bob).commitVote(id, first);
      await expect(pool.connect(bob).commitVote(id, second))
        .to.emit(pool, "VoteCommitted")
        .withArgs(id, bob.address, second);
      expect(await pool.voteCommitmentOf(id, bob.address)).to.equal(second);
      await time.increaseTo((await pool.claim(id)).commitEndsAt);
      await expect(pool.connect(bob).revealVote(id, true, SALT_A))
        .to.be.revertedWithCustomError(pool, "VoteRevealMismatch")
        .withArgs(id, bob.address);
      await expect(pool.connect(bob).revealVote(id, false, SALT_B))
        .to.emit(pool, "VoteRevealed")
        .withArgs(id, bob.address, false);
      const c = await pool.claim(id);
      expect(c.approvals).to.equal(0n);
      expect(c.rejections).to.equal(1n);
    });

    it("accepts a commit in the last second of the commit window", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await time.setNextBlockTimestamp((await f.pool.claim(id)).commitEndsAt - 1n);
      await expect(f.pool.connect(f.bob).commitVote(id, sealed(id, f.bob.address, true, SALT_A))).to.emit(
        f.pool,
        "VoteCommitted",
      );
    });

    it("reverts when the claimant votes on their own claim", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await expect(f.pool.connect(f.alice).commitVote(id, sealed(id, f.alice.address, true, SALT_A)))
        .to.be.revertedWithCustomError(f.pool, "VoterIsClaimant")
        .withArgs(id, f.alice.address);
    });

    it("reverts when a non-member votes", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await expect(f.pool.connect(f.keeper).commitVote(id, sealed(id, f.keeper.address, true, SALT_A)))
        .to.be.revertedWithCustomError(f.pool, "VoterNotEligible")
        .withArgs(id, f.keeper.address);
    });

    it("reverts when the assessor, not a member, votes", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await expect(f.pool.connect(f.assessor).commitVote(id, sealed(id, f.assessor.address, true, SALT_A)))
        .to.be.revertedWithCustomError(f.pool, "VoterNotEligible")
        .withArgs(id, f.assessor.address);
    });

    it("reverts when a member who joined after the claim votes", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await join(f, f.heidi, USDC(100));
      await expect(f.pool.connect(f.heidi).commitVote(id, sealed(id, f.heidi.address, true, SALT_A)))
        .to.be.revertedWithCustomError(f.pool, "VoterNotEligible")
        .withArgs(id, f.heidi.address);
    });

    it("reverts when the voter's waiting period ended after the claim was submitted", async function () {
      const f = await loadFixture(deployActivePool);
      await join(f, f.heidi, USDC(100));
      const eligibleAt = (await f.pool.member(f.heidi.address)).eligibleAt;
      await fund(f, f.alice, BOND);
      await time.setNextBlockTimestamp(eligibleAt - BigInt(DAY));
      await f.pool.connect(f.alice).submitClaim(AMOUNT, EVIDENCE, URI);
      await time.increaseTo(eligibleAt);
      expect(await f.pool.statusOf(f.heidi.address)).to.equal(Status.Active);
      expect(await f.pool.state(1n)).to.equal(State.Committing);
      await expect(f.pool.connect(f.heidi).commitVote(1n, sealed(1n, f.heidi.address, true, SALT_A)))
        .to.be.revertedWithCustomError(f.pool, "VoterNotEligible")
        .withArgs(1n, f.heidi.address);
    });

    it("reverts when the voter's waiting period ends in the very second the claim is submitted", async function () {
      const f = await loadFixture(deployActivePool);
      await join(f, f.heidi, USDC(100));
      const eligibleAt = (await f.pool.member(f.heidi.address)).eligibleAt;
      await fund(f, f.alice, BOND);
      await time.setNextBlockTimestamp(eligibleAt);
      await f.pool.connect(f.alice).submitClaim(AMOUNT, EVIDENCE, URI);
      expect(await f.pool.statusOf(f.heidi.address)).to.equal(Status.Active);
      await expect(f.pool.connect(f.heidi).commitVote(1n, sealed(1n, f.heidi.address, true, SALT_A)))
        .to.be.revertedWithCustomError(f.pool, "VoterNotEligible")
        .withArgs(1n, f.heidi.address);
    });

    it("accepts a voter whose waiting period ended one second before the claim", async function () {
      const f = await loadFixture(deployActivePool);
      await join(f, f.heidi, USDC(100));
      const eligibleAt = (await f.pool.member(f.heidi.address)).eligibleAt;
      await fund(f, f.alice, BOND);
      await time.setNextBlockTimestamp(eligibleAt + 1n);
      await f.pool.connect(f.alice).submitClaim(AMOUNT, EVIDENCE, URI);
      const commitment = sealed(1n, f.heidi.address, true, SALT_A);
      await expect(f.pool.connect(f.heidi).commitVote(1n, commitment))
        .to.emit(f.pool, "VoteCommitted")
        .withArgs(1n, f.heidi.address, commitment);
    });

    it("reverts when an exited member votes", async function () {
      const f = await loadFixture(deployActivePool);
      await f.pool.connect(f.frank).requestExit();
      await f.pool.connect(f.keeper).completeExit(f.frank.address);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await expect(f.pool.connect(f.frank).commitVote(id, sealed(id, f.frank.address, true, SALT_A)))
        .to.be.revertedWithCustomError(f.pool, "VoterNotEligible")
        .withArgs(id, f.frank.address);
    });

    it("lets an exiting member, still counted, vote", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await f.pool.connect(f.frank).requestExit();
      expect(await f.pool.statusOf(f.frank.address)).to.equal(Status.Exiting);
      const commitment = sealed(id, f.frank.address, false, SALT_A);
      await expect(f.pool.connect(f.frank).commitVote(id, commitment))
        .to.emit(f.pool, "VoteCommitted")
        .withArgs(id, f.frank.address, commitment);
    });

    it("reverts when the commitment is zero", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await expect(f.pool.connect(f.bob).commitVote(id, ethers.ZeroHash)).to.be.revertedWithCustomError(
        f.pool,
        "VoteZeroCommitment",
      );
    });

    it("reverts from the first second of the reveal window", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await time.setNextBlockTimestamp((await f.pool.claim(id)).commitEndsAt);
      await expect(f.pool.connect(f.bob).commitVote(id, sealed(id, f.bob.address, true, SALT_A)))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Revealing, State.Committing);
    });

    it("reverts once the vote has ended or the claim is resolved", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await time.increaseTo((await f.pool.claim(id)).revealEndsAt);
      const commitment = sealed(id, f.bob.address, true, SALT_A);
      await expect(f.pool.connect(f.bob).commitVote(id, commitment))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Resolvable, State.Committing);
      await f.pool.resolve(id);
      await expect(f.pool.connect(f.bob).commitVote(id, commitment))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.NoQuorum, State.Committing);
    });

    it("reverts for a claim that does not exist", async function () {
      const f = await loadFixture(deployActivePool);
      await submitClaim(f, f.alice, AMOUNT);
      for (const id of [0n, 2n]) {
        await expect(f.pool.connect(f.bob).commitVote(id, sealed(id, f.bob.address, true, SALT_A)))
          .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
          .withArgs(id, State.None, State.Committing);
      }
    });
  });

  describe("revealVote", function () {
    it("counts the vote, emits VoteRevealed and clears the commitment", async function () {
      const f = await loadFixture(deployActivePool);
      const { pool, bob, carol } = f;
      const id = await submitClaim(f, f.alice, AMOUNT);
      await pool.connect(bob).commitVote(id, sealed(id, bob.address, true, SALT_A));
      await pool.connect(carol).commitVote(id, sealed(id, carol.address, false, SALT_B));
      await time.increaseTo((await pool.claim(id)).commitEndsAt);
      await expect(pool.connect(bob).revealVote(id, true, SALT_A))
        .to.emit(pool, "VoteRevealed")
        .withArgs(id, bob.address, true);
      await expect(pool.connect(carol).revealVote(id, false, SALT_B))
        .to.emit(pool, "VoteRevealed")
        .withArgs(id, carol.address, false);
      const c = await pool.claim(id);
      expect(c.approvals).to.equal(1n);
      expect(c.rejections).to.equal(1n);
      expect(await pool.voteCommitmentOf(id, bob.address)).to.equal(ethers.ZeroHash);
      expect(await pool.voteCommitmentOf(id, carol.address)).to.equal(ethers.ZeroHash);
    });

    it("reverts during the commit window", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await f.pool.connect(f.bob).commitVote(id, sealed(id, f.bob.address, true, SALT_A));
      await expect(f.pool.connect(f.bob).revealVote(id, true, SALT_A))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Committing, State.Revealing);
    });

    it("accepts a reveal in the last second of the reveal window", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await f.pool.connect(f.bob).commitVote(id, sealed(id, f.bob.address, true, SALT_A));
      await time.setNextBlockTimestamp((await f.pool.claim(id)).revealEndsAt - 1n);
      await expect(f.pool.connect(f.bob).revealVote(id, true, SALT_A))
        .to.emit(f.pool, "VoteRevealed")
        .withArgs(id, f.bob.address, true);
    });

    it("reverts once the reveal window has ended", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await f.pool.connect(f.bob).commitVote(id, sealed(id, f.bob.address, true, SALT_A));
      await time.setNextBlockTimestamp((await f.pool.claim(id)).revealEndsAt);
      await expect(f.pool.connect(f.bob).revealVote(id, true, SALT_A))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Resolvable, State.Revealing);
      await f.pool.resolve(id);
      await expect(f.pool.connect(f.bob).revealVote(id, true, SALT_A))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.NoQuorum, State.Revealing);
    });

    it("reverts when the voter never committed", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await time.increaseTo((await f.pool.claim(id)).commitEndsAt);
      await expect(f.pool.connect(f.erin).revealVote(id, true, SALT_A))
        .to.be.revertedWithCustomError(f.pool, "VoteNotCommitted")
        .withArgs(id, f.erin.address);
    });

    it("reverts when the revealed support differs from the commitment", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await f.pool.connect(f.bob).commitVote(id, sealed(id, f.bob.address, true, SALT_A));
      await time.increaseTo((await f.pool.claim(id)).commitEndsAt);
      await expect(f.pool.connect(f.bob).revealVote(id, false, SALT_A))
        .to.be.revertedWithCustomError(f.pool, "VoteRevealMismatch")
        .withArgs(id, f.bob.address);
    });

    it("reverts when the revealed salt differs from the commitment", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await f.pool.connect(f.bob).commitVote(id, sealed(id, f.bob.address, true, SALT_A));
      await time.increaseTo((await f.pool.claim(id)).commitEndsAt);
      await expect(f.pool.connect(f.bob).revealVote(id, true, SALT_B))
        .to.be.revertedWithCustomError(f.pool, "VoteRevealMismatch")
        .withArgs(id, f.bob.address);
    });

    it("reverts when a voter copies another voter's commitment and reveal", async function () {
      const f = await loadFixture(deployActivePool);
      const { pool, bob, carol } = f;
      const id = await submitClaim(f, f.alice, AMOUNT);
      const bobs = sealed(id, bob.address, true, SALT_A);
      await pool.connect(bob).commitVote(id, bobs);
      await pool.connect(carol).commitVote(id, bobs);
      await time.increaseTo((await pool.claim(id)).commitEndsAt);
      await pool.connect(bob).revealVote(id, true, SALT_A);
      await expect(pool.connect(carol).revealVote(id, true, SALT_A))
        .to.be.revertedWithCustomError(pool, "VoteRevealMismatch")
        .withArgs(id, carol.address);
      expect((await pool.claim(id)).approvals).to.equal(1n);
    });

    it("reverts when a voter reveals twice", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await f.pool.connect(f.bob).commitVote(id, sealed(id, f.bob.address, true, SALT_A));
      await time.increaseTo((await f.pool.claim(id)).commitEndsAt);
      await f.pool.connect(f.bob).revealVote(id, true, SALT_A);
      await expect(f.pool.connect(f.bob).revealVote(id, true, SALT_A))
        .to.be.revertedWithCustomError(f.pool, "VoteNotCommitted")
        .withArgs(id, f.bob.address);
      expect((await f.pool.claim(id)).approvals).to.equal(1n);
    });

    it("does not count commitments that were never revealed", async function () {
      const f = await loadFixture(deployActivePool);
      const { pool, bob, carol, dave, erin, frank } = f;
      const id = await submitClaim(f, f.alice, AMOUNT);
      for (const voter of [dave, erin, frank]) {
        await pool.connect(voter).commitVote(id, sealed(id, voter.address, false, SALT_B));
      }
      await voteOn(pool, id, [
        [bob, true],
        [carol, true],
      ]);
      const c = await pool.claim(id);
      expect(c.approvals).to.equal(2n);
      expect(c.rejections).to.equal(0n);
      await expect(pool.resolve(id))
        .to.emit(pool, "ClaimResolved")
        .withArgs(id, f.alice.address, State.NoQuorum, 2n, 0n, BOND, 0n);
    });
  });

  describe("resolve", function () {
    it("approves a claim exactly at the threshold and queues it", async function () {
      const f = await loadFixture(deployActivePool);
      const { pool, token, alice } = f;
      const id = await submitClaim(f, alice, AMOUNT);
      // 3 of 5 is 60%, the threshold.
      await voteOn(pool, id, [
        [f.bob, true],
        [f.carol, true],
        [f.dave, true],
        [f.erin, false],
        [f.frank, false],
      ]);
      expect(await pool.state(id)).to.equal(State.Resolvable);
      const tx = pool.connect(f.keeper).resolve(id);
      await expect(tx).to.emit(pool, "ClaimResolved").withArgs(id, alice.address, State.Approved, 3n, 2n, BOND, 0n);
      await expect(tx).to.changeTokenBalances(token, [alice, pool], [0n, 0n]);
      expect(await pool.state(id)).to.equal(State.Approved);
      expect(await pool.payoutOf(alice.address)).to.equal(BOND);
      expect(await pool.paymentQueue()).to.deep.equal([1n, id]);
      expect(await pool.openClaimOf(alice.address)).to.equal(id);
      expect(await pool.nextClaimToResolve()).to.equal(2n);
      expect(await pool.carry()).to.deep.equal([0n, 0n]);
    });

    it("rejects a claim below the threshold and carries the bond as a surplus", async function () {
      const f = await loadFixture(deployActivePool);
      const { pool, token, alice } = f;
      const id = await submitClaim(f, alice, AMOUNT);
      // 3 of 6 is 50%, below the 60% threshold.
      await voteOn(pool, id, [
        [f.bob, true],
        [f.carol, true],
        [f.dave, true],
        [f.erin, false],
        [f.frank, false],
        [f.grace, false],
      ]);
      const tx = pool.connect(f.keeper).resolve(id);
      await expect(tx).to.emit(pool, "ClaimResolved").withArgs(id, alice.address, State.Rejected, 3n, 3n, 0n, BOND);
      await expect(tx).to.changeTokenBalances(token, [alice, pool], [0n, 0n]);
      expect(await pool.state(id)).to.equal(State.Rejected);
      expect(await pool.carry()).to.deep.equal([BOND, 0n]);
      expect(await pool.payoutOf(alice.address)).to.equal(0n);
      expect(await pool.paymentQueue()).to.deep.equal([0n, 0n]);
      expect(await pool.openClaimOf(alice.address)).to.equal(0n);
    });

    it("lowers the next share by a forfeited bond", async function () {
      const f = await loadFixture(deployActivePool);
      const { pool, alice, bob } = f;
      const rejected = await submitClaim(f, alice, AMOUNT);
      const approved = await submitClaim(f, bob, AMOUNT);
      await voteOnAll(pool, [
        [
          rejected,
          [
            [bob, true],
            [f.carol, true],
            [f.dave, true],
            [f.erin, false],
            [f.frank, false],
            [f.grace, false],
          ],
        ],
        [
          approved,
          [
            [alice, true],
            [f.carol, true],
            [f.dave, true],
          ],
        ],
      ]);
      await pool.resolve(approved);
      const period = await settleAll(pool, f.keeper);
      const s = await pool.settlement(period);
      // need = 35 + 2.8 fee - 5 bond = 32.8 over 7 members: ceil gives 4.685715, and 5 units carried on.
      expect(s.members).to.equal(7n);
      expect(s.claimsPaid).to.equal(1n);
      expect(s.payouts).to.equal(AMOUNT);
      expect(s.fee).to.equal(USDC("2.8"));
      expect(s.surplusIn).to.equal(BOND);
      expect(s.deficitIn).to.equal(0n);
      expect(s.share).to.equal(4_685_715n);
      expect(s.surplusOut).to.equal(5n);
      expect(await pool.carry()).to.deep.equal([5n, 0n]);
    });

    it("closes a claim without quorum and credits the bond back to the claimant", async function () {
      const f = await loadFixture(deployActivePool);
      const { pool, token, alice } = f;
      const id = await submitClaim(f, alice, AMOUNT);
      await voteOn(pool, id, [
        [f.bob, true],
        [f.carol, false],
      ]);
      const tx = pool.connect(f.keeper).resolve(id);
      await expect(tx).to.emit(pool, "ClaimResolved").withArgs(id, alice.address, State.NoQuorum, 1n, 1n, BOND, 0n);
      await expect(tx).to.changeTokenBalances(token, [alice, pool], [0n, 0n]);
      expect(await pool.state(id)).to.equal(State.NoQuorum);
      expect(await pool.payoutOf(alice.address)).to.equal(BOND);
      expect(await pool.openClaimOf(alice.address)).to.equal(0n);
      expect(await pool.paymentQueue()).to.deep.equal([0n, 0n]);
      expect(await pool.carry()).to.deep.equal([0n, 0n]);
      await expect(pool.connect(alice).withdrawPayout()).to.changeTokenBalances(token, [alice, pool], [BOND, -BOND]);
    });

    it("resolves every pending claim up to the given id, in order", async function () {
      const f = await loadFixture(deployActivePool);
      const { pool, alice, bob, carol, dave, erin } = f;
      const first = await submitClaim(f, alice, AMOUNT);
      const second = await submitClaim(f, bob, AMOUNT);
      const third = await submitClaim(f, carol, AMOUNT);
      await voteOnAll(pool, [
        [
          first,
          [
            [bob, true],
            [carol, true],
            [dave, true],
          ],
        ],
        [
          second,
          [
            [alice, false],
            [dave, false],
            [erin, false],
          ],
        ],
        [third, [[alice, true]]],
      ]);
      expect(await pool.resolve.staticCall(third)).to.equal(3n);
      const tx = await pool.connect(f.keeper).resolve(third);
      await expect(tx)
        .to.emit(pool, "ClaimResolved")
        .withArgs(first, alice.address, State.Approved, 3n, 0n, BOND, 0n)
        .and.to.emit(pool, "ClaimResolved")
        .withArgs(second, bob.address, State.Rejected, 0n, 3n, 0n, BOND)
        .and.to.emit(pool, "ClaimResolved")
        .withArgs(third, carol.address, State.NoQuorum, 1n, 0n, BOND, 0n);
      const receipt = await tx.wait();
      const order = receipt!.logs
        .map((log) => pool.interface.parseLog(log))
        .filter((event) => event?.name === "ClaimResolved")
        .map((event) => event!.args.claimId);
      expect(order).to.deep.equal([1n, 2n, 3n]);
      expect([await pool.state(first), await pool.state(second), await pool.state(third)]).to.deep.equal([
        BigInt(State.Approved),
        BigInt(State.Rejected),
        BigInt(State.NoQuorum),
      ]);
      expect(await pool.nextClaimToResolve()).to.equal(4n);
      expect(await pool.paymentQueue()).to.deep.equal([1n, first]);
      await expect(pool.resolve(second))
        .to.be.revertedWithCustomError(pool, "UnexpectedClaimState")
        .withArgs(second, State.Rejected, State.Resolvable);
    });

    it("returns how many claims it resolved, skipping those already resolved", async function () {
      const f = await loadFixture(deployActivePool);
      const { pool } = f;
      await submitClaim(f, f.alice, AMOUNT);
      await submitClaim(f, f.bob, AMOUNT);
      await submitClaim(f, f.carol, AMOUNT);
      await time.increaseTo((await pool.claim(3n)).revealEndsAt);
      expect(await pool.resolve.staticCall(1n)).to.equal(1n);
      await pool.resolve(1n);
      expect(await pool.nextClaimToResolve()).to.equal(2n);
      expect(await pool.resolve.staticCall(3n)).to.equal(2n);
      await expect(pool.resolve(3n))
        .to.emit(pool, "ClaimResolved")
        .withArgs(2n, f.bob.address, State.NoQuorum, 0n, 0n, BOND, 0n)
        .and.to.emit(pool, "ClaimResolved")
        .withArgs(3n, f.carol.address, State.NoQuorum, 0n, 0n, BOND, 0n);
      expect(await pool.nextClaimToResolve()).to.equal(4n);
    });

    it("reverts for a claim that does not exist", async function () {
      const f = await loadFixture(deployActivePool);
      await expect(f.pool.resolve(0n))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(0n, State.None, State.Resolvable);
      await expect(f.pool.resolve(1n))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(1n, State.None, State.Resolvable);
    });

    it("reverts while the claim is in its commit or reveal window", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await expect(f.pool.resolve(id))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Committing, State.Resolvable);
      const c = await f.pool.claim(id);
      await time.increaseTo(c.commitEndsAt);
      await expect(f.pool.resolve(id))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Revealing, State.Resolvable);
      await time.setNextBlockTimestamp(c.revealEndsAt - 1n);
      await expect(f.pool.resolve(id))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Revealing, State.Resolvable);
    });

    it("reverts for a later claim whose reveal window is still open", async function () {
      const f = await loadFixture(deployActivePool);
      await submitClaim(f, f.alice, AMOUNT);
      await time.increase(DAY);
      await submitClaim(f, f.bob, AMOUNT);
      await time.increaseTo((await f.pool.claim(1n)).revealEndsAt);
      await expect(f.pool.resolve(2n))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(2n, State.Revealing, State.Resolvable);
      expect(await f.pool.nextClaimToResolve()).to.equal(1n);
    });

    it("reverts for a claim already resolved", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await voteOn(f.pool, id, [
        [f.bob, true],
        [f.carol, true],
        [f.dave, true],
      ]);
      await f.pool.resolve(id);
      await expect(f.pool.resolve(id))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Approved, State.Resolvable);
      expect(await f.pool.payoutOf(f.alice.address)).to.equal(BOND);
      expect(await f.pool.paymentQueue()).to.deep.equal([1n, id]);
    });

    it("keeps approved claims in a first-in first-out payment queue", async function () {
      const f = await loadFixture(deployActivePool);
      const { pool, alice, bob, carol, dave, erin, frank } = f;
      const ids = [
        await submitClaim(f, alice, AMOUNT),
        await submitClaim(f, bob, AMOUNT),
        await submitClaim(f, carol, AMOUNT),
      ];
      await voteOnAll(pool, [
        [
          ids[0],
          [
            [bob, true],
            [carol, true],
            [dave, true],
          ],
        ],
        [
          ids[1],
          [
            [carol, true],
            [dave, true],
            [erin, true],
          ],
        ],
        [
          ids[2],
          [
            [dave, true],
            [erin, true],
            [frank, true],
          ],
        ],
      ]);
      expect(await pool.paymentQueue()).to.deep.equal([0n, 0n]);
      await pool.resolve(ids[2]);
      expect(await pool.paymentQueue()).to.deep.equal([3n, 1n]);
      // Two claims a period: the third waits for the next settlement.
      const period = await settleAll(pool, f.keeper);
      expect((await pool.settlement(period)).claimsPaid).to.equal(2n);
      expect(await pool.paymentQueue()).to.deep.equal([1n, 3n]);
      expect(await pool.state(ids[0])).to.equal(State.Paid);
      expect(await pool.state(ids[1])).to.equal(State.Paid);
      expect(await pool.state(ids[2])).to.equal(State.Approved);
      const next = await settleAll(pool, f.keeper);
      expect(next).to.equal(period + 1n);
      expect(await pool.paymentQueue()).to.deep.equal([0n, 0n]);
      expect(await pool.state(ids[2])).to.equal(State.Paid);
    });
  });

  describe("state", function () {
    it("follows a claim through every phase to Paid", async function () {
      const f = await loadFixture(deployActivePool);
      const { pool, alice } = f;
      expect(await pool.state(1n)).to.equal(State.None);
      await fund(f, alice, BOND);
      const at = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(at);
      await pool.connect(alice).submitClaim(AMOUNT, EVIDENCE, URI);
      expect(await pool.state(1n)).to.equal(State.Committing);
      for (const voter of [f.bob, f.carol, f.dave]) {
        await pool.connect(voter).commitVote(1n, sealed(1n, voter.address, true, SALT_A));
      }
      await time.increaseTo(at + COMMIT - 1);
      expect(await pool.state(1n)).to.equal(State.Committing);
      await time.increaseTo(at + COMMIT);
      expect(await pool.state(1n)).to.equal(State.Revealing);
      for (const voter of [f.bob, f.carol, f.dave]) await pool.connect(voter).revealVote(1n, true, SALT_A);
      await time.increaseTo(at + COMMIT + REVEAL - 1);
      expect(await pool.state(1n)).to.equal(State.Revealing);
      await time.increaseTo(at + COMMIT + REVEAL);
      expect(await pool.state(1n)).to.equal(State.Resolvable);
      await pool.resolve(1n);
      expect(await pool.state(1n)).to.equal(State.Approved);
      await settleAll(pool, f.keeper);
      expect(await pool.state(1n)).to.equal(State.Paid);
      expect((await pool.claim(1n)).state).to.equal(State.Paid);
      // Paid 35 (under the cap of 10 x 7 members) on top of the refunded bond.
      expect(await pool.payoutOf(alice.address)).to.equal(BOND + AMOUNT);
    });
  });

  describe("views", function () {
    it("shows every field of a claim", async function () {
      const f = await loadFixture(deployActivePool);
      const { pool, alice, bob, carol } = f;
      await fund(f, alice, BOND);
      const at = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(at);
      await pool.connect(alice).submitClaim(AMOUNT, EVIDENCE, URI);
      await pool.connect(f.assessor).attachReview(1n, REVIEW);
      await voteOn(pool, 1n, [
        [bob, true],
        [carol, false],
      ]);
      const c = await pool.claim(1n);
      expect(c.claimant).to.equal(alice.address);
      expect(c.state).to.equal(State.Resolvable);
      expect(c.amount).to.equal(AMOUNT);
      expect(c.bond).to.equal(BOND);
      expect(c.evidenceDigest).to.equal(EVIDENCE);
      expect(c.reviewDigest).to.equal(REVIEW);
      expect(c.submittedAt).to.equal(BigInt(at));
      expect(c.commitEndsAt).to.equal(BigInt(at + COMMIT));
      expect(c.revealEndsAt).to.equal(BigInt(at + COMMIT + REVEAL));
      expect(c.approvals).to.equal(1n);
      expect(c.rejections).to.equal(1n);
    });

    it("shows an empty claim for an unknown id", async function () {
      const f = await loadFixture(deployActivePool);
      const c = await f.pool.claim(1n);
      expect(c.claimant).to.equal(ethers.ZeroAddress);
      expect(c.state).to.equal(State.None);
      expect(c.amount).to.equal(0n);
      expect(c.submittedAt).to.equal(0n);
      expect(c.commitEndsAt).to.equal(0n);
      expect(c.revealEndsAt).to.equal(0n);
    });

    it("starts with no claims, nothing to resolve and an empty queue", async function () {
      const f = await loadFixture(deployActivePool);
      expect(await f.pool.claimCount()).to.equal(0n);
      expect(await f.pool.nextClaimToResolve()).to.equal(1n);
      expect(await f.pool.openClaimOf(f.alice.address)).to.equal(0n);
      expect(await f.pool.paymentQueue()).to.deep.equal([0n, 0n]);
    });

    it("computes the vote commitment as keccak256(abi.encode(claimId, voter, support, salt))", async function () {
      const f = await loadFixture(deployActivePool);
      for (const [id, voter, support, salt] of [
        [1n, f.bob.address, true, SALT_A],
        [1n, f.bob.address, false, SALT_A],
        [7n, f.carol.address, true, SALT_B],
      ] as Array<[bigint, string, boolean, string]>) {
        expect(await f.pool.voteCommitment(id, voter, support, salt)).to.equal(sealed(id, voter, support, salt));
      }
      expect(await f.pool.voteCommitment(1n, f.bob.address, true, SALT_A)).to.not.equal(
        await f.pool.voteCommitment(1n, f.carol.address, true, SALT_A),
      );
    });
  });

  describe("after a settlement charged every member", function () {
    /** alice's claim of 35 was approved and paid: 7 members were each charged (35 + 2.8 fee) / 7 = 5.4. */
    async function deploySettledPool() {
      const f = await deployActivePool();
      const id = await submitClaim(f, f.alice, AMOUNT);
      await voteOn(f.pool, id, [
        [f.bob, true],
        [f.carol, true],
        [f.dave, true],
      ]);
      await f.pool.resolve(id);
      const period = await settleAll(f.pool, f.keeper);
      return { ...f, period };
    }

    it("charged 5.4 a head", async function () {
      const f = await loadFixture(deploySettledPool);
      const s = await f.pool.settlement(f.period);
      expect(s.share).to.equal(USDC("5.4"));
      expect(await f.pool.balanceOf(f.grace.address)).to.equal(USDC("19.6"));
    });

    it("reverts when a member charged below the minimum balance submits a claim", async function () {
      const f = await loadFixture(deploySettledPool);
      await fund(f, f.grace, BOND);
      await expect(f.pool.connect(f.grace).submitClaim(AMOUNT, EVIDENCE, URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimantUnderfunded")
        .withArgs(f.grace.address, USDC("19.6"), MIN_BALANCE);
    });

    it("reverts when a lapsed member submits a claim", async function () {
      const f = await loadFixture(deploySettledPool);
      await f.pool.connect(f.keeper).lapse(f.grace.address);
      await fund(f, f.grace, BOND);
      await expect(f.pool.connect(f.grace).submitClaim(AMOUNT, EVIDENCE, URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimantNotActive")
        .withArgs(f.grace.address, Status.Lapsed);
    });

    it("reverts when a lapsed member votes", async function () {
      const f = await loadFixture(deploySettledPool);
      await f.pool.connect(f.keeper).lapse(f.grace.address);
      const id = await submitClaim(f, f.bob, AMOUNT);
      await expect(f.pool.connect(f.grace).commitVote(id, sealed(id, f.grace.address, true, SALT_A)))
        .to.be.revertedWithCustomError(f.pool, "VoterNotEligible")
        .withArgs(id, f.grace.address);
    });

    it("reverts the reveal of a voter lapsed after committing", async function () {
      const f = await loadFixture(deploySettledPool);
      const id = await submitClaim(f, f.bob, AMOUNT);
      await f.pool.connect(f.grace).commitVote(id, sealed(id, f.grace.address, true, SALT_A));
      await f.pool.connect(f.keeper).lapse(f.grace.address);
      await time.increaseTo((await f.pool.claim(id)).commitEndsAt);
      await expect(f.pool.connect(f.grace).revealVote(id, true, SALT_A))
        .to.be.revertedWithCustomError(f.pool, "VoterNotEligible")
        .withArgs(id, f.grace.address);
      expect((await f.pool.claim(id)).approvals).to.equal(0n);
    });

    it("accepts a new claim from a claimant whose claim was paid", async function () {
      const f = await loadFixture(deploySettledPool);
      expect(await f.pool.state(1n)).to.equal(State.Paid);
      expect(await f.pool.openClaimOf(f.alice.address)).to.equal(0n);
      await expectSubmission(f, f.alice, AMOUNT, 2n);
      expect(await f.pool.openClaimOf(f.alice.address)).to.equal(2n);
    });
  });
});
