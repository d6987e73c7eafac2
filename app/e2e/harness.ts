/**
 * What every browser test needs: a hardhat node of its own (port 8710), the seeded pool, the built app
 * served on port 8711, Debian's Chromium, axe, screenshots, and the SDK's auditor on the same RPC.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";
import { createPublicClient, http, type PublicClient } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { audit, createHuzhuClient, fromViem, type AuditResult, type HuzhuClient } from "@huzhu/sdk";
import * as scenario from "../../test/audit/scenario";
import { seed, type Seeded } from "../scripts/seed";
import { configOf, serveApp } from "../scripts/local";
import { installWallet, type TestWallet } from "./wallet";

export const CHAIN_PORT = Number(process.env.HUZHU_E2E_CHAIN_PORT ?? 8710);
export const APP_PORT = Number(process.env.HUZHU_E2E_APP_PORT ?? 8711);
export const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "artifacts-e2e");
const MNEMONIC = "test test test test test test test test test test test junk";
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Harness {
  url: string;
  rpcUrl: string;
  seeded: Seeded;
  browser: Browser;
  publicClient: PublicClient;
  reader: HuzhuClient;
  rpc(method: string, params?: unknown[]): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Opens the app with a wallet for test account `index` (none when undefined). */
  open(
    hash: string,
    index?: number,
    opts?: { phone?: boolean; startChainId?: number },
  ): Promise<{ page: Page; wallet?: TestWallet }>;
  audit(): Promise<AuditResult>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const node = await scenario.startNode(CHAIN_PORT);
  let app: { url: string; close(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  try {
    const seeded = await seed(node.url, 0);
    app = await serveApp(APP_PORT, configOf(node.url, seeded, false));
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: CHROMIUM_FLAGS,
    });
    const publicClient = createPublicClient({ transport: http(node.url, { batch: true }) }) as PublicClient;
    const reader = createHuzhuClient({ connector: fromViem({ publicClient }), pool: seeded.pool });
    let id = 0;
    const rpc = async (method: string, params: unknown[] = []) => {
      const res = await fetch(node.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
      });
      const body = await res.json();
      if (body.error) throw new Error(body.error.message);
      return body.result;
    };
    const b = browser;
    const a = app;
    return {
      url: app.url,
      rpcUrl: node.url,
      seeded,
      browser,
      publicClient,
      reader,
      rpc,
      async open(hash, index, opts = {}) {
        const context = await b.newContext(
          opts.phone
            ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }
            : { viewport: { width: 1280, height: 900 } },
        );
        const wallet =
          index === undefined
            ? undefined
            : await installWallet(context, {
                account: mnemonicToAccount(MNEMONIC, { addressIndex: index }),
                rpcUrl: node.url,
                chainId: seeded.chainId,
                startChainId: opts.startChainId,
              });
        const page = await context.newPage();
        page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
        await page.goto(`${a.url}#${hash}`);
        return { page, wallet };
      },
      audit: () => audit(reader, { factory: seeded.factory, fromBlock: seeded.fromBlock }),
      async stop() {
        // Bounded: a stuck browser must not keep the chain and the server alive.
        await Promise.race([b.close().catch(() => {}), new Promise((r) => setTimeout(r, 15_000))]);
        await Promise.race([a.close().catch(() => {}), new Promise((r) => setTimeout(r, 5_000))]);
        await node.stop();
      },
    };
  } catch (error) {
    await browser?.close().catch(() => {});
    await app?.close().catch(() => {});
    await node.stop();
    throw error;
  }
}

/** Serious and critical accessibility violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join("; ")})`,
    );
}

export async function shoot(page: Page, name: string) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}
