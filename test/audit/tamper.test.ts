import { expect } from "chai";
import hre, { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  audit,
  auditMarkdown,
  createHuzhuClient,
  fromEthers,
  ClaimState,
  type AuditResult,
  type Discrepancy,
} from "../../sdk/src";
import { Chain, memberAddress, roles, runLife, usdc } from "./scenario";
import { field, readField, storageLayout, writeField } from "./storage";

const POOL = "contracts/HuzhuPool.sol:HuzhuPool";
const TOKEN = "contracts/mocks/MockERC20.sol:MockERC20";

async function honestPool() {
  const life = await runLife(new Chain(network.provider), hre.artifacts, 45, 10);
  const client = createHuzhuClient({ connector: fromEthers(ethers.provider), pool: life.d.pool as `0x${string}` });
  const pool = await ethers.getContractAt("HuzhuPool", life.d.pool);
  const token = await ethers.getContractAt("MockERC20", life.d.token);
  const run = () => audit(client, { factory: life.d.factory as `0x${string}`, fromBlock: life.d.firstBlock });
  return { life, pool, token, run };
}

/** The checks that failed, with their discrepancies. */
const failures = (r: AuditResult) =>
  r.checks.filter((c) => !c.passed).map((c) => ({ name: c.name, discrepancies: c.discrepancies }));

/** The Markdown report's line for a discrepancy. */
const line = (d: Discrepancy) => `| ${d.check} | ${d.subject} | ${d.expected} | ${d.actual} |`;

describe("audit catches state changed behind the contracts' back", function () {
  this.timeout(300_000);

  it("passes on the untampered pool", async function () {
    const { run } = await loadFixture(honestPool);
    const result = await run();
    expect(failures(result)).to.deep.equal([]);
    expect(result.passed).to.equal(true);
  });

  it("names the member whose recorded credit was raised, with both balances", async function () {
    const { life, pool, run } = await loadFixture(honestPool);
    const member = memberAddress(roles.claimant(1, 0));
    const before = await pool.balanceOf(member);
    const credit = field(
      await storageLayout(hre.artifacts, POOL),
      "_members",
      { type: "address", value: member },
      "credit",
    );
    const recorded = await readField(network.provider, life.d.pool, credit);
    expect(recorded).to.equal(usdc(60));
    await writeField(network.provider, life.d.pool, credit, recorded + usdc(1_000));
    expect(await pool.balanceOf(member)).to.equal(before + usdc(1_000));

    const result = await run();
    const discrepancy = {
      check: "member balance",
      subject: `member ${member}`,
      expected: before.toString(),
      actual: (before + usdc(1_000)).toString(),
    };
    expect(failures(result)).to.deep.equal([
      { name: "every member's balance and status match the events", discrepancies: [discrepancy] },
    ]);
    expect(result.passed).to.equal(false);
    expect(auditMarkdown(result)).to.contain("**Verdict: FAIL**");
    expect(auditMarkdown(result).split("\n")).to.include(line(discrepancy));
  });

  it("names the member count when it is changed in the slot it shares with the charge index", async function () {
    const { life, pool, run } = await loadFixture(honestPool);
    const layout = await storageLayout(hre.artifacts, POOL);
    const count = field(layout, "_memberCount");
    const index = field(layout, "_chargeIndex");
    expect(count.slot).to.equal(index.slot);
    const counted = await pool.memberCount();
    const chargeIndex = await pool.chargeIndex();
    await writeField(network.provider, life.d.pool, count, counted + 7n);
    expect(await pool.memberCount()).to.equal(counted + 7n);
    expect(await pool.chargeIndex()).to.equal(chargeIndex);

    const result = await run();
    const discrepancy = {
      check: "member count",
      subject: "pool",
      expected: counted.toString(),
      actual: (counted + 7n).toString(),
    };
    expect(counted).to.equal(51n);
    expect(failures(result)).to.deep.equal([{ name: "member count matches the events", discrepancies: [discrepancy] }]);
    expect(auditMarkdown(result).split("\n")).to.include(line(discrepancy));
  });

  it("names the escrow's token balance when tokens vanish from it", async function () {
    const { life, token, run } = await loadFixture(honestPool);
    const held = await token.balanceOf(life.d.pool);
    const balance = field(await storageLayout(hre.artifacts, TOKEN), "_balances", {
      type: "address",
      value: life.d.pool,
    });
    expect(await readField(network.provider, life.d.token, balance)).to.equal(held);
    await writeField(network.provider, life.d.token, balance, held - usdc(250));
    expect(await token.balanceOf(life.d.pool)).to.equal(held - usdc(250));

    const result = await run();
    const discrepancy = {
      check: "escrow balance",
      subject: `token ${life.d.token}`,
      expected: held.toString(),
      actual: (held - usdc(250)).toString(),
    };
    expect(failures(result)).to.deep.equal([
      { name: "the escrow holds exactly what the events say it owes", discrepancies: [discrepancy] },
    ]);
    expect(auditMarkdown(result).split("\n")).to.include(line(discrepancy));
  });

  it("names the claim whose recorded status was changed from rejected to paid", async function () {
    const { life, pool, run } = await loadFixture(honestPool);
    const rejected = life.claims[0][2];
    expect(await pool.state(rejected)).to.equal(BigInt(ClaimState.Rejected));
    const status = field(
      await storageLayout(hre.artifacts, POOL),
      "_claims",
      { type: "uint256", value: rejected },
      "status",
    );
    expect(await readField(network.provider, life.d.pool, status)).to.equal(BigInt(ClaimState.Rejected));
    await writeField(network.provider, life.d.pool, status, BigInt(ClaimState.Paid));
    expect(await pool.state(rejected)).to.equal(BigInt(ClaimState.Paid));
    // The claimant and vote windows share the slot: untouched.
    expect((await pool.claim(rejected)).claimant).to.equal(memberAddress(roles.claimant(0, 2)));

    const result = await run();
    const discrepancy = {
      check: "claim state",
      subject: `claim ${rejected}`,
      expected: String(ClaimState.Rejected),
      actual: String(ClaimState.Paid),
    };
    expect(failures(result)).to.deep.equal([
      { name: "every claim's state matches the events", discrepancies: [discrepancy] },
    ]);
    expect(auditMarkdown(result).split("\n")).to.include(line(discrepancy));
  });

  it("names the account whose payout due was raised", async function () {
    const { life, pool, run } = await loadFixture(honestPool);
    const claimant = memberAddress(roles.claimant(1, 0));
    const due = await pool.payoutOf(claimant);
    // Paid in period 7 at the cap: 2 per member x 53 members (45 + 10 late - the lapser - the exiter),
    // plus the bond back.
    expect(due).to.equal(usdc(2 * 53 + 5));
    const payout = field(await storageLayout(hre.artifacts, POOL), "_payouts", { type: "address", value: claimant });
    await writeField(network.provider, life.d.pool, payout, due + 1n);

    const result = await run();
    const discrepancy = {
      check: "payout due",
      subject: `account ${claimant}`,
      expected: due.toString(),
      actual: (due + 1n).toString(),
    };
    expect(failures(result)).to.deep.equal([
      { name: "every payout due matches the events", discrepancies: [discrepancy] },
    ]);
    expect(auditMarkdown(result).split("\n")).to.include(line(discrepancy));
  });
});
