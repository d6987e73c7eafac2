import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import hre, { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  ClaimState,
  ClaimStateNames,
  InvalidParameterError,
  MemberStatus,
  MemberStatusNames,
  enumNames,
  identityCommitment,
  type Hex,
} from "../../sdk/src";
import { endPeriod } from "../helpers/fixtures";
import { KINDS, clientFor, membersFixture } from "./helpers";

const ROOT = path.join(__dirname, "..", "..");

interface AstNode {
  nodeType?: string;
  canonicalName?: string;
  members?: Array<{ name: string }>;
  nodes?: AstNode[];
}

/** The enums of a contract source, read from the compiler's AST here, independently of the codegen. */
async function enumsOf(source: string, contract: string): Promise<Record<string, string[]>> {
  const buildInfo = await hre.artifacts.getBuildInfo(`${source}:${contract}`);
  const found: Record<string, string[]> = {};
  const visit = (node: AstNode) => {
    if (node.nodeType === "EnumDefinition") found[node.canonicalName!] = node.members!.map((m) => m.name);
    node.nodes?.forEach(visit);
  };
  visit(buildInfo!.output.sources[source].ast as AstNode);
  return found;
}

describe("enum names for plain clients", function () {
  it("MemberStatus and ClaimState, both ways, are the contracts' enums as compiled", async function () {
    const registry = await enumsOf("contracts/interfaces/IMemberRegistry.sol", "IMemberRegistry");
    const voting = await enumsOf("contracts/interfaces/IClaimVoting.sol", "IClaimVoting");
    expect([...MemberStatusNames]).to.deep.equal(registry["IMemberRegistry.MemberStatus"]);
    expect([...ClaimStateNames]).to.deep.equal(voting["IClaimVoting.ClaimState"]);
    MemberStatusNames.forEach((name, i) => expect(MemberStatus[name]).to.equal(i));
    ClaimStateNames.forEach((name, i) => expect(ClaimState[name]).to.equal(i));
    expect(enumNames.ClaimState).to.deep.equal(ClaimStateNames);
    expect(enumNames.MemberStatus).to.deep.equal(MemberStatusNames);
    // Every other enum of the contracts is there too, as compiled (v2: Verdict, JurorVote).
    expect(enumNames.Verdict).to.deep.equal(voting["IClaimVoting.Verdict"]);
    expect(enumNames.JurorVote).to.deep.equal(voting["IClaimVoting.JurorVote"]);
  });

  it("the package's abi/enums.json holds the same names", function () {
    const json = JSON.parse(readFileSync(path.join(ROOT, "sdk/abi/enums.json"), "utf8"));
    expect(json).to.deep.equal(
      Object.fromEntries(Object.entries(enumNames).map(([name, values]) => [name, [...values]])),
    );
    expect(json.ClaimState).to.deep.equal([...ClaimStateNames]);
    expect(json.MemberStatus).to.deep.equal([...MemberStatusNames]);
  });
});

describe("the identity commitment's encoding", function () {
  const salt = `0x${"ab".repeat(32)}` as Hex;
  const FORMULA = "keccak256(abi.encode(string identity, bytes32 salt))";

  it("identityCommitment is keccak256(abi.encode(string identity, bytes32 salt)), not the packed hash", function () {
    const identity = "CN-ID:110101199001011234 张三";
    const encoded = ethers.AbiCoder.defaultAbiCoder().encode(["string", "bytes32"], [identity, salt]);
    expect(identityCommitment(identity, salt)).to.equal(ethers.keccak256(encoded));
    expect(identityCommitment(identity, salt)).not.to.equal(
      ethers.solidityPackedKeccak256(["string", "bytes32"], [identity, salt]),
    );
  });

  it("refuses an identity that is not a string or a salt that is not 32 bytes, with InvalidParameterError", function () {
    expect(() => identityCommitment(42 as unknown as string, salt)).to.throw(InvalidParameterError, "Invalid identity");
    expect(() => identityCommitment("x", "0x1234")).to.throw(
      InvalidParameterError,
      'Invalid salt: "0x1234" is not 32 bytes of hex',
    );
  });

  it("README, SDK README, TSDoc and NatSpec give the one exact formula, and none gives another", function () {
    const files = [
      "README.md",
      "sdk/README.md",
      "sdk/src/utils/commitments.ts",
      "contracts/interfaces/IMemberRegistry.sol",
    ];
    for (const file of files) {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      expect(text, file).to.include(FORMULA);
      expect(text, file).not.to.match(/keccak256\(identity, salt\)/);
    }
  });
});

for (const kind of KINDS) {
  describe(`settleDue with a ${kind} client`, function () {
    it("settles every ended period in order (empty ones in one call), then finds none left", async function () {
      const f = await loadFixture(membersFixture);
      const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
      const first = (await keeper.settleDue()).nextPeriodToSettle; // catch up with the fixture's past
      await endPeriod(f.pool, first + 2n);
      const seen: bigint[] = [];
      const settled = await keeper.settleDue({ onPart: (parts) => seen.push(...parts.map((p) => p.period)) });
      const periods = [first, first + 1n, first + 2n];
      expect(settled.parts.map((p) => [p.period, p.part, p.closed])).to.deep.equal(periods.map((p) => [p, 0n, true]));
      expect(seen).to.deep.equal(periods);
      expect(settled.receipts).to.have.length(1);
      expect(settled.nextPeriodToSettle).to.equal(first + 3n);
      expect(await f.pool.nextPeriodToSettle()).to.equal(first + 3n);
      for (const p of periods) expect((await f.pool.settlement(p, 0)).members).to.equal(5n);
      expect((await keeper.settleDue()).parts).to.deep.equal([]);
    });

    it("refuses a maxCalls that is not a positive integer", async function () {
      const f = await loadFixture(membersFixture);
      const keeper = clientFor(kind, f.keeper, { pool: f.poolAddress });
      await expect(keeper.settleDue({ maxCalls: 0 })).to.be.rejectedWith(
        InvalidParameterError,
        "Invalid maxCalls: must be a positive integer.",
      );
    });
  });
}
