import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Keeper } from "./keeper";

export interface KeeperServer {
  /** The URL the server listens on, e.g. `http://127.0.0.1:9464`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a keeper's `/metrics` (Prometheus text format) and `/health` (JSON; status 200 when ready,
 * 503 otherwise) over HTTP.
 */
export async function serveKeeper(keeper: Keeper, options: { port: number; host?: string }): Promise<KeeperServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") {
      res.writeHead(405, { allow: "GET" }).end();
      return;
    }
    if (path === "/metrics") {
      keeper.metrics.registry
        .metrics()
        .then((text) => res.writeHead(200, { "content-type": keeper.metrics.registry.contentType }).end(text))
        .catch((error: Error) => res.writeHead(500, { "content-type": "text/plain" }).end(error.message));
      return;
    }
    if (path === "/health") {
      keeper
        .health()
        .then((health) =>
          res.writeHead(health.ready ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(health)),
        )
        .catch((error: Error) => res.writeHead(500, { "content-type": "text/plain" }).end(error.message));
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found: try /metrics or /health\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(":") ? `[${address}]` : address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
