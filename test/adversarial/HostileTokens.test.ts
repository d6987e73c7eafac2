import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HuzhuPool, MockERC20 } from "../../typechain-types";
import {
  commitmentOf,
  createPool,
  decide,
  defaultRules,
  deployFactory,
  deployPool,
  endPeriod,
  fund,
  join,
  submitClaim,
  DAY,
  NO_ATTESTATION,
  USDC,
  type Rules,
} from "../helpers/fixtures";

// Claims up to 100 USDC a member: the minimum balance covers 5 x 100 + 10% + 1 unit.
const MONEY_RULES = { capPerMember: USDC(100), minBalance: USDC(600), minDeposit: USDC(600) };

// MemberStatus and ClaimState as the contracts number them.
const NONE = 0;
const EXITED = 6;
const APPROVED = 8;

// An evidence digest no fixture claim used: each digest is accepted once per pool.
const EVIDENCE = ethers.keccak256(ethers.toUtf8Bytes("fresh evidence"));

// The member record keeps credit in 88 bits: 2^88 is the first deposit that does not fit.
const CREDIT_LIMIT = 2n ** 88n;

/** Settles every period from the next one to `last`, once `last` has ended (one call may close several). */
async function settleThrough(pool: HuzhuPool, last: bigint) {
  await endPeriod(pool, last);
  for (let p = await pool.nextPeriodToSettle(); p <= last; p = await pool.nextPeriodToSettle()) await pool.settle(p);
}

/** A pool holding `asset` (a hostile token), created through a fresh factory. */
async function poolOn(asset: string, ruleOverrides: Partial<Rules> = {}) {
  const [, operator, guardian, assessor, keeper, ...members] = await ethers.getSigners();
  const factory = await deployFactory();
  const pool = await createPool(factory, defaultRules(asset, ruleOverrides), {
    operator: operator.address,
    verifier: ethers.ZeroAddress,
    assessor: assessor.address,
    guardian: guardian.address,
  });
  return { pool, operator, guardian, assessor, keeper, members };
}

interface Watched {
  pool: HuzhuPool;
  token: { balanceOf(account: string): Promise<bigint> };
}

/** Everything a refused call could have changed, for the accounts given. */
async function poolState({ pool, token }: Watched, accounts: HardhatEthersSigner[]) {
  const addresses = accounts.map((a) => a.address);
  return {
    held: await token.balanceOf(await pool.getAddress()),
    memberCount: await pool.memberCount(),
    claimCount: await pool.claimCount(),
    fees: await pool.feesAccrued(),
    statuses: await Promise.all(addresses.map((a) => pool.statusOf(a))),
    balances: await Promise.all(addresses.map((a) => pool.balanceOf(a))),
    payouts: await Promise.all(addresses.map((a) => pool.payoutOf(a))),
    wallets: await Promise.all(addresses.map((a) => token.balanceOf(a))),
  };
}

/**
 * A pool on a token its issuer can pause. Six members joined with 1,000 each; alice's 200 claim
 * was decided by its drawn jury and paid (36 a head: balances 964, alice's payout 205, fee 16);
 * carol's 200 claim is open, its jury not drawn yet. Grace holds 1,000 approved to join, erin 50 to top up, dave a
 * bond. Then the issuer paused the token. The pool holds 6,000 + two bonds = 6,010.
 */
async function pausableFixture() {
  const token = await ethers.deployContract("PausableToken");
  const { pool, operator, keeper, members } = await poolOn(await token.getAddress(), MONEY_RULES);
  // The fixture helpers only call mint and approve, which PausableToken has too.
  const setup = { pool, token: token as unknown as MockERC20 };
  const [alice, bob, carol, dave, erin, frank, grace] = members;
  const everyone = [alice, bob, carol, dave, erin, frank];
  for (const m of everyone) await join(setup, m, USDC(1000));
  await time.increase(91 * DAY);
  const first = await pool.currentPeriod();
  await settleThrough(pool, first - 1n);
  const paidId = await submitClaim(setup, alice, USDC(200), "alice");
  await decide(pool, paidId, true);
  await pool.resolve(paidId);
  // The claim's timetable ends in the next period: it is paid there.
  await settleThrough(pool, await pool.currentPeriod());
  const openId = await submitClaim(setup, carol, USDC(200), "carol");
  await fund(setup, grace, USDC(1000));
  await fund(setup, erin, USDC(50));
  await fund(setup, dave, USDC(5));
  await token.pause();
  const watched = [...everyone, grace, operator];
  return { token, pool, operator, keeper, alice, bob, carol, dave, erin, frank, grace, everyone, watched, openId };
}

/** Default rules on a plain token; alice holds nearly the whole uint256 supply, approved to the pool. */
async function maxSupplyFixture() {
  const setup = await deployPool();
  const { token, pool, members } = setup;
  const [alice, bob, carol, dave, erin] = members;
  // Leaves room to mint a million USDC to the others.
  const whale = ethers.MaxUint256 - USDC(1_000_000);
  await token.mint(alice.address, whale);
  await token.connect(alice).approve(await pool.getAddress(), ethers.MaxUint256);
  return { ...setup, alice, bob, carol, dave, erin, whale };
}

