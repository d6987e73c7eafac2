import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AbiCoder, Contract, HDNodeWallet, JsonRpcProvider, Mnemonic, Wallet, keccak256, toBeHex } from "ethers";
import { MockERC20__factory, type MockERC20 } from "../../typechain-types";
import { identityCommitment, voteCommitment, type Address, type Hex } from "../../sdk/src";
import { loadDeployment } from "../../sdk/src/node";

const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "sdk", "src", "cli", "index.ts");
const PORT = 8622;
const RPC = `http://127.0.0.1:${PORT}`;
const DAY = 86_400;
const USD = (amount: string): bigint => BigInt(Math.round(Number(amount) * 1e6));

/** Hardhat's default accounts (the well-known test mnemonic): 0 deploys and operates, 1-4 are members. */
const MNEMONIC = Mnemonic.fromPhrase("test test test test test test test test test test test junk");
const account = (i: number) => HDNodeWallet.fromMnemonic(MNEMONIC, `m/44'/60'/0'/0/${i}`);
const [operator, alice, bob, carol, dave, erin] = [0, 1, 2, 3, 4, 5].map(account);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe("huzhu CLI against a hardhat node over JSON-RPC", function () {
  this.timeout(300_000);

  let node: ChildProcess;
  let nodeOutput = "";
  let provider: JsonRpcProvider;
  let token: MockERC20;
  let dir: string;
  let pool: Address;
  let evidenceFile: string;
  const carolVoteSalt = `0x${"22".repeat(32)}` as Hex;

  /** Runs `huzhu <args>` in a fresh process, as a user would; `key` goes in --key, `env` adds variables. */
  function huzhu(args: string[], options: { key?: string; env?: Record<string, string> } = {}): Promise<Run> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.HUZHU_PRIVATE_KEY;
    delete env.HUZHU_RPC_URL;
    Object.assign(env, {
      TS_NODE_TRANSPILE_ONLY: "true",
      TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: "commonjs" }),
      ...options.env,
    });
    const rpc = options.env?.HUZHU_RPC_URL ? [] : ["--rpc", RPC];
    const key = options.key ? ["--key", options.key] : [];
    const child = spawn(
      process.execPath,
      ["-r", "ts-node/register", CLI, "--deployments", dir, ...rpc, ...key, ...args],
      {
        cwd: ROOT,
        env,
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    return new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** Runs a command that must succeed and prints JSON; returns the parsed JSON. */
  async function json(args: string[], options: { key?: string; env?: Record<string, string> } = {}) {
    const run = await huzhu([...args, "--json"], options);
    expect(run.stderr, `stderr of huzhu ${args.join(" ")}`).to.equal("");
    expect(run.code).to.equal(0);
    return JSON.parse(run.stdout);
  }

  /** Runs a command that must fail; returns its stderr. */
  async function failure(args: string[], options: { key?: string; env?: Record<string, string> } = {}) {
    const run = await huzhu(args, options);
    expect(run.code, `exit code of huzhu ${args.join(" ")}`).to.equal(1);
    expect(run.stdout).to.equal("");
    return run.stderr;
  }

  async function rpc(method: string, params: unknown[] = []): Promise<unknown> {
    return provider.send(method, params);
  }

  async function increaseTime(seconds: number): Promise<void> {
    await rpc("evm_increaseTime", [seconds]);
    await rpc("evm_mine");
  }

  async function startNode(): Promise<void> {
    node = spawn(join(ROOT, "node_modules", ".bin", "hardhat"), ["node", "--port", String(PORT)], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe"],
    });
    node.stderr!.on("data", (chunk) => (nodeOutput += chunk));
    const exited = new Promise<never>((_, reject) =>
      node.on("exit", (code) => reject(new Error(`hardhat node exited (${code}): ${nodeOutput}`))),
    );
    const ready = (async () => {
      for (let i = 0; i < 600; i++) {
        try {
          const response = await fetch(RPC, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
          });
          if (response.ok) return;
        } catch {
          // Not listening yet.
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error("hardhat node did not start in 120 s");
    })();
    await Promise.race([ready, exited]);
  }

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), "huzhu-cli-"));
    evidenceFile = join(dir, "evidence.pdf");
    writeFileSync(evidenceFile, "discharge summary, invoice 2024-117");
    await startNode();
    // No request cache: two transactions in a row must not share a nonce.
    provider = new JsonRpcProvider(RPC, undefined, { staticNetwork: true, cacheTimeout: -1 });
    token = await new MockERC20__factory(new Wallet(operator.privateKey, provider)).deploy("Test USD", "TUSD", 6);
    await token.waitForDeployment();
    for (const m of [alice, bob, carol, dave, erin]) await (await token.mint(m.address, USD("100"))).wait();
  });

  after(async function () {
    provider?.destroy();
    node?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it("deploy deploys the libraries and the factory and writes deployments/<network>.json with the compiler settings", async function () {
    const out = await json(["deploy"], { key: operator.privateKey });
    const deployment = loadDeployment("localhost", dir);
    expect(out.factory.address).to.equal(deployment.factory.address);
    expect(deployment.refusesOpenPools).to.equal(false);
    for (const name of ["Juries", "Apportionment", "Recovery"] as const) {
      expect(out.libraries[name]).to.equal(deployment.libraries![name]);
      expect(await provider.getCode(deployment.libraries![name]!)).to.not.equal("0x");
    }
    expect(deployment.chainId).to.equal(31337);
    expect(deployment.compiler).to.deep.equal({
      version: "0.8.28",
      optimizer: { enabled: true, runs: 200 },
      viaIR: true,
      evmVersion: "cancun",
    });
    expect(deployment.pools).to.deep.equal([]);
    const factory = new Contract(
      deployment.factory.address,
      ["function implementation() view returns (address)"],
      provider,
    );
    expect(await factory.implementation()).to.equal(deployment.implementation);
    const receipt = await provider.getTransactionReceipt(out.hash);
    expect(BigInt(receipt!.blockNumber)).to.equal(deployment.factory.block);
  });

  it("deploy refuses to replace a deployments file whose factory is live", async function () {
    const stderr = await failure(["deploy"], { key: operator.privateKey });
    const { factory } = loadDeployment("localhost", dir);
    expect(stderr).to.equal(
      `error: ${join(dir, "localhost.json")} already records a factory live at ${factory.address}: pass --force to replace the file (its pools would no longer be listed).\n`,
    );
  });

  it("pool create creates a pool from a rules file and records it", async function () {
    const rulesFile = join(dir, "rules.json");
    writeFileSync(
      rulesFile,
      JSON.stringify({
        asset: await token.getAddress(),
        waitingPeriod: 14 * DAY,
        periodLength: 7 * DAY,
        commitWindow: DAY,
        revealWindow: DAY,
        appealWindow: DAY,
        lapseGrace: 7 * DAY,
        minDeposit: { amount: "13", decimals: 6 },
        minBalance: "12000000",
        maxClaimsPerPeriod: 1,
        feeBps: 500,
        jurySize: 3,
        maxAppealRounds: 1,
        quorumBps: 6000,
        maxClaimAmount: { amount: "30", decimals: 6 },
        capPerMember: { amount: "10", decimals: 6 },
        approvalThresholdBps: 6000,
        claimBond: "1000000",
        appealBond: "2000000",
        jurorPenalty: "500000",
      }),
    );
    const out = await json(["pool", "create", "--rules", rulesFile], { key: operator.privateKey });
    pool = out.pool;
    const [recorded] = loadDeployment("localhost", dir).pools;
    expect(recorded.name).to.equal("default");
    expect(recorded.address).to.equal(pool);
    expect(recorded.block).to.equal(BigInt(out.block));
    expect(recorded.rules.minDeposit).to.equal(13_000_000n);
    expect(recorded.rules.capPerMember).to.equal(10_000_000n);
    expect(recorded.rules.annualChargeCap).to.equal(0n);
    expect(recorded.rules.jurySize).to.equal(3);
    expect(recorded.roles?.operator).to.equal(operator.address);
  });

  it("pool create names the bad field of a rules file", async function () {
    const rulesFile = join(dir, "bad-rules.json");
    writeFileSync(rulesFile, JSON.stringify({ asset: await token.getAddress(), waitingPeriod: DAY }));
    const stderr = await failure(["pool", "create", "--rules", rulesFile], { key: operator.privateKey });
    expect(stderr).to.equal(`error: Invalid periodLength: the field is missing (in ${rulesFile}).\n`);
  });

  it("join joins four members, with a given salt or a random one printed once", async function () {
    const aliceSalt = `0x${"11".repeat(32)}` as Hex;
    const joined = await json(["join", "--amount", "30", "--identity", "alice", "--salt", aliceSalt], {
      key: alice.privateKey,
    });
    expect(joined.commitment).to.equal(identityCommitment("alice", aliceSalt));
    expect(joined.amount).to.equal("30000000");
    expect(joined).to.not.have.property("salt");

    const [bobRun, carolOut, daveOut] = await Promise.all([
      huzhu(["join", "--amount", "30", "--identity", "bob"], { key: bob.privateKey }),
      json(["join", "--amount", "30", "--identity", "carol"], { env: { HUZHU_PRIVATE_KEY: carol.privateKey } }),
      json(["join", "--amount", "13", "--identity", "dave"], { key: dave.privateKey }),
    ]);
    expect(bobRun.code).to.equal(0);
    const bobSalt = /identity salt (0x[0-9a-f]{64})/.exec(bobRun.stdout)![1] as Hex;
    expect(bobRun.stdout.split(bobSalt)).to.have.length(2);
    expect(bobRun.stdout).to.contain(`identity commitment ${identityCommitment("bob", bobSalt)}\n`);
    expect(carolOut.commitment).to.equal(identityCommitment("carol", carolOut.salt));
    expect(daveOut.amount).to.equal("13000000");
  });

  it("pool show --json shows the pool's rules and live figures", async function () {
    const [info, human] = await Promise.all([
      json(["pool", "show"]),
      huzhu(["pool", "show"], { env: { HUZHU_RPC_URL: RPC } }),
    ]);
    expect(info.address).to.equal(pool);
    expect(info.name).to.equal("default");
    expect(info.memberCount).to.equal("4");
    expect(info.rules.minDeposit).to.equal("13000000");
    expect(info.rules.waitingPeriod).to.equal(14 * DAY);
    expect(info.token).to.deep.equal({ address: await token.getAddress(), symbol: "TUSD", decimals: 6 });
    expect(human.stdout.split("\n")[0]).to.equal(`pool      ${pool} ("default", created in block ${info.block})`);
    expect(human.stdout).to.contain("members   4\n");
    expect(info.isOpenPool).to.equal(true);
    expect(info.claimTimetable).to.equal(String(6 * DAY));
    expect(human.stdout).to.contain("open      yes: no identity verifier");
    expect(human.stdout).to.contain("juries: 3 seats drawn by block hash, up to 1 more round, quorum 60% of seats");
  });

  it("a revert prints the typed error's plain message on one line, with details under --verbose", async function () {
    const [plain, verbose] = await Promise.all([
      failure(["join", "--amount", "1", "--identity", "erin"], { key: erin.privateKey }),
      failure(["join", "--amount", "1", "--identity", "erin", "--verbose"], { key: erin.privateKey }),
    ]);
    expect(plain).to.equal("error: The first deposit is below the pool's minimum deposit.\n");
    expect(verbose.split("\n").slice(0, 2)).to.deep.equal([
      "error: The first deposit is below the pool's minimum deposit.",
      "  details: MemberDepositTooLow(amount=1000000, minDeposit=13000000)",
    ]);
    expect(verbose).to.not.contain(erin.privateKey.slice(2));
  });

  it("claim submit submits a claim with a file's digest, and claim show shows it", async function () {
    await increaseTime(14 * DAY + 60);
    const submitted = await json(
      ["claim", "submit", "--amount", "20", "--evidence", evidenceFile, "--uri", "ipfs://evidence"],
      { key: alice.privateKey },
    );
    expect(submitted.claimId).to.equal("1");
    expect(submitted.evidenceDigest).to.equal(keccak256(readFileSync(evidenceFile)));
    const claim = await json(["claim", "show", "1"]);
    expect(claim.stateName).to.equal("Drawing");
    expect(claim.claimant).to.equal(alice.address);
    expect(claim.amount).to.equal("20000000");
    expect(claim.bond).to.equal("1000000");
    expect(claim.evidenceDigest).to.equal(submitted.evidenceDigest);
    expect(claim.rounds).to.have.length(1);
    expect(claim.rounds[0]).to.include({ round: "0", drawn: false, seatsTarget: "3" });
  });

  it("jury draw seats the three members who are not the claimant; jury duties lists what is due", async function () {
    await rpc("evm_mine");
    await rpc("evm_mine");
    const drawn = await json(["jury", "draw", "1"], { key: erin.privateKey });
    expect(drawn.reanchored).to.equal(false);
    expect([...drawn.jurors].sort()).to.deep.equal([bob.address, carol.address, dave.address].sort());
    const duties = await json(["jury", "duties"], { key: bob.privateKey });
    expect(duties.account).to.equal(bob.address);
    expect(duties.duties.map((d: { claimId: string; due: string }) => [d.claimId, d.due])).to.deep.equal([
      ["1", "commit"],
    ]);
    expect((await json(["jury", "duties", alice.address])).duties).to.deep.equal([]);
  });

  it("vote commit commits sealed votes with a derived or a given salt", async function () {
    const [bobOut, carolOut, daveOut] = await Promise.all([
      json(["vote", "commit", "1", "--yes"], { key: bob.privateKey }),
      json(["vote", "commit", "1", "--yes", "--salt", carolVoteSalt], { key: carol.privateKey }),
      json(["vote", "commit", "1", "--no"], { key: dave.privateKey }),
    ]);
    expect(carolOut.commitment).to.equal(voteCommitment(1n, 0n, carol.address as Address, true, carolVoteSalt));
    expect(bobOut.support).to.equal(true);
    expect(daveOut.support).to.equal(false);
    expect(await failure(["vote", "commit", "1", "--yes", "--no"], { key: dave.privateKey })).to.equal(
      "error: Invalid vote: give exactly one of --yes, --no.\n",
    );
    expect(await failure(["vote", "commit", "1", "--yes"], { key: alice.privateKey })).to.equal(
      "error: The caller does not sit on the claim's current jury.\n",
    );
  });

  it("vote reveal reveals the votes, recomputing the derived salts", async function () {
    await increaseTime(DAY);
    await Promise.all([
      json(["vote", "reveal", "1", "--yes"], { key: bob.privateKey }),
      json(["vote", "reveal", "1", "--yes", "--salt", carolVoteSalt], { key: carol.privateKey }),
      json(["vote", "reveal", "1", "--no"], { key: dave.privateKey }),
    ]);
    const claim = await json(["claim", "show", "1"]);
    expect([claim.rounds[0].approvals, claim.rounds[0].rejections]).to.deep.equal(["2", "1"]);
    const duties = await json(["jury", "duties", bob.address, "--all"]);
    expect(duties.duties[0].due).to.equal("done");
  });

  it("tally closes the round after the reveal window; appeal refuses the claimant against an approval", async function () {
    await increaseTime(DAY);
    const out = await json(["tally", "1"], { key: dave.privateKey });
    expect(out).to.include({ claimId: "1", round: "0", approvals: "2", rejections: "1", quorum: "2" });
    expect(out.verdictName).to.equal("Approve");
    expect(out.penalized).to.deep.equal([]);
    // The claimant cannot appeal an approval (the contract answers with its typed error's line).
    expect(await failure(["appeal", "1"], { key: alice.privateKey })).to.match(/^error: [A-Z][^\n]*\.\n$/);
    const claim = await json(["claim", "show", "1"]);
    expect(claim.stateName).to.equal("Appealable");
    expect(claim.verdictName).to.equal("Approve");
  });

  it("resolve decides the claim at the end of its timetable", async function () {
    expect(await failure(["resolve", "1"], { key: dave.privateKey })).to.equal(
      "error: The claim is not in the state this action needs.\n",
    );
    const poolContract = new Contract(
      pool,
      [
        "function claim(uint256) view returns (tuple(address claimant, uint8 state, uint256 amount, uint256 bond, uint256 feeBps, bytes32 evidenceDigest, bytes32 reviewDigest, uint256 submittedAt, uint256 round, uint8 verdict, address appellant, uint256 resolvesAt))",
      ],
      provider,
    );
    const { resolvesAt } = await poolContract.claim(1);
    const now = (await provider.getBlock("latest"))!.timestamp;
    await increaseTime(Number(resolvesAt) - now);
    const out = await json(["resolve", "1"], { key: dave.privateKey });
    expect(out.stateName).to.equal("Approved");
    expect(out.verdict).to.equal("Approve");
  });

  it("settle --all settles the ended periods; settle refuses the open one, then settles it", async function () {
    const all = await json(["settle", "--all"], { key: dave.privateKey });
    expect(all.parts.map((p: { period: string; closed: boolean }) => [p.period, p.closed])).to.deep.equal([
      ["0", true],
      ["1", true],
    ]);
    expect(all.nextPeriodToSettle).to.equal("2");
    expect(await failure(["settle"], { key: dave.privateKey })).to.equal("error: The period has not ended yet.\n");
    const poolContract = new Contract(pool, ["function periodEnd(uint256) view returns (uint256)"], provider);
    const end = Number(await poolContract.periodEnd(2));
    const now = (await provider.getBlock("latest"))!.timestamp;
    await increaseTime(end - now);
    const period = await json(["settle"], { key: dave.privateKey });
    expect(period.period).to.equal("2");
    expect(period.parts).to.have.length(1);
    expect(period.parts[0]).to.include({
      period: "2",
      part: "0",
      closed: true,
      members: "4",
      claimsPaid: "1",
      payouts: "20000000",
      fee: "1000000",
      share: "5250000",
      surplusOut: "0",
      deficitOut: "0",
    });
  });

  it("statement --json shows what a member put in, was charged and is owed", async function () {
    const s = await json(["statement", alice.address]);
    expect(s).to.include({
      member: alice.address,
      statusName: "Active",
      credit: "30000000",
      charged: "5250000",
      balance: "24750000",
      payout: "21000000",
      openClaimId: "0",
    });
  });

  it("topup adds to the balance", async function () {
    await json(["topup", "--amount", "5.5"], { key: bob.privateKey });
    expect((await json(["statement", bob.address])).balance).to.equal("30250000");
  });

  it("withdraw --payout and --fees pay the claimant and the operator", async function () {
    const [aliceBefore, operatorBefore] = await Promise.all([
      token.balanceOf(alice.address),
      token.balanceOf(operator.address),
    ]);
    await json(["withdraw", "--payout"], { key: alice.privateKey });
    await json(["withdraw", "--fees"], { key: operator.privateKey });
    expect((await token.balanceOf(alice.address)) - aliceBefore).to.equal(21_000_000n);
    expect((await token.balanceOf(operator.address)) - operatorBefore).to.equal(1_000_000n);
  });

  it("exit requests an exit, exit --complete completes it, and withdraw --all takes the rest", async function () {
    const requested = await json(["exit"], { key: carol.privateKey });
    expect(requested.exitClaimBound).to.equal("2");
    expect((await json(["statement", carol.address])).statusName).to.equal("Exiting");
    await json(["exit", "--complete", carol.address], { key: operator.privateKey });
    expect((await json(["statement", carol.address])).statusName).to.equal("Exited");
    const before = await token.balanceOf(carol.address);
    const out = await json(["withdraw", "--all"], { key: carol.privateKey });
    expect(out.amount).to.equal("24750000");
    expect((await token.balanceOf(carol.address)) - before).to.equal(24_750_000n);
  });

  it("lapse with no members flags the underfunded ones, then lapses them once the grace is over", async function () {
    const flagged = await json(["lapse"], { key: operator.privateKey });
    expect(flagged.flagged).to.deep.equal([dave.address]);
    expect(flagged.lapsed).to.deep.equal([]);
    expect(flagged.underfunded[0]).to.deep.include({
      member: dave.address,
      balance: "7750000",
      minBalance: "12000000",
    });
    const inGrace = await json(["lapse"], { key: operator.privateKey });
    expect([inGrace.flagged, inGrace.lapsed]).to.deep.equal([[], []]);
    await increaseTime(7 * DAY);
    const lapsed = await json(["lapse"], { key: operator.privateKey });
    expect(lapsed.lapsed).to.deep.equal([dave.address]);
    expect(lapsed.count).to.equal(1);
    expect((await json(["statement", dave.address])).statusName).to.equal("Lapsing");
    await json(["exit", "--complete", dave.address], { key: operator.privateKey });
    expect((await json(["statement", dave.address])).statusName).to.equal("Lapsed");
    expect((await json(["lapse"], { key: operator.privateKey })).lapsed).to.deep.equal([]);
  });

  it("flag <member> refuses a funded member with the typed error's message", async function () {
    expect(await failure(["flag", alice.address], { key: operator.privateKey })).to.equal(
      "error: The member holds at least the minimum balance and cannot be flagged or lapsed.\n",
    );
  });

  it("audit rebuilds the pool from its events, passes, and writes report.md, report.json and statements.csv", async function () {
    const out = join(dir, "audit");
    const run = await huzhu(["audit", "--out", out]);
    expect(run.stderr).to.equal("");
    expect(run.code).to.equal(0);
    // One row per settle call (part), with the part number and whether it closed the period.
    expect(run.stdout).to.include("| 2 | 0 | 1 | 20 | 1 | 4 | 5.25 | 0 | 0 | 0 | yes |");
    expect(run.stdout).to.include("PASS: ");
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    expect(report.passed).to.equal(true);
    expect(report.periods.find((p: { period: string }) => p.period === "2")).to.include({
      period: "2",
      members: "4",
      payouts: "20000000",
      fee: "1000000",
      share: "5250000",
    });
    const rows = readFileSync(join(out, "statements.csv"), "utf8").trim().split("\n");
    // v2's auditor adds how many times a member rejoined (returns) and the juror penalties it paid.
    expect(rows[0]).to.equal(
      "member,status,joined_block,returns,deposits,withdrawals,penalties,charged,shortfall,balance,payout_due,periods_shared",
    );
    expect(rows).to.have.length(1 + 4);
    expect(readFileSync(join(out, "report.md"), "utf8")).to.include("**Verdict: PASS**");
  });

  it("audit exits 1 and names the escrow discrepancy when the pool's tokens change behind its back", async function () {
    // OpenZeppelin's ERC20 keeps balances in a mapping at slot 0.
    const slot = keccak256(AbiCoder.defaultAbiCoder().encode(["address", "uint256"], [pool, 0]));
    const held = await token.balanceOf(pool);
    await rpc("hardhat_setStorageAt", [await token.getAddress(), slot, toBeHex(held + 1n, 32)]);
    try {
      const run = await huzhu(["audit", "--out", join(dir, "audit-tampered")]);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.include(
        `escrow balance: token ${await token.getAddress()}: events say ${held}, chain says ${held + 1n}`,
      );
    } finally {
      await rpc("hardhat_setStorageAt", [await token.getAddress(), slot, toBeHex(held, 32)]);
    }
  });

  it("history shows a member's share of each settled period from the events", async function () {
    const history = await json(["history", alice.address]);
    expect(history.member).to.equal(alice.address);
    const period0 = history.periods.find((p: { period: string }) => p.period === "2");
    expect(period0).to.deep.include({ share: "5250000", members: "4" });
    expect(period0.claims).to.have.length(1);
    // Fees are charged per claim (at its own feeBps): a member's part of a claim is the share split over
    // the settlement's payouts plus fees, pro rata to the claim's paid + fee. One claim: 5.25 * (20 + 1) / 21.
    expect(period0.claims[0]).to.deep.include({ paid: "20000000", fee: "1000000", memberPart: "5250000" });
    expect(await json(["statement", alice.address, "--history"])).to.deep.equal(history);
  });

  it("settle --all settles every ended period in order, then finds none left", async function () {
    const poolContract = new Contract(
      pool,
      ["function periodEnd(uint256) view returns (uint256)", "function nextPeriodToSettle() view returns (uint256)"],
      provider,
    );
    const next = await poolContract.nextPeriodToSettle();
    const end = Number(await poolContract.periodEnd(next + 1n));
    await increaseTime(end - (await provider.getBlock("latest"))!.timestamp);
    const out = await json(["settle", "--all"], { key: dave.privateKey });
    // One entry per settlement part (PeriodSettled event): two empty periods, one part each, both closed.
    expect(
      out.parts.map((p: { period: string; part: string; closed: boolean }) => [p.period, p.part, p.closed]),
    ).to.deep.equal([
      [String(next), "0", true],
      [String(next + 1n), "0", true],
    ]);
    expect(out.nextPeriodToSettle).to.equal(String(next + 2n));
    expect(await poolContract.nextPeriodToSettle()).to.equal(next + 2n);
    expect(await json(["settle", "--all"], { key: dave.privateKey })).to.deep.equal({
      parts: [],
      nextPeriodToSettle: String(next + 2n),
      txs: [],
    });
    expect(await failure(["settle", "3", "--all"], { key: dave.privateKey })).to.match(/give a period or --all/);
  });

  it("a bad key fails on one line and is never echoed", async function () {
    const [stderr, verbose, fromEnv] = await Promise.all([
      failure(["topup", "--amount", "1"], { key: "0xdeadbeefcafe" }),
      failure(["topup", "--amount", "1", "--verbose"], { key: `0x${"ff".repeat(32)}` }),
      failure(["topup", "--amount", "1"], { env: { HUZHU_PRIVATE_KEY: "0xc0ffee" } }),
    ]);
    expect(stderr).to.equal(
      "error: Invalid --key: must be a private key of 32 bytes of hex (64 hex digits, 0x optional).\n",
    );
    expect(verbose).to.equal("error: Invalid --key: is not a valid secp256k1 private key.\n");
    expect(fromEnv).to.equal(
      "error: Invalid HUZHU_PRIVATE_KEY: must be a private key of 32 bytes of hex (64 hex digits, 0x optional).\n",
    );
    for (const text of [stderr, verbose, fromEnv]) {
      expect(text).to.not.contain("deadbeefcafe");
      expect(text).to.not.contain("ffffffff");
      expect(text).to.not.contain("c0ffee");
    }
  });

  it("a bad address fails on one line naming the parameter", async function () {
    const [member, poolOption] = await Promise.all([
      failure(["statement", "0x1234"]),
      failure(["--pool", "0xabc", "pool", "show"]),
    ]);
    expect(member).to.equal('error: Invalid member: "0x1234" is not an address (0x followed by 40 hex digits).\n');
    expect(poolOption).to.equal('error: Invalid --pool: "0xabc" is not an address (0x followed by 40 hex digits).\n');
  });

  it("an unknown network fails with UnknownNetworkError's line", async function () {
    expect(await failure(["--network", "nowhere", "pool", "show"])).to.equal(
      'error: Unknown network "nowhere": no deployments/nowhere.json.\n',
    );
  });
});
