import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HuzhuPool } from "../../typechain-types";
import {
  commitVote,
  decide,
  deployPool,
  drawJury,
  fund,
  join,
  saltOf,
  submitClaim,
  voteOn,
  USDC,
  DAY,
  settleDue,
} from "../helpers/fixtures";

// IClaimVoting.ClaimState, Verdict and JurorVote, in declaration order.
const State = {
  None: 0,
  Drawing: 1,
  Committing: 2,
  Revealing: 3,
  Tallying: 4,
  Appealable: 5,
  Decided: 6,
  Resolvable: 7,
  Approved: 8,
  Rejected: 9,
  NoQuorum: 10,
  Paid: 11,
};
const Verdict = { None: 0, Approve: 1, Reject: 2 };
const Vote = { None: 0, Seated: 1, Committed: 2, Approved: 3, Rejected: 4 };
const Status = { None: 0, Waiting: 1, Active: 2, Exiting: 3 };

// A cap of 10 a head and 2 claims a period need minBalance >= 2 * 10 * 1.1 + 1 unit = 22.000001.
// A quorum of 60% of the seats: 2 of a first jury of 3, 5 of an appeal jury of 7.
const RULES = {
  capPerMember: USDC(10),
  maxClaimsPerPeriod: 2,
  minBalance: USDC(25),
  minDeposit: USDC(25),
  quorumBps: 6_000,
};
const BOND = USDC(5);
const APPEAL_BOND = USDC(10);
const PENALTY = USDC("0.5");
const MAX_CLAIM = USDC(300_000);
const FEE_BPS = 800;
const ROUND = 7 * DAY; // commit 3 + reveal 2 + appeal 2 days
const TIMETABLE = 2 * ROUND;
const AMOUNT = USDC(35);
const URI = "ipfs://encrypted";
const digest = (label: string) => ethers.keccak256(ethers.toUtf8Bytes(label));
const EVIDENCE = digest("evidence"); // the digest the fixture's submitClaim uses by default

/** Thirteen seasoned members holding 100 each (alice claims); heidi joins late in some tests. */
async function activePool(overrides = {}) {
  const setup = await deployPool({ ...RULES, ...overrides });
  const members = setup.members.slice(0, 13);
  for (const m of members) await join(setup, m, USDC(100));
  await time.increase(91 * DAY);
  const [alice, bob] = members;
  const late = setup.members[13];
  return { ...setup, seasoned: members, alice, bob, late };
}
const deployActivePool = () => activePool();

type Fixture = Awaited<ReturnType<typeof activePool>>;

/** Seated jurors commit `support`, reveal when asked, and the round is tallied by `voteOn`. */
async function voteAll(pool: HuzhuPool, id: bigint, jurors: HardhatEthersSigner[], support: boolean) {
  await voteOn(
    pool,
    id,
    jurors.map((j) => [j, support]),
  );
}

/** A claim decided by its first jury as `support`, left in its appeal window. */
async function verdictOf(f: Fixture, support: boolean, claimant = f.alice, evidence = "evidence") {
  const id = await submitClaim(f, claimant, AMOUNT, evidence);
  const jurors = await drawJury(f.pool, id);
  await voteAll(f.pool, id, jurors, support);
  return { id, jurors };
}

async function roundEnds(pool: HuzhuPool, id: bigint, r = 0n) {
  return pool.round(id, r);
}

