import { expect } from "chai";
import fc from "fast-check";
import hre, { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse } from "ethers";
import type { HuzhuPool, MockERC20 } from "../../typechain-types";
import { DAY, USDC, NO_ATTESTATION, commitmentOf, deployPool } from "../helpers/fixtures";
import { ClaimState, MemberStatus, PoolModel, type ClaimRecord, type ModelRules, type Outcome } from "./model";

/*
 * Stateful property test: fast-check drives random sequences of member, claim, keeper and guardian
 * calls against one pool on the Hardhat network, predicts every outcome with the plain model of
 * ./model.ts (a predicted revert is asserted with its custom error and arguments), and checks the
 * invariants of DESIGN.md after every step, against the chain state and the event log.
 *
 * CI runs a fixed seed; HUZHU_INVARIANT_RUNS (and HUZHU_INVARIANT_COMMANDS) make a longer run.
 */

// Under solidity-coverage every call is instrumented and many times slower: a few runs still
// reach every branch the model drives, and the full CI-sized run happens in `npm test`.
const UNDER_COVERAGE =
  (hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING === true;
const RUNS = Number(process.env.HUZHU_INVARIANT_RUNS ?? (UNDER_COVERAGE ? 4 : 30));
const MAX_COMMANDS = Number(process.env.HUZHU_INVARIANT_COMMANDS ?? 300);
const SEED = Number(process.env.HUZHU_INVARIANT_SEED ?? 42);

const HOUR = 60 * 60;
const WEEK = 7 * DAY;

// Short windows and a cap per member large next to the minimum balance, so that claims are decided
// within a run and members fall below the minimum (and below zero) after a claim or two.
// Solvency rule: minBalance >= maxClaimsPerPeriod * capPerMember * 1.1 + 1 = 11.000001 USDC.
const RULES = {
  waitingPeriod: 2 * DAY,
  periodLength: WEEK,
  commitWindow: DAY,
  revealWindow: DAY,
  minDeposit: USDC(15),
  minBalance: USDC(12),
  maxClaimsPerPeriod: 2,
  feeBps: 500,
  maxClaimAmount: USDC(60),
  capPerMember: USDC(5),
  quorum: 2,
  approvalThresholdBps: 5_000,
  claimBond: USDC(2),
  annualChargeCap: 0n,
};

const MODEL_RULES: ModelRules = {
  waitingPeriod: BigInt(RULES.waitingPeriod),
  periodLength: BigInt(RULES.periodLength),
  commitWindow: BigInt(RULES.commitWindow),
  revealWindow: BigInt(RULES.revealWindow),
  minDeposit: RULES.minDeposit,
  minBalance: RULES.minBalance,
  maxClaimsPerPeriod: BigInt(RULES.maxClaimsPerPeriod),
  feeBps: BigInt(RULES.feeBps),
  maxClaimAmount: RULES.maxClaimAmount,
  capPerMember: RULES.capPerMember,
  quorum: BigInt(RULES.quorum),
  approvalThresholdBps: BigInt(RULES.approvalThresholdBps),
  claimBond: RULES.claimBond,
};

const NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"];
// The first four join in the fixture and are active when a run starts; the others may join in it.
const FIXTURE_DEPOSITS = [USDC(30), USDC(25), USDC(20), USDC(15)];

interface Actor {
  name: string;
  signer: HardhatEthersSigner;
}

async function deployInvariantPool() {
  const setup = await deployPool(RULES);
  const { pool, token, keeper, operator, guardian } = setup;
  const poolAddress = await pool.getAddress();
  const actors: Actor[] = NAMES.map((name, i) => ({ name, signer: setup.members[i] }));
  for (const { signer } of actors) {
    await token.mint(signer.address, USDC(1_000_000));
    await token.connect(signer).approve(poolAddress, ethers.MaxUint256);
  }
  for (let i = 0; i < FIXTURE_DEPOSITS.length; i++) {
    await pool.connect(actors[i].signer).join(FIXTURE_DEPOSITS[i], commitmentOf(NAMES[i]), NO_ATTESTATION);
  }
  await time.increase(3 * DAY);
  return { pool, token, poolAddress, actors, keeper, operator, guardian };
}

// ------------------------------------------------------------------ the audit of the event log

/** Rebuilds what invariants 2 to 5 need from the pool's events, one block range per step. */
class EventAudit {
  private lastBlock = -1;
  private count = 0n;
  private readonly eligibleAt = new Map<string, bigint>();
  private readonly claimants = new Map<bigint, string>();
  private readonly submittedAt = new Map<bigint, bigint>();
  private readonly outcomes = new Map<bigint, bigint>();
  private readonly paid = new Set<bigint>();
  private readonly votes = new Set<string>();
  readonly settledPeriods: bigint[] = [];

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
      if (event !== null) await this.check(event.name, event.args, model);
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private async check(name: string, a: any, model: PoolModel): Promise<void> {
    const commitWindow = MODEL_RULES.commitWindow;
    switch (name) {
      case "MemberJoined": {
        this.count += 1n;
        expect(a.memberCount, "memberCount in MemberJoined").to.equal(this.count);
        this.eligibleAt.set(a.member, a.eligibleAt);
        break;
      }
      case "MemberLeft": {
        this.count -= 1n;
        expect(a.memberCount, "memberCount in MemberLeft").to.equal(this.count);
        break;
      }
      case "ClaimSubmitted": {
        expect(this.claimants.has(a.claimId), `claim ${a.claimId} submitted twice`).to.equal(false);
        this.claimants.set(a.claimId, a.claimant);
        this.submittedAt.set(a.claimId, a.commitEndsAt - commitWindow);
        break;
      }
      case "VoteRevealed": {
        // Invariant 5: one vote per member and claim, never the claimant's, only from a seasoned member.
        const key = `${a.claimId}:${a.voter}`;
        expect(this.votes.has(key), `${a.voter} revealed twice on claim ${a.claimId}`).to.equal(false);
        this.votes.add(key);
        expect(a.voter, `claimant voted on claim ${a.claimId}`).to.not.equal(this.claimants.get(a.claimId));
        expect(this.eligibleAt.has(a.voter), `non-member ${a.voter} voted`).to.equal(true);
        expect(this.eligibleAt.get(a.voter)! < this.submittedAt.get(a.claimId)!, "latecomer voted").to.equal(true);
        break;
      }
      case "ClaimResolved": {
        expect(this.outcomes.has(a.claimId), `claim ${a.claimId} resolved twice`).to.equal(false);
        expect(a.claimant).to.equal(this.claimants.get(a.claimId));
        this.outcomes.set(a.claimId, a.outcome);
        break;
      }
      case "ClaimPaid": {
        // Invariant 4: paid once, only if approved, only to the claimant.
        expect(this.paid.has(a.claimId), `claim ${a.claimId} paid twice`).to.equal(false);
        this.paid.add(a.claimId);
        expect(this.outcomes.get(a.claimId), `claim ${a.claimId} paid without approval`).to.equal(
          BigInt(ClaimState.Approved),
        );
        expect(a.claimant, `claim ${a.claimId} paid to another account`).to.equal(this.claimants.get(a.claimId));
        expect(a.paid <= a.requested, `claim ${a.claimId} paid more than requested`).to.equal(true);
        const predicted = model.settlements.get(a.period)!.paid.find((p) => p.claimId === a.claimId);
        expect(predicted, `claim ${a.claimId} paid in period ${a.period} against the model`).to.not.equal(undefined);
        expect([a.claimant, a.requested, a.paid]).to.deep.equal([
          predicted!.claimant,
          predicted!.requested,
          predicted!.paid,
        ]);
        break;
      }
      case "PeriodSettled": {
        // Invariant 2, on the event and on the stored record, and against the model's figures.
        checkSettlementIdentity(a, `event of period ${a.period}`);
        const stored = await this.w.pool.settlement(a.period);
        checkSettlementIdentity(stored, `record of period ${a.period}`);
        const model_ = model.settlements.get(a.period);
        expect(model_, `period ${a.period} settled against the model`).to.not.equal(undefined);
        for (const key of SETTLEMENT_FIGURES) {
          expect(a[key], `${key} of period ${a.period} (event)`).to.equal(model_![key]);
          expect(stored[key], `${key} of period ${a.period} (record)`).to.equal(model_![key]);
        }
        this.settledPeriods.push(a.period);
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
  audit: EventAudit;
}

/** Counted-and-not-exiting members are Waiting or Active by the clock; compare them as one. */
const settledStatus = (s: bigint | number): bigint => (BigInt(s) === 2n ? BigInt(MemberStatus.Waiting) : BigInt(s));
const PENDING = [ClaimState.Committing, ClaimState.Revealing, ClaimState.Resolvable].map(BigInt);
const settledClaimState = (s: bigint | number): bigint =>
  PENDING.includes(BigInt(s)) ? BigInt(ClaimState.Committing) : BigInt(s);

async function checkInvariants(model: PoolModel, w: World): Promise<void> {
  const { pool } = w;
  model.now = BigInt(await time.latest());
  await w.audit.sync(model);

  const accounts = w.actors.map((a) => a.signer.address);
  const claimIds = model.claims.map((c) => c.id);
  const [
    tokens,
    fees,
    carry,
    count,
    index,
    nextPeriod,
    claimCount,
    nextToResolve,
    queue,
    paused,
    views,
    payouts,
    claims,
  ] = await Promise.all([
    w.token.balanceOf(w.poolAddress),
    pool.feesAccrued(),
    pool.carry(),
    pool.memberCount(),
    pool.chargeIndex(),
    pool.nextPeriodToSettle(),
    pool.claimCount(),
    pool.nextClaimToResolve(),
    pool.paymentQueue(),
    pool.paused(),
    Promise.all(accounts.map((a) => pool.member(a))),
    Promise.all(accounts.map((a) => pool.payoutOf(a))),
    Promise.all(claimIds.map((id) => pool.claim(id))),
  ]);

  // Invariant 1: the escrow holds exactly what it owes, to the base unit.
  const sumBalances = views.reduce((sum, v) => sum + v.balance, 0n);
  const sumPayouts = payouts.reduce((sum, p) => sum + p, 0n);
  const openBonds = claims.filter((c) => PENDING.includes(c.state)).reduce((sum, c) => sum + c.bond, 0n);
  expect(tokens, "escrow balance == balances + payouts + fees + open bonds + surplus - deficit").to.equal(
    sumBalances + sumPayouts + fees + openBonds + carry.surplus - carry.deficit,
  );
  expect(tokens, "escrow balance against the model's inflows and outflows").to.equal(model.tokens);
  expect(openBonds, "open bonds").to.equal(model.openBonds());

  // Invariant 3: the member count, on chain, from the events and in the model.
  expect(count, "memberCount() against the events").to.equal(w.audit.memberCount);
  expect(count, "memberCount() against the model").to.equal(model.memberCount);

  // Invariant 6: every balance (and the record behind it) as the model has it.
  for (let i = 0; i < accounts.length; i++) {
    const who = `${w.actors[i].name} (${accounts[i]})`;
    const m = model.record(accounts[i]);
    expect(views[i].balance, `balance of ${who}`).to.equal(model.balanceOf(accounts[i]));
    expect(views[i].credit, `credit of ${who}`).to.equal(m.credit);
    expect(views[i].charged, `charged of ${who}`).to.equal(model.chargedOf(accounts[i]));
    expect(settledStatus(views[i].status), `status of ${who}`).to.equal(settledStatus(m.status));
    expect(views[i].eligibleAt, `eligibleAt of ${who}`).to.equal(m.eligibleAt);
    if (m.status === MemberStatus.Exiting)
      expect(views[i].exitClaimBound, `exit bound of ${who}`).to.equal(m.exitBound);
    expect(payouts[i], `payout of ${who}`).to.equal(model.payoutOf(accounts[i]));
  }

  // The rest of the pool-wide state.
  expect(fees, "feesAccrued").to.equal(model.fees);
  expect([carry.surplus, carry.deficit], "carry (surplus, deficit)").to.deep.equal([model.surplus, model.deficit]);
  expect(carry.surplus === 0n || carry.deficit === 0n, "surplus and deficit both carried").to.equal(true);
  expect(index, "chargeIndex").to.equal(model.chargeIndex);
  expect(nextPeriod, "nextPeriodToSettle").to.equal(model.nextPeriod);
  expect(claimCount, "claimCount").to.equal(model.claimCount);
  expect(nextToResolve, "nextClaimToResolve").to.equal(model.resolvedCount + 1n);
  expect([queue[0], queue[1]], "paymentQueue (length, head)").to.deep.equal([model.queueLength(), model.queueFront()]);
  expect(paused, "paused").to.equal(model.paused);
  for (let i = 0; i < claims.length; i++) {
    const c = model.claims[i];
    const on = claims[i];
    const what = `claim ${c.id}`;
    expect(on.claimant, `claimant of ${what}`).to.equal(c.claimant);
    expect(settledClaimState(on.state), `state of ${what}`).to.equal(settledClaimState(c.status));
    expect([on.amount, on.bond, on.submittedAt], `amount, bond, submittedAt of ${what}`).to.deep.equal([
      c.amount,
      c.bond,
      c.submittedAt,
    ]);
    expect([on.approvals, on.rejections], `tally of ${what}`).to.deep.equal([c.approvals, c.rejections]);
  }
}

// ------------------------------------------------------------------ sending and asserting

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
): Promise<void> {
  if (outcome === null) {
    const receipt = await (await send()).wait();
    expect(receipt?.status, `${what} succeeds`).to.equal(1);
    return;
  }
  const args = outcome.args.map((arg) => (typeof arg === "number" ? BigInt(arg) : arg));
  const assertion = expect(send(), `${what} reverts with ${outcome.error}`).to.be.revertedWithCustomError(
    w.pool,
    outcome.error,
  );
  await (args.length === 0 ? assertion : assertion.withArgs(...args));
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

  async run(model: PoolModel, w: World): Promise<void> {
    await this.act(model, w);
    await checkInvariants(model, w);
  }

  /** Pins the time of the next call; it is the time `check` saw, one second after the latest block. */
  protected async nextCallTime(model: PoolModel): Promise<bigint> {
    const t = await pinNextTimestamp();
    expect(t, "time of the call").to.equal(model.now + 1n);
    return t;
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

class JoinCommand extends PoolCommand {
  constructor(
    readonly actor: number,
    readonly amount: bigint,
  ) {
    super();
  }
  protected async act(model: PoolModel, w: World) {
    const { signer, name } = w.actors[this.actor];
    const t = await this.nextCallTime(model);
    const outcome = model.join(signer.address, this.amount, t);
    await expectOutcome(
      w,
      outcome,
      () => w.pool.connect(signer).join(this.amount, commitmentOf(name), NO_ATTESTATION),
      this.toString(),
    );
  }
  toString() {
    return `${NAMES[this.actor]} joins with ${fmt(this.amount)}`;
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
    await expectOutcome(w, outcome, () => w.pool.connect(signer).topUp(this.amount), this.toString());
  }
  toString() {
    return `${NAMES[this.actor]} tops up ${fmt(this.amount)}`;
  }
}

class WithdrawCommand extends PoolCommand {
  /** `percent` of what the member may take (balance, less the minimum while counted); 101 asks one unit too much. */
  constructor(
    readonly actor: number,
    readonly percent: number,
  ) {
    super();
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
    await expectOutcome(w, outcome, () => w.pool.connect(signer).withdraw(amount), `${this} (${fmt(amount)})`);
  }
  toString() {
    return `${NAMES[this.actor]} withdraws ${this.percent}% of what they may take`;
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
  protected readonly role = "exiting member";
  protected able(model: Readonly<PoolModel>) {
    return ACCOUNTS.filter((a) => {
      const m = model.record(a);
      return m.status === MemberStatus.Exiting && model.claimsDoneBelow(m.exitBound);
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

class LapseCommand extends ChosenActorCommand {
  protected readonly role = "underfunded member";
  protected able(model: Readonly<PoolModel>) {
    return ACCOUNTS.filter(
      (a) => PoolModel.isCounted(model.record(a).status) && model.balanceOf(a) < MODEL_RULES.minBalance,
    );
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
  constructor(
    who: Who,
    readonly amount: bigint,
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
    const { signer, name } = this.actorAt(model, w, t);
    const outcome = model.submitClaim(signer.address, this.amount, t);
    const evidence = ethers.keccak256(ethers.toUtf8Bytes(`evidence:${name}:${t}`));
    await expectOutcome(
      w,
      outcome,
      () => w.pool.connect(signer).submitClaim(this.amount, evidence, "ipfs://encrypted"),
      `${this} (${name})`,
    );
  }
  toString() {
    return `${this.whoName} claims ${fmt(this.amount)}`;
  }
}

class CommitVoteCommand extends ChosenActorCommand {
  protected readonly role = "eligible voter";
  constructor(
    who: Who,
    readonly pick: number,
    readonly support: boolean,
    readonly nonce: number,
  ) {
    super(who);
  }
  private target(model: Readonly<PoolModel>, t: bigint): bigint {
    const committing = model.claimsIn(ClaimState.Committing, t).map((c) => c.id);
    return pickClaim(model, committing, this.pick);
  }
  protected able(model: Readonly<PoolModel>, t: bigint) {
    const id = this.target(model, t);
    const c = model.claim(id);
    if (c === undefined || model.claimState(id, t) !== ClaimState.Committing) return [];
    return allowedVoters(model, c);
  }
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    const id = this.target(model, t);
    const { signer, name } = this.actorAt(model, w, t);
    const s = salt(`${signer.address}:${id}:${this.nonce}`);
    const commitment = await w.pool.voteCommitment(id, signer.address, this.support, s);
    const outcome = model.commitVote(signer.address, id, this.support, s, t);
    await expectOutcome(
      w,
      outcome,
      () => w.pool.connect(signer).commitVote(id, commitment),
      `${this} (${name}, claim ${id})`,
    );
  }
  toString() {
    return `${this.whoName} commits ${this.support ? "yes" : "no"} on committing claim #${this.pick}`;
  }
}

type Tamper = "honest" | "wrong salt" | "flipped vote";

class RevealVoteCommand extends ChosenActorCommand {
  protected readonly role = "voter with a sealed vote";
  constructor(
    who: Who,
    readonly pick: number,
    readonly tamper: Tamper,
  ) {
    super(who);
  }
  private target(model: Readonly<PoolModel>, t: bigint): bigint {
    const revealing = model.claimsIn(ClaimState.Revealing, t);
    const withCommits = revealing.filter((c) => c.commitments.size > 0);
    return pickClaim(
      model,
      (withCommits.length > 0 ? withCommits : revealing).map((c) => c.id),
      this.pick,
    );
  }
  protected able(model: Readonly<PoolModel>, t: bigint) {
    const id = this.target(model, t);
    if (model.claimState(id, t) !== ClaimState.Revealing) return [];
    return [...model.claim(id)!.commitments.keys()];
  }
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    const id = this.target(model, t);
    const { signer, name } = this.actorAt(model, w, t);
    const sealed = model.claim(id)?.sealed.get(signer.address) ?? { support: true, salt: salt("never committed") };
    const support = this.tamper === "flipped vote" ? !sealed.support : sealed.support;
    const s = this.tamper === "wrong salt" ? salt(`wrong:${sealed.salt}`) : sealed.salt;
    const outcome = model.revealVote(signer.address, id, support, s, t);
    await expectOutcome(
      w,
      outcome,
      () => w.pool.connect(signer).revealVote(id, support, s),
      `${this} (${name}, claim ${id}, ${support ? "yes" : "no"})`,
    );
  }
  toString() {
    return `${this.whoName} reveals (${this.tamper}) on revealing claim #${this.pick}`;
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
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    const resolvable = model.claimsIn(ClaimState.Resolvable, t).map((c) => c.id);
    const id = resolvable.length > 0 ? resolvable[this.pick % resolvable.length] : model.resolvedCount + 1n;
    const outcome = model.resolve(id, t);
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
  protected async act(model: PoolModel, w: World) {
    const t = await this.nextCallTime(model);
    let period = model.nextPeriod + BigInt(this.offset);
    if (period < 0n) period = model.nextPeriod + 1n;
    const outcome = model.settle(period, t);
    await expectOutcome(w, outcome, () => w.pool.connect(w.keeper).settle(period), `${this} (period ${period})`);
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

/** Every actor's balance: DESIGN.md invariant 6 says no privileged role can change one. */
async function balancesOf(w: World): Promise<bigint[]> {
  return Promise.all(w.actors.map((a) => w.pool.balanceOf(a.signer.address)));
}

class WithdrawFeesCommand extends PoolCommand {
  constructor(readonly byOperator: boolean) {
    super();
  }
  protected async act(model: PoolModel, w: World) {
    const caller = this.byOperator ? w.operator : w.keeper;
    await this.nextCallTime(model);
    const outcome = model.withdrawFees(caller.address);
    const before = await balancesOf(w);
    await expectOutcome(w, outcome, () => w.pool.connect(caller).withdrawFees(), this.toString());
    expect(await balancesOf(w), "member balances after a fee withdrawal").to.deep.equal(before);
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
    const before = await balancesOf(w);
    await expectOutcome(
      w,
      outcome,
      () => (this.pause ? w.pool.connect(caller).pause() : w.pool.connect(caller).unpause()),
      this.toString(),
    );
    expect(await balancesOf(w), "member balances after a pause change").to.deep.equal(before);
  }
  toString() {
    return `${this.byGuardian ? "guardian" : "keeper"} ${this.pause ? "pauses" : "unpauses"}`;
  }
}

/** Members the model lets vote on claim `c`: counted, seasoned before it, not its claimant. */
function allowedVoters(model: Readonly<PoolModel>, c: ClaimRecord): string[] {
  return ACCOUNTS.filter((a) => {
    const m = model.record(a);
    return a !== c.claimant && PoolModel.isCounted(m.status) && m.eligibleAt < c.submittedAt;
  });
}

/**
 * Whether a vote is under way at `t`: a claim in its commit window with fewer than a quorum of
 * commitments while more voters could commit, or a claim in its reveal window with a sealed vote.
 */
function voteUnderway(model: Readonly<PoolModel>, t: bigint): boolean {
  return model.claims.some((c) => {
    const state = model.claimState(c.id, t);
    if (state === ClaimState.Revealing) return c.commitments.size > 0;
    if (state !== ClaimState.Committing) return false;
    const voters = allowedVoters(model, c).length;
    return BigInt(c.commitments.size) < MODEL_RULES.quorum && voters > c.commitments.size;
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

/**
 * Moves the clock so that the next call lands exactly at, or one second before, an instant where
 * something changes: a vote window ends, a member's waiting period ends, or a period ends.
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
    const pending = model.claims.filter((c) => c.status === ClaimState.Committing);
    const waiting = [...model.members.values()].filter((m) => m.status === MemberStatus.Waiting);
    const instants = [
      ...pending.flatMap((c) => [model.commitEnd(c), model.revealEnd(c)]),
      ...waiting.map((m) => m.eligibleAt),
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
  { arbitrary: fc.integer({ min: 1, max: 8 }).map((h) => h * HOUR), weight: 12 },
  { arbitrary: fc.integer({ min: 1, max: 3 }).map((d) => d * DAY), weight: 2 },
  { arbitrary: fc.constant(WEEK), weight: 1 },
);

const commandArbitraries: Array<fc.Arbitrary<PoolCommand>> = [
  ...times(
    3,
    fc.tuple(actor, deposit).map(([a, amount]) => new JoinCommand(a, amount)),
  ),
  ...times(
    2,
    fc.tuple(actor, topUp).map(([a, amount]) => new TopUpCommand(a, amount)),
  ),
  ...times(
    2,
    fc.tuple(actor, fc.constantFrom(0, 25, 50, 100, 100, 101)).map(([a, p]) => new WithdrawCommand(a, p)),
  ),
  actor.map((a) => new RequestExitCommand(a)),
  ...times(
    2,
    who(1).map((w) => new CompleteExitCommand(w)),
  ),
  ...times(
    2,
    who(1).map((w) => new LapseCommand(w)),
  ),
  ...times(
    5,
    fc.tuple(who(3), claimAmount).map(([w, amount]) => new SubmitClaimCommand(w, amount)),
  ),
  ...times(
    16,
    fc
      .tuple(who(8), pick, weighted(true, false, 3), fc.nat(9))
      .map(([w, p, support, nonce]) => new CommitVoteCommand(w, p, support, nonce)),
  ),
  ...times(
    16,
    fc.tuple(who(8), pick, tamper).map(([w, p, t]) => new RevealVoteCommand(w, p, t)),
  ),
  ...times(
    6,
    fc.tuple(pick, weighted(true, false, 4)).map(([p, only]) => new ResolveCommand(p, only)),
  ),
  ...times(6, fc.constant(new SettleCommand(0, true))),
  ...times(
    3,
    fc.constantFrom(-1, 0, 0, 0, 1).map((offset) => new SettleCommand(offset, false)),
  ),
  ...times(
    2,
    who(2).map((w) => new WithdrawPayoutCommand(w)),
  ),
  weighted(true, false, 4).map((byOperator) => new WithdrawFeesCommand(byOperator)),
  fc.tuple(weighted(false, true, 2), weighted(true, false, 4)).map(([p, g]) => new PauseCommand(p, g)),
  ...times(
    3,
    fc.tuple(duration, weighted(true, false, 3)).map(([seconds, patient]) => new TimeJumpCommand(seconds, patient)),
  ),
  ...times(
    3,
    fc
      .tuple(weighted(0, 1, 9), fc.boolean(), weighted(true, false, 3))
      .map(([p, before, patient]) => new NextInstantCommand(p, before, patient)),
  ),
];

// ------------------------------------------------------------------ the property

async function startRun(): Promise<{ model: PoolModel; real: World }> {
  const f = await loadFixture(deployInvariantPool);
  ACCOUNTS = f.actors.map((a) => a.signer.address);
  const real: World = { ...f, audit: undefined as unknown as EventAudit };
  real.audit = new EventAudit(real);
  const model = new PoolModel(
    MODEL_RULES,
    await f.pool.startedAt(),
    f.operator.address,
    f.guardian.address,
    BigInt(await time.latest()),
  );
  // The fixture's joins, replayed from their events.
  for (const e of await f.pool.queryFilter(f.pool.filters.MemberJoined())) {
    const joinedAt = e.args.eligibleAt - MODEL_RULES.waitingPeriod;
    expect(model.join(e.args.member, e.args.deposit, joinedAt)).to.equal(null);
  }
  await checkInvariants(model, real);
  return { model, real };
}

describe("Pool invariants", function () {
  it("keeps every invariant of DESIGN.md through random sequences of member, claim, keeper and guardian calls", async function () {
    // Generous: on a failure, fast-check replays shrunk sequences of up to MAX_COMMANDS calls many times.
    this.timeout(Math.max(3_600_000, RUNS * 120_000));
    await fc.assert(
      fc.asyncProperty(fc.commands(commandArbitraries, { maxCommands: MAX_COMMANDS, size: "max" }), async (cmds) => {
        const { model, real } = await startRun();
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        // Settlement records never change once written: re-check every one at the end of the run.
        for (const period of real.audit.settledPeriods) {
          checkSettlementIdentity(await real.pool.settlement(period), `record of period ${period}`);
        }
        for (const id of real.audit.paidClaims()) expect(await real.pool.state(id)).to.equal(BigInt(ClaimState.Paid));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
