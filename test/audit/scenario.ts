/**
 * Builds audit scenarios over raw JSON-RPC, the same way on Hardhat's in-process network and on a
 * `hardhat node` over HTTP: impersonated accounts (no JavaScript signing), joins sent in bulk with
 * automine off and mined in full blocks, then a life of the pool with automine on.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import {
  AbiCoder,
  Interface,
  JsonRpcProvider,
  getAddress,
  keccak256,
  toBeHex,
  toUtf8Bytes,
  type InterfaceAbi,
} from "ethers";
import type { Artifacts } from "hardhat/types";

export const DAY = 86_400n;
export const usdc = (whole: number | string): bigint => {
  const [int, frac = ""] = String(whole).split(".");
  return BigInt(int) * 1_000_000n + BigInt(frac.padEnd(6, "0") || "0");
};

/** Anything that answers JSON-RPC: `network.provider` in process, a `JsonRpcProvider` over HTTP. */
export interface Rpc {
  send(method: string, params: unknown[]): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The address of the `i`-th test member: a plain number, impersonated by the node. */
export const memberAddress = (i: number): string => getAddress(toBeHex(0x10000 + i, 20));

const GWEI = 1_000_000_000n;

/** A JSON-RPC quantity: hex without leading zeros. */
export const quantity = (n: bigint) => `0x${n.toString(16)}`;

export class Chain {
  constructor(readonly rpc: Rpc) {}

  send(method: string, params: unknown[] = []) {
    return this.rpc.send(method, params);
  }

  /** Sends a transaction from an unlocked or impersonated account; with automine on, it is mined (and throws on revert). */
  tx(from: string, to: string | undefined, data: string, gas?: bigint): Promise<string> {
    const fees = { maxFeePerGas: quantity(GWEI), maxPriorityFeePerGas: quantity(GWEI) };
    return this.send("eth_sendTransaction", [
      { from, to, data, ...(gas === undefined ? {} : { gas: quantity(gas) }), ...fees },
    ]);
  }

  async call(to: string, data: string): Promise<string> {
    return this.send("eth_call", [{ to, data }, "latest"]);
  }

  async receipt(hash: string) {
    return this.send("eth_getTransactionReceipt", [hash]);
  }

  async blockNumber(): Promise<bigint> {
    return BigInt(await this.send("eth_blockNumber"));
  }

  async timestamp(): Promise<bigint> {
    return BigInt((await this.send("eth_getBlockByNumber", ["latest", false])).timestamp);
  }

  async increaseTo(t: bigint) {
    const now = await this.timestamp();
    if (t > now) await this.send("evm_increaseTime", [quantity(t - now)]);
    await this.send("evm_mine");
  }

  async increase(seconds: bigint) {
    await this.send("evm_increaseTime", [quantity(seconds)]);
    await this.send("evm_mine");
  }

  /** Mines until the pending block is empty: one `evm_mine` takes only what fits the block gas limit. */
  async mineAll() {
    for (;;) {
      await this.send("hardhat_setNextBlockBaseFeePerGas", ["0x0"]);
      await this.send("evm_mine");
      const pending = await this.send("eth_getBlockByNumber", ["pending", false]);
      if (pending.transactions.length === 0) return;
    }
  }

  /** Impersonates and funds accounts with ether for gas, in parallel (an HTTP provider batches these). */
  async impersonate(addresses: string[]) {
    await inChunks(addresses, (a) => this.send("hardhat_impersonateAccount", [a]));
    await inChunks(addresses, (a) => this.send("hardhat_setBalance", [a, "0x56BC75E2D63100000"]));
  }
}

/** Runs `fn` over `items`, 1,000 at a time in parallel. */
export async function inChunks<T, R>(items: T[], fn: (item: T) => Promise<R>, size = 1_000): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

/** The demo's rules, for a 6-decimal stablecoin. */
export function demoRules(asset: string) {
  return {
    asset,
    waitingPeriod: 90n * DAY,
    periodLength: 14n * DAY,
    commitWindow: 3n * DAY,
    revealWindow: 2n * DAY,
    minDeposit: usdc(20),
    minBalance: usdc(10),
    maxClaimsPerPeriod: 4n,
    feeBps: 800n,
    maxClaimAmount: usdc(300_000),
    capPerMember: usdc(2),
    quorum: 5n,
    approvalThresholdBps: 6_000n,
    claimBond: usdc(5),
    annualChargeCap: 0n,
  };
}

export interface Deployment {
  token: string;
  factory: string;
  pool: string;
  deployer: string;
  operator: string;
  keeper: string;
  /** The block of the factory's deployment: the audit reads from it. */
  firstBlock: bigint;
  tokenI: Interface;
  poolI: Interface;
}

/** A small typed view over the deployment: encodes with the artifacts' ABIs, sends and reads. */
export class PoolDriver {
  readonly coder = AbiCoder.defaultAbiCoder();
  private nextSettle = 0n;

