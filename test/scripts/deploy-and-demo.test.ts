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

  it("runs the demo at a small size: the table prints and the audit passes", async function () {
    const demo = await run(HARDHAT, ["run", "scripts/demo.ts"], { HUZHU_MEMBERS: "80", HUZHU_PERIODS: "2" });
    expect(demo.code, demo.stderr).to.equal(0);
    expect(demo.stdout).to.include("## Apportionment by period");
    expect(demo.stdout).to.match(/\| 6 \| 2 \| [\d.]+ \| [\d.]+ \| \d+ \| [\d.]+ \|/);
    expect(demo.stdout).to.include("a waiting member's claim: ClaimantNotActive");
    expect(demo.stdout).to.include("audit verdict: PASS");
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

    it("deploys the factory and a first pool, and the CLI works from the written deployments file", async function () {
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
        optimizer: { enabled: true, runs: 1000 },
        viaIR: true,
        evmVersion: "cancun",
      });
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
    });
  });
});
