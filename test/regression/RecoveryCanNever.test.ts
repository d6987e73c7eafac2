/**
 * Issue 15: beneficiaries and the recovery of a lost wallet give the identity verifier, a
 * member's recovery address and a claim's payee new powers. Each "can never" of the trust table is
 * tried here by the party it binds, and shown to fail; the races (a recovery against a claim, a
 * jury seat and an exit) end with every token accounted for.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HuzhuPool, MockERC20 } from "../../typechain-types";
import {
  approveTogether,
  commitVote,
  createPool,
  decide,
  defaultRules,
  deployFactory,
  deployPool,
  drawJury,
  endPeriod,
  fund,
  join,
  settleDue,
  signRecovery,
  submitClaim,
  DAY,
  USDC,
} from "../helpers/fixtures";
import { C, DELAY, openPool as fourOpen, verifiedPool as fourVerified } from "../helpers/recovery";

const NONE = 0n;
const ACTIVE = 2n;
const EXITED = 6n;

/**
 * Invariant 1 over the accounts a test knows: the escrow holds exactly every balance, every payout
 * owed, the fees, the bonds of open claims and the carry.
 */
async function expectEscrowExact(pool: HuzhuPool, token: MockERC20, accounts: string[], openBonds = 0n) {
  let owed = openBonds + (await pool.feesAccrued());
  for (const a of new Set(accounts)) {
    const balance = await pool.balanceOf(a);
    owed += (balance > 0n ? balance : 0n) + (await pool.payoutOf(a));
  }
  const [surplus, deficit] = await pool.carry();
  expect(await token.balanceOf(await pool.getAddress())).to.equal(owed + surplus - deficit);
}

