import type { Provider, Signer, TransactionReceipt, TransactionRequest, TransactionResponse } from "ethers";
import { MissingAccountError, HuzhuError } from "../errors/base";
import type { Address, Hex } from "../core/types";
import type { Connector, LogEntry } from "./connector";

function isSigner(runner: Signer | Provider): runner is Signer {
  return typeof (runner as Signer).signMessage === "function";
}

/**
 * Sends a transaction, retrying when the node refuses its nonce as used. ethers' providers share
 * identical requests for 250 ms (`cacheTimeout`), so a wallet sending again right after a mined
 * transaction (a fast chain: a local node) can be handed the old `eth_getTransactionCount` and
 * refused. A refused transaction was never sent; once the cache has expired, the nonce is fresh.
 */
async function send(signer: Signer, request: TransactionRequest): Promise<TransactionResponse> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await signer.sendTransaction(request);
    } catch (error) {
      if ((error as { code?: unknown }).code !== "NONCE_EXPIRED" || attempt === 4) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

/**
 * Adapts an ethers v6 `Signer` (to send and sign) or `Provider` (to read) to the SDK.
 * @example
 * const signer = new Wallet(process.env.HUZHU_PRIVATE_KEY!, new JsonRpcProvider(rpcUrl));
 * const huzhu = createHuzhuClient({ connector: fromEthers(signer), pool });
 */
export function fromEthers(runner: Signer | Provider): Connector {
  const signer = isSigner(runner) ? runner : undefined;
  const provider = signer ? signer.provider : (runner as Provider);
  if (!provider) throw new HuzhuError("The ethers signer has no provider: connect it to one.");
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
      const blockTag = tx.blockNumber === undefined ? undefined : Number(tx.blockNumber);
      return (await provider.call({ to: tx.to, data: tx.data, from: tx.from, blockTag })) as Hex;
    },
    async sendTransaction(tx) {
      const response = await send(needSigner(), { to: tx.to, data: tx.data });
      const receipt = (await response.wait()) as TransactionReceipt;
      return {
        hash: receipt.hash as Hex,
        blockNumber: BigInt(receipt.blockNumber),
        status: receipt.status === 1 ? "success" : "reverted",
        gasUsed: receipt.gasUsed,
        logs: receipt.logs.map(toLog),
      };
    },
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
