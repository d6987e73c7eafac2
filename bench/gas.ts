/**
 * Contracts v2 benchmark (issue 10). Gas of every external function at several member counts, the
 * chunked settlement of one period's 5,000 claims under the 2^24 transaction cap, the drawn juries'
 * capture rate by a ring of wallets against the hypergeometric law (and v1's open vote), and the
 * naive loop-based pool for comparison. Writes bench/results.json and bench/RESULTS.md.
 *
 *   npm run bench            # pools of 10, 1,000 and 10,000 members
 *   npm run bench -- --full  # and 100,000
 *   HUZHU_BENCH_ONLY=gas,settlement,juries,naive   # a subset; the other sections keep their last figures
 *   HUZHU_BENCH_ONLY=floors  # only the floors and ratios, from one 1,000-member pool's calldata,
 *                            # against the gas last measured at every size (after editing floors.ts)
 *
 * Every pool is built through the fast path (impersonated accounts, automine off, blocks mined in
 * batches). Gas used is read from each transaction's receipt: it does not depend on how blocks
 * are packed (access lists and EIP-2200 original values are per transaction).
 */
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { ethers, network } from "hardhat";
import type { HuzhuPool, MockERC20, PoolFactory } from "../typechain-types";
import { floors } from "./floors";
import { permitTypes } from "../sdk/src";
import { deployLibraries } from "../test/helpers/fixtures";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const solc = require("solc");

const FULL = process.env.HUZHU_BENCH_FULL === "1";
const SIZES = process.env.HUZHU_BENCH_SIZES
  ? process.env.HUZHU_BENCH_SIZES.split(",").map(Number)
  : FULL
    ? [10, 1_000, 10_000, 100_000]
    : [10, 1_000, 10_000];
const ONLY = (process.env.HUZHU_BENCH_ONLY ?? "gas,settlement,juries,naive").split(",");
const DAY = 86_400;
const usdc = (n: number | string) => ethers.parseUnits(String(n), 6);
const BLOCK_GAS_LIMIT = 30_000_000;
/** EIP-7825's per-transaction gas cap. */
const TX_CAP = 2 ** 24;
const MARGIN = 0.25;
const SETTLE_CLAIMS = Number(process.env.HUZHU_BENCH_SETTLE_CLAIMS ?? 5_000);

type Sample = { gas: number; data: string; k?: number; note?: string };
type Measured = Record<string, Sample>;
type Receipt = { status: string; gasUsed: string; logs: Array<{ topics: string[]; data: string; address: string }> };

const rpc = (method: string, params: unknown[] = []) => network.provider.send(method, params);
const addressOf = (i: number) => ethers.getAddress(ethers.toBeHex(0x1000000 + i, 20));
const RICH = "0xC9F2C9CD04674EDEA40000000";

/** Mines until the pending block is empty, at a base fee that full blocks cannot raise. */
async function mineAll() {
  for (;;) {
    const pending = await rpc("eth_getBlockByNumber", ["pending", false]);
    if (pending.transactions.length === 0) return;
    await rpc("hardhat_setNextBlockBaseFeePerGas", ["0x1"]);
    await rpc("evm_mine", []);
  }
}

/** Queues a transaction from an unlocked or impersonated account (automine is off). */
async function send(from: string, to: string, data: string, gas = 2_000_000): Promise<string> {
  return rpc("eth_sendTransaction", [{ from, to, data, gas: ethers.toQuantity(gas) }]);
}

async function receipt(hash: string): Promise<Receipt> {
  const r = (await rpc("eth_getTransactionReceipt", [hash])) as Receipt;
  if (r === null || r.status !== "0x1") {
    const tx = await rpc("eth_getTransactionByHash", [hash]);
    const why = await rpc("eth_call", [{ from: tx.from, to: tx.to, data: tx.input }, "latest"]).catch(
      (x: Error) => x.message,
    );
    throw new Error(`transaction ${hash} failed or not mined: ${tx.input.slice(0, 10)} ${why}`);
  }
  return r;
}

/** Sends, mines and returns the receipt and its gas. */
async function exec(from: string, to: string, data: string, gas = 2_000_000) {
  const hash = await send(from, to, data, gas);
  await mineAll();
  const r = await receipt(hash);
  if (TRACE) await trace(hash, data);
  return { r, sample: { gas: Number(r.gasUsed), data } as Sample };
}

/** HUZHU_BENCH_TRACE=1: prints where a measured transaction's gas goes, by opcode (a diagnostic). */
const TRACE = process.env.HUZHU_BENCH_TRACE !== undefined;
const TRACE_SLOTS = process.env.HUZHU_BENCH_TRACE === "slots";
async function trace(hash: string, data: string) {
  type Step = { op: string; gas: number; gasCost: number; depth: number };
  const t = (await rpc("debug_traceTransaction", [
    hash,
    { disableStack: !TRACE_SLOTS, disableMemory: true, disableStorage: true },
  ])) as { gas: number; structLogs: Step[] };
  if (TRACE_SLOTS)
    for (const l of t.structLogs as Array<Step & { stack: string[] }>)
      if (l.op === "SSTORE" || l.op === "SLOAD")
        console.error(
          `  ${l.op}@${l.depth} ${l.gasCost} ${l.stack[l.stack.length - 1]}${l.op === "SSTORE" ? " <- " + l.stack[l.stack.length - 2] : ""}`,
        );
  const logs = t.structLogs;
  const by: Record<string, [number, number]> = {};
  for (let i = 0; i < logs.length; i++) {
    const { op, depth } = logs[i];
    let cost = logs[i].gasCost;
    if (/CALL/.test(op) && i + 1 < logs.length) {
      // A call's own cost: the caller's drop across it, less what the callee's steps used.
      let j = i + 1;
      while (j < logs.length && logs[j].depth > depth) j++;
      const calleeUsed = j > i + 1 ? logs[i + 1].gas - (logs[j - 1].gas - logs[j - 1].gasCost) : 0;
      if (j < logs.length) cost = logs[i].gas - logs[j].gas - calleeUsed;
    }
    const key = `${op}@${depth}`;
    by[key] = [(by[key]?.[0] ?? 0) + cost, (by[key]?.[1] ?? 0) + 1];
  }
  const top = Object.entries(by)
    .sort((a, b) => b[1][0] - a[1][0])
    .slice(0, 16)
    .map(([op, [g, n]]) => `${op} ${g}/${n}`)
    .join(", ");
  const execution = logs.length ? logs[0].gas - (logs[logs.length - 1].gas - logs[logs.length - 1].gasCost) : 0;
  console.error(`trace ${data.slice(0, 10)} gasUsed ${t.gas} execution ${execution} steps ${logs.length}: ${top}`);
}

