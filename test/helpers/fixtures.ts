import { ethers } from "hardhat";
import { mine, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HuzhuPool, MockERC20, PoolFactory } from "../../typechain-types";
import type { IPoolConfig } from "../../typechain-types/contracts/HuzhuPool";

export const DAY = 24 * 60 * 60;
export const USDC = (amount: number | string): bigint => ethers.parseUnits(String(amount), 6);

export type Rules = IPoolConfig.RulesStruct;
export type Roles = IPoolConfig.RolesStruct;

/**
 * Realistic rules for a 6-decimal stablecoin; `asset` is filled in by `deployPool`. A claim's
 * timetable is 2 rounds x (3 + 2 + 2 days) = 14 days; the waiting period covers a period plus it.
 */
export function defaultRules(asset: string, overrides: Partial<Rules> = {}): Rules {
  return {
    asset,
    randomness: ethers.ZeroAddress,
    waitingPeriod: 90 * DAY,
    periodLength: 14 * DAY,
    commitWindow: 3 * DAY,
    revealWindow: 2 * DAY,
    appealWindow: 2 * DAY,
    lapseGrace: 14 * DAY,
    minDeposit: USDC(2),
    minBalance: USDC(1),
    maxClaimsPerPeriod: 5,
    feeBps: 800,
    jurySize: 3,
    maxAppealRounds: 1,
    quorumBps: 6_667,
    approvalThresholdBps: 6_000,
    maxClaimAmount: USDC(300_000),
    capPerMember: USDC("0.1"),
    claimBond: USDC(5),
    appealBond: USDC(10),
    jurorPenalty: USDC("0.5"),
    annualChargeCap: 0n,
    maxPayoutPerMember: 0n,
    ...overrides,
  };
}

/** The linked libraries a pool's code calls (Juries, Apportionment, Recovery), deployed once. */
export async function deployLibraries(): Promise<Record<string, string>> {
  const libraries: Record<string, string> = {};
  for (const name of ["Juries", "Apportionment", "Recovery"]) {
    const lib = await ethers.deployContract(name);
    libraries[name] = await lib.getAddress();
  }
  return libraries;
}

