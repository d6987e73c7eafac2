import { expect } from "chai";
import { Wallet, id } from "ethers";
import {
  ClaimState,
  MemberAlreadyJoinedError,
  MemberStatus,
  JurorNotSeatedError,
  JurySeedNotReadyError,
  UnexpectedClaimStateError,
  createHuzhuClient,
  identityCommitment,
  parseAmount,
  type Address,
  type HuzhuClient,
  type Rules,
} from "../../sdk/src";
import { deployHuzhu } from "../../sdk/src/node";
import { MockERC20__factory, type MockERC20 } from "../../typechain-types";
import { hardhatKey, startHardhatNode, type HardhatNode } from "../helpers/hardhatNode";
import { IntegratorClients } from "../helpers/integratorClients";

const PORT = 8634;
const DAY = 24 * 60 * 60;
const USD = (amount: string) => parseAmount(amount, 6);
const ZERO_SALT = `0x${"00".repeat(32)}` as const;
const ZERO_ADDRESS = `0x${"00".repeat(20)}` as Address;

/**
 * The real client path: a `hardhat node` over HTTP JSON-RPC, ethers `Wallet`s on a `JsonRpcProvider`
 * and viem wallet clients with local accounts over `http()`, each signing its own transactions.
 */
describe("sdk over HTTP JSON-RPC with ethers wallets and viem local accounts @json-rpc", function () {
  this.timeout(300_000);

  let node: HardhatNode;
  let token: MockERC20;
  let factory: Address;
  let rules: Rules;
  let operatorAddress: Address;
  let pool: Address;
  let claimId: bigint;
  const addresses: Record<"alice" | "bob" | "carol" | "dave", Address> = {} as never;
  const clients: Record<"admin" | "operator" | "alice" | "bob" | "carol" | "dave", HuzhuClient> = {} as never;

  let integrator: IntegratorClients;
  const ethersClient = (index: number) => integrator.client("ethers", index, { factory });
  const viemClient = (index: number) => integrator.client("viem", index, { factory });
  /** Binds a client to the pool once it exists. */
  const on = (client: HuzhuClient) => createHuzhuClient({ connector: client.connector, pool });
  const txCount = (address: Address) => node.provider().getTransactionCount(address);

  before(async function () {
    node = await startHardhatNode(PORT);
    integrator = new IntegratorClients(node.url);
    const deployer = node.wallet(0);
    token = await new MockERC20__factory(deployer).deploy("Test USD", "TUSD", 6);
    ({
      deployment: {
        factory: { address: factory },
      },
    } = await deployHuzhu(deployer));
    rules = {
      asset: (await token.getAddress()) as Address,
      randomness: ZERO_ADDRESS,
      waitingPeriod: 90 * DAY,
      periodLength: 14 * DAY,
      commitWindow: 3 * DAY,
      revealWindow: 2 * DAY,
      appealWindow: 2 * DAY,
      lapseGrace: 14 * DAY,
      minDeposit: USD("600"),
      minBalance: USD("600"),
      maxClaimsPerPeriod: 5,
      feeBps: 800,
      jurySize: 3,
      maxAppealRounds: 1,
      quorumBps: 6_000,
      approvalThresholdBps: 6_000,
      maxClaimAmount: USD("300000"),
      capPerMember: USD("100"),
      claimBond: USD("5"),
      appealBond: USD("10"),
      jurorPenalty: USD("1"),
      annualChargeCap: 0n,
      maxPayoutPerMember: 0n,
    };
    operatorAddress = node.wallet(1).address as Address;
    const names = ["alice", "bob", "carol", "dave"] as const;
    for (const [i, name] of names.entries()) {
      addresses[name] = new Wallet(hardhatKey(i + 2)).address as Address;
      await (await token.mint(addresses[name], USD("2000"))).wait();
    }
    clients.admin = ethersClient(0);
    clients.operator = viemClient(1);
    clients.alice = ethersClient(2);
    clients.bob = viemClient(3);
    clients.carol = ethersClient(4);
    clients.dave = viemClient(5);
  });

  after(async function () {
    integrator?.close();
    await node?.stop();
  });

  it("creates a pool through the factory from an ethers Wallet", async function () {
    ({ pool } = await clients.admin.createPool({ rules, roles: { operator: operatorAddress } }));
    for (const name of ["admin", "operator", "alice", "bob", "carol", "dave"] as const)
      clients[name] = on(clients[name]);
    const info = await clients.bob.getPool();
    expect(info.address).to.equal(pool);
    expect(info.rules).to.deep.equal(rules);
    expect(info.roles.operator).to.equal(operatorAddress);
    expect(info.token).to.deep.equal({ address: rules.asset, symbol: "TUSD", decimals: 6 });
    expect(info.memberCount).to.equal(0n);
    expect(info.currentPeriod).to.equal(0n);
  });

  it("joins four members: approve and join, or a permit signed by ethers or viem in one transaction", async function () {
    const commitment = (label: string) => identityCommitment(`passport:${label}`, ZERO_SALT);
    const joined = [
      await clients.alice.join({ amount: USD("1000"), commitment: commitment("alice") }),
      await clients.bob.joinWithPermit({ amount: USD("1000"), commitment: commitment("bob") }),
      await clients.carol.joinWithPermit({ amount: USD("1000"), commitment: commitment("carol") }),
      await clients.dave.join({ amount: USD("1000"), commitment: commitment("dave") }),
    ];
    expect((await clients.alice.getPool()).memberCount).to.equal(4n);
    const provider = node.provider();
    for (const [i, name] of (["alice", "bob", "carol", "dave"] as const).entries()) {
      const s = await clients.carol.getMemberStatement({ member: addresses[name] });
      const joinedAt = (await provider.getBlock(Number(joined[i].blockNumber)))!.timestamp;
      expect(s.status).to.equal(MemberStatus.Waiting);
      expect(s.eligibleAt).to.equal(BigInt(joinedAt + 90 * DAY));
      expect([s.credit, s.charged, s.balance, s.payout]).to.deep.equal([USD("1000"), 0n, USD("1000"), 0n]);
      expect(await token.balanceOf(addresses[name])).to.equal(USD("1000"));
    }
    // The permit joiners sent one transaction each; the others an approval and the join.
    expect(
      await Promise.all(["alice", "bob", "carol", "dave"].map((n) => txCount(addresses[n as "bob"]))),
    ).to.deep.equal([2, 1, 1, 2]);
    expect(await token.nonces(addresses.bob)).to.equal(1n);
    expect(await token.allowance(addresses.carol, pool)).to.equal(0n);
  });

  it("decodes a revert over HTTP into its typed error, before anything is sent", async function () {
    const again = clients.alice.join({
      amount: USD("1000"),
      commitment: identityCommitment("passport:again", ZERO_SALT),
      approve: false,
    });
    const error = (await again.catch((e: unknown) => e)) as MemberAlreadyJoinedError;
    expect(error).to.be.instanceOf(MemberAlreadyJoinedError);
    expect(error.member).to.equal(addresses.alice);
    expect(await txCount(addresses.alice)).to.equal(2);
  });

  it("submits a claim after the waiting period, posting the bond", async function () {
    await node.increaseTime(91 * DAY);
    ({ claimId } = await clients.alice.submitClaim({
      amount: USD("200"),
      evidenceDigest: id("receipts.pdf") as Address,
    }));
    expect(claimId).to.equal(1n);
    const claim = await clients.dave.getClaim({ claimId });
    expect(claim.claimant).to.equal(addresses.alice);
    expect(claim.state).to.equal(ClaimState.Drawing);
    expect([claim.amount, claim.bond]).to.deep.equal([USD("200"), USD("5")]);
    expect(claim.evidenceDigest).to.equal(id("receipts.pdf"));
    expect(await token.balanceOf(addresses.alice)).to.equal(USD("995"));
  });

  it("draws the jury once its seed block exists: the three members who are not the claimant", async function () {
    const seedBlock = (await clients.dave.getRound({ claimId })).seedBlock;
    if (BigInt(await node.provider().getBlockNumber()) < seedBlock) {
      await expect(clients.dave.drawJury({ claimId })).to.be.rejectedWith(JurySeedNotReadyError);
    }
    await node.send("evm_mine", []);
    await node.send("evm_mine", []);
    const { jurors, reanchored } = await clients.dave.drawJury({ claimId });
    expect(reanchored).to.equal(false);
    // Four members, the claimant skipped: the other three are drawn (in the draw's order).
    expect([...jurors].sort()).to.deep.equal([addresses.bob, addresses.carol, addresses.dave].sort());
    expect((await clients.alice.getClaim({ claimId })).state).to.equal(ClaimState.Committing);
    const duties = await clients.bob.getJuryDuties({ pendingOnly: true });
    expect(duties.map((d) => [d.claimId, d.round, d.due])).to.deep.equal([[claimId, 0n, "commit"]]);
  });

  it("commits votes with salts derived from each wallet's signature, the same on every derivation", async function () {
    await expect(clients.alice.commitVote({ claimId, support: true })).to.be.rejectedWith(JurorNotSeatedError);
    const votes = [
      [clients.bob, true],
      [clients.carol, true],
      [clients.dave, false],
    ] as const;
    const salts = [];
    for (const [client, support] of votes) {
      const { salt } = await client.commitVote({ claimId, support });
      expect(await client.deriveVoteSalt({ claimId })).to.equal(salt);
      salts.push(salt);
    }
    expect(new Set(salts).size).to.equal(3);
  });

  it("reveals the votes by deriving the salts again, and tallies them", async function () {
    await expect(clients.bob.revealVote({ claimId, support: true })).to.be.rejectedWith(UnexpectedClaimStateError);
    await node.increaseTime(3 * DAY);
    await clients.bob.revealVote({ claimId, support: true });
    await clients.carol.revealVote({ claimId, support: true });
    await clients.dave.revealVote({ claimId, support: false });
    expect((await clients.alice.getClaim({ claimId })).state).to.equal(ClaimState.Revealing);
    await node.increaseTime(2 * DAY);
    const t = await clients.alice.tally({ claimId });
    expect([t.approvals, t.rejections, t.quorum, t.verdictName]).to.deep.equal([2n, 1n, 2n, "Approve"]);
    expect(t.penalized).to.deep.equal([]);
  });

  it("resolves the claim as approved at the end of its timetable (2 of 3, threshold 60%)", async function () {
    await expect(clients.dave.resolve({ claimId })).to.be.rejectedWith(UnexpectedClaimStateError);
    const { resolvesAt } = await clients.dave.getClaim({ claimId });
    const now = BigInt((await node.provider().getBlock("latest"))!.timestamp);
    await node.increaseTime(resolvesAt - now);
    await clients.dave.resolve({ claimId });
    expect((await clients.bob.getClaim({ claimId })).state).to.equal(ClaimState.Approved);
  });

  it("settles every ended period: the claim and the 8% fee shared equally, 54 from each of 4 members", async function () {
    const before = await clients.carol.getPool();
    const last = before.currentPeriod;
    const periodEnd = before.startedAt + (last + 1n) * BigInt(rules.periodLength);
    const now = BigInt((await node.provider().getBlock("latest"))!.timestamp);
    await node.increaseTime(periodEnd - now);
    const { parts, nextPeriodToSettle } = await clients.carol.settleDue();
    expect(nextPeriodToSettle).to.equal(last + 1n);

    const periods = [];
    for (let p = 0n; p <= last; p++) periods.push(await clients.bob.getPeriod({ period: p }));
    expect(periods.every((p) => p.settled)).to.equal(true);
    const paying = parts.filter((p) => p.claimsPaid > 0n);
    expect(paying.length).to.equal(1);
    expect([paying[0].members, paying[0].claimsPaid, paying[0].payouts, paying[0].fee, paying[0].share]).to.deep.equal([
      4n,
      1n,
      USD("200"),
      USD("16"),
      USD("54"),
    ]);
    expect(periods.reduce((sum, p) => sum + p.share, 0n)).to.equal(USD("54"));
    expect((await clients.alice.getClaim({ claimId })).state).to.equal(ClaimState.Paid);
    expect((await clients.alice.getPool()).feesAccrued).to.equal(USD("16"));
  });

  it("pays the claimant the claim and the refunded bond, and the operator the fee", async function () {
    expect((await clients.alice.getMemberStatement({ member: addresses.alice })).payout).to.equal(USD("205"));
    await clients.alice.withdrawPayout();
    await clients.operator.withdrawFees();
    expect(await token.balanceOf(addresses.alice)).to.equal(USD("1200"));
    expect(await token.balanceOf(operatorAddress)).to.equal(USD("16"));
    expect((await clients.alice.getMemberStatement({ member: addresses.alice })).payout).to.equal(0n);
  });

  it("states every member's deposits, charges and balance, and the escrow holds exactly the balances", async function () {
    for (const name of ["alice", "bob", "carol", "dave"] as const) {
      const s = await clients.dave.getMemberStatement({ member: addresses[name] });
      expect(s.statusName, name).to.equal("Active");
      expect([s.credit, s.charged, s.balance, s.payout, s.openClaimId], name).to.deep.equal([
        USD("1000"),
        USD("54"),
        USD("946"),
        0n,
        0n,
      ]);
    }
    expect(await token.balanceOf(pool)).to.equal(USD("3784"));
    expect(await clients.bob.getUnderfundedMembers()).to.deep.equal([]);
  });
});
