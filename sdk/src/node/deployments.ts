/**
 * The deployments file, `deployments/<network>.json`: what was deployed on a network (chain id, the
 * factory and its pool implementation, the compiler that built them) and every pool created there,
 * with its deployment block and rules. The CLI writes it; the SDK, the CLI and the auditor read it.
 *
 * @example
 * {
 *   "network": "localhost",
 *   "chainId": 31337,
 *   "factory": { "address": "0x5FbD...", "block": 1 },
 *   "implementation": "0xa16E...",
 *   "libraries": { "Juries": "0xe7f1...", "Apportionment": "0x9fE4...", "Recovery": "0x5FbD..." },
 *   "refusesOpenPools": false,
 *   "compiler": { "version": "0.8.28", "optimizer": { "enabled": true, "runs": 1000 }, "viaIR": true, "evmVersion": "cancun" },
 *   "pools": [{ "name": "default", "address": "0x9f1a...", "block": 3, "rules": { "minDeposit": "20000000", ... }, "roles": { ... } }]
 * }
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Address, Roles, Rules } from "../core/types";
import { HuzhuError, InvalidParameterError, UnknownNetworkError } from "../errors/base";
import {
  fail,
  field,
  fullRoles,
  onlyKeys,
  readAddress,
  readBoolean,
  readInteger,
  readObject,
  readRoles,
  readRules,
  readString,
  rulesToJson,
  type FieldContext,
} from "./fields";

/** The compiler settings the contracts were built with, so that anyone can rebuild and verify them. */
export interface CompilerSettings {
  version: string;
  optimizer: { enabled: boolean; runs: number };
  viaIR: boolean;
  evmVersion: string;
}

/** A pool recorded in a deployments file. */
export interface DeployedPool {
  /** A short name to pick the pool by (`--pool default`); unique in the file. */
  name: string;
  address: Address;
  /** The block the pool was created in: where event scans start. */
  block: bigint;
  rules: Rules;
  /**
   * The pool's role holders at creation (operator, verifier, assessor, guardian; the zero address
   * for a role the pool does not use). `scripts/deploy.ts` and `huzhu pool create` always write them;
   * files written before they did may lack them (read the pool's `roles()` view then).
   */
  roles?: Roles;
}

/** What one network's deployments file records. */
export interface Deployment {
  network: string;
  chainId: number;
  factory: { address: Address; block: bigint };
  /** The pool implementation every pool of the factory is a clone of. */
  implementation: Address;
  /** The libraries the pool implementation is linked to (absent in files written before v2). */
  libraries?: DeployedLibraries;
  /** Whether the factory refuses pools without an identity verifier (absent before v2). */
  refusesOpenPools?: boolean;
  /** Absent when the deployer did not know the build (e.g. no build artifacts at hand). */
  compiler?: CompilerSettings;
  pools: DeployedPool[];
}

