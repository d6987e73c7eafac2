/**
 * The built-in wallet of a local chain: the node's unlocked test accounts, as an EIP-1193 provider
 * announced through EIP-6963 like any browser wallet. The node signs (Hardhat keeps their keys);
 * nothing here is offered unless `huzhu.json` lists test accounts, which `npm run app` does only for
 * its own local chain.
 */
import type { Address } from "@huzhu/sdk";

type Listener = (...args: unknown[]) => void;

export function announceLocalWallet(rpcUrl: string, accounts: Address[]) {
  let current: Address = (localStorage.getItem("huzhu.localAccount") as Address) ?? accounts[0];
  if (!accounts.includes(current)) current = accounts[0];
  const listeners = new Map<string, Set<Listener>>();
  const emit = (event: string, ...args: unknown[]) => listeners.get(event)?.forEach((l) => l(...args));
  let id = 0;
  const rpc = async (method: string, params: unknown) => {
    const res = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: params ?? [] }),
    });
    const body = await res.json();
    if (body.error) throw Object.assign(new Error(body.error.message), body.error);
    return body.result;
  };
  const provider = {
    isHuzhuLocal: true,
    async request({ method, params }: { method: string; params?: unknown }) {
      switch (method) {
        case "eth_accounts":
        case "eth_requestAccounts":
          return [current];
        case "wallet_switchEthereumChain":
        case "wallet_addEthereumChain":
          return null;
        case "wallet_requestPermissions":
        case "wallet_getPermissions":
          return [{ parentCapability: "eth_accounts" }];
        default:
          return rpc(method, params);
      }
    },
    on(event: string, l: Listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(l);
    },
    removeListener(event: string, l: Listener) {
      listeners.get(event)?.delete(l);
    },
  };
  const info = {
    uuid: "3b8a1d0e-2f4c-4b7e-9d1a-6c5e8f7a9b20",
    name: "Local test accounts",
    icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 8 8'%3E%3Crect width='8' height='8' fill='%23b4462a'/%3E%3C/svg%3E",
    rdns: "org.huzhu.local",
  };
  const announce = () =>
    window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
  return {
    accounts,
    get current() {
      return current;
    },
    select(account: Address) {
      current = account;
      localStorage.setItem("huzhu.localAccount", account);
      emit("accountsChanged", [account]);
    },
  };
}

export type LocalWallet = ReturnType<typeof announceLocalWallet>;
