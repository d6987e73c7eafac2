/** The app's log reads against an endpoint that refuses wide block ranges (as public RPCs do). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Connector, HuzhuClientConfig, LogFilter } from "@huzhu/sdk";
import { readHistory } from "../src/chain/reads";

function refusingClient(maxRange: bigint, fail?: Error) {
  const asked: Array<[bigint, bigint]> = [];
  const connector = {
    getBlockNumber: async () => 100n,
    async getLogs(filter: LogFilter) {
      if (fail) throw fail;
      if (filter.toBlock - filter.fromBlock + 1n > maxRange)
        throw Object.assign(new Error(`query exceeds block range limit of ${maxRange}`), { code: -32005 });
      asked.push([filter.fromBlock, filter.toBlock]);
      return [];
    },
  } as unknown as Connector;
  const client: HuzhuClientConfig = { connector, pool: "0x0000000000000000000000000000000000000001" };
  return { client, asked };
}

describe("app reads", () => {
  it("halves a refused block range until the endpoint answers, and covers every block once", async () => {
    const { client, asked } = refusingClient(16n);
    assert.deepEqual(await readHistory(client, "0x0000000000000000000000000000000000000002", 0n), []);
    assert.ok(asked.every(([from, to]) => to - from + 1n <= 16n));
    assert.equal(asked[0][0], 0n);
    assert.equal(asked[asked.length - 1][1], 100n);
    for (let i = 1; i < asked.length; i++) assert.equal(asked[i][0], asked[i - 1][1] + 1n);
  });

  it("passes any other failure on", async () => {
    const { client } = refusingClient(16n, new Error("connection refused"));
    await assert.rejects(readHistory(client, "0x0000000000000000000000000000000000000002", 0n), /connection refused/);
  });
});