/** The linked libraries of the pool implementation, by contract name. */
export interface DeployedLibraries {
  Juries: Address;
  Apportionment: Address;
  /** Absent in deployments made before beneficiaries and recovery (issue 15). */
  Recovery?: Address;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_BLOCK = 2n ** 53n - 1n;

/** The path of a network's deployments file. */
export function deploymentPath(network: string, dir = "deployments"): string {
  return join(dir, `${network}.json`);
}

function checkNetworkName(network: string): void {
  if (typeof network !== "string" || !NAME.test(network)) {
    throw new InvalidParameterError("network", `"${String(network)}" is not a network name (letters, digits, . _ -)`);
  }
}

function readCompiler(value: unknown, at: FieldContext): CompilerSettings {
  const object = readObject(value, at);
  onlyKeys(object, ["version", "optimizer", "viaIR", "evmVersion"], at);
  const optimizerAt = field(at, "optimizer");
  const optimizer = readObject(object.optimizer, optimizerAt);
  onlyKeys(optimizer, ["enabled", "runs"], optimizerAt);
  return {
    version: readString(object.version, field(at, "version")),
    optimizer: {
      enabled: readBoolean(optimizer.enabled, field(optimizerAt, "enabled")),
      runs: Number(readInteger(optimizer.runs, field(optimizerAt, "runs"), 2n ** 32n - 1n)),
    },
    viaIR: readBoolean(object.viaIR, field(at, "viaIR")),
    evmVersion: readString(object.evmVersion, field(at, "evmVersion")),
  };
}

function readPool(value: unknown, at: FieldContext): DeployedPool {
  const object = readObject(value, at);
  onlyKeys(object, ["name", "address", "block", "rules", "roles"], at);
  const name = readString(object.name, field(at, "name"));
  if (!NAME.test(name)) fail(field(at, "name"), `"${name}" is not a pool name (letters, digits, . _ -)`);
  const { rules } = readRules(object.rules, field(at, "rules"));
  let roles: Roles | undefined;
  if (object.roles !== undefined) {
    const partial = readRoles(object.roles, field(at, "roles"));
    if (!partial.operator) fail(field(field(at, "roles"), "operator"), "the field is missing");
    roles = fullRoles({ ...partial, operator: partial.operator });
  }
  return {
    name,
    address: readAddress(object.address, field(at, "address")),
    block: readInteger(object.block, field(at, "block"), MAX_BLOCK),
    rules,
    ...(roles ? { roles } : {}),
  };
}

/**
 * Reads a deployments file's JSON text. Throws {@link InvalidParameterError} naming the field for
 * anything malformed, and when the file is for another network than `network`.
 */
export function parseDeployment(text: string, network: string, file = deploymentPath(network)): Deployment {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidParameterError(file, `is not valid JSON (${(error as Error).message})`);
  }
  const at: FieldContext = { file, path: "" };
  const object = readObject(json, at);
  onlyKeys(
    object,
    ["network", "chainId", "factory", "implementation", "libraries", "refusesOpenPools", "compiler", "pools"],
    at,
  );
  const recorded = readString(object.network, field(at, "network"));
  if (recorded !== network) fail(field(at, "network"), `is "${recorded}" but the file is read for "${network}"`);
  const chainId = readInteger(object.chainId, field(at, "chainId"), MAX_BLOCK);
  if (chainId === 0n) fail(field(at, "chainId"), "must be a chain id (not 0)");
  const factoryAt = field(at, "factory");
  const factory = readObject(object.factory, factoryAt);
  onlyKeys(factory, ["address", "block"], factoryAt);
  let libraries: DeployedLibraries | undefined;
  if (object.libraries !== undefined) {
    const librariesAt = field(at, "libraries");
    const recordedLibraries = readObject(object.libraries, librariesAt);
    onlyKeys(recordedLibraries, ["Juries", "Apportionment", "Recovery"], librariesAt);
    libraries = {
      Juries: readAddress(recordedLibraries.Juries, field(librariesAt, "Juries")),
      Apportionment: readAddress(recordedLibraries.Apportionment, field(librariesAt, "Apportionment")),
      ...(recordedLibraries.Recovery === undefined
        ? {}
        : { Recovery: readAddress(recordedLibraries.Recovery, field(librariesAt, "Recovery")) }),
    };
  }
  const poolsAt = field(at, "pools");
  if (!Array.isArray(object.pools)) fail(poolsAt, "must be a JSON array (empty when no pool was created)");
  const pools = (object.pools as unknown[]).map((pool, i) => readPool(pool, field(poolsAt, i)));
  const names = new Set<string>();
  pools.forEach((pool, i) => {
    if (names.has(pool.name)) fail(field(field(poolsAt, i), "name"), `"${pool.name}" names two pools`);
    names.add(pool.name);
  });
  return {
    network: recorded,
    chainId: Number(chainId),
    factory: {
      address: readAddress(factory.address, field(factoryAt, "address")),
      block: readInteger(factory.block, field(factoryAt, "block"), MAX_BLOCK),
    },
    implementation: readAddress(object.implementation, field(at, "implementation")),
    ...(libraries ? { libraries } : {}),
    ...(object.refusesOpenPools !== undefined
      ? { refusesOpenPools: readBoolean(object.refusesOpenPools, field(at, "refusesOpenPools")) }
      : {}),
    ...(object.compiler !== undefined ? { compiler: readCompiler(object.compiler, field(at, "compiler")) } : {}),
    pools,
  };
}

