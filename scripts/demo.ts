/**
 * The main job on an embedded chain: deploys Huzhu on Hardhat's in-process network, runs a pool
 * through several periods (joins, claims approved, rejected and without quorum, a claim refused
 * to a waiting member, exits and lapses), settles every period, prints the apportionment table,
 * and checks that the escrow holds exactly what the pool owes.
 *
 *   npm run demo                          # 200 members, 6 periods
 *   HUZHU_MEMBERS=500 HUZHU_PERIODS=8 npm run demo
 */
import { ethers, network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HuzhuPool, MockERC20 } from "../typechain-types";
import { audit, auditMarkdown, createHuzhuClient, fromEthers } from "../sdk/src";

const DAY = 86_400;
const MEMBERS = Number(process.env.HUZHU_MEMBERS ?? 200);
const PERIODS = Number(process.env.HUZHU_PERIODS ?? 6);
const usdc = (n: number | string) => ethers.parseUnits(String(n), 6);
const fmt = (v: bigint) => ethers.formatUnits(v, 6);
const outcomeNames = ["None", "Committing", "Revealing", "Resolvable", "Approved", "Rejected", "NoQuorum", "Paid"];

async function signerFor(index: number): Promise<HardhatEthersSigner> {
  // Impersonated accounts: no JavaScript signing, so a large pool builds quickly.
  const address = ethers.getAddress(ethers.toBeHex(0x10000 + index, 20));
  await network.provider.send("hardhat_setBalance", [address, "0x56BC75E2D63100000"]);
  return ethers.getImpersonatedSigner(address);
}

