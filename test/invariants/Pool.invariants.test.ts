import { expect } from "chai";
import fc from "fast-check";
import hre, { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionReceipt, ContractTransactionResponse } from "ethers";
import type { HuzhuPool, MockERC20 } from "../../typechain-types";
import {
  DAY,
  USDC,
  ATTESTATION_TYPES,
  RECOVERY_TYPES,
  commitmentOf,
  deployPool,
  poolDomain,
} from "../helpers/fixtures";
import {
  ClaimState,
  JurorVote,
  MemberStatus,
  PoolModel,
  Verdict,
  voteCommitment,
  type ClaimRecord,
  type ModelRules,
  type Outcome,
  type RecoveryAttestation,
} from "./model";

/*
 * Stateful property test: fast-check drives random sequences of member, claim, jury, keeper,
 * operator and guardian calls (with beneficiaries, claim payees, withdrawals to another actor, and
 * recoveries of a membership to a new wallet through the member's recovery address or with the
 * identity verifier's attestation: fresh, forged, replayed or missing, to any wallet, cancelled by the
 * member or not) against one v2 pool with a verifier on the Hardhat network, predicts every outcome
 * with the plain model of ./model.ts (a predicted revert is asserted with its custom error and
 * arguments; a jury draw is predicted seat by seat), and checks the invariants 1-8 of DESIGN.md
 * after every step, against the chain state and the event log.
 *
 * CI runs a fixed seed; HUZHU_INVARIANT_RUNS, HUZHU_INVARIANT_COMMANDS and HUZHU_INVARIANT_SEED
 * make a longer or different run.
 */

const UNDER_COVERAGE =
  (hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING === true;
const RUNS = Number(process.env.HUZHU_INVARIANT_RUNS ?? (UNDER_COVERAGE ? 2 : 8));
const MAX_COMMANDS = Number(process.env.HUZHU_INVARIANT_COMMANDS ?? 500);
const SEED = Number(process.env.HUZHU_INVARIANT_SEED ?? 42);

const HOUR = 60 * 60;
const WEEK = 7 * DAY;
const GAS_LIMIT_2_24 = 1n << 24n;

// Short windows: a claim's timetable is 2 rounds x 3 days = 6 days, within one week-long period, so
// that claims are decided, appealed, resolved and paid within a run. A cap per member large next to
// the minimum balance makes members fall below it (and below zero) after a claim or two; two claims
// a period make maxClaimsPerPeriod bind. Solvency: minBalance >= 2 x 5 x 1.1 + 1 unit = 11.000001.
const RULES = {
  waitingPeriod: 13 * DAY, // periodLength + timetable, the minimum
  periodLength: WEEK,
  commitWindow: DAY,
  revealWindow: DAY,
  appealWindow: DAY,
  lapseGrace: WEEK,
  minDeposit: USDC(15),
  minBalance: USDC(12),
  maxClaimsPerPeriod: 2,
  feeBps: 500,
  jurySize: 3,
  maxAppealRounds: 1,
  quorumBps: 6_000, // 2 of 3 seats, 5 of 7
  approvalThresholdBps: 6_000,
  maxClaimAmount: USDC(60),
  capPerMember: USDC(5),
  claimBond: USDC(2),
  appealBond: USDC(3),
  jurorPenalty: USDC(1),
  annualChargeCap: 0n,
  maxPayoutPerMember: USDC(80),
};

const MODEL_RULES: ModelRules = {
  waitingPeriod: BigInt(RULES.waitingPeriod),
  periodLength: BigInt(RULES.periodLength),
  commitWindow: BigInt(RULES.commitWindow),
  revealWindow: BigInt(RULES.revealWindow),
  appealWindow: BigInt(RULES.appealWindow),
  lapseGrace: BigInt(RULES.lapseGrace),
  minDeposit: RULES.minDeposit,
  minBalance: RULES.minBalance,
  maxClaimsPerPeriod: BigInt(RULES.maxClaimsPerPeriod),
  feeBps: BigInt(RULES.feeBps),
  jurySize: BigInt(RULES.jurySize),
  maxAppealRounds: BigInt(RULES.maxAppealRounds),
  quorumBps: BigInt(RULES.quorumBps),
  approvalThresholdBps: BigInt(RULES.approvalThresholdBps),
  maxClaimAmount: RULES.maxClaimAmount,
  capPerMember: RULES.capPerMember,
  claimBond: RULES.claimBond,
  appealBond: RULES.appealBond,
  jurorPenalty: RULES.jurorPenalty,
  maxPayoutPerMember: RULES.maxPayoutPerMember,
};

const NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "lazy"];
// The first eight join in the fixture and are active when a run starts; the others may join in it.
const FIXTURE_DEPOSITS = [USDC(30), USDC(25), USDC(20), USDC(15), USDC(30), USDC(25), USDC(20), USDC(15)];
// Patient clock moves never wait for this juror to reveal: juries always have a chance to lose one.
const LAZY = NAMES.indexOf("lazy");

interface Actor {
  name: string;
  signer: HardhatEthersSigner;
}

/** The verifier's attestation that `commitment` is a real person joining from `member`. */
async function joinAttestation(pool: HuzhuPool, verifier: HardhatEthersSigner, member: string, commitment: string) {
  const deadline = BigInt(await time.latest()) + BigInt(DAY);
  const signature = await verifier.signTypedData(await poolDomain(pool), ATTESTATION_TYPES, {
    member,
    commitment,
    deadline,
  });
  return { deadline, signature };
}

async function deployInvariantPool() {
  // The identity verifier: a signer no actor uses (actors are signers 5 to 16).
  const verifier = (await ethers.getSigners())[19];
  const setup = await deployPool(RULES, { verifier: verifier.address });
  const { pool, token, keeper, operator, guardian, assessor } = setup;
  const poolAddress = await pool.getAddress();
  const actors: Actor[] = NAMES.map((name, i) => ({ name, signer: setup.members[i] }));
  for (const { signer } of actors) {
    await token.mint(signer.address, USDC(1_000_000));
    await token.connect(signer).approve(poolAddress, ethers.MaxUint256);
  }
  for (let i = 0; i < FIXTURE_DEPOSITS.length; i++) {
    const { address } = actors[i].signer;
    const attestation = await joinAttestation(pool, verifier, address, commitmentOf(NAMES[i]));
    await pool.connect(actors[i].signer).join(FIXTURE_DEPOSITS[i], commitmentOf(NAMES[i]), attestation);
  }
  await time.increase(RULES.waitingPeriod + DAY);
  return { pool, token, poolAddress, actors, keeper, operator, guardian, assessor, verifier };
}

// ------------------------------------------------------------------ the audit of the event log

/** Rebuilds what invariants 2 to 5 and 7 need from the pool's events, one block range per step. */
class EventAudit {
  private lastBlock = -1;
  private count = 0n;
  private readonly eligibleAt = new Map<string, bigint>();
  private readonly juryEligible = new Set<string>(); // counted and not leaving, by the events
  private readonly bounds = new Map<string, { bound: bigint; lapsing: boolean }>();
  private readonly claimants = new Map<bigint, string>();
  private readonly submittedAt = new Map<bigint, bigint>();
  private readonly outcomes = new Map<bigint, bigint>();
  private readonly paid = new Set<bigint>();
  private readonly seated = new Map<string, bigint>(); // claim:juror => round
  private readonly revealed = new Set<string>();
  /** Claims paid to a payee other than the claimant (ClaimPayeeNamed). */
  readonly payees = new Map<bigint, string>();
  readonly settled: Array<[bigint, bigint]> = [];
  readonly settleGas: bigint[] = [];
  penalized = 0;
  appeals = 0;
  seats = 0;
  returns = 0;
  lapses = 0;
  recoveries = 0;

  constructor(private readonly w: World) {}

  get memberCount(): bigint {
    return this.count;
  }

  paidClaims(): bigint[] {
    return [...this.paid];
  }

  /** Reads the pool's logs since the last call and checks each against the invariants. */
  async sync(model: PoolModel): Promise<void> {
    const latest = await ethers.provider.getBlockNumber();
    if (latest <= this.lastBlock) return;
    const logs = await ethers.provider.getLogs({
      address: this.w.poolAddress,
      fromBlock: this.lastBlock + 1,
      toBlock: latest,
    });
    this.lastBlock = latest;
    for (const log of logs) {
      const event = this.w.pool.interface.parseLog(log);
      if (event !== null) this.check(event.name, event.args, model);
    }
  }