/** Sends many, mining every `batch`, and checks every receipt. */
async function execAll(txs: Array<[string, string, string]>, gas = 2_000_000, batch = 500): Promise<Receipt[]> {
  const hashes: string[] = [];
  for (let i = 0; i < txs.length; i++) {
    hashes.push(await send(txs[i][0], txs[i][1], txs[i][2], gas));
    if (i % batch === batch - 1) await mineAll();
  }
  await mineAll();
  const out: Receipt[] = [];
  for (const h of hashes) out.push(await receipt(h));
  if (TRACE && txs.length > 0 && txs.length <= 20) await trace(hashes[0], txs[0][2]);
  return out;
}

async function now(): Promise<bigint> {
  return BigInt((await rpc("eth_getBlockByNumber", ["latest", false])).timestamp);
}
async function increaseTo(t: bigint) {
  const n = await now();
  if (t > n) await rpc("evm_setNextBlockTimestamp", [ethers.toQuantity(t)]);
  await rpc("evm_mine", []);
}
const mineBlocks = async (k: number) => {
  for (let i = 0; i < k; i++) await rpc("evm_mine", []);
};

interface Env {
  token: MockERC20;
  factory: PoolFactory;
  pool: HuzhuPool;
  poolAddress: string;
  tokenAddress: string;
  deployer: string;
  operator: string;
  assessor: string;
  keeper: string;
  rules: Record<string, unknown>;
  m: Measured;
}

function rulesFor(asset: string, o: Record<string, unknown> = {}) {
  return {
    asset,
    randomness: ethers.ZeroAddress,
    waitingPeriod: 90 * DAY,
    periodLength: 14 * DAY,
    commitWindow: 3 * DAY,
    revealWindow: 2 * DAY,
    appealWindow: 2 * DAY,
    lapseGrace: 14 * DAY,
    minDeposit: usdc(25),
    minBalance: usdc(25),
    maxClaimsPerPeriod: 200,
    feeBps: 800,
    jurySize: 3,
    maxAppealRounds: 1,
    quorumBps: 6_667,
    approvalThresholdBps: 6_000,
    maxClaimAmount: usdc(300_000),
    capPerMember: usdc("0.1"),
    claimBond: usdc(5),
    appealBond: usdc(10),
    jurorPenalty: usdc("0.5"),
    annualChargeCap: 0n,
    // On: every benchmark pays first-time payees with the yearly limit recorded (the worst case).
    maxPayoutPerMember: usdc(10_000),
    ...o,
  };
}

/** A fresh chain with a token, the linked libraries, a factory and one pool; createPool measured. */
async function deploy(ruleOverrides: Record<string, unknown> = {}): Promise<Env> {
  await rpc("hardhat_reset", []);
  const [deployer, operator, assessor, keeper] = (await ethers.getSigners()).map((s) => s.address);
  const token = (await ethers.deployContract("MockERC20", ["Bench USD", "BUSD", 6])) as unknown as MockERC20;
  const libraries = await deployLibraries();
  const factory = (await ethers.deployContract("PoolFactory", [false], { libraries })) as unknown as PoolFactory;
  const tokenAddress = await token.getAddress();
  const rules = rulesFor(tokenAddress, ruleOverrides);
  const roles = { operator, verifier: ethers.ZeroAddress, assessor, guardian: ethers.ZeroAddress };
  await rpc("evm_setAutomine", [false]);
  await rpc("evm_setBlockGasLimit", [ethers.toQuantity(2n ** 32n)]);
  const { sample } = await exec(
    deployer,
    await factory.getAddress(),
    factory.interface.encodeFunctionData("createPool", [rules, roles]),
    3_000_000,
  );
  const poolAddress = await factory.poolAt(0);
  const pool = (await ethers.getContractAt("HuzhuPool", poolAddress)) as unknown as HuzhuPool;
  return {
    token,
    factory,
    pool,
    poolAddress,
    tokenAddress,
    deployer,
    operator,
    assessor,
    keeper,
    rules,
    m: { createPool: sample },
  };
}

/** Builds `n` members (addresses 0..n-1) fast; each keeps 9 deposits in its wallet. */
async function buildMembers(e: Env, from: number, n: number, deposit: bigint) {
  const approve = e.token.interface.encodeFunctionData("approve", [e.poolAddress, ethers.MaxUint256]);
  const txs: Array<[string, string, string]> = [];
  for (let i = from; i < from + n; i++) {
    const a = addressOf(i);
    await rpc("hardhat_setBalance", [a, RICH]);
    await rpc("hardhat_impersonateAccount", [a]);
    txs.push([a, e.tokenAddress, e.token.interface.encodeFunctionData("mint", [a, deposit * 10n])]);
    txs.push([a, e.tokenAddress, approve]);
    txs.push([
      a,
      e.poolAddress,
      e.pool.interface.encodeFunctionData("join", [deposit, ethers.id(`m${i}`), { deadline: 0, signature: "0x" }]),
    ]);
    if (txs.length >= 3_000) {
      await execAllQuiet(txs.splice(0));
      if (n >= 10_000) process.stdout.write(".");
    }
  }
  await execAllQuiet(txs);
}

/** Like execAll, checking only the last receipt of each sender batch (builds are large). */
async function execAllQuiet(txs: Array<[string, string, string]>) {
  const hashes: string[] = [];
  for (const t of txs) hashes.push(await send(t[0], t[1], t[2], 400_000));
  await mineAll();
  for (let i = 0; i < hashes.length; i += 97) await receipt(hashes[i]);
  if (hashes.length) await receipt(hashes[hashes.length - 1]);
}

