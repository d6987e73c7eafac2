import type { Address, Hex } from "../core/types";

/** A call or transaction to a contract. */
export interface TxRequest {
  to: Address;
  data: Hex;
  from?: Address;
  /** For calls: read the state at this block (latest by default). */
  blockNumber?: bigint;
  /** For calls: `"pending"` reads the state with the node's pending transactions applied. */
  blockTag?: "latest" | "pending";
  /**
   * For calls: run with this code at these accounts, for this call only (an `eth_call` state
   * override; geth, reth, erigon, nethermind, anvil and Hardhat support it, some endpoints refuse it).
   */
  codeOverride?: Record<Address, Hex>;
}

/** A transaction as the node knows it (mined or pending). */
export interface TxInfo {
  hash: Hex;
  from: Address;
  to?: Address;
  data: Hex;
  nonce: number;
  /** Undefined while pending. */
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
 *
 * The connector only sends and reads; the SDK sequences an account's transactions on top of it
 * (one queue per account in the process: nonces, simulation against pending state, receipts,
 * allowances; see `internal/sequencer.ts`).
 */
export interface Connector {
  readonly library: "ethers" | "viem";
  getChainId(): Promise<number>;
  /** The account transactions are sent from, if any. */
  getAddress(): Promise<Address | undefined>;
  call(tx: TxRequest): Promise<Hex>;
  /** The account's transaction count at `blockTag`, asked of the node every time (never from a cache). */
  getTransactionCount(address: Address, blockTag: "latest" | "pending"): Promise<number>;
  /**
   * Signs a transaction with the given nonce without sending it (gas and fees filled in). Present
   * only when the key is held in this process (an ethers `Wallet`, a viem local account): the SDK
   * then chooses nonces and can resend the same signed bytes safely.
   */
  signTransaction?(tx: TxRequest, nonce: number): Promise<Hex>;
  /** Broadcasts a signed transaction. */
  sendRawTransaction(raw: Hex): Promise<void>;
  /** Asks the wallet to send a transaction (the wallet chooses the nonce) and returns its hash, without waiting. */
  sendTransaction(tx: TxRequest): Promise<Hex>;
  /** The receipt, or null while the transaction is not mined. */
  getTransactionReceipt(hash: Hex): Promise<TxReceipt | null>;
  /** The transaction, or null when the node does not know it. */
  getTransaction(hash: Hex): Promise<TxInfo | null>;
  /** How often to poll for receipts, in milliseconds (the client library's setting). */
  readonly pollingInterval: number;
  getLogs(filter: LogFilter): Promise<LogEntry[]>;
  getBlockNumber(): Promise<bigint>;
  /** The timestamp of a block (the latest by default), in seconds. */
  getTimestamp(blockNumber?: bigint): Promise<bigint>;
  signTypedData(request: TypedDataRequest): Promise<Hex>;
  signMessage(message: string): Promise<Hex>;
}
