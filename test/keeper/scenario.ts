import { expect } from "chai";
import { Wallet, type JsonRpcProvider } from "ethers";
import {
  ClaimState,
  MemberStatus,
  commitVote,
  createPool,
  fromEthers,
  identityCommitment,
  join,
  parseAmount,
  requestExit,
  revealVote,
  submitClaim,
  withdraw,
  type Address,
  type HuzhuClientConfig,
} from "../../sdk/src";
import { HuzhuPool__factory, MockERC20__factory, type HuzhuPool, type MockERC20 } from "../../typechain-types";
import { hardhatKey, type HardhatNode } from "../helpers/hardhatNode";
import { rulesFor } from "../sdk/helpers";

export const DAY = 86_400;
export const USD = (amount: string) => parseAmount(amount, 6);

/** Hardhat accounts 2 to 8 are the members; 10 to 13 are keepers. */
export const MEMBER_ACCOUNTS = [2, 3, 4, 5, 6, 7, 8];
export const keeperWallet = (index: number, provider: JsonRpcProvider) => new Wallet(hardhatKey(10 + index), provider);

/** The SDK suites' pool: 2-of-3 juries with one appeal round, 14-day periods, seasoned after 30 days. */
export { rulesFor };

/** Polls `condition` (mining a block between polls when `mine`) until it holds; fails after `timeoutMs`. */
export async function until(
  node: HardhatNode,
  what: string,
  condition: () => Promise<boolean>,
  options: { mine?: boolean; timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    if (options.mine) await node.send("evm_mine");
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

export interface Env {
  node: HardhatNode;
  provider: JsonRpcProvider;
  token: MockERC20;
  factory: Address;
  deployment: import("../../sdk/src/node").Deployment;
}

/** A pool with the seven members joined (100 each), on the factory; returns its address and reader. */
export async function poolWithMembers(env: Env, label: string) {
  const admin: HuzhuClientConfig = {
    connector: fromEthers(new Wallet(hardhatKey(0), env.provider)),
    factory: env.factory,
  };
  const rules = rulesFor((await env.token.getAddress()) as Address);
  const { pool, receipt } = await createPool(admin, {
    rules,
    roles: { operator: new Wallet(hardhatKey(1)).address as Address },
  });
  const members = MEMBER_ACCOUNTS.map((i) => new Wallet(hardhatKey(i), env.provider));
  const clients = members.map((w) => ({ connector: fromEthers(w), pool }) as HuzhuClientConfig);
  for (const [i, client] of clients.entries()) {
    await join(client, {
      amount: USD("100"),
      commitment: identityCommitment(`${label}-member-${i}`, `0x${"11".repeat(32)}`),
    });
  }
  return {
    pool,
    block: receipt.blockNumber,
    rules,
    members,
    clients,
    contract: HuzhuPool__factory.connect(pool, env.provider) as HuzhuPool,
  };
}

export type PoolSetup = Awaited<ReturnType<typeof poolWithMembers>>;

/** What the story leaves behind, to check that nothing due was left undone. */
export async function expectNothingDue(env: Env, p: PoolSetup): Promise<void> {
  const pool = p.contract;
  const now = BigInt((await env.provider.getBlock("latest"))!.timestamp);
  const next = await pool.nextPeriodToSettle();
  expect(await pool.periodEnd(next), "next period to settle has not ended").to.be.greaterThan(now);
  expect(await pool.nextClaimToResolve()).to.equal(4n);
  expect((await pool.paymentQueue())[0]).to.equal(0n);
  expect(await pool.state(1n)).to.equal(BigInt(ClaimState.Paid));
  expect(await pool.state(2n)).to.equal(BigInt(ClaimState.Rejected));
  expect(await pool.state(3n)).to.equal(BigInt(ClaimState.NoQuorum));
  expect(await pool.statusOf(p.members[6].address)).to.equal(BigInt(MemberStatus.Exited));
  expect(await pool.statusOf(p.members[5].address)).to.equal(BigInt(MemberStatus.Lapsed));
  expect(await pool.memberCount()).to.equal(5n);
  // Nobody else is below the minimum balance.
  for (const m of p.members.slice(0, 5)) expect(await pool.balanceOf(m.address)).to.be.at.least(p.rules.minBalance);
}

/**
 * Takes a pool through five periods with the keeper(s) running (started by the caller): claims
 * approved and paid, rejected, and without quorum (a second round drawn by the keeper); an exit
 * and an unfunded member flagged, lapsed and taken out. The members act; every duty is the
 * keeper's, and each step waits for it.
 */
export async function runStory(
  env: Env,
  p: PoolSetup,
  hooks: {
    onStep?: (step: string) => Promise<void>;
    /** Called when a step times out (to print logs). */
    onFail?: () => void;
    /** Moves the chain's clock before `step` (default: `evm_increaseTime` and a block). */
    advance?: (step: string, seconds: number) => Promise<void>;
  } = {},
): Promise<void> {
  const { node } = env;
  try {
    await story(env, p, hooks);
  } catch (error) {
    hooks.onFail?.();
    const pool = p.contract;
    console.log({
      states: await Promise.all([1n, 2n, 3n].map((id) => pool.state(id))),
      queue: await pool.paymentQueue(),
      next: await pool.nextPeriodToSettle(),
      m5: await pool.member(p.members[5].address),
      m6: await pool.member(p.members[6].address),
    });
    throw error;
  }
}

async function story(env: Env, p: PoolSetup, hooks: Parameters<typeof runStory>[2] = {}): Promise<void> {
  const { node } = env;
  const onStep = hooks.onStep;
  const advance = (step: string, seconds: number) =>
    hooks.advance ? hooks.advance(step, seconds) : node.increaseTime(seconds);
  const pool = p.contract;
  const step = async (name: string) => onStep?.(name);
  const state = async (id: bigint) => Number(await pool.state(id));

  // Periods 0 and 1 end before anyone may claim: the keeper settles them.
  await advance("settled", 31 * DAY);
  await until(node, "periods 0 and 1 settled", async () => (await pool.nextPeriodToSettle()) === 2n);
  await step("settled");

  for (const [i, amount] of [USD("50"), USD("20"), USD("30")].entries()) {
    await submitClaim(p.clients[i], { amount, evidenceDigest: `0x${(i + 1).toString(16).padStart(64, "a")}` });
  }
  await until(
    node,
    "three juries drawn",
    async () => (await Promise.all([1n, 2n, 3n].map(state))).every((s) => s === ClaimState.Committing),
    { mine: true },
  );
  await step("drawn");

  const jurorsOf = async (id: bigint) => {
    const round = (await pool.claim(id)).round;
    const seated = await pool.jury(id, round);
    return seated.map((a) => p.clients[p.members.findIndex((m) => m.address === a)]);
  };
  for (const [id, support] of [
    [1n, true],
    [2n, false],
  ] as const) {
    for (const juror of await jurorsOf(id)) await commitVote(juror, { claimId: id, support });
  }
  await advance("reveal", 3 * DAY);
  for (const [id, support] of [
    [1n, true],
    [2n, false],
  ] as const) {
    for (const juror of await jurorsOf(id)) await revealVote(juror, { claimId: id, support });
  }
  // Member 6 asks to leave (served once claims 1 to 3 are final and paid); member 5 withdraws down
  // to the minimum balance (below it after the next charge, or a juror penalty).
  await requestExit(p.clients[6]);
  await withdraw(p.clients[5], { amount: USD("40") });
  await advance("tallied", 2 * DAY);
  await until(
    node,
    "rounds tallied; claim 3's second round drawn",
    async () =>
      (await state(1n)) === ClaimState.Appealable &&
      (await state(2n)) === ClaimState.Appealable &&
      (await pool.claim(3n)).round === 1n &&
      (await state(3n)) === ClaimState.Committing,
    { mine: true },
  );
  await step("tallied");

  await advance("resolved", 9 * DAY);
  await until(
    node,
    "claims 1 to 3 resolved, period 2 settled",
    async () => (await pool.nextClaimToResolve()) === 4n && (await pool.nextPeriodToSettle()) === 3n,
  );
  expect(await state(1n)).to.equal(ClaimState.Approved);
  await step("resolved");

  // Period 3 pays claim 1: the charge takes member 5 below the minimum; member 6's exit is served.
  await advance("paid", 12 * DAY);
  await until(
    node,
    "claim 1 paid, member 6 out, member 5 flagged",
    async () =>
      (await state(1n)) === ClaimState.Paid &&
      Number(await pool.statusOf(p.members[6].address)) === MemberStatus.Exited &&
      // Flagged now, or flagged earlier (a juror penalty took it below) and lapsed already.
      ((await pool.member(p.members[5].address)).lapsableAt > 0n ||
        Number(await pool.statusOf(p.members[5].address)) >= MemberStatus.Lapsing),
  );
  await step("paid");

  await advance("lapsed", 15 * DAY);
  await until(
    node,
    "member 5 lapsed and out",
    async () => Number(await pool.statusOf(p.members[5].address)) === MemberStatus.Lapsed,
  );
  await until(node, "every ended period settled", async () => {
    const now = BigInt((await env.provider.getBlock("latest"))!.timestamp);
    return (await pool.periodEnd(await pool.nextPeriodToSettle())) > now;
  });
  await step("lapsed");
}

export async function deployEnv(node: HardhatNode, provider: JsonRpcProvider): Promise<Env> {
  const { deployHuzhu } = await import("../../sdk/src/node");
  const deployer = new Wallet(hardhatKey(0), provider);
  const token = await new MockERC20__factory(deployer).deploy("Test USD", "TUSD", 6);
  await token.waitForDeployment();
  const { deployment } = await deployHuzhu(deployer);
  for (const i of MEMBER_ACCOUNTS) await (await token.mint(new Wallet(hardhatKey(i)).address, USD("10000"))).wait();
  return { node, provider, token, factory: deployment.factory.address, deployment };
}
