import { expect } from "chai";
import hre, { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  audit,
  auditMarkdown,
  createHuzhuClient,
  fromEthers,
  MULTICALL3_ADDRESS,
  type AuditResult,
  type Connector,
  type Discrepancy,
} from "../../sdk/src";
import { installMulticall3 } from "../../sdk/src/node";
import { ClaimStateV2 } from "../../sdk/src/audit/states";
import { Chain, memberAddress, roles, runLife, usdc } from "./scenario";
import { field, fieldAt, readField, storageLayout, writeField } from "./storage";

const POOL = "contracts/HuzhuPool.sol:HuzhuPool";
const TOKEN = "contracts/mocks/MockERC20.sol:MockERC20";

/**
 * How the audits read the chain's views: member records and the juror set through the pool lens
 * (the default), or every view through Multicall3 (installed by the fixture), or one call per view.
 */
const MODES = [
  "member records through the pool lens",
  "views batched through Multicall3",
  "one call per view",
] as const;
let mode: (typeof MODES)[number] = MODES[0];

async function honestPool() {
  const life = await runLife(new Chain(network.provider), hre.artifacts, 40, 5);
  await installMulticall3(network.provider);
  // Counts the eth_calls by where they go: Multicall3, or a view of its own.
  const calls = { multicall: 0, single: 0, lens: 0 };
  const connector = fromEthers(ethers.provider);
  const counting: Connector = Object.assign(Object.create(connector), {
    call: (tx: Parameters<Connector["call"]>[0]) => {
      if (tx.codeOverride) calls.lens++;
      else if (tx.to.toLowerCase() === MULTICALL3_ADDRESS.toLowerCase()) calls.multicall++;
      else calls.single++;
      return connector.call(tx);
    },
  });
  const client = createHuzhuClient({ connector: counting, pool: life.d.pool as `0x${string}` });
  const pool = await ethers.getContractAt("HuzhuPool", life.d.pool);
  const token = await ethers.getContractAt("MockERC20", life.d.token);
  const getBlockHash = async (n: bigint) => (await ethers.provider.getBlock(Number(n)))!.hash as `0x${string}`;
  const run = () =>
    audit(client, {
      factory: life.d.factory as `0x${string}`,
      fromBlock: life.d.firstBlock,
      getBlockHash,
      lens: mode === MODES[0] ? undefined : false,
      multicall: mode === "one call per view" ? { multicallAddress: false } : undefined,
    });
  return { life, pool, token, run, calls };
}

/** The checks that failed, with their discrepancies. */
const failures = (r: AuditResult) =>
  r.checks.filter((c) => !c.passed).map((c) => ({ name: c.name, discrepancies: c.discrepancies }));

/** The Markdown report's line for a discrepancy. */
const line = (d: Discrepancy) => `| ${d.check} | ${d.subject} | ${d.expected} | ${d.actual} |`;

