/**
 * How fast the auditor is on a large pool over a local HTTP node.
 *
 *   npx hardhat run bench/audit-speed.ts                      (or `npm run bench -- --audit`)
 *   HUZHU_BENCH_FULL=1 npx hardhat run bench/audit-speed.ts   (then also 100,000 members)
 *   HUZHU_BENCH_MEMBERS=2000 HUZHU_BENCH_PERIODS=20 npx hardhat run bench/audit-speed.ts
 *
 * On each node in turn, Foundry's Anvil first (the headline: a node in Rust, as the endpoints an
 * auditor uses), then `hardhat node` (HUZHU_BENCH_NODE=anvil or hardhat for one), started fresh on
 * port 8646 (HUZHU_BENCH_PORT): installs Multicall3 at its usual address,
 * builds a pool with real joins (impersonated accounts, automine off, mined in full blocks) and a
 * life of settled periods with claims, then times (the headline audit in a process of its own, as
 * the median of 7 runs after a warm-up; each naive read as the median of 3): the event phase alone
 * (fetch, decode, rebuild),
 * the whole audit through a viem and an ethers client (views batched through Multicall3), the same
 * audit with one call per view, and the naive way (one `balanceOf` call per member, no events).
 * With HUZHU_BENCH_FULL=1 it then joins members up to 100,000 on the first node and audits again,
 * in a process of its own for its peak memory (Hardhat's node holds every block's state and does
 * not fit 100,000 members in this machine's 23 GB; Anvil keeps 8). Writes bench/audit-speed.json,
 * the `audit` key of
 * bench/results.json (the other keys are kept).
 */
import hre from "hardhat";
import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider } from "ethers";
import { createPublicClient, http } from "viem";
import {
  audit,
  createHuzhuClient,
  createPoolEventDecoder,
  fetchLogs,
  fromEthers,
  fromViem,
  poolAbi,
  PoolLedger,
  type AuditRules,
  type Connector,
  type HuzhuClientConfig,
} from "../sdk/src";
import { installMulticall3 } from "../sdk/src/node";
import { clearChecksumCache } from "../sdk/src/internal/abiCodec";
import { encodeFunctionData } from "viem";
import {
  Chain,
  DAY,
  PoolDriver,
  deploy,
  demoRules,
  httpRpc,
  memberAddress,
  startNode,
  usdc,
  type NodeKind,
} from "../test/audit/scenario";

const MEMBERS = Number(process.env.HUZHU_BENCH_MEMBERS ?? 10_000);
const PERIODS = BigInt(process.env.HUZHU_BENCH_PERIODS ?? 50);
const PORT = Number(process.env.HUZHU_BENCH_PORT ?? 8646);
const JOIN_CHUNK = 2_000;
const FULL = process.env.HUZHU_BENCH_FULL === "1";
const FULL_MEMBERS = Number(process.env.HUZHU_BENCH_FULL_MEMBERS ?? 100_000);
const NODE: NodeKind = process.env.HUZHU_BENCH_NODE === "anvil" ? "anvil" : "hardhat";

/** The headline audit: a warm-up, then this many timed runs (the median is reported). */
const AUDIT_RUNS = 7;
const NAIVE_RUNS = 3;
const seconds = (since: number) => (Date.now() - since) / 1000;
/** The middle element by `key` (the upper middle of an even count). */
const median = <T>(items: T[], key: (item: T) => number): T =>
  [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)];
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** The naive audit: ask the pool for every member's balance, one call each, trusting it. */
async function naive(connector: Connector, pool: `0x${string}`, members: string[], concurrency: number) {
  const started = Date.now();
  let total = 0n;
  await mapLimit(members, concurrency, async (m) => {
    const data = encodeFunctionData({ abi: poolAbi, functionName: "balanceOf", args: [m as `0x${string}`] });
    const balance = BigInt(await connector.call({ to: pool, data }));
    total += balance;
  });
  const s = seconds(started);
  return { concurrency, seconds: round(s, 2), membersPerSecond: round(members.length / s), total: total.toString() };
}

