/**
 * Gas of the functions issue 15 added (beneficiaries, claim payees, withdrawals to another address,
 * recovery of a lost wallet), next to the calls they sit beside, in a 10-member pool with the
 * fixtures' rules. Writes bench/recovery-gas.json. `npx hardhat run bench/recovery-gas.ts`
 *
 * Gas is read from each transaction's receipt. The first call of a kind by an account writes slots
 * from zero (the worst case); a second call of the same kind is shown where it differs.
 *
 * The jury section measures the hot paths the recovery trail touches (drawJury, commitVote,
 * revealVote, tally with an unrevealed seat) and its two rare paths: the tally of a seat whose
 * membership moved since the draw, and a draw where every member came through a recovery.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import type { MockJuryRandomness } from "../typechain-types";
import {
  approveTogether,
  commitVote,
  commitmentOf,
  deployPool,
  endPeriod,
  fund,
  join,
  joinAttested,
  settleDue,
  signRecovery,
  submitClaim,
  DAY,
  USDC,
} from "../test/helpers/fixtures";

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  return Number(receipt!.gasUsed);
}

async function main() {
  const signers = await ethers.getSigners();
  const verifier = signers[19];
  const setup = await deployPool({}, { verifier: verifier.address });
  const { pool } = setup;
  const members = setup.members.slice(0, 10);
  const [alice, bob, carol, dave, erin, frank] = members;
  const [hospital, newAlice, newBob, helper] = setup.members.slice(10, 14);
  const gas: Record<string, number> = {};
  for (const m of members) await joinAttested(setup, verifier, m, USDC(100));
  await time.increase(91 * DAY);

  gas["topUp (for comparison)"] = await gasOf(
    (async () => {
      await fund(setup, erin, USDC(1));
      return pool.connect(erin).addToMemberFunds(USDC(1));
    })(),
  );
  gas["withdraw (for comparison)"] = await gasOf(pool.connect(erin).withdraw(USDC(1)));
  gas["withdrawTo"] = await gasOf(pool.connect(frank).withdrawTo(USDC(1), hospital.address));
  gas["setBeneficiary (first)"] = await gasOf(pool.connect(alice).setBeneficiary(hospital.address));
  gas["setBeneficiary (change)"] = await gasOf(pool.connect(alice).setBeneficiary(helper.address));
  gas["setRecoveryOptions (first)"] = await gasOf(pool.connect(bob).setRecoveryOptions(helper.address, false));

  // Claims: without a payee, to a beneficiary (default), to a named payee.
  const bond = (await pool.rules()).claimBond;
  for (const m of [carol, alice, dave]) await fund(setup, m, bond);
  gas["submitClaim (no payee, for comparison)"] = await gasOf(
    pool.connect(carol).submitClaim(USDC(10), ethers.id("c"), ""),
  );
  gas["submitClaim (pays the beneficiary)"] = await gasOf(
    pool.connect(alice).submitClaim(USDC(10), ethers.id("a"), ""),
  );
  gas["submitClaimTo (named payee)"] = await gasOf(
    pool.connect(dave).submitClaimTo(USDC(10), ethers.id("d"), "", hospital.address),
  );

  // Recovery by the verifier's attestation (Alice) and by the recovery address (Bob).
  const a = await signRecovery(pool, verifier, alice.address, newAlice.address, commitmentOf(alice.address));
  gas["requestRecovery (verifier's attestation)"] = await gasOf(
    pool.connect(newAlice).requestRecovery(commitmentOf(alice.address), newAlice.address, a.deadline, a.signature),
  );
  gas["cancelRecovery"] = await gasOf(pool.connect(alice).cancelRecovery(alice.address));
  gas["requestRecovery (recovery address)"] = await gasOf(
    pool.connect(helper).requestRecovery(commitmentOf(bob.address), newBob.address, 0n, "0x"),
  );
  await approveTogether(pool, [1n, 2n, 3n]);
  await endPeriod(pool, await pool.currentPeriod());
  const before = await pool.nextPeriodToSettle();
  const settle = await (await pool.settle(before)).wait();
  gas["settle (3 claims, 2 to payees)"] = Number(settle!.gasUsed);
  await settleDue(pool);
  await time.increase(30 * DAY);
  gas["completeRecovery (active member, juror position, settings)"] = await gasOf(
    pool.completeRecovery(commitmentOf(bob.address)),
  );
  gas["withdrawPayout (by a payee)"] = await gasOf(pool.connect(hospital).withdrawPayout());

  Object.assign(gas, await juryGas());

  const file = path.join(__dirname, "recovery-gas.json");
  writeFileSync(file, JSON.stringify({ members: members.length, gas }, null, 2) + "\n");
  console.table(gas);
}

/**
 * Draws a claim's current round with a fixed seed (the mock randomness: the same seats whatever the
 * build, so that two builds' figures compare); returns the gas and the seated wallets.
 */
