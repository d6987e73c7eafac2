import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HuzhuPool, MockERC20, PoolFactory } from "../../typechain-types";
import type { IPoolConfig } from "../../typechain-types/contracts/HuzhuPool";

export const DAY = 24 * 60 * 60;
export const USDC = (amount: number | string): bigint => ethers.parseUnits(String(amount), 6);

export type Rules = IPoolConfig.RulesStruct;
export type Roles = IPoolConfig.RolesStruct;

/** Realistic rules for a 6-decimal stablecoin; `asset` is filled in by `deployPool`. */
export function defaultRules(asset: string, overrides: Partial<Rules> = {}): Rules {
  return {
    asset,
    waitingPeriod: 90 * DAY,
    periodLength: 14 * DAY,
    commitWindow: 3 * DAY,
    minDeposit: USDC(2),
    minBalance: USDC(1),
    maxClaimsPerPeriod: 5,
    feeBps: 800,
    maxClaimAmount: USDC(300_000),
    capPerMember: USDC("0.1"),
    revealWindow: 2 * DAY,
    quorum: 3,
    approvalThresholdBps: 6_000,
    claimBond: USDC(5),
    annualChargeCap: 0n,
    ...overrides,
  };
}

export const NO_ATTESTATION = { deadline: 0n, signature: "0x" };

/** A member's identity commitment: a salted hash; the identity never goes on chain. */
export function commitmentOf(label: string): string {
  return ethers.keccak256(ethers.toUtf8Bytes(`huzhu-identity:${label}`));
}

export interface PoolSetup {
  factory: PoolFactory;
  token: MockERC20;
  pool: HuzhuPool;
  operator: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  assessor: HardhatEthersSigner;
  keeper: HardhatEthersSigner;
  members: HardhatEthersSigner[];
}

/** Deploys a token, a factory and a pool with the given rule and role overrides. */
export async function deployPool(
  ruleOverrides: Partial<Rules> = {},
  roleOverrides: Partial<Roles> = {},
  decimals = 6,
): Promise<PoolSetup> {
  const signers = await ethers.getSigners();
  const [, operator, guardian, assessor, keeper, ...members] = signers;
  const token = await ethers.deployContract("MockERC20", ["Test USD", "TUSD", decimals]);
  const factory = await ethers.deployContract("PoolFactory");
  const rules = defaultRules(await token.getAddress(), ruleOverrides);
  const roles: Roles = {
    operator: operator.address,
    verifier: ethers.ZeroAddress,
    assessor: assessor.address,
    guardian: guardian.address,
    ...roleOverrides,
  };
  const pool = await createPool(factory, rules, roles);
  return { factory, token, pool, operator, guardian, assessor, keeper, members };
}

export async function createPool(factory: PoolFactory, rules: Rules, roles: Roles): Promise<HuzhuPool> {
  const tx = await factory.createPool(rules, roles);
  const receipt = await tx.wait();
  const created = receipt!.logs
    .map((log) => factory.interface.parseLog(log))
    .find((parsed) => parsed?.name === "PoolCreated");
  return ethers.getContractAt("HuzhuPool", created!.args.pool);
}

/** Mints `amount`, approves the pool and joins with it. */
export async function join(
  setup: Pick<PoolSetup, "token" | "pool">,
  member: HardhatEthersSigner,
  amount: bigint,
  label: string = member.address,
): Promise<void> {
  const poolAddress = await setup.pool.getAddress();
  await setup.token.mint(member.address, amount);
  await setup.token.connect(member).approve(poolAddress, amount);
  await setup.pool.connect(member).join(amount, commitmentOf(label), NO_ATTESTATION);
}

/** Mints and approves `amount` for the pool (a bond or a top-up). */
export async function fund(setup: Pick<PoolSetup, "token" | "pool">, account: HardhatEthersSigner, amount: bigint) {
  await setup.token.mint(account.address, amount);
  await setup.token.connect(account).approve(await setup.pool.getAddress(), amount);
}

export const saltOf = (label: string): string => ethers.keccak256(ethers.toUtf8Bytes(`salt:${label}`));

/** Commits a vote with a salt derived from the voter and claim; returns the salt. */
export async function commitVote(pool: HuzhuPool, voter: HardhatEthersSigner, claimId: bigint, support: boolean) {
  const salt = saltOf(`${voter.address}:${claimId}`);
  const commitment = await pool.voteCommitment(claimId, voter.address, support, salt);
  await pool.connect(voter).commitVote(claimId, commitment);
  return salt;
}

/** Runs a claim's whole vote: every voter commits, time passes, every voter reveals. */
export async function voteOn(pool: HuzhuPool, claimId: bigint, votes: Array<[HardhatEthersSigner, boolean]>) {
  const salts = [];
  for (const [voter, support] of votes) salts.push(await commitVote(pool, voter, claimId, support));
  const c = await pool.claim(claimId);
  await time.increaseTo(c.commitEndsAt);
  for (let i = 0; i < votes.length; i++) await pool.connect(votes[i][0]).revealVote(claimId, votes[i][1], salts[i]);
  await time.increaseTo(c.revealEndsAt);
}

/** Submits a claim from `claimant` (funding the bond) and returns its id. */
export async function submitClaim(
  setup: Pick<PoolSetup, "token" | "pool">,
  claimant: HardhatEthersSigner,
  amount: bigint,
  evidence = "evidence",
): Promise<bigint> {
  const rules = await setup.pool.rules();
  await fund(setup, claimant, rules.claimBond);
  await setup.pool
    .connect(claimant)
    .submitClaim(amount, ethers.keccak256(ethers.toUtf8Bytes(evidence)), "ipfs://encrypted");
  return setup.pool.claimCount();
}

/** Moves the clock past the end of `period`. */
export async function endPeriod(pool: HuzhuPool, period: bigint | number) {
  const end = await pool.periodEnd(period);
  if (BigInt(await time.latest()) < end) await time.increaseTo(end);
}
