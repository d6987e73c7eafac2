/**
 * `npm run app`: a local chain (hardhat node on HUZHU_APP_CHAIN_PORT, default 8700), the SDK's
 * deployment, a seeded living pool, and the built app served on HUZHU_APP_PORT (default 8701) with
 * the chain's test accounts offered as a built-in wallet. Ctrl-C stops both.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { preview } from "vite";
import * as scenario from "../../test/audit/scenario";
import { seed } from "./seed";

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Serves the built app (app/dist) with `huzhu.json` (where the chain and the pool are) beside it. */
export async function serveApp(port: number, config: object) {
  const json = JSON.stringify(config, null, 2);
  const server = await preview({
    root: appDir,
    logLevel: "warn",
    preview: { port, strictPort: true, host: "127.0.0.1", open: false },
    plugins: [
      {
        name: "huzhu-config",
        configurePreviewServer(s) {
          s.middlewares.use("/huzhu.json", (_req, res) => {
            res.setHeader("content-type", "application/json");
            res.end(json);
          });
        },
      },
    ],
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      // Keep-alive connections would hold the server open.
      (server.httpServer as { closeAllConnections?: () => void }).closeAllConnections?.();
      await server.close();
    },
  };
}

export function configOf(rpcUrl: string, s: Awaited<ReturnType<typeof seed>>, testAccounts = true) {
  return {
    chainId: s.chainId,
    chainName: "Local Hardhat",
    rpcUrl,
    pool: s.pool,
    factory: s.factory,
    fromBlock: s.fromBlock.toString(),
    ...(testAccounts ? { testAccounts: s.accounts } : {}),
  };
}

async function main() {
  const chainPort = Number(process.env.HUZHU_APP_CHAIN_PORT ?? 8700);
  const appPort = Number(process.env.HUZHU_APP_PORT ?? 8701);
  const founders = Number(process.env.HUZHU_APP_FOUNDERS ?? 60);
  console.log(`starting a local chain on port ${chainPort}…`);
  const node = await scenario.startNode(chainPort);
  try {
    const s = await seed(node.url, founders, (line) => console.log(line));
    const app = await serveApp(appPort, configOf(node.url, s));
    console.log(
      `\nHuzhu app: ${app.url}\n(chain ${node.url}; test accounts offered as "Local test accounts"; Ctrl-C stops)`,
    );
    const stop = async () => {
      await app.close();
      await node.stop();
      process.exit(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  } catch (error) {
    await node.stop();
    throw error;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: Error) => {
    console.error(error.message.split("\n")[0]);
    process.exit(1);
  });
}