  /** Whether claim `id` is final and paid (or final without payment), by the events. */
  private final(id: bigint): boolean {
    const outcome = this.outcomes.get(id);
    if (outcome === undefined) return false;
    return outcome !== BigInt(ClaimState.Approved) || this.paid.has(id);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private check(name: string, a: any, model: PoolModel): void {
    switch (name) {
      case "MemberJoined": {
        this.count += 1n;
        expect(a.memberCount, "memberCount in MemberJoined").to.equal(this.count);
        if (this.eligibleAt.has(a.member)) this.returns += 1;
        this.eligibleAt.set(a.member, a.eligibleAt);
        this.juryEligible.add(a.member);
        break;
      }
      case "MemberExitRequested":
      case "MemberLapsing": {
        expect(this.juryEligible.has(a.member), `${name} of a member not in the jury set`).to.equal(true);
        this.juryEligible.delete(a.member);
        this.bounds.set(a.member, { bound: a.claimBound, lapsing: name === "MemberLapsing" });
        if (name === "MemberLapsing") this.lapses += 1;
        break;
      }
      case "MemberLeft": {
        // Invariant 7: only after a notice, and only once every claim submitted before it is final and paid.
        const notice = this.bounds.get(a.member);
        expect(notice, `${a.member} left without a notice`).to.not.equal(undefined);
        expect(a.status, `status ${a.member} left with`).to.equal(
          BigInt(notice!.lapsing ? MemberStatus.Lapsed : MemberStatus.Exited),
        );
        for (let id = 1n; id < notice!.bound; id++) {
          expect(this.final(id), `${a.member} left before claim ${id} was final and paid`).to.equal(true);
        }
        this.bounds.delete(a.member);
        this.count -= 1n;
        expect(a.memberCount, "memberCount in MemberLeft").to.equal(this.count);
        break;
      }
      case "RecoveryCompleted": {
        // The membership moves whole: seasoning, place among jury-eligible members, exit notice.
        for (const map of [this.eligibleAt, this.bounds] as Array<Map<string, unknown>>) {
          if (map.has(a.member)) {
            map.set(a.newWallet, map.get(a.member));
            map.delete(a.member);
          }
        }
        if (this.juryEligible.delete(a.member)) this.juryEligible.add(a.newWallet);
        this.recoveries += 1;
        break;
      }
      case "ClaimPayeeNamed": {
        expect(a.payee, `claim ${a.claimId} names its claimant as payee`).to.not.equal(this.claimants.get(a.claimId));
        this.payees.set(a.claimId, a.payee);
        break;
      }
      case "ClaimSubmitted": {
        expect(this.claimants.has(a.claimId), `claim ${a.claimId} submitted twice`).to.equal(false);
        this.claimants.set(a.claimId, a.claimant);
        this.submittedAt.set(a.claimId, a.resolvesAt - model.timetable);
        break;
      }
      case "JurorSeated": {
        // Invariant 5: drawn only from members seasoned before the claim, counted and not leaving; never the claimant; once a claim.
        const key = `${a.claimId}:${a.juror}`;
        expect(this.seated.has(key), `${a.juror} seated twice on claim ${a.claimId}`).to.equal(false);
        this.seated.set(key, a.round);
        expect(a.juror, `claimant seated on claim ${a.claimId}`).to.not.equal(this.claimants.get(a.claimId));
        expect(this.juryEligible.has(a.juror), `${a.juror} seated while not counted or leaving`).to.equal(true);
        expect(this.eligibleAt.get(a.juror)! < this.submittedAt.get(a.claimId)!, "latecomer seated").to.equal(true);
        this.seats += 1;
        break;
      }
      case "VoteCommitted": {
        expect(this.seated.get(`${a.claimId}:${a.juror}`), `${a.juror} committed unseated`).to.equal(a.round);
        break;
      }
      case "VoteRevealed": {
        // Invariant 5: one vote per juror, claim and round, only from a juror seated in that round.
        const key = `${a.claimId}:${a.round}:${a.juror}`;
        expect(this.revealed.has(key), `${a.juror} revealed twice on claim ${a.claimId}`).to.equal(false);
        this.revealed.add(key);
        expect(this.seated.get(`${a.claimId}:${a.juror}`), `${a.juror} voted unseated`).to.equal(a.round);
        break;
      }
      case "JurorPenalized": {
        expect(this.seated.get(`${a.claimId}:${a.juror}`), `${a.juror} penalized unseated`).to.equal(a.round);
        expect(this.revealed.has(`${a.claimId}:${a.round}:${a.juror}`), "a revealing juror penalized").to.equal(false);
        expect(a.amount <= MODEL_RULES.jurorPenalty, "penalty above the rules").to.equal(true);
        this.penalized += 1;
        break;
      }
      case "RoundTallied": {
        if (process.env.HUZHU_INVARIANT_TRACE !== undefined) {
          console.log(
            `        tallied ${a.claimId}/${a.round}: ${a.approvals}-${a.rejections} q${a.quorum} v${a.verdict}`,
          );
        }
        break;
      }
      case "AppealFiled": {
        this.appeals += 1;
        break;
      }
      case "ClaimResolved": {
        expect(this.outcomes.has(a.claimId), `claim ${a.claimId} resolved twice`).to.equal(false);
        expect(a.claimant).to.equal(this.claimants.get(a.claimId));
        this.outcomes.set(a.claimId, a.outcome);
        break;
      }
      case "ClaimPaid": {
        // Invariant 4: paid once, only if approved, only to its payee (the claimant unless the claim named one).
        expect(this.paid.has(a.claimId), `claim ${a.claimId} paid twice`).to.equal(false);
        this.paid.add(a.claimId);
        expect(this.outcomes.get(a.claimId), `claim ${a.claimId} paid without approval`).to.equal(
          BigInt(ClaimState.Approved),
        );
        expect(a.claimant, `claim ${a.claimId} paid to another account`).to.equal(this.claimants.get(a.claimId));
        expect(a.paid <= a.requested, `claim ${a.claimId} paid more than requested`).to.equal(true);
        const predicted = model.settlements
          .filter((s) => s.period === a.period)
          .flatMap((s) => s.paid)
          .find((p) => p.claimId === a.claimId);
        expect(predicted, `claim ${a.claimId} paid in period ${a.period} against the model`).to.not.equal(undefined);
        expect([a.claimant, a.requested, a.paid]).to.deep.equal([
          predicted!.claimant,
          predicted!.requested,
          predicted!.paid,
        ]);
        expect(this.payees.get(a.claimId) ?? a.claimant, `payee of claim ${a.claimId}`).to.equal(predicted!.payee);
        break;
      }
      case "PeriodSettled": {
        // Invariant 2, on the event, and against the model's figures.
        checkSettlementIdentity(a, `event of period ${a.period} part ${a.part}`);
        const m = model.settlementOf(a.period, a.part);
        expect(m, `period ${a.period} part ${a.part} settled against the model`).to.not.equal(undefined);
        for (const key of SETTLEMENT_FIGURES) expect(a[key], `${key} of period ${a.period}`).to.equal(m![key]);
        expect(a.closed, `closed of period ${a.period}`).to.equal(m!.closed);
        this.settled.push([a.period, a.part]);
        break;
      }
      default:
        break;
    }
  }
}

const SETTLEMENT_FIGURES = [
  "members",
  "claimsPaid",
  "payouts",
  "fee",
  "cut",
  "surplusIn",
  "deficitIn",
  "share",
  "surplusOut",
  "deficitOut",
  "chargeIndex",
] as const;

interface SettlementLike {
  members: bigint;
  payouts: bigint;
  fee: bigint;
  surplusIn: bigint;
  deficitIn: bigint;
  share: bigint;
  surplusOut: bigint;
  deficitOut: bigint;
}

function checkSettlementIdentity(s: SettlementLike, what: string): void {
  expect(s.share * s.members, `share x N of the ${what}`).to.equal(
    s.payouts + s.fee + s.deficitIn - s.surplusIn + s.surplusOut - s.deficitOut,
  );
}

// ------------------------------------------------------------------ the world and its checks

interface World {
  pool: HuzhuPool;
  token: MockERC20;
  poolAddress: string;
  actors: Actor[];
  keeper: HardhatEthersSigner;
  operator: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  verifier: HardhatEthersSigner;
  /** The last verifier attestation that started a recovery, by commitment: replayed by hostile callers. */
  usedAttestations: Map<string, { attestation: RecoveryAttestation; signature: string }>;
  audit: EventAudit;
  /** Every actor's balance after the last step (invariant 6). */
  balances: bigint[];
  /** Claims whose final record was checked once: it cannot change but to Paid. */
  checkedFinal: Set<bigint>;
}

/** Checks every invariant of the state after a step; returns every actor's balance. */
async function checkInvariants(model: PoolModel, w: World): Promise<bigint[]> {
  const { pool } = w;
  model.now = BigInt(await time.latest());
  await w.audit.sync(model);

  const accounts = w.actors.map((a) => a.signer.address);
  const live = model.claims.filter((c) => !w.checkedFinal.has(c.id));
  const [
    tokens,
    fees,
    carry,
    count,
    jurorCount,
    index,
    nextPeriod,
    nextPart,
    claimCount,
    nextToResolve,
    queue,
    paused,
    rules,
    pending,
    views,
    payouts,
    claims,
    rounds,
    jurorSet,
    paidThisYear,
    payees,
    recoveries,
  ] = await Promise.all([
    w.token.balanceOf(w.poolAddress),
    pool.feesAccrued(),
    pool.carry(),
    pool.memberCount(),
    pool.jurorCount(),
    pool.chargeIndex(),
    pool.nextPeriodToSettle(),
    pool.nextPart(),
    pool.claimCount(),
    pool.nextClaimToResolve(),
    pool.paymentQueue(),
    pool.paused(),
    pool.rules(),
    pool.pendingChange(),
    Promise.all(accounts.map((a) => pool.member(a))),
    Promise.all(accounts.map((a) => pool.payoutOf(a))),
    Promise.all(live.map((c) => pool.claim(c.id))),
    Promise.all(live.map((c) => pool.round(c.id, c.round))),
    Promise.all(model.jurorSet.map((_, i) => pool.jurorAt(i))),
    Promise.all(accounts.map((a) => pool.paidThisYear(a))),
    Promise.all(live.map((c) => pool.payeeOf(c.id))),
    Promise.all(accounts.map((a) => pool.recoveryOf(a))),
  ]);

  // Invariant 1: the escrow holds exactly what it owes, to the base unit.
  const sumBalances = views.reduce((sum, v) => sum + v.balance, 0n);
  const sumPayouts = payouts.reduce((sum, p) => sum + p, 0n);
  const claimBonds = claims.filter((c) => c.state < BigInt(ClaimState.Approved)).reduce((sum, c) => sum + c.bond, 0n);
  const appealBonds = BigInt(claims.filter((c) => c.appellant !== ethers.ZeroAddress).length) * RULES.appealBond;
  expect(
    tokens,
    "escrow balance == balances + payouts + fees + claim bonds + appeal bonds + surplus - deficit",
  ).to.equal(sumBalances + sumPayouts + fees + claimBonds + appealBonds + carry.surplus - carry.deficit);
  expect(tokens, "escrow balance against the model's inflows and outflows").to.equal(model.tokens);
  expect(claimBonds, "pending claim bonds").to.equal(model.pendingClaimBonds());
  expect(appealBonds, "pending appeal bonds").to.equal(model.pendingAppealBonds());

  // Invariant 3: the member count, on chain, from the events and in the model.
  expect(count, "memberCount() against the events").to.equal(w.audit.memberCount);
  expect(count, "memberCount() against the model").to.equal(model.memberCount);
  expect(jurorCount, "jurorCount()").to.equal(BigInt(model.jurorSet.length));
  expect(await pool.jurorHoles(), "jurorHoles()").to.equal(BigInt(model.jurorHoles.length));
  expect(jurorSet, "juror set, position by position").to.deep.equal(model.jurorSet);

  // Invariant 6 (with the step's own check of who may reduce a balance): every balance as the model has it.
  for (let i = 0; i < accounts.length; i++) {
    const who = `${w.actors[i].name} (${accounts[i]})`;
    const m = model.record(accounts[i]);
    expect(views[i].balance, `balance of ${who}`).to.equal(model.balanceOf(accounts[i]));
    expect(views[i].credit, `credit of ${who}`).to.equal(m.credit);
    expect(views[i].charged, `charged of ${who}`).to.equal(model.chargedOf(accounts[i]));
    expect(views[i].status, `status of ${who}`).to.equal(BigInt(model.statusAt(accounts[i], model.now)));
    expect(views[i].eligibleAt, `eligibleAt of ${who}`).to.equal(m.eligibleAt);
    expect(views[i].exitClaimBound, `exit bound of ${who}`).to.equal(m.exitBound);
    expect(views[i].lapsableAt, `lapsableAt of ${who}`).to.equal(m.lapsableAt);
    expect(payouts[i], `payout of ${who}`).to.equal(model.payoutOf(accounts[i]));
    // Beneficiary, recovery settings and pending recovery.
    const o = model.options.get(accounts[i]);
    const p = model.pendingRecoveries.get(accounts[i]);
    expect(
      [
        recoveries[i].beneficiary,
        recoveries[i].recoveryAddress,
        recoveries[i].verifierRecoveryOff,
        recoveries[i].nonce,
      ],
      `recovery settings of ${who}`,
    ).to.deep.equal([
      o?.beneficiary ?? ethers.ZeroAddress,
      o?.recoveryAddress ?? ethers.ZeroAddress,
      o?.verifierRecoveryOff ?? false,
      o?.nonce ?? 0n,
    ]);
    expect(
      [recoveries[i].newWallet, recoveries[i].readyAt, recoveries[i].byVerifier],
      `pending recovery of ${who}`,
    ).to.deep.equal([p?.newWallet ?? ethers.ZeroAddress, p?.readyAt ?? 0n, p?.byVerifier ?? false]);
  }
  for (const [commitment, owner] of model.commitmentOwners) {
    expect(await pool.commitmentOwner(commitment), `owner of commitment ${commitment}`).to.equal(owner);
  }

  // The rest of the pool-wide state.
  expect(fees, "feesAccrued").to.equal(model.fees);
  expect([carry.surplus, carry.deficit], "carry (surplus, deficit)").to.deep.equal([model.surplus, model.deficit]);
  expect(carry.surplus === 0n || carry.deficit === 0n, "surplus and deficit both carried").to.equal(true);
  expect(index, "chargeIndex").to.equal(model.chargeIndex);
  expect([nextPeriod, nextPart], "nextPeriodToSettle, nextPart").to.deep.equal([model.nextPeriod, model.part]);
  expect(claimCount, "claimCount").to.equal(model.claimCount);
  expect(nextToResolve, "nextClaimToResolve").to.equal(model.resolvedCount + 1n);
  expect([queue[0], queue[1]], "paymentQueue (length, head)").to.deep.equal([model.queueLength(), model.queueFront()]);
  expect(paused, "paused").to.equal(model.paused);
  expect(rules.feeBps, "feeBps").to.equal(model.feeBps);
  expect(pending.eta, "pending change eta").to.equal(model.pending?.eta ?? 0n);
  if (model.pending !== null) expect(pending.feeBps, "pending fee").to.equal(model.pending.feeBps);

  for (let i = 0; i < live.length; i++) {
    const c = live[i];
    const on = claims[i];
    const r = rounds[i];
    const mr = c.rounds[Number(c.round)];
    const what = `claim ${c.id}`;
    expect(on.claimant, `claimant of ${what}`).to.equal(c.claimant);
    expect(on.state, `state of ${what}`).to.equal(BigInt(model.claimState(c.id, model.now)));
    expect([on.amount, on.bond, on.feeBps, on.submittedAt, on.evidenceDigest], `record of ${what}`).to.deep.equal([
      c.amount,
      c.bond,
      c.feeBps,
      c.submittedAt,
      c.evidence,
    ]);
    expect([on.round, on.verdict, on.resolvesAt], `round, verdict, resolvesAt of ${what}`).to.deep.equal([
      c.round,
      BigInt(c.verdict),
      model.resolvesAt(c),
    ]);
    expect(on.appellant, `appellant of ${what}`).to.equal(c.appellant ?? ethers.ZeroAddress);
    expect(payees[i], `payee of ${what}`).to.equal(c.payee);
    expect(
      [r.seatsTarget, r.seats, r.approvals, r.rejections, r.drawn, r.tallied, r.setSize],
      `round ${c.round} of ${what}`,
    ).to.deep.equal([
      mr.target,
      BigInt(mr.seats.length),
      mr.approvals,
      mr.rejections,
      mr.drawn,
      mr.tallied,
      mr.setSize,
    ]);
    if (!mr.drawn) expect(r.seedBlock, `seed block of ${what}`).to.equal(mr.seedBlock);
    if (c.status !== ClaimState.Drawing && c.status !== ClaimState.Approved) w.checkedFinal.add(c.id);
  }
  for (const [i, a] of accounts.entries()) {
    expect(paidThisYear[i], `paidThisYear of ${w.actors[i].name}`).to.equal(model.paidThisYear(a, model.now));
  }
  return views.map((v) => v.balance);
}

// ------------------------------------------------------------------ sending and asserting

/** Outcomes seen, by call and error: printed with HUZHU_INVARIANT_STATS to tune the weights. */
const STATS = new Map<string, number>();

/** Pins the next block's timestamp, so that the model knows the exact time of the call. */
async function pinNextTimestamp(): Promise<bigint> {
  const t = BigInt(await time.latest()) + 1n;
  await time.setNextBlockTimestamp(t);
  return t;
}

/** Sends the call and checks it does what the model predicted: success, or this exact revert. */
async function expectOutcome(
  w: World,
  outcome: Outcome,
  send: () => Promise<ContractTransactionResponse>,
  what: string,
): Promise<ContractTransactionReceipt | null> {
  const key = `${what
    .split(" (")[0]
    .replace(/#\d+|[\d.]+ USDC|\d+ bps|\d+%/g, "")
    .trim()}: ${outcome?.error ?? "ok"}`;
  STATS.set(key, (STATS.get(key) ?? 0) + 1);
  if (outcome === null) {
    const receipt = await (await send()).wait();
    expect(receipt?.status, `${what} succeeds`).to.equal(1);
    return receipt;
  }
  const args = outcome.args.map((arg) => (typeof arg === "number" ? BigInt(arg) : arg));
  const assertion = expect(send(), `${what} reverts with ${outcome.error}`).to.be.revertedWithCustomError(
    w.pool,
    outcome.error,
  );
  await (args.length === 0 ? assertion : assertion.withArgs(...args));
  return null;
}

const fmt = (amount: bigint): string => `${ethers.formatUnits(amount, 6)} USDC`;
const fmtDuration = (seconds: number): string => {
  const parts: string[] = [];
  if (seconds >= DAY) parts.push(`${Math.floor(seconds / DAY)}d`);
  if (seconds % DAY >= HOUR) parts.push(`${Math.floor((seconds % DAY) / HOUR)}h`);
  return parts.join(" ") || `${seconds}s`;
};
const salt = (label: string): string => ethers.keccak256(ethers.toUtf8Bytes(`invariant-salt:${label}`));

// ------------------------------------------------------------------ commands

/**
 * Who makes a call: a named actor (often refused: a non-member, a latecomer, the claimant...), or
 * the k-th of the accounts the model says can make it now, so that claims get decided, paid and
 * charged within a run. A command of the second kind runs only when there is such an account.
 */
interface Who {
  actor: number;
  fromEligible: boolean;
}

/** Every actor's address, the same in every run (Hardhat's accounts); set by the first run. */
let ACCOUNTS: string[] = [];

abstract class PoolCommand implements fc.AsyncCommand<PoolModel, World> {
  check(_model: Readonly<PoolModel>): boolean {
    return true;
  }