/** As `maxSupplyFixture`, with alice joined at the largest deposit the 88-bit credit holds. */
async function whaleJoinedFixture() {
  const f = await maxSupplyFixture();
  await f.pool.connect(f.alice).join(CREDIT_LIMIT - 1n, commitmentOf("alice"), NO_ATTESTATION);
  return f;
}

/**
 * A pool on a token with a blacklist. Six members with 1,000 each; alice's 200 claim is approved
 * and waits for settlement (36 a head); frank asked to leave after it. Then the issuer blacklisted
 * frank and the operator.
 */
async function blacklistFixture() {
  const token = await ethers.deployContract("BlacklistToken");
  const { pool, operator, keeper, members } = await poolOn(await token.getAddress(), MONEY_RULES);
  const setup = { pool, token: token as unknown as MockERC20 };
  const [alice, bob, carol, dave, erin, frank] = members;
  for (const m of [alice, bob, carol, dave, erin, frank]) await join(setup, m, USDC(1000));
  await time.increase(91 * DAY);
  await settleThrough(pool, (await pool.currentPeriod()) - 1n);
  const claimId = await submitClaim(setup, alice, USDC(200));
  await decide(pool, claimId, true);
  await pool.resolve(claimId);
  // The timetable ended in this period: the claim is paid when it is settled.
  const claimPeriod = await pool.currentPeriod();
  await settleThrough(pool, claimPeriod - 1n);
  await pool.connect(frank).requestExit();
  await token.setBlacklisted(frank.address, true);
  await token.setBlacklisted(operator.address, true);
  return { token, pool, operator, keeper, alice, bob, carol, dave, erin, frank, claimPeriod };
}

/**
 * A pool on a token with a transfer hook, default rules. Alice, bob, carol and dave joined with
 * 100 each; alice's 0.3 claim was approved by its jury (bob, carol and dave: the only seasoned
 * members besides her) and paid (no cap: 0.3 + 8% fee = 0.324, shared by N), so alice has 5.3 to
 * withdraw (payout and bond) and the operator 0.024 of fee. The token contract holds 10 and has
 * approved the pool, so that its hook can call the pool as a wallet would; when `tokenJoins`, it
 * joined with those 10 just before the claim (N = 5; too fresh to sit on its jury), otherwise it
 * is no member (N = 4).
 */
async function reentrantPool(tokenJoins: boolean) {
  const token = await ethers.deployContract("ReentrantToken");
  const { pool, operator, members } = await poolOn(await token.getAddress());
  const setup = { pool, token: token as unknown as MockERC20 };
  const [alice, bob, carol, dave, eve] = members;
  const tokenAddress = await token.getAddress();
  const poolAddress = await pool.getAddress();
  // Eve's self-transfers fire the hook; the hook calls from the token's own address.
  const fireHook = () => token.connect(eve).transfer(eve.address, 1n);
  await token.mint(eve.address, 1n);
  await token.setHook(tokenAddress, token.interface.encodeFunctionData("approve", [poolAddress, ethers.MaxUint256]));
  await fireHook();
  await token.mint(tokenAddress, USDC(10));
  const hookedJoin = pool.interface.encodeFunctionData("join", [USDC(10), commitmentOf("token"), NO_ATTESTATION]);
  await token.setHook(ethers.ZeroAddress, "0x");
  for (const m of [alice, bob, carol, dave]) await join(setup, m, USDC(100));
  await time.increase(91 * DAY);
  await settleThrough(pool, (await pool.currentPeriod()) - 1n);
  if (tokenJoins) {
    await token.setHook(poolAddress, hookedJoin);
    await fireHook();
    await token.setHook(ethers.ZeroAddress, "0x");
  }
  const claimId = await submitClaim(setup, alice, USDC("0.3"));
  await decide(pool, claimId, true);
  await pool.resolve(claimId);
  await settleThrough(pool, await pool.currentPeriod());
  await fund(setup, bob, USDC(5)); // a bond for a second claim
  const hookedWithdraw = pool.interface.encodeFunctionData("withdraw", [USDC(1)]);
  return { token, pool, operator, alice, bob, eve, tokenAddress, poolAddress, hookedJoin, hookedWithdraw, fireHook };
}

const tokenMemberFixture = () => reentrantPool(true);
const tokenOutsiderFixture = () => reentrantPool(false);

/** A pool on a token that burns 1% of every transfer, with the default rules (minimum deposit 2 USDC). */
async function feeOnTransferFixture() {
  const token = await ethers.deployContract("FeeOnTransferToken");
  const { pool, members } = await poolOn(await token.getAddress());
  const [alice] = members;
  await token.mint(alice.address, USDC(2000));
  await token.connect(alice).approve(await pool.getAddress(), ethers.MaxUint256);
  return { token, pool, alice };
}

/**
 * The same token in a pool whose amounts are below 100 base units, where the 1% fee rounds down to
 * nothing: the smallest solvent rules (one claim of 1 unit a member, minimum balance 2 units) and a
 * bond of exactly 100 units. Alice joined with 99 units and is past her waiting period.
 */