/** The event phase alone: fetch in 10,000-block ranges, decode, replay with the pure core. */
async function eventPhase(
  connector: Connector,
  pool: `0x${string}`,
  rules: AuditRules,
  fromBlock: bigint,
  toBlock: bigint,
) {
  const fetchStarted = Date.now();
  const logs = await fetchLogs(connector, { address: pool, fromBlock, toBlock });
  const fetchSeconds = seconds(fetchStarted);
  const replayStarted = Date.now();
  const decode = createPoolEventDecoder({ checksum: false }); // as the auditor decodes
  const ledger = new PoolLedger(rules);
  for (const entry of logs) {
    const event = decode(entry);
    if (event) ledger.apply(event);
  }
  ledger.finish();
  const replaySeconds = seconds(replayStarted);
  if (ledger.discrepancies.length > 0) throw new Error(JSON.stringify(ledger.discrepancies.slice(0, 5)));
  return {
    events: logs.length,
    fetchSeconds: round(fetchSeconds, 3),
    fetchEventsPerSecond: round(logs.length / fetchSeconds),
    replaySeconds: round(replaySeconds, 3),
    replayEventsPerSecond: round(logs.length / replaySeconds),
  };
}

/**
 * Decode and rebuild alone, from logs already fetched, as the auditor does them (accounts in lower
 * case: no address is hashed until a report prints it): the median of `runs` passes, in events per
 * second. Each pass forgets the address checksums first, so that none is reused from the last.
 */
function replay(logs: Awaited<ReturnType<typeof fetchLogs>>, rules: AuditRules, runs = 9) {
  const rates: number[] = [];
  for (let run = 0; run < runs; run++) {
    clearChecksumCache();
    const started = process.hrtime.bigint();
    const decode = createPoolEventDecoder({ checksum: false }); // as the auditor decodes
    const ledger = new PoolLedger(rules);
    for (const entry of logs) {
      const event = decode(entry);
      if (event) ledger.apply(event);
    }
    ledger.finish();
    const s = Number(process.hrtime.bigint() - started) / 1e9;
    if (ledger.discrepancies.length > 0) throw new Error(JSON.stringify(ledger.discrepancies.slice(0, 5)));
    rates.push(logs.length / s);
  }
  rates.sort((a, b) => a - b);
  return { runs: rates.map((r) => round(r)), median: round(rates[Math.floor(runs / 2)]) };
}

/** Joins members `from` to `to - 1` in chunks. */
async function joinRange(p: PoolDriver, from: number, to: number, since: number) {
  for (let i = from; i < to; i += JOIN_CHUNK) {
    const indices = Array.from({ length: Math.min(JOIN_CHUNK, to - i) }, (_, k) => i + k);
    await p.joinMany(indices, usdc(60), usdc(100));
    if ((i + indices.length) % 10_000 === 0 || i + indices.length === to)
      log(`${i + indices.length} joined (${round(seconds(since))} s)`);
  }
}

/** The audit in a process of its own (bench/audit-child.ts): its wall time and peak RSS alone. */
async function auditInChild(
  url: string,
  d: { pool: string; factory: string; firstBlock: bigint },
  toBlock: bigint,
  runs = 1,
) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(__dirname, "audit-child.ts")],
    {
      env: {
        ...process.env,
        HUZHU_AUDIT_URL: url,
        HUZHU_AUDIT_POOL: d.pool,
        HUZHU_AUDIT_FACTORY: d.factory,
        HUZHU_AUDIT_FROM: String(d.firstBlock),
        HUZHU_AUDIT_TO: String(toBlock),
        HUZHU_AUDIT_RUNS: String(runs),
        TS_NODE_PROJECT: path.join(__dirname, "../tsconfig.json"),
      },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as {
    passed: boolean;
    failed: string[];
    lens: boolean;
    members: number;
    events: number;
    seconds: number;
    runs: number[];
    peakRssMB: number;
  };
}

type NodeRun = Awaited<ReturnType<typeof benchOn>>;

const nodeName = (kind: NodeKind) => (kind === "anvil" ? "Anvil" : "Hardhat's node");

/**
 * The "Audit throughput" section of bench/RESULTS.md (bench/gas.ts writes the rest of the file and
 * leaves this section as a pointer; run this benchmark after it).
 */
