import { expect } from "chai";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { JsonRpcProvider } from "ethers";
import { ethersFetchRequest } from "../../sdk/src";

/** A JSON-RPC endpoint on an ephemeral port whose answers `reply` writes, as it likes. */
async function endpoint(
  reply: (body: { id: number; method: string }, req: IncomingMessage, res: ServerResponse) => void,
) {
  const server: Server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => reply(JSON.parse(text), req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { port, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** `count` fake logs: a few megabytes of JSON for the larger counts. */
const logs = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ blockNumber: `0x${i.toString(16)}`, data: `0x${"ab".repeat(300)}` }));

describe("ethersFetchRequest: ethers' JSON-RPC over fetch, each body read in one piece", function () {
  const close: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    while (close.length > 0) await close.pop()!();
  });

  it("assembles a large answer sent in 1 KB chunks", async function () {
    const result = logs(5_000);
    const { port, close: stop } = await endpoint((body, _req, res) => {
      const text = Buffer.from(JSON.stringify({ jsonrpc: "2.0", id: body.id, result }));
      res.writeHead(200, { "content-type": "application/json" });
      for (let at = 0; at < text.length; at += 1_024) res.write(text.subarray(at, at + 1_024));
      res.end();
    });
    close.push(stop);
    const provider = new JsonRpcProvider(ethersFetchRequest(`http://127.0.0.1:${port}`), 31337, {
      staticNetwork: true,
    });
    close.push(async () => provider.destroy());
    const answer = await provider.send("eth_getLogs", [{}]);
    expect(answer).to.have.length(5_000);
    expect(answer).to.deep.equal(result);
  });

  it("reads a gzip answer, and sends a URL's credentials as basic authentication", async function () {
    const seen: Array<string | undefined> = [];
    const { port, close: stop } = await endpoint((body, req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(gzipSync(JSON.stringify({ jsonrpc: "2.0", id: body.id, result: "0x2a" })));
    });
    close.push(stop);
    const provider = new JsonRpcProvider(ethersFetchRequest(`http://alice:s%40fe@127.0.0.1:${port}/rpc`), 31337, {
      staticNetwork: true,
    });
    close.push(async () => provider.destroy());
    expect(await provider.getBlockNumber()).to.equal(42);
    expect(seen).to.deep.equal([`Basic ${Buffer.from("alice:s@fe").toString("base64")}`]);
  });

  it("passes a node's JSON-RPC error on as ethers does", async function () {
    const { port, close: stop } = await endpoint((body, _req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          jsonrpc: "2.0",
          id: body.id,
          error: { code: -32005, message: "query returned more than 10000 results" },
        }),
      );
    });
    close.push(stop);
    const provider = new JsonRpcProvider(ethersFetchRequest(`http://127.0.0.1:${port}`), 31337, {
      staticNetwork: true,
    });
    close.push(async () => provider.destroy());
    const error = await provider.send("eth_getLogs", [{}]).then(
      () => undefined,
      (e: { error?: { code: number; message: string } }) => e,
    );
    expect(error?.error).to.deep.equal({ code: -32005, message: "query returned more than 10000 results" });
  });
});
