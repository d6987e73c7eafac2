import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { HDNodeWallet, JsonRpcProvider, Mnemonic, Wallet } from "ethers";

export const ROOT = path.resolve(__dirname, "../..");

/** The mnemonic of Hardhat's default accounts, each funded with 10,000 ETH on a `hardhat node`. */
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/** The private key of Hardhat's default account `index` (a public test key: never use it on a real network). */
export function hardhatKey(index: number): `0x${string}` {
  const mnemonic = Mnemonic.fromPhrase(HARDHAT_MNEMONIC);
  return HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${index}`).privateKey as `0x${string}`;
}

export interface HardhatNode {
  url: string;
  /** Sends a raw JSON-RPC request (for `evm_increaseTime`, `evm_mine`, ...). */
  send(method: string, params?: unknown[]): Promise<unknown>;
  /** A fresh provider on the node; each is destroyed by `stop`. */
  provider(): JsonRpcProvider;
  /** An ethers wallet for Hardhat's default account `index`, on its own provider. */
  wallet(index: number): Wallet;
  /** Moves the chain's clock forward and mines a block at the new time. */
  increaseTime(seconds: number | bigint): Promise<void>;
  stop(): Promise<void>;
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

async function answers(url: string): Promise<boolean> {
  try {
    await rpc(url, "eth_chainId");
    return true;
  } catch {
    return false;
  }
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    // The node runs under npx: signal the whole process group it leads.
    process.kill(-child.pid!, "SIGTERM");
  });
}

/**
 * Starts `npx hardhat node --port <port>` in the repository (a real JSON-RPC endpoint over HTTP) and
 * resolves once it answers. Refuses a port something already answers on.
 */
export async function startHardhatNode(port: number, timeoutMs = 180_000): Promise<HardhatNode> {
  const url = `http://127.0.0.1:${port}`;
  if (await answers(url)) throw new Error(`something already answers JSON-RPC on port ${port}`);
  const child = spawn("npx", ["hardhat", "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Drain the node's logs (it logs every request), keeping the tail for a failure message.
  let tail = "";
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);

  const deadline = Date.now() + timeoutMs;
  while (!(await answers(url))) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited with ${child.exitCode}:\n${tail}`);
    if (Date.now() > deadline) {
      await kill(child);
      throw new Error(`hardhat node did not answer on ${url} within ${timeoutMs} ms:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const providers: JsonRpcProvider[] = [];
  const provider = () => {
    const p = new JsonRpcProvider(url, 31337, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
    providers.push(p);
    return p;
  };
  const send = (method: string, params: unknown[] = []) => rpc(url, method, params);
  return {
    url,
    send,
    provider,
    wallet: (index) => new Wallet(hardhatKey(index), provider()),
    async increaseTime(seconds) {
      await send("evm_increaseTime", [Number(seconds)]);
      await send("evm_mine");
    },
    async stop() {
      for (const p of providers) p.destroy();
      await kill(child);
    },
  };
}
