import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  ClaimState,
  ConfigFeeAboveMaximumError,
  InvalidAddressError,
  MemberStatus,
  createHuzhuClient,
  identityCommitment,
  voteCommitment,
} from "../../sdk/src";
import type { Address } from "../../sdk/src";
import { DAY, commitmentOf, drawJury, endPeriod, voteOn } from "../helpers/fixtures";
import {
  EVIDENCE,
  KINDS,
  USD,
  ZERO_ADDRESS,
  ZERO_HASH,
  approvedFixture,
  claimFixture,
  clientFor,
  connectorFor,
  deployFixture,
  membersFixture,
  readOnlyConnectorFor,
  rulesFor,
  sentBy,
  settledFixture,
  verifierFixture,
} from "./helpers";

const SALT = ethers.id("identity salt") as `0x${string}`;
const REVIEW = ethers.id("assessor review") as `0x${string}`;
const SHARE = USD("10.8"); // (50 paid + 4 fee) / 5 members, exact

const addressOf = (signer: { address: string }) => signer.address as Address;

for (const kind of KINDS) {
  describe(`sdk actions with a ${kind} client`, function () {
    describe("createPool", function () {
      it("creates a pool through the factory and returns its address", async function () {
        const f = await loadFixture(deployFixture);
        const admin = clientFor(kind, f.deployer, { factory: f.factoryAddress });
        const { pool, receipt } = await admin.createPool({
          rules: f.rules,
          roles: { operator: addressOf(f.operator) },
        });
        expect(receipt.status).to.equal("success");
        expect(await f.factory.isPool(pool)).to.equal(true);
        expect(await f.factory.poolAt((await f.factory.poolCount()) - 1n)).to.equal(pool);
        const info = await admin.getPool({ pool });
        expect(info.rules).to.deep.equal(f.rules);
        expect(info.roles).to.deep.equal({
          operator: f.operator.address,
          verifier: ZERO_ADDRESS,
          assessor: ZERO_ADDRESS,
          guardian: ZERO_ADDRESS,
        });
      });

      it("rejects rules the pool refuses with the Config error", async function () {
        const f = await loadFixture(deployFixture);
        const admin = clientFor(kind, f.deployer, { factory: f.factoryAddress });
        const count = await f.factory.poolCount();
        const error = await admin
          .createPool({ rules: { ...f.rules, feeBps: 1_001 }, roles: { operator: addressOf(f.operator) } })
          .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(ConfigFeeAboveMaximumError);
        expect((error as ConfigFeeAboveMaximumError).feeBps).to.equal(1_001n);
        expect(await f.factory.poolCount()).to.equal(count);
      });

      it("rejects a malformed role address before sending", async function () {
        const f = await loadFixture(deployFixture);
        const admin = clientFor(kind, f.deployer, { factory: f.factoryAddress });
        await expect(
          admin.createPool({ rules: f.rules, roles: { operator: addressOf(f.operator), assessor: "0x1234" } }),
        ).to.be.rejectedWith(InvalidAddressError, 'Invalid roles.assessor: "0x1234" is not an address');
      });
    });

    describe("join", function () {
      it("approves the deposit itself, then joins: two transactions, no allowance left", async function () {
        const f = await loadFixture(deployFixture);
        const member = f.members[5];
        const client = clientFor(kind, member, { pool: f.poolAddress });
        const commitment = identityCommitment("member five", SALT);
        const sent = await sentBy(member);
        const receipt = await client.join({ amount: USD("150"), commitment });
        expect(receipt.status).to.equal("success");
        expect(await sentBy(member)).to.equal(sent + 2);
        expect(await f.token.allowance(member.address, f.poolAddress)).to.equal(0n);
        expect(await f.token.balanceOf(member.address)).to.equal(USD("850"));
        expect(await f.token.balanceOf(f.poolAddress)).to.equal(USD("150"));
        expect(await f.pool.commitmentOwner(commitment)).to.equal(member.address);
        const statement = await client.getMemberStatement({ member: addressOf(member) });
        expect(statement.statusName).to.equal("Waiting");
        expect(statement.credit).to.equal(USD("150"));
        expect(statement.balance).to.equal(USD("150"));
      });

      it("sends only the join when the allowance is already there", async function () {
        const f = await loadFixture(deployFixture);
        const member = f.members[5];
        await f.token.connect(member).approve(f.poolAddress, USD("100"));
        const client = clientFor(kind, member, { pool: f.poolAddress });
        const sent = await sentBy(member);
        await client.join({ amount: USD("100"), commitment: identityCommitment("member five", SALT) });
        expect(await sentBy(member)).to.equal(sent + 1);
        expect(await f.pool.memberCount()).to.equal(1n);
      });
    });

    describe("joinWithPermit", function () {
      it("joins in one transaction: no approve is sent and no allowance is left", async function () {
        const f = await loadFixture(deployFixture);
        const member = f.members[5];
        const client = clientFor(kind, member, { pool: f.poolAddress });
        const commitment = identityCommitment("member five", SALT);
        const sent = await sentBy(member);
        const block = await ethers.provider.getBlockNumber();
        const receipt = await client.joinWithPermit({ amount: USD("100"), commitment });
        expect(await sentBy(member)).to.equal(sent + 1);
        expect(await ethers.provider.getBlockNumber()).to.equal(block + 1);
        expect(receipt.blockNumber).to.equal(BigInt(block + 1));
        expect(receipt.status).to.equal("success");
        expect(await f.token.nonces(member.address)).to.equal(1n);
        expect(await f.token.allowance(member.address, f.poolAddress)).to.equal(0n);
        expect(await f.token.balanceOf(f.poolAddress)).to.equal(USD("100"));
        expect(await f.pool.statusOf(member.address)).to.equal(BigInt(MemberStatus.Waiting));
      });
    });

    describe("topUp", function () {
      it("approves and adds to the member's credit", async function () {
        const f = await loadFixture(membersFixture);
        const member = f.members[0];
        const client = clientFor(kind, member, { pool: f.poolAddress });
        const sent = await sentBy(member);
        await client.topUp({ amount: USD("25.5") });
        expect(await sentBy(member)).to.equal(sent + 2);
        const statement = await client.getMemberStatement({ member: addressOf(member) });
        expect(statement.credit).to.equal(USD("125.5"));
        expect(statement.balance).to.equal(USD("125.5"));
        expect(await f.token.balanceOf(f.poolAddress)).to.equal(USD("525.5"));
        expect(await f.token.allowance(member.address, f.poolAddress)).to.equal(0n);
      });
    });

    describe("requestExit and completeExit", function () {
      it("requestExit keeps the member counted, bound to the claims submitted before it", async function () {
        const f = await loadFixture(claimFixture);
        const member = f.members[1];
        const client = clientFor(kind, member, { pool: f.poolAddress });
        await client.requestExit();
        const statement = await client.getMemberStatement({ member: addressOf(member) });
        expect(statement.status).to.equal(MemberStatus.Exiting);
        expect(statement.statusName).to.equal("Exiting");
        expect(statement.exitClaimBound).to.equal(2n);
        expect((await client.getPool()).memberCount).to.equal(5n);
      });

      it("completeExit, sent by anyone, takes a served exit out of the count", async function () {
        const f = await loadFixture(membersFixture);
        const member = f.members[1];
        await f.pool.connect(member).requestExit();
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        await keeper.completeExit({ member: addressOf(member) });
        const statement = await keeper.getMemberStatement({ member: addressOf(member) });
        expect(statement.statusName).to.equal("Exited");
        expect(statement.charged).to.equal(0n);
        expect(statement.balance).to.equal(USD("100"));
        expect((await keeper.getPool()).memberCount).to.equal(4n);
      });
    });

    describe("withdraw", function () {
      it("a counted member takes what is above the minimum balance", async function () {
        const f = await loadFixture(membersFixture);
        const member = f.members[1];
        const client = clientFor(kind, member, { pool: f.poolAddress });
        await client.withdraw({ amount: USD("40") });
        expect(await f.token.balanceOf(member.address)).to.equal(USD("1040"));
        const statement = await client.getMemberStatement({ member: addressOf(member) });
        expect(statement.credit).to.equal(USD("60"));
        expect(statement.balance).to.equal(USD("60"));
      });

      it("an exited member takes everything", async function () {
        const f = await loadFixture(membersFixture);
        const member = f.members[1];
        await f.pool.connect(member).requestExit();
        await f.pool.completeExit(member.address);
        const client = clientFor(kind, member, { pool: f.poolAddress });
        await client.withdraw({ amount: USD("100") });
        expect(await f.token.balanceOf(member.address)).to.equal(USD("1100"));
        expect((await client.getMemberStatement({ member: addressOf(member) })).balance).to.equal(0n);
      });
    });

    describe("submitClaim", function () {
      it("posts the bond and returns the new claim's id", async function () {
        const f = await loadFixture(membersFixture);
        const first = clientFor(kind, f.members[0], { pool: f.poolAddress });
        const second = clientFor(kind, f.members[1], { pool: f.poolAddress });
        const sent = await sentBy(f.members[0]);
        const { claimId, receipt } = await first.submitClaim({
          amount: USD("50"),
          evidenceDigest: EVIDENCE,
          uri: "ipfs://encrypted",
        });
        expect(claimId).to.equal(1n);
        expect(receipt.status).to.equal("success");
        expect(await sentBy(f.members[0])).to.equal(sent + 2);
        expect(await f.token.balanceOf(f.members[0].address)).to.equal(USD("995"));
        const other = ethers.id("other evidence") as `0x${string}`;
        expect((await second.submitClaim({ amount: USD("70"), evidenceDigest: other })).claimId).to.equal(2n);
        const claim = await first.getClaim({ claimId: 1n });
        expect(claim.claimant).to.equal(f.members[0].address);
        expect(claim.amount).to.equal(USD("50"));
        expect(claim.bond).to.equal(USD("5"));
        expect((await first.getMemberStatement({ member: addressOf(f.members[0]) })).openClaimId).to.equal(1n);
      });
    });

    describe("attachReview", function () {
      it("the assessor attaches a review digest", async function () {
        const f = await loadFixture(claimFixture);
        const assessor = clientFor(kind, f.assessor, { pool: f.poolAddress });
        await assessor.attachReview({ claimId: 1n, reviewDigest: REVIEW });
        expect((await assessor.getClaim({ claimId: 1n })).reviewDigest).to.equal(REVIEW);
      });
    });

    describe("commitVote and revealVote", function () {
      it("derives the same salt every time, for this claim only", async function () {
        const f = await loadFixture(claimFixture);
        const voter = clientFor(kind, f.members[1], { pool: f.poolAddress });
        const salt = await voter.deriveVoteSalt({ claimId: 1n });
        expect(salt).to.match(/^0x[0-9a-f]{64}$/);
        expect(await voter.deriveVoteSalt({ claimId: 1n })).to.equal(salt);
        expect(await voter.deriveVoteSalt({ claimId: 2n })).to.not.equal(salt);
        const other = clientFor(kind, f.members[2], { pool: f.poolAddress });
        expect(await other.deriveVoteSalt({ claimId: 1n })).to.not.equal(salt);
      });

      it("commits with a derived salt and the round, and a fresh client of the same account reveals it", async function () {
        const f = await loadFixture(claimFixture);
        const [account] = await drawJury(f.pool, 1n);
        const voter = clientFor(kind, account, { pool: f.poolAddress });
        const salt = await voter.deriveVoteSalt({ claimId: 1n });
        const committed = await voter.commitVote({ claimId: 1n, support: true });
        expect(committed.salt).to.equal(salt);
        expect(committed.round).to.equal(0n);
        expect(committed.commitment).to.equal(voteCommitment(1n, 0n, addressOf(account), true, salt));
        expect(committed.commitment).to.equal(await f.pool.voteCommitment(1n, 0n, account.address, true, salt));
        expect((await f.pool.jurorVote(1n, account.address)).vote).to.equal(2n); // Committed

        await time.increaseTo((await f.pool.round(1n, 0n)).commitEndsAt);
        // Another device: a new connector for the same account, nothing kept from the commit.
        const elsewhere = clientFor(kind, account, { pool: f.poolAddress });
        await elsewhere.revealVote({ claimId: 1n, support: true });
        const round = await elsewhere.getRound({ claimId: 1n });
        expect(round.approvals).to.equal(1n);
        expect(round.rejections).to.equal(0n);
        expect((await f.pool.jurorVote(1n, account.address)).vote).to.equal(3n); // Approved
      });

      it("derives the same salt from the other client library", async function () {
        const f = await loadFixture(claimFixture);
        const voter = clientFor(kind, f.members[1], { pool: f.poolAddress });
        const otherKind = kind === "ethers" ? "viem" : "ethers";
        const other = clientFor(otherKind, f.members[1], { pool: f.poolAddress });
        expect(await other.deriveVoteSalt({ claimId: 1n })).to.equal(await voter.deriveVoteSalt({ claimId: 1n }));
      });

      it("commits and reveals with a caller-supplied salt", async function () {
        const f = await loadFixture(claimFixture);
        const [, account] = await drawJury(f.pool, 1n);
        const voter = clientFor(kind, account, { pool: f.poolAddress });
        const salt = ethers.id("my own salt") as `0x${string}`;
        const committed = await voter.commitVote({ claimId: 1n, support: false, salt });
        expect(committed.salt).to.equal(salt);
        expect(committed.commitment).to.equal(await f.pool.voteCommitment(1n, 0n, account.address, false, salt));
        await time.increaseTo((await f.pool.round(1n, 0n)).commitEndsAt);
        await voter.revealVote({ claimId: 1n, support: false, salt });
        const round = await voter.getRound({ claimId: 1n, round: 0n });
        expect(round.approvals).to.equal(0n);
        expect(round.rejections).to.equal(1n);
      });
    });

    describe("resolve", function () {
      it("records the outcome at the end of the timetable and refunds an approved claim's bond", async function () {
        const f = await loadFixture(claimFixture);
        const jurors = await drawJury(f.pool, 1n);
        await voteOn(f.pool, 1n, [
          [jurors[0], true],
          [jurors[1], true],
          [jurors[2], false],
        ]);
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        await time.increaseTo((await keeper.getClaim({ claimId: 1n })).resolvesAt);
        await keeper.resolve({ claimId: 1n });
        const claim = await keeper.getClaim({ claimId: 1n });
        expect(claim.state).to.equal(ClaimState.Approved);
        expect(claim.stateName).to.equal("Approved");
        expect(claim.verdictName).to.equal("Approve");
        const round = await keeper.getRound({ claimId: 1n, round: 0n });
        expect([round.approvals, round.rejections]).to.deep.equal([2n, 1n]);
        const statement = await keeper.getMemberStatement({ member: addressOf(f.members[0]) });
        expect(statement.payout).to.equal(USD("5"));
        expect(statement.openClaimId).to.equal(1n);
      });
    });

    describe("settle and settleDue", function () {
      it("settle settles the next period by default and returns its part", async function () {
        const f = await loadFixture(approvedFixture);
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        const period = await f.pool.currentPeriod();
        await endPeriod(f.pool, period);
        // The earlier periods pay nothing: one call closes them all, up to the first with a claim.
        const { parts } = await keeper.settle();
        expect(parts.map((p) => p.period)).to.deep.equal(Array.from({ length: Number(period) }, (_, i) => BigInt(i)));
        const { parts: paid } = await keeper.settle({ period });
        expect(paid).to.have.length(1);
        expect(paid[0]).to.include({ period, part: 0n, claimsPaid: 1n, closed: true, share: SHARE });
        expect(paid[0].payouts).to.equal(USD("50"));
        expect(paid[0].fee).to.equal(USD("4"));
        const info = await keeper.getPool();
        expect(info.nextPeriodToSettle).to.equal(period + 1n);
        expect(info.nextPart).to.equal(0n);
        expect(info.chargeIndex).to.equal(SHARE);
        expect(info.feesAccrued).to.equal(USD("4"));
        expect((await keeper.getClaim({ claimId: 1n })).stateName).to.equal("Paid");
      });

      it("settleDue settles every ended period, part after part, and stops at the open one", async function () {
        const f = await loadFixture(approvedFixture);
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        const period = await f.pool.currentPeriod();
        await endPeriod(f.pool, period);
        const due = await keeper.settleDue();
        expect(due.nextPeriodToSettle).to.equal(period + 1n);
        expect(due.parts.every((p) => p.closed)).to.equal(true);
        expect(due.parts.reduce((n, p) => n + p.claimsPaid, 0n)).to.equal(1n);
        expect((await keeper.getPool()).chargeIndex).to.equal(SHARE);
        const again = await keeper.settleDue();
        expect(again.receipts).to.have.length(0);
        expect(again.nextPeriodToSettle).to.equal(period + 1n);
      });
    });

    describe("flag, lapse and lapseBatch", function () {
      it("flag starts the grace; lapse after it is a forced exit notice (Lapsing, still counted)", async function () {
        const f = await loadFixture(settledFixture);
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        const member = addressOf(f.members[1]);
        const flagged = await keeper.flag({ member });
        expect(flagged.balance).to.equal(USD("60") - SHARE);
        expect(flagged.lapsableAt).to.equal(BigInt(await time.latest()) + BigInt(14 * DAY));
        expect((await keeper.getMemberStatement({ member })).lapsableAt).to.equal(flagged.lapsableAt);
        await time.increaseTo(flagged.lapsableAt);
        await keeper.lapse({ member });
        const statement = await keeper.getMemberStatement({ member });
        expect(statement.status).to.equal(MemberStatus.Lapsing);
        expect(statement.statusName).to.equal("Lapsing");
        expect(statement.charged).to.equal(SHARE);
        expect((await keeper.getPool()).memberCount).to.equal(5n);
        await keeper.completeExit({ member });
        expect((await keeper.getMemberStatement({ member })).statusName).to.equal("Lapsed");
        expect((await keeper.getPool()).memberCount).to.equal(4n);
      });

      it("lapseBatch flags the underfunded ones, then lapses them after the grace, skipping the rest", async function () {
        const f = await loadFixture(settledFixture);
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        const everyone = [...f.members, f.stranger].map(addressOf);
        const first = await keeper.lapseBatch({ members: everyone });
        expect(first.flagged).to.deep.equal([addressOf(f.members[1]), addressOf(f.members[2])]);
        expect(first.lapsed).to.deep.equal([]);
        expect(first.receipt.status).to.equal("success");
        const inGrace = await keeper.lapseBatch({ members: everyone });
        expect([inGrace.flagged, inGrace.lapsed]).to.deep.equal([[], []]);
        await time.increase(14 * DAY);
        const second = await keeper.lapseBatch({ members: everyone });
        expect(second.lapsed).to.deep.equal([addressOf(f.members[1]), addressOf(f.members[2])]);
        expect((await keeper.getMemberStatement({ member: addressOf(f.members[2]) })).statusName).to.equal("Lapsing");
        expect((await keeper.getMemberStatement({ member: addressOf(f.members[3]) })).statusName).to.equal("Active");
      });

      it("join takes a lapsed member back with the same commitment and keeps the balance", async function () {
        const f = await loadFixture(settledFixture);
        const member = f.members[1];
        const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
        await keeper.flag({ member: addressOf(member) });
        await time.increase(14 * DAY);
        await keeper.lapse({ member: addressOf(member) });
        await keeper.completeExit({ member: addressOf(member) });
        const client = clientFor(kind, member, { pool: f.poolAddress });
        const commitment = commitmentOf(member.address) as `0x${string}`;
        await client.join({ amount: USD("100"), commitment });
        const back = await client.getMemberStatement({ member: addressOf(member) });
        expect(back.statusName).to.equal("Waiting");
        expect(back.balance).to.equal(USD("160") - SHARE);
      });
    });

    describe("withdrawPayout and withdrawFees", function () {
      it("the claimant takes the payout and the refunded bond", async function () {
        const f = await loadFixture(settledFixture);
        const claimant = clientFor(kind, f.members[0], { pool: f.poolAddress });
        const before = await f.token.balanceOf(f.members[0].address);
        await claimant.withdrawPayout();
        expect(await f.token.balanceOf(f.members[0].address)).to.equal(before + USD("55"));
        expect((await claimant.getMemberStatement({ member: addressOf(f.members[0]) })).payout).to.equal(0n);
      });

      it("the operator takes the accrued fee", async function () {
        const f = await loadFixture(settledFixture);
        const operator = clientFor(kind, f.operator, { pool: f.poolAddress });
        await operator.withdrawFees();
        expect(await f.token.balanceOf(f.operator.address)).to.equal(USD("4"));
        expect((await operator.getPool()).feesAccrued).to.equal(0n);
      });
    });

    describe("signAttestation", function () {
      it("the verifier's attestation lets a member join a pool that has a verifier", async function () {
        const f = await loadFixture(verifierFixture);
        const member = f.members[5];
        const commitment = identityCommitment("verified person", SALT);
        const deadline = BigInt(await time.latest()) + 3_600n;
        const verifier = clientFor(kind, f.verifier, { pool: f.verifiedAddress });
        const attestation = await verifier.signAttestation({ member: addressOf(member), commitment, deadline });
        expect(attestation.deadline).to.equal(deadline);
        expect(attestation.signature).to.match(/^0x[0-9a-f]{130}$/);
        const client = clientFor(kind, member, { pool: f.verifiedAddress });
        await client.join({ amount: USD("100"), commitment, attestation });
        expect(await f.verified.commitmentOwner(commitment)).to.equal(member.address);
        expect((await client.getMemberStatement({ member: addressOf(member) })).statusName).to.equal("Waiting");
      });
    });

    describe("reads", function () {
      it("getPool returns the rules, roles, token and live figures", async function () {
        const f = await loadFixture(membersFixture);
        const client = clientFor(kind, f.stranger, { pool: f.poolAddress });
        expect(await client.getPool()).to.deep.equal({
          address: f.poolAddress,
          rules: rulesFor(f.tokenAddress),
          roles: {
            operator: f.operator.address,
            verifier: ZERO_ADDRESS,
            assessor: f.assessor.address,
            guardian: f.guardian.address,
          },
          token: { address: f.tokenAddress, symbol: "TUSD", decimals: 6 },
          startedAt: await f.pool.startedAt(),
          memberCount: 5n,
          chargeIndex: 0n,
          currentPeriod: await f.pool.currentPeriod(),
          nextPeriodToSettle: 0n,
          claimCount: 0n,
          surplus: 0n,
          deficit: 0n,
          feesAccrued: 0n,
          paused: false,
          isOpenPool: true,
          claimTimetable: BigInt(2 * 7 * DAY),
          nextPart: 0n,
        });
        await f.pool.connect(f.guardian).pause();
        expect((await client.getPool()).paused).to.equal(true);
      });

      it("getMemberStatement: a new member waits until eligibleAt, a stranger has status None", async function () {
        const f = await loadFixture(deployFixture);
        const member = f.members[5];
        const client = clientFor(kind, member, { pool: f.poolAddress });
        await client.join({ amount: USD("100"), commitment: identityCommitment("member five", SALT) });
        const joinedAt = BigInt(await time.latest());
        const statement = await client.getMemberStatement({ member: addressOf(member) });
        expect(statement).to.deep.equal({
          member: member.address,
          status: MemberStatus.Waiting,
          statusName: "Waiting",
          eligibleAt: joinedAt + BigInt(30 * DAY),
          credit: USD("100"),
          charged: 0n,
          balance: USD("100"),
          exitClaimBound: 0n,
          lapsableAt: 0n,
          payout: 0n,
          openClaimId: 0n,
        });
        await time.increaseTo(joinedAt + BigInt(30 * DAY));
        expect((await client.getMemberStatement({ member: addressOf(member) })).statusName).to.equal("Active");
        const stranger = await client.getMemberStatement({ member: addressOf(f.stranger) });
        expect(stranger.statusName).to.equal("None");
        expect(stranger.credit).to.equal(0n);
        expect(stranger.balance).to.equal(0n);
      });

      it("getMemberStatement after a settlement: charges, balance, payout, claim closed", async function () {
        const f = await loadFixture(settledFixture);
        const client = clientFor(kind, f.stranger, { pool: f.poolAddress });
        const claimant = await client.getMemberStatement({ member: addressOf(f.members[0]) });
        expect(claimant.statusName).to.equal("Active");
        expect(claimant.credit).to.equal(USD("100"));
        expect(claimant.charged).to.equal(SHARE);
        expect(claimant.balance).to.equal(USD("89.2"));
        expect(claimant.payout).to.equal(USD("55"));
        expect(claimant.openClaimId).to.equal(0n);
        const withdrew = await client.getMemberStatement({ member: addressOf(f.members[1]) });
        expect(withdrew.credit).to.equal(USD("60"));
        expect(withdrew.charged).to.equal(SHARE);
        expect(withdrew.balance).to.equal(USD("49.2"));
      });

      it("getClaim and getRound follow the claim through its states and rounds", async function () {
        const f = await loadFixture(claimFixture);
        const client = clientFor(kind, f.stranger, { pool: f.poolAddress });
        expect(await client.getClaim({ claimId: 1n })).to.deep.equal({
          id: 1n,
          claimant: f.members[0].address,
          state: ClaimState.Drawing,
          stateName: "Drawing",
          amount: USD("50"),
          bond: USD("5"),
          feeBps: 800n,
          evidenceDigest: EVIDENCE,
          reviewDigest: ZERO_HASH,
          submittedAt: f.submittedAt,
          round: 0n,
          verdict: 0,
          verdictName: "None",
          appellant: ZERO_ADDRESS,
          resolvesAt: f.submittedAt + BigInt(14 * DAY),
        });
        const before = await client.getRound({ claimId: 1n });
        expect(before).to.include({ claimId: 1n, round: 0n, drawn: false, tallied: false, seats: 0n, seatsTarget: 3n });
        expect(before.opensAt).to.equal(f.submittedAt);
        expect(before.commitEndsAt).to.equal(f.submittedAt + BigInt(3 * DAY));
        expect(before.revealEndsAt).to.equal(f.submittedAt + BigInt(5 * DAY));
        expect(before.appealEndsAt).to.equal(f.submittedAt + BigInt(7 * DAY));
        expect(before.jurors).to.deep.equal([]);
        const jurors = await drawJury(f.pool, 1n);
        expect((await client.getClaim({ claimId: 1n })).stateName).to.equal("Committing");
        const drawn = await client.getRound({ claimId: 1n, round: 0n });
        expect(drawn).to.include({ drawn: true, seats: 3n, quorum: 2n });
        expect(drawn.jurors).to.deep.equal(jurors.map((j) => j.address));
        await time.increaseTo(f.submittedAt + BigInt(3 * DAY));
        expect((await client.getClaim({ claimId: 1n })).stateName).to.equal("Revealing");
        await time.increaseTo(f.submittedAt + BigInt(5 * DAY));
        expect((await client.getClaim({ claimId: 1n })).stateName).to.equal("Tallying");
        await time.increaseTo(f.submittedAt + BigInt(14 * DAY));
        expect((await client.getClaim({ claimId: 1n })).stateName).to.equal("Resolvable");
        expect((await client.getClaim({ claimId: 2n })).stateName).to.equal("None");
      });

      it("getPeriod: unsettled, then its part and totals", async function () {
        const f = await loadFixture(approvedFixture);
        const client = clientFor(kind, f.stranger, { pool: f.poolAddress });
        const period = await f.pool.currentPeriod();
        const before = await client.getPeriod({ period });
        expect(before).to.deep.equal({
          period,
          settled: false,
          parts: [],
          members: 0n,
          claimsPaid: 0n,
          share: 0n,
          chargeIndex: 0n,
        });
        await endPeriod(f.pool, period);
        await clientFor(kind, f.keeper, { pool: f.poolAddress }).settleDue();
        expect(await client.getPeriod({ period })).to.deep.equal({
          period,
          settled: true,
          parts: [{ part: 0n, members: 5n, claimsPaid: 1n, share: SHARE, chargeIndex: SHARE, closed: true }],
          members: 5n,
          claimsPaid: 1n,
          share: SHARE,
          chargeIndex: SHARE,
        });
        expect((await client.getPeriod({ period: period + 1n })).settled).to.equal(false);
      });

      it("getUnderfundedMembers lists exactly the counted members below the minimum, from events", async function () {
        const f = await loadFixture(settledFixture);
        const client = clientFor(kind, f.keeper, { pool: f.poolAddress });
        const underfunded = [
          { member: f.members[1].address, balance: USD("49.2"), minBalance: USD("60"), lapsableAt: 0n },
          { member: f.members[2].address, balance: USD("49.2"), minBalance: USD("60"), lapsableAt: 0n },
        ];
        expect(await client.getUnderfundedMembers()).to.deep.equal(underfunded);
        expect(await client.getUnderfundedMembers({ blockRange: 3n })).to.deep.equal(underfunded);
        const { lapsableAt } = await client.flag({ member: addressOf(f.members[1]) });
        expect((await client.getUnderfundedMembers())[0].lapsableAt).to.equal(lapsableAt);
        await time.increaseTo(lapsableAt);
        await client.lapse({ member: addressOf(f.members[1]) });
        expect(await client.getUnderfundedMembers()).to.deep.equal(underfunded.slice(1));
      });

      it("getUnderfundedMembers is empty when every member is funded", async function () {
        const f = await loadFixture(membersFixture);
        const client = clientFor(kind, f.keeper, { pool: f.poolAddress });
        expect(await client.getUnderfundedMembers()).to.deep.equal([]);
      });

      it("reads work from a client without an account", async function () {
        const f = await loadFixture(settledFixture);
        const reader = createHuzhuClient({ connector: readOnlyConnectorFor(kind), pool: f.poolAddress });
        expect((await reader.getPool()).memberCount).to.equal(5n);
        expect((await reader.getMemberStatement({ member: addressOf(f.members[0]) })).payout).to.equal(USD("55"));
        expect((await reader.getPeriod({ period: f.settledPeriod })).share).to.equal(SHARE);
        expect(await reader.getUnderfundedMembers()).to.have.length(2);
        expect(connectorFor(kind, f.keeper).library).to.equal(kind);
      });
    });
  });
}
