import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { encodeErrorResult, parseAbi } from "viem";
import {
  EnforcedPauseError,
  MemberPermitFailedError,
  MemberStatus,
  PanicError,
  PermitDomainError,
  TokenAllowanceError,
  TokenBalanceTooLowError,
  TokenBlacklistedError,
  TokenPausedError,
  TokenRevertedError,
  UnknownRevertError,
  audit,
  auditMarkdown,
  identityCommitment,
  toHuzhuError,
  type Address,
  type Hex,
} from "../../sdk/src";
import { createPool, endPeriod, deployFactory } from "../helpers/fixtures";
import { KINDS, USD, ZERO_ADDRESS, clientFor, readOnlyConnectorFor, rulesFor, sentBy } from "./helpers";
import { createHuzhuClient } from "../../sdk/src";

const SALT = `0x${"5a".repeat(32)}` as Hex;
const BLACKLISTED = "Blacklistable: account is blacklisted";

/**
 * One pool per token shape a real stablecoin has: USDC-like (FiatToken v2.2: strings, blacklist,
 * pause, permit version "2" without EIP-5267), OpenZeppelin 4.x (strings, allowance spent before the
 * pause is checked), tokens that refuse silently (empty revert, `false`), and tokens with custom
 * errors the SDK does not know (`Blacklisted(address)`) or knows from OpenZeppelin 5 (`EnforcedPause`).
 */
async function tokensFixture() {
  const signers = await ethers.getSigners();
  const [, operator] = signers;
  const members = signers.slice(6, 10);
  const poor = signers[10];
  const factory = await deployFactory();
  const usdc = await ethers.deployContract("FiatTokenLike");
  const oz4 = await ethers.deployContract("OZ4StyleToken");
  const silent = await ethers.deployContract("SilentToken", [0]);
  const falsy = await ethers.deployContract("SilentToken", [1]);
  const custom = await ethers.deployContract("BlacklistToken");
  const oz5paused = await ethers.deployContract("PausableToken");
  const roles = { operator: operator.address, verifier: ZERO_ADDRESS, assessor: ZERO_ADDRESS, guardian: ZERO_ADDRESS };
  const setup = async <T extends { getAddress(): Promise<string>; mint(to: string, amount: bigint): Promise<unknown> }>(
    token: T,
  ) => {
    const tokenAddress = (await token.getAddress()) as Address;
    const pool = await createPool(factory, rulesFor(tokenAddress), roles);
    for (const m of members) await token.mint(m.address, USD("1000"));
    return { token, tokenAddress, pool, poolAddress: (await pool.getAddress()) as Address };
  };
  return {
    members,
    poor,
    usdc: await setup(usdc),
    oz4: await setup(oz4),
    silent: await setup(silent),
    falsy: await setup(falsy),
    custom: await setup(custom),
    oz5paused: await setup(oz5paused),
  };
}

