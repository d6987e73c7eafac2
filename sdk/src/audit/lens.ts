import { toFunctionSelector } from "viem";
import type { HuzhuClientConfig } from "../clients/client";
import type { Address, Hex, MemberStatement } from "../core/types";
import { MemberStatus } from "../core/enums.generated";
import { AdaptiveSize } from "../internal/adaptive";
import { findRevertData, isRevert, toSdkError } from "../internal/contract";
import type { ReadResult } from "../internal/multicall";
import { UnknownRevertError } from "../errors/base";
import { classifyRpcFailure } from "../errors/transaction";
import { backoff, UNAVAILABLE_ATTEMPTS } from "../internal/retry";
import { mappingReaderRuntimeBytecode, poolLensRuntimeBytecode } from "./lens.generated";

/**
 * Bulk reads of a pool's member records and juror set, by `eth_call` with a state override that puts
 * never-deployed code at the pool's address, so that it reads the pool's own storage at the audited
 * block. Once, contracts/lens/PoolLens.sol (which inherits the pool) says where the records, the
 * juror set, the exit bounds and the lapse times are; then contracts/lens/MappingReader.sol reads
 * thousands of entries per call, in one EVM frame each (through Multicall3 each member is a call
 * frame of its own: about 0.1 ms of a node's time), and this module decodes each record as the
 * pool's `member()` does. test/audit/lens.test.ts holds its answers equal to `member()` and
 * `jurorAt()` at every block of a pool's life.
 */

/**
 * A member's figures as `member(account)` gives them, and whether the member is flagged. The exit
 * claim bound and the lapse time are read only where the pool reads them (a member on notice; a
 * flagged one) or where the caller asks: elsewhere they are undefined (the pool keeps them zero).
 */
export type LensMemberView = Pick<MemberStatement, "eligibleAt" | "credit" | "charged" | "balance"> & {
  status: number;
  position: bigint;
  /** From the record (the `member()` view shows it only as a lapse time: undefined there). */
  flagged?: boolean;
  exitClaimBound?: bigint;
  lapsableAt?: bigint;
};

export interface LensReadOptions {
  /** The state at this block. */
  blockNumber: bigint;
  /**
   * Entries per call at first (default 4,000); halved when the endpoint refuses (out of gas, too
   * large). An entry costs the reader about 2,200 gas: the defaults stay under the 30 million gas
   * most endpoints allow a call.
   */
  batchSize?: number;
  /** Never more entries per call (default 12,000). */
  maxBatchSize?: number;
  /** Calls in flight at once (default 2: one computed by the node while the other travels). */
  concurrency?: number;
  onProgress?: (progress: { done: number; total: number; batchSize: number; refusals: number }) => void;
}

/** Where the pool keeps what the lens reads, and the charge index and time at the audited block. */
export interface LensLayout {
  membersSlot: bigint;
  jurorSetSlot: bigint;
  exitBoundsSlot: bigint;
  lapsableAtSlot: bigint;
  chargeIndex: bigint;
  timestamp: bigint;
}

