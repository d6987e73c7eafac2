import {
  parseAbi,
  type Abi,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
} from "viem";
import type { HuzhuClientConfig } from "../clients/client";
import type { Address, Hex } from "../core/types";
import { HuzhuError, UnknownRevertError } from "../errors/base";
import { classifyRpcFailure } from "../errors/transaction";
import { decodeAggregate3, decodeResult, encodeAggregate3, encodeCall } from "./abiCodec";
import { AdaptiveSize } from "./adaptive";
import { findRevertData, isRevert, toSdkError } from "./contract";
import { backoff, UNAVAILABLE_ATTEMPTS } from "./retry";

/** Where Multicall3 lives on nearly every EVM chain (the same address everywhere). */
export const MULTICALL3_ADDRESS = "0xcA11bde05977b3631167028862bE2a173976CA11" as const;

/** The part of Multicall3's interface the SDK uses. */
export const multicall3Abi = parseAbi([
  "struct Call3 { address target; bool allowFailure; bytes callData; }",
  "struct Result { bool success; bytes returnData; }",
  "function aggregate3(Call3[] calls) payable returns (Result[] returnData)",
  "function getBlockNumber() view returns (uint256 blockNumber)",
]);

/** One view call for {@link multicallRead}; build it with {@link readCall} to keep its result's type. */
export interface ReadCall<result = unknown> {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  /** When false, a failure of this call makes `multicallRead` throw its typed error (default true). */
  allowFailure?: boolean;
  /** Carries the decoded result's type; never set. */
  readonly resultType?: result;
}

/** A call's outcome: its decoded result, or the typed error of its revert. */
export type ReadResult<result> = { success: true; result: result } | { success: false; error: HuzhuError };

/** A typed {@link ReadCall}: `readCall(pool, poolAbi, "member", [account])`. */
export function readCall<
  const abi extends Abi,
  name extends ContractFunctionName<abi, "view" | "pure">,
  const args extends ContractFunctionArgs<abi, "view" | "pure", name>,
>(
  address: Address,
  abi: abi,
  functionName: name,
  args: args,
  options: { allowFailure?: boolean } = {},
): ReadCall<ContractFunctionReturnType<abi, "view" | "pure", name, args>> {
  return { address, abi, functionName, args: args as readonly unknown[], allowFailure: options.allowFailure };
}

export interface MulticallReadOptions {
  /** Read the state at this block (latest by default: then batches may see different blocks). */
  blockNumber?: bigint;
  /** Calls per `aggregate3` request at first (default 1,000); halved when the endpoint refuses. */
  batchSize?: number;
  /** Never more calls per request than this (default 2,500). */
  maxBatchSize?: number;
  /**
   * Requests in flight at once (default 2: one computed by the node while the other travels; more
   * only queue up on a node that runs one call at a time; single calls, without Multicall3: 16).
   */
  concurrency?: number;
  /** Multicall3's address (default {@link MULTICALL3_ADDRESS}); `false` makes single calls only. */
  multicallAddress?: Address | false;
  /** Called after each answered request, with the calls done so far. */
  onProgress?: (progress: MulticallProgress) => void;
}

export interface MulticallProgress {
  done: number;
  total: number;
  /** Calls per request now. */
  batchSize: number;
  /** Requests refused so far (each halved the batch). */
  refusals: number;
  /** Whether the reads go through Multicall3 (false: one `eth_call` each). */
  multicall: boolean;
}

type Results<calls extends readonly ReadCall[]> = {
  -readonly [K in keyof calls]: calls[K] extends ReadCall<infer result> ? ReadResult<result> : never;
};

const TIMED_OUT = /timed? ?out|timeout|deadline exceeded|etimedout/i;

/** An error's messages down its cause chain. */
function textOf(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 8; depth++) {
    if (typeof e.message === "string") parts.push(e.message);
    e = e.cause as typeof e;
  }
  return parts.join(" | ") || String(error);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The typed error of a call that reverted with `data` (empty data: an unknown revert). */
function revertError(data: Hex): HuzhuError {
  return data === "0x" ? new UnknownRevertError(undefined) : toSdkError({ data });
}

/**
 * Reads many view calls in few requests: batched through Multicall3's `aggregate3` at
 * {@link MULTICALL3_ADDRESS}, each call with its own `allowFailure`. The batch size adapts to the
 * endpoint: a refused request (too large, out of gas, timed out) is halved and asked again, and the
 * size grows back slowly after answers. Where Multicall3 has no code (a fresh local chain), it
 * falls back to one `eth_call` per call. Results come back in the calls' order; a failed call gives
 * its typed error, or throws it when it does not allow failure.
 *
 * Works through any connector (ethers or viem).
 * @example
 * const [members, count] = await Promise.all([
 *   multicallRead(client, accounts.map((a) => readCall(pool, poolAbi, "member", [a]))),
 *   read(client, pool, poolAbi, "memberCount", []),
 * ]);
 * for (const r of members) if (r.success) console.log(r.result.balance);
 */
