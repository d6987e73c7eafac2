import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { audit, auditJson, auditMarkdown, createHuzhuClient, fromEthers, type AuditResult } from "../../sdk/src";
import { MemberStatusV2 } from "../../sdk/src/audit/states";
import { checkRecoveryDelays, RECOVERY_DELAY } from "../../sdk/src/audit/recoveryDelay";
import {
  commitmentOf,
  decide,
  deployPool,
  drawJury,
  endPeriod,
  fund,
  join,
  settleDue,
  submitClaim,
  DAY,
  USDC,
} from "../helpers/fixtures";
import { fieldAt, storageLayout, writeField } from "./storage";

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
    await pool.connect(newBob).addToMemberFunds(USDC(3));
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

  it("checks each recovery's 30-day delay against the times of its blocks", function () {
    const delay = result.checks.find((c) => c.name === "every recovery waited its 30-day delay")!;
    expect(delay).to.include({ passed: true, scope: "3 recoveries" });
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

describe("audit of a recovery completed before its delay, behind the contract's back", function () {
  it("reports the early completion, with the block it happened in", async function () {
    const setup = await deployPool();
    const { pool, factory } = setup;
    const [alice, bob, newAlice, helper] = setup.members;
    const fromBlock = BigInt(await ethers.provider.getBlockNumber());
    for (const m of [alice, bob]) await join(setup, m, USDC(100));
    await pool.connect(alice).setRecoveryOptions(helper.address, false);
    await pool.connect(helper).requestRecovery(commitmentOf(alice.address), newAlice.address, 0n, "0x");
    // Rewrite the pending recovery's stored readyAt to now: the event still says 30 days from the request.
    const layout = await storageLayout(hre.artifacts, "contracts/HuzhuPool.sol:HuzhuPool");
    const readyAt = fieldAt(layout, "_book", [
      { member: "pending" },
      { key: { type: "address", value: alice.address } },
      { member: "readyAt" },
    ]);
    await writeField(ethers.provider, await pool.getAddress(), readyAt, BigInt(await time.latest()));
    await time.increase(DAY);
    const completion = await (await pool.completeRecovery(commitmentOf(alice.address))).wait();
    const client = createHuzhuClient({
      connector: fromEthers(ethers.provider),
      pool: (await pool.getAddress()) as `0x${string}`,
    });
    const tampered = await audit(client, {
      factory: (await factory.getAddress()) as `0x${string}`,
      fromBlock,
      getBlockHash,
    });
    expect(tampered.passed).to.equal(false);
    const delay = tampered.checks.find((c) => c.name === "every recovery waited its 30-day delay")!;
    expect(delay.passed).to.equal(false);
    expect(delay.discrepancies).to.have.length(1);
    expect(delay.discrepancies[0]).to.include({ check: "recovery completed after its delay" });
    expect(delay.discrepancies[0].actual).to.contain(`(block ${completion!.blockNumber})`);
    // The rest of the replay still adds up: the membership moved whole.
    expect(tampered.checks.filter((c) => !c.passed).map((c) => c.name)).to.deep.equal([
      "every recovery waited its 30-day delay",
    ]);
  });
});

describe("audit of a jury seat left behind by a recovery", function () {
  it("charges the unrevealed seat's penalty to the membership's new wallet, and passes", async function () {
    const setup = await deployPool();
    const { pool, factory } = setup;
    const [alice, bob, carol, dave, newAlice, helper] = setup.members;
    const fromBlock = BigInt(await ethers.provider.getBlockNumber());
    for (const m of [alice, bob, carol, dave]) await join(setup, m, USDC(100));
    await time.increase(91 * DAY);
    await pool.connect(alice).setRecoveryOptions(helper.address, false);
    await pool.connect(helper).requestRecovery(commitmentOf(alice.address), newAlice.address, 0n, "0x");
    await time.increase(28 * DAY);
    const id = await submitClaim(setup, bob, USDC(40), "bob");
    expect((await drawJury(pool, id)).map((j) => j.address)).to.include(alice.address);
    await time.increase(2 * DAY);
    await pool.completeRecovery(commitmentOf(alice.address));
    // Nobody votes: each seat pays the penalty at the tally, Alice's from her new wallet.
    await time.increaseTo((await pool.round(id, 0n)).revealEndsAt);
    await pool.tally(id);
    const client = createHuzhuClient({
      connector: fromEthers(ethers.provider),
      pool: (await pool.getAddress()) as `0x${string}`,
    });
    const result = await audit(client, {
      factory: (await factory.getAddress()) as `0x${string}`,
      fromBlock,
      getBlockHash,
    });
    const failed = result.checks.filter((c) => !c.passed);
    expect(failed, JSON.stringify(failed)).to.deep.equal([]);
    const penalty = (await pool.rules()).jurorPenalty;
    expect(result.ledger.members.get(newAlice.address.toLowerCase() as `0x${string}`)!.penalties).to.equal(penalty);
  });
});

describe("checkRecoveryDelays", function () {
  const times = new Map<bigint, bigint>([
    [10n, 1_000n],
    [20n, 1_000n + 30n * 86_400n],
    [30n, 1_000n + 29n * 86_400n],
  ]);
  const getTimestamp = async (n: bigint) => times.get(n)!;
  const base = {
    member: "0x0000000000000000000000000000000000000001",
    newWallet: "0x0000000000000000000000000000000000000002",
    commitment: `0x${"11".repeat(32)}`,
    byVerifier: true,
    requestedBlock: 10n,
  } as const;

  it("passes a request ready 30 days on and a completion at the ready time; skips a pending one's end", async function () {
    const found = await checkRecoveryDelays(
      [
        { ...base, readyAt: 1_000n + RECOVERY_DELAY, outcome: "completed", endedBlock: 20n },
        { ...base, readyAt: 1_000n + RECOVERY_DELAY, outcome: "pending" },
      ],
      getTimestamp,
    );
    expect(found).to.deep.equal([]);
  });

  it("reports a request whose event promises a shorter delay, and the early completion it allowed", async function () {
    const found = await checkRecoveryDelays(
      [{ ...base, readyAt: 1_000n + 29n * 86_400n, outcome: "completed", endedBlock: 30n }],
      getTimestamp,
    );
    expect(found.map((d) => d.check)).to.deep.equal([
      "recovery ready 30 days after its request",
      "recovery completed after its delay",
    ]);
  });
});
