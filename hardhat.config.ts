import { subtask, task } from "hardhat/config";
import { TASK_COMPILE, TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-toolbox";

const SOLC_VERSION = "0.8.28";

// Hardhat downloads solc from the internet; our machines cannot reach it. When the
// requested version is the one installed from npm (`solc` package, pinned in
// package.json), compile with that copy. On a machine with internet this changes
// nothing but where the same compiler comes from.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc");
  if (args.solcVersion === SOLC_VERSION && solc.version().startsWith(SOLC_VERSION)) {
    return {
      compilerPath: require.resolve("solc/soljson.js"),
      isSolcJs: true,
      version: args.solcVersion,
      longVersion: solc.version(),
    };
  }
  return runSuper();
});

// After every compile, regenerate the SDK's `as const` ABIs and typed error classes.
task(TASK_COMPILE, async (args, hre, runSuper) => {
  const result = await runSuper(args);
  const { writeSdkSources } = await import("./scripts/sdk-codegen");
  await writeSdkSources(hre);
  return result;
});

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
      viaIR: true,
    },
  },
  networks: {
    hardhat: {
      // Instrumented for coverage, the pool no longer fits the 24 KiB limit (nor its init code
      // EIP-3860's): lift the limits for coverage runs only, so that every other run enforces them.
      allowUnlimitedContractSize: process.argv.includes("coverage"),
      // Osaka (Hardhat's default) caps a transaction at 2^24 gas (EIP-7825); instrumented coverage
      // deployments need more. Our contracts target Cancun.
      hardfork: "cancun",
    },
    localhost: { url: process.env.HUZHU_RPC_URL ?? "http://127.0.0.1:8545" },
    // Any EVM network: its RPC URL and the deployer's key come from the environment, never from a file.
    remote: {
      url: process.env.HUZHU_RPC_URL ?? "http://127.0.0.1:8545",
      accounts: process.env.HUZHU_PRIVATE_KEY ? [process.env.HUZHU_PRIVATE_KEY] : [],
    },
  },
  gasReporter: {
    enabled: process.env.REPORT_GAS === "true",
    outputFile: process.env.GAS_REPORT_FILE,
    noColors: process.env.GAS_REPORT_FILE !== undefined,
  },
  // `npx hardhat verify --network remote <address>` publishes the sources (needs the explorer's API key).
  etherscan: { apiKey: process.env.ETHERSCAN_API_KEY ?? "" },
  typechain: {
    outDir: "typechain-types",
    target: "ethers-v6",
  },
  mocha: {
    timeout: 120_000,
  },
};

export default config;
