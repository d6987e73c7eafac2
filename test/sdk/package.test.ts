import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Wallet, ZeroAddress } from "ethers";
import { deployHuzhu } from "../../sdk/src/node";
import { HuzhuPool__factory, MockERC20__factory, PoolFactory__factory } from "../../typechain-types";
import { defaultRules, USDC } from "../helpers/fixtures";
import { ROOT, hardhatKey, startHardhatNode, type HardhatNode } from "../helpers/hardhatNode";

const exec = promisify(execFile);
const SDK = path.join(ROOT, "sdk");
const PORT = 8633;
const TSC = path.join(ROOT, "node_modules/.bin/tsc");
const HAS_CLI = existsSync(path.join(SDK, "src/cli/index.ts"));

interface PackedFile {
  path: string;
  size: number;
}
interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: PackedFile[];
}

async function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  try {
    return await exec(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${e.stdout ?? ""}\n${e.stderr ?? e.message}`);
  }
}

const versionOf = (name: string): string =>
  JSON.parse(readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version;

/** The last line of a script's output, parsed. */
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1)!);

/** Every path a package.json field names (exports, typesVersions, main, module, types, bin). */
function pathsNamedBy(pkg: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === "string") out.push(path.posix.normalize(value));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  for (const field of ["exports", "typesVersions", "main", "module", "types", "bin"]) walk(pkg[field]);
  return [...new Set(out)].sort();
}

const ESM_SCRIPT = `
import { createHuzhuClient, fromViem, identityCommitment, parseAmount, MemberDepositTooLowError } from "@huzhu/sdk";
import "@huzhu/sdk/node";
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";

const { HUZHU_RPC_URL, HUZHU_POOL, HUZHU_PRIVATE_KEY } = process.env;
const account = privateKeyToAccount(HUZHU_PRIVATE_KEY);
const transport = http(HUZHU_RPC_URL);
const huzhu = createHuzhuClient({
  connector: fromViem({
    publicClient: createPublicClient({ transport, pollingInterval: 100 }),
    walletClient: createWalletClient({ account, transport }),
  }),
  pool: HUZHU_POOL,
});
const commitment = identityCommitment("esm-member", "0x" + "11".repeat(32));
let rejected;
try {
  await huzhu.join({ amount: 1n, commitment });
} catch (error) {
  rejected = { typed: error instanceof MemberDepositTooLowError, amount: error.amount, minDeposit: error.minDeposit };
}
await huzhu.join({ amount: parseAmount("1000", 6), commitment });
const statement = await huzhu.getMemberStatement({ member: account.address });
const { memberCount } = await huzhu.getPool();
console.log(JSON.stringify({ statement, memberCount, rejected }, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
`;

const CJS_SCRIPT = `
const { createHuzhuClient, fromEthers, identityCommitment, parseAmount } = require("@huzhu/sdk");
const { HuzhuPool__factory } = require("@huzhu/sdk/typechain");
const { JsonRpcProvider, Wallet } = require("ethers");

async function main() {
  const { HUZHU_RPC_URL, HUZHU_POOL, HUZHU_PRIVATE_KEY } = process.env;
  const provider = new JsonRpcProvider(HUZHU_RPC_URL, undefined, { pollingInterval: 100 });
  const signer = new Wallet(HUZHU_PRIVATE_KEY, provider);
  const huzhu = createHuzhuClient({ connector: fromEthers(signer), pool: HUZHU_POOL });
  await huzhu.join({ amount: parseAmount("1000", 6), commitment: identityCommitment("cjs-member", "0x" + "22".repeat(32)) });
  const statement = await huzhu.getMemberStatement({ member: signer.address });
  const memberCount = await HuzhuPool__factory.connect(HUZHU_POOL, provider).memberCount();
  console.log(JSON.stringify({ statement, memberCount }, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
  provider.destroy();
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

/**
 * Imports the package as an integrator's TypeScript would; the expect-error lines prove the types are
 * real. viem's own declarations are ES modules only, so a CommonJS file under node16 cannot import
 * viem itself (TS1479): that flavour uses the SDK with ethers alone.
 */
function typesCheck(withViem: boolean): string {
  return `
import {
  createHuzhuClient,
  fromEthers,
  ${withViem ? "fromViem," : ""}
  parseAmount,
  MemberDepositTooLowError,
  type HuzhuClient,
  type MemberStatement,
} from "@huzhu/sdk";
import { HuzhuPool__factory, type HuzhuPool, type IPoolConfig } from "@huzhu/sdk/typechain";
import "@huzhu/sdk/node";
import { JsonRpcProvider } from "ethers";
${withViem ? 'import { createPublicClient, http } from "viem";' : ""}

export const amount: bigint = parseAmount("1.5", 6);
export const viaEthers: HuzhuClient = createHuzhuClient({ connector: fromEthers(new JsonRpcProvider()) });
${withViem ? "export const viaViem: HuzhuClient = createHuzhuClient({ connector: fromViem({ publicClient: createPublicClient({ transport: http() }) }) });" : ""}
export const statement = (client: HuzhuClient): Promise<MemberStatement> =>
  client.getMemberStatement({ member: "0x0000000000000000000000000000000000000001" });
export const pool: HuzhuPool = HuzhuPool__factory.connect("0x0000000000000000000000000000000000000001");
export const minDeposit = (rules: IPoolConfig.RulesStruct) => rules.minDeposit;
export const shortBy = (e: unknown): bigint | undefined =>
  e instanceof MemberDepositTooLowError ? e.minDeposit - e.amount : undefined;
// @ts-expect-error amounts are read from decimal strings
parseAmount(1.5, 6);
// @ts-expect-error a statement's balance is a bigint
export const wrong: string = ({} as MemberStatement).balance;
`;
}

/** The JSON ABIs the package ships for clients in any language, with the enum names. */
const JSON_ABIS = ["HuzhuPool", "PoolFactory", "ERC20Permit", "enums"];

// A plain client: only the shipped JSON ABI and enum names, through require and require.resolve.
const ABI_CJS_SCRIPT = `
const { readFileSync } = require("node:fs");
const { Contract, JsonRpcProvider } = require("ethers");
const poolAbi = require("@huzhu/sdk/abi/HuzhuPool.json");
const enums = require("@huzhu/sdk/abi/enums.json");
const resolved = require.resolve("@huzhu/sdk/abi/PoolFactory.json");
const factoryAbi = JSON.parse(readFileSync(resolved, "utf8"));

async function main() {
  const { HUZHU_RPC_URL, HUZHU_POOL, HUZHU_MEMBER } = process.env;
  const provider = new JsonRpcProvider(HUZHU_RPC_URL, undefined, { pollingInterval: 100 });
  const pool = new Contract(HUZHU_POOL, poolAbi, provider);
  const status = Number(await pool.statusOf(HUZHU_MEMBER));
  console.log(JSON.stringify({
    resolved,
    factoryFunctions: factoryAbi.filter((i) => i.type === "function").map((i) => i.name).sort(),
    memberCount: (await pool.memberCount()).toString(),
    status: enums.MemberStatus[status],
  }));
  provider.destroy();
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

// The same from an ES module: a JSON import needs the import attribute.
const ABI_ESM_SCRIPT = `
import poolAbi from "@huzhu/sdk/abi/HuzhuPool.json" with { type: "json" };
import permitAbi from "@huzhu/sdk/abi/ERC20Permit.json" with { type: "json" };
import enums from "@huzhu/sdk/abi/enums.json" with { type: "json" };
import { MemberStatusNames, ClaimStateNames, VerdictNames, JurorVoteNames, poolAbi as constAbi } from "@huzhu/sdk";
console.log(JSON.stringify({
  sameAsSdk: JSON.stringify(poolAbi) === JSON.stringify(constAbi),
  permit: permitAbi.some((i) => i.name === "permit"),
  enums,
  sdkEnums: { MemberStatus: MemberStatusNames, ClaimState: ClaimStateNames, Verdict: VerdictNames, JurorVote: JurorVoteNames },
  resolved: import.meta.resolve("@huzhu/sdk/abi/HuzhuPool.json"),
}));
`;

const TS_OPTIONS = { strict: true, noEmit: true, target: "es2022", lib: ["es2022", "dom"], skipLibCheck: true };
const TS_CONFIGS: Record<string, { compilerOptions: object; files: string[] }> = {
  // Vite, Next.js, esbuild and other bundlers.
  bundler: { compilerOptions: { ...TS_OPTIONS, module: "esnext", moduleResolution: "bundler" }, files: ["check.ts"] },
  // Node.js: the .mts file resolves through "import" (index.d.mts), the .cts file through "require" (index.d.ts).
  // Checking the declarations themselves (skipLibCheck off) catches a CommonJS .d.ts importing ESM-only types.
  node16: {
    compilerOptions: { ...TS_OPTIONS, module: "node16", moduleResolution: "node16", skipLibCheck: false },
    files: ["check.mts", "check.cts"],
  },
  // A Hardhat 2 project's tsconfig: subpaths resolve through typesVersions.
  node10: { compilerOptions: { ...TS_OPTIONS, module: "commonjs", moduleResolution: "node" }, files: ["check.ts"] },
};

describe("@huzhu/sdk packed and installed into a fresh project @json-rpc", function () {
  this.timeout(900_000);

  let tmp: string;
  let project: string;
  let packed: Packed;
  let node: HardhatNode;
  let pool: string;

  before(async function () {
    await sh("npm", ["run", "build"], SDK);
    tmp = mkdtempSync(path.join(os.tmpdir(), "huzhu-sdk-"));
    const { stdout } = await sh("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", tmp], SDK);
    [packed] = JSON.parse(stdout) as Packed[];

    project = path.join(tmp, "project");
    mkdirSync(project);
    writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "consumer", version: "0.0.0", private: true }),
    );
    const install = [
      "install",
      "--no-audit",
      "--no-fund",
      path.join(tmp, packed.filename),
      `ethers@${versionOf("ethers")}`,
      `viem@${versionOf("viem")}`,
    ];
    // The npm cache holds the root's dependencies; a fresh resolution may want a newer patch of one.
    await sh("npm", [...install, "--offline"], project).catch(() =>
      sh("npm", [...install, "--prefer-offline"], project),
    );
    writeFileSync(path.join(project, "join-viem.mjs"), ESM_SCRIPT);
    writeFileSync(path.join(project, "join-ethers.cjs"), CJS_SCRIPT);
    writeFileSync(path.join(project, "abi-plain.cjs"), ABI_CJS_SCRIPT);
    writeFileSync(path.join(project, "abi-plain.mjs"), ABI_ESM_SCRIPT);

    node = await startHardhatNode(PORT);
    const deployer = node.wallet(0);
    const token = await new MockERC20__factory(deployer).deploy("Test USD", "TUSD", 6);
    const { deployment } = await deployHuzhu(deployer);
    const factory = PoolFactory__factory.connect(deployment.factory.address, deployer);
    const rules = defaultRules(await token.getAddress(), {
      minDeposit: USDC(600),
      minBalance: USDC(600),
      capPerMember: USDC(100),
    });
    const roles = {
      operator: node.wallet(1).address,
      verifier: ZeroAddress,
      assessor: ZeroAddress,
      guardian: ZeroAddress,
    };
    const receipt = await (await factory.createPool(rules, roles)).wait();
    const created = receipt!.logs.map((log) => factory.interface.parseLog(log)).find((e) => e?.name === "PoolCreated");
    pool = created!.args.pool;
    for (const index of [2, 3]) await (await token.mint(node.wallet(index).address, USDC(2000))).wait();
  });

  after(async function () {
    await node?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const env = (account: number) => ({
    HUZHU_RPC_URL: node.url,
    HUZHU_POOL: pool,
    HUZHU_PRIVATE_KEY: hardhatKey(account),
  });

  it("packs the build, the README and package.json, and every path package.json names", async function () {
    const files = packed.files.map((f) => f.path).sort();
    const builds = ["index", "node", "typechain"].flatMap((e) =>
      ["js", "mjs", "d.ts", "d.mts"].map((x) => `dist/${e}.${x}`),
    );
    const abis = JSON_ABIS.map((name) => `abi/${name}.json`);
    const required = ["README.md", "package.json", ...builds, ...abis, ...(HAS_CLI ? ["dist/cli.js"] : [])];
    // Code and declarations shared by several entries go to hashed chunks (one copy of each error class).
    // Chunks are named after a module they hold, e.g. dist/Juries__factory-3P22COHF.js (TypeChain's names have "__").
    const chunk = /^dist\/[A-Za-z_]+-[A-Za-z0-9_-]{8}\.(js|mjs|d\.ts|d\.mts)$/;
    expect(required.filter((f) => !files.includes(f))).to.deep.equal([]);
    expect(files.filter((f) => !required.includes(f) && !chunk.test(f))).to.deep.equal([]);
    const pkg = JSON.parse(readFileSync(path.join(SDK, "package.json"), "utf8"));
    const named = pathsNamedBy(pkg).filter((p) => p !== "dist/cli.js" || HAS_CLI);
    // A subpath pattern ("./abi/*.json") must match at least one packed file.
    const matches = (p: string) =>
      p.includes("*")
        ? files.some((f) => new RegExp(`^${p.replace(/[.]/g, "\\.").replace("*", "[^/]+")}$`).test(f))
        : files.includes(p);
    expect(named.filter((p) => !matches(p))).to.deep.equal([]);
    // 524 KB with issue 15 (a third linked library's bytecode in the TypeChain factories, the recovery
    // ABI in every ABI copy, seven actions and the CLI's commands), 598 KB with the keeper service and
    // the multicall reader (dist/cli.js bundles its own copy of the SDK: 574 KB unpacked), 645 KB with
    // the pool lens's bytecode (about 24 KB of code as hex, in the ESM, CJS and CLI builds). A ceiling
    // against packing artifacts or sources by mistake, not a size target.
    expect(packed.size).to.be.below(704 * 1024);
  });

  it("installs with ethers and viem as the project's own peers, and commander and cli-progress as dependencies", async function () {
    const installed = path.join(project, "node_modules");
    const sdkPkg = JSON.parse(readFileSync(path.join(installed, "@huzhu/sdk/package.json"), "utf8"));
    expect(sdkPkg.version).to.equal("0.1.0");
    expect(sdkPkg.sideEffects).to.equal(false);
    expect(existsSync(path.join(installed, "@huzhu/sdk/node_modules"))).to.equal(false);
    for (const name of ["commander", "cli-progress", "ethers", "viem"]) {
      expect(existsSync(path.join(installed, name, "package.json")), name).to.equal(true);
    }
    if (HAS_CLI) {
      const { stdout } = await sh(path.join(installed, ".bin/huzhu"), ["--help"], project);
      expect(stdout).to.match(/^Usage: huzhu/m);
    }
  });

  it("joins the pool from an ESM script (import) through a viem wallet client over HTTP", async function () {
    const { stdout } = await sh("node", ["join-viem.mjs"], project, env(2));
    const out = lastJson(stdout);
    expect(out.rejected).to.deep.equal({ typed: true, amount: "1", minDeposit: "600000000" });
    expect(out.statement.member).to.equal(new Wallet(hardhatKey(2)).address);
    expect(out.statement.statusName).to.equal("Waiting");
    expect(out.statement.credit).to.equal("1000000000");
    expect(out.statement.balance).to.equal("1000000000");
    expect(out.statement.charged).to.equal("0");
    expect(out.memberCount).to.equal("1");
  });

  it("joins the pool from a CJS script (require) through an ethers signer, reading through the TypeChain bindings", async function () {
    const { stdout } = await sh("node", ["join-ethers.cjs"], project, env(3));
    const out = lastJson(stdout);
    expect(out.statement.member).to.equal(new Wallet(hardhatKey(3)).address);
    expect(out.statement.statusName).to.equal("Waiting");
    expect(out.statement.credit).to.equal("1000000000");
    expect(out.statement.balance).to.equal("1000000000");
    expect(out.memberCount).to.equal("2");
    expect(await HuzhuPool__factory.connect(pool, node.provider()).memberCount()).to.equal(2n);
  });

  it("ships the JSON ABIs at @huzhu/sdk/abi/<Contract>.json: a plain ethers client reads the pool through require and require.resolve", async function () {
    const { stdout } = await sh("node", ["abi-plain.cjs"], project, {
      ...env(2),
      HUZHU_MEMBER: new Wallet(hardhatKey(2)).address,
    });
    const out = lastJson(stdout);
    expect(out.resolved).to.equal(path.join(project, "node_modules/@huzhu/sdk/abi/PoolFactory.json"));
    expect(out.factoryFunctions).to.include.members(["createPool", "implementation", "isPool"]);
    expect(out.memberCount).to.equal("2");
    expect(out.status).to.equal("Waiting");
  });

  it("ships the same JSON ABIs and enum names to an ES module (import with { type: 'json' })", async function () {
    const { stdout } = await sh("node", ["abi-plain.mjs"], project);
    const out = lastJson(stdout);
    expect(out.sameAsSdk).to.equal(true);
    expect(out.permit).to.equal(true);
    expect(out.enums).to.deep.equal(out.sdkEnums);
    // Every enum of the contracts, generated from the compiled AST: v2 added Lapsing, Verdict and JurorVote.
    expect(Object.keys(out.enums).sort()).to.deep.equal(["ClaimState", "JurorVote", "MemberStatus", "Verdict"]);
    expect(out.enums.MemberStatus).to.deep.equal([
      "None",
      "Waiting",
      "Active",
      "Exiting",
      "Lapsing",
      "Lapsed",
      "Exited",
    ]);
    expect(out.enums.Verdict).to.deep.equal(["None", "Approve", "Reject"]);
    expect(out.enums.JurorVote).to.deep.equal(["None", "Seated", "Committed", "Approved", "Rejected"]);
    expect(out.resolved).to.equal(`file://${path.join(project, "node_modules/@huzhu/sdk/abi/HuzhuPool.json")}`);
  });

  it("gives TypeScript the package's types through import and require, under bundler, node16 and node10 resolution", async function () {
    writeFileSync(path.join(project, "check.ts"), typesCheck(true));
    writeFileSync(path.join(project, "check.mts"), typesCheck(true));
    writeFileSync(path.join(project, "check.cts"), typesCheck(false));
    for (const [name, config] of Object.entries(TS_CONFIGS)) {
      writeFileSync(path.join(project, `tsconfig.${name}.json`), JSON.stringify(config, null, 2));
      const { stdout } = await sh(TSC, ["-p", `tsconfig.${name}.json`], project);
      expect(stdout, name).to.equal("");
    }
  });
});
