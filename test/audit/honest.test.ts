import { expect } from "chai";
import hre, { ethers, network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { createPublicClient, custom } from "viem";
import {
  audit,
  auditJson,
  auditMarkdown,
  createHuzhuClient,
  fromEthers,
  fromViem,
  memberStatement,
  statementsCsv,
  ClaimState,
  MemberStatus,
  type AuditResult,
  type LogEntry,
} from "../../sdk/src";
import { Chain, memberAddress, roles, runLife, usdc, type Life } from "./scenario";

const FOUNDERS = 160;
const LATE = 10;

// The shares of periods 6 to 10, worked out by hand from the rules (fee 8%, cap 2 per member, so
// both 300 claims are paid in full) and the life the scenario runs (see `runLife`):
// - 6: N = 160, payouts 600, fee 48, surplus in 5 (the rejected claim's bond):
//   ceil((648 - 5) / 160) = ceil(643,000,000 / 160) = 4,018,750, nothing left over.
// - 7: N = 168 (10 late joiners; the lapser and the exiter gone), surplus in 5:
//   ceil(643,000,000 / 168) = 3,827,381; 3,827,381 x 168 - 643,000,000 = 8 carried.
// - 8: N = 168, surplus in 5,000,008: ceil(642,999,992 / 168) = 3,827,381; 16 carried.
// - 9: N = 167 (the second exiter gone), surplus in 5,000,016: ceil(642,999,984 / 167) = 3,850,300; 116 carried.
// - The negligent member (10 left) was charged 15,523,812 in all: lapsed, 5,523,812 short; less the
//   116 carried, a deficit of 5,523,696.
// - 10: no claims, N = 166: ceil(5,523,696 / 166) = 33,276; 33,276 x 166 - 5,523,696 = 120 carried.
const SHARES: Record<number, bigint> = { 6: 4_018_750n, 7: 3_827_381n, 8: 3_827_381n, 9: 3_850_300n, 10: 33_276n };

describe("audit of an honest pool", function () {
  this.timeout(300_000);
  let life: Life;
  let result: AuditResult;
  let client: ReturnType<typeof createHuzhuClient>;
  let poolLogs: number;

  before(async function () {
    life = await runLife(new Chain(network.provider), hre.artifacts, FOUNDERS, LATE);
    client = createHuzhuClient({ connector: fromEthers(ethers.provider), pool: life.d.pool as `0x${string}` });
    result = await audit(client, { factory: life.d.factory as `0x${string}`, fromBlock: life.d.firstBlock });
    poolLogs = (await ethers.provider.getLogs({ address: life.d.pool, fromBlock: 0, toBlock: "latest" })).length;
  });

  it("passes every check, over every event and member", function () {
    expect(result.checks.map((c) => [c.name, c.scope, c.passed, c.discrepancies.length])).to.deep.equal([
      ["events agree with the rebuild", `${poolLogs} events`, true, 0],
      ["member count matches the events", "memberCount()", true, 0],
      ["every member's balance and status match the events", "170 members", true, 0],
      ["every claim's state matches the events", "16 claims", true, 0],
      ["every settlement's stored figures match the rebuild", "11 periods", true, 0],
      ["every payout due matches the events", "12 accounts", true, 0],
      ["charge index, carry and fees match the rebuild", "pool", true, 0],
      ["the escrow holds exactly what the events say it owes", "token balance", true, 0],
    ]);
    expect(result.passed).to.equal(true);
    expect(result.stats.events).to.equal(poolLogs);
    expect(result.stats.members).to.equal(FOUNDERS + LATE);
    expect(result.ledger.memberCount).to.equal(166n);
  });

  it("rebuilds the lapses, exits, claim outcomes and the deficit a shortfall leaves", function () {
    const l = result.ledger;
    const status = (i: number) => l.members.get(memberAddress(i) as `0x${string}`)!.status;
    expect(status(roles.lapser)).to.equal(MemberStatus.Lapsed);
    expect(status(roles.negligent)).to.equal(MemberStatus.Lapsed);
    expect(status(roles.exiter)).to.equal(MemberStatus.Exited);
    expect(status(roles.exiter2)).to.equal(MemberStatus.Exited);
    expect(status(roles.exiting)).to.equal(MemberStatus.Exiting);
    expect(l.members.get(memberAddress(roles.lapser) as `0x${string}`)!.shortfall).to.equal(0n);
    expect(l.members.get(memberAddress(roles.negligent) as `0x${string}`)!.shortfall).to.equal(5_523_812n);
    expect(life.claims.map((ids) => ids.map((id) => l.claims.get(id)!.state))).to.deep.equal(
      Array(4).fill([ClaimState.Paid, ClaimState.Paid, ClaimState.Rejected, ClaimState.NoQuorum]),
    );
    const p10 = l.periods[10];
    expect([p10.deficitIn, p10.surplusIn, p10.share, p10.surplusOut]).to.deep.equal([5_523_696n, 0n, 33_276n, 120n]);
    expect(l.periods.map((p) => p.share)).to.deep.equal([0n, 0n, 0n, 0n, 0n, 0n, ...Object.values(SHARES)]);
    // Fees of periods 6 and 7 were withdrawn; those of 8 and 9 are still accrued.
    expect(l.fees).to.equal(usdc(96));
  });

  it("writes the period table with the figures of period 6 computed by hand", function () {
    const md = auditMarkdown(result);
    expect(md).to.contain("**Verdict: PASS**");
    expect(md).to.contain(
      "| period | cases paid | total paid | fee | members | share per member | cut by annual cap | surplus carried | deficit carried |",
    );
    expect(md.split("\n")).to.include("| 6 | 2 | 600 | 48 | 160 | 4.01875 | 0 | 0 | 0 |");
    expect(md.split("\n")).to.include("| 10 | 0 | 0 | 0 | 166 | 0.033276 | 0 | 0.00012 | 0 |");
    expect(md.split("\n").filter((line) => /^\| \d+ \|/.test(line))).to.have.length(11);
    expect(md).to.not.contain("## Discrepancies");
  });

  it("writes one statement row per member, with exact columns", async function () {
    const rows = statementsCsv(result).trimEnd().split("\n");
    expect(rows[0]).to.equal(
      "member,status,joined_block,deposits,withdrawals,charged,shortfall,balance,payout_due,periods_shared",
    );
    expect(rows).to.have.length(1 + FOUNDERS + LATE);
    const joinedBlock = async (i: number) =>
      (await ethers.provider.getTransactionReceipt(life.joinTx.get(i)!))!.blockNumber;
    const row = (i: number) => rows.find((r) => r.startsWith(memberAddress(i) + ","));
    // Lapsed in debt: charged only what it held (60 - 50), the rest written off; shared periods 0 to 9.
    const negligentCharged = SHARES[6] + SHARES[7] + SHARES[8] + SHARES[9];
    expect(negligentCharged - usdc(10)).to.equal(5_523_812n);
    expect(row(roles.negligent)).to.equal(
      `${memberAddress(roles.negligent)},Lapsed,${await joinedBlock(roles.negligent)},60000000,50000000,10000000,5523812,0,0,10`,
    );
    // The first claimant of period 7: paid 300 plus the bond back, not yet pulled; charged every share.
    const claimant = roles.claimant(1, 0);
    const charged = Object.values(SHARES).reduce((a, b) => a + b, 0n);
    expect(charged).to.equal(15_557_088n);
    expect(row(claimant)).to.equal(
      `${memberAddress(claimant)},Active,${await joinedBlock(claimant)},60000000,0,15557088,0,44442912,305000000,11`,
    );
  });

  it("gives a member's statement: the share of each period and each claim's part of it", function () {
    const late = life.late[0];
    const s = memberStatement(result, memberAddress(late).toLowerCase() as `0x${string}`)!;
    expect(s.status).to.equal("Waiting");
    expect([s.deposits, s.withdrawals, s.charged, s.balance]).to.deep.equal([
      usdc(60),
      0n,
      SHARES[7] + SHARES[8] + SHARES[9] + SHARES[10],
      usdc(60) - (SHARES[7] + SHARES[8] + SHARES[9] + SHARES[10]),
    ]);
    const part = (share: bigint) => (share * usdc(300)) / usdc(648);
    const paid = (k: number) => [
      { claimId: life.claims[k][0], paid: usdc(300), memberPart: part(SHARES[6 + k]) },
      { claimId: life.claims[k][1], paid: usdc(300), memberPart: part(SHARES[6 + k]) },
    ];
    expect(s.periods).to.deep.equal([
      { period: 7n, share: SHARES[7], members: 168n, claims: paid(1) },
      { period: 8n, share: SHARES[8], members: 168n, claims: paid(2) },
      { period: 9n, share: SHARES[9], members: 167n, claims: paid(3) },
      { period: 10n, share: SHARES[10], members: 166n, claims: [] },
    ]);
    expect(part(SHARES[7])).to.equal(1_771_935n);
    expect(memberStatement(result, memberAddress(9_999) as `0x${string}`)).to.equal(undefined);
  });

  it("resumed from a checkpoint taken midway, gives the same result as a full run", async function () {
    const toBlock = result.toBlock;
    const middle = (life.d.firstBlock + toBlock) / 2n;
    let saved: { logs: LogEntry[]; nextBlock: bigint } | undefined;
    const full = await audit(client, {
      factory: life.d.factory as `0x${string}`,
      fromBlock: life.d.firstBlock,
      toBlock,
      blockRange: 20n,
      onCheckpoint: ({ logs, nextBlock }) => {
        // A checkpoint is saved as it comes (the CLI writes it to a file): copy it.
        if (saved === undefined && nextBlock > middle) saved = { logs: [...logs], nextBlock };
      },
    });
    expect(saved!.logs.length).to.be.greaterThan(0).and.lessThan(poolLogs);

    // Resumed by another client library, from the saved logs, reading only the blocks after them.
    const publicClient = createPublicClient({ transport: custom(network.provider) });
    const viemClient = createHuzhuClient({ connector: fromViem({ publicClient }), pool: life.d.pool as `0x${string}` });
    const fetchedFrom: bigint[] = [];
    const resumed = await audit(viemClient, {
      factory: life.d.factory as `0x${string}`,
      fromBlock: life.d.firstBlock,
      toBlock,
      blockRange: 20n,
      resume: saved,
      onProgress: (p) => fetchedFrom.push(p.fromBlock),
    });
    expect(fetchedFrom[0]).to.equal(saved!.nextBlock);

    const comparable = (r: AuditResult) => {
      const { stats, ...rest } = JSON.parse(auditJson(r));
      return { ...rest, events: stats.events, members: stats.members };
    };
    expect(comparable(resumed)).to.deep.equal(comparable(full));
    expect(comparable(full)).to.deep.equal(comparable(result));
    expect(statementsCsv(resumed)).to.equal(statementsCsv(result));
    expect(auditMarkdown(resumed)).to.equal(auditMarkdown(result));
    expect(resumed.passed).to.equal(true);
  });

  it("audited at a past block, judges the waiting members by that block's time", async function () {
    const snapshot = await network.provider.send("evm_snapshot");
    try {
      // 40 days on, the late joiners' 90-day wait is over: active now, still waiting at the audited block.
      await time.increase(40 * 86_400);
      const pool = await ethers.getContractAt("HuzhuPool", life.d.pool);
      const late = memberAddress(life.late[0]);
      expect(await pool.statusOf(late)).to.equal(BigInt(MemberStatus.Active));
      expect(await pool.statusOf(late, { blockTag: Number(result.toBlock) })).to.equal(BigInt(MemberStatus.Waiting));

      const past = await audit(client, {
        factory: life.d.factory as `0x${string}`,
        fromBlock: life.d.firstBlock,
        toBlock: result.toBlock,
      });
      expect(past.checks.flatMap((c) => c.discrepancies)).to.deep.equal([]);
      expect(past.timestamp).to.equal(result.timestamp);
      expect(statementsCsv(past)).to.equal(statementsCsv(result));
      expect(memberStatement(past, late as `0x${string}`)!.status).to.equal("Waiting");
    } finally {
      await network.provider.send("evm_revert", [snapshot]);
    }
  });
});