describe("ClaimVoting", function () {
  describe("submitClaim", function () {
    it("takes the bond, records the fee rate and the timetable, and opens round 0 with a future seed block", async function () {
      const f = await loadFixture(deployActivePool);
      await fund(f, f.alice, BOND);
      const at = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(at);
      const tx = f.pool.connect(f.alice).submitClaim(AMOUNT, EVIDENCE, URI);
      await expect(tx).to.changeTokenBalances(f.token, [f.alice, f.pool], [-BOND, BOND]);
      const block = BigInt((await ethers.provider.getBlockNumber()) as number);
      await expect(tx)
        .to.emit(f.pool, "ClaimSubmitted")
        .withArgs(1n, f.alice.address, AMOUNT, BOND, FEE_BPS, EVIDENCE, URI, at + TIMETABLE)
        .and.to.emit(f.pool, "JuryRoundOpened")
        .withArgs(1n, 0n, 3n, block + 1n, 13n);
      const c = await f.pool.claim(1n);
      expect(c.state).to.equal(State.Drawing);
      expect(c.feeBps).to.equal(FEE_BPS);
      expect(c.resolvesAt).to.equal(at + TIMETABLE);
      expect(c.round).to.equal(0n);
      expect(await f.pool.openClaimOf(f.alice.address)).to.equal(1n);
      expect(await f.pool.evidenceUsed(EVIDENCE)).to.equal(true);
      expect(await f.pool.claimTimetable()).to.equal(TIMETABLE);
      const r = await f.pool.round(1n, 0n);
      expect([
        r.seatsTarget,
        r.setSize,
        r.quorum,
        r.opensAt,
        r.commitEndsAt,
        r.revealEndsAt,
        r.appealEndsAt,
      ]).to.deep.equal([3n, 13n, 2n, BigInt(at), BigInt(at + 3 * DAY), BigInt(at + 5 * DAY), BigInt(at + ROUND)]);
    });

    it("reverts when the amount is zero or above the maximum", async function () {
      const f = await loadFixture(deployActivePool);
      await fund(f, f.alice, BOND);
      await expect(f.pool.connect(f.alice).submitClaim(0n, EVIDENCE, URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimAmountOutOfRange")
        .withArgs(0n, MAX_CLAIM);
      await expect(f.pool.connect(f.alice).submitClaim(MAX_CLAIM + 1n, EVIDENCE, URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimAmountOutOfRange")
        .withArgs(MAX_CLAIM + 1n, MAX_CLAIM);
    });

    it("reverts when the evidence digest is zero", async function () {
      const f = await loadFixture(deployActivePool);
      await fund(f, f.alice, BOND);
      await expect(f.pool.connect(f.alice).submitClaim(AMOUNT, ethers.ZeroHash, URI)).to.be.revertedWithCustomError(
        f.pool,
        "ClaimZeroEvidence",
      );
    });

    it("refuses evidence that another claim of the pool already used", async function () {
      const f = await loadFixture(deployActivePool);
      await submitClaim(f, f.alice, AMOUNT);
      await fund(f, f.bob, BOND);
      await expect(f.pool.connect(f.bob).submitClaim(AMOUNT, EVIDENCE, URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimEvidenceUsed")
        .withArgs(EVIDENCE);
    });

    it("reverts when a waiting member or a non-member submits a claim", async function () {
      const f = await loadFixture(deployActivePool);
      await join(f, f.late, USDC(100));
      await fund(f, f.late, BOND);
      await expect(f.pool.connect(f.late).submitClaim(AMOUNT, EVIDENCE, URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimantNotActive")
        .withArgs(f.late.address, Status.Waiting);
      await expect(f.pool.connect(f.keeper).submitClaim(AMOUNT, EVIDENCE, URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimantNotActive")
        .withArgs(f.keeper.address, Status.None);
    });

    it("reverts when an exiting member submits a claim", async function () {
      const f = await loadFixture(deployActivePool);
      await f.pool.connect(f.bob).requestExit();
      await fund(f, f.bob, BOND);
      await expect(f.pool.connect(f.bob).submitClaim(AMOUNT, EVIDENCE, URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimantNotActive")
        .withArgs(f.bob.address, Status.Exiting);
    });

    it("reverts when the claimant's balance is below the minimum", async function () {
      const f = await loadFixture(deployActivePool);
      // Two approved claims of 35 (+ 8% fee) over 13 members charge bob 2.907693 each: he withdraws
      // down to the minimum in between and falls below it.
      const first = await submitClaim(f, f.alice, AMOUNT, "first");
      await decide(f.pool, first, true);
      await f.pool.resolve(first);
      await time.increaseTo(await f.pool.periodEnd(await f.pool.currentPeriod()));
      await settleDue(f.pool);
      await f.pool.connect(f.bob).withdraw((await f.pool.balanceOf(f.bob.address)) - RULES.minBalance);
      const second = await submitClaim(f, f.alice, AMOUNT, "second");
      await decide(f.pool, second, true);
      await f.pool.resolve(second);
      await time.increaseTo(await f.pool.periodEnd(await f.pool.currentPeriod()));
      await settleDue(f.pool);
      const low = await f.pool.balanceOf(f.bob.address);
      expect(low).to.be.lessThan(RULES.minBalance);
      await fund(f, f.bob, BOND);
      await expect(f.pool.connect(f.bob).submitClaim(AMOUNT, digest("bob"), URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimantUnderfunded")
        .withArgs(f.bob.address, low, RULES.minBalance);
    });

    it("reverts when the claimant already has an open claim", async function () {
      const f = await loadFixture(deployActivePool);
      await submitClaim(f, f.alice, AMOUNT);
      await fund(f, f.alice, BOND);
      await expect(f.pool.connect(f.alice).submitClaim(AMOUNT, digest("other"), URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimAlreadyOpen")
        .withArgs(f.alice.address, 1n);
    });

    it("reverts while the guardian has paused the pool", async function () {
      const f = await loadFixture(deployActivePool);
      await f.pool.connect(f.guardian).pause();
      await fund(f, f.alice, BOND);
      await expect(f.pool.connect(f.alice).submitClaim(AMOUNT, EVIDENCE, URI)).to.be.revertedWithCustomError(
        f.pool,
        "EnforcedPause",
      );
    });
  });

  describe("drawJury", function () {
    it("reverts while the seed block is not mined yet", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      const seedBlock = (await f.pool.round(id, 0n)).seedBlock;
      // The next transaction is mined in the seed block itself, whose hash does not exist yet.
      await expect(f.pool.drawJury(id))
        .to.be.revertedWithCustomError(f.pool, "JurySeedNotReady")
        .withArgs(id, 0n, seedBlock);
    });

    it("seats jurySize seasoned members, never the claimant, seeded by the seed block's hash", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      const seedBlock = (await f.pool.round(id, 0n)).seedBlock;
      await mine(1);
      const seed = (await ethers.provider.getBlock(Number(seedBlock)))!.hash;
      await expect(f.pool.drawJury(id)).to.emit(f.pool, "JuryDrawn").withArgs(id, 0n, seed, 3n);
      const jury = await f.pool.jury(id, 0n);
      expect(jury).to.have.length(3);
      expect(new Set(jury).size).to.equal(3);
      expect(jury).to.not.include(f.alice.address);
      for (const juror of jury) {
        expect(f.seasoned.map((s) => s.address)).to.include(juror);
        expect(await f.pool.jurorVote(id, juror)).to.deep.equal([0n, BigInt(Vote.Seated)]);
      }
      expect(await f.pool.jurorVote(id, f.alice.address)).to.deep.equal([0n, BigInt(Vote.None)]);
      expect(await f.pool.state(id)).to.equal(State.Committing);
      const r = await f.pool.round(id, 0n);
      expect([r.drawn, r.seats]).to.deep.equal([true, 3n]);
    });

    it("never seats a member who was not seasoned before the claim", async function () {
      const setup = await deployPool(RULES);
      const [alice, bob, carol, dave, ...rest] = setup.members;
      for (const m of [alice, bob, carol, dave]) await join(setup, m, USDC(100));
      await time.increase(91 * DAY);
      const waiting = rest.slice(0, 4);
      for (const m of waiting) await join(setup, m, USDC(100));
      const id = await submitClaim(setup, alice, AMOUNT);
      const seated = await drawJury(setup.pool, id);
      expect(seated.length).to.be.greaterThan(0);
      for (const juror of seated) expect([bob, carol, dave].map((m) => m.address)).to.include(juror.address);
    });

    it("reverts once the round's commit window is over", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await time.increaseTo((await f.pool.round(id, 0n)).commitEndsAt);
      await expect(f.pool.drawJury(id))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Revealing, State.Drawing);
    });

    it("reverts when the jury is already drawn", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await drawJury(f.pool, id);
      await expect(f.pool.drawJury(id))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Committing, State.Drawing);
    });

    it("re-anchors to a new future block, seating nobody, when the seed aged out of the last 256 blocks", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await mine(257);
      const next = BigInt(await ethers.provider.getBlockNumber()) + 1n;
      await expect(f.pool.drawJury(id))
        .to.emit(f.pool, "JuryReanchored")
        .withArgs(id, 0n, next + 1n)
        .and.not.to.emit(f.pool, "JuryDrawn");
      const r = await f.pool.round(id, 0n);
      expect([r.seedBlock, r.reanchors, r.drawn]).to.deep.equal([next + 1n, 1n, false]);
      expect(await f.pool.state(id)).to.equal(State.Drawing);
      expect(await drawJury(f.pool, id)).to.have.length(3);
    });

    it("takes the seed from a VRF source: requested at submission, refused until delivered", async function () {
      const vrf = await ethers.deployContract("MockJuryRandomness");
      const f = await activePool({ randomness: await vrf.getAddress() });
      const id = await submitClaim(f, f.alice, AMOUNT);
      const key = (id << 8n) | 0n;
      expect(await vrf.requested(key)).to.equal(true);
      const seedBlock = (await f.pool.round(id, 0n)).seedBlock;
      await mine(5);
      await expect(f.pool.drawJury(id))
        .to.be.revertedWithCustomError(f.pool, "JurySeedNotReady")
        .withArgs(id, 0n, seedBlock);
      const seed = ethers.id("vrf seed");
      await vrf.deliver(key, seed);
      await expect(f.pool.drawJury(id)).to.emit(f.pool, "JuryDrawn").withArgs(id, 0n, seed, 3n);
    });
  });

  describe("commitVote and revealVote", function () {
    it("lets a seated juror commit, replace the commitment, and reveal the last one", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      const [juror] = await drawJury(f.pool, id);
      const first = await f.pool.voteCommitment(id, 0n, juror.address, false, saltOf("a"));
      await expect(f.pool.connect(juror).commitDecision(id, first))
        .to.emit(f.pool, "VoteCommitted")
        .withArgs(id, 0n, juror.address, first);
      const salt = await commitVote(f.pool, juror, id, true);
      expect(await f.pool.jurorVote(id, juror.address)).to.deep.equal([0n, BigInt(Vote.Committed)]);
      await time.increaseTo((await f.pool.round(id, 0n)).commitEndsAt);
      await expect(f.pool.connect(juror).revealDecision(id, false, saltOf("a")))
        .to.be.revertedWithCustomError(f.pool, "VoteRevealMismatch")
        .withArgs(id, juror.address);
      await expect(f.pool.connect(juror).revealDecision(id, true, salt))
        .to.emit(f.pool, "VoteRevealed")
        .withArgs(id, 0n, juror.address, true);
      expect(await f.pool.jurorVote(id, juror.address)).to.deep.equal([0n, BigInt(Vote.Approved)]);
      expect((await f.pool.round(id, 0n)).approvals).to.equal(1n);
      await expect(f.pool.connect(juror).revealDecision(id, true, salt))
        .to.be.revertedWithCustomError(f.pool, "VoteNotCommitted")
        .withArgs(id, juror.address);
    });

    it("computes the commitment as keccak256(abi.encode(claimId, round, juror, support, salt))", async function () {
      const f = await loadFixture(deployActivePool);
      const salt = saltOf("x");
      const expected = ethers.keccak256(
        ethers.AbiCoder.defaultAbiCoder().encode(
          ["uint256", "uint256", "address", "bool", "bytes32"],
          [7n, 1n, f.bob.address, true, salt],
        ),
      );
      expect(await f.pool.voteCommitment(7n, 1n, f.bob.address, true, salt)).to.equal(expected);
    });

    it("refuses a commit before the jury is drawn", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await expect(f.pool.connect(f.bob).commitDecision(id, ethers.id("c")))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Drawing, State.Committing);
    });

    it("refuses a commit from a member not seated, and from the claimant", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      const jurors = await drawJury(f.pool, id);
      const seated = jurors.map((j) => j.address);
      const outsider = f.seasoned.find((m) => m !== f.alice && !seated.includes(m.address))!;
      for (const who of [outsider, f.alice, f.keeper]) {
        await expect(f.pool.connect(who).commitDecision(id, ethers.id("c")))
          .to.be.revertedWithCustomError(f.pool, "JurorNotSeated")
          .withArgs(id, 0n, who.address);
      }
    });

    it("refuses a zero commitment", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      const [juror] = await drawJury(f.pool, id);
      await expect(f.pool.connect(juror).commitDecision(id, ethers.ZeroHash)).to.be.revertedWithCustomError(
        f.pool,
        "VoteZeroCommitment",
      );
    });

    it("refuses a reveal during the commit window, from a juror who never committed, and from an outsider", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      const [j1, j2] = await drawJury(f.pool, id);
      const salt = await commitVote(f.pool, j1, id, true);
      await expect(f.pool.connect(j1).revealDecision(id, true, salt))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Committing, State.Revealing);
      await time.increaseTo((await f.pool.round(id, 0n)).commitEndsAt);
      await expect(f.pool.connect(j1).commitDecision(id, ethers.id("late")))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Revealing, State.Committing);
      await expect(f.pool.connect(j2).revealDecision(id, true, salt))
        .to.be.revertedWithCustomError(f.pool, "VoteNotCommitted")
        .withArgs(id, j2.address);
      await expect(f.pool.connect(f.alice).revealDecision(id, true, salt))
        .to.be.revertedWithCustomError(f.pool, "JurorNotSeated")
        .withArgs(id, 0n, f.alice.address);
    });
  });

  describe("tally", function () {
    it("refuses to tally before the reveal window is over", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await drawJury(f.pool, id);
      await time.increaseTo((await f.pool.round(id, 0n)).commitEndsAt);
      await expect(f.pool.tally(id))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Revealing, State.Tallying);
    });

    it("approves at the threshold and penalises a juror who committed but did not reveal", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      const [j1, j2, silent] = await drawJury(f.pool, id);
      const s1 = await commitVote(f.pool, j1, id, true);
      const s2 = await commitVote(f.pool, j2, id, true);
      await commitVote(f.pool, silent, id, false);
      const r = await roundEnds(f.pool, id);
      await time.increaseTo(r.commitEndsAt);
      await f.pool.connect(j1).revealDecision(id, true, s1);
      await f.pool.connect(j2).revealDecision(id, true, s2);
      await time.increaseTo(r.revealEndsAt);
      const before = await f.pool.balanceOf(silent.address);
      const [surplus] = await f.pool.carry();
      await expect(f.pool.tally(id))
        .to.emit(f.pool, "JurorPenalized")
        .withArgs(id, 0n, silent.address, PENALTY)
        .and.to.emit(f.pool, "RoundTallied")
        .withArgs(id, 0n, 2n, 0n, 2n, Verdict.Approve);
      expect(await f.pool.balanceOf(silent.address)).to.equal(before - PENALTY);
      expect(await f.pool.carry()).to.deep.equal([surplus + PENALTY, 0n]);
      const c = await f.pool.claim(id);
      expect([c.state, c.verdict]).to.deep.equal([BigInt(State.Appealable), BigInt(Verdict.Approve)]);
    });

    it("rejects below the threshold (one approval of two revealed votes is 50% < 60%)", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      const [j1, j2, j3] = await drawJury(f.pool, id);
      await voteOn(f.pool, id, [
        [j1, true],
        [j2, false],
      ]);
      expect((await f.pool.claim(id)).verdict).to.equal(Verdict.Reject);
      expect((await f.pool.jurorVote(id, j3.address))[1]).to.equal(Vote.Seated);
    });

    it("takes at most the balance a juror has left as the penalty", async function () {
      const f = await activePool({ jurorPenalty: USDC(1_000) });
      const id = await submitClaim(f, f.alice, AMOUNT);
      const [j1, j2, silent] = await drawJury(f.pool, id);
      const balance = await f.pool.balanceOf(silent.address);
      const r = await roundEnds(f.pool, id);
      const s1 = await commitVote(f.pool, j1, id, true);
      const s2 = await commitVote(f.pool, j2, id, true);
      await time.increaseTo(r.commitEndsAt);
      await f.pool.connect(j1).revealDecision(id, true, s1);
      await f.pool.connect(j2).revealDecision(id, true, s2);
      await time.increaseTo(r.revealEndsAt);
      await expect(f.pool.tally(id)).to.emit(f.pool, "JurorPenalized").withArgs(id, 0n, silent.address, balance);
      expect(await f.pool.balanceOf(silent.address)).to.equal(0n);
    });

    it("opens a fresh jury of the same size when short of quorum, seating nobody from the first", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      const first = await drawJury(f.pool, id);
      const r0 = await roundEnds(f.pool, id);
      await time.increaseTo(r0.revealEndsAt);
      const block = BigInt(await ethers.provider.getBlockNumber());
      await expect(f.pool.tally(id))
        .to.emit(f.pool, "RoundTallied")
        .withArgs(id, 0n, 0n, 0n, 2n, Verdict.None)
        .and.to.emit(f.pool, "JuryRoundOpened")
        .withArgs(id, 1n, 3n, block + 2n, 13n);
      const c = await f.pool.claim(id);
      expect([c.round, c.state, c.verdict]).to.deep.equal([1n, BigInt(State.Drawing), BigInt(Verdict.None)]);
      const second = await drawJury(f.pool, id);
      expect(second).to.have.length(3);
      for (const juror of second) expect(first.map((j) => j.address)).to.not.include(juror.address);
      await voteAll(f.pool, id, second, true);
      expect((await f.pool.claim(id)).verdict).to.equal(Verdict.Approve);
      // The last round: its verdict cannot be appealed.
      expect(await f.pool.state(id)).to.equal(State.Decided);
    });
  });

  describe("appeal", function () {
    it("lets the claimant appeal a rejection with the appeal bond, seating 2 x 3 + 1 fresh jurors", async function () {
      const f = await loadFixture(deployActivePool);
      const { id, jurors } = await verdictOf(f, false);
      await fund(f, f.alice, APPEAL_BOND);
      const tx = f.pool.connect(f.alice).appeal(id);
      await expect(tx).to.changeTokenBalances(f.token, [f.alice, f.pool], [-APPEAL_BOND, APPEAL_BOND]);
      await expect(tx)
        .to.emit(f.pool, "AppealFiled")
        .withArgs(id, 1n, f.alice.address, APPEAL_BOND)
        .and.to.emit(f.pool, "JuryRoundOpened");
      expect((await f.pool.claim(id)).appellant).to.equal(f.alice.address);
      expect((await f.pool.round(id, 1n)).seatsTarget).to.equal(7n);
      expect((await f.pool.round(id, 1n)).quorum).to.equal(5n);
      const appealJury = await drawJury(f.pool, id);
      for (const juror of appealJury) expect(jurors.map((j) => j.address)).to.not.include(juror.address);
    });

    it("refuses an appeal of a rejection by anyone but the claimant", async function () {
      const f = await loadFixture(deployActivePool);
      const { id } = await verdictOf(f, false);
      await fund(f, f.bob, APPEAL_BOND);
      await expect(f.pool.connect(f.bob).appeal(id))
        .to.be.revertedWithCustomError(f.pool, "AppealNotAllowed")
        .withArgs(id, f.bob.address);
    });

    it("lets a seasoned member appeal an approval, but not the claimant, a waiting member or an outsider", async function () {
      const f = await loadFixture(deployActivePool);
      await join(f, f.late, USDC(100));
      const { id } = await verdictOf(f, true);
      for (const who of [f.alice, f.late, f.keeper]) {
        await fund(f, who, APPEAL_BOND);
        await expect(f.pool.connect(who).appeal(id))
          .to.be.revertedWithCustomError(f.pool, "AppealNotAllowed")
          .withArgs(id, who.address);
      }
      await fund(f, f.bob, APPEAL_BOND);
      await expect(f.pool.connect(f.bob).appeal(id))
        .to.emit(f.pool, "AppealFiled")
        .withArgs(id, 1n, f.bob.address, APPEAL_BOND);
    });

    it("refuses an appeal after the appeal window, and of a round that reached no verdict", async function () {
      const f = await loadFixture(deployActivePool);
      const { id } = await verdictOf(f, false);
      await time.increaseTo((await f.pool.round(id, 0n)).appealEndsAt);
      await fund(f, f.alice, APPEAL_BOND);
      await expect(f.pool.connect(f.alice).appeal(id))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Decided, State.Appealable);
    });

    it("forfeits the bond to the surplus when the appeal jury confirms the verdict", async function () {
      const f = await loadFixture(deployActivePool);
      const { id } = await verdictOf(f, false);
      await fund(f, f.alice, APPEAL_BOND);
      await f.pool.connect(f.alice).appeal(id);
      const jury = await drawJury(f.pool, id);
      const [surplus] = await f.pool.carry();
      const tx = voteAll(f.pool, id, jury, false);
      await expect(tx).to.not.be.reverted;
      expect(await f.pool.carry()).to.deep.equal([surplus + APPEAL_BOND, 0n]);
      await time.increaseTo((await f.pool.claim(id)).resolvesAt);
      await expect(f.pool.resolve(id))
        .to.emit(f.pool, "ClaimResolved")
        .withArgs(id, f.alice.address, State.Rejected, 0n, BOND)
        .and.not.to.emit(f.pool, "AppealDecided");
      expect(await f.pool.payoutOf(f.alice.address)).to.equal(0n);
    });

    it("emits AppealDecided with the forfeited bond when the verdict is confirmed", async function () {
      const f = await loadFixture(deployActivePool);
      const { id } = await verdictOf(f, true);
      await fund(f, f.bob, APPEAL_BOND);
      await f.pool.connect(f.bob).appeal(id);
      const jury = await drawJury(f.pool, id);
      const salts = [];
      for (const j of jury) salts.push(await commitVote(f.pool, j, id, true));
      const r = await f.pool.round(id, 1n);
      await time.increaseTo(r.commitEndsAt);
      for (let i = 0; i < jury.length; i++) await f.pool.connect(jury[i]).revealDecision(id, true, salts[i]);
      await time.increaseTo(r.revealEndsAt);
      await expect(f.pool.tally(id))
        .to.emit(f.pool, "AppealDecided")
        .withArgs(id, f.bob.address, false, 0n, APPEAL_BOND);
      expect((await f.pool.claim(id)).appellant).to.equal(ethers.ZeroAddress);
    });

    it("refunds the bond to the appellant's payout when the appeal jury overturns the verdict", async function () {
      const f = await loadFixture(deployActivePool);
      const { id } = await verdictOf(f, false);
      await fund(f, f.alice, APPEAL_BOND);
      await f.pool.connect(f.alice).appeal(id);
      const jury = await drawJury(f.pool, id);
      const salts = [];
      for (const j of jury) salts.push(await commitVote(f.pool, j, id, true));
      const r = await f.pool.round(id, 1n);
      await time.increaseTo(r.commitEndsAt);
      for (let i = 0; i < jury.length; i++) await f.pool.connect(jury[i]).revealDecision(id, true, salts[i]);
      await time.increaseTo(r.revealEndsAt);
      await expect(f.pool.tally(id))
        .to.emit(f.pool, "AppealDecided")
        .withArgs(id, f.alice.address, true, APPEAL_BOND, 0n);
      expect(await f.pool.payoutOf(f.alice.address)).to.equal(APPEAL_BOND);
      await time.increaseTo((await f.pool.claim(id)).resolvesAt);
      await expect(f.pool.resolve(id))
        .to.emit(f.pool, "ClaimResolved")
        .withArgs(id, f.alice.address, State.Approved, BOND, 0n);
      expect(await f.pool.payoutOf(f.alice.address)).to.equal(APPEAL_BOND + BOND);
      expect(await f.pool.paymentQueue()).to.deep.equal([1n, id]);
    });

    it("refunds the bond at resolution when the appeal round reaches no verdict, and the first verdict stands", async function () {
      const f = await loadFixture(deployActivePool);
      const { id } = await verdictOf(f, false);
      await fund(f, f.alice, APPEAL_BOND);
      await f.pool.connect(f.alice).appeal(id);
      const jury = await drawJury(f.pool, id);
      await time.increaseTo((await f.pool.claim(id)).resolvesAt);
      // Nobody tallied the appeal round: resolve closes it, penalising every silent juror.
      const tx = f.pool.resolve(id);
      await expect(tx)
        .to.emit(f.pool, "RoundTallied")
        .withArgs(id, 1n, 0n, 0n, 5n, Verdict.None)
        .and.to.emit(f.pool, "JurorPenalized")
        .withArgs(id, 1n, jury[0].address, PENALTY);
      await expect(tx)
        .to.emit(f.pool, "AppealDecided")
        .withArgs(id, f.alice.address, false, APPEAL_BOND, 0n)
        .and.to.emit(f.pool, "ClaimResolved")
        .withArgs(id, f.alice.address, State.Rejected, 0n, BOND);
      expect(await f.pool.payoutOf(f.alice.address)).to.equal(APPEAL_BOND);
    });
  });

  describe("resolve", function () {
    it("refuses a claim whose timetable is not over", async function () {
      const f = await loadFixture(deployActivePool);
      const { id } = await verdictOf(f, true);
      await expect(f.pool.resolve(id))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Appealable, State.Resolvable);
      await time.setNextBlockTimestamp((await f.pool.claim(id)).resolvesAt - 1n);
      await expect(f.pool.resolve(id))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Decided, State.Resolvable);
    });

    it("resolves every earlier pending claim in id order, queueing approvals and refunding their bonds", async function () {
      const f = await loadFixture(deployActivePool);
      const [, , carol] = f.seasoned;
      const a = await submitClaim(f, f.alice, AMOUNT, "a");
      const b = await submitClaim(f, f.bob, AMOUNT, "b");
      const c = await submitClaim(f, carol, AMOUNT, "c");
      for (const id of [a, b]) {
        const jury = await drawJury(f.pool, id);
        for (const j of jury) await commitVote(f.pool, j, id, id === a);
      }
      // Reveal both; claim c gets no votes at all.
      const r = await f.pool.round(b, 0n);
      await time.increaseTo(r.commitEndsAt);
      for (const id of [a, b]) {
        for (const juror of await f.pool.jury(id, 0n)) {
          const signer = f.seasoned.find((s) => s.address === juror)!;
          await f.pool.connect(signer).revealDecision(id, id === a, saltOf(`${juror}:${id}:0`));
        }
      }
      await time.increaseTo((await f.pool.claim(b)).resolvesAt);
      expect(await f.pool.resolve.staticCall(b)).to.equal(2n);
      const tx = f.pool.resolve(b);
      await expect(tx)
        .to.emit(f.pool, "ClaimResolved")
        .withArgs(a, f.alice.address, State.Approved, BOND, 0n)
        .and.to.emit(f.pool, "ClaimResolved")
        .withArgs(b, f.bob.address, State.Rejected, 0n, BOND);
      expect(await f.pool.nextClaimToResolve()).to.equal(3n);
      expect(await f.pool.paymentQueue()).to.deep.equal([1n, a]);
      expect(await f.pool.state(a)).to.equal(State.Approved);
      expect(await f.pool.state(b)).to.equal(State.Rejected);
      expect(await f.pool.openClaimOf(f.bob.address)).to.equal(0n);
      expect(await f.pool.openClaimOf(f.alice.address)).to.equal(a);
      await time.increaseTo((await f.pool.claim(c)).resolvesAt);
      await expect(f.pool.resolve(c))
        .to.emit(f.pool, "ClaimResolved")
        .withArgs(c, carol.address, State.NoQuorum, BOND, 0n);
    });

    it("records NoQuorum when no jury revealed, refunds the bond and releases the evidence for a new claim", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      // Round 0 and the fresh round 1 both pass without a vote.
      await time.increaseTo((await f.pool.round(id, 0n)).revealEndsAt);
      await f.pool.tally(id);
      await time.increaseTo((await f.pool.claim(id)).resolvesAt);
      await expect(f.pool.resolve(id))
        .to.emit(f.pool, "ClaimResolved")
        .withArgs(id, f.alice.address, State.NoQuorum, BOND, 0n);
      expect(await f.pool.payoutOf(f.alice.address)).to.equal(BOND);
      expect(await f.pool.evidenceUsed(EVIDENCE)).to.equal(false);
      expect(await f.pool.openClaimOf(f.alice.address)).to.equal(0n);
      expect(await submitClaim(f, f.alice, AMOUNT)).to.equal(id + 1n);
      expect(await f.pool.evidenceUsed(EVIDENCE)).to.equal(true);
    });

    it("keeps a rejected claim's evidence used", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await decide(f.pool, id, false);
      await f.pool.resolve(id);
      expect(await f.pool.evidenceUsed(EVIDENCE)).to.equal(true);
      await fund(f, f.alice, BOND);
      await expect(f.pool.connect(f.alice).submitClaim(AMOUNT, EVIDENCE, URI))
        .to.be.revertedWithCustomError(f.pool, "ClaimEvidenceUsed")
        .withArgs(EVIDENCE);
    });

    it("lets votes, tallies and resolution go on while the pool is paused", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await f.pool.connect(f.guardian).pause();
      await decide(f.pool, id, true);
      await expect(f.pool.resolve(id)).to.emit(f.pool, "ClaimResolved");
    });
  });

  describe("attachReview", function () {
    it("records the assessor's review digest once, while the claim is pending", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      const review = ethers.id("review");
      await expect(f.pool.connect(f.assessor).attachReview(id, ethers.ZeroHash)).to.be.revertedWithCustomError(
        f.pool,
        "ClaimZeroReview",
      );
      await expect(f.pool.connect(f.assessor).attachReview(id, review))
        .to.emit(f.pool, "ClaimReviewed")
        .withArgs(id, f.assessor.address, review);
      expect((await f.pool.claim(id)).reviewDigest).to.equal(review);
      await expect(f.pool.connect(f.assessor).attachReview(id, review))
        .to.be.revertedWithCustomError(f.pool, "ClaimAlreadyReviewed")
        .withArgs(id);
    });

    it("refuses a review from anyone but the assessor", async function () {
      const f = await loadFixture(deployActivePool);
      const id = await submitClaim(f, f.alice, AMOUNT);
      for (const who of [f.bob, f.operator]) {
        await expect(f.pool.connect(who).attachReview(id, ethers.id("r")))
          .to.be.revertedWithCustomError(f.pool, "ConfigUnauthorized")
          .withArgs(who.address);
      }
    });

    it("refuses a review of an unknown claim or of one whose timetable is over", async function () {
      const f = await loadFixture(deployActivePool);
      await expect(f.pool.connect(f.assessor).attachReview(9n, ethers.id("r")))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(9n, State.None, State.Committing);
      const id = await submitClaim(f, f.alice, AMOUNT);
      await time.increaseTo((await f.pool.claim(id)).resolvesAt);
      await expect(f.pool.connect(f.assessor).attachReview(id, ethers.id("r")))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedClaimState")
        .withArgs(id, State.Resolvable, State.Committing);
    });
  });

  describe("views", function () {
    it("reads an unknown claim and round as zeros", async function () {
      const f = await loadFixture(deployActivePool);
      expect(await f.pool.state(0n)).to.equal(State.None);
      expect(await f.pool.state(1n)).to.equal(State.None);
      expect((await f.pool.claim(1n)).claimant).to.equal(ethers.ZeroAddress);
      expect((await f.pool.round(1n, 0n)).seatsTarget).to.equal(0n);
      expect(await f.pool.jury(1n, 0n)).to.deep.equal([]);
      expect(await f.pool.paymentQueue()).to.deep.equal([0n, 0n]);
    });
  });
});
