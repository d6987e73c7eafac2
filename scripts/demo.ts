/**
 * The main job on an embedded chain. Starts Hardhat's in-process network, deploys Huzhu (libraries
 * and factory, through the SDK's `deployHuzhu`) and runs a realistic small-claims pool: a 6-decimal
 * stablecoin, a 90-day waiting period, 14-day periods, an 8% fee, juries of 3 drawn from the members,
 * two rounds left for appeals or fresh juries. It shows, through the SDK:
 *
 * - drawn juries that commit and reveal sealed votes (the round is part of each commitment);
 * - an appeal that overturns a rejection (a larger jury, the appeal bond refunded);
 * - a claim whose first jury falls short of quorum (the silent jurors pay the penalty), then a fresh jury;
 * - a forced exit: a member below the minimum balance is flagged, lapsed after the grace, and leaves
 *   once the claims before the notice are paid; then they return with the same identity;
 * - chunked settlement: a period with more payable claims than one settle call pays (180) takes parts;
 * - a claim paid to the claimant's beneficiary (a relative), who alone withdraws it; a member's
 *   balance withdrawn straight to another address;
 * - recovery of a lost wallet through the member's own recovery address: one request the member's
 *   wallet cancels with one call, then one that completes 30 days later and moves the membership;
 * - then the auditor rebuilds the pool from its events alone and prints its verdict.
 *
 *   npm run demo                                                    # 400 members, 185 small claims
 *   HUZHU_MEMBERS=1000 HUZHU_BULK_CLAIMS=190 npm run demo
 */
import { ethers, network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Signer } from "ethers";
import type { HuzhuPool, MockERC20 } from "../typechain-types";
import {
  ClaimState,
  MemberStatus,
  audit,
  auditMarkdown,
  createHuzhuClient,
  formatAmount,
  fromEthers,
  identityCommitment,
  nameOf,
  type Address,
  type HuzhuClient,
  type Rules,
} from "../sdk/src";
import { deployHuzhu } from "../sdk/src/node";

const DAY = 86_400;
const MEMBERS = Number(process.env.HUZHU_MEMBERS ?? 400);
// Each small claim has its own claimant (one open claim per member).
const BULK = Math.min(Number(process.env.HUZHU_BULK_CLAIMS ?? 185), Math.max(0, MEMBERS - 25));
const usdc = (n: number | string) => ethers.parseUnits(String(n), 6);
const show = (amount: bigint) => `${formatAmount(amount, 6)} DUSD`;
const log = (line: string) => console.log(line);
const ZERO_SALT = ethers.ZeroHash as `0x${string}`;

interface World {
  token: MockERC20;
  pool: HuzhuPool;
  poolAddress: Address;
  factory: Address;
  keeper: HuzhuClient;
  members: HardhatEthersSigner[];
  byAddress: Map<string, HardhatEthersSigner>;
}

/** An impersonated account: no JavaScript signing, so a large pool builds quickly. */
async function impersonated(index: number): Promise<HardhatEthersSigner> {
  const address = ethers.getAddress(ethers.toBeHex(0x10000 + index, 20));
  await network.provider.send("hardhat_setBalance", [address, "0x56BC75E2D63100000"]);
  return ethers.getImpersonatedSigner(address);
}

function clientOf(w: World, signer: Signer): HuzhuClient {
  return createHuzhuClient({ connector: fromEthers(signer), pool: w.poolAddress });
}

/** Moves the clock to `t` (seconds) unless it is already past it. */
async function advanceTo(t: bigint): Promise<void> {
  if (BigInt(await time.latest()) < t) await time.increaseTo(t);
}