async function main() {
  const [deployer, operator, keeper] = await ethers.getSigners();
  const token = (await ethers.deployContract("MockERC20", ["Demo USD", "DUSD", 6])) as unknown as MockERC20;
  const factory = await ethers.deployContract("PoolFactory");
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
  const poolAddress = await pool.getAddress();
  console.log(`factory ${await factory.getAddress()}  pool ${poolAddress}  (deployer ${deployer.address})`);

  const members: HardhatEthersSigner[] = [];
  const joinMember = async (i: number, deposit: bigint) => {
    const m = await signerFor(i);
    await token.mint(m.address, deposit + usdc(100));
    await token.connect(m).approve(poolAddress, ethers.MaxUint256);
    await pool.connect(m).join(deposit, ethers.id(`identity-${i}`), { deadline: 0, signature: "0x" });
    members.push(m);
  };
  const founders = Math.ceil(MEMBERS * 0.8);
  process.stdout.write(`joining ${founders} founding members`);
  for (let i = 0; i < founders; i++) {
    await joinMember(i, usdc(60));
    // A few founders take their balance down to the minimum: the first share lapses them.
    if (i % 25 === 24) await pool.connect(members[i]).withdraw(usdc(50));
    if (i % 50 === 49) process.stdout.write(".");
  }
  console.log(` ${await pool.memberCount()} counted`);

  // Settle the waiting period's empty periods on the way.
  let next = 0n;
  const settleDue = async () => {
    while ((await pool.periodEnd(next)) <= BigInt(await time.latest())) {
      await pool.connect(keeper).settle(next);
      next++;
    }
  };
  await time.increase(91 * DAY);
  await settleDue();

  const late = MEMBERS - founders;
  const voters = () => members.slice(1, 12);
  let joined = founders;
  for (let p = 0; p < PERIODS; p++) {
    // Late joiners arrive over the periods: counted at once, waiting 90 days to claim.
    for (let k = 0; k < Math.ceil(late / PERIODS) && joined < MEMBERS; k++) await joinMember(joined++, usdc(60));
    const newest = members[members.length - 1];
    try {
      await pool.connect(newest).submitClaim.staticCall(usdc(100), ethers.id("x"), "");
    } catch (e) {
      const reason = pool.interface.parseError((e as { data: string }).data)?.name;
      if (p === 0) console.log(`a waiting member's claim is refused: ${reason}`);
    }
    // Three claims a period: one approved, one rejected, one with too few votes.
    const plan: Array<[number, boolean[] | null]> = [
      [30 + p * 3, [true, true, true, true, false]],
      [31 + p * 3, [false, false, false, true, false]],
      [32 + p * 3, null],
    ];
    const ids: bigint[] = [];
    for (const [who] of plan) {
      await pool.connect(members[who]).submitClaim(usdc(150 + 25 * p), ethers.id(`evidence-${p}-${who}`), "ipfs://enc");
      ids.push(await pool.claimCount());
    }
    const salts = new Map<string, string>();
    for (let c = 0; c < plan.length; c++) {
      const votes = plan[c][1];
      if (!votes) continue;
      for (let v = 0; v < votes.length; v++) {
        const voter = voters()[v];
        const salt = ethers.id(`salt-${ids[c]}-${voter.address}`);
        salts.set(`${ids[c]}-${v}`, salt);
        await pool.connect(voter).commitVote(ids[c], await pool.voteCommitment(ids[c], voter.address, votes[v], salt));
      }
    }
    await time.increase(3 * DAY);
    for (let c = 0; c < plan.length; c++) {
      const votes = plan[c][1];
      if (!votes) continue;
      for (let v = 0; v < votes.length; v++)
        await pool.connect(voters()[v]).revealVote(ids[c], votes[v], salts.get(`${ids[c]}-${v}`)!);
    }
    await time.increase(2 * DAY);
    await pool.connect(keeper).resolve(ids[ids.length - 1]);
    const outcomes = await Promise.all(ids.map((id) => pool.state(id)));
    console.log(
      `period ${next}: claims ${ids.join(", ")} -> ${outcomes.map((o) => outcomeNames[Number(o)]).join(", ")}`,
    );
    // One member asks to leave each period; the exit completes once earlier claims are settled.
    const leaver = members[12 + p];
    await pool.connect(leaver).requestExit();
    await time.increase(9 * DAY + 1);
    await settleDue();
    await pool.connect(keeper).completeExit(leaver.address);
    // The keeper lapses whoever fell below the minimum balance.
    const lapsed = await pool.connect(keeper).lapseBatch.staticCall(members.map((m) => m.address));
    if (lapsed > 0n) await pool.connect(keeper).lapseBatch(members.map((m) => m.address));
    if (lapsed > 0n) console.log(`  keeper lapsed ${lapsed} underfunded members`);
  }

  console.log("\nperiod | members | cases paid | total paid | fee | share per member | surplus carried");
  for (let p = 0n; p < next; p++) {
    const s = await pool.settlement(p);
    if (s.claimsPaid === 0n && s.share === 0n) continue;
    console.log(
      `${p} | ${s.members} | ${s.claimsPaid} | ${fmt(s.payouts)} | ${fmt(s.fee)} | ${fmt(s.share)} | ${fmt(s.surplusOut)}`,
    );
  }

  // The auditor rebuilds everything from the events alone and checks the chain against it.
  const auditor = createHuzhuClient({ connector: fromEthers(keeper), pool: poolAddress as `0x${string}` });
  const result = await audit(auditor, { factory: (await factory.getAddress()) as `0x${string}` });
  console.log("");
  for (const c of result.checks) console.log(`${c.passed ? "pass" : "FAIL"}  ${c.name} (${c.scope})`);
  for (const d of result.checks.flatMap((c) => c.discrepancies).slice(0, 20)) {
    console.log(`  ${d.check}: ${d.subject}: events say ${d.expected}, chain says ${d.actual}`);
  }
  console.log(
    `\naudit verdict: ${result.passed ? "PASS" : "FAIL"} (${result.stats.events} events, ${result.stats.eventsPerSecond.toFixed(0)} events/s)`,
  );
  if (process.env.HUZHU_REPORT) console.log(auditMarkdown(result));
  if (!result.passed) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
