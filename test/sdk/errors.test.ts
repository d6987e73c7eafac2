import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { encodeErrorResult, type AbiParameter } from "viem";
import {
  ClaimAlreadyOpenError,
  ClaimAlreadyReviewedError,
  ClaimAmountOutOfRangeError,
  ClaimZeroEvidenceError,
  ClaimZeroReviewError,
  ClaimantNotActiveError,
  ClaimantUnderfundedError,
  ConfigAnnualCapTooLowError,
  ConfigFeeAboveMaximumError,
  ConfigInvalidAssetError,
  ConfigInvalidThresholdError,
  ConfigMinBalanceTooLowError,
  ConfigMinDepositTooLowError,
  ConfigUnauthorizedError,
  ConfigZeroClaimLimitError,
  ConfigZeroDurationError,
  ConfigZeroOperatorError,
  ConfigInvalidJuryError,
  ConfigInvalidQuorumError,
  ConfigInvalidRandomnessError,
  ConfigLapseGraceTooShortError,
  ConfigWaitingPeriodTooShortError,
  ConfigZeroBondError,
  AppealNotAllowedError,
  ClaimEvidenceUsedError,
  FactoryOpenPoolRefusedError,
  JurorNotSeatedError,
  JurySeedNotReadyError,
  MemberAlreadyFlaggedError,
  MemberCommitmentMismatchError,
  MemberGraceNotOverError,
  ContractRevertError,
  ERC20InsufficientAllowanceError,
  ERC20InsufficientBalanceError,
  EnforcedPauseError,
  EscrowNothingToWithdrawError,
  EscrowTransferMismatchError,
  HuzhuError,
  InvalidAddressError,
  InvalidAmountError,
  InvalidParameterError,
  MemberAlreadyJoinedError,
  MemberAttestationExpiredError,
  MemberAttestationInvalidError,
  MemberCommitmentUsedError,
  MemberDepositTooLowError,
  MemberExitNotReadyError,
  MemberFundedError,
  MemberInsufficientBalanceError,
  MemberPermitFailedError,
  MemberStatus,
  MemberZeroCommitmentError,
  MissingAccountError,
  MissingAddressError,
  PeriodNotEndedError,
  PeriodNotNextError,
  ClaimState,
  UnexpectedClaimStateError,
  UnexpectedMemberStatusError,
  UnknownRevertError,
  VoteNotCommittedError,
  VoteRevealMismatchError,
  contractErrors,
  createHuzhuClient,
  erc20PermitAbi,
  factoryAbi,
  identityCommitment,
  poolAbi,
  toHuzhuError,
} from "../../sdk/src";
import type { Address, HuzhuClient, Rules } from "../../sdk/src";
import { DAY, commitmentOf, createPool, deployFactory, drawJury, join, voteOn } from "../helpers/fixtures";
import {
  EVIDENCE,
  KINDS,
  USD,
  ZERO_ADDRESS,
  ZERO_HASH,
  claimFixture,
  clientFor,
  deployFixture,
  membersFixture,
  readOnlyConnectorFor,
  sentBy,
  settledFixture,
  verifierFixture,
} from "./helpers";

const SALT = ethers.id("identity salt") as `0x${string}`;
const COMMITMENT = identityCommitment("newcomer", SALT);
const OTHER_EVIDENCE = ethers.id("other evidence") as `0x${string}`;
const addressOf = (signer: { address: string }) => signer.address as Address;

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return expect.fail("the action did not throw");
}

type ErrorClass<E> = abstract new (...args: never[]) => E;

/**
 * Runs `action` and checks that it throws the typed error `Class` with exactly `args`, the plain
 * sentence as its short message, and that nothing was sent: the revert is caught by the simulation.
 */
async function expectRevert<E extends ContractRevertError>(
  sender: { address: string },
  action: () => Promise<unknown>,
  Class: ErrorClass<E>,
  args: Record<string, unknown>,
  sentence: string,
) {
  const block = await ethers.provider.getBlockNumber();
  const sent = await sentBy(sender);
  const error = await caught(action());
  expect(error).to.be.instanceOf(Class);
  expect(error).to.be.instanceOf(ContractRevertError);
  expect(error).to.be.instanceOf(HuzhuError);
  const e = error as E;
  const errorName = Class.name.replace(/Error$/, "");
  expect(e.name).to.equal(Class.name);
  expect(e.errorName).to.equal(errorName);
  expect(e.args).to.deep.equal(args);
  for (const [field, value] of Object.entries(args)) expect(e[field as keyof E], field).to.deep.equal(value);
  expect(e.shortMessage).to.equal(sentence);
  const shown = Object.entries(args).map(([field, value]) => `${field}=${String(value)}`);
  expect(e.details).to.equal(`${errorName}(${shown.join(", ")})`);
  expect(e.message).to.equal(`${sentence}\n\nDetails: ${e.details}`);
  expect(e.cause).to.not.equal(undefined);
  expect(await ethers.provider.getBlockNumber()).to.equal(block);
  expect(await sentBy(sender)).to.equal(sent);
}

/** Runs `action` and checks that it throws `Class` before anything reaches the chain. */
async function expectRefused<E extends HuzhuError>(
  action: () => Promise<unknown>,
  Class: ErrorClass<E>,
  shortMessage: string,
): Promise<E> {
  const block = await ethers.provider.getBlockNumber();
  const [, , , , , , ...accounts] = await ethers.getSigners();
  const sent = await Promise.all(accounts.map(sentBy));
  const error = await caught(action());
  expect(error).to.be.instanceOf(Class);
  expect((error as E).shortMessage).to.equal(shortMessage);
  expect(await ethers.provider.getBlockNumber()).to.equal(block);
  expect(await Promise.all(accounts.map(sentBy))).to.deep.equal(sent);
  return error as E;
}

/** A pool whose asset burns 1% of every transfer. */
async function feeTokenFixture() {
  const f = await deployFixture();
  const token = await ethers.deployContract("FeeOnTransferToken");
  const pool = await createPool(
    f.factory,
    { ...f.rules, asset: await token.getAddress() },
    { operator: f.operator.address, verifier: ZERO_ADDRESS, assessor: ZERO_ADDRESS, guardian: ZERO_ADDRESS },
  );
  return { ...f, feeToken: token, feePoolAddress: (await pool.getAddress()) as Address };
}