async function deploy(): Promise<World> {
  const [deployer, operator, keeperSigner] = await ethers.getSigners();
  const token = (await ethers.deployContract("MockERC20", ["Demo USD", "DUSD", 6])) as unknown as MockERC20;
  const { deployment } = await deployHuzhu(deployer, { network: network.name });
  const rules: Rules = {
    asset: (await token.getAddress()) as Address,
    randomness: ethers.ZeroAddress as Address,
    waitingPeriod: 90 * DAY,
    periodLength: 14 * DAY,
    commitWindow: 2 * DAY,
    revealWindow: DAY,
    appealWindow: DAY,
    lapseGrace: 14 * DAY,
    minDeposit: usdc(80),
    minBalance: usdc(60),
    maxClaimsPerPeriod: 200,
    feeBps: 800,
    jurySize: 3,
    maxAppealRounds: 2,
    quorumBps: 6_000,
    approvalThresholdBps: 6_000,
    maxClaimAmount: usdc(5_000),
    capPerMember: usdc("0.25"),
    claimBond: usdc(5),
    appealBond: usdc(10),
    jurorPenalty: usdc(1),
    annualChargeCap: 0n,
    maxPayoutPerMember: usdc(2_000),
  };
  const admin = createHuzhuClient({ connector: fromEthers(deployer), factory: deployment.factory.address });
  const { pool } = await admin.createPool({
    rules,
    roles: {
      operator: operator.address as Address,
      verifier: ethers.ZeroAddress as Address,
      assessor: ethers.ZeroAddress as Address,
      guardian: ethers.ZeroAddress as Address,
    },
  });
  const keeper = createHuzhuClient({ connector: fromEthers(keeperSigner), pool });
  const info = await keeper.getPool();
  log(
    `factory ${deployment.factory.address} (libraries Juries ${deployment.libraries!.Juries}, Apportionment ${deployment.libraries!.Apportionment}, Recovery ${deployment.libraries!.Recovery})`,
  );
  log(
    `pool ${pool}${info.isOpenPool ? " (open: no identity verifier)" : ""}: 90-day wait, 14-day periods, 8% fee, ` +
      `juries of ${rules.jurySize}, up to ${rules.maxAppealRounds} more rounds, a claim final ${Number(info.claimTimetable) / DAY} days after submission`,
  );
  return {
    token,
    pool: (await ethers.getContractAt("HuzhuPool", pool)) as unknown as HuzhuPool,
    poolAddress: pool,
    factory: deployment.factory.address,
    keeper,
    members: [],
    byAddress: new Map(),
  };
}

/** Member `i` joins: most approve then join; every tenth signs a permit and joins in one transaction (SDK). */
async function joinMember(w: World, i: number, deposit: bigint) {
  let signer: HardhatEthersSigner;
  if (i % 10 === 5) {
    const wallet = ethers.Wallet.createRandom().connect(ethers.provider);
    await network.provider.send("hardhat_setBalance", [wallet.address, "0x56BC75E2D63100000"]);
    await w.token.mint(wallet.address, deposit + usdc(200));
    await clientOf(w, wallet).joinWithPermit({
      amount: deposit,
      commitment: identityCommitment(`member-${i}`, ZERO_SALT),
    });
    signer = (await ethers.getImpersonatedSigner(wallet.address)) as HardhatEthersSigner;
  } else {
    signer = await impersonated(i);
    await w.token.mint(signer.address, deposit + usdc(200));
    await w.token.connect(signer).approve(w.poolAddress, ethers.MaxUint256);
    await w.pool
      .connect(signer)
      .join(deposit, identityCommitment(`member-${i}`, ZERO_SALT), { deadline: 0, signature: "0x" });
  }
  // Bonds, appeals and top-ups later go through an allowance.
  await w.token.connect(signer).approve(w.poolAddress, ethers.MaxUint256);
  w.members.push(signer);
  w.byAddress.set(signer.address.toLowerCase(), signer);
}

const saltOf = (claimId: bigint, juror: string) => ethers.id(`demo-salt-${claimId}-${juror}`) as `0x${string}`;

/**
 * Runs the current round of each claim in lockstep: waits for the round to open, draws its jury
 * (keeper, SDK), lets each juror commit (SDK, an explicit salt: impersonated accounts cannot sign)
 * and reveal as `vote` says (undefined: silent), then tallies. Returns each claim's tally.
 */
