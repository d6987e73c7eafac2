import type { Address } from "@huzhu/sdk";

/**
 * Where the app reads and writes: `huzhu.json` next to `index.html` (written by `npm run app`, or by
 * hand for another network), else the build's `VITE_HUZHU_*` variables.
 */
export interface AppConfig {
  chainId: number;
  chainName: string;
  rpcUrl: string;
  pool: Address;
  factory?: Address;
  /** The pool's creation block: every log read starts there. */
  fromBlock: string;
  /** The chain's unlocked test accounts, offered as a built-in wallet (a local chain only). */
  testAccounts?: Address[];
}

export async function loadConfig(): Promise<AppConfig> {
  const res = await fetch("./huzhu.json", { cache: "no-store" }).catch(() => undefined);
  if (res?.ok && res.headers.get("content-type")?.includes("json")) return (await res.json()) as AppConfig;
  const env = import.meta.env;
  if (!env.VITE_HUZHU_POOL) throw new Error("No huzhu.json next to the page and no VITE_HUZHU_POOL in the build.");
  return {
    chainId: Number(env.VITE_HUZHU_CHAIN_ID ?? 31337),
    chainName: env.VITE_HUZHU_CHAIN_NAME ?? "Huzhu chain",
    rpcUrl: env.VITE_HUZHU_RPC ?? "http://127.0.0.1:8545",
    pool: env.VITE_HUZHU_POOL as Address,
    factory: env.VITE_HUZHU_FACTORY as Address | undefined,
    fromBlock: env.VITE_HUZHU_FROM_BLOCK ?? "0",
  };
}
