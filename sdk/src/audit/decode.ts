import { toEventSelector, type AbiEvent, type AbiParameter } from "viem";
import { compileParameters, type DecodeOptions } from "../internal/abiCodec";
import { poolAbi } from "../abi/generated";
import type { Hex } from "../core/types";
import type { LogEntry } from "../clients/connector";

/** A decoded pool event with its place in the chain. */
export interface DecodedEvent {
  name: string;
  args: Record<string, unknown>;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
}

interface Decoder {
  name: string;
  /** Each indexed field's name and the decoder of its topic. */
  indexed: Array<[string, (topic: Hex) => readonly unknown[]]>;
  dataNames: string[];
  data: (data: Hex) => readonly unknown[];
}

/**
 * Builds the topic-to-event map once, then decodes each log's fields word by word (the static ones,
 * see `internal/abiCodec.ts`; viem's `decodeAbiParameters` for the others): far faster than looking
 * each log's event up again (the auditor decodes every event of a pool's life).
 *
 * With `{ checksum: false }` addresses come out in lower case, unhashed (the auditor's replay: it
 * keys accounts by lower case and checksums only what it prints); by default checksummed, as viem's.
 */
export function createPoolEventDecoder(options: DecodeOptions = {}): (log: LogEntry) => DecodedEvent | undefined {
  const byTopic = new Map<string, Decoder>();
  for (const item of poolAbi) {
    if (item.type !== "event") continue;
    const event = item as AbiEvent;
    const data: AbiParameter[] = event.inputs.filter((i) => !i.indexed);
    byTopic.set(toEventSelector(event), {
      name: event.name,
      indexed: event.inputs.filter((i) => i.indexed).map((i) => [i.name!, compileParameters([i], options)]),
      dataNames: data.map((i) => i.name!),
      data: compileParameters(data, options),
    });
  }
  return (log) => {
    const decoder = byTopic.get(log.topics[0]);
    if (!decoder) return undefined;
    const args: Record<string, unknown> = {};
    for (let i = 0; i < decoder.indexed.length; i++) {
      const [name, decode] = decoder.indexed[i];
      args[name] = decode(log.topics[i + 1])[0];
    }
    const values = decoder.data(log.data);
    for (let i = 0; i < values.length; i++) args[decoder.dataNames[i]] = values[i];
    return {
      name: decoder.name,
      args,
      blockNumber: log.blockNumber,
      logIndex: log.logIndex,
      transactionHash: log.transactionHash,
    };
  };
}
