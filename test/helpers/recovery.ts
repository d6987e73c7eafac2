/** The pools the recovery tests start from: four seasoned members, and the signers left over. */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { commitmentOf, deployPool, join, joinAttested, DAY, USDC } from "./fixtures";

/** The recovery delay: 30 days, a constant of the contracts. */
export const DELAY = 30n * BigInt(DAY);

/** The identity commitment a test member joined with. */
export const C = (a: { address: string }) => commitmentOf(a.address);

async function fourMembers(verified: boolean) {
  const verifier = (await ethers.getSigners())[19];
  const setup = await deployPool({}, verified ? { verifier: verifier.address } : {});
  const [alice, bob, carol, dave, ...others] = setup.members;
  for (const m of [alice, bob, carol, dave])
    if (verified) await joinAttested(setup, verifier, m, USDC(100));
    else await join(setup, m, USDC(100));
  await time.increase(91 * DAY);
  return { ...setup, verifier, alice, bob, carol, dave, others };
}

/** A pool with an identity verifier (signer 19): Alice, Bob, Carol and Dave joined with its attestation. */
export const verifiedPool = () => fourMembers(true);

/** A pool without a verifier: recovery only through a member's recovery address. */
export const openPool = () => fourMembers(false);