  constructor(
    readonly chain: Chain,
    readonly d: Deployment,
  ) {}

  pool(from: string, fn: string, args: unknown[] = [], gas?: bigint) {
    return this.chain.tx(from, this.d.pool, this.d.poolI.encodeFunctionData(fn, args), gas);
  }

  token(from: string, fn: string, args: unknown[] = [], gas?: bigint) {
    return this.chain.tx(from, this.d.token, this.d.tokenI.encodeFunctionData(fn, args), gas);
  }

  async view(fn: string, args: unknown[] = []) {
    const out = this.d.poolI.decodeFunctionResult(
      fn,
      await this.chain.call(this.d.pool, this.d.poolI.encodeFunctionData(fn, args)),
    );
    return out.length === 1 ? out[0] : out;
  }

  async tokenBalance(account: string): Promise<bigint> {
    const data = this.d.tokenI.encodeFunctionData("balanceOf", [account]);
    return this.d.tokenI.decodeFunctionResult("balanceOf", await this.chain.call(this.d.token, data))[0];
  }

  /**
   * Joins members `indices` with `deposit` each, minting them `deposit + spare`: every transaction
   * sent with automine off, then mined in full blocks. Returns each join's transaction hash.
   */
  async joinMany(indices: number[], deposit: bigint, spare: bigint): Promise<string[]> {
    const addresses = indices.map(memberAddress);
    await this.chain.impersonate(addresses);
    await this.chain.send("evm_setAutomine", [false]);
    try {
      await inChunks(addresses, (a) => this.token(this.d.deployer, "mint", [a, deposit + spare], 100_000n));
      await this.chain.mineAll();
      await inChunks(addresses, (a) => this.token(a, "approve", [this.d.pool, 2n ** 256n - 1n], 60_000n));
      const hashes = await inChunks(indices, (i) =>
        this.pool(memberAddress(i), "join", [deposit, identity(i), { deadline: 0n, signature: "0x" }], 250_000n),
      );
      await this.chain.mineAll();
      return hashes;
    } finally {
      await this.chain.send("evm_setAutomine", [true]);
    }
  }

  /** Submits a claim and returns its id. */
  async claim(member: string, amount: bigint, label: string): Promise<bigint> {
    await this.pool(member, "submitClaim", [amount, keccak256(toUtf8Bytes(label)), "ipfs://evidence"]);
    return this.view("claimCount");
  }

  salt(claimId: bigint, voter: string) {
    return keccak256(toUtf8Bytes(`salt-${claimId}-${voter}`));
  }

  async commit(claimId: bigint, voters: string[], supports: boolean[]) {
    for (let i = 0; i < supports.length; i++) {
      const commitment = keccak256(
        this.coder.encode(
          ["uint256", "address", "bool", "bytes32"],
          [claimId, voters[i], supports[i], this.salt(claimId, voters[i])],
        ),
      );
      await this.pool(voters[i], "commitVote", [claimId, commitment]);
    }
  }

  async reveal(claimId: bigint, voters: string[], supports: boolean[]) {
    for (let i = 0; i < supports.length; i++)
      await this.pool(voters[i], "revealVote", [claimId, supports[i], this.salt(claimId, voters[i])]);
  }

  /** Settles every period that has ended. */
  async settleDue(): Promise<bigint[]> {
    const settled: bigint[] = [];
    this.nextSettle = await this.view("nextPeriodToSettle");
    while ((await this.view("periodEnd", [this.nextSettle])) <= (await this.chain.timestamp())) {
      await this.pool(this.d.keeper, "settle", [this.nextSettle]);
      settled.push(this.nextSettle++);
    }
    return settled;
  }

