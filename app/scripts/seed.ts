/**
 * Seeds a living pool on a local `hardhat node`: Multicall3 (`installMulticall3`), the SDK's
 * `deployHuzhu` (libraries and factory), a 6-decimal token, one pool with the audit scenario's rules (created through the SDK), members (the
 * node's test accounts 0-18, plus `founders` impersonated ones), then a life driven by the audit
 * scenario's `PoolDriver`: claims approved, rejected then overturned on appeal, short of quorum then
 * decided by a fresh jury; resolved, settled and paid; an empty period; and two claims still open (one
 * waiting for its jury draw, one with its jury voting). Test account 19 holds tokens but has not joined.
 */
import { Interface, JsonRpcProvider, ContractFactory, getAddress, keccak256, toUtf8Bytes } from "ethers";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createHuzhuClient, fromEthers, identityCommitment, poolAbi, type Address } from "@huzhu/sdk";
import { deployHuzhu, installMulticall3 } from "@huzhu/sdk/node";
import * as scenario from "../../test/audit/scenario";

const { Chain, PoolDriver, DAY, usdc, demoRules, memberAddress } = scenario;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const artifact = (p: string) => JSON.parse(readFileSync(path.join(root, "artifacts", p), "utf8"));

export interface Seeded {
  pool: Address;
  factory: Address;
  token: Address;
  fromBlock: bigint;
  chainId: number;
  /** The node's test accounts (0-19): 0 deployed, 1 operates, 2 keeps; 0-18 are members, 19 is not. */
  accounts: Address[];
  claims: {
    approved: bigint;
    overturned: bigint;
    freshJury: bigint;
    approved2: bigint;
    drawing: bigint;
    voting: bigint;
  };
}

export const testIdentity = (i: number) => `test-account-${i}`;
const ZERO_SALT = `0x${"00".repeat(32)}` as const;

