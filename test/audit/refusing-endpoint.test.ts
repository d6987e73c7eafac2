import { expect } from "chai";
import hre from "hardhat";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { JsonRpcProvider } from "ethers";
import { createPublicClient, http } from "viem";
import {
  audit,
  auditJson,
  createHuzhuClient,
  fromEthers,
  fromViem,
  type AuditResult,
  type FetchProgress,
  type HuzhuClientConfig,
} from "../../sdk/src";
import { Chain, httpRpc, runLife, startNode, type Life } from "./scenario";

const NODE_PORT = 8645;
const PROXY_PORT = 8644;
/** The widest `eth_getLogs` range the endpoint answers. */
const MAX_RANGE = 8n;

interface JsonRpcCall {
  jsonrpc: "2.0";
  id: number | string;
  method: string;
  params?: unknown[];
}

/**
 * An endpoint like a public RPC provider's on a bad day, in front of the node: it refuses
 * `eth_getLogs` over more than `MAX_RANGE` blocks (the usual -32005 "query returned more than
 * 10000 results") and answers every fifth HTTP request with a 502.
 */
function refusingProxy(upstream: string, port: number) {
  const stats = { requests: 0, badGateways: 0, refused: 0, logQueries: 0 };
  const isTooWide = (call: JsonRpcCall) => {
    if (call.method !== "eth_getLogs") return false;
    stats.logQueries++;
    const { fromBlock, toBlock } = (call.params?.[0] ?? {}) as { fromBlock?: string; toBlock?: string };
    const hex = /^0x[0-9a-f]+$/i;
    // A tag ("latest", "earliest") or a missing bound counts as too wide.
    if (!fromBlock || !toBlock || !hex.test(fromBlock) || !hex.test(toBlock)) return true;
    return BigInt(toBlock) - BigInt(fromBlock) + 1n > MAX_RANGE;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      stats.requests++;
      if (stats.requests % 5 === 0) {
        stats.badGateways++;
        res.writeHead(502, { "content-type": "text/html" }).end("<html><body>502 Bad Gateway</body></html>");
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString());
      const calls: JsonRpcCall[] = Array.isArray(body) ? body : [body];
      const answers = new Map<JsonRpcCall, unknown>();
      const forward: JsonRpcCall[] = [];
      for (const call of calls) {
        if (isTooWide(call)) {
          stats.refused++;
          answers.set(call, {
            jsonrpc: "2.0",
            id: call.id,
            error: { code: -32005, message: "query returned more than 10000 results" },
          });
        } else forward.push(call);
      }
      if (forward.length > 0) {
        const upstreamAnswer = await (
          await fetch(upstream, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(forward),
          })
        ).json();
        const byId = new Map((upstreamAnswer as Array<{ id: unknown }>).map((a) => [a.id, a]));
        for (const call of forward) answers.set(call, byId.get(call.id));
      }
      const out = calls.map((c) => answers.get(c));
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(Array.isArray(body) ? out : out[0]));
    });
  });
  return {
    stats,
    url: `http://127.0.0.1:${port}`,
    listen: () => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    port: () => (server.address() as AddressInfo).port,
  };
}

