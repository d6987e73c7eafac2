import { decodeEventLog, type Abi, type ContractEventName, type DecodeEventLogReturnType } from "viem";
import type { TxReceipt } from "../clients/connector";

/** The first log of `eventName` in a receipt, decoded; undefined if none. */
export function findEvent<const abi extends Abi, name extends ContractEventName<abi>>(
  receipt: TxReceipt,
  abi: abi,
  eventName: name,
): DecodeEventLogReturnType<abi, name> | undefined {
  for (const log of receipt.logs) {
    try {
      const decoded = decodeEventLog({ abi, data: log.data, topics: log.topics as never, eventName } as never) as {
        eventName: string;
      };
      // viem decodes by the log's selector whatever `eventName` says: keep only the event asked for.
      if (decoded.eventName === eventName) return decoded as DecodeEventLogReturnType<abi, name>;
    } catch {
      // Another event: keep looking.
    }
  }
  return undefined;
}

/** Every log of `eventName` in a receipt, decoded, in log order. */
export function findEvents<const abi extends Abi, name extends ContractEventName<abi>>(
  receipt: TxReceipt,
  abi: abi,
  eventName: name,
): Array<DecodeEventLogReturnType<abi, name>> {
  const found: Array<DecodeEventLogReturnType<abi, name>> = [];
  for (const log of receipt.logs) {
    const decoded = findEvent({ ...receipt, logs: [log] }, abi, eventName);
    if (decoded) found.push(decoded);
  }
  return found;
}
