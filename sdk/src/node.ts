/**
 * @huzhu/sdk/node: the parts of the SDK that need Node.js (they read and write files): the
 * deployments file `deployments/<network>.json`, pool rules files, and `deployHuzhu` (the libraries
 * and the factory, from the compiled contracts), and the keeper service (`createKeeper`, `runKeeper`:
 * node http, prom-client, pino). The main entry stays
 * browser-safe; import these from here.
 */
export {
  addPool,
  deploymentPath,
  findPool,
  loadDeployment,
  parseDeployment,
  serializeDeployment,
  tryLoadDeployment,
  writeDeployment,
  type CompilerSettings,
  type DeployedLibraries,
  type DeployedPool,
  type Deployment,
} from "./node/deployments";
export { parseRulesFile, readRulesFile, type RulesFile } from "./node/rulesFile";
export { fullRoles, rulesToJson } from "./node/fields";
export { deployHuzhu, type DeployHuzhuOptions, type DeployHuzhuResult } from "./node/deploy";
export { compilerSettingsOf } from "./node/build";
export * from "./keeper";
export { installMulticall3, type Eip1193Requester, type JsonRpcSender } from "./node/multicall3";