const AT_KEYS_SELECTOR = toFunctionSelector("function atKeys(uint256,bytes32[])");
const AT_RANGE_SELECTOR = toFunctionSelector("function atRange(uint256,uint256,uint256)");
const word = (n: number | bigint) => n.toString(16).padStart(64, "0");
const MASK_32 = (1n << 32n) - 1n;
const MASK_88 = (1n << 88n) - 1n;
/** RecoveryTrail.MOVED: the mark a recovered membership leaves in its juror position. */
const MOVED = 1n << 31n;
/** A reverted item's answer, as Multicall3's reader gives it. */
const failure = <T>(error: unknown): ReadResult<T> => ({
  success: false,
  error: findRevertData(error) === undefined ? new UnknownRevertError(undefined, error) : toSdkError(error),
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `atKeys(base, keys)` calldata (addresses as left-padded words). */
function atKeysCall(base: bigint, keys: readonly string[]): Hex {
  let out = `${AT_KEYS_SELECTOR}${word(base)}${word(0x40)}${word(keys.length)}`;
  for (const k of keys) out += k.slice(2).toLowerCase().padStart(64, "0");
  return out as Hex;
}

/** `atRange(base, start, count)` calldata. */
const atRangeCall = (base: bigint, start: number, count: number) =>
  `${AT_RANGE_SELECTOR}${word(base)}${word(start)}${word(count)}` as Hex;

/** The words of an ABI-encoded `uint256[]` answer (no 0x); throws when malformed. */
function arrayWords(data: Hex, expected: number): string[] {
  const hex = data.slice(2);
  const length = hex.length >= 128 ? Number.parseInt(hex.slice(64, 128), 16) : -1;
  if (length !== expected || hex.length < 128 + expected * 64)
    throw new Error(`lens: ${expected} words expected, answer of ${hex.length / 2} bytes`);
  const words = new Array<string>(expected);
  for (let i = 0; i < expected; i++) words[i] = hex.slice(128 + i * 64, 192 + i * 64);
  return words;
}

const COUNTED = new Set<number>([MemberStatus.Waiting, MemberStatus.Exiting, MemberStatus.Lapsing]);
/** On notice: the pool reads the exit claim bound of these. */
const ON_NOTICE = new Set<number>([MemberStatus.Exiting, MemberStatus.Lapsing]);

/**
 * A `MemberRecord` slot (contracts/types/Records.sol: status, flagged, eligibleAt, position, credit,
 * chargeMark, from the lowest byte up) as `member()` shows it at `layout`'s block: a waiting member
 * is active from `eligibleAt`; a counted member's charges are the charge index less their mark, a
 * departed one's the mark; the position without the recovery trail's mark.
 */
export function decodeMemberRecord(
  record: bigint,
  layout: Pick<LensLayout, "chargeIndex" | "timestamp">,
): LensMemberView {
  const stored = Number(record & 0xffn);
  const eligibleAt = (record >> 16n) & MASK_32;
  const credit = (record >> 80n) & MASK_88;
  const mark = (record >> 168n) & MASK_88;
  const charged = COUNTED.has(stored) ? layout.chargeIndex - mark : mark;
  return {
    status: stored === MemberStatus.Waiting && layout.timestamp >= eligibleAt ? MemberStatus.Active : stored,
    flagged: ((record >> 8n) & 0xffn) !== 0n,
    eligibleAt,
    position: (record >> 48n) & MASK_32 & ~MOVED,
    credit,
    charged,
    balance: credit - charged,
  };
}

/**
 * A lens reader for `pool` at `blockNumber`, or the reason the endpoint cannot run it (it refuses
 * state overrides, or ignores them). The first call, the layout, finds out.
 */
export async function poolLens(
  client: Pick<HuzhuClientConfig, "connector">,
  pool: Address,
  options: LensReadOptions,
): Promise<{ lens: PoolLensReader } | { lens: undefined; reason: string }> {
  let layout: LensLayout;
  try {
    // Empty calldata: PoolLens answers its layout from its fallback.
    const words = (await lensCall(client, pool, options.blockNumber, poolLensRuntimeBytecode, "0x"))
      .slice(2)
      .match(/.{64}/g);
    if (!words || words.length !== 6) throw new Error("the lens's layout has six words");
    const [membersSlot, jurorSetSlot, exitBoundsSlot, lapsableAtSlot, chargeIndex, timestamp] = words.map((w) =>
      BigInt(`0x${w}`),
    );
    layout = { membersSlot, jurorSetSlot, exitBoundsSlot, lapsableAtSlot, chargeIndex, timestamp };
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { lens: undefined, reason: `the endpoint did not run the lens with a state override (${message})` };
  }
  return { lens: new PoolLensReader(client, pool, layout, options) };
}

/** One call of `code` at the pool's address at `blockNumber`, retried while the node does not answer. */
async function lensCall(
  client: Pick<HuzhuClientConfig, "connector">,
  pool: Address,
  blockNumber: bigint,
  code: Hex,
  data: Hex,
): Promise<Hex> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.connector.call({ to: pool, data, blockNumber, codeOverride: { [pool]: code } });
    } catch (error) {
      if (isRevert(error) || attempt >= UNAVAILABLE_ATTEMPTS || classifyRpcFailure(error) !== "unavailable")
        throw error;
      await sleep(backoff(attempt));
    }
  }
}