for (const current of MODES) {
  describe(`audit catches state changed behind the contracts' back (${current})`, function () {
    this.timeout(300_000);
    before(() => (mode = current));

    it("passes on the untampered pool", async function () {
      const { run, calls } = await loadFixture(honestPool);
      const before = { ...calls };
      const result = await run();
      expect(failures(result)).to.deep.equal([]);
      expect(result.passed).to.equal(true);
      const multicalls = calls.multicall - before.multicall;
      const singles = calls.single - before.single;
      const lensCalls = calls.lens - before.lens;
      // Every member, juror position, claim, round, part and payee is one view.
      const views = result.ledger.members.size + result.ledger.jurors.size + result.ledger.claims.size;
      expect(result.views.lens).to.equal(mode === MODES[0]);
      if (mode === MODES[0]) {
        // One small call for the lens's layout, then one for the member records and one for the
        // juror set (each fits one call at this size; no member is on notice or flagged at the end
        // of this life, so no exit bound or lapse time is read); the other views through Multicall3.
        expect([...result.ledger.members.values()].some((m) => m.flagged || m.exitBound !== 0n)).to.equal(false);
        expect(lensCalls).to.equal(3);
        expect(multicalls).to.be.greaterThan(0);
        expect(multicalls).to.be.at.most(8);
        expect(singles).to.be.lessThan(20);
      } else if (mode === MODES[1]) {
        expect(lensCalls).to.equal(0);
        // One aggregate3 per kind of view (pool figures, juror positions, members, claims, rounds,
        // juries, settlement parts, payouts): each kind fits one batch at this size.
        expect(multicalls).to.be.greaterThan(0);
        expect(multicalls).to.be.at.most(8);
        // Only the rules, the start, the roles, the token's name and its freeze views go alone.
        expect(singles).to.be.lessThan(20);
      } else {
        expect(lensCalls).to.equal(0);
        expect(multicalls).to.equal(0);
        expect(singles).to.be.greaterThan(views);
      }
    });

    it("names the member whose recorded credit was raised, with both balances and credits", async function () {
      const { life, pool, run } = await loadFixture(honestPool);
      const member = memberAddress(roles.a[0]);
      const before = await pool.member(member);
      const credit = field(
        await storageLayout(hre.artifacts, POOL),
        "_members",
        { type: "address", value: member },
        "credit",
      );
      const recorded = await readField(network.provider, life.d.pool, credit);
      expect(recorded).to.equal(before.credit);
      await writeField(network.provider, life.d.pool, credit, recorded + usdc(1_000));
      expect(await pool.balanceOf(member)).to.equal(before.balance + usdc(1_000));

      const result = await run();
      const discrepancies = [
        {
          check: "member balance",
          subject: `member ${member}`,
          expected: before.balance.toString(),
          actual: (before.balance + usdc(1_000)).toString(),
        },
        {
          check: "member credit",
          subject: `member ${member}`,
          expected: before.credit.toString(),
          actual: (before.credit + usdc(1_000)).toString(),
        },
      ];
      expect(failures(result)).to.deep.equal([
        { name: "every member's balance, status and flags match the events", discrepancies },
      ]);
      expect(result.passed).to.equal(false);
      expect(auditMarkdown(result)).to.contain("**Verdict: FAIL**");
      expect(auditMarkdown(result).split("\n")).to.include(line(discrepancies[0]));
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
      expect(counted).to.equal(38n);
      expect(failures(result)).to.deep.equal([
        { name: "member count matches the events", discrepancies: [discrepancy] },
      ]);
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
      await writeField(network.provider, life.d.token, balance, held - usdc(25));
      expect(await token.balanceOf(life.d.pool)).to.equal(held - usdc(25));

      const result = await run();
      const discrepancy = {
        check: "escrow balance",
        subject: `token ${life.d.token}`,
        expected: held.toString(),
        actual: (held - usdc(25)).toString(),
      };
      expect(failures(result)).to.deep.equal([
        { name: "the escrow holds exactly what the events say it owes", discrepancies: [discrepancy] },
      ]);
      expect(auditMarkdown(result).split("\n")).to.include(line(discrepancy));
    });

    it("names the claim whose recorded status was changed from rejected to paid", async function () {
      const { life, pool, run } = await loadFixture(honestPool);
      const rejected = life.a[1];
      expect(await pool.state(rejected)).to.equal(BigInt(ClaimStateV2.Rejected));
      const status = fieldAt(await storageLayout(hre.artifacts, POOL), "_court", [
        { member: "claims" },
        { key: { type: "uint256", value: rejected } },
        { member: "status" },
      ]);
      expect(await readField(network.provider, life.d.pool, status)).to.equal(BigInt(ClaimStateV2.Rejected));
      await writeField(network.provider, life.d.pool, status, BigInt(ClaimStateV2.Paid));
      expect(await pool.state(rejected)).to.equal(BigInt(ClaimStateV2.Paid));
      // The claimant shares the slot: untouched.
      expect((await pool.claim(rejected)).claimant).to.equal(memberAddress(roles.a[1]));

      const result = await run();
      const discrepancy = {
        check: "claim state",
        subject: `claim ${rejected}`,
        expected: String(ClaimStateV2.Rejected),
        actual: String(ClaimStateV2.Paid),
      };
      expect(failures(result)).to.deep.equal([
        { name: "every claim's state, verdict and appeal match the events", discrepancies: [discrepancy] },
      ]);
      expect(auditMarkdown(result).split("\n")).to.include(line(discrepancy));
    });

    it("names the account whose payout due was raised", async function () {
      const { life, pool, run } = await loadFixture(honestPool);
      const claimant = memberAddress(roles.a[2]);
      const due = await pool.payoutOf(claimant);
      expect(due).to.be.greaterThan(usdc(1));
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

    it("names the juror set positions whose members were swapped", async function () {
      const { life, pool, run } = await loadFixture(honestPool);
      const layout = await storageLayout(hre.artifacts, POOL);
      const at = (i: bigint) => field(layout, "_jurorSet", { type: "uint256", value: i });
      const [first, second] = [await pool.jurorAt(0n), await pool.jurorAt(1n)];
      await writeField(network.provider, life.d.pool, at(0n), BigInt(second));
      await writeField(network.provider, life.d.pool, at(1n), BigInt(first));

      const result = await run();
      expect(failures(result)).to.deep.equal([
        {
          name: "the juror set matches the events, in order",
          discrepancies: [
            { check: "juror at position", subject: "position 0", expected: first, actual: second },
            { check: "juror at position", subject: "position 1", expected: second, actual: first },
          ],
        },
      ]);
    });

    it("names the juror whose seat was given to another member", async function () {
      const { life, pool, run } = await loadFixture(honestPool);
      const id = life.a[3];
      const jury = await pool.jury(id, 0n);
      const outsider = [0, 1, 2, 3, 4, 5, 6, 7].map(memberAddress).find((a) => !jury.includes(a))!;
      const seat = fieldAt(await storageLayout(hre.artifacts, POOL), "_court", [
        { member: "seats" },
        { key: { type: "uint256", value: id } },
        { key: { type: "uint256", value: 0n } },
      ]);
      await writeField(network.provider, life.d.pool, seat, BigInt(outsider));

      const result = await run();
      expect(failures(result)).to.deep.equal([
        {
          name: "every jury round and its seats match the events",
          discrepancies: [
            {
              check: "jury",
              subject: `claim ${id} round 0`,
              expected: jury.join(" "),
              actual: [outsider, ...jury.slice(1)].join(" "),
            },
          ],
        },
      ]);
    });

    it("names the settlement part whose stored share was changed", async function () {
      const { life, pool, run } = await loadFixture(honestPool);
      const stored = await pool.settlement(life.multiPart, 0n);
      const share = fieldAt(await storageLayout(hre.artifacts, POOL), "_settlements", [
        { key: { type: "uint256", value: life.multiPart } },
        { key: { type: "uint256", value: 0n } },
        { member: "share" },
      ]);
      expect(await readField(network.provider, life.d.pool, share)).to.equal(stored.share);
      await writeField(network.provider, life.d.pool, share, stored.share + 1n);

      const result = await run();
      expect(failures(result)).to.deep.equal([
        {
          name: "every settlement part's stored figures match the rebuild",
          discrepancies: [
            {
              check: "settlement share",
              subject: `period ${life.multiPart} part 0`,
              expected: stored.share.toString(),
              actual: (stored.share + 1n).toString(),
            },
          ],
        },
      ]);
    });
  });
}