function writeAuditSection(date: string, runs: NodeRun[], full: Record<string, unknown> | undefined) {
  const file = path.join(__dirname, "RESULTS.md");
  if (!existsSync(file)) return;
  const text = readFileSync(file, "utf8");
  const at = text.indexOf("## Audit throughput");
  const section = [
    "## Audit throughput",
    "",
    `Measured by \`npm run bench -- --audit\` (bench/audit-speed.ts) on ${date}: on each node, a ${MEMBERS}-member, 50-period pool (${runs[0].summary.events} events) built fresh, then audited over HTTP on 2 shared cores. Member records and the juror set through the pool lens (an eth_call state override), the other views through Multicall3. Each node's first audit row is the median of ${AUDIT_RUNS} runs in a process of its own after a warm-up, each naive row the median of ${NAIVE_RUNS}.`,
    ...runs.flatMap((r) => [
      "",
      `### ${nodeName(r.kind)} (load average ${r.summary.loadAverage.join(" to ")})`,
      "",
      "| Read | Seconds | Members/s |",
      "| --- | ---: | ---: |",
      ...r.audits.map((a) => `| audit via ${a.client} | ${a.seconds} | ${a.membersPerSecond} |`),
      ...r.naiveRuns.map(
        (n) =>
          `| naive \`balanceOf\` per member via ${n.client}, ${n.concurrency} at a time | ${n.seconds} | ${n.membersPerSecond} |`,
      ),
      "",
      `The audit against the fastest naive read: **${r.summary.timesNaive}x** (goal 10x). Decode + rebuild off the wire: **${r.summary.rebuildEventsPerSecond} events/s** (median of 9 passes; goal 100,000).`,
    ]),
    ...(full
      ? [
          "",
          `${full.members} members (${full.events} events, \`--full\`, ${full.client}): ${full.seconds} s, ${full.membersPerSecond} members/s, peak RSS ${full.peakRssMB} MB${full.date ? ` (${full.date})` : " (an earlier run, before the pool lens)"}.`,
        ]
      : []),
  ].join("\n");
  writeFileSync(file, (at >= 0 ? text.slice(0, at) : text + "\n") + section + "\n");
}

