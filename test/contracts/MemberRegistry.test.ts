import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HuzhuPool, MockERC20 } from "../../typechain-types";
import {
  DAY,
  NO_ATTESTATION,
  USDC,
  commitmentOf,
  createPool,
  deployPool,
  endPeriod,
  fund,
  join,
  submitClaim,
  decide,
  flagAndLapse,
  settleDue,
} from "../helpers/fixtures";

// IMemberRegistry.MemberStatus
const Status = { None: 0, Waiting: 1, Active: 2, Exiting: 3, Lapsing: 4, Lapsed: 5, Exited: 6 } as const;
// IClaimVoting.ClaimState
const ClaimState = { Approved: 8 } as const;
const LAPSE_GRACE = 14 * DAY;

const WAITING_PERIOD = 90 * DAY;

const ATTESTATION_TYPES = {
  Attestation: [
    { name: "member", type: "address" },
    { name: "commitment", type: "bytes32" },
    { name: "deadline", type: "uint256" },
  ],
};

const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

async function attestationDomain(pool: HuzhuPool) {
  const { chainId } = await ethers.provider.getNetwork();
  return { name: "Huzhu Pool", version: "1", chainId, verifyingContract: await pool.getAddress() };
}

/** The verifier's EIP-712 attestation that `commitment` belongs to `member`. */
async function attest(
  pool: HuzhuPool,
  signer: HardhatEthersSigner,
  member: string,
  commitment: string,
  deadline: bigint,
): Promise<{ deadline: bigint; signature: string }> {
  const signature = await signer.signTypedData(await attestationDomain(pool), ATTESTATION_TYPES, {
    member,
    commitment,
    deadline,
  });
  return { deadline, signature };
}

/** An ERC-2612 permit of `owner`'s tokens to the pool, signed by `signer` (the owner, or a forger). */
async function signPermit(
  token: MockERC20,
  pool: HuzhuPool,
  owner: HardhatEthersSigner,
  value: bigint,
  signer: HardhatEthersSigner = owner,
) {
  const { chainId } = await ethers.provider.getNetwork();
  const domain = { name: "Test USD", version: "1", chainId, verifyingContract: await token.getAddress() };
  const deadline = BigInt(await time.latest()) + BigInt(DAY);
  const message = {
    owner: owner.address,
    spender: await pool.getAddress(),
    value,
    nonce: await token.nonces(owner.address),
    deadline,
  };
  const { v, r, s } = ethers.Signature.from(await signer.signTypedData(domain, PERMIT_TYPES, message));
  return { deadline, v, r, s };
}

/** Settles every period up to and including the current one, moving the clock to its end. */
async function settleThroughCurrent(pool: HuzhuPool) {
  await endPeriod(pool, await pool.currentPeriod());
  await settleDue(pool);
}

async function memberOf(pool: HuzhuPool, account: string) {
  const m = await pool.member(account);
  return {
    status: Number(m.status),
    eligibleAt: m.eligibleAt,
    credit: m.credit,
    charged: m.charged,
    balance: m.balance,
    exitClaimBound: m.exitClaimBound,
    lapsableAt: m.lapsableAt,
  };
}

/** A pool with default rules; alice and bob hold 100 USDC approved to it, carol 100 USDC not approved. */
async function poolFixture() {
  const setup = await deployPool();
  const { token, pool, members } = setup;
  const [alice, bob, carol] = members;
  const poolAddress = await pool.getAddress();
  for (const account of [alice, bob, carol]) await token.mint(account.address, USDC(100));
  for (const account of [alice, bob]) await token.connect(account).approve(poolAddress, ethers.MaxUint256);
  return { ...setup, alice, bob, carol, outsider: members[11] };
}

/** Default rules; alice, bob, carol, dave and erin joined with 10 USDC each and are still waiting. */
async function membersFixture() {
  const setup = await deployPool();
  const [alice, bob, carol, dave, erin] = setup.members;
  for (const account of [alice, bob, carol, dave, erin]) await join(setup, account, USDC(10));
  return { ...setup, alice, bob, carol, dave, erin, outsider: setup.members[11] };
}

/** As `membersFixture`, with every member past the waiting period (Active). */
async function seasonedFixture() {
  const f = await membersFixture();
  await time.increase(WAITING_PERIOD + DAY);
  return f;
}

/** Alice submitted claim 1 for 1 USDC, then erin asked to leave (bound to claim 1). */
async function exitBoundFixture() {
  const f = await seasonedFixture();
  await submitClaim(f, f.alice, USDC(1));
  await f.pool.connect(f.erin).requestExit();
  return f;
}

/** A pool whose identity verifier is a key. */
async function verifiedFixture() {
  const [, , , , , alice, bob, , , , , , , , , verifier, mallory] = await ethers.getSigners();
  const setup = await deployPool({}, { verifier: verifier.address });
  const poolAddress = await setup.pool.getAddress();
  for (const account of [alice, bob]) {
    await setup.token.mint(account.address, USDC(100));
    await setup.token.connect(account).approve(poolAddress, ethers.MaxUint256);
  }
  return { ...setup, alice, bob, verifier, mallory };
}

/** A pool whose identity verifier is an ERC-1271 contract wallet owned by a key. */
async function walletVerifiedFixture() {
  const [, , , , , alice, , , , , , , , , , walletOwner, mallory] = await ethers.getSigners();
  const wallet = await ethers.deployContract("MockERC1271Wallet", [walletOwner.address]);
  const setup = await deployPool({}, { verifier: await wallet.getAddress() });
  await setup.token.mint(alice.address, USDC(100));
  await setup.token.connect(alice).approve(await setup.pool.getAddress(), ethers.MaxUint256);
  return { ...setup, alice, walletOwner, mallory };
}

// Lapse pools: one claim a period at 0.1 USDC a member, fee 8%, so the largest share is
// 0.1 + 0.01 + 0.000001 = 0.110001 USDC, and minDeposit == minBalance == 0.110001 USDC.
// With 7 members a claim of 100 USDC pays 0.7 USDC, fee 0.056, share 0.756 / 7 = 0.108 USDC.
const MIN_BALANCE = 110_001n;
const SHARE = 108_000n;

/** A claim of 100 from `claimant` approved by a drawn jury, resolved and settled. */
async function approveAndSettle(setup: Awaited<ReturnType<typeof deployPool>>, claimant: HardhatEthersSigner) {
  const id = await submitClaim(setup, claimant, USDC(100), `claim:${claimant.address}`);
  await decide(setup.pool, id, true);
  await setup.pool.resolve(id);
  await settleThroughCurrent(setup.pool);
}

/**
 * Alice, bob, carol, dave (10 USDC each), erin and frank (exactly the minimum balance) and grace
 * (1 USDC) are counted; one claim by alice was settled at a share of 0.108 USDC, so erin and frank
 * hold 0.002001 USDC, below the minimum balance, and grace 0.892 USDC.
 */
