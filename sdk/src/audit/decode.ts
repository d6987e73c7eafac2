import { decodeAbiParameters, toEventSelector, type AbiEvent, type AbiParameter } from "viem";
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
  indexed: AbiParameter[];
  data: AbiParameter[];
}

/**
 * Builds the topic-to-event map once, then decodes each log with `decodeAbiParameters`: far faster
 * than looking each log's event up again (the auditor decodes every event of a pool's life).
 */
export function createPoolEventDecoder(): (log: LogEntry) => DecodedEvent | undefined {
  const byTopic = new Map<string, Decoder>();
  for (const item of poolAbi) {
    if (item.type !== "event") continue;
    const event = item as AbiEvent;
    byTopic.set(toEventSelector(event), {
      name: event.name,
      indexed: event.inputs.filter((i) => i.indexed),
      data: event.inputs.filter((i) => !i.indexed),
    });
  }
  return (log) => {
    const decoder = byTopic.get(log.topics[0]);
    if (!decoder) return undefined;
    const args: Record<string, unknown> = {};
    decoder.indexed.forEach((input, i) => {
      args[input.name!] = decodeAbiParameters([input], log.topics[i + 1])[0];
    });
    const values = decodeAbiParameters(decoder.data, log.data);
    decoder.data.forEach((input, i) => (args[input.name!] = values[i]));
    return {
      name: decoder.name,
      args,
      blockNumber: log.blockNumber,
      logIndex: log.logIndex,
      transactionHash: log.transactionHash,
    };
  };
}
