import type { Address, Hex } from "../core/types";
import type { LogEntry, TxInfo, TxReceipt } from "./connector";

/** A log as JSON-RPC returns it. */
export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string | null;
  transactionHash: string | null;
  logIndex: string | null;
}

/** A receipt from `eth_getTransactionReceipt`, as plain JSON. */
export interface RpcReceipt {
  blockNumber: string;
  status: string;
  gasUsed: string;
  logs: RpcLog[];
}

/** A transaction from `eth_getTransactionByHash`, as plain JSON. */
export interface RpcTransaction {
  from: string;
  to: string | null;
  input: string;
  nonce: string;
  blockNumber: string | null;
}

export function fromRpcLog(log: RpcLog): LogEntry {
  return {
    address: log.address as Address,
    topics: log.topics as Hex[],
    data: log.data as Hex,
    blockNumber: log.blockNumber === null ? 0n : BigInt(log.blockNumber),
    transactionHash: (log.transactionHash ?? "0x") as Hex,
    logIndex: log.logIndex === null ? 0 : Number(log.logIndex),
  };
}

export function fromRpcReceipt(hash: Hex, receipt: RpcReceipt | null): TxReceipt | null {
  if (!receipt) return null;
  return {
    hash,
    blockNumber: BigInt(receipt.blockNumber),
    status: BigInt(receipt.status) === 1n ? "success" : "reverted",
    gasUsed: BigInt(receipt.gasUsed),
    logs: receipt.logs.map(fromRpcLog),
  };
}

export function fromRpcTransaction(hash: Hex, tx: RpcTransaction | null): TxInfo | null {
  if (!tx) return null;
  return {
    hash,
    from: tx.from as Address,
    to: (tx.to ?? undefined) as Address | undefined,
    data: tx.input as Hex,
    nonce: Number(tx.nonce),
    blockNumber: tx.blockNumber === null ? undefined : BigInt(tx.blockNumber),
  };
}
