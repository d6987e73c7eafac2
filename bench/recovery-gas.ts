/**
 * Gas of the functions issue 15 added (beneficiaries, claim payees, withdrawals to another address,
 * recovery of a lost wallet), next to the calls they sit beside, in a 10-member pool with the
 * fixtures' rules. Writes bench/recovery-gas.json. `npx hardhat run bench/recovery-gas.ts`
 *
 * Gas is read from each transaction's receipt. The first call of a kind by an account writes slots
 * from zero (the worst case); a second call of the same kind is shown where it differs.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import {
  approveTogether,
  commitmentOf,
  deployPool,
  endPeriod,
  fund,
  joinAttested,
  settleDue,
  signRecovery,
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
      return pool.connect(erin).topUp(USDC(1));
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

  const file = path.join(__dirname, "recovery-gas.json");
  writeFileSync(file, JSON.stringify({ members: members.length, gas }, null, 2) + "\n");
  console.table(gas);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