export async function seed(url: string, founders = 0, log: (s: string) => void = () => {}): Promise<Seeded> {
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, batchMaxCount: 200, cacheTimeout: -1 });
  const chain = new Chain(provider);
  // Multicall3 at its usual address, as on nearly every public chain: the app's views go through it.
  await installMulticall3(provider);
  const accounts = ((await chain.send("eth_accounts")) as string[]).map((a) => getAddress(a) as Address);
  const [deployer, operator, keeper] = accounts;
  const signer = await provider.getSigner(deployer);
  const { deployment } = await deployHuzhu(signer, { network: "localhost" });
  const tokenArtifact = artifact("contracts/mocks/MockERC20.sol/MockERC20.json");
  const tokenContract = await new ContractFactory(tokenArtifact.abi, tokenArtifact.bytecode, signer).deploy(
    "Demo USD",
    "DUSD",
    6,
  );
  await tokenContract.waitForDeployment();
  const token = getAddress(await tokenContract.getAddress()) as Address;
  const admin = createHuzhuClient({ connector: fromEthers(signer), factory: deployment.factory.address });
  const ZERO = "0x0000000000000000000000000000000000000000" as Address;
  const { pool } = await admin.createPool({
    rules: demoRules(token) as never,
    roles: { operator, verifier: ZERO, assessor: ZERO, guardian: ZERO },
  });
  log(`pool ${pool} (factory ${deployment.factory.address})`);
  const d = {
    token,
    factory: deployment.factory.address,
    pool,
    deployer,
    operator,
    keeper,
    firstBlock: deployment.factory.block,
    tokenI: new Interface(tokenArtifact.abi),
    poolI: new Interface(poolAbi as never),
  };
  const p = new PoolDriver(chain, d);

  if (founders > 0)
    await p.joinMany(
      Array.from({ length: founders }, (_, i) => i),
      usdc(20),
      usdc(100),
    );
  const keyed = accounts.slice(0, 19);
  await p.bulk(accounts.map((a) => () => p.token(deployer, "mint", [a, usdc(1_000)], 100_000n)));
  await p.bulk(keyed.map((a) => () => p.token(a, "approve", [pool, 2n ** 256n - 1n], 60_000n)));
  await p.bulk(
    keyed.map(
      (a, i) => () =>
        p.pool(
          a,
          "join",
          [usdc(20), identityCommitment(testIdentity(i), ZERO_SALT), { deadline: 0n, signature: "0x" }],
          300_000n,
        ),
    ),
  );
  log(`${founders + keyed.length} members`);

  await chain.increase(31n * DAY);
  await p.settleDue();

  // Four claims by test accounts 3-6, one after another.
  const claimants = accounts.slice(3, 7);
  const ids: bigint[] = [];
  for (const [i, a] of claimants.entries()) {
    await p.pool(a, "submitClaim", [
      usdc(50 - 10 * i),
      keccak256(toUtf8Bytes(`seed-evidence-${i}`)),
      "ipfs://encrypted",
    ]);
    ids.push(await p.view("claimCount"));
  }
  const [approved, overturned, freshJury, approved2] = ids;
  const vote = (id: bigint, round: bigint, juror: string, support: boolean) => ({ id, round, juror, support });
  const [j1, j2, , j4] = await p.draw(ids);
  const round0 = [
    ...j1.map((j) => vote(approved, 0n, j, true)),
    ...j2.slice(0, 2).map((j) => vote(overturned, 0n, j, false)),
    ...j4.map((j, k) => vote(approved2, 0n, j, k !== 2)),
  ];
  await p.commit(round0);
  // The last claim's windows close last (each claim was submitted in its own block).
  const r0 = await p.view("round", [approved2, 0n]);
  await chain.increaseTo(r0.commitEndsAt);
  await p.reveal(round0);
  await chain.increaseTo(r0.revealEndsAt);
  for (const id of ids) await p.pool(keeper, "tally", [id], 1_000_000n);
  // The rejected claimant appeals; the silent jury's claim gets a fresh jury.
  await p.pool(claimants[1], "appeal", [overturned]);
  const [k2, k3] = await p.draw([overturned, freshJury]);
  const round1 = [...k2.map((j) => vote(overturned, 1n, j, true)), ...k3.map((j) => vote(freshJury, 1n, j, true))];
  await p.commit(round1);
  const r1 = await p.view("round", [freshJury, 1n]);
  await chain.increaseTo(r1.commitEndsAt);
  await p.reveal(round1);
  await chain.increaseTo(r1.revealEndsAt);
  for (const id of [overturned, freshJury]) await p.pool(keeper, "tally", [id], 1_000_000n);
  await chain.increaseTo((await p.view("claim", [approved2])).resolvesAt);
  await p.pool(keeper, "resolve", [approved2], 5_000_000n);
  const paidIn: bigint = await p.view("currentPeriod");
  await chain.increaseTo(await p.periodEnd(paidIn));
  await p.settleDue();
  await p.pool(claimants[0], "withdrawPayout");
  await chain.increaseTo(await p.periodEnd(paidIn + 1n));
  await p.settleDue();

  // Two claims still open: one waits for its jury draw, one's jury is voting.
  await p.pool(accounts[7], "submitClaim", [usdc(15), keccak256(toUtf8Bytes("seed-open-voting")), ""]);
  const voting: bigint = await p.view("claimCount");
  await p.draw([voting]);
  await p.pool(accounts[8], "submitClaim", [usdc(12), keccak256(toUtf8Bytes("seed-open-drawing")), ""]);
  const drawing: bigint = await p.view("claimCount");
  log(`claims #1-#${drawing}; ${await p.view("nextPeriodToSettle")} periods settled`);
  void memberAddress;
  return {
    pool,
    factory: deployment.factory.address,
    token,
    fromBlock: deployment.factory.block,
    chainId: Number((await provider.getNetwork()).chainId),
    accounts,
    claims: { approved, overturned, freshJury, approved2, drawing, voting },
  };
}

/** The audit scenario's `PoolDriver` on a seeded pool (impersonated sends: for tests that drive juries from Node). */
export function driverFor(url: string, s: Seeded): InstanceType<typeof PoolDriver> {
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, batchMaxCount: 200, cacheTimeout: -1 });
  const [deployer, operator, keeper] = s.accounts;
  return new PoolDriver(new Chain(provider), {
    token: s.token,
    factory: s.factory,
    pool: s.pool,
    deployer,
    operator,
    keeper,
    firstBlock: s.fromBlock,
    tokenI: new Interface(artifact("contracts/mocks/MockERC20.sol/MockERC20.json").abi),
    poolI: new Interface(poolAbi as never),
  });
}