/** Settles every ended period (each call closes up to 32 empty ones); returns the receipts. */
async function settleEnded(e: Env): Promise<Array<{ r: Receipt; sample: Sample }>> {
  const out = [];
  for (;;) {
    const p = await e.pool.nextPeriodToSettle();
    if ((await e.pool.periodEnd(p)) > (await now())) return out;
    out.push(await exec(e.keeper, e.poolAddress, e.pool.interface.encodeFunctionData("settle", [p]), 16_000_000));
  }
}

const seatedTopic = () => ethers.id("JurorSeated(uint256,uint256,address)");
const claimPaidTopic = (e: Env) => e.pool.interface.getEvent("ClaimPaid")!.topicHash;

function jurorsFrom(r: Receipt): string[] {
  const t = seatedTopic();
  return r.logs.filter((l) => l.topics[0] === t).map((l) => ethers.getAddress("0x" + l.topics[2].slice(26)));
}

const salt = (id: bigint, r: number, juror: string) => ethers.id(`salt:${id}:${r}:${juror}`);
const commitmentOf = (id: bigint, r: number, juror: string, support: boolean) =>
  ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(
      ["uint256", "uint256", "address", "bool", "bytes32"],
      [id, r, juror, support, salt(id, r, juror)],
    ),
  );

/**
 * Runs claims by `claimants` (submitted together, one block or a few) through one round: draw,
 * every juror commits and reveals approve, tally. Returns ids, draw receipts and the first
 * receipts of each kind (for measurement).
 */
async function claimsThroughRound0(e: Env, claimants: string[], amount: bigint, tag: string) {
  const first = (await e.pool.claimCount()) + 1n;
  const subs = await execAll(
    claimants.map((c, i) => [
      c,
      e.poolAddress,
      e.pool.interface.encodeFunctionData("submitClaim", [
        amount,
        ethers.id(`${tag}-evidence-${i}`),
        "ipfs://bafy-evidence",
      ]),
    ]),
    600_000,
    100_000,
  );
  const ids = claimants.map((_, i) => first + BigInt(i));
  await mineBlocks(2);
  const draws = await execAll(
    ids.map((id) => [e.keeper, e.poolAddress, e.pool.interface.encodeFunctionData("drawJury", [id])]),
    2_000_000,
    100_000,
  );
  const juries = draws.map(jurorsFrom);
  const commits = await execAll(
    ids.flatMap((id, k) =>
      juries[k].map(
        (j) =>
          [
            j,
            e.poolAddress,
            e.pool.interface.encodeFunctionData("commitDecision", [id, commitmentOf(id, 0, j, true)]),
          ] as [string, string, string],
      ),
    ),
    300_000,
    100_000,
  );
  const r0 = await e.pool.round(ids[ids.length - 1], 0);
  await increaseTo(r0.commitEndsAt);
  const reveals = await execAll(
    ids.flatMap((id, k) =>
      juries[k].map(
        (j) =>
          [j, e.poolAddress, e.pool.interface.encodeFunctionData("revealDecision", [id, true, salt(id, 0, j)])] as [
            string,
            string,
            string,
          ],
      ),
    ),
    300_000,
    100_000,
  );
  await increaseTo(r0.revealEndsAt);
  const tallies = await execAll(
    ids.map((id) => [e.keeper, e.poolAddress, e.pool.interface.encodeFunctionData("tally", [id])]),
    1_000_000,
    100_000,
  );
  return { ids, subs, draws, juries, commits, reveals, tallies };
}

/** Resolves claims up to `last` in chunks of `step` (resolve goes in id order). */
async function resolveUpTo(e: Env, last: bigint, step = 150n) {
  const out: Receipt[] = [];
  for (let id = await e.pool.nextClaimToResolve(); id <= last;) {
    const to = id + step - 1n > last ? last : id + step - 1n;
    out.push((await exec(e.keeper, e.poolAddress, e.pool.interface.encodeFunctionData("resolve", [to]), 16_000_000)).r);
    id = to + 1n;
  }
  return out;
}

/** Moves to just after the current period's end, so that claims submitted now resolve in one period. */
async function alignToPeriodStart(e: Env) {
  const p = await e.pool.currentPeriod();
  await increaseTo((await e.pool.periodEnd(p)) + 60n);
  await settleEnded(e);
}

const sampleOf = (r: Receipt, data: string, k?: number): Sample => ({ gas: Number(r.gasUsed), data, k });

