import { createKeeper, type Keeper, type KeeperOptions } from "./keeper";
import { serveKeeper, type KeeperServer } from "./server";

export interface RunKeeperOptions extends KeeperOptions {
  /** Port of the `/metrics` and `/health` server (0: any free port; undefined: no server). */
  port?: number;
  /** Host to listen on (default 127.0.0.1). */
  host?: string;
  /** Stop on these signals after the current step (default SIGTERM and SIGINT). */
  signals?: NodeJS.Signals[];
}

export interface RunningKeeper {
  keeper: Keeper;
  server?: KeeperServer;
  /** Resolves once the keeper has stopped and the server is closed. */
  done: Promise<void>;
  /** Stops after the current step (as SIGTERM does). */
  stop(): Promise<void>;
}

/**
 * The keeper service: starts a keeper, its HTTP server, and stops both on SIGTERM (or SIGINT) once
 * the current step is finished: a transaction already sent is waited for, nothing new is started. A
 * second signal exits at once (code 1).
 * @example
 * const provider = new JsonRpcProvider(rpcUrl);
 * const { done } = await runKeeper({ wallet: new Wallet(key, provider), pools, port: 9464 });
 * await done; // after SIGTERM
 */
export async function runKeeper(options: RunKeeperOptions): Promise<RunningKeeper> {
  const keeper = createKeeper(options);
  const server =
    options.port === undefined ? undefined : await serveKeeper(keeper, { port: options.port, host: options.host });
  if (server) keeper.logger.info({ url: server.url }, "serving /metrics and /health");
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal does not wait: the operator wants out now (a sent transaction may still be mined).
    if (signalled) {
      keeper.logger.warn({ signal }, "second signal: exiting without finishing the step");
      process.exit(1);
    }
    signalled = true;
    keeper.logger.info({ signal }, "stopping after the current step");
    keeper.stop();
  };
  for (const signal of signals) process.on(signal, onSignal);
  const done = keeper.start().finally(async () => {
    for (const signal of signals) process.off(signal, onSignal);
    await server?.close();
  });
  return {
    keeper,
    server,
    done,
    async stop() {
      keeper.stop();
      await done;
    },
  };
}