  /** Invariant 6: whose balance this step may lower (settlement, juror penalties, the member's own withdrawal). */
  protected mayLower(_account: string): boolean {
    return false;
  }

  async run(model: PoolModel, w: World): Promise<void> {
    const key = `[ran] ${this.constructor.name}`;
    STATS.set(key, (STATS.get(key) ?? 0) + 1);
    await this.act(model, w);
    if (process.env.HUZHU_INVARIANT_TRACE !== undefined) {
      const days = Number(model.now - model.startedAt) / DAY;
      const states = model.claims.map((c) => ClaimState[model.claimState(c.id, model.now + 1n)]).join(",");
      console.log(`        [${days.toFixed(2)}d] ${this} | ${states}`);
    }
    const after = await checkInvariants(model, w);
    for (let i = 0; i < after.length; i++) {
      if (after[i] < w.balances[i]) {
        expect(this.mayLower(ACCOUNTS[i]), `${this} lowered the balance of ${w.actors[i].name}`).to.equal(true);
      }
    }
    w.balances = after;
  }

  /** Pins the time of the next call; it is the time `check` saw, one second after the latest block. */
  protected async nextCallTime(model: PoolModel): Promise<bigint> {
    const t = await pinNextTimestamp();
    expect(t, "time of the call").to.equal(model.now + 1n);
    return t;
  }