/** Builds the pool on a fresh node of `kind` and measures there; `withFull` grows it to FULL_MEMBERS and audits again. */
async function benchOn(kind: NodeKind, withFull: boolean) {
  log(`on ${kind}`);
  const node = await startNode(PORT, kind);
  const rpc = httpRpc(node.url);
  try {
    const chain = new Chain(rpc, { assignNonces: kind === "anvil" });
    await installMulticall3(rpc);
    const buildStarted = Date.now();
    const d = await deploy(chain, hre.artifacts);
    const p = new PoolDriver(chain, d);
    await joinRange(p, 0, MEMBERS, buildStarted);
    const joinSeconds = seconds(buildStarted);
    const counted = await p.view("memberCount");
    if (counted !== BigInt(MEMBERS)) throw new Error(`${counted} members counted, ${MEMBERS} expected`);

    // The life: after 91 days (v1's wait, kept so the life has the same shape; v2 waits 30), every
    // period an approved claim decided by a drawn jury; every fourth a rejected one too, every sixth
    // one without quorum (one juror of three votes in each of its two rounds). Claims resolve one
    // round-timetable (14 days) after submission, so each period's claims are paid in the next.
    const lifeStarted = Date.now();
    await chain.increase(91n * DAY);
    await p.settleDue();
    let claimant = 10;
    let claims = 0;
    type Vote = { id: bigint; round: bigint; juror: string; support: boolean };
    const votes = (id: bigint, round: bigint, jurors: string[], plan: boolean[]): Vote[] =>
      plan.map((support, i) => ({ id, round, juror: jurors[i], support }));
    for (let period = await p.view("nextPeriodToSettle"); period < PERIODS; period++) {
      const plan: boolean[][] = [[true, true, true]];
      if (period % 4n === 0n) plan.push([true, false, false]);
      if (period % 6n === 0n) plan.push([true]);
      const ids = await p.claims(
        plan.map((_, c) => ({ member: claimant++, amount: usdc(1_000), label: `e-${period}-${c}` })),
      );
      const juries = await p.draw(ids);
      const round0 = ids.flatMap((id, c) => votes(id, 0n, juries[c], plan[c]));
      await p.commit(round0);
      const r0 = await p.view("round", [ids[0], 0n]);
      await chain.increaseTo(r0.commitEndsAt);
      await p.reveal(round0);
      await chain.increaseTo(r0.revealEndsAt);
      if (period % 6n === 0n) {
        // Short of quorum: the tally opens a fresh jury, which again falls short.
        const id = ids[ids.length - 1];
        await p.pool(d.keeper, "tally", [id], 1_000_000n);
        const [jury1] = await p.draw([id]);
        const round1 = votes(id, 1n, jury1, [true]);
        await p.commit(round1);
        await chain.increaseTo((await p.view("round", [id, 1n])).commitEndsAt);
        await p.reveal(round1);
      }
      await chain.increaseTo((await p.view("claim", [ids[ids.length - 1]])).resolvesAt);
      await p.pool(d.keeper, "resolve", [ids[ids.length - 1]], 29_000_000n);
      await chain.increaseTo(await p.periodEnd(period));
      await p.settleDue();
      claims += ids.length;
      if (period % 10n === 9n) log(`period ${period} settled (${round(seconds(lifeStarted))} s)`);
    }
    const lifeSeconds = seconds(lifeStarted);
    const toBlock = await chain.blockNumber();
    const settled = await p.view("nextPeriodToSettle");
    log(
      `pool built in ${round(seconds(buildStarted))} s: ${MEMBERS} members, ${settled} periods, ${claims} claims, ${toBlock} blocks`,
    );

    const pool = d.pool as `0x${string}`;
    const factory = d.factory as `0x${string}`;
    const ethersProvider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    const viemClient = createPublicClient({ transport: http(node.url) });
    const viem = createHuzhuClient({ connector: fromViem({ publicClient: viemClient }), pool });
    const ethers = createHuzhuClient({ connector: fromEthers(ethersProvider), pool });
    const clients: Array<[string, HuzhuClientConfig]> = [
      ["viem http transport", viem],
      ["ethers JsonRpcProvider (batches JSON-RPC calls)", ethers],
    ];
    // ethers v6 reads an HTTP response by copying the whole body at every chunk (quadratic in its
    // size): one response with every log of 10,000 joins costs it seconds. Narrow ranges bound that.
    // How each audit reads the views: "lens" (member records and the juror set through the pool lens,
    // the rest through Multicall3: the default), "multicall" (every view through Multicall3), "single"
    // (one eth_call per view, 16 at a time: the auditor before batching).
    type Views = "lens" | "multicall" | "single";
    const audited: Array<[string, HuzhuClientConfig, bigint | undefined, Views]> = [
      ["viem http transport", viem, undefined, "lens"],
      ["ethers JsonRpcProvider", ethers, undefined, "lens"],
      ["ethers JsonRpcProvider, blockRange 16", ethers, 16n, "lens"],
      ["viem http transport, every view through Multicall3", viem, undefined, "multicall"],
      ["viem http transport, one call per view", viem, undefined, "single"],
    ];

    // Through viem: cold (the node's and the decoder's first pass), then warm, after the audits.
    const r = demoRules(d.token);
    const rules: AuditRules = {
      pool,
      randomness: r.randomness as `0x${string}`,
      feeBps: r.feeBps,
      capPerMember: r.capPerMember,
      maxClaimsPerPeriod: r.maxClaimsPerPeriod,
      jurySize: r.jurySize,
      maxAppealRounds: r.maxAppealRounds,
      quorumBps: r.quorumBps,
      approvalThresholdBps: r.approvalThresholdBps,
      annualChargeCap: r.annualChargeCap,
      maxPayoutPerMember: r.maxPayoutPerMember,
      periodLength: r.periodLength,
      commitWindow: r.commitWindow,
      revealWindow: r.revealWindow,
      appealWindow: r.appealWindow,
      minBalance: r.minBalance,
      claimBond: r.claimBond,
      appealBond: r.appealBond,
      jurorPenalty: r.jurorPenalty,
      startedAt: await p.view("startedAt"),
    };
    const coldEvents = await eventPhase(viem.connector, pool, rules, d.firstBlock, toBlock);
    log(
      `events: ${coldEvents.events} fetched in ${coldEvents.fetchSeconds} s, replayed in ${coldEvents.replaySeconds} s`,
    );

    // Warm-up, not timed: the node's first pass over 10,000 members' storage is several times slower
    // than the next ones (20 s against 6 s for the audit's views here), and would fall on whichever
    // measurement ran first.
    await audit(viem, { factory, fromBlock: d.firstBlock, toBlock });
    await naive(
      viem.connector,
      pool,
      Array.from({ length: MEMBERS }, (_, i) => memberAddress(i)),
      16,
    );
    log("warm-up audit and naive read done");

    const loadAtAudit = round(os.loadavg()[0], 2);
    const audits = [];
    const members = Array.from({ length: MEMBERS }, (_, i) => memberAddress(i));
    const naiveRuns: Array<{ client: string; runs: number[] } & Awaited<ReturnType<typeof naive>>> = [];
    // The naive reads right after the headline audit: the machine is shared, and the ratio of the
    // two is fairest when they are measured back to back.
    const naiveReads = async () => {
      for (const [name, client] of clients) {
        // ethers one at a time waits out its batch timer on every call (77 members/s): not worth its two minutes.
        for (const concurrency of name.startsWith("ethers") ? [16] : [1, 16]) {
          // The median of NAIVE_RUNS (one pause of the node's garbage collector moves a single run).
          const runs = [];
          for (let k = 0; k < NAIVE_RUNS; k++) runs.push(await naive(client.connector, pool, members, concurrency));
          const run = median(runs, (r) => r.seconds);
          naiveRuns.push({ client: name, ...run, runs: runs.map((r) => r.seconds) });
          log(
            `naive via ${name}, ${concurrency} at a time: ${run.seconds} s (median of ${runs.map((r) => r.seconds).join(", ")}), ${run.membersPerSecond} members/s`,
          );
        }
      }
    };
    // The headline audit in a process of its own, as an auditor runs it (this one holds the whole
    // build, whose heap the garbage collector would walk at every audit: 1.1 s a run here against
    // 0.6 s alone): a warm-up, then the median of AUDIT_RUNS.
    {
      const child = await auditInChild(node.url, d, toBlock, AUDIT_RUNS + 1);
      if (!child.passed) throw new Error(`the headline audit failed: ${child.failed.join(", ")}`);
      const timedRuns = child.runs.slice(1);
      const s = median(timedRuns, (x) => x);
      audits.push({
        runs: timedRuns.map((x) => round(x, 2)),
        warmUp: round(child.runs[0], 2),
        client: audited[0][0],
        views: audited[0][3],
        lens: child.lens,
        passed: child.passed,
        events: child.events,
        members: child.members,
        seconds: round(s, 2),
        eventsPerSecond: round(child.events / s),
        membersPerSecond: round(child.members / s),
        peakRssMB: child.peakRssMB,
      });
      log(
        `audit via ${audited[0][0]}, in a process of its own: ${round(s, 2)} s (median of ${timedRuns.map((x) => round(x, 2)).join(", ")}; warm-up ${round(child.runs[0], 2)}), ${round(child.members / s)} members/s`,
      );
      await naiveReads();
    }
    // The other ways, once each, in this process.
    for (const [name, client, blockRange, views] of audited.slice(1)) {
      const started = Date.now();
      let fetchedAt = started;
      const result = await audit(client, {
        blockRange,
        lens: views === "lens" ? undefined : false,
        multicall: views === "single" ? { multicallAddress: false } : undefined,
        factory,
        fromBlock: d.firstBlock,
        toBlock,
        onProgress: () => (fetchedAt = Date.now()),
      });
      const s = seconds(started);
      if (!result.passed) throw new Error(`the audit through ${name} failed: ${JSON.stringify(result.checks)}`);
      audits.push({
        client: name,
        views,
        lens: result.views.lens,
        passed: result.passed,
        events: result.stats.events,
        members: result.stats.members,
        seconds: round(s, 2),
        eventsPerSecond: round(result.stats.events / s),
        membersPerSecond: round(result.stats.members / s),
        fetchSeconds: round((fetchedAt - started) / 1000, 2),
        checkSeconds: round((Date.now() - fetchedAt) / 1000, 2),
      });
      log(
        `audit via ${name}: ${round(s, 2)} s, ${round(result.stats.events / s)} events/s, ${round(result.stats.members / s)} members/s`,
      );
    }

    const warmEvents = await eventPhase(viem.connector, pool, rules, d.firstBlock, toBlock);
    const wireLogs = await fetchLogs(viem.connector, { address: pool, fromBlock: d.firstBlock, toBlock });
    // HUZHU_BENCH_DUMP=<file>: keep the logs and rules, to profile decode + rebuild without a node.
    if (process.env.HUZHU_BENCH_DUMP)
      writeFileSync(
        process.env.HUZHU_BENCH_DUMP,
        JSON.stringify({ rules, logs: wireLogs }, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)),
      );
    const rebuild = replay(wireLogs, rules);
    log(`decode + rebuild: ${rebuild.median} events/s (median of ${rebuild.runs.length})`);
    log(`events again: fetched in ${warmEvents.fetchSeconds} s, replayed in ${warmEvents.replaySeconds} s`);

    ethersProvider.destroy();

    const headline = audits.find((a) => a.client === "viem http transport")!;
    const unbatched = audits.find((a) => a.views === "single")!;
    const multicallOnly = audits.find((a) => a.views === "multicall")!;
    if (!headline.lens) throw new Error("the headline audit did not run the pool lens");
    const bestNaive = naiveRuns.reduce((a, b) => (b.membersPerSecond > a.membersPerSecond ? b : a));
    let full: Record<string, unknown> | undefined;
    if (withFull) {
      const grown = Date.now();
      await joinRange(p, MEMBERS, FULL_MEMBERS, grown);
      const fullTo = await chain.blockNumber();
      const child = await auditInChild(node.url, d, fullTo);
      if (!child.passed) throw new Error(`the ${FULL_MEMBERS}-member audit failed: ${child.failed.join(", ")}`);
      full = {
        members: child.members,
        events: child.events,
        seconds: round(child.seconds, 2),
        membersPerSecond: round(child.members / child.seconds),
        peakRssMB: child.peakRssMB,
        client: `viem http transport, in a process of its own, on ${kind}`,
        date: new Date().toISOString(),
        joinSeconds: round(seconds(grown)),
      };
      log(`audit of ${child.members} members: ${round(child.seconds, 2)} s, peak RSS ${child.peakRssMB} MB`);
    }

    const loadAverage = [loadAtAudit, round(os.loadavg()[0], 2)];
    const report = {
      // Other work on the machine slows every figure: the load average (1 minute) when the audits began and ended.
      loadAverage,
      endpoint: `${nodeName(kind)} over HTTP (${node.url}), Multicall3 installed at its usual address`,
      pool: {
        members: MEMBERS,
        periodsSettled: Number(settled),
        claims,
        blocks: Number(toBlock),
        events: coldEvents.events,
        buildSeconds: { joins: round(joinSeconds), life: round(lifeSeconds) },
      },
      eventPhase: { cold: coldEvents, warm: warmEvents, rebuildEventsPerSecond: rebuild },
      audit: audits,
      naiveBalanceOfPerMember: naiveRuns,
      ...(full ? { full } : {}),
    };
    const summary = {
      node: kind,
      members: MEMBERS,
      events: coldEvents.events,
      client: headline.client,
      seconds: headline.seconds,
      membersPerSecond: headline.membersPerSecond,
      naiveMembersPerSecond: bestNaive.membersPerSecond,
      naive: `${bestNaive.client}, ${bestNaive.concurrency} at a time (the fastest naive run)`,
      timesNaive: round(headline.membersPerSecond / bestNaive.membersPerSecond, 2),
      views:
        "member records and juror set through the pool lens (eth_call state override), other views through Multicall3",
      multicallOnlyMembersPerSecond: multicallOnly.membersPerSecond,
      oneCallPerViewMembersPerSecond: unbatched.membersPerSecond,
      rebuildEventsPerSecond: rebuild.median,
      loadAverage,
    };
    return { kind, report, summary, audits, naiveRuns, full };
  } finally {
    rpc.destroy();
    await node.stop();
  }
}

