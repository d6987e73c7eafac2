import type { Address, Hex } from "../core/types";

/** A call or transaction to a contract. */
export interface TxRequest {
  to: Address;
  data: Hex;
  from?: Address;
  /** For calls: read the state at this block (latest by default). */
  blockNumber?: bigint;
}

/** A log as the chain returns it. */
export interface LogEntry {
  address: Address;
  topics: Hex[];
  data: Hex;
  blockNumber: bigint;
  transactionHash: Hex;
  logIndex: number;
}

/** A mined transaction. */
export interface TxReceipt {
  hash: Hex;
  blockNumber: bigint;
  status: "success" | "reverted";
  gasUsed: bigint;
  logs: LogEntry[];
}

/** EIP-712 typed data, without the `EIP712Domain` type. */
export interface TypedDataRequest {
  domain: { name?: string; version?: string; chainId?: bigint | number; verifyingContract?: Address; salt?: Hex };
  types: Record<string, Array<{ name: string; type: string }>>;
  primaryType: string;
  message: Record<string, unknown>;
}

/** A log query. `toBlock` is inclusive. */
export interface LogFilter {
  address: Address;
  fromBlock: bigint;
  toBlock: bigint;
  topics?: Array<Hex | Hex[] | null>;
}

/**
 * What the actions need from a client library: ethers v6 and viem each have an adapter
 * ({@link fromEthers}, {@link fromViem}). Reverts surface as thrown errors that carry the revert
 * data somewhere in their cause chain; the actions decode it.
 */
export interface Connector {
  readonly library: "ethers" | "viem";
  getChainId(): Promise<number>;
  /** The account transactions are sent from, if any. */
  getAddress(): Promise<Address | undefined>;
  call(tx: TxRequest): Promise<Hex>;
  sendTransaction(tx: TxRequest): Promise<TxReceipt>;
  getLogs(filter: LogFilter): Promise<LogEntry[]>;
  getBlockNumber(): Promise<bigint>;
  /** The timestamp of a block (the latest by default), in seconds. */
  getTimestamp(blockNumber?: bigint): Promise<bigint>;
  signTypedData(request: TypedDataRequest): Promise<Hex>;
  signMessage(message: string): Promise<Hex>;
}
