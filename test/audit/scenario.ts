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
  private readonly nonces = new Map<string, Promise<bigint>>();

  /**
   * `assignNonces`: number each sender's transactions here, in the order they are sent. Hardhat's
   * node numbers parallel sends itself; Anvil gives parallel sends from one account the same nonce.
   */
  constructor(
    readonly rpc: Rpc,
    readonly options: { assignNonces?: boolean } = {},
  ) {}

  send(method: string, params: unknown[] = []) {
    return this.rpc.send(method, params);
  }

  /** Sends a transaction from an unlocked or impersonated account; with automine on, it is mined (and throws on revert). */
  async tx(from: string, to: string | undefined, data: string, gas?: bigint): Promise<string> {
    const fees = { maxFeePerGas: quantity(GWEI), maxPriorityFeePerGas: quantity(GWEI) };
    const nonce = this.options.assignNonces ? { nonce: quantity(await this.nextNonce(from)) } : {};
    return this.send("eth_sendTransaction", [
      { from, to, data, ...(gas === undefined ? {} : { gas: quantity(gas) }), ...fees, ...nonce },
    ]);
  }

  private nextNonce(from: string): Promise<bigint> {
    const key = from.toLowerCase();
    const last =
      this.nonces.get(key) ?? this.send("eth_getTransactionCount", [from, "pending"]).then((n) => BigInt(n) - 1n);
    const next = last.then((n) => n + 1n);
    this.nonces.set(key, next);
    return next;
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

/** The demo's rules (v2), for a 6-decimal stablecoin: rounds of 3 + 2 + 2 days, two rounds. */
export function demoRules(asset: string) {
  return {
    asset,
    randomness: ZERO,
    waitingPeriod: 30n * DAY,
    periodLength: 14n * DAY,
    commitWindow: 3n * DAY,
    revealWindow: 2n * DAY,
    appealWindow: 2n * DAY,
    lapseGrace: 14n * DAY,
    minDeposit: usdc(20),
    minBalance: usdc(10),
    maxClaimsPerPeriod: 200n,
    feeBps: 800n,
    jurySize: 3n,
    maxAppealRounds: 1n,
    quorumBps: 5_001n,
    approvalThresholdBps: 6_000n,
    maxClaimAmount: usdc(300_000),
    capPerMember: usdc("0.04"),
    claimBond: usdc(1),
    appealBond: usdc(1),
    jurorPenalty: usdc("0.1"),
    annualChargeCap: 0n,
    maxPayoutPerMember: 0n,
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
   * Sends every transaction with automine off, mines them in full blocks, and checks that each
   * succeeded. Returns the transaction hashes.
   */
  async bulk(sends: Array<() => Promise<string>>): Promise<string[]> {
    await this.chain.send("evm_setAutomine", [false]);
    let hashes: string[];
    try {
      hashes = await inChunks(sends, (send) => send());
      await this.chain.mineAll();
    } finally {
      await this.chain.send("evm_setAutomine", [true]);
    }
    const receipts = await inChunks(hashes, (h) => this.chain.receipt(h));
    const failed = receipts.filter((r) => r.status !== "0x1");
    if (failed.length > 0) throw new Error(`${failed.length} of ${hashes.length} bulk transactions reverted`);
    return hashes;
  }

  /**
   * Joins members `indices` with `deposit` each, minting them `deposit + spare`: every transaction
   * sent with automine off, then mined in full blocks. Returns each join's transaction hash.
   */
  async joinMany(indices: number[], deposit: bigint, spare: bigint): Promise<string[]> {
    const addresses = indices.map(memberAddress);
    await this.chain.impersonate(addresses);
    await this.bulk(addresses.map((a) => () => this.token(this.d.deployer, "mint", [a, deposit + spare], 100_000n)));
    await this.bulk(addresses.map((a) => () => this.token(a, "approve", [this.d.pool, 2n ** 256n - 1n], 60_000n)));
    return this.bulk(
      indices.map(
        (i) => () =>
          this.pool(memberAddress(i), "join", [deposit, identity(i), { deadline: 0n, signature: "0x" }], 300_000n),
      ),
    );
  }

  /** Submits claims in bulk (one per claimant) and returns their ids, in order. */
  async claims(list: Array<{ member: number; amount: bigint; label: string }>): Promise<bigint[]> {
    const before: bigint = await this.view("claimCount");
    // Sent one after another and mined together: the ids follow the list's order.
    await this.chain.send("evm_setAutomine", [false]);
    const hashes: string[] = [];
    try {
      for (const c of list)
        hashes.push(
          await this.pool(
            memberAddress(c.member),
            "submitClaim",
            [c.amount, keccak256(toUtf8Bytes(c.label)), "ipfs://evidence"],
            400_000n,
          ),
        );
      await this.chain.mineAll();
    } finally {
      await this.chain.send("evm_setAutomine", [true]);
    }
    for (const h of hashes) if ((await this.chain.receipt(h)).status !== "0x1") throw new Error("a claim reverted");
    return list.map((_, i) => before + BigInt(i + 1));
  }

  /** Draws the current round of every claim (after mining the seed block); returns each jury. */
  async draw(ids: bigint[]): Promise<string[][]> {
    await this.chain.send("evm_mine");
    await this.bulk(ids.map((id) => () => this.pool(this.d.keeper, "drawJury", [id], 1_500_000n)));
    return Promise.all(
      ids.map(async (id) => {
        const c = await this.view("claim", [id]);
        return [...(await this.view("jury", [id, c.round]))] as string[];
      }),
    );
  }

  salt(claimId: bigint, round: bigint, juror: string) {
    return keccak256(toUtf8Bytes(`salt-${claimId}-${round}-${juror}`));
  }

  /** Commits every listed vote of round `round`, in bulk. */
  async commit(votes: Array<{ id: bigint; round: bigint; juror: string; support: boolean }>) {
    await this.bulk(
      votes.map((v) => () => {
        const commitment = keccak256(
          this.coder.encode(
            ["uint256", "uint256", "address", "bool", "bytes32"],
            [v.id, v.round, v.juror, v.support, this.salt(v.id, v.round, v.juror)],
          ),
        );
        return this.pool(v.juror, "commitDecision", [v.id, commitment], 200_000n);
      }),
    );
  }

  async reveal(votes: Array<{ id: bigint; round: bigint; juror: string; support: boolean }>) {
    await this.bulk(
      votes.map(
        (v) => () =>
          this.pool(v.juror, "revealDecision", [v.id, v.support, this.salt(v.id, v.round, v.juror)], 200_000n),
      ),
    );
  }

  /** Settles every ended period, part by part. Returns `[period, part]` of each call. */
  async settleDue(): Promise<Array<[bigint, bigint]>> {
    const settled: Array<[bigint, bigint]> = [];
    for (;;) {
      const next: bigint = await this.view("nextPeriodToSettle");
      if ((await this.view("periodEnd", [next])) > (await this.chain.timestamp())) return settled;
      const part: bigint = await this.view("nextPart");
      await this.pool(this.d.keeper, "settle", [next], 29_000_000n);
      settled.push([next, part]);
    }
  }

  async periodEnd(period: bigint): Promise<bigint> {
    return this.view("periodEnd", [period]);
  }
}

export const identity = (i: number) => keccak256(toUtf8Bytes(`identity-${i}`));

/** Writes the deployed libraries' addresses into an artifact's bytecode, at its link references. */
function link(
  artifact: {
    bytecode: string;
    linkReferences: Record<string, Record<string, Array<{ start: number; length: number }>>>;
  },
  libraries: Record<string, string>,
): string {
  let code = artifact.bytecode.slice(2);
  for (const [, libs] of Object.entries(artifact.linkReferences))
    for (const [name, refs] of Object.entries(libs))
      for (const { start, length } of refs)
        code = code.slice(0, start * 2) + libraries[name].slice(2).toLowerCase() + code.slice((start + length) * 2);
  return `0x${code}`;
}

/** Deploys a token, the libraries, the factory (linked) and one pool with the demo's rules. */
export async function deploy(
  chain: Chain,
  artifacts: Artifacts,
  ruleOverrides: Record<string, unknown> = {},
): Promise<Deployment> {
  const [deployer, operator, keeper] = (await chain.send("eth_accounts")) as string[];
  const [tokenA, factoryA, poolA, juriesA, apportionmentA, recoveryA] = await Promise.all(
    ["MockERC20", "PoolFactory", "HuzhuPool", "Juries", "Apportionment", "Recovery"].map((n) =>
      artifacts.readArtifact(n),
    ),
  );
  const deployContract = async (artifact: { abi: InterfaceAbi; bytecode: string }, args: unknown[]) => {
    const data = artifact.bytecode + new Interface(artifact.abi).encodeDeploy(args).slice(2);
    const hash = await chain.tx(deployer, undefined, data);
    let receipt = await chain.receipt(hash);
    // Over HTTP a large deployment's receipt may not be there yet: mine and ask again.
    for (let tries = 0; !receipt && tries < 5; tries++) {
      await chain.send("evm_mine");
      receipt = await chain.receipt(hash);
    }
    if (!receipt) throw new Error(`deployment ${hash} was not mined`);
    return { address: getAddress(receipt.contractAddress), block: BigInt(receipt.blockNumber) };
  };
  const token = await deployContract(tokenA, ["Audit USD", "AUSD", 6]);
  const juries = await deployContract(juriesA, []);
  const apportionment = await deployContract(apportionmentA, []);
  const recovery = await deployContract(recoveryA, []);
  const linked = link(factoryA, {
    Juries: juries.address,
    Apportionment: apportionment.address,
    Recovery: recovery.address,
  });
  const factory = await deployContract({ abi: factoryA.abi, bytecode: linked }, [false]);
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
  /** Withdraws to the minimum balance: below it after the first share, flagged, lapsed, Lapsed. */
  lapser: 0,
  /** Exits at once, takes 5 out, and returns with the same commitment when the claims open. */
  returner: 1,
  /** Asks to exit right after the first claims: leaves once they are paid. */
  exiter: 2,
  /** Appeals claim A1's approval. */
  appellant: 5,
  /** The claimants of A1..A4. */
  a: [10, 11, 12, 13],
  /** The first claimant of the bulk claims (one each, consecutive). */
  bulkFrom: 19,
};

export interface Life {
  d: Deployment;
  driver: PoolDriver;
  founders: number;
  joinTx: Map<number, string>;
  /**
   * A1: approved, appealed by a member, overturned to rejected; A2: rejected (one juror silent),
   * appealed by the claimant, confirmed; A3: no quorum (three silent jurors), approved by a fresh
   * jury; A4: approved. All at fee 800.
   */
  a: bigint[];
  /** The bulk claims, approved at fee 500, paid over two settle calls with A3 and A4. */
  bulk: bigint[];
  /** The period paid in two parts. */
  multiPart: bigint;
  settled: Array<[bigint, bigint]>;
}

const vote = (id: bigint, round: bigint, juror: string, support: boolean) => ({ id, round, juror, support });

/**
 * An honest v2 pool's life: `founders` join with 20; the operator's fee change from 8% to 5% is
 * proposed at once; one member exits and later returns; after the 30-day wait, four claims decided
 * by drawn juries (appeals overturned and confirmed, silent jurors penalised, a fresh jury after no
 * quorum), the fee change, then `bulk` small claims approved by two of three jurors each; one
 * resolve for all; their period paid in two settle calls (180 claims at most per call); the lapser
 * flagged then lapsed (a forced exit); the exiter leaves; payouts and fees pulled; a last empty period.
 */
export async function runLife(chain: Chain, artifacts: Artifacts, founders = 200, bulkCount = 181): Promise<Life> {
  const d = await deploy(chain, artifacts);
  const p = new PoolDriver(chain, d);
  const m = memberAddress;
  const founderIdx = Array.from({ length: founders }, (_, i) => i);
  const hashes = await p.joinMany(founderIdx, usdc(20), usdc(100));
  const joinTx = new Map<number, string>(founderIdx.map((i) => [i, hashes[i]]));
  await chain.impersonate([d.operator, d.keeper]);
  await p.pool(m(roles.lapser), "withdraw", [usdc(10)]);
  await p.pool(m(roles.returner), "requestExit");
  await p.pool(d.keeper, "completeExit", [m(roles.returner)]);
  await p.pool(m(roles.returner), "withdraw", [usdc(5)]);
  const poolRoles = await p.view("roles");
  await p.pool(d.operator, "proposeRuleChange", [[...poolRoles], 500n]);

  await chain.increase(31n * DAY);
  const settled = await p.settleDue();

  // A claims at 8%, then the fee change, the return, and the bulk claims at 5%.
  const a = await p.claims(roles.a.map((member, i) => ({ member, amount: usdc(50 - 10 * i), label: `a-${i}` })));
  await p.pool(d.operator, "executeRuleChange");
  await p.pool(m(roles.returner), "join", [usdc(20), identity(roles.returner), { deadline: 0n, signature: "0x" }]);
  await p.pool(m(roles.exiter), "requestExit");
  const bulkIdx = Array.from({ length: bulkCount }, (_, i) => roles.bulkFrom + i);
  const bulk = await p.claims(bulkIdx.map((member, i) => ({ member, amount: usdc(2), label: `bulk-${i}` })));

  const juries = await p.draw([...a, ...bulk]);
  const [j1, j2, , j4] = juries;
  await p.commit([
    ...j1.map((j) => vote(a[0], 0n, j, true)),
    ...j2.slice(0, 2).map((j) => vote(a[1], 0n, j, false)),
    ...j4.map((j) => vote(a[3], 0n, j, true)),
    ...bulk.flatMap((id, i) => juries[4 + i].slice(0, 2).map((j) => vote(id, 0n, j, true))),
  ]);
  const lastRound0 = await p.view("round", [bulk[bulk.length - 1], 0n]);
  await chain.increaseTo(lastRound0.commitEndsAt);
  await p.reveal([
    ...j1.map((j) => vote(a[0], 0n, j, true)),
    ...j2.slice(0, 2).map((j) => vote(a[1], 0n, j, false)),
    ...j4.map((j) => vote(a[3], 0n, j, true)),
    ...bulk.flatMap((id, i) => juries[4 + i].slice(0, 2).map((j) => vote(id, 0n, j, true))),
  ]);
  const aRound0 = await p.view("round", [a[0], 0n]);
  await chain.increaseTo(aRound0.revealEndsAt);
  // The bulk claims' rounds are left for `resolve` to close.
  await p.bulk(a.map((id) => () => p.pool(d.keeper, "tally", [id], 1_000_000n)));
  await p.pool(m(roles.appellant), "appeal", [a[0]]);
  await p.pool(m(roles.a[1]), "appeal", [a[1]]);

  const round1 = await p.draw(a.slice(0, 3));
  const votes1 = [
    ...round1[0].map((j) => vote(a[0], 1n, j, false)),
    ...round1[1].map((j) => vote(a[1], 1n, j, false)),
    ...round1[2].map((j) => vote(a[2], 1n, j, true)),
  ];
  await p.commit(votes1);
  const r1 = await p.view("round", [a[0], 1n]);
  await chain.increaseTo(r1.commitEndsAt);
  await p.reveal(votes1);
  await chain.increaseTo(r1.revealEndsAt);
  await p.bulk(a.slice(0, 3).map((id) => () => p.pool(d.keeper, "tally", [id], 1_000_000n)));

  const last = bulk[bulk.length - 1];
  await chain.increaseTo((await p.view("claim", [last])).resolvesAt);
  await p.pool(d.keeper, "resolve", [last], 29_000_000n);
  const multiPart: bigint = await p.view("currentPeriod");
  await chain.increaseTo(await p.periodEnd(multiPart));
  settled.push(...(await p.settleDue()));

  // The forced exit: below the minimum after the share, flagged, lapsed after the grace, out.
  await p.pool(d.keeper, "flag", [m(roles.lapser)]);
  await p.pool(d.keeper, "completeExit", [m(roles.exiter)]);
  await p.pool(m(roles.a[3]), "withdrawPayout");
  await p.pool(d.operator, "withdrawFees");
  await chain.increase(15n * DAY);
  await p.pool(d.keeper, "lapse", [m(roles.lapser)]);
  await p.pool(d.keeper, "completeExit", [m(roles.lapser)]);
  settled.push(...(await p.settleDue()));
  await chain.increaseTo(await p.periodEnd(multiPart + 2n));
  settled.push(...(await p.settleDue()));
  return { d, driver: p, founders, joinTx, a, bulk, multiPart, settled };
}

/** Which local node a scenario runs on: Hardhat's (EDR) or Foundry's Anvil. */
export type NodeKind = "hardhat" | "anvil";

/** Anvil's binary from the `@foundry-rs/anvil` package's platform build (no install script needed). */
function anvilBinary(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  return require.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/bin/anvil`);
}

/**
 * A local node on `port`: this worktree's `hardhat node` with its request log turned off, or Anvil
 * on Cancun (as the Hardhat network here) with base fees at zero, Hardhat's block gas limit and only
 * the last 8 blocks' states kept in memory (`--prune-history 8`: each kept state is a copy of the
 * whole state, 256 of them held 7 GB at 40,000 members; Hardhat's node holds every block's state,
 * about 0.35 MB a member joined, which a 100,000-member pool does not fit in here). Calls at older
 * blocks then fail on Anvil; a pool's logs and receipts are all kept.
 */
export async function startNode(
  port: number,
  kind: NodeKind = "hardhat",
): Promise<{ url: string; stop: () => Promise<void> }> {
  const url = `http://127.0.0.1:${port}`;
  const ask = (method: string, params: unknown[] = []) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    }).then(
      (res) => res.ok,
      () => false,
    );
  const answers = () => ask("eth_chainId");
  // Another node already there would answer in its place.
  if (await answers()) throw new Error(`port ${port} is taken: stop what listens there first`);
  const root = path.resolve(__dirname, "..", "..");
  const [command, args] =
    kind === "anvil"
      ? [
          anvilBinary(),
          [
            ...["--port", String(port), "--hardfork", "cancun", "--block-base-fee-per-gas", "0"],
            ...["--gas-limit", "30000000", "--prune-history", "8", "--quiet"],
          ],
        ]
      : [process.execPath, [require.resolve("hardhat/internal/cli/cli.js"), "node", "--port", String(port)]];
  const child: ChildProcess = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true });
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
    if (child.exitCode !== null) throw new Error(`${kind} node exited: ${output}`);
    if (await answers()) break;
    if (Date.now() - started > 120_000) {
      await stop();
      throw new Error(`${kind} node did not start on ${url}: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (kind === "hardhat") await ask("hardhat_setLoggingEnabled", [false]);
  return { url, stop };
}

/** A JSON-RPC provider over HTTP for building scenarios (it batches parallel requests). */
export function httpRpc(url: string): JsonRpcProvider {
  return new JsonRpcProvider(url, undefined, { staticNetwork: true, batchMaxCount: 200, cacheTimeout: -1 });
}