const RULE_SENTENCES = {
  ConfigFeeAboveMaximum: "The fee is above the hard maximum of the code.",
  ConfigInvalidAsset: "The rules name no asset, or the asset has no code.",
  ConfigZeroOperator: "The operator is the zero address.",
  ConfigZeroDuration: "The period length, or a vote or appeal window, is zero.",
  ConfigInvalidThreshold: "The approval threshold is not above half of the revealed votes, or is above 100%.",
  ConfigInvalidQuorum: "The quorum is not above half of the seats, or is above 100%.",
  ConfigInvalidJury: "The jury size is even, below 3, or lets the last appeal jury pass 'MAX_SEATS'.",
  ConfigZeroBond: "The claim bond, the appeal bond or the juror penalty is zero.",
  ConfigWaitingPeriodTooShort:
    "The waiting period is shorter than one period plus the claim timetable: a member could join after a claim and still be counted seasoned for it, or claim before paying a share.",
  ConfigLapseGraceTooShort:
    "The lapse grace is shorter than one period: a member must see a share and have time to top up.",
  ConfigInvalidRandomness: "The randomness source has no code.",
  ConfigZeroClaimLimit: "The maximum claim, the cap per member or the claims per period is zero.",
  ConfigMinBalanceTooLow: "The minimum balance does not cover the largest share a period can produce.",
  ConfigMinDepositTooLow: "The minimum deposit is below the minimum balance: a new member would be lapsable at once.",
  ConfigAnnualCapTooLow: "The annual cap is below the largest share of one period.",
};

// 5 claims x 10 per member, plus the largest fee the code allows (10%), plus one unit.
const LARGEST_SHARE = USD("55") + 1n;

