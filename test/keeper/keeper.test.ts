import { expect } from "chai";
import { JsonRpcProvider, Wallet } from "ethers";
import pino from "pino";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fromEthers, settle, type Address } from "../../sdk/src";
import {
  PoolState,
  addPool,
  createKeeper,
  decodePoolLogs,
  runKeeper,
  writeDeployment,
  type Keeper,
  type KeeperOptions,
} from "../../sdk/src/node";
import { HuzhuPool__factory, PoolFactory__factory } from "../../typechain-types";
import { hardhatKey, startHardhatNode, type HardhatNode } from "../helpers/hardhatNode";
import { startFaultProxy, type FaultProxy } from "./faultProxy";
import {
  DAY,
  deployEnv,
  expectNothingDue,
  keeperWallet,
  poolWithMembers,
  runStory,
  until,
  type Env,
  type PoolSetup,
} from "./scenario";

const NODE_PORT = 8720;
const METRICS_PORT = 8721;
const PROXY_PORT = 8722;
const CLI_METRICS_PORT = 8723;
const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "sdk", "src", "cli", "index.ts");

/** `huzhu keeper run` in its own process, as an operator runs it; its JSON log lines are collected. */
function spawnKeeper(args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TS_NODE_TRANSPILE_ONLY: "true",
    TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: "commonjs" }),
  };
  const child = spawn(process.execPath, ["-r", "ts-node/register", CLI, ...args], { cwd: ROOT, env });
  const lines: Array<Record<string, unknown>> = [];
  let partial = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const parts = text.split("\n");
    partial = parts.pop()!;
    for (const line of parts) if (line.trim()) lines.push(JSON.parse(line));
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, lines, exited, stderr: () => stderr };
}

/** A pino logger whose JSON lines are kept in `lines`. */
function memoryLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), lines };
}

/** Every transaction `from` sent since `fromBlock`, with its receipt's status. */
async function transactionsFrom(provider: JsonRpcProvider, from: string, fromBlock: number) {
  const head = await provider.getBlockNumber();
  const found: Array<{ hash: string; status: number; selector: string }> = [];
  for (let n = fromBlock; n <= head; n++) {
    const block = await provider.getBlock(n, true);
    for (const tx of block!.prefetchedTransactions) {
      if (tx.from.toLowerCase() !== from.toLowerCase()) continue;
      const receipt = await provider.getTransactionReceipt(tx.hash);
      found.push({ hash: tx.hash, status: receipt!.status!, selector: tx.data.slice(0, 10) });
    }
  }
  return found;
}

/** `huzhu_keeper_duties_total` by outcome (summed over pools and kinds), from a keeper's registry. */
async function dutyCounts(keeper: Keeper) {
  const metric = await keeper.metrics.duties.get();
  const sums = { done: 0, skipped: 0, deferred: 0, failed: 0 };
  const byKind: Record<string, number> = {};
  for (const v of metric.values) {
    sums[v.labels.outcome as keyof typeof sums] += v.value;
    if (v.labels.outcome === "done") byKind[v.labels.kind as string] = (byKind[v.labels.kind as string] ?? 0) + v.value;
  }
  return { ...sums, byKind };
}

