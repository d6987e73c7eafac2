import { expect } from "chai";
import hre, { ethers, network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import {
  audit,
  createHuzhuClient,
  fromEthers,
  multicallRead,
  poolAbi,
  readCall,
  type Address,
  type Connector,
} from "../../sdk/src";
import { poolLens, type LensMemberView } from "../../sdk/src/audit/lens";
import { MemberStatusV2 } from "../../sdk/src/audit/states";
import { commitmentOf, deployPool, join, USDC, DAY } from "../helpers/fixtures";
import { Chain, memberAddress, runLife } from "./scenario";
import { field, storageLayout, writeField } from "./storage";

const ZERO = "0x0000000000000000000000000000000000000000";

const asText = (v: object) =>
  Object.fromEntries(
    ["status", "eligibleAt", "credit", "charged", "balance", "exitClaimBound", "lapsableAt", "position"].map((k) => [
      k,
      String((v as Record<string, unknown>)[k]),
    ]),
  );

/**
 * The lens's view as `member()` would give it: the exit bound and the lapse time it reads only for a
 * member on notice or flagged, where the pool keeps them zero (this holds the pool to that), and its
 * flag as `member()` shows it, a lapse time.
 */
function asView(lens: LensMemberView, view: { lapsableAt: bigint }) {
  expect(lens.flagged, "the record's flag, as member() shows it").to.equal(view.lapsableAt !== 0n);
  return { ...lens, exitClaimBound: lens.exitClaimBound ?? 0n, lapsableAt: lens.lapsableAt ?? 0n };
}

/**
 * Reads every account's record and every juror position through the lens and through the pool's own
 * views (`member`, `jurorAt`, one call each) at `block`, and holds them equal. Returns the statuses seen.
 */
async function expectLensEqualsViews(
  connector: Connector,
  pool: Address,
  accounts: Address[],
  block: bigint,
  options: { batchSize?: number } = {},
): Promise<Set<number>> {
  const found = await poolLens({ connector }, pool, { blockNumber: block, ...options });
  if (!found.lens) throw new Error(found.reason);
  const jurorCount = await multicallRead({ connector }, [readCall(pool, poolAbi, "jurorCount", [])], {
    blockNumber: block,
    multicallAddress: false,
  });
  // One position past the end too: an empty position reads as the zero address both ways.
  const positions = Number(jurorCount[0].success ? jurorCount[0].result : 0n) + 1;
  const [lensMembers, lensJurors, views, jurorViews] = await Promise.all([
    found.lens.members(accounts),
    found.lens.jurors(positions),
    multicallRead(
      { connector },
      accounts.map((a) => readCall(pool, poolAbi, "member", [a])),
      { blockNumber: block, multicallAddress: false },
    ),
    multicallRead(
      { connector },
      Array.from({ length: positions }, (_, i) => readCall(pool, poolAbi, "jurorAt", [BigInt(i)])),
      { blockNumber: block, multicallAddress: false },
    ),
  ]);
  const statuses = new Set<number>();
  accounts.forEach((account, i) => {
    const viaLens = lensMembers[i];
    const viaView = views[i];
    if (!viaLens.success || !viaView.success) throw new Error(`a read of ${account} failed at block ${block}`);
    expect(asText(asView(viaLens.result, viaView.result)), `member ${account} at block ${block}`).to.deep.equal(
      asText(viaView.result),
    );
    statuses.add(Number(viaView.result.status));
  });
  expect(lensJurors.map((r) => (r.success ? r.result : "reverted"))).to.deep.equal(
    jurorViews.map((r) => (r.success ? r.result.toLowerCase() : "reverted")),
  );
  return statuses;
}

describe("pool lens: bulk reads through an eth_call state override", function () {
  this.timeout(300_000);

  it("reads every member record and juror position as member() and jurorAt() do, through a pool's whole life", async function () {
    const life = await runLife(new Chain(network.provider), hre.artifacts, 40, 5);
    const pool = life.d.pool as Address;
    // One more notice after the life: a member left Exiting, bound to the claims before it.
    await ethers.provider.send("hardhat_impersonateAccount", [memberAddress(30)]);
    const poolContract = await ethers.getContractAt("HuzhuPool", pool, await ethers.getSigner(memberAddress(30)));
    await (await poolContract.requestExit()).wait();
    const connector = fromEthers(ethers.provider);
    // Everyone who joined, some who never did, and the zero address.
    const accounts = [
      ...Array.from({ length: 40 + 5 + 19 }, (_, i) => memberAddress(i) as Address),
      "0x00000000000000000000000000000000000000aa" as Address,
      ZERO as Address,
    ];
    const last = BigInt(await ethers.provider.getBlockNumber());
    // Every block the pool logged in: each state a member passed through (waiting, active, flagged,
    // lapsing, lapsed, exiting, exited, returned), at the block it held.
    const logs = await ethers.provider.getLogs({ address: pool, fromBlock: Number(life.d.firstBlock) });
    const blocks = [...new Set([...logs.map((l) => BigInt(l.blockNumber)), last])];
    const seen = new Set<number>();
    for (const block of blocks)
      for (const s of await expectLensEqualsViews(connector, pool, accounts, block)) seen.add(s);
    expect([...seen].sort()).to.include.members([
      MemberStatusV2.None,
      MemberStatusV2.Waiting,
      MemberStatusV2.Active,
      MemberStatusV2.Exiting,
      MemberStatusV2.Lapsing,
      MemberStatusV2.Exited,
      MemberStatusV2.Lapsed,
    ]);
    // In calls of a few accounts each, several in flight: the same answers.
    await expectLensEqualsViews(connector, pool, accounts, last, { batchSize: 3 });
  });

  it("names a member whose flag or exit bound was changed behind the pool's back (the record's flag only the lens sees)", async function () {
    const life = await runLife(new Chain(network.provider), hre.artifacts, 40, 5);
    const pool = life.d.pool as Address;
    // A member on notice after the life, bound to the claims before it.
    const exiting = memberAddress(30);
    await ethers.provider.send("hardhat_impersonateAccount", [exiting]);
    await (await (await ethers.getContractAt("HuzhuPool", pool, await ethers.getSigner(exiting))).requestExit()).wait();
    const client = createHuzhuClient({ connector: fromEthers(ethers.provider), pool });
    const run = () => audit(client, { factory: life.d.factory as Address, fromBlock: life.d.firstBlock });
    const honest = await run();
    expect(honest.passed).to.equal(true);
    const bound = honest.ledger.members.get(exiting.toLowerCase() as Address)!.exitBound;
    expect(bound).to.be.greaterThan(0n);

    const layout = await storageLayout(hre.artifacts, "contracts/HuzhuPool.sol:HuzhuPool");
    // A flag set in a funded member's record, no lapse time with it: anyone could lapse them at once
    // once their balance dips. member() shows a flag only as a lapse time: the record's flag bit is
    // the lens's to see.
    const funded = memberAddress(20);
    await writeField(
      network.provider,
      pool,
      field(layout, "_members", { type: "address", value: funded }, "flagged"),
      1n,
    );
    // The exit bound of the member on notice lowered: they would leave before claims they owe.
    await writeField(
      network.provider,
      pool,
      field(layout, "_exitBounds", { type: "address", value: exiting }),
      bound - 1n,
    );

    const result = await run();
    expect(result.views.lens).to.equal(true);
    const members = result.checks.find((c) => c.name === "every member's balance, status and flags match the events")!;
    expect(members.discrepancies).to.have.deep.members([
      { check: "member flagged", subject: `member ${funded}`, expected: "false", actual: "true" },
      { check: "member exit bound", subject: `member ${exiting}`, expected: String(bound), actual: String(bound - 1n) },
    ]);
  });

  it("reads recovered memberships as the views do: the old wallet's record moved whole to the new one", async function () {
    const setup = await deployPool();
    const { pool } = setup;
    const [alice, bob, carol, newBob, helper, newCarol] = setup.members;
    for (const m of [alice, bob, carol]) await join(setup, m, USDC(100));
    await time.increase(31 * DAY);
    await pool.connect(bob).setRecoveryOptions(helper.address, false);
    await pool.connect(helper).requestRecovery(commitmentOf(bob.address), newBob.address, 0n, "0x");
    await pool.connect(carol).setRecoveryOptions(helper.address, false);
    await pool.connect(helper).requestRecovery(commitmentOf(carol.address), newCarol.address, 0n, "0x");
    await time.increase(30 * DAY);
    await pool.completeRecovery(commitmentOf(bob.address));
    await pool.connect(alice).requestExit();
    const address = (await pool.getAddress()) as Address;
    const accounts = [alice, bob, carol, newBob, helper, newCarol].map((s) => s.address as Address);
    const block = BigInt(await ethers.provider.getBlockNumber());
    await expectLensEqualsViews(fromEthers(ethers.provider), address, accounts, block);
    const moved = await pool.member(newBob.address);
    expect(moved.credit).to.equal(USDC(100));
  });

  it("falls back to one view per member where the endpoint refuses state overrides or ignores them, and says so", async function () {
    const setup = await deployPool();
    for (const m of setup.members.slice(0, 4)) await join(setup, m, USDC(100));
    const connector = fromEthers(ethers.provider);
    const refusing: Connector = Object.assign(Object.create(connector), {
      call: (tx: Parameters<Connector["call"]>[0]) => {
        if (tx.codeOverride)
          return Promise.reject(
            Object.assign(new Error("invalid params: state override not supported"), { code: -32602 }),
          );
        return connector.call(tx);
      },
    });
    // An endpoint that drops the override runs the pool's own code, which has no lens views.
    const ignoring: Connector = Object.assign(Object.create(connector), {
      call: (tx: Parameters<Connector["call"]>[0]) => connector.call({ ...tx, codeOverride: undefined }),
    });
    const pool = (await setup.pool.getAddress()) as Address;
    const fromBlock = 0n;
    const withLens = await audit(createHuzhuClient({ connector, pool }), { fromBlock });
    expect(withLens.passed).to.equal(true);
    expect(withLens.views.lens).to.equal(true);
    for (const other of [refusing, ignoring]) {
      const result = await audit(createHuzhuClient({ connector: other, pool }), { fromBlock });
      expect(result.passed).to.equal(true);
      expect(result.views.lens).to.equal(false);
      expect(result.views.note).to.match(
        /one member\(\) and jurorAt\(\) per member: the endpoint did not run the lens/,
      );
      expect(result.checks.map((c) => [c.name, c.scope])).to.deep.equal(withLens.checks.map((c) => [c.name, c.scope]));
    }
  });

  it("halves a call the endpoint refuses (too many accounts) and still reads every member", async function () {
    const setup = await deployPool();
    const members = setup.members.slice(0, 8);
    for (const m of members) await join(setup, m, USDC(100));
    const connector = fromEthers(ethers.provider);
    let refused = 0;
    // Refuses any lens call asking for more than three accounts, as out of gas.
    const limited: Connector = Object.assign(Object.create(connector), {
      call: (tx: Parameters<Connector["call"]>[0]) => {
        // atKeys(base, keys): selector, base, offset, length, then a word per key.
        if (tx.codeOverride && tx.data.length > 10 + 64 * 3 + 64 * 3) {
          refused++;
          return Promise.reject(Object.assign(new Error("execution reverted: out of gas"), { data: "0x" }));
        }
        return connector.call(tx);
      },
    });
    const pool = (await setup.pool.getAddress()) as Address;
    const block = BigInt(await ethers.provider.getBlockNumber());
    const found = await poolLens({ connector: limited }, pool, { blockNumber: block, batchSize: 8 });
    if (!found.lens) throw new Error(found.reason);
    const views = await found.lens.members(members.map((m) => m.address as Address));
    expect(refused).to.be.greaterThan(0);
    const direct = await Promise.all(members.map((m) => setup.pool.member(m.address)));
    expect(views.map((v) => (v.success ? v.result.credit : -1n))).to.deep.equal(direct.map((d) => d.credit));
  });
});