export async function multicallRead<const calls extends readonly ReadCall[]>(
  client: Pick<HuzhuClientConfig, "connector">,
  calls: calls,
  options: MulticallReadOptions = {},
): Promise<Results<calls>> {
  const { connector } = client;
  const blockNumber = options.blockNumber;
  const total = calls.length;
  const results: Array<ReadResult<unknown> | undefined> = new Array(total);
  const encoded = calls.map((c) => encodeCall(c.abi, c.functionName, c.args));
  const decode = (i: number, data: Hex): ReadResult<unknown> => {
    const c = calls[i];
    try {
      return { success: true, result: decodeResult(c.abi, c.functionName, c.args, data) };
    } catch (error) {
      // A call to an account without code "succeeds" with no data.
      return {
        success: false,
        error: new HuzhuError(`${c.functionName}: undecodable answer ${data}`, { cause: error }),
      };
    }
  };
  const settle = (i: number, outcome: ReadResult<unknown>) => {
    if (!outcome.success && calls[i].allowFailure === false) throw outcome.error;
    results[i] = outcome;
  };

  /** One call alone, with its own retries when the node does not answer. */
  const single = async (i: number) => {
    for (let attempt = 1; ; attempt++) {
      try {
        settle(i, decode(i, await connector.call({ to: calls[i].address, data: encoded[i], blockNumber })));
        return;
      } catch (error) {
        if (error instanceof HuzhuError) throw error;
        if (isRevert(error))
          // Without revert data, the same error a failed call inside a batch gives.
          return settle(i, {
            success: false,
            error: findRevertData(error) === undefined ? new UnknownRevertError(undefined, error) : toSdkError(error),
          });
        if (attempt >= UNAVAILABLE_ATTEMPTS || classifyRpcFailure(error) !== "unavailable") throw toSdkError(error);
        await sleep(backoff(attempt));
      }
    }
  };

  let multicall: Address | undefined =
    options.multicallAddress === false ? undefined : (options.multicallAddress ?? MULTICALL3_ADDRESS);
  const size = new AdaptiveSize(options.batchSize ?? 1_000, options.maxBatchSize ?? 2_500);
  let done = 0;
  const progress = () =>
    options.onProgress?.({
      done,
      total,
      batchSize: size.current,
      refusals: size.refusals,
      multicall: multicall !== undefined,
    });

  /** A batch through aggregate3: "done", "refused" (ask it again in halves) or "absent" (no Multicall3). */
  const batch = async (start: number, end: number, transientTries: number): Promise<"done" | "refused" | "absent"> => {
    const data = encodeAggregate3(
      Array.from({ length: end - start }, (_, k) => ({
        target: calls[start + k].address,
        allowFailure: calls[start + k].allowFailure !== false,
        callData: encoded[start + k],
      })),
    );
    let answer: Hex;
    try {
      answer = await connector.call({ to: multicall!, data, blockNumber });
    } catch (error) {
      // A revert of the whole batch: out of gas, or a call that may not fail failed. Halving finds out.
      if (isRevert(error)) return "refused";
      // A batch that takes longer than the endpoint (or the client) waits is too large.
      if (TIMED_OUT.test(textOf(error))) return "refused";
      if (classifyRpcFailure(error) === "unavailable" && transientTries > 1) {
        await sleep(backoff(UNAVAILABLE_ATTEMPTS - transientTries + 1));
        return batch(start, end, transientTries - 1);
      }
      return "refused";
    }
    let returned: ReadonlyArray<{ success: boolean; returnData: Hex }>;
    try {
      returned = decodeAggregate3(answer);
    } catch {
      return "absent"; // No code there ("0x"), or not Multicall3.
    }
    if (returned.length !== end - start) return "absent";
    returned.forEach((r, k) =>
      settle(
        start + k,
        r.success ? decode(start + k, r.returnData) : { success: false, error: revertError(r.returnData) },
      ),
    );
    return "done";
  };

  // Work is taken in chunks of the current size; a refused chunk goes back to be taken again, smaller.
  const returnedChunks: Array<[number, number]> = [];
  let cursor = 0;
  const take = (): [number, number] | undefined => {
    const n = multicall ? size.current : 1;
    const back = returnedChunks.pop();
    if (!back) {
      if (cursor >= total) return undefined;
      const start = cursor;
      cursor = Math.min(total, cursor + n);
      return [start, cursor];
    }
    let [start, end] = back;
    // A chunk given back smaller than the size now: join it to the work that follows it.
    while (end - start < n) {
      const next = returnedChunks[returnedChunks.length - 1];
      if (next && next[0] === end) end = returnedChunks.pop()![1];
      else if (!next && end === cursor && cursor < total) end = cursor = Math.min(total, start + n);
      else break;
    }
    if (end - start > n) {
      returnedChunks.push([start + n, end]);
      end = start + n;
    }
    return [start, end];
  };
  const step = async ([start, end]: [number, number]) => {
    if (!multicall || end - start === 1) {
      for (let i = start; i < end; i++) await single(i);
    } else {
      const outcome = await batch(start, end, 3);
      if (outcome !== "done") {
        if (outcome === "absent") multicall = undefined;
        else size.refused(end - start);
        returnedChunks.push([start, end]);
        return;
      }
      size.answered(end - start);
    }
    done += end - start;
    progress();
  };
  // The first answer alone: it tells whether Multicall3 is there (and how large a batch may be).
  for (let chunk = take(); chunk; chunk = done === 0 ? take() : undefined) await step(chunk);
  const workers = options.concurrency ?? (multicall ? 2 : 16);
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let chunk = take(); chunk; chunk = take()) await step(chunk);
    }),
  );
  return results as Results<calls>;
}

/**
 * {@link multicallRead} for calls that may not fail: their results alone, in order; the first
 * failure is thrown as its typed error.
 * @example
 * const [count, carry] = await multicallViews(client, [
 *   readCall(pool, poolAbi, "memberCount", []),
 *   readCall(pool, poolAbi, "carry", []),
 * ]);
 */
export async function multicallViews<const calls extends readonly ReadCall[]>(
  client: Pick<HuzhuClientConfig, "connector">,
  calls: calls,
  options: MulticallReadOptions = {},
): Promise<{ -readonly [K in keyof calls]: calls[K] extends ReadCall<infer result> ? result : never }> {
  const results = (await multicallRead(client, calls, options)) as ReadResult<unknown>[];
  return results.map((r) => {
    if (!r.success) throw r.error;
    return r.result;
  }) as never;
}