describe("Regression: what a verifier, a recovery address and a payee can never do", function () {
  async function verifiedPool() {
    const setup = await fourVerified();
    const [hospital, thief] = setup.others;
    return { ...setup, hospital, thief };
  }

  it("a hostile verifier cannot move a membership whose owner watches it: one cancel each time, then an opt-out", async function () {
    const { pool, verifier, alice, thief } = await loadFixture(verifiedPool);
    const before = await pool.member(alice.address);
    for (let attempt = 0; attempt < 2; attempt++) {
      const a = await signRecovery(pool, verifier, alice.address, thief.address, C(alice));
      await pool.connect(verifier).requestRecovery(C(alice), thief.address, a.deadline, a.signature);
      await time.increase(DELAY - BigInt(DAY));
      await pool.connect(alice).cancelRecovery(alice.address);
      await time.increase(DAY);
      await expect(pool.completeRecovery(C(alice)))
        .to.be.revertedWithCustomError(pool, "RecoveryNotPending")
        .withArgs(alice.address);
    }
    await pool.connect(alice).setRecoveryOptions(ethers.ZeroAddress, true);
    const a = await signRecovery(pool, verifier, alice.address, thief.address, C(alice));
    await expect(pool.connect(verifier).requestRecovery(C(alice), thief.address, a.deadline, a.signature))
      .to.be.revertedWithCustomError(pool, "RecoveryVerifierOptedOut")
      .withArgs(alice.address);
    const after = await pool.member(alice.address);
    expect(after.status).to.equal(ACTIVE);
    expect(after.credit).to.equal(before.credit);
    expect(await pool.statusOf(thief.address)).to.equal(NONE);
    expect(await pool.commitmentOwner(C(alice))).to.equal(alice.address);
  });

  it("a verifier's attestation starts one recovery only: replayed after a cancel, or a settings change, it reverts", async function () {
    const { pool, verifier, alice, thief } = await loadFixture(verifiedPool);
    expect((await pool.recoveryOf(alice.address)).nonce).to.equal(0n);
    const a = await signRecovery(pool, verifier, alice.address, thief.address, C(alice));
    await pool.requestRecovery(C(alice), thief.address, a.deadline, a.signature);
    await pool.connect(alice).cancelRecovery(alice.address);
    expect((await pool.recoveryOf(alice.address)).nonce).to.equal(1n);
    // Unexpired, and signed by the verifier: void all the same.
    expect(a.deadline).to.be.greaterThan(BigInt(await time.latest()));
    await expect(pool.requestRecovery(C(alice), thief.address, a.deadline, a.signature))
      .to.be.revertedWithCustomError(pool, "RecoveryAttestationInvalid")
      .withArgs(alice.address, thief.address);
    // An attestation signed before the member changes its recovery settings is void too.
    const b = await signRecovery(pool, verifier, alice.address, thief.address, C(alice));
    await pool.connect(alice).setRecoveryOptions(ethers.ZeroAddress, false);
    await expect(pool.requestRecovery(C(alice), thief.address, b.deadline, b.signature))
      .to.be.revertedWithCustomError(pool, "RecoveryAttestationInvalid")
      .withArgs(alice.address, thief.address);
    // The verifier can still attest afresh, for the current nonce (what it can still do: see the README).
    const c = await signRecovery(pool, verifier, alice.address, thief.address, C(alice));
    await expect(pool.requestRecovery(C(alice), thief.address, c.deadline, c.signature)).to.emit(
      pool,
      "RecoveryRequested",
    );
  });

  it("an attestation used for a completed recovery cannot move the membership again once it returns", async function () {
    const { pool, verifier, alice } = await loadFixture(verifiedPool);
    // The verifier moves Alice's membership to a wallet of hers; she later moves it back to her first wallet.
    const newAlice = (await ethers.getSigners())[18];
    const longDeadline = BigInt(await time.latest()) + 100n * BigInt(DAY);
    const away = await signRecovery(pool, verifier, alice.address, newAlice.address, C(alice), longDeadline);
    await pool.requestRecovery(C(alice), newAlice.address, away.deadline, away.signature);
    await time.increase(DELAY);
    await pool.completeRecovery(C(alice));
    expect((await pool.recoveryOf(newAlice.address)).nonce).to.equal(1n);
    const back = await signRecovery(pool, verifier, newAlice.address, alice.address, C(alice));
    await pool.requestRecovery(C(alice), alice.address, back.deadline, back.signature);
    await time.increase(DELAY);
    await pool.completeRecovery(C(alice));
    expect(await pool.commitmentOwner(C(alice))).to.equal(alice.address);
    expect((await pool.recoveryOf(alice.address)).nonce).to.equal(2n);
    // The first attestation names the same member, wallet and commitment, and has not expired: replayed, it reverts.
    expect(away.deadline).to.be.greaterThan(BigInt(await time.latest()));
    await expect(pool.requestRecovery(C(alice), newAlice.address, away.deadline, away.signature))
      .to.be.revertedWithCustomError(pool, "RecoveryAttestationInvalid")
      .withArgs(alice.address, newAlice.address);
    expect((await pool.recoveryOf(alice.address)).readyAt).to.equal(0n);
  });

  it("nobody can move a membership faster than the 30-day delay, nor restart it to a shorter one", async function () {
    const { pool, verifier, alice, thief } = await loadFixture(verifiedPool);
    const a = await signRecovery(pool, verifier, alice.address, thief.address, C(alice));
    await pool.requestRecovery(C(alice), thief.address, a.deadline, a.signature);
    const { readyAt } = await pool.recoveryOf(alice.address);
    expect(readyAt).to.equal(BigInt(await time.latest()) + DELAY);
    // A second attestation cannot replace the pending one with an earlier end.
    await expect(pool.requestRecovery(C(alice), thief.address, a.deadline, a.signature)).to.be.revertedWithCustomError(
      pool,
      "RecoveryAlreadyPending",
    );
    await time.setNextBlockTimestamp(readyAt - 1n);
    await expect(pool.completeRecovery(C(alice)))
      .to.be.revertedWithCustomError(pool, "RecoveryNotReady")
      .withArgs(alice.address, readyAt);
    expect(await pool.statusOf(alice.address)).to.equal(ACTIVE);
  });

  it("a recovery never touches a payout already owed: it stays with the account it was credited to", async function () {
    const setup = await loadFixture(verifiedPool);
    const { pool, token, verifier, alice, bob, carol, dave, hospital, thief } = setup;
    // Alice's claim pays her; Bob's pays the hospital he named. Both are owed, unwithdrawn.
    const own = await submitClaim(setup, alice, USDC(40), "alice");
    await fund(setup, bob, USDC(5));
    await pool.connect(bob).submitClaimTo(USDC(40), ethers.id("bob"), "", hospital.address);
    const bobs = own + 1n;
    await approveTogether(pool, [own, bobs]);
    await endPeriod(pool, await pool.currentPeriod());
    await settleDue(pool);
    const aliceOwed = await pool.payoutOf(alice.address);
    const hospitalOwed = await pool.payoutOf(hospital.address);
    expect(aliceOwed).to.equal(USDC("0.4") + USDC(5)); // her payout (4 members x 0.1) and her bond
    expect(hospitalOwed).to.equal(USDC("0.4"));
    // The verifier takes both members' memberships; nobody cancels.
    for (const [m, to] of [
      [alice, thief],
      [bob, (await ethers.getSigners())[18]],
    ] as const) {
      const a = await signRecovery(pool, verifier, m.address, to.address, C(m));
      await pool.requestRecovery(C(m), to.address, a.deadline, a.signature);
    }
    await time.increase(DELAY);
    await pool.completeRecovery(C(alice));
    await pool.completeRecovery(C(bob));
    expect(await pool.payoutOf(thief.address)).to.equal(0n);
    expect(await pool.payoutOf(alice.address)).to.equal(aliceOwed);
    expect(await pool.payoutOf(hospital.address)).to.equal(hospitalOwed);
    await expect(pool.connect(alice).withdrawPayout()).to.changeTokenBalance(token, alice, aliceOwed);
    await expect(pool.connect(hospital).withdrawPayout()).to.changeTokenBalance(token, hospital, hospitalOwed);
    await expectEscrowExact(pool, token as unknown as MockERC20, [
      alice.address,
      bob.address,
      carol.address,
      dave.address,
      thief.address,
      (await ethers.getSigners())[18].address,
      hospital.address,
    ]);
  });

  it("a recovery cannot complete while the member's approved claim waits for payment, so its payee stays", async function () {
    const setup = await loadFixture(verifiedPool);
    const { pool, verifier, alice, hospital, thief } = setup;
    await pool.connect(alice).setBeneficiary(hospital.address);
    const id = await submitClaim(setup, alice, USDC(40));
    const a = await signRecovery(pool, verifier, alice.address, thief.address, C(alice));
    await pool.requestRecovery(C(alice), thief.address, a.deadline, a.signature);
    await decide(pool, id, true);
    await pool.resolve(id);
    await time.increaseTo((await pool.recoveryOf(alice.address)).readyAt);
    await expect(pool.completeRecovery(C(alice)))
      .to.be.revertedWithCustomError(pool, "RecoveryClaimOpen")
      .withArgs(alice.address, id);
    await endPeriod(pool, await pool.currentPeriod());
    await settleDue(pool);
    await pool.completeRecovery(C(alice));
    expect(await pool.payoutOf(hospital.address)).to.equal(USDC("0.4"));
    expect(await pool.payoutOf(thief.address)).to.equal(0n);
  });

  it("a payee or beneficiary cannot act as the member", async function () {
    const setup = await loadFixture(verifiedPool);
    const { pool, alice, hospital, thief } = setup;
    await pool.connect(alice).setBeneficiary(hospital.address);
    await pool.connect(alice).setRecoveryOptions(alice.address, false);
    await fund(setup, hospital, USDC(100));
    const as = pool.connect(hospital);
    const notMember = (tx: Promise<unknown>) =>
      expect(tx).to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus").withArgs(hospital.address, NONE);
    await notMember(as.withdraw(USDC(1)));
    await notMember(as.withdrawTo(USDC(1), hospital.address));
    await notMember(as.requestExit());
    await notMember(as.addToMemberFunds(USDC(1)));
    await notMember(as.setBeneficiary(hospital.address));
    await notMember(as.setRecoveryOptions(hospital.address, false));
    await expect(as.submitClaim(USDC(1), ethers.id("h"), ""))
      .to.be.revertedWithCustomError(pool, "ClaimantNotActive")
      .withArgs(hospital.address, NONE);
    const later = BigInt(await time.latest()) + BigInt(DAY);
    await expect(as.requestRecovery(C(alice), thief.address, later, "0x")).to.be.revertedWithCustomError(
      pool,
      "RecoveryAttestationInvalid",
    );
    const a = await signRecovery(pool, (await ethers.getSigners())[19], alice.address, thief.address, C(alice));
    await pool.requestRecovery(C(alice), thief.address, a.deadline, a.signature);
    await expect(as.cancelRecovery(alice.address))
      .to.be.revertedWithCustomError(pool, "RecoveryNotAuthorized")
      .withArgs(hospital.address);
    expect(await pool.balanceOf(alice.address)).to.equal(USDC(100));
  });

  it("a payee the token blacklists: settlement goes on, the payout stays owed, and is paid once the freeze lifts", async function () {
    const [, operator, guardian, assessor, , alice, bob, carol, dave, hospital] = await ethers.getSigners();
    const token = await ethers.deployContract("BlacklistToken");
    const factory = await deployFactory();
    const pool = await createPool(factory, defaultRules(await token.getAddress()), {
      operator: operator.address,
      verifier: ethers.ZeroAddress,
      assessor: assessor.address,
      guardian: guardian.address,
    });
    const setup = { pool, token: token as unknown as MockERC20 };
    for (const m of [alice, bob, carol, dave]) await join(setup, m, USDC(100));
    await time.increase(91 * DAY);
    await pool.connect(alice).setBeneficiary(hospital.address);
    const id = await submitClaim(setup, alice, USDC(40));
    await decide(pool, id, true);
    await pool.resolve(id);
    await token.setBlacklisted(hospital.address, true);
    await endPeriod(pool, await pool.currentPeriod());
    await settleDue(pool);
    expect(await pool.payoutOf(hospital.address)).to.equal(USDC("0.4"));
    await expect(pool.connect(hospital).withdrawPayout())
      .to.be.revertedWithCustomError(token, "Blacklisted")
      .withArgs(hospital.address);
    expect(await pool.payoutOf(hospital.address)).to.equal(USDC("0.4"));
    // The claimant's bond refund and everyone else's money move as usual.
    await expect(pool.connect(alice).withdrawPayout()).to.changeTokenBalance(token, alice, USDC(5));
    await expectEscrowExact(
      pool,
      setup.token,
      [alice, bob, carol, dave, hospital].map((s) => s.address),
    );
    await token.setBlacklisted(hospital.address, false);
    await expect(pool.connect(hospital).withdrawPayout()).to.changeTokenBalance(token, hospital, USDC("0.4"));
  });
});

