import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { audit, auditJson, auditMarkdown, createHuzhuClient, fromEthers, type AuditResult } from "../../sdk/src";
import { MemberStatusV2 } from "../../sdk/src/audit/states";
import {
  commitmentOf,
  decide,
  deployPool,
  endPeriod,
  fund,
  join,
  settleDue,
  submitClaim,
  DAY,
  USDC,
} from "../helpers/fixtures";

const getBlockHash = async (n: bigint) => (await ethers.provider.getBlock(Number(n)))!.hash as `0x${string}`;

/**
 * A small pool where a claim pays a member's beneficiary, another names a hospital as payee, a member
 * sends a withdrawal to another address, one recovery is cancelled, one completes (the member's seat
 * in the juror set moves) and one is still pending; the auditor rebuilds it from events alone.
 */
describe("audit of beneficiaries, payees and recoveries", function () {
  let result: AuditResult;
  let addresses: Record<string, string>;

  before(async function () {
    const setup = await deployPool();
    const { pool, factory } = setup;
    const [alice, bob, carol, dave, erin, family, hospital, newBob, helper, newCarol] = setup.members;
    addresses = { alice: alice.address, bob: bob.address, family: family.address, hospital: hospital.address };
    Object.assign(addresses, { newBob: newBob.address, newCarol: newCarol.address, carol: carol.address });
    const fromBlock = BigInt(await ethers.provider.getBlockNumber());
    for (const m of [alice, bob, carol, dave, erin]) await join(setup, m, USDC(100));
    await time.increase(91 * DAY);
    await pool.connect(alice).setBeneficiary(family.address);
    const first = await submitClaim(setup, alice, USDC(30), "alice");
    await decide(pool, first, true);
    await pool.resolve(first);
    await fund(setup, dave, USDC(5));
    await pool.connect(dave).submitClaimTo(USDC(30), ethers.id("dave"), "", hospital.address);
    await decide(pool, first + 1n, true);
    await pool.resolve(first + 1n);
    await endPeriod(pool, await pool.currentPeriod());
    await settleDue(pool);
    await pool.connect(family).withdrawPayout();
    await pool.connect(erin).withdrawTo(USDC(7), hospital.address);
    // Bob: a request his wallet cancels, then one that completes.
    await pool.connect(bob).setRecoveryOptions(helper.address, false);
    await pool.connect(helper).requestRecovery(commitmentOf(bob.address), newBob.address, 0n, "0x");
    await pool.connect(bob).cancelRecovery(bob.address);
    await pool.connect(helper).requestRecovery(commitmentOf(bob.address), newBob.address, 0n, "0x");
    // Carol: pending at the audit.
    await pool.connect(carol).setRecoveryOptions(helper.address, true);
    await time.increase(30 * DAY);
    await pool.completeRecovery(commitmentOf(bob.address));
    await pool.connect(helper).requestRecovery(commitmentOf(carol.address), newCarol.address, 0n, "0x");
    await fund(setup, newBob, USDC(3));
    await pool.connect(newBob).topUp(USDC(3));
    await endPeriod(pool, await pool.currentPeriod());
    await settleDue(pool);
    const client = createHuzhuClient({
      connector: fromEthers(ethers.provider),
      pool: (await pool.getAddress()) as `0x${string}`,
    });
    result = await audit(client, { factory: (await factory.getAddress()) as `0x${string}`, fromBlock, getBlockHash });
  });

  it("passes every check", function () {
    const failed = result.checks.filter((c) => !c.passed);
    expect(
      failed,
      JSON.stringify(failed, (_k, v) => (typeof v === "bigint" ? v.toString() : v)),
    ).to.deep.equal([]);
    expect(result.passed).to.equal(true);
  });

  it("credits each payout to its payee only, and the recovered membership to its new wallet", function () {
    const l = result.ledger;
    // The rebuild keys accounts in lower case.
    const low = (name: string) => addresses[name].toLowerCase() as `0x${string}`;
    const claims = [...l.claims.values()];
    expect(claims.map((c) => c.payee)).to.deep.equal([low("family"), low("hospital")]);
    // The family withdrew; the hospital's payout is still owed; the claimants are owed their bonds only.
    expect(l.payouts.get(low("hospital"))).to.equal(USDC("0.5"));
    expect(l.payouts.get(low("alice"))).to.equal(USDC(5));
    expect(l.members.has(low("bob"))).to.equal(false);
    const bob = l.members.get(low("newBob"))!;
    expect(bob.formerWallets).to.deep.equal([low("bob")]);
    expect(bob.status).to.equal(MemberStatusV2.Waiting);
    expect(l.jurors.has(addresses.newBob as `0x${string}`)).to.equal(true);
    expect(l.recoveries.map((r) => r.outcome)).to.deep.equal(["cancelled", "completed", "pending"]);
  });

  it("shows payees and recoveries in the report, a pending one as cancellable", function () {
    const md = auditMarkdown(result);
    expect(md).to.contain("## Payees and recoveries");
    expect(md).to.contain(`| ${addresses.carol} | ${addresses.newCarol} | recovery address |`);
    expect(md).to.contain("pending: the member's wallet can still cancel");
    const json = JSON.parse(auditJson(result));
    expect(json.recoveries).to.have.length(3);
    expect(json.claims[1].payee).to.equal(addresses.hospital);
  });
});
