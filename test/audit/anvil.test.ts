import { expect } from "chai";
import hre from "hardhat";
import type { JsonRpcProvider } from "ethers";
import { createPublicClient, http } from "viem";
import { audit, createHuzhuClient, fromViem, type AuditResult } from "../../sdk/src";
import { installMulticall3 } from "../../sdk/src/node";
import { Chain, httpRpc, memberAddress, roles, runLife, startNode, usdc, type Life } from "./scenario";
import { field, readField, storageLayout, writeField } from "./storage";

const PORT = 8743;
const POOL = "contracts/HuzhuPool.sol:HuzhuPool";

/** The checks that failed, with their discrepancies. */
const failures = (r: AuditResult) =>
  r.checks.filter((c) => !c.passed).map((c) => ({ name: c.name, discrepancies: c.discrepancies }));

// The auditor against a node that is not Hardhat's: Foundry's Anvil, whose state overrides (the
// pool lens), Multicall3, log ranges and errors are its own implementation. The same life as the
// other audit suites, with a smaller crowd.
describe("audit over Anvil (another node implementation)", function () {
  this.timeout(600_000);
  let node: Awaited<ReturnType<typeof startNode>> | undefined;
  let rpc: JsonRpcProvider;
  let life: Life;
  let run: () => Promise<AuditResult>;

  before(async function () {
    node = await startNode(PORT, "anvil");
    rpc = httpRpc(node.url);
    await installMulticall3(rpc);
    life = await runLife(new Chain(rpc, { assignNonces: true }), hre.artifacts, 40, 5);
    const publicClient = createPublicClient({ transport: http(node.url) });
    const client = createHuzhuClient({ connector: fromViem({ publicClient }), pool: life.d.pool as `0x${string}` });
    run = () => audit(client, { factory: life.d.factory as `0x${string}`, fromBlock: life.d.firstBlock });
  });

  after(async function () {
    rpc?.destroy();
    await node?.stop();
  });

  it("passes every check, with the member records read through the pool lens", async function () {
    const result = await run();
    expect(failures(result)).to.deep.equal([]);
    expect(result.passed).to.equal(true);
    expect(result.views.lens).to.equal(true);
    expect(result.stats.members).to.equal(40);
  });

  it("names the member whose recorded credit was raised behind the pool's back", async function () {
    const member = memberAddress(roles.a[0]);
    const credit = field(
      await storageLayout(hre.artifacts, POOL),
      "_members",
      { type: "address", value: member },
      "credit",
    );
    const recorded = await readField(rpc, life.d.pool, credit);
    await writeField(rpc, life.d.pool, credit, recorded + usdc(1_000));

    const result = await run();
    expect(result.passed).to.equal(false);
    expect(failures(result).map((f) => [f.name, f.discrepancies.map((d) => [d.check, d.subject])])).to.deep.equal([
      [
        "every member's balance, status and flags match the events",
        [
          ["member balance", `member ${member}`],
          ["member credit", `member ${member}`],
        ],
      ],
    ]);
    const [, creditFound] = failures(result)[0].discrepancies;
    expect(creditFound.expected).to.equal(recorded.toString());
    expect(creditFound.actual).to.equal((recorded + usdc(1_000)).toString());
  });
});
