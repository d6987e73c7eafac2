/**
 * One wallet under load, through the SDK over HTTP, with ethers and with viem:
 *
 *   npx hardhat run bench/sdk-load.ts
 *
 * Starts `hardhat node` (automine) on port 8652 (HUZHU_BENCH_PORT) behind a counting JSON-RPC proxy,
 * creates a pool, and measures for each client library:
 * - parallelTopUpsLanded: 50 `topUp`s started at once from one member (approvals left to the SDK);
 *   how many landed (read back from the member's credit).
 * - sequentialTxPerSecond: 20 `topUp`s one after the other (allowance already granted), per second.
 * - txSentPerAction: transactions the client tried to send (`eth_sendRawTransaction` or
 *   `eth_sendTransaction`, refused ones included) per action in the sequential run: 1.0 is ideal.
 * Merges the figures into bench/results.json under `sdk`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { MaxUint256, Wallet } from "ethers";
import {
  createHuzhuClient,
  fromEthers,
  identityCommitment,
  parseAmount,
  type Address,
  type HuzhuClient,
} from "../sdk/src";
import { MockERC20__factory } from "../typechain-types";
import { deployHuzhu } from "../sdk/src/node";
import { hardhatKey, startHardhatNode } from "../test/helpers/hardhatNode";
import { startRpcProxy } from "../test/helpers/rpcProxy";
import { loadTestRules } from "../test/helpers/loadRules";
import { IntegratorClients, type Library } from "../test/helpers/integratorClients";

const PORT = Number(process.env.HUZHU_BENCH_PORT ?? 8652);
const PARALLEL = 50;
const SEQUENTIAL = 20;
const DEADLINE_MS = 180_000;
const USD = (amount: string) => parseAmount(amount, 6);
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

/** Settles every promise, or gives up waiting after `ms` (the old code could wait forever). */
async function settleWithin<T>(promises: Promise<T>[], ms: number): Promise<PromiseSettledResult<T>[] | "deadline"> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"deadline">((resolve) => (timer = setTimeout(() => resolve("deadline"), ms)));
  const result = await Promise.race([Promise.allSettled(promises), deadline]);
  clearTimeout(timer);
  return result;
}

async function main() {
  const node = await startHardhatNode(PORT);
  const proxy = await startRpcProxy(node.url);
  const integrator = new IntegratorClients(proxy.url);
  try {
    const deployer = node.wallet(0);
    const token = await new MockERC20__factory(deployer).deploy("Test USD", "TUSD", 6);
    const factory = (await deployHuzhu(deployer)).deployment.factory.address;
    const asset = (await token.getAddress()) as Address;
    const admin = createHuzhuClient({ connector: fromEthers(deployer), factory });
    const { pool } = await admin.createPool({
      rules: loadTestRules(asset),
      roles: { operator: node.wallet(1).address as Address },
    });

    // An integrator's setups: an ethers Wallet on a JsonRpcProvider with its default options, a viem
    // wallet client with a local account over http().
    const clientFor = (library: Library, index: number): HuzhuClient => integrator.client(library, index, { pool });

    const figures: Record<string, Record<string, number>> = {
      parallelTopUpsLanded: {},
      sequentialTxPerSecond: {},
      txSentPerAction: {},
    };
    for (const [i, library] of (["ethers", "viem"] as const).entries()) {
      const index = 2 + i;
      const member = new Wallet(hardhatKey(index)).address as Address;
      await (await token.mint(member, USD("100000"))).wait();
      const client = clientFor(library, index);
      await client.join({
        amount: USD("1000"),
        commitment: identityCommitment(`bench:${library}`, `0x${"00".repeat(32)}`),
      });
      const credit = async () => (await client.getMemberStatement({ member })).credit;

      // Parallel: 50 top-ups of 1 at once, the SDK approving as it needs.
      let before = await credit();
      const outcome = await settleWithin(
        Array.from({ length: PARALLEL }, () => client.topUp({ amount: USD("1") })),
        DEADLINE_MS,
      );
      const landed = Number((await credit()) - before) / 1e6;
      figures.parallelTopUpsLanded[library] = landed;
      const failures = outcome === "deadline" ? [] : outcome.filter((o) => o.status === "rejected");
      const kinds = new Map<string, number>();
      for (const f of failures) {
        const e = (f as PromiseRejectedResult).reason as { name?: string; code?: string };
        const kind = `${e?.name ?? "?"}${e?.code ? `/${e.code}` : ""}`;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
      log(
        `${library}: ${landed}/${PARALLEL} parallel top-ups landed` +
          (outcome === "deadline" ? ` (gave up after ${DEADLINE_MS / 1000} s)` : "") +
          (kinds.size ? `; failures: ${[...kinds].map(([k, n]) => `${n} ${k}`).join(", ")}` : ""),
      );

      // Sequential: allowance granted up front, so each action is one transaction.
      await (await token.connect(node.wallet(index)).approve(pool, MaxUint256)).wait();
      await new Promise((resolve) => setTimeout(resolve, 300));
      before = await credit();
      proxy.reset();
      const started = Date.now();
      for (let k = 0; k < SEQUENTIAL; k++) await client.topUp({ amount: USD("1") });
      const seconds = (Date.now() - started) / 1000;
      const sent = proxy.sent();
      if ((await credit()) - before !== USD(String(SEQUENTIAL))) throw new Error("sequential top-ups went missing");
      figures.sequentialTxPerSecond[library] = Math.round((SEQUENTIAL / seconds) * 10) / 10;
      figures.txSentPerAction[library] = Math.round((sent / SEQUENTIAL) * 100) / 100;
      log(`${library}: ${SEQUENTIAL} sequential top-ups in ${seconds.toFixed(2)} s, ${sent} transactions sent`);
      log(
        `${library}: requests per sequential top-up: ${[...proxy.counts].map(([m, n]) => `${m} ${n / SEQUENTIAL}`).join(", ")}`,
      );
    }

    const file = path.join(__dirname, "results.json");
    const results = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    results.sdk = {
      note: `One member over HTTP (hardhat node, automine): ${PARALLEL} parallel top-ups; ${SEQUENTIAL} sequential top-ups with the allowance granted; per client library.`,
      parallelTopUps: PARALLEL,
      ...figures,
    };
    writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
    log(`wrote ${path.relative(process.cwd(), file)}: ${JSON.stringify(figures)}`);
  } finally {
    integrator.close();
    await proxy.stop();
    await node.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