/** Deploys the libraries and a factory linked to them. */
export async function deployFactory(refusesOpenPools = false): Promise<PoolFactory> {
  const libraries = await deployLibraries();
  const factory = await ethers.deployContract("PoolFactory", [refusesOpenPools], { libraries });
  return factory as unknown as PoolFactory;
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
  const factory = await deployFactory();
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

/** Commits a vote in the claim's current round with a salt derived from the juror and claim; returns the salt. */
export async function commitVote(pool: HuzhuPool, juror: HardhatEthersSigner, claimId: bigint, support: boolean) {
  const round = (await pool.claim(claimId)).round;
  const salt = saltOf(`${juror.address}:${claimId}:${round}`);
  const commitment = await pool.voteCommitment(claimId, round, juror.address, support, salt);
  await pool.connect(juror).commitDecision(claimId, commitment);
  return salt;
}

/** Mines the round's seed block if needed and draws the current round's jury; returns the seated signers. */
export async function drawJury(pool: HuzhuPool, claimId: bigint): Promise<HardhatEthersSigner[]> {
  const c = await pool.claim(claimId);
  const r = await pool.round(claimId, c.round);
  const now = BigInt(await ethers.provider.getBlockNumber());
  if (now <= r.seedBlock) await mine(Number(r.seedBlock - now));
  await pool.drawJury(claimId);
  const seated = await pool.jury(claimId, c.round);
  const signers = await ethers.getSigners();
  return seated.map((a) => signers.find((s) => s.address === a)!);
}

/**
 * Runs the current round: every listed juror commits, time passes, every one reveals, time passes
 * to the reveal window's end, and the round is tallied.
 */
export async function voteOn(pool: HuzhuPool, claimId: bigint, votes: Array<[HardhatEthersSigner, boolean]>) {
  const salts = [];
  for (const [juror, support] of votes) salts.push(await commitVote(pool, juror, claimId, support));
  const c = await pool.claim(claimId);
  const r = await pool.round(claimId, c.round);
  await time.increaseTo(r.commitEndsAt);
  for (let i = 0; i < votes.length; i++) await pool.connect(votes[i][0]).revealDecision(claimId, votes[i][1], salts[i]);
  await time.increaseTo(r.revealEndsAt);
  await pool.tally(claimId);
}

/** Draws the jury and has every seated juror vote `support`; then moves to the end of the timetable. */
export async function decide(pool: HuzhuPool, claimId: bigint, support: boolean) {
  const jurors = await drawJury(pool, claimId);
  await voteOn(
    pool,
    claimId,
    jurors.map((j) => [j, support]),
  );
  const c = await pool.claim(claimId);
  await time.increaseTo(c.resolvesAt);
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

/** Settles every part of every period that has ended (one call per part, or per run of empty periods). */
export async function settleDue(pool: HuzhuPool) {
  for (;;) {
    const next = await pool.nextPeriodToSettle();
    if ((await pool.periodEnd(next)) > BigInt(await time.latest())) return;
    await pool.settle(next);
  }
}

/** The `PeriodSettled` figures of one settle transaction, one entry per part or period it settled. */
export async function settledParts(pool: HuzhuPool, tx: { wait(): Promise<unknown> }) {
  const receipt = (await tx.wait()) as { logs: Array<{ topics: ReadonlyArray<string>; data: string }> };
  return receipt.logs
    .map((log) => {
      try {
        return pool.interface.parseLog(log);
      } catch {
        return null;
      }
    })
    .filter((parsed) => parsed?.name === "PeriodSettled")
    .map((parsed) => parsed!.args.toObject() as Record<string, bigint | boolean>);
}

/** Flags a member below the minimum balance, waits out the grace and serves the lapse notice. */
export async function flagAndLapse(pool: HuzhuPool, account: string) {
  const m = await pool.member(account);
  if (m.lapsableAt === 0n) await pool.flag(account);
  await time.increaseTo((await pool.member(account)).lapsableAt);
  await pool.lapse(account);
}

/**
 * Approves several claims that are open together: draws every jury, has every seated juror commit
 * yes, reveals them all once the last claim's commit window is over, and resolves them in order.
 * `signers` maps addresses to signers for jurors outside `ethers.getSigners()`.
 */
export async function approveTogether(
  pool: HuzhuPool,
  ids: bigint[],
  signers: Map<string, HardhatEthersSigner> = new Map(),
) {
  for (const s of await ethers.getSigners()) if (!signers.has(s.address)) signers.set(s.address, s);
  const last = ids[ids.length - 1];
  const r = await pool.round(last, 0n);
  const now = BigInt(await ethers.provider.getBlockNumber());
  if (now <= r.seedBlock) await mine(Number(r.seedBlock - now));
  // Every draw first: a seed block stays readable for 256 blocks only.
  for (const id of ids) await pool.drawJury(id);
  const ballots: Array<[bigint, HardhatEthersSigner, string]> = [];
  for (const id of ids) {
    for (const juror of await pool.jury(id, 0n)) {
      const signer = signers.get(juror)!;
      ballots.push([id, signer, await commitVote(pool, signer, id, true)]);
    }
  }
  await time.increaseTo((await pool.round(last, 0n)).commitEndsAt);
  for (const [id, juror, salt] of ballots) await pool.connect(juror).revealDecision(id, true, salt);
  await time.increaseTo((await pool.claim(last)).resolvesAt);
  await pool.resolve(last);
}

/** The pool's EIP-712 domain, for attestations and recovery attestations. */
export async function poolDomain(pool: HuzhuPool) {
  const { chainId } = await ethers.provider.getNetwork();
  return { name: "Huzhu Pool", version: "1", chainId, verifyingContract: await pool.getAddress() };
}

export const ATTESTATION_TYPES = {
  Attestation: [
    { name: "member", type: "address" },
    { name: "commitment", type: "bytes32" },
    { name: "deadline", type: "uint256" },
  ],
};

export const RECOVERY_TYPES = {
  Recovery: [
    { name: "member", type: "address" },
    { name: "newWallet", type: "address" },
    { name: "commitment", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** Joins `member` (commitment `commitmentOf(label)`) with the verifier's attestation. */
export async function joinAttested(
  setup: Pick<PoolSetup, "token" | "pool">,
  verifier: HardhatEthersSigner,
  member: HardhatEthersSigner,
  amount: bigint,
  label: string = member.address,
): Promise<void> {
  const commitment = commitmentOf(label);
  const deadline = BigInt(await time.latest()) + BigInt(DAY);
  const signature = await verifier.signTypedData(await poolDomain(setup.pool), ATTESTATION_TYPES, {
    member: member.address,
    commitment,
    deadline,
  });
  await fund(setup, member, amount);
  await setup.pool.connect(member).join(amount, commitment, { deadline, signature });
}

/** The verifier's attestation that the person behind `commitment` (now `member`) holds `newWallet`. */
export async function signRecovery(
  pool: HuzhuPool,
  verifier: HardhatEthersSigner,
  member: string,
  newWallet: string,
  commitment: string,
  deadline?: bigint,
): Promise<{ deadline: bigint; signature: string }> {
  const until = deadline ?? BigInt(await time.latest()) + BigInt(DAY);
  const signature = await verifier.signTypedData(await poolDomain(pool), RECOVERY_TYPES, {
    member,
    newWallet,
    commitment,
    nonce: (await pool.recoveryOf(member)).nonce,
    deadline: until,
  });
  return { deadline: until, signature };
}
