import http from "node:http";
import type { Socket } from "node:net";

export interface FaultProxy {
  url: string;
  /** JSON-RPC requests seen, by method (each request of a batch counted). */
  readonly counts: Map<string, number>;
  /** HTTP requests failed with a 503 before reaching the node. */
  readonly failed: number;
  /** HTTP requests forwarded to the node whose answer was dropped (the connection reset). */
  readonly dropped: number;
  /** Every `n`th HTTP request is faulty (0: none), alternately failed (503) and dropped after reaching the node. */
  faultEvery(n: number): void;
  /** Stops listening (connections refused) for `ms`, then listens again on the same port. */
  goAway(ms: number): Promise<void>;
  reset(): void;
  stop(): Promise<void>;
}

/**
 * A JSON-RPC proxy on a fixed port in front of a node, for fault injection: one HTTP request in `n`
 * fails with `503 Service Unavailable` (never reaching the node) or reaches the node and loses its
 * answer (the socket is destroyed: a sent transaction is mined but the client does not know); and
 * the whole endpoint can go away for a while (connections refused).
 */
export async function startFaultProxy(target: string, port: number): Promise<FaultProxy> {
  const counts = new Map<string, number>();
  let every = 0;
  let seen = 0;
  let failed = 0;
  let dropped = 0;
  const sockets = new Set<Socket>();
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
      const faulty = every > 0 && seen % every === 0;
      if (faulty && (seen / every) % 2 === 1) {
        failed++;
        res.writeHead(503, { "content-type": "text/plain" }).end("Service Unavailable");
        return;
      }
      fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body })
        .then(async (answer) => {
          const text = await answer.text();
          if (faulty) {
            dropped++;
            req.socket.destroy();
            return;
          }
          res.writeHead(answer.status, { "content-type": "application/json" }).end(text);
        })
        .catch(() => res.writeHead(502).end("Bad Gateway"));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const listen = () => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    get failed() {
      return failed;
    },
    get dropped() {
      return dropped;
    },
    faultEvery(n) {
      every = n;
      seen = 0;
    },
    async goAway(ms) {
      await close();
      await new Promise((resolve) => setTimeout(resolve, ms));
      await listen();
    },
    reset() {
      counts.clear();
      seen = 0;
      failed = 0;
      dropped = 0;
    },
    stop: close,
  };
}
