import { JsonRpcProvider, Network, Wallet } from "ethers";
import type { HuzhuClientConfig } from "../clients/client";
import { fromEthers } from "../clients/ethers";
import { ethersFetchRequest } from "../clients/ethersFetch";
import type { Address } from "../core/types";
import { checkAddress } from "../core/units";
import { HuzhuError, InvalidParameterError, UnknownNetworkError } from "../errors/base";
import { erc20PermitAbi, poolAbi, read } from "../internal/contract";
import { deploymentPath, findPool, loadDeployment, type DeployedPool, type Deployment } from "../node/deployments";

/** The options every command takes (see `huzhu --help`). */
export interface GlobalOptions {
  network: string;
  deployments: string;
  rpc?: string;
  key?: string;
  pool?: string;
  json?: boolean;
  verbose?: boolean;
}

/** RPC endpoints that need no configuration. */
const DEFAULT_RPC: Record<string, string> = { localhost: "http://127.0.0.1:8545" };

/** Only the scheme, host and port of a URL: a provider's path often carries an API key. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "the RPC URL";
  }
}

/** Why a fetch failed, in a word or two: `ECONNREFUSED`, `timeout`, `bad port`. */
function reasonOf(error: unknown): string {
  const e = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> };
  };
  if (e.name === "TimeoutError") return "no answer in 15 s";
  return e.cause?.code ?? e.cause?.errors?.[0]?.code ?? e.cause?.message ?? e.message ?? "unknown reason";
}

/** Asks the node for its chain id, with a deadline, so that an unreachable node fails at once and clearly. */
async function probeChainId(url: string): Promise<number> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidParameterError("--rpc", "is not a URL (e.g. http://127.0.0.1:8545)");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new InvalidParameterError("--rpc", `must be an http(s) URL, not ${parsed.protocol}`);
  }
  let body: { result?: string; error?: { message?: string } };
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(15_000),
    });
    body = (await response.json()) as typeof body;
  } catch (error) {
    throw new HuzhuError(`Cannot reach a JSON-RPC node at ${originOf(url)} (${reasonOf(error)}).`, { cause: error });
  }
  if (typeof body.result !== "string") {
    throw new HuzhuError(`The node at ${originOf(url)} did not answer eth_chainId.`, { details: body.error?.message });
  }
  return Number(BigInt(body.result));
}

/**
 * What a command works with, built lazily from the global options: the deployments file, the
 * JSON-RPC provider, the signer, and SDK client configurations. The private key is never printed.
 */
export class Session {
  private _deployment?: Deployment;
  private _provider?: JsonRpcProvider;
  private _wallet?: Wallet;

  constructor(readonly options: GlobalOptions) {}

  get json(): boolean {
    return this.options.json === true;
  }

  /** Strings an error message must never show (the key, in the forms a user may have typed it). */
  secrets(): string[] {
    const key = this.options.key ?? process.env.HUZHU_PRIVATE_KEY;
    if (!key) return [];
    const bare = key.replace(/^0x/i, "");
    return [key, bare].filter((s) => s.length >= 8);
  }

  get deploymentFile(): string {
    return deploymentPath(this.options.network, this.options.deployments);
  }

  /** The network's deployments file; throws `UnknownNetworkError` when there is none. */
  deployment(): Deployment {
    this._deployment ??= loadDeployment(this.options.network, this.options.deployments);
    return this._deployment;
  }

  rpcUrl(): string {
    const url = this.options.rpc ?? process.env.HUZHU_RPC_URL ?? DEFAULT_RPC[this.options.network];
    if (!url) {
      throw new HuzhuError(`No RPC URL for network "${this.options.network}": pass --rpc <url> or set HUZHU_RPC_URL.`);
    }
    return url;
  }

  /** The provider; when `expectedChainId` is given, refuses a node of another chain. */
  async provider(expectedChainId?: number): Promise<JsonRpcProvider> {
    if (this._provider) return this._provider;
    const url = this.rpcUrl();
    const chainId = await probeChainId(url);
    if (expectedChainId !== undefined && chainId !== expectedChainId) {
      throw new HuzhuError(
        `The node at ${originOf(url)} is chain ${chainId}, but ${this.deploymentFile} is for chain ${expectedChainId}.`,
      );
    }
    // A static network: ethers would otherwise retry a lost node forever instead of failing.
    // Read through `fetch`: ethers' own Node transport is quadratic in a response's size (audits).
    this._provider = new JsonRpcProvider(ethersFetchRequest(url), Network.from(chainId), {
      staticNetwork: true,
      pollingInterval: 500,
      cacheTimeout: -1,
    });
    return this._provider;
  }

  /** The signer from `--key` or `HUZHU_PRIVATE_KEY`. */
  async wallet(expectedChainId?: number): Promise<Wallet> {
    if (this._wallet) return this._wallet;
    const source = this.options.key !== undefined ? "--key" : "HUZHU_PRIVATE_KEY";
    const key = this.options.key ?? process.env.HUZHU_PRIVATE_KEY;
    if (!key) throw new HuzhuError("This command sends a transaction: pass --key <hex> or set HUZHU_PRIVATE_KEY.");
    const hex = /^0x/i.test(key) ? `0x${key.slice(2)}` : `0x${key}`;
    if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) {
      throw new InvalidParameterError(source, "must be a private key of 32 bytes of hex (64 hex digits, 0x optional)");
    }
    let wallet: Wallet;
    try {
      wallet = new Wallet(hex);
    } catch {
      throw new InvalidParameterError(source, "is not a valid secp256k1 private key");
    }
    this._wallet = wallet.connect(await this.provider(expectedChainId));
    return this._wallet;
  }

  /** The pool the command acts on: `--pool` (an address or a recorded name), else the file's first pool. */
  pool(): { address: Address; recorded?: DeployedPool } {
    const option = this.options.pool;
    if (option !== undefined && option.startsWith("0x")) {
      const address = checkAddress(option, "--pool");
      // An address needs no deployments file; when there is one, its record gives the scan start block.
      let recorded: DeployedPool | undefined;
      try {
        recorded = findPool(this.deployment(), address);
      } catch (error) {
        if (!(error instanceof UnknownNetworkError)) throw error;
      }
      return { address, recorded };
    }
    const recorded = findPool(this.deployment(), option)!;
    return { address: recorded.address, recorded };
  }

  private chainIdOfFile(): number | undefined {
    try {
      return this.deployment().chainId;
    } catch (error) {
      // A pool given by address works without a deployments file.
      if (error instanceof UnknownNetworkError && this.options.pool?.startsWith("0x")) return undefined;
      throw error;
    }
  }

  /** An SDK client configuration for reads on the pool. */
  async reader(): Promise<HuzhuClientConfig> {
    const { address } = this.pool();
    return { connector: fromEthers(await this.provider(this.chainIdOfFile())), pool: address };
  }

  /** An SDK client configuration that sends transactions from the key. */
  async writer(): Promise<HuzhuClientConfig> {
    const { address } = this.pool();
    return { connector: fromEthers(await this.wallet(this.chainIdOfFile())), pool: address };
  }

  /** The pool's token (symbol and decimals), to read and show amounts. */
  async token(client: HuzhuClientConfig): Promise<{ address: Address; symbol: string; decimals: number }> {
    const { asset } = await read(client, client.pool!, poolAbi, "rules", []);
    const [symbol, decimals] = await Promise.all([
      read(client, asset, erc20PermitAbi, "symbol", []),
      read(client, asset, erc20PermitAbi, "decimals", []),
    ]);
    return { address: asset, symbol, decimals };
  }

  close(): void {
    this._provider?.destroy();
  }
}