async function runRound(
  w: World,
  claimIds: bigint[],
  vote: (claimId: bigint, juror: string, seat: number) => boolean | undefined,
) {
  const rounds = await Promise.all(claimIds.map((claimId) => w.keeper.getRound({ claimId })));
  await advanceTo(rounds.reduce((m, r) => (r.opensAt > m ? r.opensAt : m), 0n));
  await network.provider.send("hardhat_mine", ["0x2"]); // the seed block must exist
  const juries = new Map<bigint, Address[]>();
  for (const claimId of claimIds) {
    let drawn = await w.keeper.drawJury({ claimId });
    // A seed older than 256 blocks re-anchors to a new block: draw again once it exists.
    while (drawn.reanchored) {
      await network.provider.send("hardhat_mine", ["0x2"]);
      drawn = await w.keeper.drawJury({ claimId });
    }
    juries.set(claimId, drawn.jurors);
  }
  for (const claimId of claimIds) {
    for (const [seat, juror] of juries.get(claimId)!.entries()) {
      const support = vote(claimId, juror, seat);
      if (support === undefined) continue;
      await clientOf(w, w.byAddress.get(juror.toLowerCase())!).commitVote({
        claimId,
        support,
        salt: saltOf(claimId, juror),
      });
    }
  }
  const drawn = await Promise.all(claimIds.map((claimId) => w.keeper.getRound({ claimId })));
  await advanceTo(drawn.reduce((m, r) => (r.commitEndsAt > m ? r.commitEndsAt : m), 0n));
  for (const claimId of claimIds) {
    for (const [seat, juror] of juries.get(claimId)!.entries()) {
      const support = vote(claimId, juror, seat);
      if (support === undefined) continue;
      await clientOf(w, w.byAddress.get(juror.toLowerCase())!).revealVote({
        claimId,
        support,
        salt: saltOf(claimId, juror),
      });
    }
  }
  await advanceTo(drawn.reduce((m, r) => (r.revealEndsAt > m ? r.revealEndsAt : m), 0n));
  const tallies = [];
  for (const claimId of claimIds) tallies.push(await w.keeper.tally({ claimId }));
  return tallies;
}

