import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { CompilerSettings } from "./deployments";

interface BuildInfo {
  solcVersion: string;
  input: { settings: { optimizer?: { enabled?: boolean; runs?: number }; viaIR?: boolean; evmVersion?: string } };
  output: { contracts: Record<string, Record<string, { evm: { bytecode: { object: string } } }>> };
}

/** Where a Hardhat project's artifacts may be: the working directory's project, then this repository's. */
function artifactRoots(): string[] {
  const roots = [process.cwd()];
  if (typeof __dirname === "string") roots.push(resolve(__dirname, "../../.."));
  return roots;
}

/**
 * The compiler settings `bytecode` was built with, from Hardhat's build info of `PoolFactory`, when the
 * build info at hand produced exactly this bytecode; undefined otherwise (never a guess).
 */
export function compilerSettingsOf(bytecode: string): CompilerSettings | undefined {
  for (const root of artifactRoots()) {
    const debugFile = join(root, "artifacts/contracts/PoolFactory.sol/PoolFactory.dbg.json");
    if (!existsSync(debugFile)) continue;
    try {
      const { buildInfo } = JSON.parse(readFileSync(debugFile, "utf8")) as { buildInfo: string };
      const info = JSON.parse(readFileSync(resolve(dirname(debugFile), buildInfo), "utf8")) as BuildInfo;
      const built = info.output.contracts["contracts/PoolFactory.sol"]?.PoolFactory?.evm.bytecode.object;
      if (`0x${built}`.toLowerCase() !== bytecode.toLowerCase()) continue;
      const settings = info.input.settings;
      return {
        version: info.solcVersion,
        optimizer: { enabled: settings.optimizer?.enabled === true, runs: settings.optimizer?.runs ?? 200 },
        viaIR: settings.viaIR === true,
        evmVersion: settings.evmVersion ?? "default",
      };
    } catch {
      // Unreadable or partial artifacts: try the next place.
    }
  }
  return undefined;
}
