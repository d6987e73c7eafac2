import { JsonRpcProvider, Wallet } from "ethers";
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { createHuzhuClient, fromEthers, fromViem, type Address, type HuzhuClient } from "../../sdk/src";
import { hardhatKey } from "./hardhatNode";

/** The two client libraries an integrator wires the SDK to. */
export type Library = "ethers" | "viem";

/** What a client is bound to, plus the SDK client options the suites vary. */
export type ClientTarget = ({ pool: Address } | { factory: Address }) & {
  receiptTimeoutMs?: number;
  pollingIntervalMs?: number;
};

/**
 * SDK clients set up as integrators do, each signing with one of Hardhat's test keys over HTTP: an
 * ethers `Wallet` on a `JsonRpcProvider` with its default options, or a viem wallet client with a local
 * account over `http()`. `close()` destroys the ethers providers so that the process can exit.
 */
export class IntegratorClients {
  private readonly providers: JsonRpcProvider[] = [];

  constructor(private readonly url: string) {}

  client(library: Library, keyIndex: number, target: ClientTarget): HuzhuClient {
    if (library === "ethers") {
      const provider = new JsonRpcProvider(this.url);
      this.providers.push(provider);
      return createHuzhuClient({ connector: fromEthers(new Wallet(hardhatKey(keyIndex), provider)), ...target });
    }
    const transport = http(this.url);
    return createHuzhuClient({
      connector: fromViem({
        publicClient: createPublicClient({ chain: hardhat, transport, pollingInterval: 100 }),
        walletClient: createWalletClient({
          account: privateKeyToAccount(hardhatKey(keyIndex)),
          chain: hardhat,
          transport,
        }),
      }),
      ...target,
    });
  }

  close(): void {
    for (const provider of this.providers.splice(0)) provider.destroy();
  }
}