  protected async nextBlock(): Promise<bigint> {
    return BigInt(await ethers.provider.getBlockNumber()) + 1n;
  }

  protected abstract act(model: PoolModel, w: World): Promise<void>;
  abstract toString(): string;
}

abstract class ChosenActorCommand extends PoolCommand {
  constructor(readonly who: Who) {
    super();
  }

  /** The accounts that can make this call at `t`, by the model. */
  protected abstract able(model: Readonly<PoolModel>, t: bigint): string[];
  protected abstract readonly role: string;

  check(model: Readonly<PoolModel>): boolean {
    return !this.who.fromEligible || this.able(model, model.now + 1n).length > 0;
  }

  protected actorAt(model: PoolModel, w: World, t: bigint): Actor {
    const able = this.able(model, t);
    if (!this.who.fromEligible || able.length === 0) return w.actors[this.who.actor];
    return w.actors[ACCOUNTS.indexOf(able[this.who.actor % able.length])];
  }

  protected get whoName(): string {
    return this.who.fromEligible ? `${this.role} #${this.who.actor}` : NAMES[this.who.actor];
  }
}

/** Picks a claim among `candidates`, or falls back on the newest claim (id 1 when none) to see it refused. */
function pickClaim(model: Readonly<PoolModel>, candidates: bigint[], pick: number): bigint {
  if (candidates.length > 0) return candidates[pick % candidates.length];
  return model.claimCount === 0n ? 1n : model.claimCount;
}

/**
 * A claim-targeting command: `pick` among the claims in `state` where someone can act (else among
 * all in `state`), else a refused call on the newest claim.
 */
abstract class ClaimCommand extends ChosenActorCommand {
  protected abstract readonly state: ClaimState;
  constructor(
    who: Who,
    readonly pick: number,
  ) {
    super(who);
  }
  /** Who can make the call on claim `c`, in `state` at `t`. */
  protected abstract ableOn(model: Readonly<PoolModel>, c: ClaimRecord): string[];
  protected target(model: Readonly<PoolModel>, t: bigint): bigint {
    const inState = model.claimsIn(this.state, t);
    const open = inState.filter((c) => this.ableOn(model, c).length > 0);
    return pickClaim(
      model,
      (open.length > 0 ? open : inState).map((c) => c.id),
      this.pick,
    );
  }
  protected able(model: Readonly<PoolModel>, t: bigint): string[] {
    const c = model.claim(this.target(model, t));
    if (c === undefined || model.claimState(c.id, t) !== this.state) return [];
    return this.ableOn(model, c);
  }
}

class JoinCommand extends ChosenActorCommand {
  protected readonly role = "exited or lapsed member";
  /** A join, or with `fromEligible` a return; `alias` joins under another identity commitment. */
  constructor(
    who: Who,
    readonly amount: bigint,
    readonly alias: boolean,
  ) {
    super(who);
  }
  protected able(model: Readonly<PoolModel>) {
    return ACCOUNTS.filter((a) => [MemberStatus.Exited, MemberStatus.Lapsed].includes(model.record(a).status));
  }
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    const { signer, name } = this.actorAt(model, w, t);
    const commitment = commitmentOf(this.alias ? `${name}:alias` : name);
    const outcome = model.join(signer.address, this.amount, commitment, t);
    await expectOutcome(
      w,
      outcome,
      async () =>
        w.pool
          .connect(signer)
          .join(this.amount, commitment, await joinAttestation(w.pool, w.verifier, signer.address, commitment)),
      `${this} (${name})`,
    );
  }
  toString() {
    return `${this.whoName} joins with ${fmt(this.amount)}${this.alias ? " under an alias" : ""}`;
  }
}

class TopUpCommand extends PoolCommand {
  constructor(
    readonly actor: number,
    readonly amount: bigint,
  ) {
    super();
  }
  protected async act(model: PoolModel, w: World) {
    const { signer } = w.actors[this.actor];
    const t = await this.nextCallTime(model);
    const outcome = model.topUp(signer.address, this.amount, t);
    await expectOutcome(w, outcome, () => w.pool.connect(signer).addToMemberFunds(this.amount), this.toString());
  }
  toString() {
    return `${NAMES[this.actor]} tops up ${fmt(this.amount)}`;
  }
}

class WithdrawCommand extends PoolCommand {
  /**
   * `percent` of what the member may take (balance, less the minimum while counted); 101 asks one
   * unit too much. `to`: another actor the member sends it to (`withdrawTo`), or -1 for their own wallet.
   */
  constructor(
    readonly actor: number,
    readonly percent: number,
    readonly to: number = -1,
  ) {
    super();
  }
  protected mayLower(account: string): boolean {
    return account === ACCOUNTS[this.actor];
  }
  protected async act(model: PoolModel, w: World) {
    const { signer } = w.actors[this.actor];
    const m = model.record(signer.address);
    const free = model.balanceOf(signer.address) - (PoolModel.isCounted(m.status) ? MODEL_RULES.minBalance : 0n);
    let amount = (free * BigInt(Math.min(this.percent, 100))) / 100n;
    if (this.percent > 100) amount += 1n;
    if (free <= 0n && this.percent > 0) amount = USDC(1);
    await this.nextCallTime(model);
    const outcome = model.withdraw(signer.address, amount);
    const to = this.to < 0 ? undefined : w.actors[this.to].signer.address;
    await expectOutcome(
      w,
      outcome,
      () =>
        to === undefined ? w.pool.connect(signer).withdraw(amount) : w.pool.connect(signer).withdrawTo(amount, to),
      `${this} (${fmt(amount)})`,
    );
  }
  toString() {
    const to = this.to < 0 ? "" : ` to ${NAMES[this.to]}`;
    return `${NAMES[this.actor]} withdraws ${this.percent}% of what they may take${to}`;
  }
}

class RequestExitCommand extends PoolCommand {
  constructor(readonly actor: number) {
    super();
  }
  protected async act(model: PoolModel, w: World) {
    const { signer } = w.actors[this.actor];
    const t = await this.nextCallTime(model);
    const outcome = model.requestExit(signer.address, t);
    await expectOutcome(w, outcome, () => w.pool.connect(signer).requestExit(), this.toString());
  }
  toString() {
    return `${NAMES[this.actor]} requests exit`;
  }
}

class CompleteExitCommand extends ChosenActorCommand {
  protected readonly role = "leaving member";
  protected able(model: Readonly<PoolModel>) {
    return ACCOUNTS.filter((a) => {
      const m = model.record(a);
      return [MemberStatus.Exiting, MemberStatus.Lapsing].includes(m.status) && model.claimsDoneBelow(m.exitBound);
    });
  }
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    const { signer, name } = this.actorAt(model, w, t);
    const outcome = model.completeExit(signer.address, t);
    await expectOutcome(w, outcome, () => w.pool.connect(w.keeper).completeExit(signer.address), `${this} (${name})`);
  }
  toString() {
    return `keeper completes the exit of ${this.whoName}`;
  }
}

class FlagCommand extends ChosenActorCommand {
  protected readonly role = "underfunded member";
  protected able(model: Readonly<PoolModel>) {
    return ACCOUNTS.filter((a) => {
      const m = model.record(a);
      return m.status === MemberStatus.Waiting && !m.flagged && model.balanceOf(a) < MODEL_RULES.minBalance;
    });
  }
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    const { signer, name } = this.actorAt(model, w, t);
    const outcome = model.flag(signer.address, t);
    await expectOutcome(w, outcome, () => w.pool.connect(w.keeper).flag(signer.address), `${this} (${name})`);
  }
  toString() {
    return `keeper flags ${this.whoName}`;
  }
}

class LapseCommand extends ChosenActorCommand {
  protected readonly role = "flagged member past grace";
  protected able(model: Readonly<PoolModel>, t: bigint) {
    return ACCOUNTS.filter((a) => {
      const m = model.record(a);
      return (
        m.status === MemberStatus.Waiting &&
        m.flagged &&
        t >= m.lapsableAt &&
        model.balanceOf(a) < MODEL_RULES.minBalance
      );
    });
  }
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    const { signer, name } = this.actorAt(model, w, t);
    const outcome = model.lapse(signer.address, t);
    await expectOutcome(w, outcome, () => w.pool.connect(w.keeper).lapse(signer.address), `${this} (${name})`);
  }
  toString() {
    return `keeper lapses ${this.whoName}`;
  }
}

class SubmitClaimCommand extends ChosenActorCommand {
  protected readonly role = "member able to claim";
  /** `payee`: an actor the claim names (`submitClaimTo`), -1 for none (the beneficiary, else the claimant), -2 the pool. */
  constructor(
    who: Who,
    readonly amount: bigint,
    readonly reuseEvidence: boolean,
    readonly payee: number = -1,
  ) {
    super(who);
  }
  protected able(model: Readonly<PoolModel>, t: bigint) {
    if (model.paused) return [];
    return ACCOUNTS.filter(
      (a) =>
        model.statusAt(a, t) === MemberStatus.Active &&
        model.balanceOf(a) >= MODEL_RULES.minBalance &&
        !model.openClaims.has(a),
    );
  }
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    const block = await this.nextBlock();
    const { signer, name } = this.actorAt(model, w, t);
    const evidence =
      this.reuseEvidence && model.claimCount > 0n
        ? model.claim(model.claimCount)!.evidence
        : ethers.keccak256(ethers.toUtf8Bytes(`evidence:${name}:${t}`));
    const payee =
      this.payee === -1 ? undefined : this.payee === -2 ? w.poolAddress : w.actors[this.payee].signer.address;
    const outcome = model.submitClaim(signer.address, this.amount, evidence, t, block, payee);
    await expectOutcome(
      w,
      outcome,
      () =>
        payee === undefined
          ? w.pool.connect(signer).submitClaim(this.amount, evidence, "ipfs://encrypted")
          : w.pool.connect(signer).submitClaimTo(this.amount, evidence, "ipfs://encrypted", payee),
      `${this} (${name})`,
    );
  }
  toString() {
    const payee = this.payee === -1 ? "" : ` payable to ${this.payee === -2 ? "the pool" : NAMES[this.payee]}`;
    return `${this.whoName} claims ${fmt(this.amount)}${payee}${this.reuseEvidence ? " with the last evidence" : ""}`;
  }
}

