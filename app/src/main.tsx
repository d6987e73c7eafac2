import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { WagmiProvider } from "wagmi";
import { createHuzhuClient, fromViem } from "@huzhu/sdk";
import "./i18n";
import "./style.css";
import { App } from "./App";
import { loadConfig } from "./config";
import { HuzhuContext, type Huzhu } from "./chain/huzhu";
import { publicClientOf, wagmiConfigOf } from "./chain/wagmi";
import { announceLocalWallet } from "./chain/localWallet";

const root = createRoot(document.getElementById("root")!);

loadConfig().then(
  (config) => {
    // Announced before wagmi starts listening for EIP-6963 wallets.
    const localWallet = config.testAccounts?.length
      ? announceLocalWallet(config.rpcUrl, config.testAccounts)
      : undefined;
    const publicClient = publicClientOf(config);
    const huzhu: Huzhu = {
      config,
      publicClient,
      reader: createHuzhuClient({ connector: fromViem({ publicClient }), pool: config.pool }),
      fromBlock: BigInt(config.fromBlock),
      localWallet,
    };
    const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } } });
    root.render(
      <StrictMode>
        <WagmiProvider config={wagmiConfigOf(config)}>
          <QueryClientProvider client={queryClient}>
            <HuzhuContext.Provider value={huzhu}>
              <App />
            </HuzhuContext.Provider>
          </QueryClientProvider>
        </WagmiProvider>
      </StrictMode>,
    );
  },
  (error: Error) => root.render(<p role="alert">{error.message}</p>),
);
