/**
 * How fast the public board of a large pool shows in Chromium, and how much JavaScript the first page
 * load costs. Builds a pool on a local `hardhat node` (port 8712) the way bench/audit-speed.ts does
 * (impersonated joins mined in full blocks), then a life of settled periods with jury-decided claims,
 * serves the built app (port 8713) and times the board from navigation until every settlement part
 * and every claim is on the page. Writes `app` into bench/results.json.
 *
 *   npm run bench -w @huzhu/app                       # 10,000 members, 50 periods
 *   HUZHU_BENCH_MEMBERS=2000 HUZHU_BENCH_PERIODS=10 npm run bench -w @huzhu/app
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { Artifacts } from "hardhat/internal/artifacts";
import * as scenario from "../../test/audit/scenario";
import { installMulticall3 } from "@huzhu/sdk/node";
import { serveApp } from "../scripts/local";
import { CHROMIUM_FLAGS } from "../e2e/harness";

const { Chain, PoolDriver, DAY, usdc, deploy, httpRpc } = scenario;
const MEMBERS = Number(process.env.HUZHU_BENCH_MEMBERS ?? 10_000);
const PERIODS = BigInt(process.env.HUZHU_BENCH_PERIODS ?? 50);
const CHAIN_PORT = Number(process.env.HUZHU_BENCH_CHAIN_PORT ?? 8712);
const APP_PORT = Number(process.env.HUZHU_BENCH_APP_PORT ?? 8713);
const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const root = path.resolve(appDir, "..");
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

/** The first page load's JavaScript: the entry script and every module it preloads, gzipped. */
function initialJsKbGzip(): number {
  const html = readFileSync(path.join(appDir, "dist", "index.html"), "utf8");
  const files = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const bytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(appDir, "dist", f))).length, 0);
  return Math.round((bytes / 1024) * 10) / 10;
}

async function main() {
  const node = await scenario.startNode(CHAIN_PORT);
  try {
    const chain = new Chain(httpRpc(node.url));
    // The app reads its views through Multicall3, as on a public chain.
    await installMulticall3(chain);
    const d = await deploy(chain, new Artifacts(path.join(root, "artifacts")));
    const p = new PoolDriver(chain, d);
    const started = Date.now();
    for (let i = 0; i < MEMBERS; i += 2_000) {
      const indices = Array.from({ length: Math.min(2_000, MEMBERS - i) }, (_, k) => i + k);
      await p.joinMany(indices, usdc(60), usdc(100));
      log(`${i + indices.length} joined`);
    }
    // Each period: one claim approved by its jury, every fourth period one rejected as well.
    await chain.increase(31n * DAY);
    await p.settleDue();
    let claimant = 10;
    let claims = 0;
    for (let period: bigint = await p.view("nextPeriodToSettle"); period < PERIODS; period++) {
      const plan = period % 4n === 0n ? [true, false] : [true];
      const ids = await p.claims(
        plan.map((_, c) => ({ member: claimant++, amount: usdc(1_000), label: `bench-${period}-${c}` })),
      );
      const juries = await p.draw(ids);
      const votes = ids.flatMap((id, c) => juries[c].map((juror) => ({ id, round: 0n, juror, support: plan[c] })));
      await p.commit(votes);
      const r0 = await p.view("round", [ids[ids.length - 1], 0n]);
      await chain.increaseTo(r0.commitEndsAt);
      await p.reveal(votes);
      await chain.increaseTo((await p.view("claim", [ids[ids.length - 1]])).resolvesAt);
      await p.pool(d.keeper, "resolve", [ids[ids.length - 1]], 29_000_000n);
      await chain.increaseTo(await p.periodEnd(period));
      await p.settleDue();
      claims += ids.length;
    }
    const periods = Number(await p.view("nextPeriodToSettle"));
    log(
      `pool built in ${Math.round((Date.now() - started) / 1000)} s: ${MEMBERS} members, ${periods} periods, ${claims} claims`,
    );

    const chainId = Number(await chain.send("eth_chainId"));
    const app = await serveApp(APP_PORT, {
      chainId,
      chainName: "Local Hardhat",
      rpcUrl: node.url,
      pool: d.pool,
      factory: d.factory,
      fromBlock: d.firstBlock.toString(),
    });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: CHROMIUM_FLAGS,
    });
    try {
      const runs: number[] = [];
      for (let run = 0; run < 3; run++) {
        const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
        await page.goto(app.url);
        // Milliseconds since navigation when every settlement part and every claim is on the page.
        const ms = await page.waitForFunction(
          ([rows, claimRows]) =>
            document.querySelectorAll("[data-testid=periods] tbody tr").length >= rows &&
            document.querySelectorAll("[data-testid=claims] tbody tr").length === claimRows
              ? performance.now()
              : false,
          [periods, claims] as const,
          { polling: "raf", timeout: 120_000 },
        );
        runs.push(Math.round((await ms.jsonValue()) as number));
        await page.context().close();
      }
      const result = {
        boardLoadMs: runs[0],
        boardLoadMsWarm: Math.min(...runs.slice(1)),
        members: MEMBERS,
        periods,
        claims,
        initialJsKbGzip: initialJsKbGzip(),
        date: new Date().toISOString(),
        endpoint: `hardhat node over HTTP, Chromium ${browser.version()} headless`,
      };
      log(JSON.stringify(result));
      const file = path.join(root, "bench", "results.json");
      const all = JSON.parse(readFileSync(file, "utf8"));
      all.app = result;
      writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
    } finally {
      await browser.close();
      await app.close();
    }
  } finally {
    await node.stop();
  }
}

main().catch((error: Error) => {
  console.error(error.stack?.split("\n").slice(0, 3).join("\n"));
  process.exit(1);
});