export class PoolLensReader {
  constructor(
    private readonly client: Pick<HuzhuClientConfig, "connector">,
    readonly pool: Address,
    /** Where the pool keeps the records, from PoolLens at the audited block. */
    readonly layout: LensLayout,
    private readonly options: LensReadOptions,
  ) {}

  /** One MappingReader call at the pool's address. */
  private call(data: Hex): Promise<Hex> {
    return lensCall(this.client, this.pool, this.options.blockNumber, mappingReaderRuntimeBytecode as Hex, data);
  }

  /**
   * Reads `total` entries in chunks of an adaptive size: a refused chunk (a revert: out of gas; a
   * timeout or any failure) is halved and asked again, down to one entry, which then fails for good.
   */
  private async chunked<T>(
    total: number,
    ask: (start: number, end: number) => Promise<T[]>,
    reverted: (error: unknown) => T,
  ): Promise<T[]> {
    const out = new Array<T>(total);
    const size = new AdaptiveSize(this.options.batchSize ?? 4_000, this.options.maxBatchSize ?? 12_000);
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
          // One entry alone: a revert is that entry's answer.
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

  /** The words of an `address => uint256` mapping at `accounts`, as bigints (a revert where one entry's read reverts). */
  private mapping(base: bigint, accounts: readonly string[]): Promise<Array<ReadResult<bigint>>> {
    return this.chunked<ReadResult<bigint>>(
      accounts.length,
      async (start, end) =>
        arrayWords(await this.call(atKeysCall(base, accounts.slice(start, end))), end - start).map((w) => ({
          success: true as const,
          result: BigInt(`0x${w}`),
        })),
      failure,
    );
  }

  /**
   * Each account's `member()` figures, in order. The exit claim bound and the lapse time are read for
   * the accounts whose record is on notice (exiting, lapsing) or flagged, and for those in `alsoRead`
   * (lower case): an auditor names the ones its rebuild has on notice or flagged.
   */
  async members(
    accounts: readonly Address[],
    alsoRead: ReadonlySet<string> = new Set(),
  ): Promise<Array<ReadResult<LensMemberView>>> {
    const records = await this.mapping(this.layout.membersSlot, accounts);
    const views = records.map((r): ReadResult<LensMemberView> =>
      r.success ? { success: true, result: decodeMemberRecord(r.result, this.layout) } : r,
    );
    const which: number[] = [];
    views.forEach((v, i) => {
      if (
        (v.success && (v.result.flagged || ON_NOTICE.has(v.result.status))) ||
        alsoRead.has(accounts[i].toLowerCase())
      )
        which.push(i);
    });
    await this.readNotices(accounts, views, which);
    return views;
  }

  /**
   * Reads the exit claim bound and the lapse time of `accounts[i]` into `views[i]`, for each `i` in
   * `which` whose view has them not yet (a failed read replaces the view).
   */
  async readNotices(
    accounts: readonly Address[],
    views: Array<ReadResult<LensMemberView>>,
    which: readonly number[],
  ): Promise<void> {
    const todo = which.filter((i) => {
      const v = views[i];
      return v.success && v.result.exitClaimBound === undefined;
    });
    if (todo.length === 0) return;
    const wanted = todo.map((i) => accounts[i]);
    const [bounds, lapses] = await Promise.all([
      this.mapping(this.layout.exitBoundsSlot, wanted),
      this.mapping(this.layout.lapsableAtSlot, wanted),
    ]);
    todo.forEach((i, k) => {
      const v = views[i];
      const bound = bounds[k];
      const lapse = lapses[k];
      if (!v.success) return;
      if (!bound.success) views[i] = bound;
      else if (!lapse.success) views[i] = lapse;
      else v.result = { ...v.result, exitClaimBound: bound.result, lapsableAt: lapse.result };
    });
  }

  /** The juror set's positions `0 .. count - 1` (holes as the zero address), in lower case (no hashing). */
  jurors(count: number): Promise<Array<ReadResult<Address>>> {
    return this.chunked<ReadResult<Address>>(
      count,
      async (start, end) =>
        arrayWords(await this.call(atRangeCall(this.layout.jurorSetSlot, start, end - start)), end - start).map(
          (w) => ({ success: true as const, result: `0x${w.slice(24)}` as Address }),
        ),
      failure,
    );
  }
}