async function measureAt(n: number): Promise<Measured> {
  const e = await deploy();
  const { pool, poolAddress } = e;
  const I = pool.interface;
  const m = e.m;
  await buildMembers(e, 0, n, usdc(60));
  await increaseTo((await now()) + BigInt(91 * DAY));
  await settleEnded(e);
  const A = (i: number) => addressOf(i);

  // join and joinWithPermit by newcomers.
  const fresh = addressOf(n + 1);
  await rpc("hardhat_setBalance", [fresh, RICH]);
  await rpc("hardhat_impersonateAccount", [fresh]);
  await execAll([
    [fresh, e.tokenAddress, e.token.interface.encodeFunctionData("mint", [fresh, usdc(100)])],
    [fresh, e.tokenAddress, e.token.interface.encodeFunctionData("approve", [poolAddress, ethers.MaxUint256])],
  ]);
  m.join = (
    await exec(
      fresh,
      poolAddress,
      I.encodeFunctionData("join", [usdc(60), ethers.id("fresh"), { deadline: 0, signature: "0x" }]),
    )
  ).sample;
  const wallet = ethers.Wallet.createRandom();
  await rpc("hardhat_setBalance", [wallet.address, RICH]);
  await rpc("hardhat_impersonateAccount", [wallet.address]);
  await execAll([
    [e.deployer, e.tokenAddress, e.token.interface.encodeFunctionData("mint", [wallet.address, usdc(100)])],
  ]);
  const deadline = (await now()) + 3600n;
  const sig = ethers.Signature.from(
    await wallet.signTypedData(
      { name: "Bench USD", version: "1", chainId: 31337, verifyingContract: e.tokenAddress },
      { Permit: [...permitTypes.Permit] },
      { owner: wallet.address, spender: poolAddress, value: usdc(60), nonce: 0, deadline },
    ),
  );
  // The signature is real (signed in JavaScript); the transaction is sent from the impersonated signer.
  m.joinWithPermit = (
    await exec(
      wallet.address,
      poolAddress,
      I.encodeFunctionData("joinWithPermit", [
        usdc(60),
        ethers.id("permit"),
        { deadline: 0, signature: "0x" },
        { deadline, v: sig.v, r: sig.r, s: sig.s },
      ]),
    )
  ).sample;
  m.topUp = (await exec(A(8), poolAddress, I.encodeFunctionData("addToMemberFunds", [usdc(5)]))).sample;
  m.withdraw = (await exec(A(8), poolAddress, I.encodeFunctionData("withdraw", [usdc(5)]))).sample;

  // Issue 15: a withdrawal to another address, a beneficiary, a recovery address, a recovery of
  // member 6 through it (requested, cancelled, requested again; completed 30 days later, at the end).
  const helper = addressOf(n + 2);
  const newWallet = addressOf(n + 3);
  await rpc("hardhat_setBalance", [helper, RICH]);
  await rpc("hardhat_impersonateAccount", [helper]);
  m.withdrawTo = (await exec(A(7), poolAddress, I.encodeFunctionData("withdrawTo", [usdc(5), helper]))).sample;
  m.setBeneficiary = (await exec(A(7), poolAddress, I.encodeFunctionData("setBeneficiary", [helper]))).sample;
  m.setRecoveryOptions = (
    await exec(A(6), poolAddress, I.encodeFunctionData("setRecoveryOptions", [helper, false]))
  ).sample;
  const recover = I.encodeFunctionData("requestRecovery", [ethers.id("m6"), newWallet, 0, "0x"]);
  m.requestRecovery = (await exec(helper, poolAddress, recover)).sample;
  m.cancelRecovery = (await exec(A(6), poolAddress, I.encodeFunctionData("cancelRecovery", [A(6)]))).sample;
  await execAll([[helper, poolAddress, recover]]);
  const recoveryReady = (await pool.recoveryOf(A(6))).readyAt;

  // Members 9..19 keep exactly the minimum: the next share takes them below it (flag, lapse, lapseBatch).
  const lapsers = n >= 1_000 ? 11 : 0;
  if (lapsers)
    await execAll(
      Array.from(
        { length: lapsers },
        (_, k) => [A(9 + k), poolAddress, I.encodeFunctionData("withdraw", [usdc(35)])] as [string, string, string],
      ),
    );

  // One claim (claimant 0) through round 0, an appeal, a 7-seat appeal round, resolve, settle.
  // 20 (more than the forfeited appeal bond the surplus will hold), so that the settlement charges a share.
  const c = await claimsThroughRound0(e, [A(0)], usdc(20), "one");
  const id = c.ids[0];
  m.submitClaim = sampleOf(
    c.subs[0],
    I.encodeFunctionData("submitClaim", [usdc(20), ethers.id("one-evidence-0"), "ipfs://bafy-evidence"]),
  );
  m.drawJury3 = {
    ...sampleOf(c.draws[0], I.encodeFunctionData("drawJury", [id])),
    k: 3,
    note: `${c.juries[0].length} seated`,
  };
  m.commitVote = sampleOf(
    c.commits[0],
    I.encodeFunctionData("commitDecision", [id, commitmentOf(id, 0, c.juries[0][0], true)]),
  );
  m.revealVote = sampleOf(
    c.reveals[0],
    I.encodeFunctionData("revealDecision", [id, true, salt(id, 0, c.juries[0][0])]),
  );
  m.tally = sampleOf(c.tallies[0], I.encodeFunctionData("tally", [id]));
  m.attachReview = (
    await exec(e.assessor, poolAddress, I.encodeFunctionData("attachReview", [id, ethers.id("review")]))
  ).sample;
  // An appeal against the approval by a member neither claimant nor juror.
  const seated = new Set(c.juries[0]);
  let appellant = 1;
  while (seated.has(A(appellant))) appellant++;
  m.appeal = (await exec(A(appellant), poolAddress, I.encodeFunctionData("appeal", [id]))).sample;
  const r1 = await pool.round(id, 1);
  if ((await now()) < r1.opensAt) await increaseTo(r1.opensAt);
  const blk = BigInt(await ethers.provider.getBlockNumber());
  if (blk <= r1.seedBlock) await mineBlocks(Number(r1.seedBlock - blk) + 1);
  const d7 = await exec(e.keeper, poolAddress, I.encodeFunctionData("drawJury", [id]));
  const j7 = jurorsFrom(d7.r);
  m.drawJury7 = { ...d7.sample, k: 7, note: `${j7.length} seated` };
  await execAll(
    j7.map(
      (j) =>
        [j, poolAddress, I.encodeFunctionData("commitDecision", [id, commitmentOf(id, 1, j, true)])] as [
          string,
          string,
          string,
        ],
    ),
  );
  await increaseTo(r1.commitEndsAt);
  await execAll(
    j7.map(
      (j) =>
        [j, poolAddress, I.encodeFunctionData("revealDecision", [id, true, salt(id, 1, j)])] as [
          string,
          string,
          string,
        ],
    ),
  );
  await increaseTo(r1.revealEndsAt);
  await execAll([[e.keeper, poolAddress, I.encodeFunctionData("tally", [id])]]);
  await increaseTo((await pool.claim(id)).resolvesAt);
  m.resolve = (await exec(e.keeper, poolAddress, I.encodeFunctionData("resolve", [id]), 3_000_000)).sample;
  // The worst case for settle: the claimant took the refunded bond out, so the payout slot is written from zero.
  await execAll([[A(0), poolAddress, I.encodeFunctionData("withdrawPayout")]]);
  const paidTopic = claimPaidTopic(e);
  await increaseTo(await pool.periodEnd(await pool.currentPeriod()));
  for (const s of await settleEnded(e))
    if (s.r.logs.some((l) => l.topics[0] === paidTopic)) m.settle1 = { ...s.sample, k: 1 };
  m.withdrawPayout = (await exec(A(0), poolAddress, I.encodeFunctionData("withdrawPayout"))).sample;
  m.withdrawFees = (await exec(e.operator, poolAddress, I.encodeFunctionData("withdrawFees"))).sample;

  if (lapsers) {
    const flags = await execAll(
      Array.from(
        { length: lapsers },
        (_, k) => [e.keeper, poolAddress, I.encodeFunctionData("flag", [A(9 + k)])] as [string, string, string],
      ),
    );
    m.flag = sampleOf(flags[0], I.encodeFunctionData("flag", [A(9)]));
    await increaseTo((await now()) + BigInt(15 * DAY));
    m.lapse = (await exec(e.keeper, poolAddress, I.encodeFunctionData("lapse", [A(9)]))).sample;
    const batch = Array.from({ length: 10 }, (_, k) => A(10 + k));
    m.lapseBatch10 = {
      ...(await exec(e.keeper, poolAddress, I.encodeFunctionData("lapseBatch", [batch]), 3_000_000)).sample,
      k: 10,
    };
    await settleEnded(e);
  }
  m.requestExit = (await exec(A(8), poolAddress, I.encodeFunctionData("requestExit"))).sample;
  m.completeExit = (await exec(e.keeper, poolAddress, I.encodeFunctionData("completeExit", [A(8)]))).sample;

  // A full settle part: MAX_CLAIMS_PER_SETTLE claims by first-time payees (n >= 1,000 only).
  const part = Number(await pool.MAX_CLAIMS_PER_SETTLE());
  if (n >= 1_000) {
    await alignToPeriodStart(e);
    const claimants = Array.from({ length: part }, (_, k) => A(20 + k));
    const f = await claimsThroughRound0(e, claimants, usdc(1), "part");
    await increaseTo((await pool.claim(f.ids[f.ids.length - 1])).resolvesAt);
    await resolveUpTo(e, f.ids[f.ids.length - 1]);
    await execAll(
      claimants.map((a) => [a, poolAddress, I.encodeFunctionData("withdrawPayout")] as [string, string, string]),
    );
    await increaseTo(await pool.periodEnd(await pool.currentPeriod()));
    for (const s of await settleEnded(e)) {
      const paid = s.r.logs.filter((l) => l.topics[0] === paidTopic).length;
      if (paid === part) m.settleMax = { ...s.sample, k: part };
    }
  }
  await increaseTo(recoveryReady);
  m.completeRecovery = (
    await exec(e.keeper, poolAddress, I.encodeFunctionData("completeRecovery", [ethers.id("m6")]))
  ).sample;
  return m;
}

