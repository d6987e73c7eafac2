/**
 * A real EIP-1193 wallet for the browser tests: the page gets a provider (announced through EIP-6963
 * as "E2E Wallet") whose requests cross to Node.js, where a viem local account signs with a test key
 * and sends raw transactions to the chain. Reads go to the chain as they are. The test can put it on
 * another chain, or make it refuse the next requests as a person clicking "Reject" would.
 */
import type { BrowserContext, Page } from "playwright-core";
import { createWalletClient, defineChain, http, type Hex, type LocalAccount } from "viem";

export interface TestWallet {
  account: LocalAccount;
  /** The chain the wallet says it is on (a wrong one until switched, when set so). */
  chainId: number;
  /** Refuse signatures and transactions (EIP-1193 code 4001). */
  reject: boolean;
  /** Transactions this wallet sent. */
  sent: Hex[];
  /** Tells the page the chain changed (as a wallet does after a switch). */
  emit(event: string, value: unknown): Promise<void>;
}

const PAGE_SCRIPT = `(() => {
  const listeners = {};
  const provider = {
    isE2E: true,
    async request({ method, params }) {
      const out = await window.__e2eWallet(method, params ?? []);
      if (out.error) throw Object.assign(new Error(out.error.message), { code: out.error.code });
      return out.result;
    },
    on(e, l) { (listeners[e] ??= new Set()).add(l); },
    removeListener(e, l) { listeners[e]?.delete(l); },
  };
  window.__e2eWalletEmit = (e, v) => listeners[e]?.forEach((l) => l(v));
  const info = { uuid: "0c7f1e7a-3a4b-4c5d-8e9f-0a1b2c3d4e5f", name: "E2E Wallet", icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E", rdns: "org.huzhu.e2e" };
  const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();`;

const bigOrUndefined = (v?: string) => (v === undefined ? undefined : BigInt(v));

export async function installWallet(
  target: Page | BrowserContext,
  opts: { account: LocalAccount; rpcUrl: string; chainId: number; startChainId?: number },
): Promise<TestWallet> {
  const chain = defineChain({
    id: opts.chainId,
    name: "local",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [opts.rpcUrl] } },
  });
  const client = createWalletClient({ account: opts.account, chain, transport: http(opts.rpcUrl) });
  const pages = new Set<Page>();
  const wallet: TestWallet = {
    account: opts.account,
    chainId: opts.startChainId ?? opts.chainId,
    reject: false,
    sent: [],
    async emit(event, value) {
      for (const p of pages)
        await p
          .evaluate(
            ([e, v]) => (window as never as { __e2eWalletEmit(e: string, v: unknown): void }).__e2eWalletEmit(e, v),
            [event, value] as const,
          )
          .catch(() => {});
    },
  };
  let authorized = false;
  const refused = { error: { code: 4001, message: "User rejected the request." } };
  const forward = async (method: string, params: unknown[]) => {
    const res = await fetch(opts.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await res.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
    return body.error ? { error: body.error } : { result: body.result };
  };
  const handle = async (method: string, params: unknown[]): Promise<{ result?: unknown; error?: unknown }> => {
    switch (method) {
      case "eth_chainId":
        return { result: `0x${wallet.chainId.toString(16)}` };
      case "net_version":
        return { result: String(wallet.chainId) };
      // Like a real wallet: no account for a site until the person has connected it.
      case "eth_accounts":
        return { result: authorized ? [opts.account.address] : [] };
      case "eth_requestAccounts":
        if (wallet.reject) return refused;
        authorized = true;
        return { result: [opts.account.address] };
      case "wallet_requestPermissions":
      case "wallet_getPermissions":
        return { result: [{ parentCapability: "eth_accounts" }] };
      case "wallet_switchEthereumChain": {
        const id = Number((params[0] as { chainId: string }).chainId);
        if (id !== opts.chainId) return { error: { code: 4902, message: "Unrecognized chain." } };
        wallet.chainId = id;
        setTimeout(() => void wallet.emit("chainChanged", `0x${id.toString(16)}`), 0);
        return { result: null };
      }
      case "personal_sign": {
        if (wallet.reject) return refused;
        return { result: await opts.account.signMessage({ message: { raw: params[0] as Hex } }) };
      }
      case "eth_signTypedData_v4": {
        if (wallet.reject) return refused;
        const typed = JSON.parse(params[1] as string);
        const { EIP712Domain: _domain, ...types } = typed.types;
        void _domain;
        return {
          result: await opts.account.signTypedData({
            domain: typed.domain,
            types,
            primaryType: typed.primaryType,
            message: typed.message,
          }),
        };
      }
      case "eth_sendTransaction": {
        if (wallet.reject) return refused;
        if (wallet.chainId !== opts.chainId)
          return { error: { code: 4901, message: "The wallet is on another chain." } };
        const tx = params[0] as { to?: Hex; data?: Hex; value?: string; gas?: string };
        try {
          const hash = await client.sendTransaction({
            to: tx.to,
            data: tx.data,
            value: bigOrUndefined(tx.value),
            gas: bigOrUndefined(tx.gas),
          });
          wallet.sent.push(hash);
          return { result: hash };
        } catch (e) {
          const err = e as { shortMessage?: string; message: string };
          return { error: { code: -32000, message: err.shortMessage ?? err.message } };
        }
      }
      default:
        return forward(method, params);
    }
  };
  const attach = (p: Page) => pages.add(p);
  if ("goto" in target) attach(target);
  else target.on("page", attach);
  await target.exposeFunction("__e2eWallet", handle);
  await target.addInitScript(PAGE_SCRIPT);
  return wallet;
}
