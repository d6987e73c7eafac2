/**
 * Gas per operation at several member counts, against the EVM floor, and the naive loop-based
 * pool for comparison. Writes bench/results.json and bench/RESULTS.md (the audit figures come
 * from bench/audit-speed.json when present).
 *
 *   npm run bench            # pools of 10, 1,000 and 10,000 members
 *   npm run bench -- --full  # and 100,000
 */
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { ethers, network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HuzhuPool, MockERC20, PoolFactory } from "../typechain-types";
import { floors } from "./floors";
import { permitTypes } from "../sdk/src";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const solc = require("solc");

const FULL = process.env.HUZHU_BENCH_FULL === "1";
const SIZES = process.env.HUZHU_BENCH_SIZES
  ? process.env.HUZHU_BENCH_SIZES.split(",").map(Number)
  : FULL
    ? [10, 1_000, 10_000, 100_000]
    : [10, 1_000, 10_000];
const DAY = 86_400;
const usdc = (n: number | string) => ethers.parseUnits(String(n), 6);
const MAX_CLAIMS = 5;
const BLOCK_GAS_LIMIT = 30_000_000;

type Measured = Record<string, { gas: number; data: string; k?: number }>;

async function mineAll() {
  for (;;) {
    const pending = await network.provider.send("eth_getBlockByNumber", ["pending", false]);
    if (pending.transactions.length === 0) return;
    // Full blocks raise the EIP-1559 base fee at every block; a large build would price its own
    // senders out. Gas used, which is what is measured, does not depend on the price.
    await network.provider.send("hardhat_setNextBlockBaseFeePerGas", ["0x1"]);
    await network.provider.send("evm_mine", []);
  }
}

const addressOf = (i: number) => ethers.getAddress(ethers.toBeHex(0x1000000 + i, 20));

/** Sends a transaction from an impersonated account through JSON-RPC: no JavaScript signing. */
async function sendAs(from: string, to: string, data: string) {
  return network.provider.send("eth_sendTransaction", [{ from, to, data, gas: "0x7A120" }]);
}

/** Builds `n` members fast: impersonated accounts, automine off, blocks mined in batches. */
async function buildMembers(token: MockERC20, pool: HuzhuPool, n: number, deposit: bigint) {
  const poolAddress = await pool.getAddress();
  const tokenAddress = await token.getAddress();
  const approve = token.interface.encodeFunctionData("approve", [poolAddress, ethers.MaxUint256]);
  await network.provider.send("evm_setAutomine", [false]);
  for (let i = 0; i < n; i++) {
    const a = addressOf(i);
    await network.provider.send("hardhat_setBalance", [a, "0xC9F2C9CD04674EDEA40000000"]);
    await network.provider.send("hardhat_impersonateAccount", [a]);
    await sendAs(a, tokenAddress, token.interface.encodeFunctionData("mint", [a, deposit * 10n]));
    await sendAs(a, tokenAddress, approve);
    const join = pool.interface.encodeFunctionData("join", [
      deposit,
      ethers.id(`m${i}`),
      { deadline: 0, signature: "0x" },
    ]);
    await sendAs(a, poolAddress, join);
    if (i % 400 === 399) await mineAll();
    if (i % 10_000 === 9_999) process.stdout.write(".");
  }
  await mineAll();
  await network.provider.send("evm_setAutomine", [true]);
}

async function gasOf(tx: Promise<{ wait(): Promise<unknown>; data: string }>): Promise<{ gas: number; data: string }> {
  const sent = await tx;
  const receipt = (await sent.wait()) as { gasUsed: bigint };
  return { gas: Number(receipt.gasUsed), data: sent.data };
}

