import type { Provider, Signer, TransactionReceipt } from "ethers";
import { MissingAccountError, HuzhuError } from "../errors/base";
import type { Address, Hex } from "../core/types";
import type { Connector, LogEntry } from "./connector";

function isSigner(runner: Signer | Provider): runner is Signer {
  return typeof (runner as Signer).signMessage === "function";
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
      const response = await needSigner().sendTransaction({ to: tx.to, data: tx.data });
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