for (const kind of KINDS) {
  describe(`sdk errors with a ${kind} client`, function () {
    describe("member reverts", function () {
      // No `approve: false` in the join cases: the SDK simulates the join before approving, so a
      // join bound to fail sends nothing at all (expectRevert checks the nonce).
      it("MemberDepositTooLow", async function () {
        const f = await loadFixture(deployFixture);
        const member = f.members[5];
        const client = clientFor(kind, member, { pool: f.poolAddress });
        await expectRevert(
          member,
          () => client.join({ amount: USD("99.999999"), commitment: COMMITMENT }),
          MemberDepositTooLowError,
          { amount: 99_999_999n, minDeposit: USD("100") },
          "The first deposit is below the pool's minimum deposit.",
        );
      });

      it("MemberZeroCommitment (a well-formed zero hash reaches the contract)", async function () {
        const f = await loadFixture(deployFixture);
        const member = f.members[5];
        const client = clientFor(kind, member, { pool: f.poolAddress });
        await expectRevert(
          member,
          () => client.join({ amount: USD("100"), commitment: ZERO_HASH, approve: false }),
          MemberZeroCommitmentError,
          {},
          "The identity commitment is zero.",
        );
      });

      it("MemberAlreadyJoined", async function () {
        const f = await loadFixture(membersFixture);
        const member = f.members[0];
        const client = clientFor(kind, member, { pool: f.poolAddress });
        await expectRevert(
          member,
          () => client.join({ amount: USD("100"), commitment: COMMITMENT }),
          MemberAlreadyJoinedError,
          { member: member.address },
          "This wallet holds a membership of this pool (counted, or leaving).",
        );
      });

      it("MemberCommitmentUsed", async function () {
        const f = await loadFixture(membersFixture);
        const member = f.members[5];
        const taken = commitmentOf(f.members[0].address) as `0x${string}`;
        const client = clientFor(kind, member, { pool: f.poolAddress });
        await expectRevert(
          member,
          () => client.join({ amount: USD("100"), commitment: taken }),
          MemberCommitmentUsedError,
          { commitment: taken },
          "This identity commitment was already used in this pool.",
        );
      });

      it("MemberAttestationExpired", async function () {
        const f = await loadFixture(verifierFixture);
        const member = f.members[5];
        const now = BigInt(await time.latest());
        const verifier = clientFor(kind, f.verifier, { pool: f.verifiedAddress });
        const attestation = await verifier.signAttestation({
          member: addressOf(member),
          commitment: COMMITMENT,
          deadline: now - 1n,
        });
        const client = clientFor(kind, member, { pool: f.verifiedAddress });
        await expectRevert(
          member,
          () => client.join({ amount: USD("100"), commitment: COMMITMENT, attestation, approve: false }),
          MemberAttestationExpiredError,
          { deadline: now - 1n, nowTime: now },
          "The verifier's attestation is past its deadline.",
        );
      });

      it("MemberAttestationInvalid: signed by someone other than the verifier", async function () {
        const f = await loadFixture(verifierFixture);
        const member = f.members[5];
        const impostor = clientFor(kind, f.stranger, { pool: f.verifiedAddress });
        const attestation = await impostor.signAttestation({
          member: addressOf(member),
          commitment: COMMITMENT,
          deadline: BigInt(await time.latest()) + 3_600n,
        });
        const client = clientFor(kind, member, { pool: f.verifiedAddress });
        await expectRevert(
          member,
          () => client.join({ amount: USD("100"), commitment: COMMITMENT, attestation, approve: false }),
          MemberAttestationInvalidError,
          { member: member.address, commitment: COMMITMENT },
          "The attestation is not the verifier's signature over this member and commitment.",
        );
      });

      it("MemberPermitFailed: an expired permit and no allowance", async function () {
        const f = await loadFixture(deployFixture);
        const member = f.members[5];
        const client = clientFor(kind, member, { pool: f.poolAddress });
        const deadline = BigInt(await time.latest()) - 1n;
        await expectRevert(
          member,
          () => client.joinWithPermit({ amount: USD("100"), commitment: COMMITMENT, deadline }),
          MemberPermitFailedError,
          { member: member.address, allowance: 0n, needed: USD("100") },
          "The permit failed and the pool has no allowance for the deposit.",
        );
      });

      it("UnexpectedMemberStatus: a stranger asks to exit, an exiting member asks again", async function () {
        const f = await loadFixture(membersFixture);
        const stranger = clientFor(kind, f.stranger, { pool: f.poolAddress });
        const sentence = "The member is not in a status that allows this action.";
        await expectRevert(
          f.stranger,
          () => stranger.requestExit(),
          UnexpectedMemberStatusError,
          { member: f.stranger.address, current: MemberStatus.None },
          sentence,
        );
        await expectRevert(
          f.stranger,
          () => stranger.topUp({ amount: USD("1"), approve: false }),
          UnexpectedMemberStatusError,
          { member: f.stranger.address, current: MemberStatus.None },
          sentence,
        );
        const member = f.members[1];
        await f.pool.connect(member).requestExit();
        const client = clientFor(kind, member, { pool: f.poolAddress });
        await expectRevert(
          member,
          () => client.requestExit(),
          UnexpectedMemberStatusError,
          { member: member.address, current: MemberStatus.Exiting },
          sentence,
        );
      });

      it("MemberInsufficientBalance: a counted member keeps the minimum balance", async function () {
        const f = await loadFixture(membersFixture);
        const member = f.members[1];
        const client = clientFor(kind, member, { pool: f.poolAddress });
        await expectRevert(
          member,
          () => client.withdraw({ amount: USD("40.000001") }),
          MemberInsufficientBalanceError,
          { member: member.address, balance: USD("100"), needed: USD("100.000001") },
          "The withdrawal would take the balance below what the member must keep.",
        );
      });

      it("MemberFunded: flag a funded member", async function () {
        const f = await loadFixture(membersFixture);
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        await expectRevert(
          f.keeper,
          () => keeper.flag({ member: addressOf(f.members[1]) }),
          MemberFundedError,
          { member: f.members[1].address, balance: USD("100"), minBalance: USD("60") },
          "The member holds at least the minimum balance and cannot be flagged or lapsed.",
        );
      });

      it("MemberAlreadyFlagged and MemberGraceNotOver", async function () {
        const f = await loadFixture(settledFixture);
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        const member = addressOf(f.members[1]);
        await expectRevert(
          f.keeper,
          () => keeper.lapse({ member }),
          MemberGraceNotOverError,
          { member, lapsableAt: 0n },
          "The member was not flagged, or the grace since the flag has not run out.",
        );
        const { lapsableAt } = await keeper.flag({ member });
        await expectRevert(
          f.keeper,
          () => keeper.flag({ member }),
          MemberAlreadyFlaggedError,
          { member, lapsableAt },
          "The member is already flagged.",
        );
        await expectRevert(
          f.keeper,
          () => keeper.lapse({ member }),
          MemberGraceNotOverError,
          { member, lapsableAt },
          "The member was not flagged, or the grace since the flag has not run out.",
        );
      });

      it("MemberCommitmentMismatch: a returning wallet joins with another commitment", async function () {
        const f = await loadFixture(membersFixture);
        const member = f.members[1];
        await f.pool.connect(member).requestExit();
        await f.pool.completeExit(member.address);
        const client = clientFor(kind, member, { pool: f.poolAddress });
        await expectRevert(
          member,
          () => client.join({ amount: USD("100"), commitment: COMMITMENT, approve: false }),
          MemberCommitmentMismatchError,
          { member: member.address, commitment: COMMITMENT },
          "A wallet returning to the pool must join with the commitment it first joined with.",
        );
      });

      it("MemberExitNotReady: a claim submitted before the exit request is still open", async function () {
        const f = await loadFixture(claimFixture);
        const member = f.members[1];
        await f.pool.connect(member).requestExit();
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        await expectRevert(
          f.keeper,
          () => keeper.completeExit({ member: addressOf(member) }),
          MemberExitNotReadyError,
          { member: member.address, claimBound: 2n },
          "The exit cannot complete before every claim with an id below 'claimBound' is final and paid.",
        );
      });

      it("ERC20InsufficientAllowance: join without the approval", async function () {
        const f = await loadFixture(deployFixture);
        const member = f.members[5];
        const client = clientFor(kind, member, { pool: f.poolAddress });
        await expectRevert(
          member,
          () => client.join({ amount: USD("100"), commitment: COMMITMENT, approve: false }),
          ERC20InsufficientAllowanceError,
          { spender: f.poolAddress, allowance: 0n, needed: USD("100") },
          "The pool is not approved to move enough of the sender's tokens: approve it first.",
        );
      });

      it("ERC20InsufficientBalance: join with no tokens", async function () {
        const f = await loadFixture(deployFixture);
        const broke = (await ethers.getSigners())[13];
        await f.token.connect(broke).approve(f.poolAddress, USD("100"));
        const client = clientFor(kind, broke, { pool: f.poolAddress });
        await expectRevert(
          broke,
          () => client.join({ amount: USD("100"), commitment: COMMITMENT }),
          ERC20InsufficientBalanceError,
          { sender: broke.address, balance: 0n, needed: USD("100") },
          "The sender does not hold enough tokens.",
        );
      });

      it("EscrowTransferMismatch: a fee-on-transfer token", async function () {
        const f = await loadFixture(feeTokenFixture);
        const member = f.members[5];
        await f.feeToken.mint(member.address, USD("100"));
        await f.feeToken.connect(member).approve(f.feePoolAddress, USD("100"));
        const client = clientFor(kind, member, { pool: f.feePoolAddress });
        await expectRevert(
          member,
          () => client.join({ amount: USD("100"), commitment: COMMITMENT }),
          EscrowTransferMismatchError,
          { expected: USD("100"), received: USD("99") },
          "The token moved in is not the amount asked for (fee-on-transfer or rebasing token).",
        );
      });

      it("EnforcedPause: joins and new claims wait while the pool is paused", async function () {
        const f = await loadFixture(membersFixture);
        await f.pool.connect(f.guardian).pause();
        const sentence = "The pool is paused: joins and new claims wait until the guardian lifts the pause.";
        const newcomer = clientFor(kind, f.members[5], { pool: f.poolAddress });
        await expectRevert(
          f.members[5],
          () => newcomer.join({ amount: USD("100"), commitment: COMMITMENT, approve: false }),
          EnforcedPauseError,
          {},
          sentence,
        );
        const claimant = clientFor(kind, f.members[0], { pool: f.poolAddress });
        await expectRevert(
          f.members[0],
          () => claimant.submitClaim({ amount: USD("50"), evidenceDigest: EVIDENCE, approve: false }),
          EnforcedPauseError,
          {},
          sentence,
        );
      });
    });

    describe("claim and vote reverts", function () {
      it("ClaimAmountOutOfRange", async function () {
        const f = await loadFixture(membersFixture);
        const client = clientFor(kind, f.members[0], { pool: f.poolAddress });
        await expectRevert(
          f.members[0],
          () => client.submitClaim({ amount: USD("1000.000001"), evidenceDigest: EVIDENCE, approve: false }),
          ClaimAmountOutOfRangeError,
          { amount: USD("1000.000001"), maxClaimAmount: USD("1000") },
          "The claim amount is zero or above the pool's maximum.",
        );
      });

      it("ClaimZeroEvidence", async function () {
        const f = await loadFixture(membersFixture);
        const client = clientFor(kind, f.members[0], { pool: f.poolAddress });
        await expectRevert(
          f.members[0],
          () => client.submitClaim({ amount: USD("50"), evidenceDigest: ZERO_HASH, approve: false }),
          ClaimZeroEvidenceError,
          {},
          "The evidence digest is zero.",
        );
      });

      it("ClaimantNotActive: a waiting member and an exiting one", async function () {
        const f = await loadFixture(membersFixture);
        await join(f, f.members[5], USD("100"));
        const sentence = "The claimant is not an active member (waiting, leaving or gone).";
        const waiting = clientFor(kind, f.members[5], { pool: f.poolAddress });
        await expectRevert(
          f.members[5],
          () => waiting.submitClaim({ amount: USD("50"), evidenceDigest: EVIDENCE, approve: false }),
          ClaimantNotActiveError,
          { member: f.members[5].address, status: MemberStatus.Waiting },
          sentence,
        );
        await f.pool.connect(f.members[1]).requestExit();
        const exiting = clientFor(kind, f.members[1], { pool: f.poolAddress });
        await expectRevert(
          f.members[1],
          () => exiting.submitClaim({ amount: USD("50"), evidenceDigest: EVIDENCE, approve: false }),
          ClaimantNotActiveError,
          { member: f.members[1].address, status: MemberStatus.Exiting },
          sentence,
        );
      });

      it("ClaimantUnderfunded", async function () {
        const f = await loadFixture(settledFixture);
        const client = clientFor(kind, f.members[1], { pool: f.poolAddress });
        await expectRevert(
          f.members[1],
          () => client.submitClaim({ amount: USD("50"), evidenceDigest: OTHER_EVIDENCE, approve: false }),
          ClaimantUnderfundedError,
          { member: f.members[1].address, balance: USD("49.2"), minBalance: USD("60") },
          "The claimant's balance is below the minimum balance.",
        );
      });

      it("ClaimAlreadyOpen", async function () {
        const f = await loadFixture(claimFixture);
        const client = clientFor(kind, f.members[0], { pool: f.poolAddress });
        await expectRevert(
          f.members[0],
          () => client.submitClaim({ amount: USD("50"), evidenceDigest: OTHER_EVIDENCE, approve: false }),
          ClaimAlreadyOpenError,
          { member: f.members[0].address, openClaimId: 1n },
          "The claimant already has a claim that is neither paid nor closed.",
        );
      });

      it("UnexpectedClaimState: resolve too early, vote on an unknown claim, reveal while committing", async function () {
        const f = await loadFixture(claimFixture);
        const sentence = "The claim is not in the state this action needs.";
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        await expectRevert(
          f.keeper,
          () => keeper.resolve({ claimId: 1n }),
          UnexpectedClaimStateError,
          { claimId: 1n, current: ClaimState.Drawing, expected: ClaimState.Resolvable },
          sentence,
        );
        const [juror] = await drawJury(f.pool, 1n);
        const voter = clientFor(kind, juror, { pool: f.poolAddress });
        await expectRevert(
          juror,
          () => voter.commitVote({ claimId: 9n, support: true }),
          UnexpectedClaimStateError,
          { claimId: 9n, current: ClaimState.None, expected: ClaimState.Committing },
          sentence,
        );
        await expectRevert(
          juror,
          () => voter.revealVote({ claimId: 1n, support: true }),
          UnexpectedClaimStateError,
          { claimId: 1n, current: ClaimState.Committing, expected: ClaimState.Revealing },
          sentence,
        );
        await expectRevert(
          f.keeper,
          () => keeper.drawJury({ claimId: 1n }),
          UnexpectedClaimStateError,
          { claimId: 1n, current: ClaimState.Committing, expected: ClaimState.Drawing },
          sentence,
        );
        await expectRevert(
          f.keeper,
          () => keeper.tally({ claimId: 1n }),
          UnexpectedClaimStateError,
          { claimId: 1n, current: ClaimState.Committing, expected: ClaimState.Tallying },
          sentence,
        );
      });

      it("ClaimEvidenceUsed: one digest, one claim", async function () {
        const f = await loadFixture(claimFixture);
        const client = clientFor(kind, f.members[1], { pool: f.poolAddress });
        await expectRevert(
          f.members[1],
          () => client.submitClaim({ amount: USD("50"), evidenceDigest: EVIDENCE, approve: false }),
          ClaimEvidenceUsedError,
          { evidenceDigest: EVIDENCE },
          "The evidence digest was already used by a claim of this pool.",
        );
      });

      it("JurySeedNotReady: drawing in the block the seed comes from", async function () {
        const f = await loadFixture(membersFixture);
        const claimant = clientFor(kind, f.members[0], { pool: f.poolAddress });
        const { receipt } = await claimant.submitClaim({ amount: USD("50"), evidenceDigest: EVIDENCE });
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        await expectRevert(
          f.keeper,
          () => keeper.drawJury({ claimId: 1n }),
          JurySeedNotReadyError,
          { claimId: 1n, round: 0n, seedBlock: receipt.blockNumber + 1n },
          "The round's seed does not exist yet (its block is not mined, or the VRF has not answered).",
        );
      });

      it("AppealNotAllowed: only the claimant appeals a rejection", async function () {
        const f = await loadFixture(claimFixture);
        const jurors = await drawJury(f.pool, 1n);
        await voteOn(
          f.pool,
          1n,
          jurors.map((j) => [j, false]),
        );
        const outsider = f.members.slice(1, 5).find((m) => !jurors.some((j) => j.address === m.address))!;
        const client = clientFor(kind, outsider, { pool: f.poolAddress });
        await expectRevert(
          outsider,
          () => client.appeal({ claimId: 1n, approve: false }),
          AppealNotAllowedError,
          { claimId: 1n, appellant: outsider.address },
          "Only the claimant appeals a rejection, and only a member eligible for the jury an approval.",
        );
      });

      it("FactoryOpenPoolRefused: a factory that refuses pools without a verifier", async function () {
        const f = await loadFixture(deployFixture);
        const strict = await deployFactory(true);
        const admin = clientFor(kind, f.deployer, { factory: (await strict.getAddress()) as Address });
        await expectRevert(
          f.deployer,
          () => admin.createPool({ rules: f.rules, roles: { operator: addressOf(f.operator) } }),
          FactoryOpenPoolRefusedError,
          {},
          "This factory refuses pools without an identity verifier.",
        );
      });

      it("ClaimAlreadyReviewed and ClaimZeroReview", async function () {
        const f = await loadFixture(claimFixture);
        const assessor = clientFor(kind, f.assessor, { pool: f.poolAddress });
        await expectRevert(
          f.assessor,
          () => assessor.attachReview({ claimId: 1n, reviewDigest: ZERO_HASH }),
          ClaimZeroReviewError,
          {},
          "The review digest is zero.",
        );
        await assessor.attachReview({ claimId: 1n, reviewDigest: ethers.id("review") as `0x${string}` });
        await expectRevert(
          f.assessor,
          () => assessor.attachReview({ claimId: 1n, reviewDigest: ethers.id("another") as `0x${string}` }),
          ClaimAlreadyReviewedError,
          { claimId: 1n },
          "A review was already attached to this claim.",
        );
      });

      it("JurorNotSeated: the claimant, a member off the jury, a member who joined after the claim, a stranger", async function () {
        const f = await loadFixture(claimFixture);
        const jurors = await drawJury(f.pool, 1n);
        await join(f, f.members[5], USD("100"));
        const offJury = f.members.slice(1, 5).find((m) => !jurors.some((j) => j.address === m.address))!;
        const sentence = "The caller does not sit on the claim's current jury.";
        for (const account of [f.members[0], offJury, f.members[5], f.stranger]) {
          const voter = clientFor(kind, account, { pool: f.poolAddress });
          await expectRevert(
            account,
            () => voter.commitVote({ claimId: 1n, support: true }),
            JurorNotSeatedError,
            { claimId: 1n, round: 0n, juror: account.address },
            sentence,
          );
        }
      });

      it("VoteNotCommitted and VoteRevealMismatch", async function () {
        const f = await loadFixture(claimFixture);
        const [juror, silentJuror] = await drawJury(f.pool, 1n);
        const committed = clientFor(kind, juror, { pool: f.poolAddress });
        await committed.commitVote({ claimId: 1n, support: true });
        await time.increaseTo((await f.pool.round(1n, 0n)).commitEndsAt);
        const mismatch = "The revealed vote and salt do not hash to the juror's commitment.";
        await expectRevert(
          juror,
          () => committed.revealVote({ claimId: 1n, support: false }),
          VoteRevealMismatchError,
          { claimId: 1n, juror: juror.address },
          mismatch,
        );
        await expectRevert(
          juror,
          () => committed.revealVote({ claimId: 1n, support: true, salt: ethers.id("wrong") as `0x${string}` }),
          VoteRevealMismatchError,
          { claimId: 1n, juror: juror.address },
          mismatch,
        );
        const silent = clientFor(kind, silentJuror, { pool: f.poolAddress });
        await expectRevert(
          silentJuror,
          () => silent.revealVote({ claimId: 1n, support: true }),
          VoteNotCommittedError,
          { claimId: 1n, juror: silentJuror.address },
          "The juror has no unrevealed commitment on this claim.",
        );
      });
    });

    describe("period, escrow and role reverts", function () {
      it("PeriodNotNext and PeriodNotEnded", async function () {
        const f = await loadFixture(deployFixture);
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        await expectRevert(
          f.keeper,
          () => keeper.settle({ period: 3n }),
          PeriodNotNextError,
          { period: 3n, nextPeriod: 0n },
          "The period is not the next one to settle (settled already, or an earlier one is not).",
        );
        await expectRevert(
          f.keeper,
          () => keeper.settle(),
          PeriodNotEndedError,
          { period: 0n, endsAt: await f.pool.periodEnd(0) },
          "The period has not ended yet.",
        );
      });

      it("PeriodNotNext: a settled period", async function () {
        const f = await loadFixture(settledFixture);
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        await expectRevert(
          f.keeper,
          () => keeper.settle({ period: 0n }),
          PeriodNotNextError,
          { period: 0n, nextPeriod: f.settledPeriod + 1n },
          "The period is not the next one to settle (settled already, or an earlier one is not).",
        );
      });

      it("EscrowNothingToWithdraw: no payout, no fee", async function () {
        const f = await loadFixture(membersFixture);
        const sentence = "The account has nothing to withdraw.";
        const member = clientFor(kind, f.members[1], { pool: f.poolAddress });
        await expectRevert(
          f.members[1],
          () => member.withdrawPayout(),
          EscrowNothingToWithdrawError,
          { account: f.members[1].address },
          sentence,
        );
        const operator = clientFor(kind, f.operator, { pool: f.poolAddress });
        await expectRevert(
          f.operator,
          () => operator.withdrawFees(),
          EscrowNothingToWithdrawError,
          { account: f.operator.address },
          sentence,
        );
      });

      it("ConfigUnauthorized: fees to a non-operator, a review from a non-assessor", async function () {
        const f = await loadFixture(claimFixture);
        const sentence = "The caller does not hold the role the function needs.";
        const stranger = clientFor(kind, f.stranger, { pool: f.poolAddress });
        await expectRevert(
          f.stranger,
          () => stranger.withdrawFees(),
          ConfigUnauthorizedError,
          { caller: f.stranger.address },
          sentence,
        );
        await expectRevert(
          f.stranger,
          () => stranger.attachReview({ claimId: 1n, reviewDigest: EVIDENCE }),
          ConfigUnauthorizedError,
          { caller: f.stranger.address },
          sentence,
        );
      });
    });

    describe("createPool Config reverts", function () {
      const cases: Array<{
        title: string;
        change: (rules: Rules, stranger: Address) => { rules?: Partial<Rules>; operator?: Address };
        Class: ErrorClass<ContractRevertError>;
        args: (rules: Rules, stranger: Address) => Record<string, unknown>;
      }> = [
        {
          title: "ConfigFeeAboveMaximum",
          change: () => ({ rules: { feeBps: 1_001 } }),
          Class: ConfigFeeAboveMaximumError,
          args: () => ({ feeBps: 1_001n, maxFeeBps: 1_000n }),
        },
        {
          title: "ConfigInvalidAsset",
          change: (_, stranger) => ({ rules: { asset: stranger } }),
          Class: ConfigInvalidAssetError,
          args: (_, stranger) => ({ asset: stranger }),
        },
        {
          title: "ConfigZeroOperator",
          change: () => ({ operator: ZERO_ADDRESS }),
          Class: ConfigZeroOperatorError,
          args: () => ({}),
        },
        {
          title: "ConfigZeroDuration",
          change: () => ({ rules: { revealWindow: 0 } }),
          Class: ConfigZeroDurationError,
          args: () => ({}),
        },
        {
          title: "ConfigInvalidThreshold",
          change: () => ({ rules: { approvalThresholdBps: 10_001 } }),
          Class: ConfigInvalidThresholdError,
          args: () => ({ approvalThresholdBps: 10_001n }),
        },
        {
          title: "ConfigInvalidQuorum",
          change: () => ({ rules: { quorumBps: 5_000 } }),
          Class: ConfigInvalidQuorumError,
          args: () => ({ quorumBps: 5_000n }),
        },
        {
          title: "ConfigInvalidJury",
          change: () => ({ rules: { jurySize: 4 } }),
          Class: ConfigInvalidJuryError,
          args: () => ({ jurySize: 4n, maxAppealRounds: 1n }),
        },
        {
          title: "ConfigZeroBond",
          change: () => ({ rules: { appealBond: 0n } }),
          Class: ConfigZeroBondError,
          args: () => ({}),
        },
        {
          title: "ConfigWaitingPeriodTooShort",
          change: () => ({ rules: { waitingPeriod: 28 * DAY - 1 } }),
          Class: ConfigWaitingPeriodTooShortError,
          args: () => ({ waitingPeriod: BigInt(28 * DAY - 1), required: BigInt(28 * DAY) }),
        },
        {
          title: "ConfigLapseGraceTooShort",
          change: () => ({ rules: { lapseGrace: DAY } }),
          Class: ConfigLapseGraceTooShortError,
          args: () => ({ lapseGrace: BigInt(DAY), required: BigInt(14 * DAY) }),
        },
        {
          title: "ConfigInvalidRandomness",
          change: (_, stranger) => ({ rules: { randomness: stranger } }),
          Class: ConfigInvalidRandomnessError,
          args: (_, stranger) => ({ randomness: stranger }),
        },
        {
          title: "ConfigZeroClaimLimit",
          change: () => ({ rules: { capPerMember: 0n } }),
          Class: ConfigZeroClaimLimitError,
          args: () => ({}),
        },
        {
          title: "ConfigMinBalanceTooLow",
          change: () => ({ rules: { minBalance: LARGEST_SHARE - 1n } }),
          Class: ConfigMinBalanceTooLowError,
          args: () => ({ minBalance: LARGEST_SHARE - 1n, required: LARGEST_SHARE }),
        },
        {
          title: "ConfigMinDepositTooLow",
          change: () => ({ rules: { minDeposit: USD("59") } }),
          Class: ConfigMinDepositTooLowError,
          args: () => ({ minDeposit: USD("59"), minBalance: USD("60") }),
        },
        {
          title: "ConfigAnnualCapTooLow",
          change: () => ({ rules: { annualChargeCap: USD("55") } }),
          Class: ConfigAnnualCapTooLowError,
          args: () => ({ annualChargeCap: USD("55"), required: LARGEST_SHARE }),
        },
      ];
      for (const c of cases) {
        it(c.title, async function () {
          const f = await loadFixture(deployFixture);
          const admin = clientFor(kind, f.deployer, { factory: f.factoryAddress });
          const { rules, operator } = c.change(f.rules, addressOf(f.stranger));
          await expectRevert(
            f.deployer,
            () =>
              admin.createPool({
                rules: { ...f.rules, ...rules },
                roles: { operator: operator ?? addressOf(f.operator) },
              }),
            c.Class,
            c.args(f.rules, addressOf(f.stranger)),
            RULE_SENTENCES[c.title as keyof typeof RULE_SENTENCES],
          );
        });
      }
    });

    describe("input validation, before anything is sent", function () {
      const ACCOUNT_MESSAGE = "This action sends a transaction: connect a wallet or a signer with an account.";

      it("InvalidAddressError for a malformed address", async function () {
        const f = await loadFixture(membersFixture);
        const client = clientFor(kind, f.keeper, { pool: f.poolAddress, factory: f.factoryAddress });
        const e = await expectRefused(
          () => client.lapse({ member: "0x12345" as Address }),
          InvalidAddressError,
          'Invalid member: "0x12345" is not an address (0x followed by 40 hex digits).',
        );
        expect(e.parameter).to.equal("member");
        expect(e.value).to.equal("0x12345");
        const notHex = `0x${"g".repeat(40)}` as Address;
        await expectRefused(
          () => client.completeExit({ member: notHex }),
          InvalidAddressError,
          `Invalid member: "${notHex}" is not an address (0x followed by 40 hex digits).`,
        );
        const batch = await expectRefused(
          () => client.lapseBatch({ members: [addressOf(f.members[1]), "nope" as Address] }),
          InvalidAddressError,
          'Invalid members[1]: "nope" is not an address (0x followed by 40 hex digits).',
        );
        expect(batch.parameter).to.equal("members[1]");
        await expectRefused(
          () => client.getMemberStatement({ member: f.members[1].address.slice(0, 41) as Address }),
          InvalidAddressError,
          `Invalid member: "${f.members[1].address.slice(0, 41)}" is not an address (0x followed by 40 hex digits).`,
        );
        await expectRefused(
          () =>
            client.createPool({
              rules: { ...f.rules, asset: "0x" as Address },
              roles: { operator: addressOf(f.operator) },
            }),
          InvalidAddressError,
          'Invalid rules.asset: "0x" is not an address (0x followed by 40 hex digits).',
        );
        await expectRefused(
          () => client.signAttestation({ member: "0xabc" as Address, commitment: COMMITMENT, deadline: 1n }),
          InvalidAddressError,
          'Invalid member: "0xabc" is not an address (0x followed by 40 hex digits).',
        );
      });

      it("InvalidAmountError for a zero or negative amount", async function () {
        const f = await loadFixture(membersFixture);
        const member = clientFor(kind, f.members[0], { pool: f.poolAddress });
        const newcomer = clientFor(kind, f.members[5], { pool: f.poolAddress });
        const zero = await expectRefused(
          () => newcomer.join({ amount: 0n, commitment: COMMITMENT }),
          InvalidAmountError,
          'Invalid amount: "0" is below 1.',
        );
        expect(zero.parameter).to.equal("amount");
        expect(zero.value).to.equal("0");
        await expectRefused(
          () => newcomer.join({ amount: -5n, commitment: COMMITMENT }),
          InvalidAmountError,
          'Invalid amount: "-5" is below 1.',
        );
        await expectRefused(
          () => newcomer.joinWithPermit({ amount: 0n, commitment: COMMITMENT }),
          InvalidAmountError,
          'Invalid amount: "0" is below 1.',
        );
        await expectRefused(() => member.topUp({ amount: 0n }), InvalidAmountError, 'Invalid amount: "0" is below 1.');
        await expectRefused(
          () => member.withdraw({ amount: -1n }),
          InvalidAmountError,
          'Invalid amount: "-1" is below 1.',
        );
        await expectRefused(
          () => member.submitClaim({ amount: 0n, evidenceDigest: EVIDENCE }),
          InvalidAmountError,
          'Invalid amount: "0" is below 1.',
        );
        await expectRefused(
          () => member.topUp({ amount: 5 as unknown as bigint }),
          InvalidAmountError,
          'Invalid amount: "5" is not a bigint of base units.',
        );
      });

      it("InvalidParameterError for a malformed hash or salt, or a negative rule", async function () {
        const f = await loadFixture(claimFixture);
        const newcomer = clientFor(kind, f.members[5], { pool: f.poolAddress });
        const e = await expectRefused(
          () => newcomer.join({ amount: USD("100"), commitment: "0x1234" as `0x${string}` }),
          InvalidParameterError,
          'Invalid commitment: "0x1234" is not 32 bytes of hex (0x and 64 hex digits).',
        );
        expect(e.parameter).to.equal("commitment");
        const voter = clientFor(kind, f.members[1], { pool: f.poolAddress });
        await expectRefused(
          () => voter.commitVote({ claimId: 1n, support: true, salt: "0x00" as `0x${string}` }),
          InvalidParameterError,
          'Invalid salt: "0x00" is not 32 bytes of hex (0x and 64 hex digits).',
        );
        await expectRefused(
          () => voter.revealVote({ claimId: 1n, support: true, salt: "salt" as `0x${string}` }),
          InvalidParameterError,
          'Invalid salt: "salt" is not 32 bytes of hex (0x and 64 hex digits).',
        );
        await expectRefused(
          () => voter.submitClaim({ amount: USD("1"), evidenceDigest: "evidence" as `0x${string}` }),
          InvalidParameterError,
          'Invalid evidenceDigest: "evidence" is not 32 bytes of hex (0x and 64 hex digits).',
        );
        const assessor = clientFor(kind, f.assessor, { pool: f.poolAddress });
        await expectRefused(
          () => assessor.attachReview({ claimId: 1n, reviewDigest: `${EVIDENCE}00` as `0x${string}` }),
          InvalidParameterError,
          `Invalid reviewDigest: "${EVIDENCE}00" is not 32 bytes of hex (0x and 64 hex digits).`,
        );
        const admin = clientFor(kind, f.deployer, { factory: f.factoryAddress });
        await expectRefused(
          () =>
            admin.createPool({ rules: { ...f.rules, minDeposit: -1n }, roles: { operator: addressOf(f.operator) } }),
          InvalidParameterError,
          "Invalid rules.minDeposit: must be a non-negative bigint of base units.",
        );
      });

      it("MissingAccountError from a client that can only read", async function () {
        const f = await loadFixture(claimFixture);
        const reader = createHuzhuClient({ connector: readOnlyConnectorFor(kind), pool: f.poolAddress });
        const actions: Array<[string, (c: HuzhuClient) => Promise<unknown>]> = [
          ["join", (c) => c.join({ amount: USD("100"), commitment: COMMITMENT })],
          ["joinWithPermit", (c) => c.joinWithPermit({ amount: USD("100"), commitment: COMMITMENT })],
          ["topUp", (c) => c.topUp({ amount: USD("1") })],
          ["requestExit", (c) => c.requestExit()],
          ["completeExit", (c) => c.completeExit({ member: addressOf(f.members[1]) })],
          ["withdraw", (c) => c.withdraw({ amount: USD("1") })],
          ["submitClaim", (c) => c.submitClaim({ amount: USD("1"), evidenceDigest: EVIDENCE })],
          ["attachReview", (c) => c.attachReview({ claimId: 1n, reviewDigest: EVIDENCE })],
          ["deriveVoteSalt", (c) => c.deriveVoteSalt({ claimId: 1n })],
          ["commitVote", (c) => c.commitVote({ claimId: 1n, support: true })],
          ["revealVote (derived salt)", (c) => c.revealVote({ claimId: 1n, support: true })],
          ["revealVote (own salt)", (c) => c.revealVote({ claimId: 1n, support: true, salt: SALT })],
          ["resolve", (c) => c.resolve({ claimId: 1n })],
          ["settle", (c) => c.settle()],
          ["lapse", (c) => c.lapse({ member: addressOf(f.members[1]) })],
          ["lapseBatch", (c) => c.lapseBatch({ members: [addressOf(f.members[1])] })],
          ["withdrawPayout", (c) => c.withdrawPayout()],
          ["withdrawFees", (c) => c.withdrawFees()],
          [
            "signAttestation",
            (c) => c.signAttestation({ member: addressOf(f.members[5]), commitment: COMMITMENT, deadline: 1n }),
          ],
        ];
        for (const [name, action] of actions) {
          const error = await caught(action(reader));
          expect(error, name).to.be.instanceOf(MissingAccountError);
          expect((error as MissingAccountError).shortMessage, name).to.equal(ACCOUNT_MESSAGE);
        }
        const factoryReader = createHuzhuClient({ connector: readOnlyConnectorFor(kind), factory: f.factoryAddress });
        await expectRefused(
          () => factoryReader.createPool({ rules: f.rules, roles: { operator: addressOf(f.operator) } }),
          MissingAccountError,
          ACCOUNT_MESSAGE,
        );
      });

      it("MissingAccountError sends nothing", async function () {
        const f = await loadFixture(membersFixture);
        const reader = createHuzhuClient({ connector: readOnlyConnectorFor(kind), pool: f.poolAddress });
        await expectRefused(
          () => reader.join({ amount: USD("100"), commitment: COMMITMENT }),
          MissingAccountError,
          ACCOUNT_MESSAGE,
        );
        await expectRefused(() => reader.settle(), MissingAccountError, ACCOUNT_MESSAGE);
      });

      it("MissingAddressError when no pool or factory is set", async function () {
        const f = await loadFixture(membersFixture);
        const client = clientFor(kind, f.members[0]);
        const poolMessage = "No pool address: pass one, or load a deployments file that records it.";
        await expectRefused(
          () => client.join({ amount: USD("100"), commitment: COMMITMENT }),
          MissingAddressError,
          poolMessage,
        );
        await expectRefused(() => client.topUp({ amount: USD("1") }), MissingAddressError, poolMessage);
        await expectRefused(() => client.settle(), MissingAddressError, poolMessage);
        await expectRefused(() => client.commitVote({ claimId: 1n, support: true }), MissingAddressError, poolMessage);
        await expectRefused(() => client.getPool(), MissingAddressError, poolMessage);
        await expectRefused(
          () => client.getMemberStatement({ member: addressOf(f.members[0]) }),
          MissingAddressError,
          poolMessage,
        );
        await expectRefused(
          () => client.createPool({ rules: f.rules, roles: { operator: addressOf(f.operator) } }),
          MissingAddressError,
          "No factory address: pass one, or load a deployments file that records it.",
        );
        // An action's own `pool` parameter is enough.
        expect((await client.getPool({ pool: f.poolAddress })).memberCount).to.equal(5n);
      });
    });
  });
}