async function main() {
  // Anvil first (the headline: a node in Rust, as the endpoints auditors use), then Hardhat's.
  const kinds: NodeKind[] = process.env.HUZHU_BENCH_NODE ? [NODE] : ["anvil", "hardhat"];
  const runs: NodeRun[] = [];
  for (const [i, kind] of kinds.entries()) runs.push(await benchOn(kind, FULL && i === 0));
  const date = new Date().toISOString();
  const out = path.join(__dirname, "audit-speed.json");
  const nodes = Object.fromEntries(runs.map((r) => [r.kind, r.report]));
  writeFileSync(
    out,
    JSON.stringify({ date, machine: { node: process.version, cpus: os.cpus().length }, nodes }, null, 2) + "\n",
  );

  // The headline figures, merged into bench/results.json (bench/gas.ts writes the other keys).
  const resultsFile = path.join(__dirname, "results.json");
  const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, "utf8")) : {};
  const previous = (results.audit ?? {}) as Record<string, unknown>;
  const [first, ...others] = runs;
  results.audit = {
    date,
    ...first.summary,
    ...(others.length > 0 ? { otherNodes: Object.fromEntries(others.map((r) => [r.kind, r.summary])) } : {}),
    // A run without --full keeps the last 100,000-member figures.
    ...(first.full ? { full: first.full } : previous.full ? { full: previous.full } : {}),
  };
  writeFileSync(resultsFile, JSON.stringify(results, null, 2) + "\n");
  writeAuditSection(date, runs, results.audit.full);
  log(`wrote ${out}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