class SetBeneficiaryCommand extends PoolCommand {
  /** `beneficiary`: an actor, -1 to remove it, -2 the pool (refused). */
  constructor(
    readonly actor: number,
    readonly beneficiary: number,
  ) {
    super();
  }
  protected async act(model: PoolModel, w: World) {
    const { signer } = w.actors[this.actor];
    await this.nextCallTime(model);
    const beneficiary =
      this.beneficiary === -1
        ? ethers.ZeroAddress
        : this.beneficiary === -2
          ? w.poolAddress
          : w.actors[this.beneficiary].signer.address;
    const outcome = model.setBeneficiary(signer.address, beneficiary);
    await expectOutcome(w, outcome, () => w.pool.connect(signer).setBeneficiary(beneficiary), this.toString());
  }
  toString() {
    const b = this.beneficiary === -1 ? "nobody" : this.beneficiary === -2 ? "the pool" : NAMES[this.beneficiary];
    return `${NAMES[this.actor]} names ${b} as beneficiary`;
  }
}

class SetRecoveryOptionsCommand extends PoolCommand {
  /** `helper`: the actor named as recovery address, or -1 for none. */
  constructor(
    readonly actor: number,
    readonly helper: number,
    readonly verifierRecoveryOff: boolean,
  ) {
    super();
  }
  protected async act(model: PoolModel, w: World) {
    const { signer } = w.actors[this.actor];
    await this.nextCallTime(model);
    const helper = this.helper === -1 ? ethers.ZeroAddress : w.actors[this.helper].signer.address;
    const outcome = model.setRecoveryOptions(signer.address, helper, this.verifierRecoveryOff);
    await expectOutcome(
      w,
      outcome,
      () => w.pool.connect(signer).setRecoveryOptions(helper, this.verifierRecoveryOff),
      this.toString(),
    );
  }
  toString() {
    const h = this.helper === -1 ? "no recovery address" : `${NAMES[this.helper]} as recovery address`;
    return `${NAMES[this.actor]} sets ${h}${this.verifierRecoveryOff ? ", no verifier recovery" : ""}`;
  }
}

/** The member a recovery command targets: the k-th the model says it suits, else a named actor. */
abstract class RecoveryCommand extends ChosenActorCommand {
  protected commitmentOf(model: Readonly<PoolModel>, member: string): string {
    for (const [commitment, owner] of model.commitmentOwners) if (owner === member) return commitment;
    return commitmentOf(`nobody:${member}`);
  }
}

/** How a request not made by the member's recovery address is attested. */
const ATTESTS = ["the verifier", "a forger", "a replay", "nobody"] as const;

class RequestRecoveryCommand extends RecoveryCommand {
  protected readonly role = "member with no recovery pending";
  /**
   * By the member's recovery address if it has one and `byHelper` (else by `caller`, with the
   * attestation `attest` picks: the verifier's, for the member's nonce; one the actor `caller`
   * forges; the last one that started a recovery of the member, replayed (else one for a nonce to
   * come); or none), to the actor `newWallet` (else the first free one).
   */
  constructor(
    who: Who,
    readonly byHelper: boolean,
    readonly caller: number,
    readonly newWallet: number,
    readonly attest: number,
  ) {
    super(who);
  }
  protected able(model: Readonly<PoolModel>) {
    return ACCOUNTS.filter((a) => model.record(a).status !== MemberStatus.None && !model.pendingRecoveries.has(a));
  }
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    const { signer, name } = this.actorAt(model, w, t);
    const helper = model.options.get(signer.address)?.recoveryAddress;
    const byHelper = this.byHelper && helper !== undefined && helper !== ethers.ZeroAddress;
    const caller = byHelper ? w.actors[ACCOUNTS.indexOf(helper)].signer : w.actors[this.caller].signer;
    // Mostly a wallet that never joined, so that the recovery can go through.
    const free = ACCOUNTS.filter((a) => model.record(a).status === MemberStatus.None);
    const newWallet =
      this.newWallet < 0 && free.length > 0 ? free[0] : ACCOUNTS[Math.abs(this.newWallet) % ACCOUNTS.length];
    const commitment = this.commitmentOf(model, signer.address);
    const nonce = model.options.get(signer.address)?.nonce ?? 0n;
    let attestation: RecoveryAttestation | undefined;
    let signature = "0x";
    const replay = w.usedAttestations.get(commitment);
    if (!byHelper && ATTESTS[this.attest] === "a replay" && replay !== undefined) {
      ({ attestation, signature } = replay);
    } else if (!byHelper && ATTESTS[this.attest] !== "nobody") {
      const forged = ATTESTS[this.attest] === "a forger";
      attestation = {
        signer: forged ? caller.address : w.verifier.address,
        member: signer.address,
        newWallet,
        commitment,
        nonce: ATTESTS[this.attest] === "a replay" ? nonce + 1n : nonce,
        deadline: t + BigInt(DAY),
      };
      signature = await (forged ? caller : w.verifier).signTypedData(await poolDomain(w.pool), RECOVERY_TYPES, {
        member: attestation.member,
        newWallet,
        commitment,
        nonce: attestation.nonce,
        deadline: attestation.deadline,
      });
    }
    const outcome = model.requestRecovery(
      caller.address,
      commitment,
      attestation?.newWallet ?? newWallet,
      t,
      attestation,
    );
    const to = attestation?.newWallet ?? newWallet;
    await expectOutcome(
      w,
      outcome,
      () => w.pool.connect(caller).requestRecovery(commitment, to, attestation?.deadline ?? 0n, signature),
      `${this} (${name} to ${NAMES[ACCOUNTS.indexOf(to)]})`,
    );
    if (outcome === null && model.pendingRecoveries.get(signer.address)!.byVerifier)
      w.usedAttestations.set(commitment, { attestation: attestation!, signature });
  }
  toString() {
    const by = this.byHelper ? "its recovery address (if any)" : NAMES[this.caller];
    return `${by} requests a recovery of ${this.whoName}, attested by ${ATTESTS[this.attest]}`;
  }
}

class CancelRecoveryCommand extends RecoveryCommand {
  protected readonly role = "member with a pending recovery";
  /** By the member (`by` 0), its recovery address (1), or the actor `stranger` (2). */
  constructor(
    who: Who,
    readonly by: number,
    readonly stranger: number,
  ) {
    super(who);
  }
  protected able(model: Readonly<PoolModel>) {
    return ACCOUNTS.filter((a) => model.pendingRecoveries.has(a));
  }
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    const { signer, name } = this.actorAt(model, w, t);
    const helper = model.options.get(signer.address)?.recoveryAddress ?? ethers.ZeroAddress;
    const caller =
      this.by === 0
        ? signer
        : this.by === 1 && helper !== ethers.ZeroAddress
          ? w.actors[ACCOUNTS.indexOf(helper)].signer
          : w.actors[this.stranger].signer;
    const outcome = model.cancelRecovery(caller.address, signer.address);
    await expectOutcome(w, outcome, () => w.pool.connect(caller).cancelRecovery(signer.address), `${this} (${name})`);
  }
  toString() {
    const by = ["the member", "its recovery address", NAMES[this.stranger]][this.by];
    return `${by} cancels the recovery of ${this.whoName}`;
  }
}

class CompleteRecoveryCommand extends RecoveryCommand {
  protected readonly role = "member whose recovery is ripe";
  private member = "";
  protected able(model: Readonly<PoolModel>, t: bigint) {
    return ACCOUNTS.filter((a) => {
      const p = model.pendingRecoveries.get(a);
      return p !== undefined && t >= p.readyAt && !model.openClaims.has(a);
    });
  }
  /** Invariant 6: the membership, balance included, moves from the old wallet to the new one. */
  protected mayLower(account: string): boolean {
    return account === this.member;
  }
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    const { signer, name } = this.actorAt(model, w, t);
    this.member = signer.address;
    const pending = model.pendingRecoveries.get(signer.address);
    const balance = model.balanceOf(signer.address);
    const commitment = this.commitmentOf(model, signer.address);
    const outcome = model.completeRecovery(commitment, t);
    await expectOutcome(w, outcome, () => w.pool.connect(w.keeper).completeRecovery(commitment), `${this} (${name})`);
    if (outcome === null) {
      expect(await w.pool.balanceOf(pending!.newWallet), "the balance moved whole").to.equal(balance);
      expect(await w.pool.statusOf(signer.address), "the old wallet holds nothing").to.equal(0n);
    }
  }
  toString() {
    return `keeper completes the recovery of ${this.whoName}`;
  }
}

