import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  commitmentOf,
  decide,
  deployPool,
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
const WAITING = 1n;
const ACTIVE = 2n;
const EXITING = 3n;

describe("Beneficiaries and payees", function () {
  async function pool() {
    const setup = await deployPool();
    const [alice, bob, carol, dave, erin, hospital, family] = setup.members;
    for (const m of [alice, bob, carol, dave, erin]) await join(setup, m, USDC(100));
    await time.increase(91 * DAY);
    return { ...setup, alice, bob, carol, dave, erin, hospital, family };
  }

  it("lets a member name and change a beneficiary, with an event", async function () {
    const { pool: p, alice, family, hospital } = await loadFixture(pool);
    await expect(p.connect(alice).setBeneficiary(family.address))
      .to.emit(p, "BeneficiarySet")
      .withArgs(alice.address, family.address);
    await expect(p.connect(alice).setBeneficiary(hospital.address))
      .to.emit(p, "BeneficiarySet")
      .withArgs(alice.address, hospital.address);
    expect((await p.recoveryOf(alice.address)).beneficiary).to.equal(hospital.address);
  });

  it("reverts when a non-member names a beneficiary, or names the pool", async function () {
    const { pool: p, alice, family } = await loadFixture(pool);
    await expect(p.connect(family).setBeneficiary(alice.address))
      .to.be.revertedWithCustomError(p, "UnexpectedMemberStatus")
      .withArgs(family.address, NONE);
    await expect(p.connect(alice).setBeneficiary(await p.getAddress()))
      .to.be.revertedWithCustomError(p, "RecoveryInvalidBeneficiary")
      .withArgs(await p.getAddress());
  });

  it("pays an approved claim to the member's beneficiary; the bond refund stays the claimant's", async function () {
    const setup = await loadFixture(pool);
    const { pool: p, token, alice, family } = setup;
    await p.connect(alice).setBeneficiary(family.address);
    const id = await submitClaim(setup, alice, USDC(50));
    expect(await p.payeeOf(id)).to.equal(family.address);
    await decide(p, id, true);
    await expect(p.resolve(id)).to.emit(p, "ClaimResolved");
    await endPeriod(p, await p.currentPeriod());
    await settleDue(p);
    // 5 members x 0.1 cap = 0.5 paid; the bond (5) is refunded to the claimant.
    expect(await p.payoutOf(family.address)).to.equal(USDC("0.5"));
    expect(await p.payoutOf(alice.address)).to.equal(USDC(5));
    await expect(p.connect(family).withdrawPayout()).to.changeTokenBalances(
      token,
      [family, p],
      [USDC("0.5"), -USDC("0.5")],
    );
  });

  it("pays the payee a claim names at submission, over the beneficiary; the claimant cannot take it", async function () {
    const setup = await loadFixture(pool);
    const { pool: p, alice, family, hospital } = setup;
    await p.connect(alice).setBeneficiary(family.address);
    await fund(setup, alice, USDC(5));
    const digest = ethers.keccak256(ethers.toUtf8Bytes("bill"));
    await expect(p.connect(alice).submitClaimTo(USDC(50), digest, "", hospital.address))
      .to.emit(p, "ClaimPayeeNamed")
      .withArgs(1n, hospital.address);
    await decide(p, 1n, true);
    await p.resolve(1n);
    await endPeriod(p, await p.currentPeriod());
    await settleDue(p);
    expect(await p.payoutOf(hospital.address)).to.equal(USDC("0.5"));
    expect(await p.payoutOf(family.address)).to.equal(0n);
    await p.connect(alice).withdrawPayout(); // the bond
    await expect(p.connect(alice).withdrawPayout())
      .to.be.revertedWithCustomError(p, "EscrowNothingToWithdraw")
      .withArgs(alice.address);
  });

  it("pays the claimant when no payee and no beneficiary is named, and emits no payee event", async function () {
    const setup = await loadFixture(pool);
    const { pool: p, alice } = setup;
    await fund(setup, alice, USDC(5));
    const digest = ethers.keccak256(ethers.toUtf8Bytes("x"));
    await expect(p.connect(alice).submitClaimTo(USDC(50), digest, "", ethers.ZeroAddress)).to.not.emit(
      p,
      "ClaimPayeeNamed",
    );
    expect(await p.payeeOf(1n)).to.equal(alice.address);
  });

  it("reverts when a claim names the pool as its payee", async function () {
    const setup = await loadFixture(pool);
    const { pool: p, alice } = setup;
    await fund(setup, alice, USDC(5));
    const digest = ethers.keccak256(ethers.toUtf8Bytes("x"));
    await expect(p.connect(alice).submitClaimTo(USDC(50), digest, "", await p.getAddress()))
      .to.be.revertedWithCustomError(p, "ClaimInvalidPayee")
      .withArgs(await p.getAddress());
  });

  it("withdraws a member's balance to another address the member names", async function () {
    const { pool: p, token, alice, hospital } = await loadFixture(pool);
    await expect(p.connect(alice).withdrawTo(USDC(10), hospital.address))
      .to.emit(p, "MemberWithdrewTo")
      .withArgs(alice.address, hospital.address, USDC(10));
    expect(await token.balanceOf(hospital.address)).to.equal(USDC(10));
    expect(await p.balanceOf(alice.address)).to.equal(USDC(90));
  });

  it("reverts a withdrawal to the zero address or to the pool, and one above the balance", async function () {
    const { pool: p, alice, hospital } = await loadFixture(pool);
    await expect(p.connect(alice).withdrawTo(USDC(1), ethers.ZeroAddress))
      .to.be.revertedWithCustomError(p, "MemberInvalidRecipient")
      .withArgs(ethers.ZeroAddress);
    await expect(p.connect(alice).withdrawTo(USDC(1), await p.getAddress())).to.be.revertedWithCustomError(
      p,
      "MemberInvalidRecipient",
    );
    await expect(p.connect(alice).withdrawTo(USDC(100), hospital.address)).to.be.revertedWithCustomError(
      p,
      "MemberInsufficientBalance",
    );
  });
});