async function feeOnTransferDustFixture() {
  const token = await ethers.deployContract("FeeOnTransferToken");
  const { pool, members } = await poolOn(await token.getAddress(), {
    minDeposit: 2n,
    minBalance: 2n,
    capPerMember: 1n,
    maxClaimsPerPeriod: 1,
    maxClaimAmount: 1_000n,
    claimBond: 100n,
  });
  const [alice] = members;
  await token.mint(alice.address, 1_000n);
  await token.connect(alice).approve(await pool.getAddress(), ethers.MaxUint256);
  await pool.connect(alice).join(99n, commitmentOf("alice"), NO_ATTESTATION);
  await time.increase(91 * DAY);
  return { token, pool, alice };
}

describe("Hostile tokens", function () {
  describe("a token its issuer pauses", function () {
    it("fails join, topUp, withdraw, withdrawPayout, submitClaim and withdrawFees with the token's EnforcedPause, changing nothing", async function () {
      const f = await loadFixture(pausableFixture);
      const { token, pool, operator, alice, bob, dave, erin, grace } = f;
      const before = await poolState(f, f.watched);
      expect(before.held).to.equal(USDC(6010));
      // The pool itself is not paused: the error comes from the token.
      expect(await pool.paused()).to.equal(false);
      expect(await token.paused()).to.equal(true);

      await expect(
        pool.connect(grace).join(USDC(1000), commitmentOf("grace"), NO_ATTESTATION),
      ).to.be.revertedWithCustomError(token, "EnforcedPause");
      await expect(pool.connect(erin).addToMemberFunds(USDC(50))).to.be.revertedWithCustomError(token, "EnforcedPause");
      await expect(pool.connect(bob).withdraw(USDC(100))).to.be.revertedWithCustomError(token, "EnforcedPause");
      await expect(pool.connect(alice).withdrawPayout()).to.be.revertedWithCustomError(token, "EnforcedPause");
      await expect(pool.connect(dave).submitClaim(USDC(100), EVIDENCE, "")).to.be.revertedWithCustomError(
        token,
        "EnforcedPause",
      );
      await expect(pool.connect(operator).withdrawFees()).to.be.revertedWithCustomError(token, "EnforcedPause");

      expect(await poolState(f, f.watched)).to.deep.equal(before);
      expect(await pool.commitmentOwner(commitmentOf("grace"))).to.equal(ethers.ZeroAddress);
      expect(await pool.openClaimOf(dave.address)).to.equal(0n);
      expect(await pool.payoutOf(alice.address)).to.equal(USDC(205));
      expect(await pool.feesAccrued()).to.equal(USDC(16));
    });

    it("keeps votes, resolution, settlement and exits going while the token is paused, and pays everything after", async function () {
      const f = await loadFixture(pausableFixture);
      const { token, pool, operator, keeper, alice, bob, carol, dave, erin, openId } = f;
      // The jury is drawn, votes and is tallied while the token is paused.
      await decide(pool, openId, true);
      await expect(pool.resolve(openId))
        .to.emit(pool, "ClaimResolved")
        .withArgs(openId, carol.address, APPROVED, USDC(5), 0);
      const period = await pool.currentPeriod();
      await settleThrough(pool, period - 1n);
      await expect(pool.connect(erin).requestExit())
        .to.emit(pool, "MemberExitRequested")
        .withArgs(erin.address, openId + 1n);
      await endPeriod(pool, period);
      // 6 members, 200 paid, 16 fee: 36 a head, the index at 72.
      await expect(pool.connect(keeper).settle(period))
        .to.emit(pool, "PeriodSettled")
        .withArgs(period, 0, 6, 1, USDC(200), USDC(16), 0, 0, 0, USDC(36), 0, 0, USDC(72), true);
      await expect(pool.connect(keeper).completeExit(erin.address))
        .to.emit(pool, "MemberLeft")
        .withArgs(erin.address, EXITED, USDC(72), USDC(928), 0, 5);
      expect(await token.balanceOf(await pool.getAddress())).to.equal(USDC(6010));

      await token.unpause();
      await expect(pool.connect(carol).withdrawPayout()).to.changeTokenBalances(
        token,
        [carol, pool],
        [USDC(205), -USDC(205)],
      );
      await expect(pool.connect(alice).withdrawPayout()).to.changeTokenBalances(
        token,
        [alice, pool],
        [USDC(205), -USDC(205)],
      );
      await expect(pool.connect(erin).withdraw(USDC(928))).to.changeTokenBalances(
        token,
        [erin, pool],
        [USDC(928), -USDC(928)],
      );
      await expect(pool.connect(operator).withdrawFees()).to.changeTokenBalances(
        token,
        [operator, pool],
        [USDC(32), -USDC(32)],
      );
      // What is left is exactly the five remaining balances of 928.
      expect(await token.balanceOf(await pool.getAddress())).to.equal(USDC(4640));
    });

    it("lets every refused action go through once the issuer unpauses, and nothing was lost", async function () {
      const f = await loadFixture(pausableFixture);
      const { token, pool, operator, alice, bob, dave, erin, grace } = f;
      await token.unpause();

      await expect(pool.connect(grace).join(USDC(1000), commitmentOf("grace"), NO_ATTESTATION)).to.changeTokenBalances(
        token,
        [grace, pool],
        [-USDC(1000), USDC(1000)],
      );
      await expect(pool.connect(erin).addToMemberFunds(USDC(50))).to.changeTokenBalances(
        token,
        [erin, pool],
        [-USDC(50), USDC(50)],
      );
      await expect(pool.connect(bob).withdraw(USDC(100))).to.changeTokenBalances(
        token,
        [bob, pool],
        [USDC(100), -USDC(100)],
      );
      await expect(pool.connect(alice).withdrawPayout()).to.changeTokenBalances(
        token,
        [alice, pool],
        [USDC(205), -USDC(205)],
      );
      await expect(pool.connect(dave).submitClaim(USDC(100), EVIDENCE, "")).to.changeTokenBalances(
        token,
        [dave, pool],
        [-USDC(5), USDC(5)],
      );
      await expect(pool.connect(operator).withdrawFees()).to.changeTokenBalances(
        token,
        [operator, pool],
        [USDC(16), -USDC(16)],
      );

      expect(await pool.memberCount()).to.equal(7n);
      expect(await pool.claimCount()).to.equal(3n);
      expect(await pool.balanceOf(grace.address)).to.equal(USDC(1000));
      expect(await pool.balanceOf(erin.address)).to.equal(USDC(1014));
      expect(await pool.balanceOf(bob.address)).to.equal(USDC(864));
      expect(await pool.balanceOf(alice.address)).to.equal(USDC(964));
      // Balances 964 x 3 + 864 + 1,014 + 1,000 + 964 = 6,734, plus carol's and dave's open bonds.
      expect(await token.balanceOf(await pool.getAddress())).to.equal(USDC(6744));
    });
  });

  describe("a token at the maximum supply", function () {
    it("reverts a deposit above the 88-bit credit limit with SafeCast's error, and changes nothing", async function () {
      const { token, pool, alice, whale } = await loadFixture(maxSupplyFixture);

      await expect(pool.connect(alice).join(CREDIT_LIMIT, commitmentOf("alice"), NO_ATTESTATION))
        .to.be.revertedWithCustomError(pool, "SafeCastOverflowedUintDowncast")
        .withArgs(88, CREDIT_LIMIT);
      await expect(pool.connect(alice).join(whale, commitmentOf("alice"), NO_ATTESTATION))
        .to.be.revertedWithCustomError(pool, "SafeCastOverflowedUintDowncast")
        .withArgs(88, whale);
      expect(await pool.memberCount()).to.equal(0n);
      expect(await pool.statusOf(alice.address)).to.equal(NONE);
      expect(await pool.commitmentOwner(commitmentOf("alice"))).to.equal(ethers.ZeroAddress);
      expect(await token.balanceOf(await pool.getAddress())).to.equal(0n);
      expect(await token.balanceOf(alice.address)).to.equal(whale);
    });

    it("accepts the largest deposit that fits and refuses a top-up past the limit", async function () {
      const { token, pool, alice, whale } = await loadFixture(maxSupplyFixture);

      await expect(
        pool.connect(alice).join(CREDIT_LIMIT - 1n, commitmentOf("alice"), NO_ATTESTATION),
      ).to.changeTokenBalances(token, [alice, pool], [-(CREDIT_LIMIT - 1n), CREDIT_LIMIT - 1n]);
      await expect(pool.connect(alice).addToMemberFunds(1n))
        .to.be.revertedWithCustomError(pool, "SafeCastOverflowedUintDowncast")
        .withArgs(88, CREDIT_LIMIT);
      // A top-up of everything alice still holds is refused the same way: the amount alone passes the
      // credit's 88 bits, and is named before it is added.
      const rest = whale - (CREDIT_LIMIT - 1n);
      await expect(pool.connect(alice).addToMemberFunds(rest))
        .to.be.revertedWithCustomError(pool, "SafeCastOverflowedUintDowncast")
        .withArgs(88, rest);
      expect(await pool.balanceOf(alice.address)).to.equal(CREDIT_LIMIT - 1n);
      expect((await pool.member(alice.address)).credit).to.equal(CREDIT_LIMIT - 1n);
      expect(await token.balanceOf(alice.address)).to.equal(rest);
    });

    it("keeps a whale's balance exact to the unit through a settlement, an exit and a full withdrawal", async function () {
      const f = await loadFixture(whaleJoinedFixture);
      const { token, pool, alice, bob, carol, dave, erin } = f;
      for (const m of [bob, carol, dave, erin]) await join(f, m, USDC(10));
      await time.increase(91 * DAY);
      await settleThrough(pool, (await pool.currentPeriod()) - 1n);
      const claimId = await submitClaim(f, bob, USDC(1));
      // The whale may sit on the jury like anyone: three of alice, carol, dave and erin approve.
      await decide(pool, claimId, true);
      await pool.resolve(claimId);
      const period = await pool.currentPeriod();
      await settleThrough(pool, period - 1n);
      await endPeriod(pool, period);

      // 5 members: the claim pays 5 x 0.1 = 0.5, fee 0.04, share 0.108, whale or not.
      await expect(pool.settle(period))
        .to.emit(pool, "PeriodSettled")
        .withArgs(period, 0, 5, 1, USDC("0.5"), USDC("0.04"), 0, 0, 0, USDC("0.108"), 0, 0, USDC("0.108"), true);
      const balance = CREDIT_LIMIT - 1n - USDC("0.108");
      expect(await pool.balanceOf(alice.address)).to.equal(balance);
      const takeOut = balance - USDC(1); // keeps the minimum balance
      await expect(pool.connect(alice).withdraw(takeOut)).to.changeTokenBalances(
        token,
        [alice, pool],
        [takeOut, -takeOut],
      );
      // 1 (alice) + 4 x 9.892 (the others) + 5.5 (bob's payout and bond) + 0.04 (fee).
      expect(await token.balanceOf(await pool.getAddress())).to.equal(USDC("46.108"));
      await pool.connect(alice).requestExit();
      await expect(pool.completeExit(alice.address))
        .to.emit(pool, "MemberLeft")
        .withArgs(alice.address, EXITED, USDC("0.108"), USDC(1), 0, 4);
      await expect(pool.connect(alice).withdraw(USDC(1))).to.changeTokenBalances(
        token,
        [alice, pool],
        [USDC(1), -USDC(1)],
      );
      expect(await pool.balanceOf(alice.address)).to.equal(0n);
    });

    it("reverts a withdrawal of the whole supply with MemberInsufficientBalance rather than an overflow panic", async function () {
      const { pool, alice } = await loadFixture(whaleJoinedFixture);

      // `amount + minBalance` would overflow for amounts within minBalance of 2^256: the figure
      // needed saturates at the largest uint256 instead, and bad input gets a clear error.
      await expect(pool.connect(alice).withdraw(ethers.MaxUint256))
        .to.be.revertedWithCustomError(pool, "MemberInsufficientBalance")
        .withArgs(alice.address, CREDIT_LIMIT - 1n, ethers.MaxUint256);
    });

    it("refuses a top-up of nearly 2^256 with SafeCast's error and changes nothing", async function () {
      const { token, pool, alice } = await loadFixture(whaleJoinedFixture);
      const held = await token.balanceOf(await pool.getAddress());
      // The sum wraps past 2^256 here; the amount alone is over the credit's 88 bits, and is named: no panic.
      await expect(pool.connect(alice).addToMemberFunds(ethers.MaxUint256 - 1n))
        .to.be.revertedWithCustomError(pool, "SafeCastOverflowedUintDowncast")
        .withArgs(88, ethers.MaxUint256 - 1n);
      await expect(pool.connect(alice).addToMemberFunds(ethers.MaxUint256))
        .to.be.revertedWithCustomError(pool, "SafeCastOverflowedUintDowncast")
        .withArgs(88, ethers.MaxUint256);
      expect(await pool.balanceOf(alice.address)).to.equal(CREDIT_LIMIT - 1n);
      expect(await token.balanceOf(await pool.getAddress())).to.equal(held);
    });
  });

  describe("a token with a blacklist", function () {
    it("does not let a blacklisted member or operator block settlement, exits or anyone else's withdrawal", async function () {
      const { token, pool, operator, keeper, alice, bob, erin, frank, claimPeriod } =
        await loadFixture(blacklistFixture);
      await endPeriod(pool, claimPeriod);

      // Frank is counted and charged like everyone: 6 members, 36 a head.
      await expect(pool.connect(keeper).settle(claimPeriod))
        .to.emit(pool, "PeriodSettled")
        .withArgs(claimPeriod, 0, 6, 1, USDC(200), USDC(16), 0, 0, 0, USDC(36), 0, 0, USDC(36), true);
      await expect(pool.connect(keeper).completeExit(frank.address))
        .to.emit(pool, "MemberLeft")
        .withArgs(frank.address, EXITED, USDC(36), USDC(964), 0, 5);
      await expect(pool.connect(alice).withdrawPayout()).to.changeTokenBalances(
        token,
        [alice, pool],
        [USDC(205), -USDC(205)],
      );
      await expect(pool.connect(bob).withdraw(USDC(364))).to.changeTokenBalances(
        token,
        [bob, pool],
        [USDC(364), -USDC(364)],
      );
      await pool.connect(erin).requestExit();
      await pool.connect(keeper).completeExit(erin.address);
      await expect(pool.connect(erin).withdraw(USDC(964))).to.changeTokenBalances(
        token,
        [erin, pool],
        [USDC(964), -USDC(964)],
      );

      await expect(pool.connect(frank).withdraw(USDC(964)))
        .to.be.revertedWithCustomError(token, "Blacklisted")
        .withArgs(frank.address);
      await expect(pool.connect(operator).withdrawFees())
        .to.be.revertedWithCustomError(token, "Blacklisted")
        .withArgs(operator.address);
      expect(await pool.balanceOf(frank.address)).to.equal(USDC(964));
      expect(await pool.feesAccrued()).to.equal(USDC(16));
      // 964 x 3 (alice, carol, dave) + 600 (bob) + 964 (frank, exited) + 16 of fee.
      expect(await token.balanceOf(await pool.getAddress())).to.equal(USDC(4472));
    });

    it("lets a blacklisted member withdraw their whole balance once un-blacklisted", async function () {
      const { token, pool, keeper, frank, claimPeriod } = await loadFixture(blacklistFixture);
      await settleThrough(pool, claimPeriod);
      await pool.connect(keeper).completeExit(frank.address);
      await expect(pool.connect(frank).withdraw(USDC(964)))
        .to.be.revertedWithCustomError(token, "Blacklisted")
        .withArgs(frank.address);

      await token.setBlacklisted(frank.address, false);
      await expect(pool.connect(frank).withdraw(USDC(964))).to.changeTokenBalances(
        token,
        [frank, pool],
        [USDC(964), -USDC(964)],
      );
      expect(await pool.balanceOf(frank.address)).to.equal(0n);
      await expect(pool.connect(frank).withdraw(1n))
        .to.be.revertedWithCustomError(pool, "MemberInsufficientBalance")
        .withArgs(frank.address, 0, 1);
    });
  });

  describe("a token with a transfer hook", function () {
    describe("when the token is a member", function () {
      it("lets the hook withdraw when it re-enters nothing (control)", async function () {
        const { token, pool, tokenAddress, poolAddress, hookedWithdraw, fireHook } =
          await loadFixture(tokenMemberFixture);
        await token.setHook(poolAddress, hookedWithdraw);

        const tx = fireHook();
        await expect(tx).to.emit(pool, "MemberWithdrew").withArgs(tokenAddress, USDC(1));
        await expect(tx).to.changeTokenBalances(token, [tokenAddress, poolAddress], [USDC(1), -USDC(1)]);
      });

      it("blocks the hook from withdrawing during a claim's bond transfer", async function () {
        const { token, pool, bob, tokenAddress, poolAddress, hookedWithdraw } = await loadFixture(tokenMemberFixture);
        const held = await token.balanceOf(poolAddress);
        await token.setHook(poolAddress, hookedWithdraw);

        await expect(pool.connect(bob).submitClaim(USDC(1), EVIDENCE, "")).to.be.revertedWithCustomError(
          pool,
          "ReentrancyGuardReentrantCall",
        );
        expect(await pool.claimCount()).to.equal(1n);
        expect(await pool.openClaimOf(bob.address)).to.equal(0n);
        // 10 deposited, 0.324 / 5 = 0.0648 charged.
        expect(await pool.balanceOf(tokenAddress)).to.equal(USDC("9.9352"));
        expect(await token.balanceOf(bob.address)).to.equal(USDC(5));
        expect(await token.balanceOf(poolAddress)).to.equal(held);
      });

      it("blocks the hook from withdrawing during a payout withdrawal, and the payout stays whole", async function () {
        const { token, pool, alice, tokenAddress, poolAddress, hookedWithdraw } = await loadFixture(tokenMemberFixture);
        await token.setHook(poolAddress, hookedWithdraw);

        await expect(pool.connect(alice).withdrawPayout()).to.be.revertedWithCustomError(
          pool,
          "ReentrancyGuardReentrantCall",
        );
        expect(await pool.payoutOf(alice.address)).to.equal(USDC("5.3"));
        expect(await pool.balanceOf(tokenAddress)).to.equal(USDC("9.9352"));

        await token.setHook(ethers.ZeroAddress, "0x");
        await expect(pool.connect(alice).withdrawPayout()).to.changeTokenBalances(
          token,
          [alice, poolAddress],
          [USDC("5.3"), -USDC("5.3")],
        );
      });

      it("blocks the hook from withdrawing during a fee withdrawal, and the fee stays accrued", async function () {
        const { token, pool, operator, tokenAddress, poolAddress, hookedWithdraw } =
          await loadFixture(tokenMemberFixture);
        const held = await token.balanceOf(poolAddress);
        await token.setHook(poolAddress, hookedWithdraw);

        await expect(pool.connect(operator).withdrawFees()).to.be.revertedWithCustomError(
          pool,
          "ReentrancyGuardReentrantCall",
        );
        expect(await pool.feesAccrued()).to.equal(USDC("0.024"));
        expect(await pool.balanceOf(tokenAddress)).to.equal(USDC("9.9352"));
        expect(await token.balanceOf(poolAddress)).to.equal(held);
      });
    });

    describe("when the token is not a member", function () {
      it("lets the hook join when it re-enters nothing (control)", async function () {
        const { token, pool, tokenAddress, poolAddress, hookedJoin, fireHook } =
          await loadFixture(tokenOutsiderFixture);
        await token.setHook(poolAddress, hookedJoin);

        await expect(fireHook()).to.changeTokenBalances(token, [tokenAddress, poolAddress], [-USDC(10), USDC(10)]);
        expect(await pool.memberCount()).to.equal(5n);
        expect(await pool.commitmentOwner(commitmentOf("token"))).to.equal(tokenAddress);
        // Joined after the settlement: charged from the index of 0.081 on, so nothing yet.
        expect(await pool.balanceOf(tokenAddress)).to.equal(USDC(10));
      });

      it("blocks the hook from joining during a payout withdrawal", async function () {
        const { token, pool, alice, tokenAddress, poolAddress, hookedJoin } = await loadFixture(tokenOutsiderFixture);
        await token.setHook(poolAddress, hookedJoin);

        await expect(pool.connect(alice).withdrawPayout()).to.be.revertedWithCustomError(
          pool,
          "ReentrancyGuardReentrantCall",
        );
        expect(await pool.memberCount()).to.equal(4n);
        expect(await pool.statusOf(tokenAddress)).to.equal(NONE);
        expect(await pool.payoutOf(alice.address)).to.equal(USDC("5.3"));
        expect(await token.balanceOf(tokenAddress)).to.equal(USDC(10));
      });

      it("blocks the hook from joining during a fee withdrawal", async function () {
        const { token, pool, operator, tokenAddress, poolAddress, hookedJoin } =
          await loadFixture(tokenOutsiderFixture);
        await token.setHook(poolAddress, hookedJoin);

        await expect(pool.connect(operator).withdrawFees()).to.be.revertedWithCustomError(
          pool,
          "ReentrancyGuardReentrantCall",
        );
        expect(await pool.memberCount()).to.equal(4n);
        expect(await pool.statusOf(tokenAddress)).to.equal(NONE);
        expect(await pool.feesAccrued()).to.equal(USDC("0.024"));
      });

      it("blocks the hook from joining during a claim's bond transfer", async function () {
        const { token, pool, bob, tokenAddress, poolAddress, hookedJoin } = await loadFixture(tokenOutsiderFixture);
        await token.setHook(poolAddress, hookedJoin);

        await expect(pool.connect(bob).submitClaim(USDC(1), EVIDENCE, "")).to.be.revertedWithCustomError(
          pool,
          "ReentrancyGuardReentrantCall",
        );
        expect(await pool.memberCount()).to.equal(4n);
        expect(await pool.statusOf(tokenAddress)).to.equal(NONE);
        expect(await pool.claimCount()).to.equal(1n);
      });
    });
  });

  describe("the reentrancy lock (a transient flag shared by every locked function)", function () {
    it("refuses every locked function to the hook during a top-up, and the top-up with it", async function () {
      const { token, pool, alice, tokenAddress, poolAddress, hookedJoin, hookedWithdraw } =
        await loadFixture(tokenMemberFixture);
      const I = pool.interface;
      const reentries: Array<[string, string]> = [
        ["join", hookedJoin],
        [
          "joinWithPermit",
          I.encodeFunctionData("joinWithPermit", [
            USDC(10),
            commitmentOf("token2"),
            NO_ATTESTATION,
            { deadline: 0n, v: 27, r: ethers.ZeroHash, s: ethers.ZeroHash },
          ]),
        ],
        ["addToMemberFunds", I.encodeFunctionData("addToMemberFunds", [USDC(1)])],
        ["withdraw", hookedWithdraw],
        ["withdrawTo", I.encodeFunctionData("withdrawTo", [USDC(1), alice.address])],
        ["withdrawPayout", I.encodeFunctionData("withdrawPayout")],
        ["withdrawFees", I.encodeFunctionData("withdrawFees")],
        ["submitClaim", I.encodeFunctionData("submitClaim", [USDC(1), EVIDENCE, ""])],
        ["submitClaimTo", I.encodeFunctionData("submitClaimTo", [USDC(1), EVIDENCE, "", alice.address])],
        ["appeal", I.encodeFunctionData("appeal", [1n])],
      ];
      await fund({ pool, token: token as unknown as MockERC20 }, alice, USDC(1));
      const balance = await pool.balanceOf(alice.address);
      const held = await token.balanceOf(poolAddress);
      for (const [name, data] of reentries) {
        await token.setHook(poolAddress, data);
        await expect(pool.connect(alice).addToMemberFunds(USDC(1)), `${name} re-entered`).to.be.revertedWithCustomError(
          pool,
          "ReentrancyGuardReentrantCall",
        );
      }
      expect(await pool.balanceOf(alice.address)).to.equal(balance);
      expect(await pool.balanceOf(tokenAddress)).to.equal(USDC("9.9352"));
      expect(await token.balanceOf(poolAddress)).to.equal(held);

      await token.setHook(ethers.ZeroAddress, "0x");
      await expect(pool.connect(alice).addToMemberFunds(USDC(1)))
        .to.emit(pool, "MemberToppedUp")
        .withArgs(alice.address, USDC(1));
      expect(await pool.balanceOf(alice.address)).to.equal(balance + USDC(1));
    });

    it("is released at the end of each call: a contract joins, tops up and withdraws in one transaction", async function () {
      const { token, pool } = await deployPool();
      const multicall = await ethers.deployContract("Multicall3");
      const wallet = await multicall.getAddress();
      const poolAddress = await pool.getAddress();
      await token.mint(wallet, USDC(12));
      const call = (target: string, callData: string) => ({ target, allowFailure: false, callData });
      const tx = multicall.aggregate3([
        call(await token.getAddress(), token.interface.encodeFunctionData("approve", [poolAddress, USDC(12)])),
        call(
          poolAddress,
          pool.interface.encodeFunctionData("join", [USDC(10), commitmentOf("multicall"), NO_ATTESTATION]),
        ),
        call(poolAddress, pool.interface.encodeFunctionData("addToMemberFunds", [USDC(2)])),
        call(poolAddress, pool.interface.encodeFunctionData("withdraw", [USDC(3)])),
      ]);
      await expect(tx).to.changeTokenBalances(token, [wallet, poolAddress], [-USDC(9), USDC(9)]);
      expect(await pool.balanceOf(wallet)).to.equal(USDC(9));
    });
  });

  describe("a token that returns nothing from transfer and transferFrom", function () {
    it("moves every deposit and withdrawal exactly, and passes the token's own refusals up", async function () {
      const token = await ethers.deployContract("NoReturnToken");
      const { pool, keeper, members } = await poolOn(await token.getAddress());
      const [alice] = members;
      const poolAddress = await pool.getAddress();
      await token.mint(alice.address, USDC(100));
      await token.connect(alice).approve(poolAddress, USDC(10));

      await expect(
        pool.connect(alice).join(USDC(20), commitmentOf("alice"), NO_ATTESTATION),
      ).to.be.revertedWithCustomError(token, "InsufficientAllowance");
      expect(await pool.memberCount()).to.equal(0n);
      await expect(pool.connect(alice).join(USDC(10), commitmentOf("alice"), NO_ATTESTATION)).to.changeTokenBalances(
        token,
        [alice, poolAddress],
        [-USDC(10), USDC(10)],
      );
      await expect(pool.connect(alice).addToMemberFunds(USDC(1))).to.be.revertedWithCustomError(
        token,
        "InsufficientAllowance",
      );
      await expect(pool.connect(alice).withdraw(USDC(9))).to.changeTokenBalances(
        token,
        [alice, poolAddress],
        [USDC(9), -USDC(9)],
      );
      await expect(pool.connect(alice).withdraw(1n))
        .to.be.revertedWithCustomError(pool, "MemberInsufficientBalance")
        .withArgs(alice.address, USDC(1), USDC(1) + 1n);
      await pool.connect(alice).requestExit();
      await pool.connect(keeper).completeExit(alice.address);
      await expect(pool.connect(alice).withdraw(USDC(1))).to.changeTokenBalances(
        token,
        [alice, poolAddress],
        [USDC(1), -USDC(1)],
      );
      expect(await pool.balanceOf(alice.address)).to.equal(0n);
      expect(await token.balanceOf(poolAddress)).to.equal(0n);
      expect(await token.balanceOf(alice.address)).to.equal(USDC(100));
    });
  });

  describe("a fee-on-transfer token", function () {
    it("never lets a member in at the default rules, so no top-up or claim can follow", async function () {
      const { token, pool, alice } = await loadFixture(feeOnTransferFixture);
      const minDeposit = (await pool.rules()).minDeposit;
      // Every deposit the pool accepts is at least 100 base units, so the 1% fee is never zero.
      expect(minDeposit).to.equal(USDC(2));

      await expect(pool.connect(alice).join(minDeposit, commitmentOf("alice"), NO_ATTESTATION))
        .to.be.revertedWithCustomError(pool, "EscrowTransferMismatch")
        .withArgs(USDC(2), USDC("1.98"));
      await expect(pool.connect(alice).join(USDC(1000), commitmentOf("alice"), NO_ATTESTATION))
        .to.be.revertedWithCustomError(pool, "EscrowTransferMismatch")
        .withArgs(USDC(1000), USDC(990));
      // The token has no permit: the pool falls back on the allowance, and the transfer is refused the same.
      await expect(
        pool.connect(alice).joinWithPermit(USDC(2), commitmentOf("alice"), NO_ATTESTATION, {
          deadline: 0,
          v: 27,
          r: ethers.ZeroHash,
          s: ethers.ZeroHash,
        }),
      )
        .to.be.revertedWithCustomError(pool, "EscrowTransferMismatch")
        .withArgs(USDC(2), USDC("1.98"));
      await expect(pool.connect(alice).addToMemberFunds(USDC(10)))
        .to.be.revertedWithCustomError(pool, "UnexpectedMemberStatus")
        .withArgs(alice.address, NONE);
      await expect(pool.connect(alice).submitClaim(USDC(1), EVIDENCE, ""))
        .to.be.revertedWithCustomError(pool, "ClaimantNotActive")
        .withArgs(alice.address, NONE);

      expect(await pool.memberCount()).to.equal(0n);
      expect(await token.balanceOf(await pool.getAddress())).to.equal(0n);
      expect(await token.balanceOf(alice.address)).to.equal(USDC(2000));
    });

    it("refuses every top-up and bond the fee would short-change in a pool of amounts below 100 units", async function () {
      const { token, pool, alice } = await loadFixture(feeOnTransferDustFixture);
      const poolAddress = await pool.getAddress();
      // Below 100 units the 1% fee rounds to zero: the 99-unit join arrived whole.
      expect(await pool.balanceOf(alice.address)).to.equal(99n);
      expect(await token.balanceOf(poolAddress)).to.equal(99n);

      await expect(pool.connect(alice).addToMemberFunds(100n))
        .to.be.revertedWithCustomError(pool, "EscrowTransferMismatch")
        .withArgs(100, 99);
      await expect(pool.connect(alice).submitClaim(10n, EVIDENCE, ""))
        .to.be.revertedWithCustomError(pool, "EscrowTransferMismatch")
        .withArgs(100, 99);
      expect(await pool.claimCount()).to.equal(0n);
      expect(await pool.openClaimOf(alice.address)).to.equal(0n);

      await expect(pool.connect(alice).addToMemberFunds(99n)).to.changeTokenBalances(
        token,
        [alice, poolAddress],
        [-99n, 99n],
      );
      // The books match the tokens held, to the unit.
      expect(await pool.balanceOf(alice.address)).to.equal(198n);
      expect(await token.balanceOf(poolAddress)).to.equal(198n);
    });
  });
});
