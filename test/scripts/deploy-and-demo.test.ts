import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider } from "ethers";

const ROOT = join(__dirname, "..", "..");
const HARDHAT = join(ROOT, "node_modules", ".bin", "hardhat");
const PORT = 8650;
const RPC = `http://127.0.0.1:${PORT}`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the main job and the deployment", function () {
  this.timeout(600_000);

  it("runs the demo at a small size: juries, an overturning appeal, a fresh jury, a forced exit, settlement in parts, a beneficiary, a recovery", async function () {
    // 200 members and 185 small claims: more payable claims in one period than one settle call pays (180).
    const demo = await run(HARDHAT, ["run", "scripts/demo.ts"], { HUZHU_MEMBERS: "210", HUZHU_BULK_CLAIMS: "185" });
    expect(demo.code, demo.stderr).to.equal(0);
    expect(demo.stdout).to.include("a waiting member's claim: ClaimantNotActiveError");
    expect(demo.stdout).to.match(/round 0 of #1: Reject 0-3 by a drawn jury of 3/);
    expect(demo.stdout).to.match(/round 1 of #1: Approve 7-0 by 7 jurors: overturned/);
    expect(demo.stdout).to.match(
      /round 0 of #2: no quorum \(1 of 2 needed revealed\); 2 silent jurors paid 2 DUSD; fresh jury in round 1/,
    );
    expect(demo.stdout).to.include("#1 Approved after 2 round(s)");
    expect(demo.stdout).to.include("#2 Approved after 2 round(s)");
    expect(demo.stdout).to.include("#3 Rejected after 1 round(s)");
    expect(demo.stdout).to.match(/settled period \d+ part 0: 180 claims paid/);
    expect(demo.stdout).to.match(/settled period \d+ part 1 \(closed\): 7 claims paid/);
    expect(demo.stdout).to.match(/grace over, still below: lapsed 1 \(Lapsing/);
    expect(demo.stdout).to.include("forced exit complete: Lapsed");
    expect(demo.stdout).to.include("returned with the same identity: Waiting");
    expect(demo.stdout).to.match(/#1 pays the claimant's beneficiary: 0x0+ebbA1/i);
    expect(demo.stdout).to.match(/the beneficiary 0x0+ebbA1 withdrew the payout of #1: 52\.5 DUSD/i);
    expect(demo.stdout).to.match(/a recovery of 0x0+10006 was requested; its wallet cancelled it with one call/i);
    expect(demo.stdout).to.match(
      /recovery complete: 0x0+ebba3 is Active with the balance [\d.]+ DUSD \(was [\d.]+ DUSD at 0x0+10004, now None\)/i,
    );
    expect(demo.stdout).to.include("185 of 185 small claims paid");
    // The auditor reads v2 pools once branch v2-audit is merged; until then the demo says it did not run.
    expect(demo.stdout).to.match(/audit verdict: PASS|audit did not run on this v2 pool/);
  });

  describe("on a hardhat node over HTTP", function () {
    let node: ChildProcess;
    let dir: string;

    before(async function () {
      dir = mkdtempSync(join(tmpdir(), "huzhu-deploy-"));
      node = spawn(HARDHAT, ["node", "--port", String(PORT)], { cwd: ROOT, stdio: "ignore" });
      const provider = new JsonRpcProvider(RPC);
      for (let i = 0; ; i++) {
        try {
          await provider.getBlockNumber();
          break;
        } catch (error) {
          if (i > 120) throw error;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      provider.destroy();
    });

    after(function () {
      node?.kill();
      rmSync(dir, { recursive: true, force: true });
    });

    it("deploys the libraries, the factory and a first pool, and the CLI works from the written deployments file", async function () {
      const deployed = await run(HARDHAT, ["run", "scripts/deploy.ts", "--network", "localhost"], {
        HUZHU_RPC_URL: RPC,
        HUZHU_DEPLOYMENTS: dir,
        HUZHU_RULES: join(ROOT, "deployments", "rules.example.json"),
        HUZHU_TEST_TOKEN: "1",
      });
      expect(deployed.code, deployed.stderr).to.equal(0);
      const file = JSON.parse(readFileSync(join(dir, "localhost.json"), "utf8"));
      expect(file).to.include({ network: "localhost", chainId: 31337 });
      expect(file.compiler).to.deep.equal({
        version: "0.8.28",
        optimizer: { enabled: true, runs: 200 },
        viaIR: true,
        evmVersion: "cancun",
      });
      expect(Object.keys(file.libraries)).to.deep.equal(["Juries", "Apportionment", "Recovery"]);
      expect(file.refusesOpenPools).to.equal(false);
      expect(file.pools).to.have.length(1);
      expect(file.pools[0].rules.feeBps).to.equal(800);
      // Each pool's roles and creation block are recorded: a keeper or auditor needs no other source.
      const ZERO = "0x0000000000000000000000000000000000000000";
      expect(file.pools[0].roles).to.deep.equal({
        operator: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
        verifier: ZERO,
        assessor: ZERO,
        guardian: ZERO,
      });
      const verify = new JsonRpcProvider(RPC);
      const created = await verify.getLogs({ address: file.factory.address, fromBlock: 0, toBlock: "latest" });
      verify.destroy();
      expect(created.map((log) => log.blockNumber)).to.include(file.pools[0].block);

      const show = await run(
        process.execPath,
        [
          "-r",
          "ts-node/register",
          join(ROOT, "sdk/src/cli/index.ts"),
          "--deployments",
          dir,
          "--rpc",
          RPC,
          "pool",
          "show",
          "--json",
        ],
        { TS_NODE_TRANSPILE_ONLY: "true", TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: "commonjs" }) },
      );
      expect(show.code, show.stderr).to.equal(0);
      const info = JSON.parse(show.stdout);
      expect(info.address).to.equal(file.pools[0].address);
      expect(info.memberCount).to.equal("0");
      expect(info.rules.minDeposit).to.equal("20000000");
      expect(info.rules.jurySize).to.equal(3);
      expect(info.isOpenPool).to.equal(true);
    });
  });
});
