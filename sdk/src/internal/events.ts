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
      const decoded = decodeEventLog({ abi, data: log.data, topics: log.topics as never, eventName } as never);
      return decoded as DecodeEventLogReturnType<abi, name>;
    } catch {
      // Another event: keep looking.
    }
  }
  return undefined;
}
