#!/usr/bin/env node
/**
 * `huzhu`: run and audit Huzhu pools from a terminal, over the SDK.
 *
 * Reads `deployments/<network>.json` (written by `huzhu deploy` and `huzhu pool create`); the RPC
 * URL and the key come from flags or the environment (`HUZHU_RPC_URL`, `HUZHU_PRIVATE_KEY`), and the
 * key is never printed. Errors are one line on stderr (`error: ...`) with exit code 1.
 */
import { Command } from "commander";
import { registerAudit } from "./commands/audit";
import { registerClaim } from "./commands/claim";
import { registerDeploy } from "./commands/deploy";
import { registerJury } from "./commands/jury";
import { registerKeeper } from "./commands/keeper";
import { registerMember } from "./commands/member";
import { registerPool } from "./commands/pool";
import { registerVote } from "./commands/vote";

/** The `huzhu` program with every command. */
export function buildProgram(): Command {
  const program = new Command("huzhu")
    .description(
      "Run Huzhu mutual-aid pools: deploy, create pools, join, claim, draw juries, vote, appeal, settle, flag and lapse, statements.",
    )
    .option("--network <name>", "the network: reads <deployments>/<name>.json", "localhost")
    .option("--deployments <dir>", "the directory of deployments files", "deployments")
    .option("--rpc <url>", "JSON-RPC URL (env HUZHU_RPC_URL; default for localhost: http://127.0.0.1:8545)")
    .option("--key <hex>", "private key to send transactions from (prefer env HUZHU_PRIVATE_KEY); never printed")
    .option("--pool <address|name>", "the pool (default: the first pool of the deployments file)")
    .option("--json", "machine-readable output (amounts in base units, as decimal strings)")
    .option("--verbose", "error details")
    .showSuggestionAfterError();
  registerDeploy(program);
  registerPool(program);
  registerMember(program);
  registerClaim(program);
  registerJury(program);
  registerVote(program);
  registerKeeper(program);
  registerAudit(program);
  return program;
}

/** Runs the CLI on `argv` (as `process.argv`); resolves when the command is done. */
export async function main(argv: string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync(argv);
}

if (typeof require !== "undefined" && require.main === module) {
  void main();
}
