import type { Account, Chain, PublicClient, Transport, WalletClient } from "viem";
import { MissingAccountError } from "../errors/base";
import type { Address, Hex } from "../core/types";
import type { Connector, LogEntry } from "./connector";
import { fromRpcReceipt, fromRpcTransaction, type RpcReceipt, type RpcTransaction } from "./rpcFormat";

export interface FromViemParameters {
  publicClient: PublicClient<Transport, Chain | undefined>;
  /** Needed for transactions and signatures; any EIP-1193 wallet (a browser wallet) works through `custom(provider)`. */
  walletClient?: WalletClient<Transport, Chain | undefined, Account | undefined>;
}

/**
 * Adapts viem clients to the SDK.
 * @example
 * const publicClient = createPublicClient({ transport: custom(window.ethereum) });
 * const walletClient = createWalletClient({ transport: custom(window.ethereum) });
 * const huzhu = createHuzhuClient({ connector: fromViem({ publicClient, walletClient }), pool });
 */
export function fromViem({ publicClient, walletClient }: FromViemParameters): Connector {
  const account = async (): Promise<Account | Address> => {
    if (!walletClient) throw new MissingAccountError();
    if (walletClient.account) return walletClient.account;
    const [address] = await walletClient.getAddresses();
    if (!address) throw new MissingAccountError();
    return address;
  };
  const toLog = (log: {
    address: Address;
    topics: readonly Hex[];
    data: Hex;
    blockNumber: bigint | null;
    transactionHash: Hex | null;
    logIndex: number | null;
  }): LogEntry => ({
    address: log.address,
    topics: [...log.topics],
    data: log.data,
    blockNumber: log.blockNumber ?? 0n,
    transactionHash: log.transactionHash ?? "0x",
    logIndex: log.logIndex ?? 0,
  });
  return {
    library: "viem",
    getChainId: () => publicClient.getChainId(),
    async getAddress() {
      if (!walletClient) return undefined;
      const a = await account();
      return typeof a === "string" ? a : a.address;
    },
    async call(tx) {
      const { data } = await publicClient.call({
        to: tx.to,
        data: tx.data,
        account: tx.from,
        ...(tx.codeOverride
          ? { stateOverride: Object.entries(tx.codeOverride).map(([a, code]) => ({ address: a as Address, code })) }
          : {}),
        ...(tx.blockNumber !== undefined ? { blockNumber: tx.blockNumber } : { blockTag: tx.blockTag ?? "latest" }),
      });
      return data ?? "0x";
    },
    async getTransactionCount(address, blockTag) {
      return publicClient.getTransactionCount({ address, blockTag });
    },
    // Only a local account (a key in this process) signs here; a JSON-RPC account (a browser wallet)
    // chooses its own nonces through sendTransaction.
    ...(walletClient?.account?.type === "local"
      ? {
          async signTransaction(tx, nonce) {
            const from = walletClient.account!;
            const chain = walletClient.chain ?? null;
            const request = await walletClient.prepareTransactionRequest({
              account: from,
              to: tx.to,
              data: tx.data,
              nonce,
              chain,
            });
            return walletClient.signTransaction({ ...request, account: from, chain } as never);
          },
        }
      : {}),
    async sendRawTransaction(raw) {
      if (!walletClient) throw new MissingAccountError();
      await walletClient.sendRawTransaction({ serializedTransaction: raw });
    },
    async sendTransaction(tx) {
      const from = await account();
      return walletClient!.sendTransaction({
        to: tx.to,
        data: tx.data,
        account: from,
        chain: walletClient!.chain ?? null,
      });
    },
    async getTransactionReceipt(hash) {
      const receipt = await publicClient.request({ method: "eth_getTransactionReceipt", params: [hash] });
      return fromRpcReceipt(hash, receipt as RpcReceipt | null);
    },
    async getTransaction(hash) {
      const tx = await publicClient.request({ method: "eth_getTransactionByHash", params: [hash] });
      return fromRpcTransaction(hash, tx as RpcTransaction | null);
    },
    pollingInterval: publicClient.pollingInterval,
    async getLogs(filter) {
      const logs = await publicClient.request({
        method: "eth_getLogs",
        params: [
          {
            address: filter.address,
            fromBlock: `0x${filter.fromBlock.toString(16)}`,
            toBlock: `0x${filter.toBlock.toString(16)}`,
            topics: filter.topics,
          },
        ],
      });
      return logs.map((log) =>
        toLog({
          ...log,
          blockNumber: log.blockNumber === null ? null : BigInt(log.blockNumber),
          logIndex: log.logIndex === null ? null : Number(log.logIndex),
        }),
      );
    },
    getBlockNumber: () => publicClient.getBlockNumber({ cacheTime: 0 }),
    async getTimestamp(blockNumber) {
      return (await publicClient.getBlock(blockNumber === undefined ? { blockTag: "latest" } : { blockNumber }))
        .timestamp;
    },
    // The account first: without a wallet client it throws MissingAccountError, not a TypeError.
    async signTypedData(request) {
      const from = await account();
      return walletClient!.signTypedData({
        account: from,
        domain: request.domain,
        types: request.types,
        primaryType: request.primaryType,
        message: request.message,
      });
    },
    async signMessage(message) {
      const from = await account();
      return walletClient!.signMessage({ account: from, message });
    },
  };
}
