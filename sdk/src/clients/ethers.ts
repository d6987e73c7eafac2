import type { Provider, Signer } from "ethers";
import { MissingAccountError, HuzhuError } from "../errors/base";
import type { Address, Hex } from "../core/types";
import type { Connector, LogEntry } from "./connector";
import { retryUnavailable } from "../internal/retry";
import { fromRpcReceipt, fromRpcTransaction, type RpcReceipt, type RpcTransaction } from "./rpcFormat";

function isSigner(runner: Signer | Provider): runner is Signer {
  return typeof (runner as Signer).signMessage === "function";
}

/** A signer whose key is in this process (an ethers `Wallet`): the SDK chooses its nonces and signs. */
function holdsKey(signer: Signer): boolean {
  return "signingKey" in signer && typeof signer.signTransaction === "function";
}

type RawProvider = Provider & { send(method: string, params: unknown[]): Promise<unknown> };

/**
 * Adapts an ethers v6 `Signer` (to send and sign) or `Provider` (to read) to the SDK.
 *
 * ethers' providers answer identical requests from a 250 ms cache (`cacheTimeout`): a nonce, a
 * simulation or a receipt read through it can be stale right after a transaction. The connector
 * asks the node directly (`provider.send`) for those, so it never sends with a used nonce.
 * @example
 * const signer = new Wallet(process.env.HUZHU_PRIVATE_KEY!, new JsonRpcProvider(rpcUrl));
 * const huzhu = createHuzhuClient({ connector: fromEthers(signer), pool });
 */
export function fromEthers(runner: Signer | Provider): Connector {
  const signer = isSigner(runner) ? runner : undefined;
  const provider = signer ? signer.provider : (runner as Provider);
  if (!provider) throw new HuzhuError("The ethers signer has no provider: connect it to one.");
  // Requests that must not come from ethers' cache go to the node directly, when the provider can.
  const raw = typeof (provider as Partial<RawProvider>).send === "function" ? (provider as RawProvider) : undefined;
  const needSigner = (): Signer => {
    if (!signer) throw new MissingAccountError();
    return signer;
  };
  const toLog = (log: {
    address: string;
    topics: readonly string[];
    data: string;
    blockNumber: number;
    transactionHash: string;
    index: number;
  }): LogEntry => ({
    address: log.address as Address,
    topics: [...log.topics] as Hex[],
    data: log.data as Hex,
    blockNumber: BigInt(log.blockNumber),
    transactionHash: log.transactionHash as Hex,
    logIndex: log.index,
  });
  return {
    library: "ethers",
    getChainId: async () => Number((await provider.getNetwork()).chainId),
    getAddress: async () => (signer ? ((await signer.getAddress()) as Address) : undefined),
    async call(tx) {
      const tag = tx.blockNumber === undefined ? (tx.blockTag ?? "latest") : `0x${tx.blockNumber.toString(16)}`;
      const request = { to: tx.to, data: tx.data, from: tx.from };
      if (tx.codeOverride) {
        if (!raw) throw new HuzhuError("This ethers provider cannot send a call with a state override (no send()).");
        const overrides = Object.fromEntries(Object.entries(tx.codeOverride).map(([a, code]) => [a, { code }]));
        return (await raw.send("eth_call", [request, tag, overrides])) as Hex;
      }
      if (raw) return (await raw.send("eth_call", [request, tag])) as Hex;
      const blockTag = tx.blockNumber === undefined ? tag : Number(tx.blockNumber);
      return (await provider.call({ to: tx.to, data: tx.data, from: tx.from, blockTag })) as Hex;
    },
    async getTransactionCount(address, blockTag) {
      if (raw) return Number(await raw.send("eth_getTransactionCount", [address, blockTag]));
      return provider.getTransactionCount(address, blockTag);
    },
    ...(signer && holdsKey(signer)
      ? {
          // Step by step rather than `populateTransaction`, so that the SDK can repeat each request
          // alone when the node does not answer.
          async signTransaction(tx, nonce) {
            const from = await signer.getAddress();
            const [network, gasLimit, fees] = await Promise.all([
              retryUnavailable(() => provider.getNetwork()),
              retryUnavailable(() => provider.estimateGas({ from, to: tx.to, data: tx.data })),
              retryUnavailable(() => provider.getFeeData()),
            ]);
            const pricing =
              fees.maxFeePerGas !== null && fees.maxPriorityFeePerGas !== null
                ? { type: 2, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas }
                : { type: 0, gasPrice: fees.gasPrice };
            return (await signer.signTransaction({
              from,
              to: tx.to,
              data: tx.data,
              nonce,
              gasLimit,
              chainId: network.chainId,
              ...pricing,
            })) as Hex;
          },
        }
      : {}),
    async sendRawTransaction(signed) {
      if (raw) await raw.send("eth_sendRawTransaction", [signed]);
      else await provider.broadcastTransaction(signed);
    },
    async sendTransaction(tx) {
      return (await needSigner().sendTransaction({ to: tx.to, data: tx.data })).hash as Hex;
    },
    async getTransactionReceipt(hash) {
      if (raw) return fromRpcReceipt(hash, (await raw.send("eth_getTransactionReceipt", [hash])) as RpcReceipt | null);
      const receipt = await provider.getTransactionReceipt(hash);
      if (!receipt) return null;
      return {
        hash,
        blockNumber: BigInt(receipt.blockNumber),
        status: receipt.status === 1 ? "success" : "reverted",
        gasUsed: receipt.gasUsed,
        logs: receipt.logs.map(toLog),
      };
    },
    async getTransaction(hash) {
      if (raw)
        return fromRpcTransaction(hash, (await raw.send("eth_getTransactionByHash", [hash])) as RpcTransaction | null);
      const tx = await provider.getTransaction(hash);
      if (!tx) return null;
      return {
        hash,
        from: tx.from as Address,
        to: (tx.to ?? undefined) as Address | undefined,
        data: tx.data as Hex,
        nonce: tx.nonce,
        blockNumber: tx.blockNumber === null ? undefined : BigInt(tx.blockNumber),
      };
    },
    pollingInterval: (provider as { pollingInterval?: number }).pollingInterval ?? 4000,
    async getLogs(filter) {
      const logs = await provider.getLogs({
        address: filter.address,
        fromBlock: Number(filter.fromBlock),
        toBlock: Number(filter.toBlock),
        topics: filter.topics,
      });
      return logs.map(toLog);
    },
    getBlockNumber: async () => BigInt(await provider.getBlockNumber()),
    async getTimestamp(blockNumber) {
      const block = await provider.getBlock(blockNumber === undefined ? "latest" : Number(blockNumber));
      return BigInt(block!.timestamp);
    },
    async signTypedData(request) {
      return (await needSigner().signTypedData(request.domain, request.types, request.message)) as Hex;
    },
    signMessage: async (message) => (await needSigner().signMessage(message)) as Hex,
  };
}