async function main() {
  const started = Date.now();
  const w = await deploy();
  process.stdout.write(`joining ${MEMBERS} members `);
  for (let i = 0; i < MEMBERS; i++) {
    await joinMember(w, i, usdc(100));
    if (i % 100 === 99) process.stdout.write(".");
  }
  log(` ${await w.pool.memberCount()} counted, ${await w.pool.jurorCount()} in the juror set`);

  // A newcomer waits 90 days before claiming.
  const refused = await clientOf(w, w.members[MEMBERS - 1])
    .submitClaim({ amount: usdc(100), evidenceDigest: ethers.id("too-early") as `0x${string}` })
    .then(
      () => "accepted?!",
      (e: { name?: string }) => e.name ?? "reverted",
    );
  log(`a waiting member's claim: ${refused}`);

  // One member takes their balance down to the minimum: the first share leaves them below it.
  const lapser = w.members[3];
  await clientOf(w, lapser).withdraw({ amount: usdc(40) });

  // Members who may not be able to act for themselves: a beneficiary, recovery addresses.
  const family = await impersonated(900_001);
  const helper = await impersonated(900_002);
  const newWallet = await impersonated(900_003);
  const [loser, watcher] = [w.members[4], w.members[6]];
  await clientOf(w, w.members[10]).setBeneficiary({ beneficiary: family.address as Address });
  for (const m of [loser, watcher])
    await clientOf(w, m).setRecoveryOptions({ recoveryAddress: helper.address as Address });
  log(`${w.members[10].address} names a beneficiary; two members name a recovery address`);

  await time.increase(91 * DAY);
  // A recovery the member's wallet cancels with one call (it was not lost), and one it does not.
  const rescuer = clientOf(w, helper);
  const watcherCommitment = identityCommitment("member-6", ZERO_SALT);
  await rescuer.requestRecovery({ commitment: watcherCommitment, newWallet: helper.address as Address });
  await clientOf(w, watcher).cancelRecovery();
  log(`a recovery of ${watcher.address} was requested; its wallet cancelled it with one call`);
  const loserCommitment = identityCommitment("member-4", ZERO_SALT);
  await rescuer.requestRecovery({ commitment: loserCommitment, newWallet: newWallet.address as Address });
  const pending = (await w.keeper.getRecovery({ member: loser.address as Address })).pending!;
  log(
    `${loser.address} lost its wallet: recovery to ${newWallet.address} pending until ${new Date(Number(pending.readyAt) * 1000).toISOString().slice(0, 10)}`,
  );
  const caughtUp = await w.keeper.settleDue();
  log(`91 days later: ${caughtUp.parts.length} empty periods settled in ${caughtUp.receipts.length} call(s)`);
  // Start the claims at the beginning of a period, so that every timetable ends inside it.
  const period = await w.pool.currentPeriod();
  await advanceTo((await w.pool.periodEnd(period)) + 60n);

  // The story claims, and a bulk of small claims to pay in the same period.
  const story = [w.members[10], w.members[11], w.members[12]];
  const ids: Record<"overturned" | "noQuorum" | "rejected", bigint> = { overturned: 0n, noQuorum: 0n, rejected: 0n };
  const amounts = [usdc(1_800), usdc(900), usdc(4_000)];
  for (const [k, name] of (["overturned", "noQuorum", "rejected"] as const).entries()) {
    const { claimId } = await clientOf(w, story[k]).submitClaim({
      amount: amounts[k],
      evidenceDigest: ethers.id(`evidence-${name}`) as `0x${string}`,
      uri: "ipfs://encrypted-evidence",
    });
    ids[name] = claimId;
  }
  const bulk: bigint[] = [];
  for (let k = 0; k < BULK; k++) {
    const claimant = w.members[20 + (k % (MEMBERS - 25))];
    await w.pool.connect(claimant).submitClaim(usdc(30 + (k % 40)), ethers.id(`bulk-${k}`), "");
    bulk.push(await w.pool.claimCount());
  }
  log(`submitted claims #${ids.overturned}-#${bulk[bulk.length - 1]}: 3 told below, ${BULK} small ones`);

  // Round 0. The first jury rejects #overturned; #noQuorum's jurors stay silent but one; #rejected is
  // rejected; the small claims are approved.
  const round0 = await runRound(w, [ids.overturned, ids.noQuorum, ids.rejected, ...bulk], (claimId, _j, seat) => {
    if (claimId === ids.overturned || claimId === ids.rejected) return false;
    if (claimId === ids.noQuorum) return seat === 0 ? true : undefined;
    return seat !== 2; // the third juror of each small claim rejects: approved 2 to 1
  });
  const [t0, tNoQuorum, tRejected] = round0;
  log(`round 0 of #${ids.overturned}: ${t0.verdictName} ${t0.approvals}-${t0.rejections} by a drawn jury of 3`);
  log(
    `round 0 of #${ids.noQuorum}: no quorum (${tNoQuorum.approvals + tNoQuorum.rejections} of ${tNoQuorum.quorum} needed revealed); ` +
      `${tNoQuorum.penalized.length} silent jurors paid ${show(tNoQuorum.penalized.reduce((s, p) => s + p.amount, 0n))}; fresh jury in round ${tNoQuorum.nextRound}`,
  );
  log(`round 0 of #${ids.rejected}: ${tRejected.verdictName}; ${BULK} small claims approved`);

  // The claimant appeals the rejection: round 1 seats 7 fresh jurors, who approve.
  const claimant = clientOf(w, story[0]);
  const appealed = await claimant.appeal({ claimId: ids.overturned });
  log(`#${ids.overturned} appealed by its claimant: round ${appealed.round}, bond ${show(appealed.bond)}`);
  const round1 = await runRound(w, [ids.overturned, ids.noQuorum], () => true);
  const overturn = await w.keeper.getRound({ claimId: ids.overturned, round: 1n });
  log(
    `round 1 of #${ids.overturned}: ${round1[0].verdictName} ${round1[0].approvals}-${round1[0].rejections} by ${overturn.seats} jurors: overturned`,
  );
  log(
    `round 1 of #${ids.noQuorum} (fresh jury): ${round1[1].verdictName} ${round1[1].approvals}-${round1[1].rejections}`,
  );

  // The timetable ends: resolve records every outcome in order.
  const last = bulk[bulk.length - 1] ?? ids.rejected;
  await advanceTo((await w.keeper.getClaim({ claimId: last })).resolvesAt);
  await w.keeper.resolve({ claimId: last });
  for (const name of ["overturned", "noQuorum", "rejected"] as const) {
    const c = await w.keeper.getClaim({ claimId: ids[name] });
    log(`#${c.id} ${c.stateName} after ${c.round + 1n} round(s)`);
  }
  const payout = await w.pool.payoutOf(story[0].address);
  log(`the appellant's payout holds the refunded claim and appeal bonds: ${show(payout)}`);
  log(`#${ids.overturned} pays the claimant's beneficiary: ${await w.pool.payeeOf(ids.overturned)}`);

  // Chunked settlement: more payable claims than one settle call pays.
  await advanceTo(await w.pool.periodEnd(period + 1n));
  const settled = await w.keeper.settleDue();
  for (const p of settled.parts)
    log(
      `settled period ${p.period} part ${p.part}${p.closed ? " (closed)" : ""}: ${p.claimsPaid} claims paid, ` +
        `payouts ${show(p.payouts)}, fee ${show(p.fee)}, share ${show(p.share)} x ${p.members} members`,
    );

  const owed = await w.pool.payoutOf(family.address);
  await clientOf(w, family).withdrawPayout();
  log(`the beneficiary ${family.address} withdrew the payout of #${ids.overturned}: ${show(owed)}`);

  // The forced exit: the member who kept the minimum is now below it.
  const lapserClient = clientOf(w, lapser);
  const before = await w.keeper.getMemberStatement({ member: lapser.address as Address });
  const flagged = await w.keeper.flag({ member: lapser.address as Address });
  log(`${lapser.address} holds ${show(before.balance)} < ${show(usdc(60))}: flagged, lapsable from day +14`);
  await advanceTo(flagged.lapsableAt);
  const swept = await w.keeper.lapseBatch({ members: [lapser.address as Address] });
  const lapsing = await w.keeper.getMemberStatement({ member: lapser.address as Address });
  log(
    `grace over, still below: lapsed ${swept.lapsed.length} (${lapsing.statusName}, counted until claims below #${lapsing.exitClaimBound} are paid)`,
  );
  await advanceTo(await w.pool.periodEnd(await w.pool.nextPeriodToSettle()));
  await w.keeper.settleDue();
  await w.keeper.completeExit({ member: lapser.address as Address });
  const gone = await w.keeper.getMemberStatement({ member: lapser.address as Address });
  log(`forced exit complete: ${gone.statusName}, ${show(gone.balance)} left to withdraw or to return with`);
  await lapserClient.join({ amount: usdc(80), commitment: identityCommitment("member-3", ZERO_SALT) });
  const back = await w.keeper.getMemberStatement({ member: lapser.address as Address });
  log(`returned with the same identity: ${nameOf(MemberStatus, back.status)}, balance ${show(back.balance)}`);

  // The lost wallet's 30 days are over: anyone completes the recovery; the membership moves whole.
  await advanceTo(pending.readyAt);
  const lost = await w.keeper.getMemberStatement({ member: loser.address as Address });
  await w.keeper.completeRecovery({ commitment: loserCommitment });
  const moved = await w.keeper.getMemberStatement({ member: newWallet.address as Address });
  log(
    `recovery complete: ${newWallet.address} is ${moved.statusName} with the balance ${show(moved.balance)} ` +
      `(was ${show(lost.balance)} at ${loser.address}, now ${nameOf(MemberStatus, (await w.keeper.getMemberStatement({ member: loser.address as Address })).status)})`,
  );
  await w.token.mint(newWallet.address, usdc(10));
  await w.token.connect(newWallet).approve(w.poolAddress, ethers.MaxUint256);
  await clientOf(w, newWallet).topUp({ amount: usdc(10) });
  await clientOf(w, newWallet).withdraw({ amount: usdc(5), to: family.address as Address });
  log(`the new wallet topped up 10 and sent 5 of the balance straight to ${family.address}`);

  for (const m of [...story, ...w.members.slice(20, 20 + BULK)])
    if ((await w.pool.payoutOf(m.address)) > 0n) await w.pool.connect(m).withdrawPayout();
  const paid = (await Promise.all(bulk.map((claimId) => w.pool.state(claimId)))).filter(
    (s) => Number(s) === ClaimState.Paid,
  ).length;
  log(`${paid} of ${BULK} small claims paid; ${await w.pool.memberCount()} counted`);

  log(`\nauditing the pool from its events alone...`);
  try {
    const result = await audit(w.keeper, { factory: w.factory });
    const report = auditMarkdown(result);
    log(report.slice(report.indexOf("## Apportionment by period")));
    log(`audit verdict: ${result.passed ? "PASS" : "FAIL"}, ${result.stats.events} events rebuilt`);
    if (!result.passed) process.exitCode = 1;
  } catch (error) {
    // The auditor is being updated for v2 on its own branch (v2-audit): until it is merged, it may not
    // read a v2 pool. That is expected; the pool above ran.
    log(`audit did not run on this v2 pool: ${(error as Error).message.split("\n")[0]}`);
    log("(expected until the v2 auditor is merged from branch v2-audit)");
  }
  log(`demo ran in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
