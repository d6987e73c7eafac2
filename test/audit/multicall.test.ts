import { expect } from "chai";
import hre from "hardhat";
import { createServer, type Server } from "node:http";
import { JsonRpcProvider } from "ethers";
import { createPublicClient, http } from "viem";
import {
  createHuzhuClient,
  erc20PermitAbi,
  fromEthers,
  fromViem,
  multicallRead,
  MULTICALL3_ADDRESS,
  poolAbi,
  readCall,
  type Connector,
  type HuzhuClientConfig,
  PanicError,
  UnknownRevertError,
  type MulticallProgress,
} from "../../sdk/src";
import { read } from "../../sdk/src/internal/contract";
import { installMulticall3 } from "../../sdk/src/node";
import { Chain, PoolDriver, deploy, httpRpc, memberAddress, startNode, usdc, type Deployment } from "./scenario";

const NODE_PORT = 8741;
const PROXY_PORT = 8742;
/** The most calls one aggregate3 may carry through the proxy. */
const CAP = 16;
const MEMBERS = 40;

interface JsonRpcCall {
  jsonrpc: "2.0";
  id: number | string;
  method: string;
  params?: Array<{ to?: string; data?: string }>;
}

/** Calls in an aggregate3's calldata: the array's length, the word after the offset. */
const callsIn = (data: string) => Number.parseInt(data.slice(10 + 64, 10 + 128), 16);

/**
 * An endpoint in front of the node that refuses an `aggregate3` of more than `CAP` calls, as a
 * provider refuses a call whose answer is too large, and answers every seventh request with a 502.
 * It records the size of every aggregate3 it sees, and whether it refused it.
 */
