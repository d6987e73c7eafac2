import { createConfig, http } from "wagmi";
import { injected } from "wagmi/connectors";
import { createPublicClient, defineChain, http as viemHttp, type PublicClient } from "viem";
import type { AppConfig } from "../config";

export function chainOf(config: AppConfig) {
  return defineChain({
    id: config.chainId,
    name: config.chainName,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
}

/**
 * wagmi with the injected connector; EIP-6963 discovery (on by default) adds one connector per
 * announced wallet. Reads go to the page's RPC, batched into one HTTP request per tick.
 */
export function wagmiConfigOf(config: AppConfig) {
  const chain = chainOf(config);
  return createConfig({
    chains: [chain],
    connectors: [injected()],
    multiInjectedProviderDiscovery: true,
    transports: { [chain.id]: http(config.rpcUrl, { batch: true }) },
  });
}

export function publicClientOf(config: AppConfig): PublicClient {
  return createPublicClient({
    chain: chainOf(config),
    transport: viemHttp(config.rpcUrl, { batch: { batchSize: 500 } }),
  }) as PublicClient;
}