describe("generated error classes", function () {
  const abiErrors = [...poolAbi, ...factoryAbi, ...erc20PermitAbi].filter((item) => item.type === "error");

  function sample(param: AbiParameter, i: number): unknown {
    if (param.type === "address") return ethers.getAddress(`0x${String(i + 1).padStart(40, "a")}`);
    if (param.type === "bytes32") return ethers.id(`sample ${i}`);
    if (param.type === "bool") return true;
    if (param.type === "string") return `sample ${i}`;
    if (param.type === "uint8") return 2 + i;
    if (param.type.startsWith("uint")) return 1_000n + BigInt(i);
    if (param.type.startsWith("int")) return -1_000n - BigInt(i);
    throw new Error(`no sample for ${param.type}`);
  }

  it("the pool's, the factory's and the token's ABIs hold the errors the SDK is tested against", function () {
    const names = new Set<string>(abiErrors.map((e) => e.name));
    for (const name of ["MemberDepositTooLow", "VoteRevealMismatch", "PeriodNotEnded", "EnforcedPause"])
      expect(names.has(name), name).to.equal(true);
    for (const name of ["ERC20InsufficientBalance", "ERC2612ExpiredSignature", "FailedDeployment"])
      expect(names.has(name), name).to.equal(true);
  });

  it("every error in the ABIs has a generated class that decodes its revert data", function () {
    const poolErrors = poolAbi.filter((item) => item.type === "error");
    expect(poolErrors.length).to.be.greaterThan(40);
    for (const item of abiErrors) {
      const Class = contractErrors[item.name as keyof typeof contractErrors];
      expect(Class, item.name).to.not.equal(undefined);
      expect(Class.name).to.equal(`${item.name}Error`);
      const values = item.inputs.map(sample);
      const data = encodeErrorResult({ abi: [item], errorName: item.name, args: values } as never);
      const error = toHuzhuError({ data }) as ContractRevertError;
      expect(error, item.name).to.be.instanceOf(Class);
      expect(error).to.be.instanceOf(ContractRevertError);
      expect(error.errorName).to.equal(item.name);
      expect(error.name).to.equal(`${item.name}Error`);
      item.inputs.forEach((input, i) => {
        expect((error as unknown as Record<string, unknown>)[input.name!], `${item.name}.${input.name}`).to.deep.equal(
          values[i],
        );
        expect(error.args[input.name!]).to.deep.equal(values[i]);
      });
      expect(Object.keys(error.args)).to.deep.equal(item.inputs.map((input) => input.name));
      // A plain sentence: capitalised, ends with a full stop, not the generator's fallback.
      expect(error.shortMessage, item.name).to.match(/^[A-Z][^\n]*\.$/);
      expect(error.shortMessage, item.name).to.not.match(/reverted with/);
    }
  });

  it("every generated class is one of the ABIs' errors", function () {
    const names = new Set<string>(abiErrors.map((e) => e.name));
    expect(Object.keys(contractErrors).filter((name) => !names.has(name))).to.deep.equal([]);
  });

  it("revert data of no known error becomes an UnknownRevertError; other errors pass through", function () {
    const unknown = toHuzhuError({ data: "0xdeadbeef" });
    expect(unknown).to.be.instanceOf(UnknownRevertError);
    expect((unknown as UnknownRevertError).data).to.equal("0xdeadbeef");
    expect((unknown as UnknownRevertError).shortMessage).to.equal(
      "The transaction reverted for a reason the SDK does not know.",
    );
    const plain = new Error("network down");
    expect(toHuzhuError(plain)).to.equal(plain);
    const nested = toHuzhuError({
      cause: { error: { data: encodeErrorResult({ abi: poolAbi, errorName: "ClaimZeroReview" }) } },
    });
    expect(nested).to.be.instanceOf(ClaimZeroReviewError);
  });
});
