import { ethers, network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { createPublicClient, createWalletClient, custom } from "viem";
import { createHuzhuClient, fromEthers, fromViem, parseAmount } from "../../sdk/src";
import type { Address, Connector, HuzhuClient, Rules } from "../../sdk/src";
import type { HuzhuPool } from "../../typechain-types";
import { DAY, createPool, decide, deployFactory, endPeriod, join, submitClaim } from "../helpers/fixtures";

/** The two client libraries every SDK action is run with. */
export const KINDS = ["ethers", "viem"] as const;
export type Kind = (typeof KINDS)[number];

export const USD = (amount: string): bigint => parseAmount(amount, 6);
export const ZERO_ADDRESS = ethers.ZeroAddress as Address;
export const ZERO_HASH = ethers.ZeroHash as `0x${string}`;
export const EVIDENCE = ethers.keccak256(ethers.toUtf8Bytes("evidence")) as `0x${string}`;

// Hardhat reports a reverted eth_call as a JSON-RPC internal error (-32603), which viem's transports
// retry three times with backoff (about a second). A revert is final: the public client that
// simulates does not retry. The wallet client is the plain EIP-1193 path a browser wallet takes.
const publicClient = createPublicClient({ transport: custom(network.provider, { retryCount: 0 }) });

/**
 * A connector for `signer`: an ethers signer, or a viem wallet client over the in-process network's
 * EIP-1193 provider (the path a browser wallet takes).
 */
export function connectorFor(kind: Kind, signer: HardhatEthersSigner): Connector {
  if (kind === "ethers") return fromEthers(signer);
  const walletClient = createWalletClient({ account: signer.address as Address, transport: custom(network.provider) });
  return fromViem({ publicClient, walletClient });
}

/** A read-only connector: an ethers provider, or a viem public client without a wallet. */
export function readOnlyConnectorFor(kind: Kind): Connector {
  return kind === "ethers" ? fromEthers(ethers.provider) : fromViem({ publicClient });
}

export function clientFor(
  kind: Kind,
  signer: HardhatEthersSigner,
  config: { pool?: Address; factory?: Address } = {},
): HuzhuClient {
  return createHuzhuClient({ connector: connectorFor(kind, signer), ...config });
}

/**
 * Readable rules for a 6-decimal token: a claim costs a member at most 10, five claims a period,
 * so the largest share is 5 x 10 x 1.1 + 1 unit and the minimum balance is 60. Juries of 3 (quorum
 * 2), one round left for an appeal or a fresh jury: rounds of 3 + 2 + 2 days, a claim is final 14
 * days after submission; members are seasoned 30 days after joining.
 */
export function rulesFor(asset: string): Rules {
  return {
    asset: asset as Address,
    randomness: ZERO_ADDRESS,
    waitingPeriod: 30 * DAY,
    periodLength: 14 * DAY,
    commitWindow: 3 * DAY,
    revealWindow: 2 * DAY,
    appealWindow: 2 * DAY,
    lapseGrace: 14 * DAY,
    minDeposit: USD("100"),
    minBalance: USD("60"),
    maxClaimsPerPeriod: 5,
    feeBps: 800,
    jurySize: 3,
    maxAppealRounds: 1,
    quorumBps: 6_000,
    approvalThresholdBps: 6_000,
    maxClaimAmount: USD("1000"),
    capPerMember: USD("10"),
    claimBond: USD("5"),
    appealBond: USD("10"),
    jurorPenalty: USD("1"),
    annualChargeCap: 0n,
    maxPayoutPerMember: 0n,
  };
}

/**
 * A token, a factory and a pool (an assessor and a guardian, no verifier); six members-to-be and a
 * stranger hold 1,000 each.
 */
export async function deployFixture() {
  const signers = await ethers.getSigners();
  const [deployer, operator, guardian, assessor, keeper, verifier] = signers;
  const members = signers.slice(6, 12);
  const stranger = signers[12];
  const token = await ethers.deployContract("MockERC20", ["Test USD", "TUSD", 6]);
  const factory = await deployFactory();
  const tokenAddress = (await token.getAddress()) as Address;
  const rules = rulesFor(tokenAddress);
  const pool: HuzhuPool = await createPool(factory, rules, {
    operator: operator.address,
    verifier: ZERO_ADDRESS,
    assessor: assessor.address,
    guardian: guardian.address,
  });
  for (const account of [...members, stranger]) await token.mint(account.address, USD("1000"));
  return {
    deployer,
    operator,
    guardian,
    assessor,
    keeper,
    verifier,
    members,
    stranger,
    token,
    tokenAddress,
    factory,
    factoryAddress: (await factory.getAddress()) as Address,
    pool,
    poolAddress: (await pool.getAddress()) as Address,
    rules,
  };
}

/**
 * Members 0 to 4 joined with 100 each (minted on top of their 1,000), 31 days ago: all Active and
 * seasoned (in the juror set). Member 5 and the stranger have not joined. Periods 0 and 1 have
 * ended (and are not settled).
 */
export async function membersFixture() {
  const f = await deployFixture();
  for (const m of f.members.slice(0, 5)) await join(f, m, USD("100"));
  await time.increase(31 * DAY);
  return f;
}

/** Member 0 claimed 50 (claim 1): round 0 is open, its jury not drawn yet. */
export async function claimFixture() {
  const f = await membersFixture();
  await submitClaim(f, f.members[0], USD("50"));
  const submittedAt = BigInt(await time.latest());
  return { ...f, claimId: 1n, submittedAt };
}

/** Claim 1's jury (3 of members 1 to 4) approved it; its timetable ended and it was resolved. */
export async function approvedFixture() {
  const f = await claimFixture();
  await decide(f.pool, 1n, true);
  await f.pool.resolve(1n);
  return f;
}

/**
 * Members 1 and 2 withdrew down to the minimum balance (60); every ended period was settled: claim
 * 1 paid 50 plus a fee of 4, a share of 10.8 each. Members 1 and 2 now hold 49.2, below the minimum
 * (less if they sat on the jury and did not reveal: everyone revealed here).
 */
export async function settledFixture() {
  const f = await approvedFixture();
  await f.pool.connect(f.members[1]).withdraw(USD("40"));
  await f.pool.connect(f.members[2]).withdraw(USD("40"));
  const period = await f.pool.currentPeriod();
  await endPeriod(f.pool, period);
  while ((await f.pool.nextPeriodToSettle()) <= period) await f.pool.settle(await f.pool.nextPeriodToSettle());
  return { ...f, settledPeriod: period };
}

/** A second pool of the same factory whose joins need the verifier's attestation. */
export async function verifierFixture() {
  const f = await deployFixture();
  const verified = await createPool(f.factory, f.rules, {
    operator: f.operator.address,
    verifier: f.verifier.address,
    assessor: ZERO_ADDRESS,
    guardian: ZERO_ADDRESS,
  });
  return { ...f, verified, verifiedAddress: (await verified.getAddress()) as Address };
}

/** Transactions `account` has sent so far. */
export async function sentBy(account: { address: string }): Promise<number> {
  return ethers.provider.getTransactionCount(account.address);
}
