import { toFunctionSelector } from "viem";
import type { HuzhuClientConfig } from "../clients/client";
import type { Address, Hex, MemberStatement } from "../core/types";
import { AdaptiveSize } from "../internal/adaptive";
import { findRevertData, isRevert, toSdkError } from "../internal/contract";
import type { ReadResult } from "../internal/multicall";
import { UnknownRevertError } from "../errors/base";
import { classifyRpcFailure } from "../errors/transaction";
import { backoff, UNAVAILABLE_ATTEMPTS } from "../internal/retry";
import { poolLensRuntimeBytecode } from "./lens.generated";

/**
 * Bulk reads of a pool's member records and juror set through contracts/lens/PoolLens.sol: the
 * lens's runtime code is put at the pool's address for one `eth_call` (a state override), so its
 * views read the pool's own storage at the audited block, thousands of members per call, in one
 * EVM frame (through Multicall3 each member is a call frame of its own: about 0.1 ms of the node's
 * time each). The lens inherits the pool, so it reads the storage the pool's views read; the test
 * in test/audit/lens.test.ts holds its answers equal to `member()` and `jurorAt()`.
 */

/** A member's figures as `member(account)` gives them (the lens leaves `balance` to credit minus charged). */
export type LensMemberView = Pick<
  MemberStatement,
  "eligibleAt" | "credit" | "charged" | "balance" | "exitClaimBound" | "lapsableAt"
> & { status: number; position: bigint };

export interface LensReadOptions {
  /** The state at this block. */
  blockNumber: bigint;
  /**
   * Accounts per call at first (default 1,500); halved when the endpoint refuses (out of gas, too
   * large). A member costs the lens about 7,500 gas and a juror position 2,500: the defaults stay
   * under the 30 million gas most endpoints allow a call.
   */
  batchSize?: number;
  /** Never more accounts per call (default 3,500; juror positions: three times as many). */
  maxBatchSize?: number;
  /** Calls in flight at once (default 2: one computed by the node while the other travels). */
  concurrency?: number;
  onProgress?: (progress: { done: number; total: number; batchSize: number; refusals: number }) => void;
}