describe("Recovery of a lost wallet", function () {
  async function verifiedPool() {
    const setup = await fourVerified();
    const [newAlice, helper, stranger] = setup.others;
    return { ...setup, newAlice, helper, stranger };
  }

  async function openPool() {
    const setup = await fourOpen();
    const [newAlice, helper, stranger] = setup.others;
    return { ...setup, newAlice, helper, stranger };
  }

  it("moves the membership to the wallet the verifier attests, after the 30-day delay", async function () {
    const { pool: p, verifier, alice, newAlice, stranger } = await loadFixture(verifiedPool);
    const before = await p.member(alice.address);
    const a = await signRecovery(p, verifier, alice.address, newAlice.address, C(alice));
    const tx = p.connect(stranger).requestRecovery(C(alice), newAlice.address, a.deadline, a.signature);
    const readyAt = BigInt(await time.latest()) + 1n + DELAY;
    await expect(tx).to.emit(p, "RecoveryRequested").withArgs(alice.address, newAlice.address, C(alice), true, readyAt);
    const pending = await p.recoveryOf(alice.address);
    expect([pending.newWallet, pending.readyAt, pending.byVerifier]).to.deep.equal([newAlice.address, readyAt, true]);

    await time.setNextBlockTimestamp(readyAt - 1n);
    await expect(p.completeRecovery(C(alice)))
      .to.be.revertedWithCustomError(p, "RecoveryNotReady")
      .withArgs(alice.address, readyAt);
    await expect(p.connect(stranger).completeRecovery(C(alice)))
      .to.emit(p, "RecoveryCompleted")
      .withArgs(alice.address, newAlice.address, C(alice), true);

    const after = await p.member(newAlice.address);
    expect(after.status).to.equal(ACTIVE);
    expect(after.eligibleAt).to.equal(before.eligibleAt);
    expect(after.balance).to.equal(before.balance);
    expect(after.position).to.equal(before.position);
    expect(await p.jurorAt(before.position)).to.equal(newAlice.address);
    expect(await p.statusOf(alice.address)).to.equal(NONE);
    expect(await p.commitmentOwner(C(alice))).to.equal(newAlice.address);
    expect(await p.memberCount()).to.equal(4n);
    expect((await p.recoveryOf(alice.address)).readyAt).to.equal(0n);
    // The new wallet acts as the member; the old one no longer can.
    await expect(p.connect(newAlice).withdraw(USDC(10))).to.emit(p, "MemberWithdrew");
    await expect(p.connect(alice).withdraw(USDC(10)))
      .to.be.revertedWithCustomError(p, "UnexpectedMemberStatus")
      .withArgs(alice.address, NONE);
  });

  it("lets the member's wallet cancel with one call, and its recovery address too; nobody else", async function () {
    const { pool: p, verifier, alice, newAlice, helper, stranger } = await loadFixture(verifiedPool);
    await p.connect(alice).setRecoveryOptions(helper.address, false);
    const a = await signRecovery(p, verifier, alice.address, newAlice.address, C(alice));
    await p.requestRecovery(C(alice), newAlice.address, a.deadline, a.signature);
    await expect(p.connect(stranger).cancelRecovery(alice.address))
      .to.be.revertedWithCustomError(p, "RecoveryNotAuthorized")
      .withArgs(stranger.address);
    await expect(p.connect(alice).cancelRecovery(alice.address))
      .to.emit(p, "RecoveryCancelled")
      .withArgs(alice.address, newAlice.address, alice.address);
    await expect(p.connect(alice).cancelRecovery(alice.address))
      .to.be.revertedWithCustomError(p, "RecoveryNotPending")
      .withArgs(alice.address);
    // The cancel voided the attestation: the verifier signs a fresh one, for the next nonce.
    const b = await signRecovery(p, verifier, alice.address, newAlice.address, C(alice));
    await p.requestRecovery(C(alice), newAlice.address, b.deadline, b.signature);
    await expect(p.connect(helper).cancelRecovery(alice.address))
      .to.emit(p, "RecoveryCancelled")
      .withArgs(alice.address, newAlice.address, helper.address);
    await time.increase(DELAY);
    await expect(p.completeRecovery(C(alice)))
      .to.be.revertedWithCustomError(p, "RecoveryNotPending")
      .withArgs(alice.address);
  });

  it("refuses a forged, expired or misdirected attestation, an unknown commitment and a taken wallet", async function () {
    const { pool: p, verifier, alice, bob, newAlice, stranger } = await loadFixture(verifiedPool);
    const forged = await signRecovery(p, stranger, alice.address, newAlice.address, C(alice));
    await expect(p.requestRecovery(C(alice), newAlice.address, forged.deadline, forged.signature))
      .to.be.revertedWithCustomError(p, "RecoveryAttestationInvalid")
      .withArgs(alice.address, newAlice.address);
    // Signed for another new wallet: not valid for this one.
    const other = await signRecovery(p, verifier, alice.address, stranger.address, C(alice));
    await expect(
      p.requestRecovery(C(alice), newAlice.address, other.deadline, other.signature),
    ).to.be.revertedWithCustomError(p, "RecoveryAttestationInvalid");
    const now = BigInt(await time.latest());
    const old = await signRecovery(p, verifier, alice.address, newAlice.address, C(alice), now);
    await expect(p.requestRecovery(C(alice), newAlice.address, old.deadline, old.signature))
      .to.be.revertedWithCustomError(p, "MemberAttestationExpired")
      .withArgs(now, now + 1n);
    const unknown = commitmentOf("nobody");
    await expect(p.requestRecovery(unknown, newAlice.address, 0n, "0x"))
      .to.be.revertedWithCustomError(p, "RecoveryUnknownCommitment")
      .withArgs(unknown);
    const toBob = await signRecovery(p, verifier, alice.address, bob.address, C(alice));
    await expect(p.requestRecovery(C(alice), bob.address, toBob.deadline, toBob.signature))
      .to.be.revertedWithCustomError(p, "RecoveryInvalidWallet")
      .withArgs(bob.address);
    await expect(p.requestRecovery(C(alice), ethers.ZeroAddress, 0n, "0x"))
      .to.be.revertedWithCustomError(p, "RecoveryInvalidWallet")
      .withArgs(ethers.ZeroAddress);
  });

  it("refuses a second request while one is pending", async function () {
    const { pool: p, verifier, alice, newAlice, stranger } = await loadFixture(verifiedPool);
    const a = await signRecovery(p, verifier, alice.address, newAlice.address, C(alice));
    await p.requestRecovery(C(alice), newAlice.address, a.deadline, a.signature);
    const readyAt = (await p.recoveryOf(alice.address)).readyAt;
    const b = await signRecovery(p, verifier, alice.address, stranger.address, C(alice));
    await expect(p.requestRecovery(C(alice), stranger.address, b.deadline, b.signature))
      .to.be.revertedWithCustomError(p, "RecoveryAlreadyPending")
      .withArgs(alice.address, newAlice.address, readyAt);
  });

  it("lets a member opt out of verifier recovery, which also stops one already pending", async function () {
    const { pool: p, verifier, alice, newAlice } = await loadFixture(verifiedPool);
    const a = await signRecovery(p, verifier, alice.address, newAlice.address, C(alice));
    await p.requestRecovery(C(alice), newAlice.address, a.deadline, a.signature);
    await expect(p.connect(alice).setRecoveryOptions(ethers.ZeroAddress, true))
      .to.emit(p, "RecoveryOptionsSet")
      .withArgs(alice.address, ethers.ZeroAddress, true);
    await time.increase(DELAY);
    await expect(p.completeRecovery(C(alice)))
      .to.be.revertedWithCustomError(p, "RecoveryVerifierOptedOut")
      .withArgs(alice.address);
    await p.connect(alice).cancelRecovery(alice.address);
    await expect(p.requestRecovery(C(alice), newAlice.address, a.deadline, a.signature))
      .to.be.revertedWithCustomError(p, "RecoveryVerifierOptedOut")
      .withArgs(alice.address);
  });

  it("refuses to complete a verifier's recovery once the verifier role has moved to another account", async function () {
    const {
      pool: p,
      verifier,
      operator,
      guardian,
      assessor,
      alice,
      newAlice,
      stranger,
    } = await loadFixture(verifiedPool);
    const a = await signRecovery(p, verifier, alice.address, newAlice.address, C(alice));
    await p.requestRecovery(C(alice), newAlice.address, a.deadline, a.signature);
    const roles = {
      operator: operator.address,
      verifier: stranger.address,
      assessor: assessor.address,
      guardian: guardian.address,
    };
    await p.connect(operator).proposeRuleChange(roles, (await p.rules()).feeBps);
    await time.increaseTo((await p.pendingChange()).eta);
    await p.connect(operator).executeRuleChange();
    await time.increaseTo((await p.recoveryOf(alice.address)).readyAt);
    await expect(p.completeRecovery(C(alice)))
      .to.be.revertedWithCustomError(p, "RecoveryVerifierChanged")
      .withArgs(alice.address);
    expect(await p.statusOf(alice.address)).to.equal(ACTIVE);
  });

  it("recovers through the member's own recovery address in a pool without a verifier", async function () {
    const { pool: p, alice, newAlice, helper, stranger } = await loadFixture(openPool);
    await expect(p.requestRecovery(C(alice), newAlice.address, 0n, "0x"))
      .to.be.revertedWithCustomError(p, "RecoveryNotAuthorized")
      .withArgs((await ethers.getSigners())[0].address);
    await p.connect(alice).setRecoveryOptions(helper.address, false);
    await expect(p.connect(stranger).requestRecovery(C(alice), newAlice.address, 0n, "0x"))
      .to.be.revertedWithCustomError(p, "RecoveryNotAuthorized")
      .withArgs(stranger.address);
    await expect(p.connect(helper).requestRecovery(C(alice), newAlice.address, 0n, "0x")).to.emit(
      p,
      "RecoveryRequested",
    );
    expect((await p.recoveryOf(alice.address)).byVerifier).to.equal(false);
    await time.increase(DELAY);
    await expect(p.completeRecovery(C(alice)))
      .to.emit(p, "RecoveryCompleted")
      .withArgs(alice.address, newAlice.address, C(alice), false);
    // The settings move with the membership.
    const moved = await p.recoveryOf(newAlice.address);
    expect(moved.recoveryAddress).to.equal(helper.address);
    expect((await p.recoveryOf(alice.address)).recoveryAddress).to.equal(ethers.ZeroAddress);
  });

  it("waits for the member's open claim to be paid or closed before completing", async function () {
    const setup = await loadFixture(openPool);
    const { pool: p, alice, newAlice, helper } = setup;
    await p.connect(alice).setRecoveryOptions(helper.address, false);
    const id = await submitClaim(setup, alice, USDC(10));
    await p.connect(helper).requestRecovery(C(alice), newAlice.address, 0n, "0x");
    await time.increase(DELAY);
    await expect(p.completeRecovery(C(alice)))
      .to.be.revertedWithCustomError(p, "RecoveryClaimOpen")
      .withArgs(alice.address, id);
    // Nobody drew a jury in the 30 days: the claim closes without quorum, its bond refunded.
    await p.resolve(id);
    await expect(p.completeRecovery(C(alice))).to.emit(p, "RecoveryCompleted");
    expect(await p.payoutOf(alice.address)).to.equal(USDC(5));
  });

  it("moves an exit notice: the new wallet completes the exit and withdraws everything", async function () {
    const setup = await loadFixture(openPool);
    const { pool: p, token, alice, newAlice, helper } = setup;
    await p.connect(alice).setRecoveryOptions(helper.address, false);
    await p.connect(alice).requestExit();
    const bound = (await p.member(alice.address)).exitClaimBound;
    await p.connect(helper).requestRecovery(C(alice), newAlice.address, 0n, "0x");
    await time.increase(DELAY);
    await p.completeRecovery(C(alice));
    const m = await p.member(newAlice.address);
    expect(m.status).to.equal(EXITING);
    expect(m.exitClaimBound).to.equal(bound);
    await p.completeExit(newAlice.address);
    await expect(p.connect(newAlice).withdraw(USDC(100))).to.changeTokenBalance(token, newAlice, USDC(100));
  });

  it("refuses a new wallet that joined meanwhile, at completion", async function () {
    const setup = await loadFixture(openPool);
    const { pool: p, alice, newAlice, helper } = setup;
    await p.connect(alice).setRecoveryOptions(helper.address, false);
    await p.connect(helper).requestRecovery(C(alice), newAlice.address, 0n, "0x");
    await join(setup, newAlice, USDC(100));
    await time.increase(DELAY);
    await expect(p.completeRecovery(C(alice)))
      .to.be.revertedWithCustomError(p, "RecoveryInvalidWallet")
      .withArgs(newAlice.address);
    expect(await p.statusOf(alice.address)).to.equal(ACTIVE);
    expect(await p.statusOf(newAlice.address)).to.equal(WAITING);
  });
});
