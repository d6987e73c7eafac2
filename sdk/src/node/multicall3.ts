import type { Address, Hex } from "../core/types";
import { MULTICALL3_ADDRESS } from "../internal/multicall";
import { multicall3RuntimeBytecode } from "./multicall3.generated";

/** An EIP-1193 provider (`{ request }`: Hardhat's `network.provider`, a viem transport, a wallet). */
export interface Eip1193Requester {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}
/** A provider with `send(method, params)` (an ethers `JsonRpcProvider`). */
export interface JsonRpcSender {
  send(method: string, params: unknown[]): Promise<unknown>;
}

/**
 * Puts Multicall3 (the SDK's own implementation of its `aggregate3` and block views, from
 * contracts/mocks/Multicall3.sol) at its usual address, 0xcA11bde05977b3631167028862bE2a173976CA11,
 * on a local development chain (Hardhat, or Anvil), so that batched reads work there as on a real
 * chain. Leaves code already at the address alone (a fork of a chain that has Multicall3). Returns the address.
 * @example
 * import { installMulticall3 } from "@huzhu/sdk/node";
 * await installMulticall3(hre.network.provider);
 */
export async function installMulticall3(provider: Eip1193Requester | JsonRpcSender): Promise<Address> {
  const send = (method: string, params: unknown[]) =>
    "request" in provider && typeof provider.request === "function"
      ? provider.request({ method, params })
      : (provider as JsonRpcSender).send(method, params);
  const code = (await send("eth_getCode", [MULTICALL3_ADDRESS, "latest"])) as Hex;
  if (code && code !== "0x") return MULTICALL3_ADDRESS;
  try {
    await send("hardhat_setCode", [MULTICALL3_ADDRESS, multicall3RuntimeBytecode]);
  } catch (error) {
    // Anvil names it anvil_setCode (recent versions accept both).
    if (!/method|not (found|supported|available)|-32601/i.test(String((error as Error)?.message ?? error))) throw error;
    await send("anvil_setCode", [MULTICALL3_ADDRESS, multicall3RuntimeBytecode]);
  }
  return MULTICALL3_ADDRESS;
}