async function measureAt(n: number): Promise<Measured> {
  await network.provider.send("hardhat_reset", []);
  const [deployer, operator, assessor, keeper] = await ethers.getSigners();
  const token = (await ethers.deployContract("MockERC20", ["Bench USD", "BUSD", 6])) as unknown as MockERC20;
  const factory = (await ethers.deployContract("PoolFactory")) as unknown as PoolFactory;
  const rules = {
    asset: await token.getAddress(),
    waitingPeriod: 90 * DAY,
    periodLength: 14 * DAY,
    commitWindow: 3 * DAY,
    revealWindow: 2 * DAY,
    minDeposit: usdc(20),
    minBalance: usdc(10),
    maxClaimsPerPeriod: MAX_CLAIMS,
    feeBps: 800,
    maxClaimAmount: usdc(300_000),
    capPerMember: usdc("1.5"),
    quorum: 3,
    approvalThresholdBps: 6_000,
    claimBond: usdc(5),
    annualChargeCap: 0,
  };
  const roles = {
    operator: operator.address,
    verifier: ethers.ZeroAddress,
    assessor: assessor.address,
    guardian: ethers.ZeroAddress,
  };
  const m: Measured = {};
  m.createPool = await gasOf(factory.createPool(rules, roles));
  const poolAddress = await factory.poolAt(0);
  const pool = (await ethers.getContractAt("HuzhuPool", poolAddress)) as unknown as HuzhuPool;
  await buildMembers(token, pool, n, usdc(60));
  const member = (i: number) => ethers.getImpersonatedSigner(addressOf(i));
  await time.increase(91 * DAY);
  for (let p = await pool.nextPeriodToSettle(); (await pool.periodEnd(p)) <= BigInt(await time.latest()); p++)
    await pool.settle(p);

  // Roles in the pool: claimants 0-4, voters 5-7, top-up/exit 8, lapse 9, batch lapses from 10 on.
  const fresh = await ethers.getImpersonatedSigner(addressOf(n + 1));
  await network.provider.send("hardhat_setBalance", [fresh.address, "0xC9F2C9CD04674EDEA40000000"]);
  await token.mint(fresh.address, usdc(100));
  await token.connect(fresh).approve(poolAddress, ethers.MaxUint256);
  m.join = await gasOf(pool.connect(fresh).join(usdc(60), ethers.id("fresh"), { deadline: 0, signature: "0x" }));

  const wallet = ethers.Wallet.createRandom().connect(ethers.provider);
  await network.provider.send("hardhat_setBalance", [wallet.address, "0xC9F2C9CD04674EDEA40000000"]);
  await token.mint(wallet.address, usdc(100));
  const deadline = BigInt(await time.latest()) + 3600n;
  const sig = ethers.Signature.from(
    await wallet.signTypedData(
      { name: "Bench USD", version: "1", chainId: 31337, verifyingContract: await token.getAddress() },
      { Permit: [...permitTypes.Permit] },
      { owner: wallet.address, spender: poolAddress, value: usdc(60), nonce: 0, deadline },
    ),
  );
  m.joinWithPermit = await gasOf(
    pool
      .connect(wallet)
      .joinWithPermit(
        usdc(60),
        ethers.id("permit"),
        { deadline: 0, signature: "0x" },
        { deadline, v: sig.v, r: sig.r, s: sig.s },
      ),
  );
  m.topUp = await gasOf(pool.connect(await member(8)).topUp(usdc(5)));
  m.withdraw = await gasOf(pool.connect(await member(8)).withdraw(usdc(5)));
  // Members that keep only the minimum balance: the next share takes them below it.
  const lapsers = Math.min(n - 10, 110);
  for (let i = 9; i < 10 + lapsers; i++)
    await (
      await member(i)
    ).sendTransaction({ to: poolAddress, data: pool.interface.encodeFunctionData("withdraw", [usdc(50)]) });

  const claimRound = async (count: number) => {
    const ids: bigint[] = [];
    for (let c = 0; c < count; c++) {
      // Small enough never to be capped, even at 10 members, and leaving a rounding surplus at
      // every size: the settlement writes the same kinds of figures whatever the member count.
      const tx = pool
        .connect(await member(c))
        .submitClaim(usdc("10.000001"), ethers.id(`evidence-${c}`), "ipfs://bafy-evidence");
      const measured = await gasOf(tx);
      if (c === 0 && !m.submitClaim) m.submitClaim = measured;
      ids.push(await pool.claimCount());
    }
    if (!m.attachReview) m.attachReview = await gasOf(pool.connect(assessor).attachReview(ids[0], ethers.id("review")));
    for (const id of ids) {
      for (let v = 5; v < 8; v++) {
        const voter = await member(v);
        const measured = await gasOf(
          pool.connect(voter).commitVote(id, await pool.voteCommitment(id, voter.address, true, ethers.id(`s${v}`))),
        );
        if (!m.commitVote) m.commitVote = measured;
      }
    }
    await time.increase(3 * DAY);
    for (const id of ids) {
      for (let v = 5; v < 8; v++) {
        const measured = await gasOf(pool.connect(await member(v)).revealVote(id, true, ethers.id(`s${v}`)));
        if (!m.revealVote) m.revealVote = measured;
      }
    }
    await time.increase(2 * DAY);
    for (const id of ids) {
      const measured = await gasOf(pool.connect(keeper).resolve(id));
      if (!m.resolve) m.resolve = measured;
    }
    const period = await pool.currentPeriod();
    await time.increaseTo(await pool.periodEnd(period));
    for (let p = await pool.nextPeriodToSettle(); p < period; p++) await pool.settle(p);
    return gasOf(pool.connect(keeper).settle(period));
  };
  m.settleMax = { ...(await claimRound(MAX_CLAIMS)), k: MAX_CLAIMS };
  m.withdrawPayout = await gasOf(pool.connect(await member(0)).withdrawPayout());
  m.withdrawFees = await gasOf(pool.connect(operator).withdrawFees());
  m.lapse = await gasOf(pool.connect(keeper).lapse(addressOf(9)));
  if (lapsers >= 110) {
    m.lapseBatch10 = {
      ...(await gasOf(pool.connect(keeper).lapseBatch(Array.from({ length: 10 }, (_, i) => addressOf(10 + i))))),
      k: 10,
    };
    m.lapseBatch100 = {
      ...(await gasOf(pool.connect(keeper).lapseBatch(Array.from({ length: 100 }, (_, i) => addressOf(20 + i))))),
      k: 100,
    };
  }
  m.requestExit = await gasOf(pool.connect(await member(8)).requestExit());
  m.settle1 = { ...(await claimRound(1)), k: 1 };
  m.completeExit = await gasOf(pool.connect(keeper).completeExit(addressOf(8)));
  if ((await pool.memberCount()) < BigInt(n - 120)) throw new Error("pool shrank unexpectedly");
  void deployer;
  return m;
}