  async periodEnd(period: bigint): Promise<bigint> {
    return this.view("periodEnd", [period]);
  }
}

export const identity = (i: number) => keccak256(toUtf8Bytes(`identity-${i}`));

/** Deploys a token, the factory and one pool with the demo's rules; returns addresses and ABIs. */
export async function deploy(
  chain: Chain,
  artifacts: Artifacts,
  ruleOverrides: Record<string, unknown> = {},
): Promise<Deployment> {
  const [deployer, operator, keeper] = (await chain.send("eth_accounts")) as string[];
  const [tokenA, factoryA, poolA] = await Promise.all(
    ["MockERC20", "PoolFactory", "HuzhuPool"].map((n) => artifacts.readArtifact(n)),
  );
  const deployContract = async (artifact: { abi: InterfaceAbi; bytecode: string }, args: unknown[]) => {
    const data = artifact.bytecode + new Interface(artifact.abi).encodeDeploy(args).slice(2);
    const receipt = await chain.receipt(await chain.tx(deployer, undefined, data));
    return { address: getAddress(receipt.contractAddress), block: BigInt(receipt.blockNumber) };
  };
  const token = await deployContract(tokenA, ["Audit USD", "AUSD", 6]);
  const factory = await deployContract(factoryA, []);
  const factoryI = new Interface(factoryA.abi);
  const rules = { ...demoRules(token.address), ...ruleOverrides };
  const roles = { operator, verifier: ZERO, assessor: ZERO, guardian: ZERO };
  await chain.tx(deployer, factory.address, factoryI.encodeFunctionData("createPool", [rules, roles]));
  const poolAddress = factoryI.decodeFunctionResult(
    "poolAt",
    await chain.call(factory.address, factoryI.encodeFunctionData("poolAt", [0n])),
  )[0] as string;
  return {
    token: token.address,
    factory: factory.address,
    pool: getAddress(poolAddress),
    deployer: getAddress(deployer),
    operator: getAddress(operator),
    keeper: getAddress(keeper),
    firstBlock: factory.block,
    tokenI: new Interface(tokenA.abi),
    poolI: new Interface(poolA.abi),
  };
}

const ZERO = "0x0000000000000000000000000000000000000000";

/** Who does what in {@link runLife}: founders' indices. */
export const roles = {
  voters: [1, 2, 3, 4, 5],
  /** Withdraw 20 each in the second active period. */
  withdrawers: [26, 27, 28, 29, 30],
  /** Top up 10 each in the second active period. */
  toppers: [31, 32, 33, 34, 35],
  /** Withdraws to the minimum balance at once, lapsed after the first share (no shortfall). */
  lapser: 36,
  /** Withdraws to the minimum balance at once, lapsed only after four shares: a shortfall, then a deficit. */
  negligent: 37,
  /** Exits after the first active period and withdraws everything. */
  exiter: 38,
  /** Exits after the third active period. */
  exiter2: 39,
  /** Asks to exit in the last period: still exiting at the end. */
  exiting: 40,
  /** The claimants of active period k: 10 + 4k ... 13 + 4k. */
  claimant: (k: number, c: number) => 10 + 4 * k + c,
};

export interface Life {
  d: Deployment;
  driver: PoolDriver;
  founders: number;
  late: number[];
  joinTx: Map<number, string>;
  /** Claims by active period: [approved 300, approved 300 (4 of 5), rejected 150, no quorum 100]. */
  claims: bigint[][];
  /** The first period with claims (the waiting period's empty periods come before it). */
  firstActive: bigint;
  settled: bigint[];
}

/**
 * An honest pool's life: `founders` (>= 45) join with 60 each; after the 90-day wait, four active
 * periods each with two approved claims of 300, one rejected of 150 and one without quorum of 100;
 * ten late joiners in the second; top-ups and withdrawals; a member lapsed with a balance left,
 * another lapsed only when in debt (a shortfall, carried as a deficit into a fifth, claimless
 * period); two completed exits and one pending; payouts pulled by some claimants; the operator's
 * fees withdrawn once.
 */
export async function runLife(chain: Chain, artifacts: Artifacts, founders: number, lateCount = 10): Promise<Life> {
  const d = await deploy(chain, artifacts);
  const p = new PoolDriver(chain, d);
  const m = memberAddress;
  const founderIdx = Array.from({ length: founders }, (_, i) => i);
  const hashes = await p.joinMany(founderIdx, usdc(60), usdc(100));
  const joinTx = new Map<number, string>(founderIdx.map((i) => [i, hashes[i]]));
  await p.pool(m(roles.lapser), "withdraw", [usdc(50)]);
  await p.pool(m(roles.negligent), "withdraw", [usdc(50)]);

  await chain.increase(91n * DAY);
  const settled = await p.settleDue();
  const firstActive = await p.view("nextPeriodToSettle");
  const claims: bigint[][] = [];
  const late = Array.from({ length: lateCount }, (_, i) => founders + i);
  const voters = roles.voters.map(m);
  const plan: Array<[bigint, boolean[]]> = [
    [usdc(300), [true, true, true, true, true]],
    [usdc(300), [true, true, false, true, true]],
    [usdc(150), [true, false, false, false, false]],
    [usdc(100), [true, true]],
  ];
  for (let k = 0; k < 4; k++) {
    const period = firstActive + BigInt(k);
    if (k === 1 && late.length > 0) {
      const lateHashes = await p.joinMany(late, usdc(60), usdc(100));
      late.forEach((i, j) => joinTx.set(i, lateHashes[j]));
    }
    const ids: bigint[] = [];
    for (let c = 0; c < plan.length; c++)
      ids.push(await p.claim(m(roles.claimant(k, c)), plan[c][0], `evidence-${k}-${c}`));
    claims.push(ids);
    if (k === 0) await p.pool(m(roles.exiter), "requestExit");
    if (k === 2) await p.pool(m(roles.exiter2), "requestExit");
    if (k === 3) await p.pool(m(roles.exiting), "requestExit");
    for (let c = 0; c < plan.length; c++) await p.commit(ids[c], voters, plan[c][1]);
    await chain.increase(3n * DAY);
    for (let c = 0; c < plan.length; c++) await p.reveal(ids[c], voters, plan[c][1]);
    await chain.increase(2n * DAY);
    await p.pool(d.keeper, "resolve", [ids[ids.length - 1]]);
    if (k === 1) {
      for (const i of roles.toppers) await p.pool(m(i), "topUp", [usdc(10)]);
      for (const i of roles.withdrawers) await p.pool(m(i), "withdraw", [usdc(20)]);
    }
    await chain.increaseTo(await p.periodEnd(period));
    settled.push(...(await p.settleDue()));
    if (k === 0) {
      await p.pool(d.keeper, "lapse", [m(roles.lapser)]);
      await p.pool(d.keeper, "completeExit", [m(roles.exiter)]);
      await p.pool(m(roles.exiter), "withdraw", [await p.view("balanceOf", [m(roles.exiter)])]);
      for (let c = 0; c < 4; c++) if (c !== 2) await p.pool(m(roles.claimant(0, c)), "withdrawPayout");
    }
    if (k === 1) await p.pool(d.operator, "withdrawFees");
    if (k === 2) await p.pool(d.keeper, "completeExit", [m(roles.exiter2)]);
  }
  // In debt after four shares: the lapse writes the shortfall off, carried as a deficit that the
  // next (claimless) period's share recovers.
  await p.pool(d.keeper, "lapse", [m(roles.negligent)]);
  await chain.increaseTo(await p.periodEnd(firstActive + 4n));
  settled.push(...(await p.settleDue()));
  return { d, driver: p, founders, late, joinTx, claims, firstActive, settled };
}

/** A `hardhat node` of this worktree on `port`, with its request log turned off. */
export async function startNode(port: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const url = `http://127.0.0.1:${port}`;
  const answers = () =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "hardhat_setLoggingEnabled", params: [false] }),
    }).then(
      (res) => res.ok,
      () => false,
    );
  // Another node already there would answer in its place.
  if (await answers()) throw new Error(`port ${port} is taken: stop what listens there first`);
  const root = path.resolve(__dirname, "..", "..");
  const child: ChildProcess = spawn(
    process.execPath,
    [require.resolve("hardhat/internal/cli/cli.js"), "node", "--port", String(port)],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, "SIGTERM");
    await exited;
  };
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited: ${output}`);
    if (await answers()) break;
    if (Date.now() - started > 120_000) {
      await stop();
      throw new Error(`hardhat node did not start on ${url}: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, stop };
}

/** A JSON-RPC provider over HTTP for building scenarios (it batches parallel requests). */
export function httpRpc(url: string): JsonRpcProvider {
  return new JsonRpcProvider(url, undefined, { staticNetwork: true, batchMaxCount: 200, cacheTimeout: -1 });
}
