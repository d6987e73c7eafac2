import { existsSync, readFileSync } from "node:fs";
import { defineConfig, type Options } from "tsup";

/**
 * The package build: ESM (`.mjs`) and CJS (`.js`) with types for each (`.d.mts`, `.d.ts`), one file
 * per entry, matching the `exports` map in package.json. Client libraries stay external (peer
 * dependencies), as do `commander` and `cli-progress` (dependencies). The TypeChain bindings come
 * from `../typechain-types` and the ABIs and error classes from `src/**\/generated.ts`: all three are
 * written by `npx hardhat compile`, which `npm run sdk:build` at the root runs first.
 */
const library: Options = {
  entry: {
    index: "src/index.ts",
    node: "src/node.ts",
    typechain: "src/typechain.ts",
  },
  format: ["esm", "cjs"],
  outExtension: ({ format }) => ({ js: format === "esm" ? ".mjs" : ".js" }),
  dts: true,
  target: "es2022",
  platform: "neutral",
  splitting: true,
  treeshake: true,
  sourcemap: false,
  // `npm run build` empties dist/ first: the library and CLI builds run side by side.
  clean: false,
  external: ["ethers", "viem", /^viem\//, "commander", "cli-progress", "pino", "prom-client"],
};

/** The `huzhu` command (the package's `bin`), built when its source is present. */
const CLI_ENTRY = process.env.HUZHU_CLI_ENTRY ?? "src/cli/index.ts";
const hasCli = existsSync(CLI_ENTRY);
/** esbuild keeps an entry's own `#!` line; add one only when the source has none (two would not parse). */
const hasHashbang = hasCli && readFileSync(CLI_ENTRY, "utf8").startsWith("#!");
const cli: Options = {
  entry: { cli: CLI_ENTRY },
  format: ["cjs"],
  outExtension: () => ({ js: ".js" }),
  dts: false,
  target: "node20",
  platform: "node",
  banner: hasHashbang ? undefined : { js: "#!/usr/bin/env node" },
  sourcemap: false,
  clean: false,
  external: ["ethers", "viem", /^viem\//, "commander", "cli-progress", "pino", "prom-client"],
};

export default defineConfig(hasCli ? [library, cli] : [library]);