async function draw(pool: Awaited<ReturnType<typeof deployPool>>["pool"], randomness: MockJuryRandomness, id: bigint) {
  const round = (await pool.claim(id)).round;
  await randomness.deliver((id << 8n) | round, ethers.id(`bench seed ${id}:${round}`));
  const gas = await gasOf(pool.drawJury(id));
  return { gas, seated: [...(await pool.jury(id, (await pool.claim(id)).round))] };
}

/** A 7-member open pool; every member's recovery address requests a recovery 28 days before a claim. */
async function juryGas(): Promise<Record<string, number>> {
  const randomness = await ethers.deployContract("MockJuryRandomness");
  const setup = await deployPool({ randomness: await randomness.getAddress() });
  const { pool } = setup;
  const members = setup.members.slice(0, 7);
  const fresh = setup.members.slice(7, 14);
  const helper = setup.members[14];
  const gas: Record<string, number> = {};
  for (const m of members) await join(setup, m, USDC(100));
  await time.increase(91 * DAY);
  for (let i = 0; i < members.length; i++) {
    await pool.connect(members[i]).setRecoveryOptions(helper.address, false);
    await pool.connect(helper).requestRecovery(commitmentOf(members[i].address), fresh[i].address, 0n, "0x");
  }
  await time.increase(28 * DAY);
  const claimant = members[0];
  const id = await submitClaim(setup, claimant, USDC(10), "jury");
  const first = await draw(pool, randomness, id);
  gas["drawJury (3 seats)"] = first.gas;
  const byAddress = (a: string) => members.find((m) => m.address === a)!;
  const [j1, j2, j3] = first.seated.map(byAddress);
  const salts: string[] = [];
  gas["commitVote"] = await gasOf(
    (async () => {
      salts.push(await commitVote(pool, j1, id, true));
      const round = (await pool.claim(id)).round;
      const salt = ethers.id(`bench:${j2.address}`);
      salts.push(salt);
      return pool.connect(j2).commitDecision(id, await pool.voteCommitment(id, round, j2.address, true, salt));
    })(),
  );
  await time.increase(2 * DAY);
  // The third juror's membership moves to a new wallet in the commit window: its seat stays behind.
  await pool.completeRecovery(commitmentOf(j3.address));
  await time.increaseTo((await pool.round(id, 0n)).commitEndsAt);
  await pool.connect(j1).revealDecision(id, true, salts[0]);
  gas["revealVote"] = await gasOf(pool.connect(j2).revealDecision(id, true, salts[1]));
  await time.increaseTo((await pool.round(id, 0n)).revealEndsAt);
  gas["tally (3 seats, the unrevealed one's membership moved: penalty via the trail)"] = await gasOf(pool.tally(id));

  // A second claim, drawn with every other member still on its first wallet, one seat left unrevealed.
  const id2 = await submitClaim(
    setup,
    members.find((m) => m !== j3 && m !== claimant)!,
    USDC(10),
    "jury2",
  );
  const second = await draw(pool, randomness, id2);
  gas["drawJury (3 seats, again)"] = second.gas;
  const seated2 = second.seated.map((a) => members.find((m) => m.address === a) ?? fresh.find((f) => f.address === a)!);
  const s2: string[] = [];
  for (const j of seated2.slice(0, 2)) s2.push(await commitVote(pool, j, id2, true));
  await time.increaseTo((await pool.round(id2, 0n)).commitEndsAt);
  for (let k = 0; k < 2; k++) await pool.connect(seated2[k]).revealDecision(id2, true, s2[k]);
  await time.increaseTo((await pool.round(id2, 0n)).revealEndsAt);
  gas["tally (3 seats, 1 unrevealed)"] = await gasOf(pool.tally(id2));

  // Every membership moves: a draw then reads the trail of each candidate (the rare path at its widest).
  await time.increaseTo((await pool.claim(id2)).resolvesAt);
  await pool.resolve(id2);
  await endPeriod(pool, await pool.currentPeriod());
  await settleDue(pool);
  for (const m of members)
    if ((await pool.statusOf(m.address)) !== 0n) await pool.completeRecovery(commitmentOf(m.address));
  const id3 = await submitClaim(setup, fresh[2], USDC(10), "jury3");
  const third = await draw(pool, randomness, id3);
  gas["drawJury (3 seats, every member recovered)"] = third.gas;
  // A plain tally again, the carry already written in every build: the figure to compare across builds.
  const seated3 = third.seated.map((a) => fresh.find((f) => f.address === a)!);
  const s3: string[] = [];
  for (const j of seated3.slice(0, 2)) s3.push(await commitVote(pool, j, id3, true));
  await time.increaseTo((await pool.round(id3, 0n)).commitEndsAt);
  for (let k = 0; k < 2; k++) await pool.connect(seated3[k]).revealDecision(id3, true, s3[k]);
  await time.increaseTo((await pool.round(id3, 0n)).revealEndsAt);
  gas["tally (3 seats, 1 unrevealed, carry already owed)"] = await gasOf(pool.tally(id3));
  return gas;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