describe("audit through an endpoint that refuses wide log ranges and fails now and then @json-rpc", function () {
  this.timeout(600_000);
  let node: Awaited<ReturnType<typeof startNode>>;
  let proxy: ReturnType<typeof refusingProxy>;
  let direct: JsonRpcProvider;
  let life: Life;
  let reference: AuditResult;
  let poolLogs: number;

  before(async function () {
    node = await startNode(NODE_PORT);
    direct = httpRpc(node.url);
    life = await runLife(new Chain(direct), hre.artifacts, 40, 5);
    // The same audit straight from the node: what the proxied audits must find.
    const directClient = createHuzhuClient({ connector: fromEthers(direct), pool: life.d.pool as `0x${string}` });
    reference = await audit(directClient, { factory: life.d.factory as `0x${string}`, fromBlock: life.d.firstBlock });
    poolLogs = (await direct.getLogs({ address: life.d.pool, fromBlock: 0, toBlock: Number(reference.toBlock) }))
      .length;
    proxy = refusingProxy(node.url, PROXY_PORT);
    await proxy.listen();
  });

  after(async function () {
    await proxy?.close();
    direct?.destroy();
    await node?.stop();
  });

  const comparable = (r: AuditResult) => {
    const { stats, ...rest } = JSON.parse(auditJson(r));
    return { ...rest, events: stats.events };
  };

  async function auditThroughProxy(client: HuzhuClientConfig) {
    const before = { ...proxy.stats };
    const progress: FetchProgress[] = [];
    const result = await audit(client, {
      factory: life.d.factory as `0x${string}`,
      fromBlock: life.d.firstBlock,
      toBlock: reference.toBlock,
      onProgress: (p) => progress.push(p),
    });
    const seen = {
      requests: proxy.stats.requests - before.requests,
      badGateways: proxy.stats.badGateways - before.badGateways,
      refused: proxy.stats.refused - before.refused,
    };
    return { result, progress, seen };
  }

  function expectCompleteAndShrunk(run: Awaited<ReturnType<typeof auditThroughProxy>>) {
    const { result, progress, seen } = run;
    expect(reference.passed).to.equal(true);
    expect(result.passed).to.equal(true);
    expect(result.stats.events).to.equal(poolLogs);
    expect(comparable(result)).to.deep.equal(comparable(reference));
    // The endpoint did refuse and fail, and the fetcher went on.
    expect(seen.refused).to.be.greaterThan(0);
    expect(seen.badGateways).to.be.greaterThan(0);
    // Progress tells the range: the whole span halved until answered, then grown back a quarter
    // (at least a block) at a time up to the endpoint's cap, where it stays: not doubled straight
    // back into a refusal after every answer. The last range is clipped at the end.
    const span = Number(result.toBlock - life.d.firstBlock + 1n);
    let first = span;
    let halvings = 0;
    for (; first > MAX_RANGE; first = Math.floor(first / 2)) halvings++;
    const ranges = progress.map((p) => p.range);
    expect(ranges[0]).to.equal(BigInt(first));
    const climb = ranges.findIndex((r) => r === MAX_RANGE);
    expect(climb).to.be.greaterThan(-1);
    for (let i = 1; i <= climb; i++) expect(ranges[i] > ranges[i - 1]).to.equal(true);
    expect(ranges.slice(climb, -1).every((r) => r === MAX_RANGE)).to.equal(true);
    // Refused: the halvings, and at most one probe above the cap per 64 answers since.
    const last = progress[progress.length - 1];
    expect(last.refusals).to.be.at.least(halvings);
    expect(last.refusals).to.be.at.most(halvings + Math.ceil(progress.length / 64));
    // Every block was fetched once, in order, up to the last; each range is the blocks its request covered.
    let next = life.d.firstBlock;
    for (const p of progress) {
      expect(p.fromBlock).to.equal(life.d.firstBlock);
      expect(p.block).to.be.greaterThanOrEqual(next);
      expect(p.block - next + 1n).to.be.lessThanOrEqual(MAX_RANGE);
      expect(p.range).to.equal(p.block - next + 1n);
      next = p.block + 1n;
    }
    expect(next).to.equal(result.toBlock + 1n);
    expect(progress[progress.length - 1].logs).to.equal(poolLogs);
  }

  it("completes and passes with an ethers JsonRpcProvider", async function () {
    const provider = new JsonRpcProvider(proxy.url, undefined, { staticNetwork: true });
    try {
      const run = await auditThroughProxy(
        createHuzhuClient({ connector: fromEthers(provider), pool: life.d.pool as `0x${string}` }),
      );
      expectCompleteAndShrunk(run);
    } finally {
      provider.destroy();
    }
  });

  it("completes and passes with a viem http transport that does not retry by itself", async function () {
    const publicClient = createPublicClient({ transport: http(proxy.url, { retryCount: 0 }) });
    const run = await auditThroughProxy(
      createHuzhuClient({ connector: fromViem({ publicClient }), pool: life.d.pool as `0x${string}` }),
    );
    expectCompleteAndShrunk(run);
  });
});