/** One period's SETTLE_CLAIMS approved claims paid through chunked settlement; every call's gas. */
async function settlementRun() {
  const claims = SETTLE_CLAIMS;
  const cap = usdc("0.1");
  // The factory's solvency check: minBalance >= every claim at its cap + the largest fee + rounding.
  const largest =
    BigInt(claims) * cap + (BigInt(claims) * cap * 1_000n + 9_999n) / 10_000n + BigInt(Math.ceil(claims / 180));
  const minBalance = ((largest + usdc(1) - 1n) / usdc(1)) * usdc(1);
  const e = await deploy({ maxClaimsPerPeriod: claims, capPerMember: cap, minBalance, minDeposit: minBalance });
  const t0 = Date.now();
  await buildMembers(e, 0, claims, minBalance + usdc(50));
  await increaseTo((await now()) + BigInt(91 * DAY));
  await settleEnded(e);
  await alignToPeriodStart(e);
  const f = await claimsThroughRound0(
    e,
    Array.from({ length: claims }, (_, k) => addressOf(k)),
    usdc(1),
    "s",
  );
  const last = f.ids[f.ids.length - 1];
  await increaseTo((await e.pool.claim(last)).resolvesAt);
  await resolveUpTo(e, last, 100n);
  // Worst case: every claimant took its refunded bond out, so each payout slot is written from zero.
  await execAll(
    Array.from(
      { length: claims },
      (_, k) =>
        [addressOf(k), e.poolAddress, e.pool.interface.encodeFunctionData("withdrawPayout")] as [
          string,
          string,
          string,
        ],
    ),
    300_000,
    100_000,
  );
  const period = await e.pool.currentPeriod();
  await increaseTo(await e.pool.periodEnd(period));
  const paidTopic = claimPaidTopic(e);
  const calls: Array<{ gas: number; claims: number }> = [];
  for (const s of await settleEnded(e)) {
    const paid = s.r.logs.filter((l) => l.topics[0] === paidTopic).length;
    if (paid) calls.push({ gas: s.sample.gas, claims: paid });
  }
  const paid = calls.reduce((a, c) => a + c.claims, 0);
  if (paid !== claims) throw new Error(`paid ${paid} of ${claims}`);
  const maxGasPerCall = Math.max(...calls.map((c) => c.gas));
  if (maxGasPerCall >= TX_CAP) throw new Error(`a settle call used ${maxGasPerCall} gas`);
  const maxClaimsPerPeriod = Number((await e.pool.rules()).maxClaimsPerPeriod);
  return {
    claims,
    calls: calls.length,
    maxGasPerCall,
    inOnePeriod: true,
    period: Number(period),
    members: claims,
    jurySize: 3,
    minBalance: Number(minBalance),
    maxClaimsPerPeriod,
    gasPerCall: calls.map((c) => c.gas),
    claimsPerCall: calls.map((c) => c.claims),
    buildSeconds: Math.round((Date.now() - t0) / 1000),
  };
}

/** Exact hypergeometric P(X >= need) drawing `seats` from `pop` holding `ring` marked. */
function hypergeometricAtLeast(pop: number, ring: number, seats: number, need: number): number {
  const lnC = (n: number, k: number) => (k < 0 || k > n ? -Infinity : lnFact(n) - lnFact(k) - lnFact(n - k));
  let p = 0;
  for (let x = need; x <= seats; x++) p += Math.exp(lnC(ring, x) + lnC(pop - ring, seats - x) - lnC(pop, seats));
  return p;
}
const lnFactCache: number[] = [0];
function lnFact(n: number): number {
  for (let i = lnFactCache.length; i <= n; i++) lnFactCache[i] = lnFactCache[i - 1] + Math.log(i);
  return lnFactCache[n];
}
/** Exact binomial P(H <= h). */
function binomialAtMost(n: number, p: number, h: number): number {
  let s = 0;
  for (let k = 0; k <= Math.min(h, n); k++)
    s += Math.exp(lnFact(n) - lnFact(k) - lnFact(n - k) + k * Math.log(p) + (n - k) * Math.log(1 - p));
  return Math.min(1, s);
}

