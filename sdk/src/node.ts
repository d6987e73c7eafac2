/**
 * @huzhu/sdk/node: the parts of the SDK that need Node.js (they read and write files): the
 * deployments file `deployments/<network>.json` and pool rules files. The main entry stays
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
  type DeployedPool,
  type Deployment,
} from "./node/deployments";
export { parseRulesFile, readRulesFile, type RulesFile } from "./node/rulesFile";
export { fullRoles, rulesToJson } from "./node/fields";