/** The value of a sample in Prometheus text, e.g. `sample(text, 'huzhu_pool_members{pool="0x.."}')`. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`no sample ${series} in:\n${text}`);
  return Number(line.slice(series.length + 1));
}

describe("keeper service over HTTP JSON-RPC @json-rpc", function () {
  this.timeout(240_000);

  let node: HardhatNode;
  let provider: JsonRpcProvider;
  let env: Env;
  const providers: JsonRpcProvider[] = [];
  const keeperProvider = (url: string) => {
    const p = new JsonRpcProvider(url, 31337, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
    providers.push(p);
    return p;
  };
  const options = (p: PoolSetup, index: number, url = node.url): KeeperOptions => ({
    wallet: keeperWallet(index, keeperProvider(url)),
    pools: [{ address: p.pool, block: BigInt(p.block) }],
    intervalMs: 150,
    maxBackoffMs: 1_000,
  });

  before(async function () {
    node = await startHardhatNode(NODE_PORT);
    provider = node.provider();
    env = await deployEnv(node, provider);
  });

  after(async function () {
    for (const p of providers) p.destroy();
    await node?.stop();
  });

  it("one keeper takes a pool through five periods: every duty done once, /metrics and /health over HTTP", async function () {
    const p = await poolWithMembers(env, "solo");
    const start = await provider.getBlockNumber();
    const { logger, lines } = memoryLogger();
    const running = await runKeeper({ ...options(p, 0), logger, port: METRICS_PORT, signals: [] });
    const keeper = running.keeper;
    const states = new Set<string>();
    try {
      await runStory(env, p, {
        onFail: () => console.log(JSON.stringify(lines.slice(-30), null, 0)),
        onStep: async () => {
          // After a cycle or two (the gauges are set at the start of a cycle)...
          await new Promise((resolve) => setTimeout(resolve, 500));
          // The claims gauge by state, as scraped: every state a claim passes through shows up.
          const text = await (await fetch(`${running.server!.url}/metrics`)).text();
          for (const line of text.split("\n"))
            if (line.startsWith("huzhu_pool_claims_waiting{") && !line.endsWith(" 0"))
              states.add(/state="(\w+)"/.exec(line)![1]);
        },
      });
      await expectNothingDue(env, p).catch((e) => {
        console.log(lines.slice(-40));
        throw e;
      });
      // Idle: a cycle with nothing due.
      await keeper.cycle();

      // The keeper's event-built index agrees with the pool on every balance and the charge index.
      const state = new PoolState(p.rules);
      const logs = await fromEthers(provider).getLogs({
        address: p.pool,
        fromBlock: BigInt(p.block),
        toBlock: BigInt(await provider.getBlockNumber()),
      });
      state.apply(decodePoolLogs(logs));
      expect(state.chargeIndex).to.equal(await p.contract.chargeIndex());
      expect(state.memberCount).to.equal(await p.contract.memberCount());
      for (const m of p.members) {
        const entry = state.members.get(m.address as Address)!;
        const view = await p.contract.member(m.address);
        expect(entry.credit, `credit of ${m.address}`).to.equal(view.credit);
        if (entry.phase === "counted") expect(state.balanceOf(entry)).to.equal(view.balance);
      }
      expect(state.underfunded()).to.deep.equal([]);

      const sent = await transactionsFrom(provider, keeper.address, start);
      expect(
        sent.filter((t) => t.status !== 1),
        "reverted keeper transactions",
      ).to.deep.equal([]);
      const counts = await dutyCounts(keeper);
      expect(counts.failed).to.equal(0);
      expect(counts.done).to.equal(sent.length);
      expect(counts.byKind.drawJury).to.equal(4); // three juries, and claim 3's second round
      expect(counts.byKind.tally).to.equal(3);
      expect(counts.byKind.resolve).to.equal(1); // claims 1 to 3 in one transaction
      expect(counts.byKind.completeExit).to.equal(2); // member 6's exit, member 5's lapse
      expect(counts.byKind.lapseBatch).to.equal(2); // flag, then lapse
      expect(counts.byKind.settle).to.be.at.least(3);
      expect(lines.filter((l) => l.msg === "done")).to.have.length(sent.length);
      expect([...states]).to.include.members(["Committing", "Appealable", "Approved"]);

      const pool = p.pool;
      const metrics = await fetch(`${running.server!.url}/metrics`);
      expect(metrics.status).to.equal(200);
      const text = await metrics.text();
      const head = await provider.getBlockNumber();
      expect(sample(text, "huzhu_keeper_chain_head")).to.equal(head);
      expect(sample(text, "huzhu_keeper_lag_blocks")).to.be.at.most(1);
      expect(sample(text, `huzhu_pool_members{pool="${pool}"}`)).to.equal(5);
      expect(sample(text, `huzhu_pool_payment_queue_length{pool="${pool}"}`)).to.equal(0);
      expect(sample(text, `huzhu_pool_next_period_to_settle{pool="${pool}"}`)).to.equal(
        Number(await p.contract.nextPeriodToSettle()),
      );
      expect(sample(text, `huzhu_pool_next_period_end_timestamp_seconds{pool="${pool}"}`)).to.equal(
        Number(await p.contract.periodEnd(await p.contract.nextPeriodToSettle())),
      );
      expect(sample(text, `huzhu_pool_claims_waiting{pool="${pool}",state="Drawing"}`)).to.equal(0);
      expect(sample(text, `huzhu_keeper_balance_wei`)).to.equal(Number(await provider.getBalance(keeper.address)));
      expect(sample(text, `huzhu_keeper_duties_total{pool="${pool}",kind="tally",outcome="done"}`)).to.equal(3);
      const gasUsed = (
        await Promise.all(sent.map(async (t) => (await provider.getTransactionReceipt(t.hash))!.gasUsed))
      ).reduce((a, b) => a + b, 0n);
      const gasMetric = (await keeper.metrics.gasUsed.get()).values.reduce((s, v) => s + v.value, 0);
      expect(gasMetric).to.equal(Number(gasUsed));

      const health = await fetch(`${running.server!.url}/health`);
      expect(health.status).to.equal(200);
      const body = (await health.json()) as { ready: boolean; head: string; pools: number };
      expect(body.ready).to.equal(true);
      expect(body).to.include({ chainAnswers: true, lagBlocks: 0 });
      expect(body.pools).to.equal(1);
      expect((await fetch(`${running.server!.url}/nothing`)).status).to.equal(404);
    } finally {
      await running.stop();
    }
  });

  it("two keepers racing: each duty done once, zero reverted transactions; the standby takes over when the first stops", async function () {
    const p = await poolWithMembers(env, "race");
    const start = await provider.getBlockNumber();
    const a = createKeeper({ ...options(p, 1), logger: pino({ level: "silent" }) });
    const b = createKeeper({ ...options(p, 2), standbyMs: 2_000, logger: pino({ level: "silent" }) });
    const runs = [a.start(), b.start()];
    try {
      await runStory(env, p, {
        onStep: async (step) => {
          if (step === "resolved") {
            // The first keeper goes away: the standby does the rest.
            a.stop();
            await runs[0];
          }
        },
      });
      await expectNothingDue(env, p);
    } finally {
      a.stop();
      b.stop();
      await Promise.all(runs);
    }
    const [sentA, sentB] = await Promise.all([
      transactionsFrom(provider, a.address, start),
      transactionsFrom(provider, b.address, start),
    ]);
    expect(
      [...sentA, ...sentB].filter((t) => t.status !== 1),
      "reverted keeper transactions",
    ).to.deep.equal([]);
    const [countsA, countsB] = await Promise.all([dutyCounts(a), dutyCounts(b)]);
    expect(countsA.done).to.equal(sentA.length);
    expect(countsB.done).to.equal(sentB.length);
    expect(countsA.failed + countsB.failed).to.equal(0);
    expect(sentA.length).to.be.greaterThan(0);
    expect(sentB.length).to.be.greaterThan(0);
    // Together they did what one keeper does alone, no more.
    const all = { ...countsA.byKind };
    for (const [kind, n] of Object.entries(countsB.byKind)) all[kind] = (all[kind] ?? 0) + n;
    expect(all).to.include({ drawJury: 4, tally: 3, resolve: 1, completeExit: 2, lapseBatch: 2 });
  });

  it("a duty someone else did between the keeper's decision and its send is skipped, not failed, and nothing reverts", async function () {
    const p = await poolWithMembers(env, "skip");
    const start = await provider.getBlockNumber();
    const other = { connector: fromEthers(new Wallet(hardhatKey(1), provider)), pool: p.pool };
    const { logger, lines } = memoryLogger();
    const keeper = createKeeper({
      ...options(p, 3),
      logger,
      // Someone else settles first, after the keeper decided to.
      beforeSend: async ({ kind }) => {
        if (kind === "settle") await settle(other);
      },
    });
    await node.increaseTime(15 * DAY);
    expect(await keeper.cycle()).to.equal(0);
    const counts = await dutyCounts(keeper);
    expect(counts).to.include({ done: 0, skipped: 1, failed: 0 });
    expect(lines.find((l) => l.msg === "skipped: done by someone else first")).to.include({
      duty: "settle",
      period: "0",
    });
    expect(await transactionsFrom(provider, keeper.address, start)).to.deep.equal([]);
    expect(await p.contract.nextPeriodToSettle()).to.equal(1n);
  });

  it("sends nothing while the gas price is above the ceiling (deferred), and the duty once it is not", async function () {
    const p = await poolWithMembers(env, "gas");
    const start = await provider.getBlockNumber();
    await node.increaseTime(15 * DAY);
    const capped = createKeeper({ ...options(p, 5), maxGasPriceWei: 1n, logger: pino({ level: "silent" }) });
    expect(await capped.cycle()).to.equal(0);
    expect(await dutyCounts(capped)).to.include({ done: 0, deferred: 1, failed: 0 });
    expect(await transactionsFrom(provider, capped.address, start)).to.deep.equal([]);
    expect(await p.contract.nextPeriodToSettle()).to.equal(0n);
    const fees = await provider.getFeeData();
    const open = createKeeper({
      ...options(p, 5),
      maxGasPriceWei: fees.maxFeePerGas! * 2n,
      logger: pino({ level: "silent" }),
    });
    expect(await open.cycle()).to.equal(1);
    expect(await p.contract.nextPeriodToSettle()).to.equal(1n);
  });

  describe("faults", function () {
    let proxy: FaultProxy;
    before(async function () {
      proxy = await startFaultProxy(node.url, PROXY_PORT);
    });
    after(async function () {
      await proxy?.stop();
    });

    it("a proxy failing or dropping one request in five and an endpoint gone for 10 s: nothing undone, nothing duplicated", async function () {
      const p = await poolWithMembers(env, "faults");
      const start = await provider.getBlockNumber();
      const faultLog = memoryLogger();
      const running = await runKeeper({
        ...options(p, 4, proxy.url),
        logger: faultLog.logger,
        port: METRICS_PORT,
        signals: [],
      });
      const keeper = running.keeper;
      proxy.faultEvery(5);
      let sawUnready = false;
      try {
        await runStory(env, p, {
          advance: async (step, seconds) => {
            if (step !== "paid") return node.increaseTime(seconds);
            // The endpoint goes away for 10 s while duties fall due (period 3 ends).
            const away = proxy.goAway(10_000);
            await node.increaseTime(seconds);
            await new Promise((resolve) => setTimeout(resolve, 3_000));
            const health = await fetch(`${running.server!.url}/health`);
            sawUnready = health.status === 503 && ((await health.json()) as { ready: boolean }).ready === false;
            await away;
          },
        });
        await expectNothingDue(env, p);
        await until(node, "healthy again", async () => (await fetch(`${running.server!.url}/health`)).status === 200);
      } finally {
        proxy.faultEvery(0);
        await running.stop();
      }
      expect(sawUnready, "/health said 503 while the endpoint was gone").to.equal(true);
      expect(proxy.failed, "requests failed by the proxy").to.be.greaterThan(0);
      expect(proxy.dropped, "answers dropped by the proxy").to.be.greaterThan(0);
      const sent = await transactionsFrom(provider, keeper.address, start);
      expect(
        sent.filter((t) => t.status !== 1),
        "reverted keeper transactions",
      ).to.deep.equal([]);
      const counts = await dutyCounts(keeper);
      expect(counts.done).to.equal(sent.length);
      expect(counts.byKind).to.include({ drawJury: 4, tally: 3, resolve: 1, completeExit: 2, lapseBatch: 2 });
    });
  });

  it("huzhu keeper run: SIGTERM mid-run finishes the step and exits 0; a restart resumes without repeating work", async function () {
    const p = await poolWithMembers(env, "sigterm");
    const start = await provider.getBlockNumber();
    const dir = mkdtempSync(join(tmpdir(), "huzhu-keeper-"));
    writeDeployment(
      addPool(env.deployment, { name: "sigterm", address: p.pool, block: BigInt(p.block), rules: p.rules }),
      dir,
    );
    const key = hardhatKey(14);
    const args = [
      "--deployments",
      dir,
      "--rpc",
      node.url,
      "keeper",
      "run",
      "--interval",
      "150",
      "--port",
      String(CLI_METRICS_PORT),
    ];
    const keeperAddress = new Wallet(key).address;
    const runs: Array<ReturnType<typeof spawnKeeper>> = [];
    const launch = async () => {
      const run = spawnKeeper([...args.slice(0, 4), "--key", key, ...args.slice(4)]);
      runs.push(run);
      const deadline = Date.now() + 60_000;
      while (!run.lines.some((l) => l.msg === "keeper started")) {
        if (Date.now() > deadline || run.child.exitCode !== null)
          throw new Error(`keeper did not start: ${run.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return run;
    };
    let stopped: { code: number | null; pendingAfter: number; doneBefore: number } | undefined;
    try {
      let current = await launch();
      await runStory(env, p, {
        onFail: () => console.log(runs.map((r) => r.lines.slice(-20))),
        advance: async (step, seconds) => {
          await node.increaseTime(seconds);
          if (step !== "tallied") return;
          // Three tallies fall due: stop the keeper as soon as it has done the first.
          const before = current.lines.filter((l) => l.msg === "done").length;
          while (current.lines.filter((l) => l.msg === "done").length === before)
            await new Promise((resolve) => setTimeout(resolve, 20));
          current.child.kill("SIGTERM");
          const code = await current.exited;
          const [pending, mined] = await Promise.all([
            provider.getTransactionCount(keeperAddress, "pending"),
            provider.getTransactionCount(keeperAddress, "latest"),
          ]);
          stopped = { code, pendingAfter: pending - mined, doneBefore: before };
          current = await launch();
        },
      });
      await expectNothingDue(env, p);
    } finally {
      for (const run of runs) if (run.child.exitCode === null) run.child.kill("SIGTERM");
      await Promise.all(runs.map((r) => r.exited));
      rmSync(dir, { recursive: true, force: true });
    }
    expect(stopped).to.include({ code: 0, pendingAfter: 0 });
    const first = runs[0].lines;
    expect(first.map((l) => l.msg)).to.include.members(["stopping after the current step", "keeper stopped"]);
    // The stop came in the middle of the tallies: the restarted keeper did the rest.
    const tallies = runs.map((r) => r.lines.filter((l) => l.msg === "done" && l.duty === "tally").length);
    expect(tallies[0]).to.be.within(1, 2);
    expect(tallies[0] + tallies[1]).to.equal(3);
    const sent = await transactionsFrom(provider, keeperAddress, start);
    expect(
      sent.filter((t) => t.status !== 1),
      "reverted keeper transactions",
    ).to.deep.equal([]);
    const done = runs.flatMap((r) => r.lines.filter((l) => l.msg === "done"));
    expect(done).to.have.length(sent.length);
    expect(runs.flatMap((r) => r.lines.filter((l) => l.level === 50))).to.deep.equal([]);
  });

  it("watches every pool the factory created: after it is idle, no pool has an ended period unsettled", async function () {
    const keeper = createKeeper({
      wallet: keeperWallet(6, keeperProvider(node.url)),
      factory: env.deployment.factory,
      intervalMs: 150,
      logger: pino({ level: "silent" }),
    });
    const factory = PoolFactory__factory.connect(env.factory, provider);
    await node.increaseTime(30 * DAY);
    for (let i = 0; i < 40 && (await keeper.cycle()) > 0; i++);
    const count = Number(await factory.poolCount());
    expect(count).to.be.greaterThan(0);
    expect((await keeper.metrics.pools.get()).values[0].value).to.equal(count);
    const now = BigInt((await provider.getBlock("latest"))!.timestamp);
    for (let i = 0; i < count; i++) {
      const pool = HuzhuPool__factory.connect(await factory.poolAt(i), provider);
      expect(await pool.periodEnd(await pool.nextPeriodToSettle()), `pool ${i}`).to.be.greaterThan(now);
    }
    const sent = await transactionsFrom(provider, keeper.address, 0);
    expect(sent.filter((t) => t.status !== 1)).to.deep.equal([]);
    expect((await dutyCounts(keeper)).done).to.equal(sent.length);
  });
});
