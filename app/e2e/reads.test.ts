/**
 * The app's reads without a browser: log reads against an endpoint that refuses wide block ranges (as
 * public RPCs do); views through Multicall3 where it is, single calls where it is not; the shape
 * check of a pasted recovery attestation.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeFunctionData, encodeFunctionResult } from "viem";
import {
  MULTICALL3_ADDRESS,
  multicall3Abi,
  poolAbi,
  readCall,
  type Connector,
  type Hex,
  type HuzhuClientConfig,
  type LogFilter,
} from "@huzhu/sdk";
import { parseAttestation } from "../src/chain/attestation";
import { readHistory, views } from "../src/chain/reads";

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

const POOL = "0x0000000000000000000000000000000000000001" as const;

/** A chain whose pool answers `memberCount` 7 and `claimCount` 3, with or without Multicall3. */
function viewChain(multicall: boolean) {
  const calls: Array<{ to: string; data: Hex }> = [];
  const answer = (data: Hex) => {
    const { functionName } = decodeFunctionData({ abi: poolAbi, data });
    return encodeFunctionResult({
      abi: poolAbi,
      functionName: functionName as "memberCount",
      result: functionName === "memberCount" ? 7n : 3n,
    });
  };
  const connector = {
    async call({ to, data }: { to: string; data: Hex }) {
      calls.push({ to, data });
      if (to.toLowerCase() !== MULTICALL3_ADDRESS.toLowerCase()) return answer(data);
      if (!multicall) return "0x"; // no code there
      const { args } = decodeFunctionData({ abi: multicall3Abi, data });
      const inner = (args![0] as ReadonlyArray<{ callData: Hex }>).map((c) => ({
        success: true,
        returnData: answer(c.callData),
      }));
      return encodeFunctionResult({ abi: multicall3Abi, functionName: "aggregate3", result: inner });
    },
  } as unknown as Connector;
  return { client: { connector }, calls };
}

describe("app views", () => {
  const list = [readCall(POOL, poolAbi, "memberCount", []), readCall(POOL, poolAbi, "claimCount", [])] as const;

  it("go out as one aggregate3 call where Multicall3 is", async () => {
    const { client, calls } = viewChain(true);
    assert.deepEqual(await views(client, list), [7n, 3n]);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].to, MULTICALL3_ADDRESS);
  });

  it("fall back to single calls where it is not, and remember that for this chain", async () => {
    const { client, calls } = viewChain(false);
    assert.deepEqual(await views(client, list), [7n, 3n]);
    assert.equal(calls.filter((c) => c.to === MULTICALL3_ADDRESS).length, 1, "asked Multicall3 once");
    assert.equal(calls.filter((c) => c.to === POOL).length, 2);
    calls.length = 0;
    assert.deepEqual(await views(client, list), [7n, 3n]);
    assert.deepEqual(
      calls.map((c) => c.to),
      [POOL, POOL],
      "straight to single calls the second time",
    );
  });
});

describe("recovery attestation shape", () => {
  const signature = `0x${"ab".repeat(65)}`;

  it("takes the CLI's JSON, passing every field on (whole numbers as bigints)", () => {
    const parsed = parseAttestation(JSON.stringify({ deadline: "1893456000", signature, nonce: "4" }));
    assert.deepEqual(parsed.attestation, { deadline: 1893456000n, signature, nonce: 4n });
    assert.equal(parsed.newWallet, undefined);
  });

  it("reads an attestation nested with the wallet and commitment it is for", () => {
    const commitment = `0x${"11".repeat(32)}`;
    const parsed = parseAttestation(
      JSON.stringify({
        newWallet: "0x8626f6940e2eb28930efb4cef49b2d1f2c9c1199",
        commitment,
        attestation: { deadline: 5, signature },
      }),
    );
    assert.deepEqual(parsed.attestation, { deadline: 5n, signature });
    assert.equal(parsed.newWallet, "0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199");
    assert.equal(parsed.commitment, commitment);
  });

  it("refuses what is not an attestation, saying why", () => {
    const reason = (text: string) => {
      try {
        parseAttestation(text);
        return "accepted";
      } catch (error) {
        return (error as { reason?: string }).reason;
      }
    };
    assert.equal(reason("{deadline: 1"), "json");
    assert.equal(reason("[1, 2]"), "object");
    assert.equal(reason("null"), "object");
    assert.equal(reason(JSON.stringify({ deadline: "1" })), "signature");
    assert.equal(reason(JSON.stringify({ deadline: "1", signature: "0x1234" })), "signature");
    assert.equal(reason(JSON.stringify({ deadline: "1", signature: "hello" })), "signature");
    assert.equal(reason(JSON.stringify({ signature })), "deadline");
    assert.equal(reason(JSON.stringify({ deadline: "soon", signature })), "deadline");
    assert.equal(reason(JSON.stringify({ deadline: -1, signature })), "field");
    assert.equal(reason(JSON.stringify({ deadline: 1, signature, extra: { a: 1 } })), "field");
    assert.equal(reason(JSON.stringify({ deadline: 1, signature, newWallet: "0x12" })), "field");
  });
});