function refusingProxy(upstream: string, port: number) {
  const aggregates: Array<[number, boolean]> = [];
  const stats = { badGateways: 0, requests: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      stats.requests++;
      if (stats.requests % 7 === 0) {
        stats.badGateways++;
        res.writeHead(502, { "content-type": "text/html" }).end("<html><body>502 Bad Gateway</body></html>");
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString());
      const calls: JsonRpcCall[] = Array.isArray(body) ? body : [body];
      const answers = await Promise.all(
        calls.map(async (call) => {
          const tx = call.params?.[0];
          if (call.method === "eth_call" && tx?.to?.toLowerCase() === MULTICALL3_ADDRESS.toLowerCase()) {
            const n = callsIn(tx.data!);
            aggregates.push([n, n > CAP]);
            if (n > CAP)
              return { jsonrpc: "2.0", id: call.id, error: { code: -32000, message: "response size exceeded" } };
          }
          const answer = await fetch(upstream, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(call),
          });
          return answer.json();
        }),
      );
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(Array.isArray(body) ? answers : answers[0]));
    });
  });
  return {
    aggregates,
    stats,
    url: `http://127.0.0.1:${port}`,
    listen: () => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A connector that counts its eth_calls: to Multicall3, and to anything else. */
function counting(connector: Connector) {
  const calls = { multicall: 0, single: 0 };
  const wrapped: Connector = Object.assign(Object.create(connector), {
    call: (tx: Parameters<Connector["call"]>[0]) => {
      if (tx.to.toLowerCase() === MULTICALL3_ADDRESS.toLowerCase()) calls.multicall++;
      else calls.single++;
      return connector.call(tx);
    },
  });
  return { connector: wrapped, calls };
}

describe("multicallRead: view calls batched through Multicall3 @json-rpc", function () {
  this.timeout(300_000);
  let node: Awaited<ReturnType<typeof startNode>>;
  let direct: JsonRpcProvider;
  let d: Deployment;
  let proxy: ReturnType<typeof refusingProxy>;
  let block: bigint;
  let members: Array<`0x${string}`>;

  before(async function () {
    node = await startNode(NODE_PORT);
    direct = httpRpc(node.url);
    const chain = new Chain(direct);
    d = await deploy(chain, hre.artifacts);
    await new PoolDriver(chain, d).joinMany(
      Array.from({ length: MEMBERS }, (_, i) => i),
      usdc(60),
      usdc(100),
    );
    await installMulticall3(direct);
    block = await chain.blockNumber();
    members = Array.from({ length: MEMBERS }, (_, i) => memberAddress(i) as `0x${string}`);
    proxy = refusingProxy(node.url, PROXY_PORT);
    await proxy.listen();
  });

  after(async function () {
    await proxy?.close();
    direct?.destroy();
    await node?.stop();
  });

  const pool = () => d.pool as `0x${string}`;
  const MAX = 2n ** 256n - 1n;
  /**
   * Every member's view, every juror position, and two calls that revert: an overflowing period's
   * end (a Panic), and a pool view asked of the token (no such function: a revert without data).
   */
  const calls = () => [
    ...members.map((m) => readCall(pool(), poolAbi, "member", [m])),
    ...members.map((_, i) => readCall(pool(), poolAbi, "jurorAt", [BigInt(i)])),
    readCall(pool(), poolAbi, "periodEnd", [MAX]),
    readCall(d.token as `0x${string}`, erc20PermitAbi, "balanceOf", [pool()]),
    readCall(d.token as `0x${string}`, poolAbi, "memberCount", []),
  ];

  /** What each call gives when read alone, through the SDK's `read`: its result or its error's class. */
  async function oneByOne(client: HuzhuClientConfig) {
    return Promise.all(
      calls().map(async (c) => {
        try {
          return {
            success: true,
            result: await read(client, c.address, c.abi, c.functionName as never, c.args as never, block),
          };
        } catch (error) {
          return { success: false, error: (error as Error).constructor.name };
        }
      }),
    );
  }
  const comparable = (results: Awaited<ReturnType<typeof multicallRead>>) =>
    results.map((r) => (r.success ? r : { success: false, error: r.error.constructor.name }));

  for (const library of ["ethers", "viem"] as const) {
    const connect = (url: string): Connector =>
      library === "ethers"
        ? fromEthers(new JsonRpcProvider(url, 31337, { staticNetwork: true }))
        : fromViem({ publicClient: createPublicClient({ transport: http(url, { retryCount: 0 }) }) });

    it(`batches calls ${CAP * 2} at a time, each result as a single read gives it (${library})`, async function () {
      const { connector, calls: sent } = counting(connect(node.url));
      const client = createHuzhuClient({ connector, pool: pool() });
      const progress: MulticallProgress[] = [];
      const results = await multicallRead(client, calls(), {
        blockNumber: block,
        batchSize: CAP * 2,
        maxBatchSize: CAP * 2,
        onProgress: (p) => progress.push(p),
      });
      const total = calls().length;
      expect(sent).to.deep.equal({ multicall: Math.ceil(total / (CAP * 2)), single: 0 });
      const alone = await oneByOne(client);
      // `read` reports a revert without data as the node's refusal (RpcRequestError); multicallRead
      // as an UnknownRevertError, as a batch does (Multicall3 gives it back as an empty failure).
      expect(alone[2 * MEMBERS + 2]).to.deep.equal({ success: false, error: "RpcRequestError" });
      alone[2 * MEMBERS + 2] = { success: false, error: "UnknownRevertError" };
      expect(comparable(results)).to.deep.equal(alone);
      // Typed results: the member view's fields, the checksummed juror, the failures' errors.
      const member = results[0];
      expect(member.success && (member.result as { balance: bigint }).balance).to.equal(usdc(60));
      // Position 0 holds whichever member's join was mined first in the joins' block: one of them, checksummed.
      const juror = results[MEMBERS];
      expect(juror.success).to.equal(true);
      expect(members).to.include(juror.success && juror.result);
      const panic = results[2 * MEMBERS];
      expect(!panic.success && panic.error).to.be.instanceOf(PanicError);
      expect(results[2 * MEMBERS + 1]).to.deep.equal({ success: true, result: usdc(60) * BigInt(MEMBERS) });
      const noData = results[2 * MEMBERS + 2];
      expect(!noData.success && noData.error).to.be.instanceOf(UnknownRevertError);
      expect(progress.at(-1)).to.deep.include({ done: total, total, multicall: true, refusals: 0 });
    });

    it(`throws the typed error of a failed call that does not allow failure, and only then (${library})`, async function () {
      const client = createHuzhuClient({ connector: connect(node.url), pool: pool() });
      const strict = [
        readCall(pool(), poolAbi, "member", [members[0]], { allowFailure: false }),
        readCall(pool(), poolAbi, "periodEnd", [MAX], { allowFailure: false }),
      ];
      const alone = await oneByOne(client);
      const expected = alone[2 * MEMBERS];
      expect(expected.success).to.equal(false);
      let thrown: unknown;
      try {
        await multicallRead(client, strict, { blockNumber: block });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(PanicError);
      expect((thrown as Error).constructor.name).to.equal((expected as { error: string }).error);
      // Allowed to fail, the same call is a result.
      const [ok, failed] = await multicallRead(client, [strict[0], { ...strict[1], allowFailure: true }], {
        blockNumber: block,
      });
      expect(ok.success).to.equal(true);
      expect(failed.success).to.equal(false);
    });

    it(`halves a refused batch, grows back slowly, and rides out 502s (${library})`, async function () {
      const before = proxy.aggregates.length;
      const client = createHuzhuClient({ connector: connect(proxy.url), pool: pool() });
      // Many calls, so that the size has room to settle: every member's view, five times.
      const many = Array.from({ length: 5 }, () => members.map((m) => readCall(pool(), poolAbi, "member", [m]))).flat();
      const progress: MulticallProgress[] = [];
      const results = await multicallRead(client, many, {
        blockNumber: block,
        batchSize: CAP * 4,
        maxBatchSize: CAP * 4,
        concurrency: 1,
        onProgress: (p) => progress.push(p),
      });
      expect(results.every((r) => r.success)).to.equal(true);
      expect(results.map((r) => r.success && r.result.balance)).to.deep.equal(many.map(() => usdc(60)));
      const seen = proxy.aggregates.slice(before);
      // 64 and 32 refused, then 16 answered; one try a quarter above (20) refused; 16 from then on.
      expect(seen.slice(0, 4)).to.deep.equal([
        [64, true],
        [32, true],
        [16, false],
        [20, true],
      ]);
      expect(seen.slice(4).filter(([, refused]) => refused)).to.deep.equal([]);
      expect(seen.slice(4, -1).every(([n]) => n === CAP)).to.equal(true);
      expect(progress.at(-1)).to.deep.include({ done: many.length, refusals: 3, batchSize: CAP });
      expect(proxy.stats.badGateways).to.be.greaterThan(0);
    });
  }

  it("falls back to one call per view where Multicall3 has no code, with the same results", async function () {
    const { connector, calls: sent } = counting(
      fromEthers(new JsonRpcProvider(node.url, 31337, { staticNetwork: true })),
    );
    const client = createHuzhuClient({ connector, pool: pool() });
    const batched = await multicallRead(client, calls(), { blockNumber: block });
    expect(sent.multicall).to.equal(1);
    await direct.send("hardhat_setCode", [MULTICALL3_ADDRESS, "0x"]);
    try {
      const before = { ...sent };
      const progress: MulticallProgress[] = [];
      const single = await multicallRead(client, calls(), { onProgress: (p) => progress.push(p) });
      // One probe found no code there; then every call went alone.
      expect(sent.multicall - before.multicall).to.equal(1);
      expect(sent.single - before.single).to.equal(calls().length);
      expect(comparable(single)).to.deep.equal(comparable(batched));
      expect(progress.at(-1)).to.deep.include({ done: calls().length, multicall: false });
    } finally {
      await installMulticall3(direct);
    }
    expect(await direct.send("eth_getCode", [MULTICALL3_ADDRESS, "latest"])).to.not.equal("0x");
  });

  it("never asks Multicall3 when told not to", async function () {
    const { connector, calls: sent } = counting(
      fromEthers(new JsonRpcProvider(node.url, 31337, { staticNetwork: true })),
    );
    const results = await multicallRead({ connector }, calls().slice(0, 5), { multicallAddress: false });
    expect(sent).to.deep.equal({ multicall: 0, single: 5 });
    expect(results.every((r) => r.success)).to.equal(true);
  });
});