const MEMBERS_SELECTOR = toFunctionSelector("function lensMembers(address[])");
const JURORS_SELECTOR = toFunctionSelector("function lensJurors(uint256,uint256)");
const word = (n: number | bigint) => n.toString(16).padStart(64, "0");
const MASK_32 = (1n << 32n) - 1n;
const MASK_88 = (1n << 88n) - 1n;
/** A reverted item's answer, as Multicall3's reader gives it. */
const failure = <T>(error: unknown): ReadResult<T> => ({
  success: false,
  error: findRevertData(error) === undefined ? new UnknownRevertError(undefined, error) : toSdkError(error),
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `lensMembers(address[])` calldata. */
function membersCall(accounts: readonly string[]): Hex {
  let out = `${MEMBERS_SELECTOR}${word(0x20)}${word(accounts.length)}`;
  for (const a of accounts) out += a.slice(2).toLowerCase().padStart(64, "0");
  return out as Hex;
}

/** `lensJurors(position, count)` calldata. */
const jurorsCall = (position: number, count: number) => `${JURORS_SELECTOR}${word(position)}${word(count)}` as Hex;

/** The words of an ABI-encoded `uint256[]` / `address[]` answer (no 0x); throws when malformed. */
function arrayWords(data: Hex, expected: number): string[] {
  const hex = data.slice(2);
  const length = hex.length >= 128 ? Number.parseInt(hex.slice(64, 128), 16) : -1;
  if (length !== expected || hex.length < 128 + expected * 64)
    throw new Error(`lens: ${expected} words expected, answer of ${hex.length / 2} bytes`);
  const words = new Array<string>(expected);
  for (let i = 0; i < expected; i++) words[i] = hex.slice(128 + i * 64, 192 + i * 64);
  return words;
}

/** The lens's three words of one account as its `member()` view. */
function memberView(w0: string, w1: string, w2: string): LensMemberView {
  const packed = BigInt(`0x${w0}`);
  const credit = (packed >> 72n) & MASK_88;
  const charged = (packed >> 160n) & MASK_88;
  return {
    status: Number(packed & 0xffn),
    eligibleAt: (packed >> 8n) & MASK_32,
    position: (packed >> 40n) & MASK_32,
    credit,
    charged,
    balance: credit - charged,
    exitClaimBound: BigInt(`0x${w1}`),
    lapsableAt: BigInt(`0x${w2}`),
  };
}

/**
 * A lens reader for `pool` at `blockNumber`, or the reason the endpoint cannot run it (it refuses
 * state overrides, or ignores them). Asks one small call first to find out.
 */
export async function poolLens(
  client: Pick<HuzhuClientConfig, "connector">,
  pool: Address,
  options: LensReadOptions,
): Promise<{ lens: PoolLensReader } | { lens: undefined; reason: string }> {
  const reader = new PoolLensReader(client, pool, options);
  try {
    const probe = await reader.call(jurorsCall(0, 1));
    arrayWords(probe, 1);
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { lens: undefined, reason: `the endpoint did not run the lens with a state override (${message})` };
  }
  return { lens: reader };
}

export class PoolLensReader {
  constructor(
    private readonly client: Pick<HuzhuClientConfig, "connector">,
    readonly pool: Address,
    private readonly options: LensReadOptions,
  ) {}

  /** One call of the lens at the pool's address, retried while the node does not answer. */
  async call(data: Hex): Promise<Hex> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.client.connector.call({
          to: this.pool,
          data,
          blockNumber: this.options.blockNumber,
          codeOverride: { [this.pool]: poolLensRuntimeBytecode },
        });
      } catch (error) {
        if (isRevert(error) || attempt >= UNAVAILABLE_ATTEMPTS || classifyRpcFailure(error) !== "unavailable")
          throw error;
        await sleep(backoff(attempt));
      }
    }
  }

  /**
   * Reads `total` items in chunks of an adaptive size: a refused chunk (a revert: out of gas; a
   * timeout or any failure) is halved and asked again, down to one item, which then fails for good.
   */
  private async chunked<T>(
    total: number,
    ask: (start: number, end: number) => Promise<T[]>,
    reverted: (error: unknown) => T,
    /** Items of this kind per account in a call of the batch size (cheaper items: more per call). */
    weight: number,
  ): Promise<T[]> {
    const out = new Array<T>(total);
    const size = new AdaptiveSize(
      (this.options.batchSize ?? 1_500) * weight,
      (this.options.maxBatchSize ?? 3_500) * weight,
    );
    const back: Array<[number, number]> = [];
    let cursor = 0;
    let done = 0;
    const take = (): [number, number] | undefined => {
      const returned = back.pop();
      if (returned) {
        const [start, end] = returned;
        if (end - start > size.current) {
          back.push([start + size.current, end]);
          return [start, start + size.current];
        }
        return returned;
      }
      if (cursor >= total) return undefined;
      const start = cursor;
      cursor = Math.min(total, cursor + size.current);
      return [start, cursor];
    };
    const step = async ([start, end]: [number, number]) => {
      let items: T[];
      try {
        items = await ask(start, end);
      } catch (error) {
        if (end - start === 1) {
          // One item alone: a revert is that item's answer (a tampered record may make it revert).
          if (!isRevert(error)) throw error;
          items = [reverted(error)];
        } else {
          size.refused(end - start);
          back.push([start, end]);
          return;
        }
      }
      for (let i = 0; i < items.length; i++) out[start + i] = items[i];
      size.answered(end - start);
      done += end - start;
      this.options.onProgress?.({ done, total, batchSize: size.current, refusals: size.refusals });
    };
    const workers = this.options.concurrency ?? 2;
    // Workers stop when nothing is left to take; a chunk given back by a refusal is taken again.
    const pending = new Set<Promise<void>>();
    for (;;) {
      while (pending.size < workers) {
        const chunk = take();
        if (!chunk) break;
        const p: Promise<void> = step(chunk).finally(() => pending.delete(p));
        pending.add(p);
      }
      if (pending.size === 0) break;
      await Promise.race(pending);
    }
    return out;
  }

  /** Each account's `member()` figures, in order (a revert where that account's record makes the lens revert). */
  members(accounts: readonly Address[]): Promise<Array<ReadResult<LensMemberView>>> {
    return this.chunked<ReadResult<LensMemberView>>(
      accounts.length,
      async (start, end) => {
        const words = arrayWords(await this.call(membersCall(accounts.slice(start, end))), (end - start) * 3);
        const views = new Array<ReadResult<LensMemberView>>(end - start);
        for (let i = 0; i < views.length; i++)
          views[i] = { success: true, result: memberView(words[i * 3], words[i * 3 + 1], words[i * 3 + 2]) };
        return views;
      },
      failure,
      1,
    );
  }

  /** The juror set's positions `0 .. count - 1` (holes as the zero address), in lower case (no hashing). */
  jurors(count: number): Promise<Array<ReadResult<Address>>> {
    return this.chunked<ReadResult<Address>>(
      count,
      async (start, end) =>
        arrayWords(await this.call(jurorsCall(start, end - start)), end - start).map((w) => ({
          success: true as const,
          result: `0x${w.slice(24)}` as Address,
        })),
      failure,
      3,
    );
  }
}