/**
 * Loads `<dir>/<network>.json`.
 * Throws {@link UnknownNetworkError} when there is no such file, and {@link InvalidParameterError}
 * naming the field when it is malformed.
 * @example
 * const deployment = loadDeployment("localhost");
 * const huzhu = createHuzhuClient({ connector, factory: deployment.factory.address, pool: deployment.pools[0]?.address });
 */
export function loadDeployment(network: string, dir = "deployments"): Deployment {
  checkNetworkName(network);
  const file = deploymentPath(network, dir);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new UnknownNetworkError(network, `no file ${file}`);
    throw new HuzhuError(`Cannot read ${file}: ${code ?? (error as Error).message}.`, { cause: error });
  }
  return parseDeployment(text, network, file);
}

/** Loads a network's deployment, or undefined when it has no deployments file yet. */
export function tryLoadDeployment(network: string, dir = "deployments"): Deployment | undefined {
  try {
    return loadDeployment(network, dir);
  } catch (error) {
    if (error instanceof UnknownNetworkError) return undefined;
    throw error;
  }
}

/** A deployment as the JSON text of its file (amounts as decimal strings of base units). */
export function serializeDeployment(deployment: Deployment): string {
  const json = {
    network: deployment.network,
    chainId: deployment.chainId,
    factory: { address: deployment.factory.address, block: Number(deployment.factory.block) },
    implementation: deployment.implementation,
    ...(deployment.libraries ? { libraries: deployment.libraries } : {}),
    ...(deployment.refusesOpenPools !== undefined ? { refusesOpenPools: deployment.refusesOpenPools } : {}),
    ...(deployment.compiler ? { compiler: deployment.compiler } : {}),
    pools: deployment.pools.map((pool) => ({
      name: pool.name,
      address: pool.address,
      block: Number(pool.block),
      rules: rulesToJson(pool.rules),
      ...(pool.roles ? { roles: pool.roles } : {}),
    })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/**
 * Writes `<dir>/<network>.json` (creating the directory), replacing the file in one step so that a
 * reader never sees half of it. Returns the file's path.
 */
export function writeDeployment(deployment: Deployment, dir = "deployments"): string {
  checkNetworkName(deployment.network);
  const text = serializeDeployment(deployment);
  // Validate what we write with the reader, so that a written file always loads.
  parseDeployment(text, deployment.network);
  const file = deploymentPath(deployment.network, dir);
  mkdirSync(dir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
  return file;
}

/** The deployment with one more pool; refuses a name already taken. */
export function addPool(deployment: Deployment, pool: DeployedPool): Deployment {
  if (!NAME.test(pool.name)) {
    throw new InvalidParameterError("pool name", `"${pool.name}" is not a pool name (letters, digits, . _ -)`);
  }
  if (deployment.pools.some((p) => p.name === pool.name)) {
    throw new InvalidParameterError(
      "pool name",
      `a pool named "${pool.name}" is already recorded for ${deployment.network}: choose another name`,
    );
  }
  return { ...deployment, pools: [...deployment.pools, pool] };
}

/**
 * Picks a recorded pool by address or name; with neither, the first pool of the file.
 * Throws {@link InvalidParameterError} when the name is unknown or the file has no pool.
 */
export function findPool(deployment: Deployment, addressOrName?: string): DeployedPool | undefined {
  if (addressOrName === undefined) {
    if (deployment.pools.length === 0) {
      throw new InvalidParameterError(
        "pool",
        `the deployments file of ${deployment.network} records no pool: create one with \`huzhu pool create\``,
      );
    }
    return deployment.pools[0];
  }
  if (addressOrName.startsWith("0x")) {
    return deployment.pools.find((p) => p.address.toLowerCase() === addressOrName.toLowerCase());
  }
  const pool = deployment.pools.find((p) => p.name === addressOrName);
  if (!pool) {
    const known = deployment.pools.map((p) => p.name).join(", ") || "none";
    throw new InvalidParameterError(
      "pool",
      `no pool named "${addressOrName}" for ${deployment.network} (known: ${known})`,
    );
  }
  return pool;
}
