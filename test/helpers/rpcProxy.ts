import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RpcProxy {
  url: string;
  /** JSON-RPC requests forwarded, by method (batches counted per request inside them). */
  readonly counts: Map<string, number>;
  /** Requests refused by `refuseEvery`. */
  readonly refused: number;
  /** Transactions the clients tried to send (`eth_sendRawTransaction` + `eth_sendTransaction`), refused or not. */
  sent(): number;
  /** Refuse one HTTP request in `n` with a 503 before it reaches the node (0: refuse none). */
  refuseEvery(n: number): void;
  reset(): void;
  stop(): Promise<void>;
}

const SEND_METHODS = ["eth_sendRawTransaction", "eth_sendTransaction"];

/**
 * An HTTP JSON-RPC proxy in front of a node: counts what the clients ask for and, on demand,
 * refuses a share of the requests with `503 Service Unavailable` (what a rate-limited or
 * overloaded provider answers). A refused request never reaches the node.
 */
export async function startRpcProxy(target: string): Promise<RpcProxy> {
  const counts = new Map<string, number>();
  let refuseN = 0;
  let seen = 0;
  let refused = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      seen++;
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      for (const r of Array.isArray(parsed) ? parsed : [parsed]) {
        const method = (r as { method?: string } | undefined)?.method;
        if (method) counts.set(method, (counts.get(method) ?? 0) + 1);
      }
      if (refuseN > 0 && seen % refuseN === 0) {
        refused++;
        res.writeHead(503, { "content-type": "text/plain" }).end("Service Unavailable");
        return;
      }
      fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body })
        .then(async (answer) => {
          res.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
        })
        .catch(() => res.writeHead(502).end("Bad Gateway"));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    get refused() {
      return refused;
    },
    sent: () => SEND_METHODS.reduce((sum, m) => sum + (counts.get(m) ?? 0), 0),
    refuseEvery(n) {
      refuseN = n;
    },
    reset() {
      counts.clear();
      seen = 0;
      refused = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