class DrawJuryCommand extends PoolCommand {
  /** `pick` among the claims waiting for a jury; `ripe` mines up to the seed block first. */
  constructor(
    readonly pick: number,
    readonly ripe: boolean,
  ) {
    super();
  }
  check(model: Readonly<PoolModel>): boolean {
    return !this.ripe || model.claimsIn(ClaimState.Drawing, model.now + 2n).length > 0;
  }
  protected async act(model: PoolModel, w: World) {
    if (this.ripe) {
      const drawing = model.claimsIn(ClaimState.Drawing, model.now + 2n);
      const c = drawing[this.pick % drawing.length];
      const seedBlock = c.rounds[Number(c.round)].seedBlock;
      const next = await this.nextBlock();
      if (next <= seedBlock) await mine(Number(seedBlock - next + 1n));
      model.now = BigInt(await time.latest());
    }
    const t = await this.nextCallTime(model);
    const block = await this.nextBlock();
    const id = pickClaim(
      model,
      model.claimsIn(ClaimState.Drawing, t).map((c) => c.id),
      this.pick,
    );
    const c = model.claim(id);
    let seedHash: string | null = null;
    if (c !== undefined) {
      const seedBlock = c.rounds[Number(c.round)].seedBlock;
      if (seedBlock < block && block - seedBlock <= 256n) seedHash = (await ethers.provider.getBlock(seedBlock))!.hash;
    }
    const { outcome, seated } = model.drawJury(id, t, block, seedHash);
    const receipt = await expectOutcome(
      w,
      outcome,
      () => w.pool.connect(w.keeper).drawJury(id),
      `${this} (claim ${id})`,
    );
    if (receipt !== null) {
      const drawn = receipt.logs
        .map((log) => w.pool.interface.parseLog(log))
        .filter((e) => e?.name === "JurorSeated")
        .map((e) => e!.args.juror as string);
      expect(drawn, `jurors seated on claim ${id} against the model's draw`).to.deep.equal(seated);
    }
  }
  toString() {
    return `keeper draws the jury of drawing claim #${this.pick}${this.ripe ? " (seed ready)" : ""}`;
  }
}

class CommitVoteCommand extends ClaimCommand {
  protected readonly role = "seated juror";
  protected readonly state = ClaimState.Committing;
  constructor(
    who: Who,
    pick: number,
    readonly support: boolean,
    readonly nonce: number,
  ) {
    super(who, pick);
  }
  protected ableOn(_model: Readonly<PoolModel>, c: ClaimRecord) {
    return [...c.votes.entries()]
      .filter(([, v]) => v.round === c.round && v.vote === JurorVote.Seated)
      .map(([juror]) => juror);
  }
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    const id = this.target(model, t);
    const { signer, name } = this.actorAt(model, w, t);
    const round = model.claim(id)?.round ?? 0n;
    const s = salt(`${signer.address}:${id}:${round}:${this.nonce}`);
    const commitment = voteCommitment(id, round, signer.address, this.support, s);
    const outcome = model.commitVote(signer.address, id, this.support, s, t);
    await expectOutcome(
      w,
      outcome,
      () => w.pool.connect(signer).commitDecision(id, commitment),
      `${this} (${name}, claim ${id})`,
    );
  }
  toString() {
    return `${this.whoName} commits ${this.support ? "yes" : "no"} on committing claim #${this.pick}`;
  }
}

type Tamper = "honest" | "wrong salt" | "flipped vote";

class RevealVoteCommand extends ClaimCommand {
  protected readonly role = "juror with a sealed vote";
  protected readonly state = ClaimState.Revealing;
  constructor(
    who: Who,
    pick: number,
    readonly tamper: Tamper,
  ) {
    super(who, pick);
  }
  protected ableOn(_model: Readonly<PoolModel>, c: ClaimRecord) {
    return sealedBy(c).filter((j) => j !== ACCOUNTS[LAZY]);
  }
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    const id = this.target(model, t);
    const { signer, name } = this.actorAt(model, w, t);
    const v = model.claim(id)?.votes.get(signer.address);
    const sealed = v?.vote === JurorVote.Committed ? v : { support: true, salt: salt("never committed") };
    const support = this.tamper === "flipped vote" ? !sealed.support : sealed.support;
    const s = this.tamper === "wrong salt" ? salt(`wrong:${sealed.salt}`) : sealed.salt;
    const outcome = model.revealVote(signer.address, id, support, s, t);
    await expectOutcome(
      w,
      outcome,
      () => w.pool.connect(signer).revealDecision(id, support, s),
      `${this} (${name}, claim ${id}, ${support ? "yes" : "no"})`,
    );
  }
  toString() {
    return `${this.whoName} reveals (${this.tamper}) on revealing claim #${this.pick}`;
  }
}

/** Every seated juror of a committing claim (but the lazy one) commits; `approve` is a bit mask of their votes. */
class JuryCommitsCommand extends ClaimCommand {
  protected readonly role = "committing claim";
  protected readonly state = ClaimState.Committing;
  constructor(
    pick: number,
    readonly approve: number,
  ) {
    super({ actor: 0, fromEligible: true }, pick);
  }
  protected ableOn(_model: Readonly<PoolModel>, c: ClaimRecord) {
    return [...c.votes.entries()]
      .filter(([j, v]) => v.round === c.round && v.vote === JurorVote.Seated && j !== ACCOUNTS[LAZY])
      .map(([juror]) => juror);
  }
  protected async act(model: PoolModel, w: World) {
    const id = this.target(model, model.now + 1n);
    const jurors = this.ableOn(model, model.claim(id)!);
    for (const [k, juror] of jurors.entries()) {
      const t = await this.nextCallTime(model);
      const signer = w.actors[ACCOUNTS.indexOf(juror)].signer;
      const support = ((this.approve >> k) & 1) === 1;
      const round = model.claim(id)!.round;
      const s = salt(`${juror}:${id}:${round}:jury`);
      const outcome = model.commitVote(juror, id, support, s, t);
      await expectOutcome(
        w,
        outcome,
        () => w.pool.connect(signer).commitDecision(id, voteCommitment(id, round, juror, support, s)),
        `${this} (claim ${id})`,
      );
      model.now = t;
    }
  }
  toString() {
    return `the jury of committing claim #${this.pick} commits (mask ${this.approve})`;
  }
}

/** Every juror with a sealed vote on a revealing claim (but the lazy one) reveals it. */
class JuryRevealsCommand extends ClaimCommand {
  protected readonly role = "revealing claim";
  protected readonly state = ClaimState.Revealing;
  constructor(pick: number) {
    super({ actor: 0, fromEligible: true }, pick);
  }
  protected ableOn(_model: Readonly<PoolModel>, c: ClaimRecord) {
    return sealedBy(c).filter((j) => j !== ACCOUNTS[LAZY]);
  }
  protected async act(model: PoolModel, w: World) {
    const id = this.target(model, model.now + 1n);
    const c = model.claim(id)!;
    for (const juror of this.ableOn(model, c)) {
      const t = await this.nextCallTime(model);
      const signer = w.actors[ACCOUNTS.indexOf(juror)].signer;
      const { support, salt: s } = c.votes.get(juror)!;
      const outcome = model.revealVote(juror, id, support, s, t);
      await expectOutcome(
        w,
        outcome,
        () => w.pool.connect(signer).revealDecision(id, support, s),
        `${this} (claim ${id})`,
      );
      model.now = t;
    }
  }
  toString() {
    return `the jury of revealing claim #${this.pick} reveals`;
  }
}

/** Jurors of `c`'s current round who committed and have not revealed. */
function sealedBy(c: ClaimRecord): string[] {
  return [...c.votes.entries()]
    .filter(([, v]) => v.round === c.round && v.vote === JurorVote.Committed)
    .map(([juror]) => juror);
}

class TallyCommand extends ClaimCommand {
  protected readonly role = "anyone";
  protected readonly state = ClaimState.Tallying;
  protected ableOn() {
    return [ACCOUNTS[0]];
  }
  protected mayLower(): boolean {
    return true; // juror penalties, checked against the model to the unit
  }
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    const block = await this.nextBlock();
    const id = this.target(model, t);
    const outcome = model.tally(id, t, block);
    await expectOutcome(w, outcome, () => w.pool.connect(w.keeper).tally(id), `${this} (claim ${id})`);
  }
  toString() {
    return `keeper tallies ${this.who.fromEligible ? "" : "(maybe too early) "}claim #${this.pick}`;
  }
}

class AppealCommand extends ClaimCommand {
  protected readonly role = "possible appellant";
  protected readonly state = ClaimState.Appealable;
  protected ableOn(model: Readonly<PoolModel>, c: ClaimRecord) {
    if (c.verdict === Verdict.Reject) return [c.claimant];
    return ACCOUNTS.filter((a) => model.jurorEligible(a, c));
  }
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    const block = await this.nextBlock();
    const id = this.target(model, t);
    const { signer, name } = this.actorAt(model, w, t);
    const outcome = model.appeal(signer.address, id, t, block);
    await expectOutcome(w, outcome, () => w.pool.connect(signer).appeal(id), `${this} (${name}, claim ${id})`);
  }
  toString() {
    return `${this.whoName} appeals appealable claim #${this.pick}`;
  }
}

class ResolveCommand extends PoolCommand {
  /**
   * `pick` among the resolvable claims; with none, resolving the next claim must be refused. With
   * `onlyWhenResolvable`, the command runs only when a claim is resolvable.
   */
  constructor(
    readonly pick: number,
    readonly onlyWhenResolvable: boolean,
  ) {
    super();
  }
  check(model: Readonly<PoolModel>): boolean {
    return !this.onlyWhenResolvable || model.claimsIn(ClaimState.Resolvable, model.now + 1n).length > 0;
  }
  protected mayLower(): boolean {
    return true; // penalties of a last round nobody tallied
  }
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    const block = await this.nextBlock();
    const resolvable = model.claimsIn(ClaimState.Resolvable, t).map((c) => c.id);
    const id = resolvable.length > 0 ? resolvable[this.pick % resolvable.length] : model.resolvedCount + 1n;
    const outcome = model.resolve(id, t, block);
    await expectOutcome(w, outcome, () => w.pool.connect(w.keeper).resolve(id), `${this} (claim ${id})`);
  }
  toString() {
    return `keeper resolves up to resolvable claim #${this.pick}`;
  }
}

