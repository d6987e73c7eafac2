/**
 * The keeper's speed on a local HTTP node: how many blocks after a period ends its settlement is
 * mined, and how many JSON-RPC requests an idle cycle makes with 10 and with 10,000 members (it must
 * not grow: a cycle reads the events of new blocks and a few views, never each member).
 *
 *   npx hardhat run bench/keeper.ts
 *   HUZHU_BENCH_MEMBERS=2000 npx hardhat run bench/keeper.ts
 *
 * Starts `hardhat node` on port 8724 (HUZHU_BENCH_PORT), builds two pools with real joins
 * (impersonated accounts, automine off), puts a counting proxy (port 8725) between each keeper and
 * the node, and writes the "keeper" key of bench/results.json.
 */
import hre from "hardhat";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider, Wallet } from "ethers";
import pino from "pino";
import { createKeeper, type Keeper } from "../sdk/src/node";
import type { Address } from "../sdk/src";
import { Chain, DAY, PoolDriver, deploy, httpRpc, startNode, usdc } from "../test/audit/scenario";
import { hardhatKey } from "../test/helpers/hardhatNode";
import { startFaultProxy } from "../test/keeper/faultProxy";

const LARGE = Number(process.env.HUZHU_BENCH_MEMBERS ?? 10_000);
const PORT = Number(process.env.HUZHU_BENCH_PORT ?? 8724);
const PROXY_PORT = PORT + 1;
const JOIN_CHUNK = 2_000;
const IDLE_CYCLES = 5;
/** Seconds between blocks while the settlement latency is measured, and the keeper's pause. */
const BLOCK_SECONDS = 2;
const KEEPER_INTERVAL_MS = 1_000;
const LATENCY_SAMPLES = 3;

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const node = await startNode(PORT);
  const rpc = httpRpc(node.url);
  const proxy = await startFaultProxy(node.url, PROXY_PORT);
  const providers: JsonRpcProvider[] = [];
  try {
    const chain = new Chain(rpc);
    // Two pools, on two factories: one of 10 members, one of LARGE (indices 0.. of each).
    const pools = [];
    for (const members of [10, LARGE]) {
      const d = await deploy(chain, hre.artifacts);
      const p = new PoolDriver(chain, d);
      const started = Date.now();
      for (let i = 0; i < members; i += JOIN_CHUNK) {
        const indices = Array.from({ length: Math.min(JOIN_CHUNK, members - i) }, (_, k) => i + k);
        await p.joinMany(indices, usdc(20), usdc(100));
      }
      const counted = await p.view("memberCount");
      if (counted !== BigInt(members)) throw new Error(`${counted} members counted, ${members} expected`);
      log(`pool of ${members} members built in ${round((Date.now() - started) / 1000)} s`);
      pools.push({ members, d, p });
    }
    await chain.increase(31n * DAY);

    const keepers: Keeper[] = [];
    const keeperFor = (pool: string, block: bigint, index: number, intervalMs = KEEPER_INTERVAL_MS) => {
      const provider = new JsonRpcProvider(proxy.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
      providers.push(provider);
      const keeper = createKeeper({
        wallet: new Wallet(hardhatKey(15 + index), provider),
        pools: [{ address: pool as Address, block }],
        intervalMs,
        logger: pino({ level: "warn" }),
      });
      keepers.push(keeper);
      return keeper;
    };
    const requests = () => [...proxy.counts.values()].reduce((a, b) => a + b, 0);

    const perCycle: Record<string, number> = {};
    const perCycleNoNewBlock: Record<string, number> = {};
    const startup: Record<string, { requests: number; seconds: number }> = {};
    for (const [i, { members, d }] of pools.entries()) {
      const keeper = keeperFor(d.pool, d.firstBlock, i);
      // The first cycles read the pool's history and settle periods 0 and 1.
      proxy.reset();
      const started = Date.now();
      while ((await keeper.cycle()) > 0);
      startup[members] = { requests: requests(), seconds: round((Date.now() - started) / 1000, 2) };
      // Idle: nothing due. A new (empty) block before each cycle, then cycles on the same head.
      proxy.reset();
      // Only the keeper's requests are counted: the bench's own evm_mine goes to the node directly.
      for (let c = 0; c < IDLE_CYCLES; c++) {
        await chain.send("evm_mine");
        if ((await keeper.cycle()) !== 0) throw new Error("an idle cycle sent a transaction");
      }
      perCycle[members] = round(requests() / IDLE_CYCLES, 2);
      proxy.reset();
      for (let c = 0; c < IDLE_CYCLES; c++) await keeper.cycle();
      perCycleNoNewBlock[members] = round(requests() / IDLE_CYCLES, 2);
      log(
        `${members} members: startup ${startup[members].requests} requests in ${startup[members].seconds} s; ` +
          `idle cycle ${perCycle[members]} requests (${perCycleNoNewBlock[members]} without a new block)`,
      );
    }

    // Settlement latency: blocks every BLOCK_SECONDS; the keeper of the large pool polls every second.
    const { d, p } = pools[1];
    const keeper = keeperFor(d.pool, d.firstBlock, 2);
    const running = keeper.start();
    await chain.send("evm_setAutomine", [false]);
    await chain.send("evm_setIntervalMining", [BLOCK_SECONDS * 1000]);
    const samples: number[] = [];
    try {
      for (let s = 0; s < LATENCY_SAMPLES; s++) {
        const period: bigint = await p.view("nextPeriodToSettle");
        const end: bigint = await p.periodEnd(period);
        // The first block at or after the period's end (mined here), then wait for the keeper's settlement.
        await chain.increaseTo(end);
        const endBlock = await chain.blockNumber();
        const deadline = Date.now() + 120_000;
        while ((await p.view("nextPeriodToSettle")) === period) {
          if (Date.now() > deadline) throw new Error(`period ${period} was not settled`);
          await sleep(200);
        }
        const topic = d.poolI.getEvent("PeriodSettled")!.topicHash;
        const logs = await rpc.send("eth_getLogs", [
          { address: d.pool, fromBlock: `0x${endBlock.toString(16)}`, toBlock: "latest", topics: [topic] },
        ]);
        const settledAt = BigInt(logs[0].blockNumber);
        samples.push(Number(settledAt - endBlock));
        log(`period ${period}: ended at block ${endBlock}, settled in block ${settledAt}`);
      }
    } finally {
      keeper.stop();
      await running;
      await chain.send("evm_setIntervalMining", [0]);
      await chain.send("evm_setAutomine", [true]);
    }
    const sorted = [...samples].sort((a, b) => a - b);

    const file = path.join(__dirname, "results.json");
    const results = JSON.parse(readFileSync(file, "utf8"));
    results.keeper = {
      date: new Date().toISOString(),
      machine: { node: process.version, cpus: os.cpus().length, loadAverage: round(os.loadavg()[0], 2) },
      endpoint: "hardhat node over HTTP, requests counted by a proxy",
      // Median over the samples: blocks from the first block at or after the period's end to the
      // block of the settlement (at least 1), with a block every 2 s and the keeper polling every 1 s.
      settleLatencyBlocks: sorted[Math.floor(sorted.length / 2)],
      settleLatencySamples: samples,
      blockSeconds: BLOCK_SECONDS,
      keeperIntervalMs: KEEPER_INTERVAL_MS,
      // JSON-RPC requests of one idle cycle (one new empty block since the last), by member count.
      rpcRequestsPerCycle: { "10": perCycle[10], [String(LARGE)]: perCycle[LARGE] },
      rpcRequestsPerCycleWithoutNewBlock: { "10": perCycleNoNewBlock[10], [String(LARGE)]: perCycleNoNewBlock[LARGE] },
      // The first cycles: the pool's whole history (joins), then settling periods 0 and 1.
      startup,
    };
    writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
    log(`wrote the "keeper" key of ${file}`);
  } finally {
    for (const provider of providers) provider.destroy();
    rpc.destroy();
    await proxy.stop();
    await node.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
