import { createContext, useContext, useMemo } from "react";
import { createHuzhuClient, fromViem, UserRejectedRequestError, type HuzhuClient } from "@huzhu/sdk";
import { useAccount, useWalletClient } from "wagmi";
import type { PublicClient } from "viem";
import type { AppConfig } from "../config";
import type { LocalWallet } from "./localWallet";

export interface Huzhu {
  config: AppConfig;
  publicClient: PublicClient;
  /** Reads only: no wallet needed. */
  reader: HuzhuClient;
  fromBlock: bigint;
  localWallet?: LocalWallet;
}

export const HuzhuContext = createContext<Huzhu | null>(null);

export function useHuzhu(): Huzhu {
  const h = useContext(HuzhuContext);
  if (!h) throw new Error("HuzhuContext missing");
  return h;
}

/** The SDK client that signs with the connected wallet, when it is on the pool's chain. */
export function useWriter(): { writer?: HuzhuClient; wrongChain: boolean; address?: `0x${string}` } {
  const { config, publicClient } = useHuzhu();
  const { address, chainId, isConnected } = useAccount();
  const { data: walletClient } = useWalletClient();
  const wrongChain = isConnected && chainId !== config.chainId;
  const writer = useMemo(
    () =>
      walletClient && !wrongChain
        ? createHuzhuClient({
            connector: fromViem({ publicClient, walletClient: walletClient as never }),
            pool: config.pool,
          })
        : undefined,
    [walletClient, wrongChain, publicClient, config.pool],
  );
  return { writer, wrongChain, address };
}

/** An error's plain sentence; a refused signature or transaction is said to have sent nothing. */
export function isRejection(error: unknown): boolean {
  if (error instanceof UserRejectedRequestError) return true;
  const e = error as { code?: number; name?: string; cause?: unknown } | undefined;
  if (e?.code === 4001 || e?.name === "UserRejectedRequestError") return true;
  return e?.cause ? isRejection(e.cause) : false;
}
