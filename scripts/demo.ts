/**
 * The main job on an embedded chain. Starts Hardhat's in-process network, deploys Huzhu, and runs a
 * realistic pool: a 6-decimal stablecoin, a 90-day waiting period, 14-day periods, an 8% fee and a
 * per-member cap per claim; members join over time (some with an ERC-2612 permit, in one
 * transaction), top up, claim, vote, exit and lapse; every period is settled; then the auditor
 * rebuilds the pool from its events alone, prints the apportionment table and its verdict.
 *
 *   npm run demo                                  # 1,000 members, 6 periods of claims
 *   HUZHU_MEMBERS=3000 HUZHU_PERIODS=10 npm run demo
 */
import { ethers, network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HuzhuPool, MockERC20, PoolFactory } from "../typechain-types";
import { audit, auditMarkdown, createHuzhuClient, fromEthers, identityCommitment, type Address } from "../sdk/src";

const DAY = 86_400;
const MEMBERS = Number(process.env.HUZHU_MEMBERS ?? 1000);
const PERIODS = Number(process.env.HUZHU_PERIODS ?? 6);
const usdc = (n: number | string) => ethers.parseUnits(String(n), 6);
const outcomeNames = ["None", "Committing", "Revealing", "Resolvable", "Approved", "Rejected", "NoQuorum", "Paid"];
const log = (line: string) => console.log(line);

interface World {
  token: MockERC20;
  factory: PoolFactory;
  pool: HuzhuPool;
  poolAddress: Address;
  keeper: HardhatEthersSigner;
  members: HardhatEthersSigner[];
}

/** An impersonated account: no JavaScript signing, so a large pool builds quickly. */
async function impersonated(index: number): Promise<HardhatEthersSigner> {
  const address = ethers.getAddress(ethers.toBeHex(0x10000 + index, 20));
  await network.provider.send("hardhat_setBalance", [address, "0x56BC75E2D63100000"]);
  return ethers.getImpersonatedSigner(address);
}

async function deploy(): Promise<World> {
  const [, operator, keeper] = await ethers.getSigners();
  const token = (await ethers.deployContract("MockERC20", ["Demo USD", "DUSD", 6])) as unknown as MockERC20;
  const factory = (await ethers.deployContract("PoolFactory")) as unknown as PoolFactory;
  const rules = {
    asset: await token.getAddress(),
    waitingPeriod: 90 * DAY,
    periodLength: 14 * DAY,
    commitWindow: 3 * DAY,
    revealWindow: 2 * DAY,
    minDeposit: usdc(20),
    minBalance: usdc(10),
    maxClaimsPerPeriod: 4,
    feeBps: 800,
    maxClaimAmount: usdc(300_000),
    capPerMember: usdc(2),
    quorum: 5,
    approvalThresholdBps: 6_000,
    claimBond: usdc(5),
    annualChargeCap: 0,
  };
  const roles = {
    operator: operator.address,
    verifier: ethers.ZeroAddress,
    assessor: ethers.ZeroAddress,
    guardian: ethers.ZeroAddress,
  };
  const receipt = await (await factory.createPool(rules, roles)).wait();
  const created = receipt!.logs.map((l) => factory.interface.parseLog(l)).find((e) => e?.name === "PoolCreated")!;
  const pool = (await ethers.getContractAt("HuzhuPool", created.args.pool)) as unknown as HuzhuPool;
  log(
    `factory ${await factory.getAddress()}, pool ${created.args.pool}: 90-day wait, 14-day periods, 8% fee, cap 2 DUSD a member a claim`,
  );
  return { token, factory, pool, poolAddress: created.args.pool, keeper, members: [] };
}

/** Member `i` joins: most approve then join; every tenth signs a permit and joins in one transaction (through the SDK). */
async function joinMember(w: World, i: number, deposit: bigint) {
  if (i % 10 === 5) {
    const wallet = ethers.Wallet.createRandom().connect(ethers.provider);
    await network.provider.send("hardhat_setBalance", [wallet.address, "0x56BC75E2D63100000"]);
    await w.token.mint(wallet.address, deposit + usdc(100));
    const client = createHuzhuClient({ connector: fromEthers(wallet), pool: w.poolAddress });
    await client.joinWithPermit({
      amount: deposit,
      commitment: identityCommitment(`member-${i}`, ethers.ZeroHash as Address),
    });
    const signer = (await ethers.getImpersonatedSigner(wallet.address)) as HardhatEthersSigner;
    // Bonds and top-ups later go through an allowance.
    await w.token.connect(signer).approve(w.poolAddress, ethers.MaxUint256);
    w.members.push(signer);
    return;
  }
  const m = await impersonated(i);
  await w.token.mint(m.address, deposit + usdc(100));
  await w.token.connect(m).approve(w.poolAddress, ethers.MaxUint256);
  await w.pool
    .connect(m)
    .join(deposit, identityCommitment(`member-${i}`, ethers.ZeroHash as Address), { deadline: 0, signature: "0x" });
  w.members.push(m);
}

async function settleDue(w: World) {
  let settled = 0;
  for (;;) {
    const next = await w.pool.nextPeriodToSettle();
    if ((await w.pool.periodEnd(next)) > BigInt(await time.latest())) return settled;
    await w.pool.connect(w.keeper).settle(next);
    settled++;
  }
}