const JURY_MEMBERS = 1_000;
const JURY_CLAIMS = 600;
const RING_SHARES = [0.01, 0.05, 0.1, 0.2, 0.3];
const V1 = { honestTurnout: 0.1, quorum: 3, thresholdBps: 6_000 };

/**
 * A ring holding members 0..K-1 of a 1,000-member pool; JURY_CLAIMS claims by members outside every
 * ring (300..899) each draw a 3-seat jury on chain. The ring captures a jury when it holds 2 of 3.
 */
async function juriesRun() {
  const N = JURY_MEMBERS;
  const e = await deploy();
  await buildMembers(e, 0, N, usdc(60));
  await increaseTo((await now()) + BigInt(91 * DAY));
  await settleEnded(e);
  const claimants = Array.from({ length: JURY_CLAIMS }, (_, k) => addressOf(300 + k));
  const I = e.pool.interface;
  const subs = await execAll(
    claimants.map((c, i) => [
      c,
      e.poolAddress,
      I.encodeFunctionData("submitClaim", [usdc(1), ethers.id(`j-${i}`), "ipfs://x"]),
    ]),
    600_000,
    100_000,
  );
  void subs;
  await mineBlocks(2);
  const first = (await e.pool.claimCount()) - BigInt(JURY_CLAIMS) + 1n;
  const draws = await execAll(
    claimants.map((_, k) => [e.keeper, e.poolAddress, I.encodeFunctionData("drawJury", [first + BigInt(k)])]),
    2_000_000,
    100_000,
  );
  const juries = draws.map((r) => jurorsFrom(r).map((a) => Number(BigInt(a) - 0x1000000n)));
  const seats = 3;
  const need = 2;
  if (juries.some((j) => j.length !== seats)) throw new Error("a jury was not filled");
  return RING_SHARES.map((s) => {
    const ring = Math.round(s * N);
    const captured = juries.filter((j) => j.filter((x) => x < ring).length >= need).length / juries.length;
    // The claimant is outside the ring and never seated: the draw is without replacement from N - 1.
    const expected = hypergeometricAtLeast(N - 1, ring, seats, need);
    const se = Math.sqrt((expected * (1 - expected)) / juries.length);
    const honest = N - 1 - ring;
    // v1 open vote: the whole ring votes approve, each honest member votes reject with probability
    // honestTurnout; the ring carries the claim iff votes >= quorum and ring*10000 >= votes*threshold,
    // i.e. honest votes H <= ring*(10000-threshold)/threshold. Exact binomial, no simulation.
    const maxHonest = Math.floor((ring * (10_000 - V1.thresholdBps)) / V1.thresholdBps);
    const minHonest = Math.max(0, V1.quorum - ring);
    const v1 =
      minHonest > maxHonest
        ? 0
        : binomialAtMost(honest, V1.honestTurnout, maxHonest) -
          (minHonest > 0 ? binomialAtMost(honest, V1.honestTurnout, minHonest - 1) : 0);
    return {
      members: N,
      ring,
      share: s,
      seats,
      claims: juries.length,
      captured: Number(captured.toFixed(4)),
      expected: Number(expected.toFixed(4)),
      standardError: Number(se.toFixed(4)),
      withinThreeSE: Math.abs(captured - expected) <= 3 * se + 1e-12,
      v1OpenVoteCarried: Number(v1.toFixed(4)),
    };
  });
}

/** The naive pool: join n members, then one settlement that loops over them. */
async function naiveSettleGas(n: number): Promise<number> {
  await rpc("hardhat_reset", []);
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
  await rpc("evm_setAutomine", [false]);
  for (let i = 0; i < n; i++) {
    const a = addressOf(i);
    await rpc("hardhat_setBalance", [a, RICH]);
    await rpc("hardhat_impersonateAccount", [a]);
    await send(a, address, join, 500_000);
    if (i % 1000 === 999) await mineAll();
  }
  await mineAll();
  await rpc("evm_setAutomine", [true]);
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
  ["flag", "flag"],
  ["lapse", "lapse"],
  ["lapseBatch10", "lapseBatch"],
  ["submitClaim", "submitClaim"],
  ["attachReview", "attachReview"],
  ["drawJury3", "drawJury"],
  ["drawJury7", "drawJury"],
  ["commitVote", "commitVote"],
  ["revealVote", "revealVote"],
  ["tally", "tally"],
  ["appeal", "appeal"],
  ["resolve", "resolve"],
  ["settle1", "settle"],
  ["settleMax", "settle"],
  ["withdrawPayout", "withdrawPayout"],
  ["withdrawFees", "withdrawFees"],
  ["createPool", "createPool"],
  ["withdrawTo", "withdrawTo"],
  ["setBeneficiary", "setBeneficiary"],
  ["setRecoveryOptions", "setRecoveryOptions"],
  ["requestRecovery", "requestRecovery"],
  ["cancelRecovery", "cancelRecovery"],
  ["completeRecovery", "completeRecovery"],
];
const NAMES: Record<string, string> = {
  drawJury3: "drawJury (3 seats)",
  drawJury7: "drawJury (appeal, 7 seats)",
  settle1: "settle (1 claim)",
  settleMax: "settle (180 claims, a full part)",
  lapseBatch10: "lapseBatch (10)",
  requestRecovery: "requestRecovery (by the recovery address)",
};
/** Floors re-derived for v2's storage; the others print n/a (the v1 derivations no longer hold). */
const V2_FLOORS: string[] = [
  "join",
  "joinWithPermit",
  "topUp",
  "withdraw",
  "requestExit",
  "completeExit",
  "submitClaim",
  "commitVote",
  "revealVote",
  "appeal",
  "settle",
  "withdrawPayout",
  "withdrawFees",
];
/** Must not depend on the member count (issue 10): max / min <= 1.01. */
const FLAT = ["join", "topUp", "requestExit", "commitVote", "revealVote", "drawJury3", "drawJury7"];