/** The naive pool: join n members, then one settlement that loops over them. */
async function naiveSettleGas(n: number): Promise<number> {
  await network.provider.send("hardhat_reset", []);
  const source = readFileSync(path.join(__dirname, "contracts/NaivePool.sol"), "utf8");
  const out = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: "Solidity",
        sources: { "NaivePool.sol": { content: source } },
        settings: {
          optimizer: { enabled: true, runs: 1000 },
          evmVersion: "cancun",
          outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
        },
      }),
    ),
  );
  const c = out.contracts["NaivePool.sol"].NaivePool;
  const [deployer] = await ethers.getSigners();
  const naive = await new ethers.ContractFactory(c.abi, c.evm.bytecode.object, deployer).deploy();
  const address = await naive.getAddress();
  const join = naive.interface.encodeFunctionData("join", [usdc(60)]);
  await network.provider.send("evm_setAutomine", [false]);
  for (let i = 0; i < n; i++) {
    const a = addressOf(i);
    await network.provider.send("hardhat_setBalance", [a, "0xC9F2C9CD04674EDEA40000000"]);
    await network.provider.send("hardhat_impersonateAccount", [a]);
    await sendAs(a, address, join);
    if (i % 1000 === 999) await mineAll();
  }
  await mineAll();
  await network.provider.send("evm_setAutomine", [true]);
  // Estimated, not sent: past a block's gas the settlement cannot be mined at all.
  return Number(
    await ethers.provider
      .estimateGas({ to: address, data: naive.interface.encodeFunctionData("settle", [1n]), gasLimit: 1_000_000_000n })
      .catch(() => -1n),
  );
}