/** One period of claims: two approved, one rejected, one that draws too few votes. */
async function claimsPeriod(w: World, p: number, voters: HardhatEthersSigner[]) {
  const plan: Array<[number, boolean[] | null, number]> = [
    [40 + p * 4, [true, true, true, true, false, true], 1_200 + 300 * p],
    [41 + p * 4, [true, true, true, false, true], 2_500],
    [42 + p * 4, [false, false, true, false, false], 900],
    [43 + p * 4, [true, true], 600],
  ];
  const ids: bigint[] = [];
  for (const [who, , amount] of plan) {
    await w.pool
      .connect(w.members[who])
      .submitClaim(usdc(amount), ethers.id(`evidence-${p}-${who}`), "ipfs://encrypted-evidence");
    ids.push(await w.pool.claimCount());
  }
  const salts = new Map<string, string>();
  for (const [c, [, votes]] of plan.entries()) {
    for (const [v, support] of (votes ?? []).entries()) {
      const salt = ethers.id(`salt-${ids[c]}-${v}`);
      salts.set(`${c}-${v}`, salt);
      await w.pool
        .connect(voters[v])
        .commitVote(ids[c], await w.pool.voteCommitment(ids[c], voters[v].address, support, salt));
    }
  }
  await time.increase(3 * DAY);
  for (const [c, [, votes]] of plan.entries()) {
    for (const [v, support] of (votes ?? []).entries())
      await w.pool.connect(voters[v]).revealVote(ids[c], support, salts.get(`${c}-${v}`)!);
  }
  await time.increase(2 * DAY);
  await w.pool.connect(w.keeper).resolve(ids[ids.length - 1]);
  const outcomes = await Promise.all(ids.map((id) => w.pool.state(id)));
  return ids.map((id, k) => `#${id} ${outcomeNames[Number(outcomes[k])]}`).join(", ");
}

async function main() {
  const started = Date.now();
  const w = await deploy();
  const founders = Math.max(60, Math.ceil(MEMBERS * 0.7));
  process.stdout.write(`joining ${founders} founding members `);
  for (let i = 0; i < founders; i++) {
    await joinMember(w, i, usdc(60));
    if (i % 100 === 99) process.stdout.write(".");
  }
  // A few founders take their balance down to the minimum: the first shares make them lapsable.
  for (let i = 24; i < founders; i += 50) if (i % 10 !== 5) await w.pool.connect(w.members[i]).withdraw(usdc(50));
  log(` ${await w.pool.memberCount()} counted`);

  await time.increase(91 * DAY);
  await settleDue(w);
  const newcomers = MEMBERS - founders;
  const voters = w.members.slice(1, 7);
  let joined = founders;
  for (let p = 0; p < PERIODS; p++) {
    // Newcomers arrive each period: counted at once, waiting 90 days before they may claim.
    for (let k = 0; k < Math.ceil(newcomers / PERIODS) && joined < MEMBERS; k++)
      await joinMember(w, joined++, usdc(60));
    const newest = w.members[w.members.length - 1];
    const refused = await w.pool
      .connect(newest)
      .submitClaim.staticCall(usdc(100), ethers.id("x"), "")
      .then(
        () => "accepted?!",
        (e: { data?: string }) => w.pool.interface.parseError(e.data ?? "0x")?.name ?? "reverted",
      );
    const outcomes = await claimsPeriod(w, p, voters);
    // Some members top up; one asks to leave and leaves once the claims before its request are done.
    const toppers = Array.from({ length: 5 }, (_, k) => Math.floor(founders / 2) + p * 5 + k).filter(
      (i) => i % 50 !== 24,
    );
    for (const i of toppers) await w.pool.connect(w.members[i]).topUp(usdc(15));
    const leaver = w.members[10 + p];
    await w.pool.connect(leaver).requestExit();
    await time.increase(9 * DAY + 1);
    await settleDue(w);
    await w.pool.connect(w.keeper).completeExit(leaver.address);
    await w.pool.connect(leaver).withdraw((await w.pool.balanceOf(leaver.address)) as bigint);
    const addresses = w.members.map((m) => m.address);
    const lapsed = await w.pool.connect(w.keeper).lapseBatch.staticCall(addresses);
    if (lapsed > 0n) await w.pool.connect(w.keeper).lapseBatch(addresses);
    log(
      `period ${(await w.pool.nextPeriodToSettle()) - 1n}: claims ${outcomes}; a waiting member's claim: ${refused}; ` +
        `1 exit, ${lapsed} lapsed, ${await w.pool.memberCount()} counted`,
    );
  }
  for (const m of w.members.slice(40, 40 + PERIODS * 4))
    if ((await w.pool.payoutOf(m.address)) > 0n) await w.pool.connect(m).withdrawPayout();

  log(`\nauditing the pool from its events alone...`);
  const auditor = createHuzhuClient({ connector: fromEthers(w.keeper), pool: w.poolAddress });
  const result = await audit(auditor, { factory: (await w.factory.getAddress()) as Address });
  const report = auditMarkdown(result);
  log(report.slice(report.indexOf("## Apportionment by period")));
  log(
    `audit verdict: ${result.passed ? "PASS" : "FAIL"}, ${result.stats.events} events rebuilt; demo ran in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  if (!result.passed) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