type Results = Record<string, unknown> & {
  operations?: Array<Record<string, unknown>>;
  settlement?: Record<string, unknown>;
  juries?: Array<Record<string, unknown>>;
};

async function main() {
  const started = Date.now();
  const file = path.join(__dirname, "results.json");
  const previous: Results = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const results: Results = { ...previous, contracts: "v2" };
  const seconds: Record<string, number> = {};
  // Written after each section, so that a later section's failure keeps the earlier figures.
  const save = () => {
    results.seconds = { ...((typeof previous.seconds === "object" && previous.seconds) || {}), ...seconds };
    writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
    writeFileSync(path.join(__dirname, "RESULTS.md"), markdown(results));
  };

  if (ONLY.includes("gas")) {
    const bySize: Record<number, Measured> = {};
    for (const n of SIZES) {
      const t = Date.now();
      process.stdout.write(`pool of ${n} members `);
      bySize[n] = await measureAt(n);
      console.log(` measured in ${((Date.now() - t) / 1000).toFixed(0)} s`);
    }
    results.sizes = SIZES;
    results.full = FULL;
    results.operations = OPS.map(([key, floorKey]) => {
      const gas: Record<string, number | null> = {};
      for (const n of SIZES) gas[n] = bySize[n][key]?.gas ?? null;
      const values = Object.values(gas).filter((g): g is number => g !== null);
      const sample = SIZES.map((n) => bySize[n][key]).find((x) => x !== undefined);
      const floor = sample && V2_FLOORS.includes(floorKey) ? floors[floorKey](sample.data, sample.k) : null;
      const notes = SIZES.map((n) => (bySize[n][key]?.note ? `${n}: ${bySize[n][key].note}` : null)).filter(Boolean);
      return {
        name: NAMES[key] ?? key,
        gas,
        floor: floor ? floor.gas : null,
        ratio: floor && values.length ? Number((Math.max(...values) / floor.gas).toFixed(3)) : null,
        flatness: values.length ? Number((Math.max(...values) / Math.min(...values)).toFixed(4)) : null,
        mustBeFlat: FLAT.includes(key),
        derivation: floor ? floor.derivation : "n/a: no floor derived (bench/floors.ts)",
        ...(notes.length ? { notes: notes.join("; ") } : {}),
      };
    });
    // Per-claim cost of a settle part, from 1 claim and a full part at the same pool (1,000 members).
    const at = SIZES.find((n) => bySize[n].settleMax && bySize[n].settle1);
    if (at) {
      const one = bySize[at].settle1.gas;
      const full = bySize[at].settleMax;
      const perClaim = (full.gas - one) / (full.k! - 1);
      const fixed = one - perClaim;
      const budget = TX_CAP * (1 - MARGIN);
      results.settleCost = {
        members: at,
        fixedGas: Math.round(fixed),
        perClaimGas: Math.round(perClaim),
        txCap: TX_CAP,
        margin: MARGIN,
        budget,
        maxClaimsPerCall: Math.floor((budget - fixed) / perClaim),
        MAX_CLAIMS_PER_SETTLE: full.k,
        worstCase:
          "first-time payees who took their refunded bond out before settlement (payout slot and yearly-payout slot written from zero), maxPayoutPerMember on",
      };
    }
    seconds.gas = Math.round((Date.now() - started) / 1000);
    save();
  }
  if (ONLY.includes("floors") && !ONLY.includes("gas")) {
    // A floor depends only on the calldata; the measured gas of every size stays the last run's.
    const m = await measureAt(1_000);
    const byName = new Map(OPS.map(([key, floorKey]) => [NAMES[key] ?? key, { key, floorKey }]));
    for (const o of (results.operations ?? []) as Array<Record<string, unknown>>) {
      const op = byName.get(o.name as string);
      const sample = op && m[op.key];
      const floor = op && sample && V2_FLOORS.includes(op.floorKey) ? floors[op.floorKey](sample.data, sample.k) : null;
      const values = Object.values(o.gas as Record<string, number | null>).filter((g): g is number => g !== null);
      o.floor = floor ? floor.gas : null;
      o.ratio = floor && values.length ? Number((Math.max(...values) / floor.gas).toFixed(3)) : null;
      o.derivation = floor ? floor.derivation : "n/a: no floor derived (bench/floors.ts)";
    }
    save();
  }

  if (ONLY.includes("settlement")) {
    const t = Date.now();
    process.stdout.write(`settlement of ${SETTLE_CLAIMS} claims in one period `);
    results.settlement = await settlementRun();
    seconds.settlement = Math.round((Date.now() - t) / 1000);
    save();
    console.log(`${seconds.settlement} s`);
  }
  if (ONLY.includes("juries")) {
    const t = Date.now();
    process.stdout.write("juries against rings ");
    results.juries = await juriesRun();
    results.juriesMethod = {
      jurySize: 3,
      claimsPerShare: JURY_CLAIMS,
      captured:
        "share of the on-chain draws in which the ring holds 2 of 3 seats; ring = members 0..K-1, claimants outside it",
      expected: "exact hypergeometric P(X >= 2), 3 seats from the 999 members other than the claimant",
      agreement: "|captured - expected| <= 3 standard errors, SE = sqrt(expected (1 - expected) / claims)",
      v1: {
        ...V1,
        method:
          "exact binomial (analytic): the whole ring votes approve, each other member votes reject with probability honestTurnout",
      },
    };
    seconds.juries = Math.round((Date.now() - t) / 1000);
    save();
    console.log(`${seconds.juries} s`);
  }
  if (ONLY.includes("naive")) {
    const naiveSizes = FULL ? [10, 100, 1_000, 5_000, 10_000] : [10, 100, 1_000, 5_000];
    const naiveGas: Record<string, number> = {};
    for (const n of naiveSizes) naiveGas[n] = await naiveSettleGas(n);
    const [a, b] = naiveSizes.slice(-2);
    const perMember = (naiveGas[b] - naiveGas[a]) / (b - a);
    const blockLimitMembers = Math.floor((BLOCK_GAS_LIMIT - (naiveGas[b] - perMember * b)) / perMember);
    results.naive = {
      gas: naiveGas,
      perMemberGas: Math.round(perMember),
      blockGasLimit: BLOCK_GAS_LIMIT,
      blockLimitMembers,
    };
  }
  save();
  console.log(markdown(results));
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? "n/a" : v.toLocaleString("en-US"));