const OPS: Array<[string, string]> = [
  ["join", "join"],
  ["joinWithPermit", "joinWithPermit"],
  ["topUp", "topUp"],
  ["requestExit", "requestExit"],
  ["completeExit", "completeExit"],
  ["withdraw", "withdraw"],
  ["submitClaim", "submitClaim"],
  ["attachReview", "attachReview"],
  ["commitVote", "commitVote"],
  ["revealVote", "revealVote"],
  ["resolve", "resolve"],
  ["settle1", "settle"],
  ["settleMax", "settle"],
  ["withdrawPayout", "withdrawPayout"],
  ["withdrawFees", "withdrawFees"],
  ["lapse", "lapse"],
  ["lapseBatch10", "lapseBatch"],
  ["lapseBatch100", "lapseBatch"],
  ["createPool", "createPool"],
];
const NAMES: Record<string, string> = {
  settle1: "settle (1 claim)",
  settleMax: `settle (${MAX_CLAIMS} claims, the maximum)`,
  lapseBatch10: "lapseBatch (10)",
  lapseBatch100: "lapseBatch (100)",
};

async function main() {
  const started = Date.now();
  const bySize: Record<number, Measured> = {};
  for (const n of SIZES) {
    const t = Date.now();
    process.stdout.write(`pool of ${n} members `);
    bySize[n] = await measureAt(n);
    console.log(` measured in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  const operations = OPS.map(([key, floorKey]) => {
    const gas: Record<string, number | null> = {};
    for (const n of SIZES) gas[n] = bySize[n][key]?.gas ?? null;
    const values = Object.values(gas).filter((g): g is number => g !== null);
    const sample = SIZES.map((n) => bySize[n][key]).find((x) => x !== undefined)!;
    const floor = floors[floorKey](sample.data, sample.k);
    return {
      name: NAMES[key] ?? key,
      gas,
      floor: floor.gas,
      ratio: Number((Math.max(...values) / floor.gas).toFixed(3)),
      flatness: Number((Math.max(...values) / Math.min(...values)).toFixed(4)),
      derivation: floor.derivation,
    };
  });
  const naiveSizes = FULL ? [10, 100, 1_000, 5_000, 10_000] : [10, 100, 1_000, 5_000];
  const naiveGas: Record<string, number> = {};
  for (const n of naiveSizes) naiveGas[n] = await naiveSettleGas(n);
  // The loop's cost per member, from the two largest sizes, gives where one settlement passes a block.
  const [a, b] = naiveSizes.slice(-2);
  const perMember = (naiveGas[b] - naiveGas[a]) / (b - a);
  const blockLimitMembers = Math.floor((BLOCK_GAS_LIMIT - (naiveGas[b] - perMember * b)) / perMember);

  const auditFile = path.join(__dirname, "audit-speed.json");
  const auditFigures = existsSync(auditFile) ? JSON.parse(readFileSync(auditFile, "utf8")) : null;
  const results = {
    sizes: SIZES,
    full: FULL,
    seconds: Math.round((Date.now() - started) / 1000),
    operations,
    naive: { gas: naiveGas, perMemberGas: Math.round(perMember), blockGasLimit: BLOCK_GAS_LIMIT, blockLimitMembers },
    audit: auditFigures ? auditSummary(auditFigures) : null,
  };
  // bench/sdk-load.ts merges its own figures under `sdk`: keep them.
  const resultsFile = path.join(__dirname, "results.json");
  const sdkFigures = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, "utf8")).sdk : undefined;
  writeFileSync(resultsFile, JSON.stringify({ ...results, sdk: sdkFigures }, null, 2) + "\n");
  writeFileSync(path.join(__dirname, "RESULTS.md"), markdown(results));
  console.log(markdown(results));
}

interface AuditSpeed {
  pool: { members: number; periodsSettled: number; events: number };
  eventPhase: { cold: { fetchSeconds: number; replaySeconds: number } };
  audit: Array<{ client: string; seconds: number; eventsPerSecond: number; membersPerSecond: number }>;
  naiveBalanceOfPerMember: Array<{ client: string; concurrency: number; membersPerSecond: number }>;
}

/** The headline audit figures from bench/audit-speed.json (written by bench/audit-speed.ts). */
function auditSummary(a: AuditSpeed) {
  const best = [...a.audit].sort((x, y) => y.membersPerSecond - x.membersPerSecond)[0];
  const naive = [...a.naiveBalanceOfPerMember].sort((x, y) => y.membersPerSecond - x.membersPerSecond)[0];
  const { cold } = a.eventPhase;
  return {
    members: a.pool.members,
    periods: a.pool.periodsSettled,
    events: a.pool.events,
    client: best.client,
    seconds: best.seconds,
    eventsPerSecond: best.eventsPerSecond,
    membersPerSecond: best.membersPerSecond,
    eventPhaseEventsPerSecond: Math.round(a.pool.events / (cold.fetchSeconds + cold.replaySeconds)),
    naiveMembersPerSecond: naive.membersPerSecond,
    naiveClient: `${naive.client}, ${naive.concurrency} at a time`,
  };
}

function markdown(r: {
  sizes: number[];
  seconds: number;
  operations: Array<{
    name: string;
    gas: Record<string, number | null>;
    floor: number;
    ratio: number;
    flatness: number;
    derivation: string;
  }>;
  naive: { gas: Record<string, number>; perMemberGas: number; blockLimitMembers: number };
  audit: ReturnType<typeof auditSummary> | null;
}): string {
  const fmt = (v: number | null) => (v === null ? "n/a" : v.toLocaleString("en-US"));
  const lines = [
    "# Benchmark results",
    "",
    `Written by \`npm run bench\` (${r.seconds} s). Gas used per transaction on Hardhat's EVM (Cancun), at pools of ${r.sizes.map(fmt).join(", ")} members.`,
    "The floor is the least the EVM can charge for what the operation must do (bench/floors.ts derives each one); ratio = largest gas / floor; flatness = max / min across the member counts.",
    "",
    `| operation | ${r.sizes.map((n) => `gas at ${fmt(n)}`).join(" | ")} | floor | ratio | flatness |`,
    `| --- | ${r.sizes.map(() => "---:").join(" | ")} | ---: | ---: | ---: |`,
    ...r.operations.map(
      (o) =>
        `| ${o.name} | ${r.sizes.map((n) => fmt(o.gas[n])).join(" | ")} | ${fmt(o.floor)} | ${o.ratio} | ${o.flatness} |`,
    ),
    "",
    "lapseBatch is measured only where the pool has the 110 underfunded members it needs (n/a at 10 members).",
    "",
    "## The naive alternative",
    "",
    "A pool that charges each member in a loop at settlement (bench/contracts/NaivePool.sol):",
    "",
    "| members | gas of one settlement |",
    "| ---: | ---: |",
    ...Object.entries(r.naive.gas).map(([n, g]) => `| ${fmt(Number(n))} | ${fmt(g)} |`),
    "",
    `About ${fmt(r.naive.perMemberGas)} gas per member: one settlement passes a 30,000,000-gas block at about **${fmt(r.naive.blockLimitMembers)} members**. Huzhu's settlement costs the same at any member count.`,
    "",
    "## Floors",
    "",
    ...r.operations.map((o) => `- **${o.name}**: ${o.derivation}.`),
  ];
  if (r.audit) {
    lines.push(
      "",
      "## Audit throughput",
      "",
      `A ${fmt(r.audit.members)}-member pool with ${r.audit.periods} settled periods (${fmt(r.audit.events)} events) on a \`hardhat node\` over HTTP (bench/audit-speed.ts, bench/audit-speed.json):`,
      "",
      `- reading and rebuilding every event: ${fmt(r.audit.eventPhaseEventsPerSecond)} events/s;`,
      `- the whole audit (events, then every member, claim, period and payout checked against the chain), ${r.audit.client}: ${r.audit.seconds} s, ${fmt(Math.round(r.audit.eventsPerSecond))} events/s, ${fmt(Math.round(r.audit.membersPerSecond))} members/s;`,
      `- the naive way, one \`balanceOf\` call per member and no events (${r.audit.naiveClient}): ${fmt(Math.round(r.audit.naiveMembersPerSecond))} members/s, and it checks nothing.`,
    );
  }
  return lines.join("\n") + "\n";
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