for (const kind of KINDS) {
  describe(`real stablecoin shapes with a ${kind} client`, function () {
    describe("joinWithPermit: the permit's EIP-712 domain", function () {
      it("signs with name() and version() checked against DOMAIN_SEPARATOR() when the token has no eip712Domain() (USDC)", async function () {
        const f = await loadFixture(tokensFixture);
        const member = f.members[0];
        const client = clientFor(kind, member, { pool: f.usdc.poolAddress });
        const sent = await sentBy(member);
        const receipt = await client.joinWithPermit({ amount: USD("100"), commitment: identityCommitment("m0", SALT) });
        expect(receipt.status).to.equal("success");
        expect(await sentBy(member)).to.equal(sent + 1);
        expect(await f.usdc.token.nonces(member.address)).to.equal(1n);
        expect(await f.usdc.pool.statusOf(member.address)).to.equal(BigInt(MemberStatus.Waiting));
        expect(await f.usdc.token.balanceOf(f.usdc.poolAddress)).to.equal(USD("100"));
        const found = await client.getPermitDomain({ token: f.usdc.tokenAddress });
        expect(found).to.deep.equal({
          source: "separator",
          domain: { name: "USD Coin", version: "2", chainId: 31337, verifyingContract: f.usdc.tokenAddress },
        });
      });

      it("reads EIP-5267 eip712Domain() when the token has it", async function () {
        const token = await ethers.deployContract("MockERC20", ["Test USD", "TUSD", 6]);
        const address = (await token.getAddress()) as Address;
        const client = createHuzhuClient({ connector: readOnlyConnectorFor(kind) });
        expect(await client.getPermitDomain({ token: address })).to.deep.equal({
          source: "eip5267",
          domain: { name: "Test USD", version: "1", chainId: 31337, verifyingContract: address },
        });
      });

      it("a domain passed by the caller wins over discovery", async function () {
        const f = await loadFixture(tokensFixture);
        const [wrong, right] = f.members;
        const wrongClient = clientFor(kind, wrong, { pool: f.usdc.poolAddress });
        // Signed for version "3", the permit is refused by the token; the pool finds no allowance.
        await expect(
          wrongClient.joinWithPermit({
            amount: USD("100"),
            commitment: identityCommitment("wrong", SALT),
            permitDomain: { name: "USD Coin", version: "3" },
          }),
        ).to.be.rejectedWith(MemberPermitFailedError);
        const rightClient = clientFor(kind, right, { pool: f.usdc.poolAddress });
        await rightClient.joinWithPermit({
          amount: USD("100"),
          commitment: identityCommitment("right", SALT),
          permitDomain: { name: "USD Coin", version: "2" },
        });
        expect(await f.usdc.pool.statusOf(right.address)).to.equal(BigInt(MemberStatus.Waiting));
      });

      it("throws PermitDomainError, signing and sending nothing, when the token has no domain to check", async function () {
        const f = await loadFixture(tokensFixture);
        const member = f.members[0];
        const client = clientFor(kind, member, { pool: f.oz4.poolAddress });
        const sent = await sentBy(member);
        const error = await client
          .joinWithPermit({ amount: USD("100"), commitment: identityCommitment("m0", SALT) })
          .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(PermitDomainError);
        expect((error as PermitDomainError).shortMessage).to.equal(
          `Cannot sign a permit for the token ${f.oz4.tokenAddress}: it has neither eip712Domain() nor DOMAIN_SEPARATOR() to check a domain. Pass its EIP-712 domain (permitDomain), or approve and join.`,
        );
        expect(await sentBy(member)).to.equal(sent);
      });
    });

    describe("token reverts: typed errors, and no approval for an action bound to fail", function () {
      it("USDC-like, the pool blacklisted: TokenBlacklistedError with the token's reason, no approval sent", async function () {
        const f = await loadFixture(tokensFixture);
        const member = f.members[0];
        await f.usdc.token.blacklist(f.usdc.poolAddress);
        const client = clientFor(kind, member, { pool: f.usdc.poolAddress });
        const sent = await sentBy(member);
        const error = await client
          .join({ amount: USD("100"), commitment: identityCommitment("m0", SALT) })
          .catch((e: unknown) => e);
        expect(await sentBy(member)).to.equal(sent);
        expect(error).to.be.instanceOf(TokenBlacklistedError);
        expect(error).to.be.instanceOf(TokenRevertedError);
        expect((error as TokenBlacklistedError).reason).to.equal(BLACKLISTED);
        expect((error as TokenBlacklistedError).problem).to.equal("blacklisted");
        expect((error as TokenBlacklistedError).shortMessage).to.match(/^The token's issuer has blacklisted/);
        expect(await sentBy(member)).to.equal(sent);
        expect(await f.usdc.token.allowance(member.address, f.usdc.poolAddress)).to.equal(0n);
      });

      it("USDC-like, the member blacklisted, then the token paused: typed errors, nothing sent", async function () {
        const f = await loadFixture(tokensFixture);
        const member = f.members[0];
        const client = clientFor(kind, member, { pool: f.usdc.poolAddress });
        const sent = await sentBy(member);
        await f.usdc.token.blacklist(member.address);
        const blacklisted = await client
          .join({ amount: USD("100"), commitment: identityCommitment("m0", SALT) })
          .catch((e: unknown) => e);
        expect(await sentBy(member)).to.equal(sent);
        expect(blacklisted).to.be.instanceOf(TokenBlacklistedError);
        await f.usdc.token.unBlacklist(member.address);
        await f.usdc.token.pause();
        const error = await client
          .join({ amount: USD("100"), commitment: identityCommitment("m0", SALT) })
          .catch((e: unknown) => e);
        expect(await sentBy(member)).to.equal(sent);
        expect(error).to.be.instanceOf(TokenPausedError);
        expect((error as TokenPausedError).reason).to.equal("Pausable: paused");
        expect(await sentBy(member)).to.equal(sent);
      });

      it("USDC-like, the pool blacklisted after a join: withdraw fails with TokenBlacklistedError, settlement goes on, the audit passes and says so", async function () {
        const f = await loadFixture(tokensFixture);
        const member = f.members[0];
        const client = clientFor(kind, member, { pool: f.usdc.poolAddress });
        await client.join({ amount: USD("150"), commitment: identityCommitment("m0", SALT) });
        await f.usdc.token.blacklist(f.usdc.poolAddress);
        await expect(client.withdraw({ amount: USD("10") })).to.be.rejectedWith(TokenBlacklistedError, /blacklisted/);
        await endPeriod(f.usdc.pool, 1);
        const settled = await client.settleDue();
        expect(settled.parts.map((p) => p.period)).to.deep.equal([0n, 1n]);
        const reader = createHuzhuClient({ connector: readOnlyConnectorFor(kind), pool: f.usdc.poolAddress });
        const result = await audit(reader, {});
        expect(result.passed).to.equal(true);
        expect(result.tokenFreeze).to.deep.equal({ paused: false, blacklisted: true });
        expect(auditMarkdown(result)).to.include("**Token frozen:** the issuer of USDC");
      });

      it("OpenZeppelin 4.x: 'ERC20: insufficient allowance' is a TokenAllowanceError (approve: false), and join approves then joins", async function () {
        const f = await loadFixture(tokensFixture);
        const member = f.members[0];
        const client = clientFor(kind, member, { pool: f.oz4.poolAddress });
        const error = await client
          .join({ amount: USD("100"), commitment: identityCommitment("m0", SALT), approve: false })
          .catch((e: unknown) => e);
        expect(error).not.to.be.instanceOf(UnknownRevertError);
        expect((error as TokenAllowanceError).reason).to.equal("ERC20: insufficient allowance");
        expect(error).to.be.instanceOf(TokenAllowanceError);
        const sent = await sentBy(member);
        await client.join({ amount: USD("100"), commitment: identityCommitment("m0", SALT) });
        expect(await sentBy(member)).to.equal(sent + 2);
        expect(await f.oz4.pool.statusOf(member.address)).to.equal(BigInt(MemberStatus.Waiting));
      });

      it("OpenZeppelin 4.x paused (it says 'insufficient allowance' first): the token's paused() stops the approval", async function () {
        const f = await loadFixture(tokensFixture);
        const member = f.members[0];
        await f.oz4.token.pause();
        const client = clientFor(kind, member, { pool: f.oz4.poolAddress });
        const sent = await sentBy(member);
        await expect(
          client.join({ amount: USD("100"), commitment: identityCommitment("m0", SALT) }),
        ).to.be.rejectedWith(TokenPausedError);
        expect(await sentBy(member)).to.equal(sent);
      });

      it("OpenZeppelin 4.x, a member without the tokens: TokenBalanceTooLowError, no approval sent", async function () {
        const f = await loadFixture(tokensFixture);
        const client = clientFor(kind, f.poor, { pool: f.oz4.poolAddress });
        const sent = await sentBy(f.poor);
        const error = await client
          .join({ amount: USD("100"), commitment: identityCommitment("poor", SALT) })
          .catch((e: unknown) => e);
        expect(await sentBy(f.poor)).to.equal(sent);
        expect(error).to.be.instanceOf(TokenBalanceTooLowError);
        expect((error as TokenBalanceTooLowError).balance).to.equal(0n);
        expect((error as TokenBalanceTooLowError).needed).to.equal(USD("100"));
        expect(await sentBy(f.poor)).to.equal(sent);
      });

      for (const which of ["silent", "falsy"] as const) {
        const style = which === "silent" ? "reverts with no data" : "returns false";
        it(`a token that ${style}: its views stop the approval when the pool is blacklisted or the token paused; otherwise it approves and joins`, async function () {
          const f = await loadFixture(tokensFixture);
          const { token, poolAddress, pool } = f[which];
          const member = f.members[0];
          const client = clientFor(kind, member, { pool: poolAddress });
          const sent = await sentBy(member);
          await token.setBlacklisted(poolAddress, true);
          const blacklisted = await client
            .join({ amount: USD("100"), commitment: identityCommitment("m0", SALT) })
            .catch((e: unknown) => e);
          expect(await sentBy(member)).to.equal(sent);
          expect(blacklisted).to.be.instanceOf(TokenBlacklistedError);
          expect((blacklisted as TokenBlacklistedError).account).to.equal(poolAddress);
          await token.setBlacklisted(poolAddress, false);
          await token.setPaused(true);
          await expect(
            client.join({ amount: USD("100"), commitment: identityCommitment("m0", SALT) }),
          ).to.be.rejectedWith(TokenPausedError);
          expect(await sentBy(member)).to.equal(sent);
          await token.setPaused(false);
          await client.join({ amount: USD("100"), commitment: identityCommitment("m0", SALT) });
          expect(await sentBy(member)).to.equal(sent + 2);
          expect(await pool.statusOf(member.address)).to.equal(BigInt(MemberStatus.Waiting));
        });
      }

      it("a custom error the SDK does not know (Blacklisted(address)): the token's blacklisted() view stops the approval", async function () {
        const f = await loadFixture(tokensFixture);
        const member = f.members[0];
        await f.custom.token.setBlacklisted(member.address, true);
        const client = clientFor(kind, member, { pool: f.custom.poolAddress });
        const sent = await sentBy(member);
        const error = await client
          .join({ amount: USD("100"), commitment: identityCommitment("m0", SALT) })
          .catch((e: unknown) => e);
        expect(await sentBy(member)).to.equal(sent);
        expect(error).to.be.instanceOf(TokenBlacklistedError);
        expect((error as TokenBlacklistedError).account).to.equal(member.address);
        expect(await sentBy(member)).to.equal(sent);
      });

      it("an OpenZeppelin 5 paused token (it says ERC20InsufficientAllowance before EnforcedPause): its paused() stops the approval", async function () {
        const f = await loadFixture(tokensFixture);
        const member = f.members[0];
        await f.oz5paused.token.pause();
        const client = clientFor(kind, member, { pool: f.oz5paused.poolAddress });
        const sent = await sentBy(member);
        await expect(
          client.join({ amount: USD("100"), commitment: identityCommitment("m0", SALT) }),
        ).to.be.rejectedWith(TokenPausedError);
        expect(await sentBy(member)).to.equal(sent);
        // With the allowance there, the token's own EnforcedPause comes through.
        await f.oz5paused.token.connect(member).approve(f.oz5paused.poolAddress, USD("100"));
        await expect(
          client.join({ amount: USD("100"), commitment: identityCommitment("m0", SALT) }),
        ).to.be.rejectedWith(EnforcedPauseError);
      });
    });
  });
}

describe("token revert data decoded by toHuzhuError", function () {
  const revert = (data: Hex) => Object.assign(new Error("execution reverted"), { data });

  it("Error(string) becomes the typed token error with the reason as text, not hex", function () {
    const data = encodeErrorResult({
      abi: parseAbi(["error Error(string)"]),
      errorName: "Error",
      args: ["Blacklistable: account is blacklisted"],
    });
    const error = toHuzhuError(revert(data));
    expect(error).not.to.be.instanceOf(UnknownRevertError);
    expect((error as TokenRevertedError).reason).to.equal("Blacklistable: account is blacklisted");
    expect(error).to.be.instanceOf(TokenBlacklistedError);
    expect((error as TokenRevertedError).data).to.equal(data);
    expect(error.message).not.to.include(data);
    for (const [reason, Class] of [
      ["ERC20: transfer amount exceeds allowance", TokenAllowanceError],
      ["ERC20: transfer amount exceeds balance", TokenBalanceTooLowError],
      ["ERC20Pausable: token transfer while paused", TokenPausedError],
      ["Pausable: paused", TokenPausedError],
      ["STF", TokenRevertedError],
    ] as const) {
      const e = toHuzhuError(
        revert(encodeErrorResult({ abi: parseAbi(["error Error(string)"]), errorName: "Error", args: [reason] })),
      );
      expect(e, reason).to.be.instanceOf(Class);
      expect((e as TokenRevertedError).reason).to.equal(reason);
    }
  });

  it("Panic(uint256) becomes a PanicError with the code's meaning", function () {
    const data = encodeErrorResult({ abi: parseAbi(["error Panic(uint256)"]), errorName: "Panic", args: [0x11n] });
    const error = toHuzhuError(revert(data));
    expect(error).to.be.instanceOf(PanicError);
    expect((error as PanicError).code).to.equal(0x11n);
    expect((error as PanicError).shortMessage).to.equal(
      "A contract (the pool or its token) stopped on an arithmetic operation overflowed or underflowed.",
    );
  });

  it("Solady's InsufficientAllowance() and InsufficientBalance() become token errors", function () {
    const abi = parseAbi(["error InsufficientAllowance()", "error InsufficientBalance()"]);
    const allowance = toHuzhuError(revert(encodeErrorResult({ abi, errorName: "InsufficientAllowance" })));
    expect(allowance).to.be.instanceOf(TokenRevertedError);
    expect((allowance as TokenRevertedError).problem).to.equal("allowance");
    const balance = toHuzhuError(revert(encodeErrorResult({ abi, errorName: "InsufficientBalance" })));
    expect((balance as TokenRevertedError).problem).to.equal("balance");
    expect((balance as TokenRevertedError).reason).to.equal("InsufficientBalance()");
  });
});