function markdown(r: Results): string {
  const sizes = (r.sizes as number[]) ?? [];
  const ops = (r.operations ?? []) as Array<{
    name: string;
    gas: Record<string, number | null>;
    floor: number | null;
    ratio: number | null;
    flatness: number | null;
    mustBeFlat: boolean;
    derivation: string;
    notes?: string;
  }>;
  const secs = r.seconds as Record<string, number>;
  const lines = [
    "# Benchmark results (contracts v2)",
    "",
    `Written by \`npm run bench\` (${Object.entries(secs)
      .map(([k, v]) => `${k} ${v} s`)
      .join(
        ", ",
      )}). Gas used per transaction on Hardhat's EVM (Cancun), at pools of ${sizes.map(fmt).join(", ")} members.`,
    "Flatness = max / min across the member counts; * marks the operations that must be flat (<= 1.01, issue 10). Floor: the least the EVM charges for what the operation must store, read, log and transfer (bench/floors.ts, v2 storage; a slot the measured transaction writes from zero counts as new: the first claim's counter, first-time payees, the fees and the operator's token balance); ratio = the largest measured / floor. n/a: not derived (keeper-only operations and createPool). Rules are the clones' immutable args (issue 13).",
    "",
    `| operation | ${sizes.map((n) => `gas at ${fmt(n)}`).join(" | ")} | floor | ratio | flatness |`,
    `| --- | ${sizes.map(() => "---:").join(" | ")} | ---: | ---: | ---: |`,
    ...ops.map(
      (o) =>
        `| ${o.name}${o.mustBeFlat ? " *" : ""} | ${sizes.map((n) => fmt(o.gas[n])).join(" | ")} | ${fmt(o.floor)} | ${o.ratio ?? "n/a"} | ${o.flatness ?? "n/a"} |`,
    ),
    "",
    "n/a at 10 members: flag, lapse and lapseBatch (the pool has no 11 underfunded members to spare) and the 180-claim part (10 members cannot file 180 claims in one period).",
    ...ops.filter((o) => o.notes).map((o) => `- ${o.name}: seats filled, ${o.notes}.`),
  ];
  const sc = r.settleCost as Record<string, number> | undefined;
  if (sc)
    lines.push(
      "",
      "## Settlement: claims per call",
      "",
      `Worst case (first-time payees who took their refunded bond out, so that the payout slot and the yearly-payout slot are both written from zero; maxPayoutPerMember on), ${fmt(sc.members)}-member pool: a settle part costs about **${fmt(sc.fixedGas)} + ${fmt(sc.perClaimGas)} per claim** (from the 1-claim and 180-claim parts). With a 25% margin under 2^24 = ${fmt(sc.txCap)} (budget ${fmt(sc.budget)}), one call fits **${fmt(sc.maxClaimsPerCall)} claims**; MAX_CLAIMS_PER_SETTLE is ${sc.MAX_CLAIMS_PER_SETTLE}.`,
    );
  const st = r.settlement as Record<string, number> | undefined;
  if (st)
    lines.push(
      "",
      `${fmt(st.claims)} approved claims (each by its own claimant, drawn 3-seat juries, ${fmt(st.members)} members, minBalance ${fmt(st.minBalance / 1e6)} with maxClaimsPerPeriod ${fmt(st.maxClaimsPerPeriod)}) paid in ONE period (period ${st.period}) in **${st.calls} settle calls**, the largest **${fmt(st.maxGasPerCall)} gas** (< 2^24). Build and run: ${st.buildSeconds} s.`,
    );
  const j = r.juries as Array<Record<string, number | boolean>> | undefined;
  if (j) {
    const v1 = (r.juriesMethod as { v1: typeof V1 }).v1;
    lines.push(
      "",
      "## Drawn juries against a ring of wallets",
      "",
      `${fmt(j[0].members as number)} members, ${j[0].claims} claims drawn on chain (3 seats each; the same draws judged against each ring, members 0..K-1; claimants outside the ring). captured = share of juries where the ring holds 2 of 3 seats; expected = exact hypergeometric; agreement = within 3 standard errors. v1 = share of the same claims the ring would carry under v1's open vote with honest turnout ${v1.honestTurnout * 100}%, quorum ${v1.quorum}, threshold ${v1.thresholdBps / 100}% (exact binomial, analytic).`,
      "",
      "| ring share | ring | captured | expected | 3 SE | agrees | v1 open vote carried |",
      "| ---: | ---: | ---: | ---: | ---: | :---: | ---: |",
      ...j.map(
        (x) =>
          `| ${(x.share as number) * 100}% | ${x.ring} | ${x.captured} | ${x.expected} | ${Number((3 * (x.standardError as number)).toFixed(4))} | ${x.withinThreeSE ? "yes" : "NO"} | ${x.v1OpenVoteCarried} |`,
      ),
    );
  }
  const nv = r.naive as { gas: Record<string, number>; perMemberGas: number; blockLimitMembers: number } | undefined;
  if (nv)
    lines.push(
      "",
      "## The naive alternative",
      "",
      "A pool that charges each member in a loop at settlement (bench/contracts/NaivePool.sol):",
      "",
      "| members | gas of one settlement |",
      "| ---: | ---: |",
      ...Object.entries(nv.gas).map(([n, g]) => `| ${fmt(Number(n))} | ${fmt(g)} |`),
      "",
      `About ${fmt(nv.perMemberGas)} gas per member: one settlement passes a 30,000,000-gas block at about **${fmt(nv.blockLimitMembers)} members**. Huzhu's settlement costs the same at any member count.`,
    );
  lines.push(
    "",
    "## Audit throughput",
    "",
    "Measured apart, by `npx hardhat run bench/audit-speed.ts` (a 10,000-member, 50-period pool over HTTP): see bench/audit-speed.json and the README.",
  );
  return lines.join("\n") + "\n";
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