async function underfundedFixture() {
  // A quorum of 2 of 3 seats: only bob, carol and dave can sit on alice's jury.
  const setup = await deployPool({
    maxClaimsPerPeriod: 1,
    minBalance: MIN_BALANCE,
    minDeposit: MIN_BALANCE,
    quorumBps: 6_000,
  });
  const [alice, bob, carol, dave, erin, frank, grace, heidi] = setup.members;
  for (const account of [alice, bob, carol, dave]) await join(setup, account, USDC(10));
  await time.increase(WAITING_PERIOD + DAY);
  // Latecomers share the next settlement: they are counted from their join.
  await join(setup, erin, MIN_BALANCE);
  await join(setup, frank, MIN_BALANCE);
  await join(setup, grace, USDC(1));
  await approveAndSettle(setup, alice);
  return { ...setup, alice, bob, carol, dave, erin, frank, grace, heidi, outsider: setup.members[11] };
}

/** As `underfundedFixture`, but keepers missed erin and frank and a second claim (bob's) was settled. */
async function lateKeepersFixture() {
  const f = await underfundedFixture();
  await approveAndSettle(f, f.bob);
  return f;
}

describe("MemberRegistry", function () {
  describe("join", function () {
    it("moves the deposit from the member into the pool", async function () {
      const { token, pool, alice } = await loadFixture(poolFixture);
      await expect(pool.connect(alice).join(USDC(2), commitmentOf("alice"), NO_ATTESTATION)).to.changeTokenBalances(
        token,
        [alice, pool],
        [-USDC(2), USDC(2)],
      );
    });

    it("emits MemberJoined with the charge index, the end of the waiting period and the member count", async function () {
      const { pool, alice, bob } = await loadFixture(poolFixture);
      const t = (await time.latest()) + 100;
      await time.setNextBlockTimestamp(t);
      await expect(pool.connect(alice).join(USDC(2), commitmentOf("alice"), NO_ATTESTATION))
        .to.emit(pool, "MemberJoined")
        .withArgs(alice.address, commitmentOf("alice"), USDC(2), 0n, t + WAITING_PERIOD, 1n);
      await time.setNextBlockTimestamp(t + 50);
      await expect(pool.connect(bob).join(USDC(7), commitmentOf("bob"), NO_ATTESTATION))
        .to.emit(pool, "MemberJoined")
        .withArgs(bob.address, commitmentOf("bob"), USDC(7), 0n, t + 50 + WAITING_PERIOD, 2n);
    });

    it("records a waiting member with the deposit as credit and balance", async function () {
      const { pool, alice } = await loadFixture(poolFixture);
      const t = (await time.latest()) + 100;
      await time.setNextBlockTimestamp(t);
      await pool.connect(alice).join(USDC(3), commitmentOf("alice"), NO_ATTESTATION);
      expect(await memberOf(pool, alice.address)).to.deep.equal({
        status: Status.Waiting,
        eligibleAt: BigInt(t + WAITING_PERIOD),
        credit: USDC(3),
        charged: 0n,
        balance: USDC(3),
        exitClaimBound: 0n,
        lapsableAt: 0n,
      });
      expect(await pool.balanceOf(alice.address)).to.equal(USDC(3));
      expect(await pool.commitmentOwner(commitmentOf("alice"))).to.equal(alice.address);
      expect(await pool.memberCount()).to.equal(1n);
    });

    it("reverts when the deposit is below the minimum deposit", async function () {
      const { pool, alice } = await loadFixture(poolFixture);
      await expect(pool.connect(alice).join(USDC(2) - 1n, commitmentOf("alice"), NO_ATTESTATION))
        .to.be.revertedWithCustomError(pool, "MemberDepositTooLow")
        .withArgs(USDC(2) - 1n, USDC(2));
    });

    it("reverts when the deposit is zero", async function () {
      const { pool, alice } = await loadFixture(poolFixture);
      await expect(pool.connect(alice).join(0n, commitmentOf("alice"), NO_ATTESTATION))
        .to.be.revertedWithCustomError(pool, "MemberDepositTooLow")
        .withArgs(0n, USDC(2));
    });

    it("reverts when the commitment is zero", async function () {
      const { pool, alice } = await loadFixture(poolFixture);
      await expect(pool.connect(alice).join(USDC(2), ethers.ZeroHash, NO_ATTESTATION)).to.be.revertedWithCustomError(
        pool,
        "MemberZeroCommitment",
      );
    });

    it("reverts when the same wallet joins again with another commitment", async function () {
      const { pool, alice } = await loadFixture(poolFixture);
      await pool.connect(alice).join(USDC(2), commitmentOf("alice"), NO_ATTESTATION);
      await expect(pool.connect(alice).join(USDC(2), commitmentOf("alice-2"), NO_ATTESTATION))
        .to.be.revertedWithCustomError(pool, "MemberAlreadyJoined")
        .withArgs(alice.address);
    });

    it("reverts when another wallet joins with a used commitment", async function () {
      const { pool, alice, bob } = await loadFixture(poolFixture);
      await pool.connect(alice).join(USDC(2), commitmentOf("alice"), NO_ATTESTATION);
      await expect(pool.connect(bob).join(USDC(2), commitmentOf("alice"), NO_ATTESTATION))
        .to.be.revertedWithCustomError(pool, "MemberCommitmentUsed")
        .withArgs(commitmentOf("alice"));
      expect(await pool.memberCount()).to.equal(1n);
    });

    it("lets a wallet that exited join again with the same commitment, keeping its balance", async function () {
      const f = await loadFixture(membersFixture);
      const { pool, erin } = f;
      await pool.connect(erin).requestExit();
      await pool.completeExit(erin.address);
      await fund(f, erin, USDC(2));
      const t = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(t);
      await expect(pool.connect(erin).join(USDC(2), commitmentOf(erin.address), NO_ATTESTATION))
        .to.emit(pool, "MemberJoined")
        .withArgs(erin.address, commitmentOf(erin.address), USDC(2), 0n, t + WAITING_PERIOD, 5n);
      expect(await memberOf(pool, erin.address)).to.deep.include({
        status: Status.Waiting,
        credit: USDC(12),
        balance: USDC(12),
        charged: 0n,
        exitClaimBound: 0n,
        lapsableAt: 0n,
      });
      expect(await pool.jurorCount()).to.equal(5n);
      expect(await pool.jurorAt(4n)).to.equal(erin.address);
    });

    it("reverts when a wallet that exited returns with another commitment", async function () {
      const f = await loadFixture(membersFixture);
      const { pool, erin } = f;
      await pool.connect(erin).requestExit();
      await pool.completeExit(erin.address);
      await fund(f, erin, USDC(2));
      await expect(pool.connect(erin).join(USDC(2), commitmentOf("erin-again"), NO_ATTESTATION))
        .to.be.revertedWithCustomError(pool, "MemberCommitmentMismatch")
        .withArgs(erin.address, commitmentOf("erin-again"));
    });

    it("reverts when a member still counted joins again", async function () {
      const f = await loadFixture(membersFixture);
      await f.pool.connect(f.erin).requestExit();
      await fund(f, f.erin, USDC(2));
      await expect(f.pool.connect(f.erin).join(USDC(2), commitmentOf(f.erin.address), NO_ATTESTATION))
        .to.be.revertedWithCustomError(f.pool, "MemberAlreadyJoined")
        .withArgs(f.erin.address);
    });

    it("reverts when the guardian has paused the pool", async function () {
      const { pool, guardian, alice } = await loadFixture(poolFixture);
      await pool.connect(guardian).pause();
      await expect(
        pool.connect(alice).join(USDC(2), commitmentOf("alice"), NO_ATTESTATION),
      ).to.be.revertedWithCustomError(pool, "EnforcedPause");
    });

    it("reverts a join with permit when the guardian has paused the pool", async function () {
      const { token, pool, guardian, carol } = await loadFixture(poolFixture);
      await pool.connect(guardian).pause();
      const permit = await signPermit(token, pool, carol, USDC(2));
      await expect(
        pool.connect(carol).joinWithPermit(USDC(2), commitmentOf("carol"), NO_ATTESTATION, permit),
      ).to.be.revertedWithCustomError(pool, "EnforcedPause");
    });
  });

  describe("attestation", function () {
    it("computes the EIP-712 digest of the Huzhu Pool domain", async function () {
      const { pool, alice } = await loadFixture(verifiedFixture);
      const deadline = 1_900_000_000n;
      const expected = ethers.TypedDataEncoder.hash(await attestationDomain(pool), ATTESTATION_TYPES, {
        member: alice.address,
        commitment: commitmentOf("alice"),
        deadline,
      });
      expect(await pool.attestationDigest(alice.address, commitmentOf("alice"), deadline)).to.equal(expected);
    });

    it("joins a member with the verifier's attestation", async function () {
      const { token, pool, alice, verifier } = await loadFixture(verifiedFixture);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const attestation = await attest(pool, verifier, alice.address, commitmentOf("alice"), deadline);
      const tx = pool.connect(alice).join(USDC(2), commitmentOf("alice"), attestation);
      await expect(tx).to.changeTokenBalances(token, [alice, pool], [-USDC(2), USDC(2)]);
      await expect(tx).to.emit(pool, "MemberJoined");
      expect(await pool.commitmentOwner(commitmentOf("alice"))).to.equal(alice.address);
    });

    it("accepts an attestation in the very second of its deadline", async function () {
      const { pool, alice, verifier } = await loadFixture(verifiedFixture);
      const deadline = BigInt(await time.latest()) + 100n;
      const attestation = await attest(pool, verifier, alice.address, commitmentOf("alice"), deadline);
      await time.setNextBlockTimestamp(deadline);
      await pool.connect(alice).join(USDC(2), commitmentOf("alice"), attestation);
      expect(await pool.statusOf(alice.address)).to.equal(Status.Waiting);
    });

    it("reverts when the attestation is past its deadline", async function () {
      const { pool, alice, verifier } = await loadFixture(verifiedFixture);
      const deadline = BigInt(await time.latest()) + 100n;
      const attestation = await attest(pool, verifier, alice.address, commitmentOf("alice"), deadline);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(pool.connect(alice).join(USDC(2), commitmentOf("alice"), attestation))
        .to.be.revertedWithCustomError(pool, "MemberAttestationExpired")
        .withArgs(deadline, deadline + 1n);
    });

    it("reverts when a verified pool gets no attestation", async function () {
      const { pool, alice } = await loadFixture(verifiedFixture);
      const t = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(t);
      await expect(pool.connect(alice).join(USDC(2), commitmentOf("alice"), NO_ATTESTATION))
        .to.be.revertedWithCustomError(pool, "MemberAttestationExpired")
        .withArgs(0n, t);
    });

    it("reverts when the attestation is signed by another key", async function () {
      const { pool, alice, mallory } = await loadFixture(verifiedFixture);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const forged = await attest(pool, mallory, alice.address, commitmentOf("alice"), deadline);
      await expect(pool.connect(alice).join(USDC(2), commitmentOf("alice"), forged))
        .to.be.revertedWithCustomError(pool, "MemberAttestationInvalid")
        .withArgs(alice.address, commitmentOf("alice"));
    });

    it("reverts when another member uses an attestation signed for someone else", async function () {
      const { pool, alice, bob, verifier } = await loadFixture(verifiedFixture);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const bobs = await attest(pool, verifier, bob.address, commitmentOf("alice"), deadline);
      await expect(pool.connect(alice).join(USDC(2), commitmentOf("alice"), bobs))
        .to.be.revertedWithCustomError(pool, "MemberAttestationInvalid")
        .withArgs(alice.address, commitmentOf("alice"));
    });

    it("reverts when the attestation covers another commitment", async function () {
      const { pool, alice, verifier } = await loadFixture(verifiedFixture);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const other = await attest(pool, verifier, alice.address, commitmentOf("someone-else"), deadline);
      await expect(pool.connect(alice).join(USDC(2), commitmentOf("alice"), other))
        .to.be.revertedWithCustomError(pool, "MemberAttestationInvalid")
        .withArgs(alice.address, commitmentOf("alice"));
    });

    it("reverts when the attestation's deadline was changed after signing", async function () {
      const { pool, alice, verifier } = await loadFixture(verifiedFixture);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const { signature } = await attest(pool, verifier, alice.address, commitmentOf("alice"), deadline);
      await expect(pool.connect(alice).join(USDC(2), commitmentOf("alice"), { deadline: deadline + 1n, signature }))
        .to.be.revertedWithCustomError(pool, "MemberAttestationInvalid")
        .withArgs(alice.address, commitmentOf("alice"));
    });

    it("reverts when the attestation was signed for another pool", async function () {
      const { factory, pool, alice, verifier } = await loadFixture(verifiedFixture);
      // ethers Results carry toObject() at run time; TypeChain's struct outputs do not declare it.
      const asObject = <T>(r: unknown) => (r as { toObject(): T }).toObject();
      const other = await createPool(factory, asObject(await pool.rules()), asObject(await pool.roles()));
      const deadline = BigInt(await time.latest()) + 3_600n;
      const forOther = await attest(other, verifier, alice.address, commitmentOf("alice"), deadline);
      await expect(pool.connect(alice).join(USDC(2), commitmentOf("alice"), forOther))
        .to.be.revertedWithCustomError(pool, "MemberAttestationInvalid")
        .withArgs(alice.address, commitmentOf("alice"));
    });

    it("reverts when the signature is empty", async function () {
      const { pool, alice } = await loadFixture(verifiedFixture);
      const deadline = BigInt(await time.latest()) + 3_600n;
      await expect(pool.connect(alice).join(USDC(2), commitmentOf("alice"), { deadline, signature: "0x" }))
        .to.be.revertedWithCustomError(pool, "MemberAttestationInvalid")
        .withArgs(alice.address, commitmentOf("alice"));
    });

    it("checks the attestation on a join with permit too", async function () {
      const { token, pool, mallory } = await loadFixture(verifiedFixture);
      const [, , , , , , , carol] = await ethers.getSigners();
      await token.mint(carol.address, USDC(2));
      const deadline = BigInt(await time.latest()) + 3_600n;
      const forged = await attest(pool, mallory, carol.address, commitmentOf("carol"), deadline);
      const permit = await signPermit(token, pool, carol, USDC(2));
      await expect(pool.connect(carol).joinWithPermit(USDC(2), commitmentOf("carol"), forged, permit))
        .to.be.revertedWithCustomError(pool, "MemberAttestationInvalid")
        .withArgs(carol.address, commitmentOf("carol"));
    });

    it("accepts the owner's signature when the verifier is an ERC-1271 contract wallet", async function () {
      const { token, pool, alice, walletOwner } = await loadFixture(walletVerifiedFixture);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const attestation = await attest(pool, walletOwner, alice.address, commitmentOf("alice"), deadline);
      await expect(pool.connect(alice).join(USDC(2), commitmentOf("alice"), attestation)).to.changeTokenBalances(
        token,
        [alice, pool],
        [-USDC(2), USDC(2)],
      );
      expect(await pool.statusOf(alice.address)).to.equal(Status.Waiting);
    });

    it("rejects another key's signature when the verifier is an ERC-1271 contract wallet", async function () {
      const { pool, alice, mallory } = await loadFixture(walletVerifiedFixture);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const forged = await attest(pool, mallory, alice.address, commitmentOf("alice"), deadline);
      await expect(pool.connect(alice).join(USDC(2), commitmentOf("alice"), forged))
        .to.be.revertedWithCustomError(pool, "MemberAttestationInvalid")
        .withArgs(alice.address, commitmentOf("alice"));
    });
  });

  describe("joinWithPermit", function () {
    it("joins in one transaction with a permit and no prior approval", async function () {
      const { token, pool, carol } = await loadFixture(poolFixture);
      expect(await token.allowance(carol.address, await pool.getAddress())).to.equal(0n);
      const permit = await signPermit(token, pool, carol, USDC(5));
      const tx = pool.connect(carol).joinWithPermit(USDC(5), commitmentOf("carol"), NO_ATTESTATION, permit);
      await expect(tx).to.changeTokenBalances(token, [carol, pool], [-USDC(5), USDC(5)]);
      await expect(tx)
        .to.emit(pool, "MemberJoined")
        .withArgs(carol.address, commitmentOf("carol"), USDC(5), 0n, (await time.latest()) + WAITING_PERIOD, 1n);
      expect(await token.allowance(carol.address, await pool.getAddress())).to.equal(0n);
    });

    it("still joins when someone else submitted the same permit first", async function () {
      const { token, pool, carol, outsider } = await loadFixture(poolFixture);
      const permit = await signPermit(token, pool, carol, USDC(5));
      await token
        .connect(outsider)
        .permit(carol.address, await pool.getAddress(), USDC(5), permit.deadline, permit.v, permit.r, permit.s);
      await expect(
        pool.connect(carol).joinWithPermit(USDC(5), commitmentOf("carol"), NO_ATTESTATION, permit),
      ).to.changeTokenBalances(token, [carol, pool], [-USDC(5), USDC(5)]);
      expect(await pool.statusOf(carol.address)).to.equal(Status.Waiting);
    });

    it("reverts when the permit fails and there is no allowance", async function () {
      const { token, pool, carol, outsider } = await loadFixture(poolFixture);
      const forged = await signPermit(token, pool, carol, USDC(5), outsider);
      await expect(pool.connect(carol).joinWithPermit(USDC(5), commitmentOf("carol"), NO_ATTESTATION, forged))
        .to.be.revertedWithCustomError(pool, "MemberPermitFailed")
        .withArgs(carol.address, 0n, USDC(5));
    });

    it("reverts when the permit fails and the allowance is short of the deposit", async function () {
      const { token, pool, carol, outsider } = await loadFixture(poolFixture);
      await token.connect(carol).approve(await pool.getAddress(), USDC(5) - 1n);
      const forged = await signPermit(token, pool, carol, USDC(5), outsider);
      await expect(pool.connect(carol).joinWithPermit(USDC(5), commitmentOf("carol"), NO_ATTESTATION, forged))
        .to.be.revertedWithCustomError(pool, "MemberPermitFailed")
        .withArgs(carol.address, USDC(5) - 1n, USDC(5));
    });

    it("joins with a failed permit when the allowance covers the deposit", async function () {
      const { token, pool, carol, outsider } = await loadFixture(poolFixture);
      await token.connect(carol).approve(await pool.getAddress(), USDC(5));
      const forged = await signPermit(token, pool, carol, USDC(5), outsider);
      await expect(
        pool.connect(carol).joinWithPermit(USDC(5), commitmentOf("carol"), NO_ATTESTATION, forged),
      ).to.changeTokenBalances(token, [carol, pool], [-USDC(5), USDC(5)]);
    });
  });

  describe("addToMemberFunds (a top-up)", function () {
    it("adds the amount to the member's credit and balance", async function () {
      const f = await loadFixture(membersFixture);
      const { token, pool, alice } = f;
      await fund(f, alice, USDC(3));
      const tx = pool.connect(alice).addToMemberFunds(USDC(3));
      await expect(tx).to.changeTokenBalances(token, [alice, pool], [-USDC(3), USDC(3)]);
      await expect(tx).to.emit(pool, "MemberToppedUp").withArgs(alice.address, USDC(3));
      const m = await memberOf(pool, alice.address);
      expect([m.credit, m.charged, m.balance]).to.deep.equal([USDC(13), 0n, USDC(13)]);
      expect(await pool.balanceOf(alice.address)).to.equal(USDC(13));
    });

    it("lets an exiting member top up", async function () {
      const f = await loadFixture(membersFixture);
      await f.pool.connect(f.erin).requestExit();
      await fund(f, f.erin, USDC(1));
      await expect(f.pool.connect(f.erin).addToMemberFunds(USDC(1)))
        .to.emit(f.pool, "MemberToppedUp")
        .withArgs(f.erin.address, USDC(1));
      expect(await f.pool.balanceOf(f.erin.address)).to.equal(USDC(11));
    });

    it("reverts when the amount is zero", async function () {
      const { pool, alice } = await loadFixture(membersFixture);
      await expect(pool.connect(alice).addToMemberFunds(0n)).to.be.revertedWithCustomError(pool, "MemberZeroAmount");
    });

    it("reverts when the caller is not a member", async function () {
      const f = await loadFixture(membersFixture);
      await fund(f, f.outsider, USDC(3));
      await expect(f.pool.connect(f.outsider).addToMemberFunds(USDC(3)))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedMemberStatus")
        .withArgs(f.outsider.address, Status.None);
    });

    it("reverts when the member has exited", async function () {
      const f = await loadFixture(membersFixture);
      await f.pool.connect(f.erin).requestExit();
      await f.pool.completeExit(f.erin.address);
      await fund(f, f.erin, USDC(3));
      await expect(f.pool.connect(f.erin).addToMemberFunds(USDC(3)))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedMemberStatus")
        .withArgs(f.erin.address, Status.Exited);
    });

    it("reverts when the member has lapsed", async function () {
      const f = await loadFixture(underfundedFixture);
      await flagAndLapse(f.pool, f.erin.address);
      await f.pool.completeExit(f.erin.address);
      await fund(f, f.erin, USDC(3));
      await expect(f.pool.connect(f.erin).addToMemberFunds(USDC(3)))
        .to.be.revertedWithCustomError(f.pool, "UnexpectedMemberStatus")
        .withArgs(f.erin.address, Status.Lapsed);
    });
  });

  describe("statusOf", function () {
    it("reports None for a wallet that never joined", async function () {
      const { pool, outsider } = await loadFixture(membersFixture);
      expect(await pool.statusOf(outsider.address)).to.equal(Status.None);
    });

    it("reports Waiting until the end of the waiting period and Active from then on", async function () {
      const { pool, alice } = await loadFixture(membersFixture);
      const { eligibleAt } = await memberOf(pool, alice.address);
      await time.increaseTo(eligibleAt - 1n);
      expect(await pool.statusOf(alice.address)).to.equal(Status.Waiting);
      await time.increaseTo(eligibleAt);
      expect(await pool.statusOf(alice.address)).to.equal(Status.Active);
      expect((await memberOf(pool, alice.address)).status).to.equal(Status.Active);
    });
  });

  describe("requestExit", function () {
    it("marks the member Exiting, bound to every claim submitted so far", async function () {
      const f = await loadFixture(seasonedFixture);
      await submitClaim(f, f.alice, USDC(1));
      await expect(f.pool.connect(f.erin).requestExit())
        .to.emit(f.pool, "MemberExitRequested")
        .withArgs(f.erin.address, 2n);
      expect(await f.pool.statusOf(f.erin.address)).to.equal(Status.Exiting);
      expect((await memberOf(f.pool, f.erin.address)).exitClaimBound).to.equal(2n);
      expect(await f.pool.memberCount()).to.equal(5n);
    });

    it("lets a waiting member ask to leave", async function () {
      const { pool, erin } = await loadFixture(membersFixture);
      await expect(pool.connect(erin).requestExit()).to.emit(pool, "MemberExitRequested").withArgs(erin.address, 1n);
      expect(await pool.statusOf(erin.address)).to.equal(Status.Exiting);
    });

    it("reverts when the member already asked to leave", async function () {
      const { pool, erin } = await loadFixture(membersFixture);
      await pool.connect(erin).requestExit();
      await expect(pool.connect(erin).requestExit())
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(erin.address, Status.Exiting);
    });

    it("reverts when the member has exited", async function () {
      const { pool, erin } = await loadFixture(membersFixture);
      await pool.connect(erin).requestExit();
      await pool.completeExit(erin.address);
      await expect(pool.connect(erin).requestExit())
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(erin.address, Status.Exited);
    });

    it("reverts when the caller is not a member", async function () {
      const { pool, outsider } = await loadFixture(membersFixture);
      await expect(pool.connect(outsider).requestExit())
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(outsider.address, Status.None);
    });
  });

  describe("completeExit", function () {
    it("lets a keeper complete an exit at once when no claim came before the request", async function () {
      const { pool, erin, keeper } = await loadFixture(membersFixture);
      await pool.connect(erin).requestExit();
      await expect(pool.connect(keeper).completeExit(erin.address))
        .to.emit(pool, "MemberLeft")
        .withArgs(erin.address, Status.Exited, 0n, USDC(10), 0n, 4n);
      expect(await memberOf(pool, erin.address)).to.deep.include({
        status: Status.Exited,
        credit: USDC(10),
        charged: 0n,
        balance: USDC(10),
        exitClaimBound: 0n,
        lapsableAt: 0n,
      });
      expect(await pool.memberCount()).to.equal(4n);
    });

    it("is not held back by a claim submitted after the request", async function () {
      const f = await loadFixture(seasonedFixture);
      await f.pool.connect(f.erin).requestExit();
      await submitClaim(f, f.alice, USDC(1));
      await expect(f.pool.connect(f.keeper).completeExit(f.erin.address))
        .to.emit(f.pool, "MemberLeft")
        .withArgs(f.erin.address, Status.Exited, 0n, USDC(10), 0n, 4n);
    });

    it("reverts while an earlier claim is under vote or waiting to be resolved", async function () {
      const { pool, keeper, erin } = await loadFixture(exitBoundFixture);
      await expect(pool.connect(keeper).completeExit(erin.address))
        .to.be.revertedWithCustomError(pool, "MemberExitNotReady")
        .withArgs(erin.address, 2n);
      await decide(pool, 1n, true);
      await expect(pool.connect(keeper).completeExit(erin.address))
        .to.be.revertedWithCustomError(pool, "MemberExitNotReady")
        .withArgs(erin.address, 2n);
    });

    it("reverts while an approved earlier claim is unpaid", async function () {
      const { pool, keeper, erin } = await loadFixture(exitBoundFixture);
      await decide(pool, 1n, true);
      await pool.resolve(1n);
      expect(await pool.state(1n)).to.equal(ClaimState.Approved);
      await expect(pool.connect(keeper).completeExit(erin.address))
        .to.be.revertedWithCustomError(pool, "MemberExitNotReady")
        .withArgs(erin.address, 2n);
    });

    it("completes once the approved claim is paid, with the exiting member's share charged", async function () {
      const { token, pool, keeper, erin } = await loadFixture(exitBoundFixture);
      await decide(pool, 1n, true);
      await pool.resolve(1n);
      await settleThroughCurrent(pool);
      // 5 members: the claim of 1 USDC pays 5 x 0.1 = 0.5, fee 0.04, share 0.54 / 5 = 0.108 USDC.
      await expect(pool.connect(keeper).completeExit(erin.address))
        .to.emit(pool, "MemberLeft")
        .withArgs(erin.address, Status.Exited, 108_000n, USDC(10) - 108_000n, 0n, 4n);
      await expect(pool.connect(erin).withdraw(USDC(10) - 108_000n)).to.changeTokenBalances(
        token,
        [erin, pool],
        [USDC(10) - 108_000n, -(USDC(10) - 108_000n)],
      );
    });

    it("completes once the earlier claim is rejected", async function () {
      const { pool, keeper, erin } = await loadFixture(exitBoundFixture);
      await decide(pool, 1n, false);
      await pool.resolve(1n);
      await expect(pool.connect(keeper).completeExit(erin.address))
        .to.emit(pool, "MemberLeft")
        .withArgs(erin.address, Status.Exited, 0n, USDC(10), 0n, 4n);
    });

    it("reverts when the member has not asked to leave", async function () {
      const { pool, keeper, alice } = await loadFixture(seasonedFixture);
      await expect(pool.connect(keeper).completeExit(alice.address))
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(alice.address, Status.Active);
    });

    it("reverts when the member is still waiting and has not asked to leave", async function () {
      const { pool, keeper, alice } = await loadFixture(membersFixture);
      await expect(pool.connect(keeper).completeExit(alice.address))
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(alice.address, Status.Waiting);
    });

    it("reverts when the exit is already complete", async function () {
      const { pool, keeper, erin } = await loadFixture(membersFixture);
      await pool.connect(erin).requestExit();
      await pool.connect(keeper).completeExit(erin.address);
      await expect(pool.connect(keeper).completeExit(erin.address))
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(erin.address, Status.Exited);
    });

    it("reverts for a wallet that never joined", async function () {
      const { pool, keeper, outsider } = await loadFixture(membersFixture);
      await expect(pool.connect(keeper).completeExit(outsider.address))
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(outsider.address, Status.None);
    });
  });

  describe("withdraw", function () {
    it("lets a counted member withdraw down to the minimum balance", async function () {
      const { token, pool, alice } = await loadFixture(membersFixture);
      const tx = pool.connect(alice).withdraw(USDC(9));
      await expect(tx).to.changeTokenBalances(token, [alice, pool], [USDC(9), -USDC(9)]);
      await expect(tx).to.emit(pool, "MemberWithdrew").withArgs(alice.address, USDC(9));
      const m = await memberOf(pool, alice.address);
      expect([m.credit, m.balance]).to.deep.equal([USDC(1), USDC(1)]);
    });

    it("reverts when a counted member would go below the minimum balance", async function () {
      const { pool, alice } = await loadFixture(membersFixture);
      await expect(pool.connect(alice).withdraw(USDC(9) + 1n))
        .to.be.revertedWithCustomError(pool, "MemberInsufficientBalance")
        .withArgs(alice.address, USDC(10), USDC(10) + 1n);
    });

    it("keeps the minimum balance of an exiting member", async function () {
      const { pool, erin } = await loadFixture(membersFixture);
      await pool.connect(erin).requestExit();
      await expect(pool.connect(erin).withdraw(USDC(9) + 1n))
        .to.be.revertedWithCustomError(pool, "MemberInsufficientBalance")
        .withArgs(erin.address, USDC(10), USDC(10) + 1n);
    });

    it("lets an exited member withdraw everything", async function () {
      const { token, pool, erin } = await loadFixture(membersFixture);
      await pool.connect(erin).requestExit();
      await pool.completeExit(erin.address);
      const tx = pool.connect(erin).withdraw(USDC(10));
      await expect(tx).to.changeTokenBalances(token, [erin, pool], [USDC(10), -USDC(10)]);
      await expect(tx).to.emit(pool, "MemberWithdrew").withArgs(erin.address, USDC(10));
      expect(await pool.balanceOf(erin.address)).to.equal(0n);
      await expect(pool.connect(erin).withdraw(1n))
        .to.be.revertedWithCustomError(pool, "MemberInsufficientBalance")
        .withArgs(erin.address, 0n, 1n);
    });

    it("reverts when the amount is zero", async function () {
      const { pool, alice } = await loadFixture(membersFixture);
      await expect(pool.connect(alice).withdraw(0n)).to.be.revertedWithCustomError(pool, "MemberZeroAmount");
    });

    it("reverts when the caller is not a member", async function () {
      const { pool, outsider } = await loadFixture(membersFixture);
      await expect(pool.connect(outsider).withdraw(1n))
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(outsider.address, Status.None);
    });

    it("keeps top-ups, exits and withdrawals open while the pool is paused", async function () {
      const f = await loadFixture(membersFixture);
      const { token, pool, guardian, keeper, alice, erin } = f;
      await pool.connect(guardian).pause();
      await fund(f, alice, USDC(1));
      await expect(pool.connect(alice).addToMemberFunds(USDC(1))).to.emit(pool, "MemberToppedUp");
      await expect(pool.connect(alice).withdraw(USDC(2))).to.changeTokenBalances(
        token,
        [alice, pool],
        [USDC(2), -USDC(2)],
      );
      await pool.connect(erin).requestExit();
      await pool.connect(keeper).completeExit(erin.address);
      await expect(pool.connect(erin).withdraw(USDC(10))).to.changeTokenBalances(
        token,
        [erin, pool],
        [USDC(10), -USDC(10)],
      );
    });
  });

  describe("juror set", function () {
    it("appends every joiner; a leaver leaves a hole that nobody moves into, and the next join fills it", async function () {
      const { pool, token, members, alice, bob, carol, dave, erin } = await loadFixture(membersFixture);
      expect(await pool.jurorCount()).to.equal(5n);
      const order = [alice, bob, carol, dave, erin];
      for (let i = 0; i < 5; i++) expect(await pool.jurorAt(i)).to.equal(order[i].address);
      await pool.connect(bob).requestExit();
      await pool.connect(dave).requestExit();
      // Nobody moved: positions 1 and 3 are holes, still showing their leavers.
      expect(await pool.jurorCount()).to.equal(5n);
      expect(await pool.jurorHoles()).to.equal(2n);
      for (let i = 0; i < 5; i++) expect(await pool.jurorAt(i)).to.equal(order[i].address);
      expect((await pool.member(erin.address)).position).to.equal(4n);
      // The next join takes the last hole (dave's), the one after it bob's, then the end.
      const [frank, grace, heidi] = members.slice(5, 8);
      for (const m of [frank, grace, heidi]) await join({ token, pool }, m, USDC(12));
      expect(await pool.jurorAt(3n)).to.equal(frank.address);
      expect(await pool.jurorAt(1n)).to.equal(grace.address);
      expect(await pool.jurorAt(5n)).to.equal(heidi.address);
      expect(await pool.jurorHoles()).to.equal(0n);
      expect(await pool.jurorCount()).to.equal(6n);
      expect((await pool.member(grace.address)).position).to.equal(1n);
      // Leaving the juror set does not stop the charges: the leavers are still counted.
      expect(await pool.memberCount()).to.equal(8n);
    });

    it("removes a member from the juror set when the lapse notice is served", async function () {
      const { pool, erin } = await loadFixture(underfundedFixture);
      expect(await pool.jurorCount()).to.equal(7n);
      await flagAndLapse(pool, erin.address);
      expect(await pool.jurorHoles()).to.equal(1n);
      expect((await pool.member(erin.address)).status).to.equal(Status.Lapsing);
      expect(await pool.memberCount()).to.equal(7n);
    });
  });

  describe("flag", function () {
    it("flags a member below the minimum balance and starts the grace", async function () {
      const { pool, keeper, erin } = await loadFixture(underfundedFixture);
      const balance = MIN_BALANCE - SHARE;
      const t = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(t);
      await expect(pool.connect(keeper).flag(erin.address))
        .to.emit(pool, "MemberFlagged")
        .withArgs(erin.address, balance, t + LAPSE_GRACE);
      expect((await pool.member(erin.address)).lapsableAt).to.equal(t + LAPSE_GRACE);
    });

    it("reverts for a member holding the minimum balance", async function () {
      const { pool, grace } = await loadFixture(underfundedFixture);
      await expect(pool.flag(grace.address))
        .to.be.revertedWithCustomError(pool, "MemberFunded")
        .withArgs(grace.address, USDC(1) - SHARE, MIN_BALANCE);
    });

    it("reverts when the member is already flagged", async function () {
      const { pool, erin } = await loadFixture(underfundedFixture);
      await pool.flag(erin.address);
      const lapsableAt = (await pool.member(erin.address)).lapsableAt;
      await expect(pool.flag(erin.address))
        .to.be.revertedWithCustomError(pool, "MemberAlreadyFlagged")
        .withArgs(erin.address, lapsableAt);
    });

    it("reverts for a wallet that never joined and for a member already lapsing", async function () {
      const { pool, erin, outsider } = await loadFixture(underfundedFixture);
      await expect(pool.flag(outsider.address))
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(outsider.address, Status.None);
      await flagAndLapse(pool, erin.address);
      await expect(pool.flag(erin.address))
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(erin.address, Status.Lapsing);
    });

    it("clears the flag when a top-up brings the balance back to the minimum", async function () {
      const f = await loadFixture(underfundedFixture);
      const { pool, erin } = f;
      await pool.flag(erin.address);
      await fund(f, erin, SHARE);
      await expect(pool.connect(erin).addToMemberFunds(SHARE))
        .to.emit(pool, "MemberFlagCleared")
        .withArgs(erin.address);
      expect((await pool.member(erin.address)).lapsableAt).to.equal(0n);
      await time.increase(LAPSE_GRACE);
      await expect(pool.lapse(erin.address))
        .to.be.revertedWithCustomError(pool, "MemberFunded")
        .withArgs(erin.address, MIN_BALANCE, MIN_BALANCE);
    });

    it("keeps the flag when a top-up falls short of the minimum", async function () {
      const f = await loadFixture(underfundedFixture);
      const { pool, erin } = f;
      await pool.flag(erin.address);
      const lapsableAt = (await pool.member(erin.address)).lapsableAt;
      await fund(f, erin, SHARE - 1n);
      await expect(pool.connect(erin).addToMemberFunds(SHARE - 1n)).not.to.emit(pool, "MemberFlagCleared");
      expect((await pool.member(erin.address)).lapsableAt).to.equal(lapsableAt);
    });
  });

  describe("lapse", function () {
    it("reverts for a member never flagged, and before the grace is over", async function () {
      const { pool, erin } = await loadFixture(underfundedFixture);
      await expect(pool.lapse(erin.address))
        .to.be.revertedWithCustomError(pool, "MemberGraceNotOver")
        .withArgs(erin.address, 0n);
      await pool.flag(erin.address);
      const lapsableAt = (await pool.member(erin.address)).lapsableAt;
      await time.setNextBlockTimestamp(lapsableAt - 1n);
      await expect(pool.lapse(erin.address))
        .to.be.revertedWithCustomError(pool, "MemberGraceNotOver")
        .withArgs(erin.address, lapsableAt);
    });

    it("serves a forced exit notice after the grace: Lapsing, still counted, out of the juror set", async function () {
      const { pool, keeper, erin } = await loadFixture(underfundedFixture);
      await pool.flag(erin.address);
      await time.increaseTo((await pool.member(erin.address)).lapsableAt);
      await expect(pool.connect(keeper).lapse(erin.address))
        .to.emit(pool, "MemberLapsing")
        .withArgs(erin.address, MIN_BALANCE - SHARE, 2n);
      expect(await memberOf(pool, erin.address)).to.deep.include({
        status: Status.Lapsing,
        exitClaimBound: 2n,
        lapsableAt: 0n,
      });
      expect(await pool.memberCount()).to.equal(7n);
    });

    it("ends the notice as Lapsed once the earlier claims are final and paid, charging what is due", async function () {
      const { pool, keeper, erin } = await loadFixture(underfundedFixture);
      await flagAndLapse(pool, erin.address);
      await expect(pool.connect(keeper).completeExit(erin.address))
        .to.emit(pool, "MemberLeft")
        .withArgs(erin.address, Status.Lapsed, SHARE, MIN_BALANCE - SHARE, 0n, 6n);
      expect(await pool.statusOf(erin.address)).to.equal(Status.Lapsed);
      await expect(pool.connect(erin).withdraw(MIN_BALANCE - SHARE))
        .to.emit(pool, "MemberWithdrew")
        .withArgs(erin.address, MIN_BALANCE - SHARE);
    });

    it("holds a lapsing member's exit until a claim submitted before the notice is paid", async function () {
      const f = await loadFixture(underfundedFixture);
      const { pool, bob, erin } = f;
      const id = await submitClaim(f, bob, USDC(100), "bob");
      await flagAndLapse(pool, erin.address);
      expect((await pool.member(erin.address)).exitClaimBound).to.equal(id + 1n);
      await expect(pool.completeExit(erin.address))
        .to.be.revertedWithCustomError(pool, "MemberExitNotReady")
        .withArgs(erin.address, id + 1n);
    });

    it("reverts when a top-up during the grace restored the balance", async function () {
      const f = await loadFixture(underfundedFixture);
      const { pool, erin } = f;
      await pool.flag(erin.address);
      await time.increase(LAPSE_GRACE);
      // A top-up to exactly the minimum clears the flag; a second flag would be needed.
      await fund(f, erin, SHARE);
      await pool.connect(erin).addToMemberFunds(SHARE);
      await expect(pool.lapse(erin.address))
        .to.be.revertedWithCustomError(pool, "MemberFunded")
        .withArgs(erin.address, MIN_BALANCE, MIN_BALANCE);
    });

    it("reverts for a member who is not counted in the juror set", async function () {
      const { pool, erin, outsider } = await loadFixture(underfundedFixture);
      await expect(pool.lapse(outsider.address))
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(outsider.address, Status.None);
      await pool.connect(erin).requestExit();
      await expect(pool.lapse(erin.address))
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(erin.address, Status.Exiting);
    });

    it("lets a lapsed wallet return with the same commitment, keeping what is left of its balance", async function () {
      const f = await loadFixture(underfundedFixture);
      const { pool, erin } = f;
      await flagAndLapse(pool, erin.address);
      await pool.completeExit(erin.address);
      await fund(f, erin, MIN_BALANCE);
      await expect(pool.connect(erin).join(MIN_BALANCE, commitmentOf(erin.address), NO_ATTESTATION)).to.emit(
        pool,
        "MemberJoined",
      );
      expect(await memberOf(pool, erin.address)).to.deep.include({
        status: Status.Waiting,
        credit: MIN_BALANCE + MIN_BALANCE - SHARE,
        balance: MIN_BALANCE + MIN_BALANCE - SHARE,
        charged: 0n,
      });
      await fund(f, f.frank, MIN_BALANCE);
      await expect(pool.connect(erin).join(MIN_BALANCE, commitmentOf(erin.address), NO_ATTESTATION))
        .to.be.revertedWithCustomError(pool, "MemberAlreadyJoined")
        .withArgs(erin.address);
    });

    it("refuses a lapsed wallet returning with another commitment", async function () {
      const f = await loadFixture(underfundedFixture);
      const { pool, erin } = f;
      await flagAndLapse(pool, erin.address);
      await pool.completeExit(erin.address);
      await fund(f, erin, MIN_BALANCE);
      await expect(pool.connect(erin).join(MIN_BALANCE, commitmentOf("someone else"), NO_ATTESTATION))
        .to.be.revertedWithCustomError(pool, "MemberCommitmentMismatch")
        .withArgs(erin.address, commitmentOf("someone else"));
    });
  });

  describe("lapseBatch", function () {
    it("flags the unflagged, then lapses the flagged past their grace, and returns both counts", async function () {
      const { pool, keeper, alice, erin, frank, grace, outsider } = await loadFixture(underfundedFixture);
      const list = [alice.address, erin.address, outsider.address, frank.address, grace.address];
      expect(await pool.lapseBatch.staticCall(list)).to.deep.equal([2n, 0n]);
      await expect(pool.connect(keeper).lapseBatch(list))
        .to.emit(pool, "MemberFlagged")
        .and.not.to.emit(pool, "MemberLapsing");
      // Within the grace: nothing to do.
      expect(await pool.lapseBatch.staticCall(list)).to.deep.equal([0n, 0n]);
      await time.increase(LAPSE_GRACE);
      expect(await pool.lapseBatch.staticCall(list)).to.deep.equal([0n, 2n]);
      await expect(pool.connect(keeper).lapseBatch(list))
        .to.emit(pool, "MemberLapsing")
        .withArgs(erin.address, MIN_BALANCE - SHARE, 2n)
        .and.to.emit(pool, "MemberLapsing")
        .withArgs(frank.address, MIN_BALANCE - SHARE, 2n);
      // Already lapsing: skipped.
      expect(await pool.lapseBatch.staticCall(list)).to.deep.equal([0n, 0n]);
      expect(await pool.statusOf(grace.address)).to.equal(Status.Waiting);
    });
  });

  describe("when keepers are late", function () {
    it("lets a member's balance go negative while they stay counted", async function () {
      const { pool, erin } = await loadFixture(lateKeepersFixture);
      expect(await pool.balanceOf(erin.address)).to.equal(MIN_BALANCE - 2n * SHARE);
      expect(await pool.statusOf(erin.address)).to.equal(Status.Waiting);
    });

    it("writes a negative balance off to zero at the end of the lapse and carries the shortfall", async function () {
      const { pool, keeper, erin } = await loadFixture(lateKeepersFixture);
      await flagAndLapse(pool, erin.address);
      const shortfall = 2n * SHARE - MIN_BALANCE;
      const [s0, d0] = await pool.carry();
      await expect(pool.connect(keeper).completeExit(erin.address))
        .to.emit(pool, "MemberLeft")
        .withArgs(erin.address, Status.Lapsed, MIN_BALANCE, 0n, shortfall, 6n);
      const [s1, d1] = await pool.carry();
      expect(s1 - d1).to.equal(s0 - d0 - shortfall);
      expect(await pool.balanceOf(erin.address)).to.equal(0n);
    });
  });

  describe("views", function () {
    it("returns an empty record for a wallet that never joined", async function () {
      const { pool, outsider } = await loadFixture(membersFixture);
      expect(await memberOf(pool, outsider.address)).to.deep.equal({
        status: Status.None,
        eligibleAt: 0n,
        credit: 0n,
        charged: 0n,
        balance: 0n,
        exitClaimBound: 0n,
        lapsableAt: 0n,
      });
      expect(await pool.balanceOf(outsider.address)).to.equal(0n);
      expect(await pool.commitmentOwner(commitmentOf("nobody"))).to.equal(ethers.ZeroAddress);
    });

    it("counts members through joins, exits and lapses", async function () {
      const f = await loadFixture(underfundedFixture);
      const { pool, keeper, erin, frank, heidi } = f;
      expect(await pool.memberCount()).to.equal(7n);
      await flagAndLapse(pool, erin.address);
      expect(await pool.memberCount()).to.equal(7n);
      await pool.connect(keeper).completeExit(erin.address);
      expect(await pool.memberCount()).to.equal(6n);
      await pool.connect(frank).requestExit();
      expect(await pool.memberCount()).to.equal(6n);
      await pool.connect(keeper).completeExit(frank.address);
      expect(await pool.memberCount()).to.equal(5n);
      await join(f, heidi, USDC(1));
      expect(await pool.memberCount()).to.equal(6n);
    });

    it("records the current charge index for a member joining after a settlement", async function () {
      const f = await loadFixture(underfundedFixture);
      const { token, pool, heidi } = f;
      await token.mint(heidi.address, USDC(1));
      await token.connect(heidi).approve(await pool.getAddress(), USDC(1));
      const t = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(t);
      await expect(pool.connect(heidi).join(USDC(1), commitmentOf("heidi"), NO_ATTESTATION))
        .to.emit(pool, "MemberJoined")
        .withArgs(heidi.address, commitmentOf("heidi"), USDC(1), SHARE, t + WAITING_PERIOD, 8n);
      expect(await memberOf(pool, heidi.address)).to.deep.include({ charged: 0n, balance: USDC(1) });
    });

    it("keeps a leaver's commitment bound to their wallet", async function () {
      const { pool, keeper, erin, frank } = await loadFixture(underfundedFixture);
      await flagAndLapse(pool, erin.address);
      await pool.connect(keeper).completeExit(erin.address);
      await pool.connect(frank).requestExit();
      await pool.connect(keeper).completeExit(frank.address);
      expect(await pool.commitmentOwner(commitmentOf(erin.address))).to.equal(erin.address);
      expect(await pool.commitmentOwner(commitmentOf(frank.address))).to.equal(frank.address);
    });
  });
});