class SettleCommand extends PoolCommand {
  /**
   * `offset` from the next period to settle: 0 is the right one, -1 and +1 must be refused. With
   * `onlyWhenEnded`, the command runs only when the next period has ended.
   */
  constructor(
    readonly offset: number,
    readonly onlyWhenEnded: boolean,
  ) {
    super();
  }
  check(model: Readonly<PoolModel>): boolean {
    return !this.onlyWhenEnded || model.now + 1n >= model.periodEnd(model.nextPeriod);
  }
  protected mayLower(): boolean {
    return true;
  }
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    let period = model.nextPeriod + BigInt(this.offset);
    if (period < 0n) period = model.nextPeriod + 1n;
    const outcome = model.settle(period, t);
    const receipt = await expectOutcome(
      w,
      outcome,
      () => w.pool.connect(w.keeper).settle(period),
      `${this} (period ${period})`,
    );
    if (receipt !== null) {
      // Invariant 8: every settlement fits in 2^24 gas.
      expect(receipt.gasUsed < GAS_LIMIT_2_24, `settle gas ${receipt.gasUsed}`).to.equal(true);
      w.audit.settleGas.push(receipt.gasUsed);
    }
  }
  toString() {
    const which = this.offset === 0 ? "the next period" : `next period ${this.offset > 0 ? "+" : ""}${this.offset}`;
    return `keeper settles ${which}`;
  }
}

class WithdrawPayoutCommand extends ChosenActorCommand {
  protected readonly role = "account with a payout";
  protected able(model: Readonly<PoolModel>) {
    return ACCOUNTS.filter((a) => model.payoutOf(a) > 0n);
  }
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    const { signer, name } = this.actorAt(model, w, t);
    const outcome = model.withdrawPayout(signer.address);
    await expectOutcome(w, outcome, () => w.pool.connect(signer).withdrawPayout(), `${this} (${name})`);
  }
  toString() {
    return `${this.whoName} withdraws their payout`;
  }
}

// Privileged roles: mayLower stays false, so any lowered balance fails the step (invariant 6).

class WithdrawFeesCommand extends PoolCommand {
  constructor(readonly byOperator: boolean) {
    super();
  }
  protected async act(model: PoolModel, w: World) {
    const caller = this.byOperator ? w.operator : w.keeper;
    await this.nextCallTime(model);
    const outcome = model.withdrawFees(caller.address);
    await expectOutcome(w, outcome, () => w.pool.connect(caller).withdrawFees(), this.toString());
  }
  toString() {
    return `${this.byOperator ? "operator" : "keeper"} withdraws the fees`;
  }
}

class PauseCommand extends PoolCommand {
  constructor(
    readonly pause: boolean,
    readonly byGuardian: boolean,
  ) {
    super();
  }
  protected async act(model: PoolModel, w: World) {
    const caller = this.byGuardian ? w.guardian : w.keeper;
    await this.nextCallTime(model);
    const outcome = this.pause ? model.pause(caller.address) : model.unpause(caller.address);
    await expectOutcome(
      w,
      outcome,
      () => (this.pause ? w.pool.connect(caller).pause() : w.pool.connect(caller).unpause()),
      this.toString(),
    );
  }
  toString() {
    return `${this.byGuardian ? "guardian" : "keeper"} ${this.pause ? "pauses" : "unpauses"}`;
  }
}

type FeeStep = "propose" | "execute" | "cancel";

class FeeChangeCommand extends PoolCommand {
  /** A fee change through the timelock (roles unchanged): propose `feeBps`, execute or cancel. */
  constructor(
    readonly step: FeeStep,
    readonly feeBps: bigint,
    readonly byOperator: boolean,
  ) {
    super();
  }
  protected async act(model: PoolModel, w: World) {
    const caller = this.byOperator ? w.operator : w.keeper;
    const t = await this.nextCallTime(model);
    const roles = await w.pool.roles();
    let outcome: Outcome;
    let send: () => Promise<ContractTransactionResponse>;
    if (this.step === "propose") {
      outcome = model.proposeFee(caller.address, this.feeBps, t);
      const r = {
        operator: roles.operator,
        verifier: roles.verifier,
        assessor: roles.assessor,
        guardian: roles.guardian,
      };
      send = () => w.pool.connect(caller).proposeRuleChange(r, this.feeBps);
    } else if (this.step === "execute") {
      outcome = model.executeChange(caller.address, t);
      send = () => w.pool.connect(caller).executeRuleChange();
    } else {
      outcome = model.cancelChange(caller.address);
      send = () => w.pool.connect(caller).cancelRuleChange();
    }
    await expectOutcome(w, outcome, send, this.toString());
  }
  toString() {
    const who = this.byOperator ? "operator" : "keeper";
    return this.step === "propose" ? `${who} proposes a fee of ${this.feeBps} bps` : `${who} ${this.step}s the change`;
  }
}

/**
 * Whether a vote is under way at `t`: a claim waiting for its jury, a seated juror (but the lazy
 * one) yet to commit, or a sealed vote (but the lazy juror's) yet to reveal. A round waiting for its
 * tally does not hold the clock: `resolve` closes it if nobody does.
 */
function voteUnderway(model: Readonly<PoolModel>, t: bigint): boolean {
  return model.claims.some((c) => {
    const state = model.claimState(c.id, t);
    const busy = (vote: JurorVote) =>
      [...c.votes.entries()].some(([j, v]) => v.round === c.round && v.vote === vote && j !== ACCOUNTS[LAZY]);
    if (state === ClaimState.Drawing) return true;
    if (state === ClaimState.Committing) return busy(JurorVote.Seated);
    return state === ClaimState.Revealing && busy(JurorVote.Committed);
  });
}

/**
 * Moves the clock. A patient move waits (does not run) while a vote is under way, so that most
 * claims get decided within a run; an impatient one runs anyway, so that votes also time out.
 */
abstract class TimeCommand extends PoolCommand {
  constructor(readonly patient: boolean) {
    super();
  }
  check(model: Readonly<PoolModel>): boolean {
    return !this.patient || !voteUnderway(model, model.now + 1n);
  }
  protected get manner(): string {
    return this.patient ? "" : " (impatiently)";
  }
}

class TimeJumpCommand extends TimeCommand {
  constructor(
    readonly seconds: number,
    patient: boolean,
  ) {
    super(patient);
  }
  protected async act(model: PoolModel) {
    model.now = BigInt(await time.increase(this.seconds));
  }
  toString() {
    return `time passes${this.manner}: ${fmtDuration(this.seconds)}`;
  }
}

/** Moves the clock to the next pending recovery's `readyAt` (or one second before): recoveries wait 30 days. */
class RecoveryRipensCommand extends TimeCommand {
  constructor(
    readonly justBefore: boolean,
    patient: boolean,
  ) {
    super(patient);
  }
  private target(model: Readonly<PoolModel>): bigint | undefined {
    const lead = this.justBefore ? 2n : 1n; // the next call is mined one second after the jump
    const ready = [...model.pendingRecoveries.values()].map((r) => r.readyAt - lead).filter((t) => t > model.now);
    return ready.length === 0 ? undefined : ready.reduce((a, b) => (a < b ? a : b));
  }
  check(model: Readonly<PoolModel>): boolean {
    return super.check(model) && this.target(model) !== undefined;
  }
  protected async act(model: PoolModel) {
    model.now = BigInt(await time.increase(this.target(model)! - model.now));
  }
  toString() {
    return `time passes${this.manner} to ${this.justBefore ? "just before " : ""}a recovery's readyAt`;
  }
}

/**
 * Moves the clock so that the next call lands exactly at, or one second before, an instant where
 * something changes: a round window ends, a claim resolves, a waiting period or a grace ends, a
 * fee change ripens, or a period ends.
 */
class NextInstantCommand extends TimeCommand {
  constructor(
    readonly pick: number,
    readonly justBefore: boolean,
    patient: boolean,
  ) {
    super(patient);
  }
  private target(model: Readonly<PoolModel>): bigint | undefined {
    const lead = this.justBefore ? 2n : 1n; // the next call is mined one second after the jump
    const pending = model.claims.filter((c) => c.status === ClaimState.Drawing);
    const members = [...model.members.values()].filter((m) => m.status === MemberStatus.Waiting);
    const instants = [
      ...pending.flatMap((c) => {
        const opens = model.opensAt(c, c.round);
        const commitEnd = opens + MODEL_RULES.commitWindow;
        return [commitEnd, commitEnd + MODEL_RULES.revealWindow, opens + model.roundLength, model.resolvesAt(c)];
      }),
      ...members.map((m) => m.eligibleAt),
      ...members.filter((m) => m.flagged).map((m) => m.lapsableAt),
      ...(model.pending !== null ? [model.pending.eta] : []),
      ...[...model.pendingRecoveries.values()].map((r) => r.readyAt),
      model.periodEnd(model.nextPeriod),
      model.periodEnd((model.now - model.startedAt) / MODEL_RULES.periodLength),
    ].filter((instant) => instant - lead > model.now);
    const sorted = [...new Set(instants)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return sorted.length === 0 ? undefined : sorted[this.pick % sorted.length] - lead;
  }
  check(model: Readonly<PoolModel>): boolean {
    return super.check(model) && this.target(model) !== undefined;
  }
  protected async act(model: PoolModel) {
    model.now = BigInt(await time.increase(this.target(model)! - model.now));
  }
  toString() {
    const when = this.justBefore ? "one second before" : "exactly at";
    return `time passes${this.manner} until the next call lands ${when} upcoming instant #${this.pick}`;
  }
}

// ------------------------------------------------------------------ arbitraries

const actor = fc.integer({ min: 0, max: NAMES.length - 1 });
const pick = fc.nat({ max: 3 });
const units = (min: bigint, max: bigint) => fc.bigInt({ min, max });
/** `likely` `weight` times in `weight + 1`, else `unlikely`. */
const weighted = <T>(likely: T, unlikely: T, weight: number): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: fc.constant(likely), weight }, { arbitrary: fc.constant(unlikely), weight: 1 });
/** A named actor once in `eligibleWeight + 1` times, else one the model says can act. */
const who = (eligibleWeight: number): fc.Arbitrary<Who> =>
  fc.record({ actor, fromEligible: weighted(true, false, eligibleWeight) });