describe("Regression: a recovery racing a claim, a jury seat and an exit", function () {
  // Four members: a claim by Bob seats the three others, Alice among them.
  async function raced() {
    const setup = await fourOpen();
    const { alice, bob } = setup;
    const [newAlice, helper] = setup.others;
    await setup.pool.connect(alice).setRecoveryOptions(helper.address, false);
    await setup.pool.connect(helper).requestRecovery(C(alice), newAlice.address, 0n, "0x");
    // Bob claims two days before the recovery may complete: it completes in the commit window.
    await time.increase(DELAY - 2n * BigInt(DAY));
    const id = await submitClaim(setup, bob, USDC(40));
    const jurors = await drawJury(setup.pool, id);
    expect(jurors.map((j) => j.address)).to.include(alice.address);
    await time.increase(2 * DAY);
    await expect(setup.pool.completeRecovery(C(alice))).to.emit(setup.pool, "RecoveryCompleted");
    return { ...setup, newAlice, helper, id };
  }

  it("the seat stays with the wallet it was drawn for: the new wallet cannot vote it, the old one votes it once", async function () {
    const { pool, alice, carol, dave, newAlice, id } = await loadFixture(raced);
    await expect(pool.connect(newAlice).commitDecision(id, ethers.id("x")))
      .to.be.revertedWithCustomError(pool, "JurorNotSeated")
      .withArgs(id, 0n, newAlice.address);
    const salts: Array<[HardhatEthersSigner, string]> = [];
    for (const j of [alice, carol, dave]) salts.push([j, await commitVote(pool, j, id, true)]);
    await time.increaseTo((await pool.round(id, 0n)).commitEndsAt);
    for (const [j, salt] of salts) await pool.connect(j).revealDecision(id, true, salt);
    await expect(pool.connect(alice).revealDecision(id, true, salts[0][1]))
      .to.be.revertedWithCustomError(pool, "VoteNotCommitted")
      .withArgs(id, alice.address);
    const r = await pool.round(id, 0n);
    expect(r.approvals + r.rejections).to.equal(3n);
    expect(await pool.jury(id, 0n)).to.not.include(newAlice.address);
  });

  it("a seat the lost wallet leaves unrevealed costs the membership its penalty, taken from the new wallet", async function () {
    const { pool, token, alice, bob, carol, dave, newAlice, helper, id } = await loadFixture(raced);
    const credit = (await pool.member(newAlice.address)).credit;
    const penalty = (await pool.rules()).jurorPenalty;
    const salts: Array<[HardhatEthersSigner, string]> = [];
    for (const j of [carol, dave]) salts.push([j, await commitVote(pool, j, id, true)]);
    await time.increaseTo((await pool.round(id, 0n)).commitEndsAt);
    for (const [j, salt] of salts) await pool.connect(j).revealDecision(id, true, salt);
    await time.increaseTo((await pool.round(id, 0n)).revealEndsAt);
    // The event names the seat's wallet; the penalty comes out of the membership it moved to.
    await expect(pool.tally(id)).to.emit(pool, "JurorPenalized").withArgs(id, 0n, alice.address, penalty);
    expect((await pool.member(newAlice.address)).credit).to.equal(credit - penalty);
    await time.increaseTo((await pool.claim(id)).resolvesAt);
    await pool.resolve(id);
    await endPeriod(pool, await pool.currentPeriod());
    await settleDue(pool);
    const everyone = [alice, bob, carol, dave, newAlice, helper].map((s) => s.address);
    await expectEscrowExact(pool, token, everyone);
  });

  it("the new wallet is not drawn again on a claim where the old wallet sits; on a later claim it is", async function () {
    const setup = await loadFixture(raced);
    const { pool, carol, newAlice, id } = setup;
    // Nobody votes: round 0 has no quorum and a fresh jury of three opens round 1. Carol and Dave sat
    // on the claim, Bob is its claimant: the only member left is Alice's membership, through its new wallet.
    await time.increaseTo((await pool.round(id, 0n)).revealEndsAt);
    await pool.tally(id);
    await time.increaseTo((await pool.round(id, 1n)).opensAt);
    await drawJury(pool, id);
    expect(await pool.jury(id, 1n)).to.deep.equal([]);
    expect((await pool.member(newAlice.address)).position).to.equal(0n);
    // A claim submitted after the recovery draws the new wallet like anyone else.
    await time.increaseTo((await pool.claim(id)).resolvesAt);
    await pool.resolve(id);
    const later = await submitClaim(setup, carol, USDC(10), "carol");
    expect((await drawJury(pool, later)).map((j) => j.address)).to.include(newAlice.address);
  });

  it("an exit requested by the old wallet completes for the new one, which takes the whole balance", async function () {
    const setup = await deployPool();
    const { pool, token } = setup;
    const [alice, bob, newAlice, helper] = setup.members;
    for (const m of [alice, bob]) await join(setup, m, USDC(100));
    await time.increase(91 * DAY);
    await pool.connect(alice).setRecoveryOptions(helper.address, false);
    await pool.connect(helper).requestRecovery(C(alice), newAlice.address, 0n, "0x");
    await pool.connect(alice).requestExit();
    await pool.completeExit(alice.address);
    // The old wallet, still working, takes half; the rest moves with the membership.
    await pool.connect(alice).withdraw(USDC(50));
    await time.increase(DELAY);
    await pool.completeRecovery(C(alice));
    expect(await pool.statusOf(newAlice.address)).to.equal(EXITED);
    await expect(pool.connect(alice).withdraw(USDC(1))).to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus");
    await expect(pool.connect(newAlice).withdraw(USDC(50))).to.changeTokenBalance(token, newAlice, USDC(50));
    await expectEscrowExact(
      pool,
      token,
      [alice, bob, newAlice].map((s) => s.address),
    );
    // The new wallet may return with the member's commitment.
    await fund(setup, newAlice, USDC(2));
    await expect(pool.connect(newAlice).join(USDC(2), C(alice), { deadline: 0n, signature: "0x" })).to.emit(
      pool,
      "MemberJoined",
    );
  });
});
