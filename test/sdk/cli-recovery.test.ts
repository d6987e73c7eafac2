import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet, verifyTypedData } from "ethers";
import { MockERC20__factory, type MockERC20 } from "../../typechain-types";
import { identityCommitment, type Hex } from "../../sdk/src";
import { RECOVERY_TYPES } from "../helpers/fixtures";
import { ROOT, hardhatKey, startHardhatNode, type HardhatNode } from "../helpers/hardhatNode";

const CLI = join(ROOT, "sdk", "src", "cli", "index.ts");
const PORT = 8760;
const DAY = 86_400;
const USD = (amount: string): bigint => BigInt(Math.round(Number(amount) * 1e6));

/**
 * The beneficiary, payee, withdraw --to and recovery commands, each run in a fresh process as a user
 * would, against a hardhat node over JSON-RPC.
 */
describe("huzhu CLI: beneficiaries, payees and recovery", function () {
  this.timeout(300_000);
  let node: HardhatNode;
  let dir: string;
  let token: MockERC20;
  const [operator, alice, bob, carol, helper, newAlice, hospital] = [0, 1, 2, 3, 4, 5, 6].map(
    (i) => new Wallet(hardhatKey(i)),
  );
  const salt = `0x${"11".repeat(32)}` as Hex;
  const commitment = identityCommitment("alice", salt);
  let poolAddress = "";

  function huzhu(args: string[], key?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" };
    delete env.HUZHU_PRIVATE_KEY;
    delete env.HUZHU_RPC_URL;
    const child = spawn(
      process.execPath,
      ["-r", "ts-node/register", CLI, "--deployments", dir, "--rpc", node.url, ...(key ? ["--key", key] : []), ...args],
      { cwd: ROOT, env },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    return new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  }

  async function json(args: string[], key?: string) {
    const run = await huzhu([...args, "--json"], key);
    expect(run.stderr, `stderr of huzhu ${args.join(" ")}`).to.equal("");
    expect(run.code).to.equal(0);
    return JSON.parse(run.stdout);
  }

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), "huzhu-cli-recovery-"));
    node = await startHardhatNode(PORT);
    token = await new MockERC20__factory(node.wallet(0)).deploy("Test USD", "TUSD", 6);
    await token.waitForDeployment();
    for (const m of [alice, bob, carol]) await (await token.mint(m.address, USD("100"))).wait();
    await json(["deploy"], operator.privateKey);
    const rules = join(dir, "rules.json");
    writeFileSync(
      rules,
      JSON.stringify({
        asset: await token.getAddress(),
        waitingPeriod: 14 * DAY,
        periodLength: 7 * DAY,
        commitWindow: DAY,
        revealWindow: DAY,
        appealWindow: DAY,
        lapseGrace: 7 * DAY,
        minDeposit: "13000000",
        minBalance: "12000000",
        maxClaimsPerPeriod: 1,
        feeBps: 500,
        jurySize: 3,
        maxAppealRounds: 1,
        quorumBps: 6000,
        maxClaimAmount: "30000000",
        capPerMember: "10000000",
        approvalThresholdBps: 6000,
        claimBond: "1000000",
        appealBond: "2000000",
        jurorPenalty: "500000",
      }),
    );
    poolAddress = (await json(["pool", "create", "--rules", rules], operator.privateKey)).pool;
    await json(["join", "--amount", "30", "--identity", "alice", "--salt", salt], alice.privateKey);
    await json(["join", "--amount", "30", "--identity", "bob"], bob.privateKey);
  });

  after(async function () {
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("beneficiary names who is paid; statement shows it; withdraw --to sends a balance elsewhere", async function () {
    expect((await json(["beneficiary", hospital.address], alice.privateKey)).beneficiary).to.equal(hospital.address);
    expect((await json(["statement", alice.address])).recovery.beneficiary).to.equal(hospital.address);
    const out = await json(["withdraw", "--amount", "5", "--to", hospital.address], alice.privateKey);
    expect(out.to).to.equal(hospital.address);
    expect(await token.balanceOf(hospital.address)).to.equal(USD("5"));
  });

  it("claim submit --payee names the claim's payee, and claim show shows it", async function () {
    await node.increaseTime(15 * DAY);
    const digest = `0x${"ab".repeat(32)}`;
    const out = await json(
      ["claim", "submit", "--amount", "20", "--evidence", digest, "--payee", carol.address],
      bob.privateKey,
    );
    expect(out.payee).to.equal(carol.address);
    expect((await json(["claim", "show", out.claimId])).payee).to.equal(carol.address);
  });

  it("recovery options, request, statement's warning, cancel, and a completed recovery", async function () {
    await json(["recovery", "options", "--address", helper.address], alice.privateKey);
    const requested = await json(
      ["recovery", "request", "--commitment", commitment, "--new-wallet", newAlice.address],
      helper.privateKey,
    );
    expect(requested.member).to.equal(alice.address);
    const text = await huzhu(["statement", alice.address]);
    expect(text.stdout).to.contain(`RECOVERY PENDING: the membership moves to ${newAlice.address}`);
    expect((await json(["recovery", "cancel"], alice.privateKey)).cancelled).to.equal(true);
    expect((await json(["statement", alice.address])).recovery.pending).to.equal(null);
    await json(
      ["recovery", "request", "--commitment", commitment, "--new-wallet", newAlice.address],
      helper.privateKey,
    );
    const early = await huzhu(["recovery", "complete", "--commitment", commitment], bob.privateKey);
    expect(early.code).to.equal(1);
    expect(early.stderr).to.match(/^error: The recovery delay has not run out\./);
    await node.increaseTime(30 * DAY);
    const done = await json(["recovery", "complete", "--commitment", commitment], bob.privateKey);
    expect(done.member).to.equal(newAlice.address);
    expect((await json(["statement", newAlice.address])).balance).to.equal("25000000");
  });

  it("recovery sign reads the member's recovery nonce and signs it into the attestation", async function () {
    // Alice's options (nonce 1) moved with the membership to her new wallet.
    const deadline = String(Math.floor(Date.now() / 1000) + 90 * DAY);
    const out = await json(
      [
        "recovery",
        "sign",
        "--member",
        newAlice.address,
        "--new-wallet",
        hospital.address,
        "--commitment",
        commitment,
        "--deadline",
        deadline,
      ],
      operator.privateKey,
    );
    expect(String(out.nonce)).to.equal("1");
    const domain = { name: "Huzhu Pool", version: "1", chainId: 31337, verifyingContract: poolAddress };
    const message = { member: newAlice.address, newWallet: hospital.address, commitment, nonce: 1n, deadline };
    expect(verifyTypedData(domain, RECOVERY_TYPES, message, out.signature)).to.equal(operator.address);
    expect(verifyTypedData(domain, RECOVERY_TYPES, { ...message, nonce: 0n }, out.signature)).to.not.equal(
      operator.address,
    );
  });
});