/** `arbitrary` with weight `n` in the list of commands. */
const times = <T>(n: number, arbitrary: fc.Arbitrary<T>): Array<fc.Arbitrary<T>> => Array(n).fill(arbitrary);

const deposit = fc.oneof({ arbitrary: units(USDC(15), USDC(30)), weight: 5 }, fc.constant(USDC(15) - 1n));
const topUp = fc.oneof({ arbitrary: units(1n, USDC(20)), weight: 5 }, fc.constant(0n));
const claimAmount = fc.oneof({ arbitrary: units(1n, USDC(60)), weight: 8 }, fc.constantFrom(0n, USDC(60) + 1n));
const tamper = fc.oneof(
  { arbitrary: fc.constant<Tamper>("honest"), weight: 8 },
  fc.constantFrom<Tamper>("wrong salt", "flipped vote"),
);
const duration = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 8 }).map((h) => h * HOUR), weight: 5 },
  { arbitrary: fc.integer({ min: 1, max: 3 }).map((d) => d * DAY), weight: 4 },
  { arbitrary: fc.constant(WEEK), weight: 1 },
);

const commandArbitraries: Array<fc.Arbitrary<PoolCommand>> = [
  ...times(
    3,
    fc.tuple(who(1), deposit, weighted(false, true, 6)).map(([w, amount, alias]) => new JoinCommand(w, amount, alias)),
  ),
  ...times(
    3,
    fc.tuple(actor, topUp).map(([a, amount]) => new TopUpCommand(a, amount)),
  ),
  ...times(
    2,
    fc
      .tuple(actor, fc.constantFrom(0, 25, 50, 100, 100, 101), weighted(-1, -2, 4), actor)
      .map(([a, p, own, to]) => new WithdrawCommand(a, p, own === -1 ? -1 : to)),
  ),
  ...times(
    2,
    fc.tuple(actor, fc.oneof(actor, fc.constantFrom(-1, -2))).map(([a, b]) => new SetBeneficiaryCommand(a, b)),
  ),
  ...times(
    3,
    fc
      .tuple(actor, fc.oneof({ arbitrary: actor, weight: 4 }, fc.constant(-1)), weighted(false, true, 6))
      .map(([a, h, off]) => new SetRecoveryOptionsCommand(a, h, off)),
  ),
  ...times(
    5,
    fc
      .tuple(
        who(4),
        weighted(true, false, 3),
        actor,
        fc.oneof({ arbitrary: fc.constant(-1), weight: 5 }, actor),
        fc.constantFrom(0, 0, 0, 0, 0, 1, 2, 2, 3),
      )
      .map(([w, byHelper, caller, to, attest]) => new RequestRecoveryCommand(w, byHelper, caller, to, attest)),
  ),
  fc
    .tuple(who(4), fc.constantFrom(0, 0, 1, 2), actor)
    .map(([w, by, stranger]) => new CancelRecoveryCommand(w, by, stranger)),
  ...times(
    3,
    who(5).map((w) => new CompleteRecoveryCommand(w)),
  ),
  actor.map((a) => new RequestExitCommand(a)),
  ...times(
    2,
    who(2).map((w) => new CompleteExitCommand(w)),
  ),
  ...times(
    2,
    who(3).map((w) => new FlagCommand(w)),
  ),
  ...times(
    2,
    who(3).map((w) => new LapseCommand(w)),
  ),
  ...times(
    8,
    fc
      .tuple(
        who(4),
        claimAmount,
        weighted(false, true, 12),
        fc.oneof({ arbitrary: fc.constant(-1), weight: 6 }, actor, fc.constant(-2)),
      )
      .map(([w, amount, reuse, payee]) => new SubmitClaimCommand(w, amount, reuse, payee)),
  ),
  ...times(
    5,
    fc.tuple(pick, weighted(true, false, 6)).map(([p, ripe]) => new DrawJuryCommand(p, ripe)),
  ),
  ...times(
    10,
    fc
      .tuple(who(8), pick, weighted(true, false, 2), fc.nat(9))
      .map(([w, p, support, nonce]) => new CommitVoteCommand(w, p, support, nonce)),
  ),
  ...times(
    10,
    fc.tuple(who(8), pick, tamper).map(([w, p, t]) => new RevealVoteCommand(w, p, t)),
  ),
  ...times(
    8,
    fc.tuple(pick, fc.nat({ max: 127 }), fc.nat({ max: 127 })).map(([p, a, b]) => new JuryCommitsCommand(p, a | b)),
  ),
  ...times(
    8,
    pick.map((p) => new JuryRevealsCommand(p)),
  ),
  ...times(
    6,
    fc.tuple(who(6), pick).map(([w, p]) => new TallyCommand(w, p)),
  ),
  ...times(
    5,
    fc.tuple(who(4), pick).map(([w, p]) => new AppealCommand(w, p)),
  ),
  ...times(
    5,
    fc.tuple(pick, weighted(true, false, 4)).map(([p, only]) => new ResolveCommand(p, only)),
  ),
  ...times(6, fc.constant(new SettleCommand(0, true))),
  ...times(
    2,
    fc.constantFrom(-1, 0, 0, 0, 1).map((offset) => new SettleCommand(offset, false)),
  ),
  ...times(
    2,
    who(2).map((w) => new WithdrawPayoutCommand(w)),
  ),
  weighted(true, false, 4).map((byOperator) => new WithdrawFeesCommand(byOperator)),
  fc.tuple(weighted(false, true, 2), weighted(true, false, 4)).map(([p, g]) => new PauseCommand(p, g)),
  fc
    .tuple(
      fc.constantFrom<FeeStep>("propose", "propose", "execute", "execute", "cancel"),
      fc.constantFrom(0n, 300n, 500n, 800n, 1_000n, 1_001n),
      weighted(true, false, 5),
    )
    .map(([step, fee, op]) => new FeeChangeCommand(step, fee, op)),
  ...times(
    4,
    fc.tuple(duration, weighted(true, false, 6)).map(([seconds, patient]) => new TimeJumpCommand(seconds, patient)),
  ),
  ...times(
    8,
    fc
      .tuple(fc.nat({ max: 3 }), fc.boolean(), weighted(true, false, 6))
      .map(([p, before, patient]) => new NextInstantCommand(p, before, patient)),
  ),
  fc
    .tuple(weighted(false, true, 3), weighted(true, false, 3))
    .map(([before, patient]) => new RecoveryRipensCommand(before, patient)),
];

// ------------------------------------------------------------------ the property

async function startRun(): Promise<{ model: PoolModel; real: World }> {
  const f = await loadFixture(deployInvariantPool);
  ACCOUNTS = f.actors.map((a) => a.signer.address);
  const real: World = {
    ...f,
    usedAttestations: new Map(),
    audit: undefined as unknown as EventAudit,
    balances: [],
    checkedFinal: new Set(),
  };
  real.audit = new EventAudit(real);
  const model = new PoolModel(
    MODEL_RULES,
    await f.pool.startedAt(),
    f.poolAddress,
    f.operator.address,
    f.guardian.address,
    BigInt(await time.latest()),
  );
  model.verifier = f.verifier.address;
  // The fixture's joins, replayed from their events.
  for (const e of await f.pool.queryFilter(f.pool.filters.MemberJoined())) {
    const joinedAt = e.args.eligibleAt - MODEL_RULES.waitingPeriod;
    expect(model.join(e.args.member, e.args.deposit, e.args.commitment, joinedAt)).to.equal(null);
  }
  real.balances = await checkInvariants(model, real);
  return { model, real };
}

describe("Pool invariants (v2)", function () {
  it("keeps every invariant of DESIGN.md through random sequences of member, claim, jury, keeper, operator and guardian calls", async function () {
    this.timeout(Math.max(3_600_000, RUNS * 120_000));
    const totals = {
      steps: 0,
      seats: 0,
      penalized: 0,
      appeals: 0,
      settles: 0,
      returns: 0,
      lapses: 0,
      recoveries: 0,
      payees: 0,
      paid: 0,
      fullPeriods: 0,
    };
    let maxGas = 0n;
    await fc.assert(
      fc.asyncProperty(fc.commands(commandArbitraries, { maxCommands: MAX_COMMANDS, size: "max" }), async (cmds) => {
        const { model, real } = await startRun();
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        // Settlement records never change once written: re-check every one at the end of the run.
        for (const [period, part] of real.audit.settled) {
          const stored = await real.pool.settlement(period, part);
          const m = model.settlementOf(period, part)!;
          expect([stored.members, stored.claimsPaid, stored.share, stored.chargeIndex, stored.closed]).to.deep.equal([
            m.members,
            m.claimsPaid,
            m.share,
            m.chargeIndex,
            m.closed,
          ]);
        }
        for (const id of real.audit.paidClaims()) expect(await real.pool.state(id)).to.equal(BigInt(ClaimState.Paid));
        const a = real.audit;
        totals.steps += [...cmds].length;
        totals.seats += a.seats;
        totals.penalized += a.penalized;
        totals.appeals += a.appeals;
        totals.settles += a.settleGas.length;
        totals.returns += a.returns;
        totals.lapses += a.lapses;
        totals.recoveries += a.recoveries;
        totals.payees += a.payees.size;
        totals.paid += a.paidClaims().length;
        totals.fullPeriods += model.settlements.filter((x) => x.claimsPaid === MODEL_RULES.maxClaimsPerPeriod).length;
        for (const g of a.settleGas) if (g > maxGas) maxGas = g;
      }),
      { seed: SEED, numRuns: RUNS, unbiased: true },
    );
    if (process.env.HUZHU_INVARIANT_STATS !== undefined) {
      for (const [k, n] of [...STATS.entries()].sort()) console.log(`      ${n}\t${k}`);
    }
    console.log(`      invariant runs: ${JSON.stringify(totals)}, largest settle ${maxGas} gas`);
  });
});
