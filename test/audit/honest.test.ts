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
  type AuditResult,
  type LogEntry,
} from "../../sdk/src";
import { drawJury } from "../../sdk/src/core/jury";
import { ClaimStateV2, MemberStatusV2, Verdict } from "../../sdk/src/audit/states";
import { Chain, memberAddress, roles, runLife, usdc, type Life } from "./scenario";

const FOUNDERS = 200;
const BULK = 181;
const getBlockHash = async (n: bigint) => (await ethers.provider.getBlock(Number(n)))!.hash as `0x${string}`;

describe("audit of an honest v2 pool", function () {
  this.timeout(600_000);
  let life: Life;
  let result: AuditResult;
  let client: ReturnType<typeof createHuzhuClient>;
  let poolLogs: number;

  before(async function () {
    life = await runLife(new Chain(network.provider), hre.artifacts, FOUNDERS, BULK);
    client = createHuzhuClient({ connector: fromEthers(ethers.provider), pool: life.d.pool as `0x${string}` });
    const started = Date.now();
    result = await audit(client, {
      factory: life.d.factory as `0x${string}`,
      fromBlock: life.d.firstBlock,
      getBlockHash,
    });
    console.log(`      audit: ${result.stats.events} events, ${(Date.now() - started) / 1000} s`);
    poolLogs = (await ethers.provider.getLogs({ address: life.d.pool, fromBlock: 0, toBlock: "latest" })).length;
  });

  it("passes every check, over every event, member, juror position, round and part", function () {
    const parts = result.ledger.periods.length;
    const rounds = [...result.ledger.claims.values()].reduce((n, c) => n + c.rounds.length, 0);
    expect(result.checks.map((c) => [c.name, c.scope, c.passed, c.discrepancies.length])).to.deep.equal([
      ["events agree with the rebuild", `${poolLogs} events`, true, 0],
      ["member count matches the events", "memberCount()", true, 0],
      // Every founder took a position; the two who left hold holes (the returner refilled its own).
      ["the juror set matches the events, in order", `${FOUNDERS} of ${FOUNDERS} positions`, true, 0],
      ["every member's balance, status and flags match the events", `${FOUNDERS} members`, true, 0],
      ["every claim's state, verdict and appeal match the events", `${4 + BULK} claims`, true, 0],
      ["every jury round and its seats match the events", `${rounds} rounds`, true, 0],
      ["every jury seed is the hash of its seed block", `${rounds} draws`, true, 0],
      ["every settlement part's stored figures match the rebuild", `${parts} parts`, true, 0],
      ["every payout due matches the events", `${result.ledger.payouts.size} accounts`, true, 0],
      ["charge index, carry and fees match the rebuild", "pool", true, 0],
      [
        "the escrow holds exactly what the events say it owes",
        "members + payouts + fees + claim bonds + appeal bonds + surplus - deficit",
        true,
        0,
      ],
    ]);
    expect(result.passed).to.equal(true);
    expect(result.openPool).to.equal(true);
  });

  it("rebuilds the forced exit, the exit, the return with its balance carried", function () {
    const l = result.ledger;
    const member = (i: number) => l.members.get(memberAddress(i) as `0x${string}`)!;
    expect(member(roles.lapser).status).to.equal(MemberStatusV2.Lapsed);
    expect(member(roles.exiter).status).to.equal(MemberStatusV2.Exited);
    const returner = member(roles.returner);
    expect(returner.returns).to.equal(1);
    expect(returner.deposits).to.equal(usdc(40));
    expect(returner.withdrawals).to.equal(usdc(5));
    // 15 carried + 20 deposited at the return, less what it was charged since (and any penalty: none, it is not seasoned).
    expect(returner.credit).to.equal(usdc(35));
    expect(l.memberCount).to.equal(BigInt(FOUNDERS - 2));
    expect(l.jurors.size).to.equal(FOUNDERS);
    expect(l.jurors.holeCount).to.equal(2);
  });

  it("rebuilds every jury from its seed, the appeals and the penalties", function () {
    const l = result.ledger;
    const [a1, a2, a3, a4] = life.a.map((id) => l.claims.get(id)!);
    expect([a1, a2, a3, a4].map((c) => c.rounds.map((r) => [r.target, r.jurors.length, r.verdict]))).to.deep.equal([
      [
        [3n, 3, Verdict.Approve],
        [7n, 7, Verdict.Reject],
      ],
      [
        [3n, 3, Verdict.Reject],
        [7n, 7, Verdict.Reject],
      ],
      [
        [3n, 3, Verdict.None],
        [3n, 3, Verdict.Approve],
      ],
      [[3n, 3, Verdict.Approve]],
    ]);
    expect([a1, a2, a3, a4].map((c) => c.state)).to.deep.equal([
      ClaimStateV2.Rejected,
      ClaimStateV2.Rejected,
      ClaimStateV2.Paid,
      ClaimStateV2.Paid,
    ]);
    expect(a1.appeals.map((a) => [a.appellant, a.overturned, a.refunded, a.forfeited])).to.deep.equal([
      [memberAddress(roles.appellant), true, usdc(1), 0n],
    ]);
    expect(a2.appeals.map((a) => [a.appellant, a.overturned, a.refunded, a.forfeited])).to.deep.equal([
      [memberAddress(roles.a[1]), false, 0n, usdc(1)],
    ]);
    expect(a3.rounds[0].penalized.size).to.equal(3);
    for (const c of l.claims.values()) for (const r of c.rounds) expect(r.jurors).to.deep.equal(r.expectedJurors);
    // The pure draw alone gives another jury for another seed.
    const r = a4.rounds[0];
    const other = drawJury({
      seed: `0x${"11".repeat(32)}`,
      pool: life.d.pool as `0x${string}`,
      claimId: a4.id,
      round: 0n,
      target: 3n,
      setSize: r.setSize,
      set: l.jurors,
      claimant: a4.claimant,
      submittedAt: a4.submittedAt,
      eligibleAt: () => 0n,
      seated: () => false,
    });
    expect(other).to.have.length(3);
  });

  it("rebuilds the period paid in two parts, with a fee per claim", function () {
    const parts = result.ledger.periods.filter((p) => p.period === life.multiPart);
    expect(parts.map((p) => [p.part, p.claims.length, p.closed])).to.deep.equal([
      [0n, 180, false],
      [1n, 3, true],
    ]);
    const fees = new Set(parts.flatMap((p) => p.claims.map((c) => c.feeBps)));
    expect([...fees].sort()).to.deep.equal([500n, 800n]);
    for (const p of parts) expect(p.fee).to.equal(p.claims.reduce((s, c) => s + c.fee, 0n));
  });

  it("writes the period table one row per part, the juries, and the open-pool notice", function () {
    const md = auditMarkdown(result);
    expect(md).to.contain("**Verdict: PASS**");
    expect(md).to.contain("**open pool: no identity verifier**");
    expect(md).to.contain("one row per part");
    const rows = md.split("\n").filter((line) => new RegExp(`^\\| ${life.multiPart} \\| [01] \\|`).test(line));
    expect(rows).to.have.length(2);
    expect(md).to.contain("## Juries");
    expect(md).to.contain(`appeal by ${memberAddress(roles.appellant)} against Approve: overturned (bond refunded)`);
    expect(md).to.not.contain("## Discrepancies");
  });

  it("writes one statement row per member, and member statements by part", function () {
    const rows = statementsCsv(result).trimEnd().split("\n");
    expect(rows[0]).to.equal(
      "member,status,joined_block,returns,deposits,withdrawals,penalties,charged,shortfall,balance,payout_due,periods_shared",
    );
    expect(rows).to.have.length(1 + FOUNDERS);
    const s = memberStatement(result, memberAddress(roles.a[3]) as `0x${string}`)!;
    expect(s.periods.filter((p) => p.period === life.multiPart).map((p) => p.part)).to.deep.equal([0n, 1n]);
  });

  it("resumed from a checkpoint taken midway, gives the same result as a full run", async function () {
    const toBlock = result.toBlock;
    const middle = (life.d.firstBlock + toBlock) / 2n;
    let saved: { logs: LogEntry[]; nextBlock: bigint } | undefined;
    const full = await audit(client, {
      factory: life.d.factory as `0x${string}`,
      fromBlock: life.d.firstBlock,
      toBlock,
      blockRange: 4n,
      getBlockHash,
      onCheckpoint: ({ logs, nextBlock }) => {
        if (saved === undefined && nextBlock > middle) saved = { logs: [...logs], nextBlock };
      },
    });
    expect(saved!.logs.length).to.be.greaterThan(0).and.lessThan(poolLogs);
    const publicClient = createPublicClient({ transport: custom(network.provider) });
    const viemClient = createHuzhuClient({ connector: fromViem({ publicClient }), pool: life.d.pool as `0x${string}` });
    const resumed = await audit(viemClient, {
      factory: life.d.factory as `0x${string}`,
      fromBlock: life.d.firstBlock,
      toBlock,
      blockRange: 4n,
      resume: saved,
      getBlockHash,
    });
    const comparable = (r: AuditResult) => {
      const { stats, ...rest } = JSON.parse(auditJson(r));
      return { ...rest, events: stats.events, members: stats.members };
    };
    expect(comparable(resumed)).to.deep.equal(comparable(full));
    expect(comparable(full)).to.deep.equal(comparable(result));
    expect(resumed.passed).to.equal(true);
  });

  it("audited at a past block, judges statuses and claim states by that block's time", async function () {
    const snapshot = await network.provider.send("evm_snapshot");
    try {
      await time.increase(40 * 86_400);
      const past = await audit(client, {
        factory: life.d.factory as `0x${string}`,
        fromBlock: life.d.firstBlock,
        toBlock: result.toBlock,
        getBlockHash,
      });
      expect(past.checks.flatMap((c) => c.discrepancies)).to.deep.equal([]);
      expect(statementsCsv(past)).to.equal(statementsCsv(result));
    } finally {
      await network.provider.send("evm_revert", [snapshot]);
    }
  });
});
