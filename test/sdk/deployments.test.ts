import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidParameterError, UnknownNetworkError, type Rules } from "../../sdk/src";
import {
  addPool,
  findPool,
  loadDeployment,
  parseRulesFile,
  readRulesFile,
  writeDeployment,
  type Deployment,
} from "../../sdk/src/node";

const TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const POOL = "0xB7A5bd0345EF1Cc5E66bf61BdeC17D2461fBd968";
const OPERATOR = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const ZERO = "0x0000000000000000000000000000000000000000";

const rules: Rules = {
  asset: TOKEN,
  randomness: ZERO,
  waitingPeriod: 7_776_000,
  periodLength: 1_209_600,
  commitWindow: 259_200,
  revealWindow: 172_800,
  appealWindow: 172_800,
  lapseGrace: 1_209_600,
  minDeposit: 20_000_000n,
  minBalance: 11_000_001n,
  maxClaimsPerPeriod: 5,
  feeBps: 800,
  jurySize: 3,
  maxAppealRounds: 1,
  quorumBps: 6_667,
  approvalThresholdBps: 6_000,
  maxClaimAmount: 300_000_000_000n,
  capPerMember: 100_000n,
  claimBond: 5_000_000n,
  appealBond: 10_000_000n,
  jurorPenalty: 500_000n,
  annualChargeCap: 0n,
  maxPayoutPerMember: 0n,
};

const deployment: Deployment = {
  network: "localhost",
  chainId: 31337,
  factory: { address: "0xa16E02E87b7454126E5E10d957A927A7F5B5d2be", block: 1n },
  implementation: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
  libraries: {
    Juries: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    Apportionment: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
  },
  refusesOpenPools: false,
  compiler: { version: "0.8.28", optimizer: { enabled: true, runs: 1000 }, viaIR: true, evmVersion: "cancun" },
  pools: [
    {
      name: "default",
      address: POOL,
      block: 3n,
      rules,
      roles: { operator: OPERATOR, verifier: ZERO, assessor: ZERO, guardian: ZERO },
    },
  ],
};

/** The rules file's JSON with `overrides` applied (`undefined` removes a field). */
function rulesJson(overrides: Record<string, unknown> = {}): string {
  const json: Record<string, unknown> = {
    asset: TOKEN,
    waitingPeriod: 7_776_000,
    periodLength: "1209600",
    commitWindow: 259_200,
    revealWindow: 172_800,
    appealWindow: 172_800,
    lapseGrace: "1209600",
    minDeposit: { amount: "20", decimals: 6 },
    minBalance: "11000001",
    maxClaimsPerPeriod: 5,
    feeBps: 800,
    jurySize: 3,
    maxAppealRounds: 1,
    quorumBps: 6_667,
    maxClaimAmount: { amount: "300000", decimals: 6 },
    capPerMember: { amount: "0.1", decimals: 6 },
    approvalThresholdBps: 6_000,
    claimBond: "5000000",
    appealBond: { amount: "10", decimals: 6 },
    jurorPenalty: "500000",
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete json[key];
    else json[key] = value;
  }
  return JSON.stringify(json);
}

function invalid(fn: () => unknown): InvalidParameterError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidParameterError);
    return error as InvalidParameterError;
  }
  throw new Error("expected an InvalidParameterError");
}

describe("deployments file", function () {
  let dir: string;

  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), "huzhu-deployments-"));
  });

  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  function writeRaw(network: string, json: unknown): void {
    writeFileSync(join(dir, `${network}.json`), typeof json === "string" ? json : JSON.stringify(json));
  }

  function rawOf(d: Deployment): Record<string, unknown> {
    writeDeployment(d, dir);
    return JSON.parse(readFileSync(join(dir, `${d.network}.json`), "utf8"));
  }

  it("writes amounts as decimal strings and loads back the same deployment", function () {
    const file = writeDeployment(deployment, dir);
    expect(file).to.equal(join(dir, "localhost.json"));
    const json = JSON.parse(readFileSync(file, "utf8"));
    expect(json.factory).to.deep.equal({ address: deployment.factory.address, block: 1 });
    expect(json.pools[0].rules.minBalance).to.equal("11000001");
    expect(json.pools[0].rules.waitingPeriod).to.equal(7_776_000);
    expect(json.pools[0].rules.jurySize).to.equal(3);
    expect(json.pools[0].rules.appealBond).to.equal("10000000");
    expect(json.libraries).to.deep.equal(deployment.libraries);
    expect(json.refusesOpenPools).to.equal(false);
    expect(loadDeployment("localhost", dir)).to.deep.equal(deployment);
  });

  it("loads a file without libraries (written before v2) and names a bad library address", function () {
    const old = rawOf(deployment);
    delete old.libraries;
    delete old.refusesOpenPools;
    writeRaw("localhost", old);
    const loaded = loadDeployment("localhost", dir);
    expect(loaded.libraries).to.equal(undefined);
    expect(loaded.refusesOpenPools).to.equal(undefined);
    const bad = rawOf(deployment) as { libraries: Record<string, unknown> };
    bad.libraries.Juries = "0x12";
    writeRaw("localhost", bad);
    expect(invalid(() => loadDeployment("localhost", dir)).parameter).to.equal("libraries.Juries");
  });

  it("throws UnknownNetworkError naming the network when the file is missing", function () {
    try {
      loadDeployment("sepolia", dir);
      expect.fail("loaded a missing file");
    } catch (error) {
      expect(error).to.be.instanceOf(UnknownNetworkError);
      expect((error as UnknownNetworkError).network).to.equal("sepolia");
      expect((error as UnknownNetworkError).shortMessage).to.equal(
        'Unknown network "sepolia": no deployments/sepolia.json.',
      );
    }
  });

  it("names the malformed field of a pool's rules", function () {
    const json = rawOf(deployment) as { pools: Array<{ rules: Record<string, unknown> }> };
    json.pools[0].rules.minDeposit = "20 USDC";
    writeRaw("localhost", json);
    const error = invalid(() => loadDeployment("localhost", dir));
    expect(error.parameter).to.equal("pools[0].rules.minDeposit");
    expect(error.shortMessage).to.contain(join(dir, "localhost.json"));
  });

  it("names a missing field, an unknown field and a bad address", function () {
    const missing = rawOf(deployment);
    delete missing.chainId;
    writeRaw("localhost", missing);
    expect(invalid(() => loadDeployment("localhost", dir)).parameter).to.equal("chainId");

    const typo = rawOf(deployment) as { factory: Record<string, unknown> };
    typo.factory.adress = typo.factory.address;
    writeRaw("localhost", typo);
    expect(invalid(() => loadDeployment("localhost", dir)).parameter).to.equal("factory.adress");

    const badAddress = rawOf(deployment) as { pools: Array<Record<string, unknown>> };
    badAddress.pools[0].address = "0x1234";
    writeRaw("localhost", badAddress);
    expect(invalid(() => loadDeployment("localhost", dir)).shortMessage).to.equal(
      `Invalid pools[0].address: "0x1234" is not an address (0x followed by 40 hex digits) (in ${join(dir, "localhost.json")}).`,
    );
  });

  it("refuses a file recorded for another network, and text that is not JSON", function () {
    writeRaw("mainnet", rawOf(deployment));
    expect(invalid(() => loadDeployment("mainnet", dir)).parameter).to.equal("network");
    writeRaw("localhost", "{ not json");
    expect(invalid(() => loadDeployment("localhost", dir)).parameter).to.equal(join(dir, "localhost.json"));
  });

  it("refuses a second pool under a name already recorded", function () {
    expect(invalid(() => addPool(deployment, { ...deployment.pools[0], address: TOKEN })).parameter).to.equal(
      "pool name",
    );
    const added = addPool(deployment, { ...deployment.pools[0], name: "second", address: TOKEN });
    expect(added.pools.map((p) => p.name)).to.deep.equal(["default", "second"]);
    expect(deployment.pools).to.have.length(1);
  });

  it("finds a pool by name, by address in any case, and the first one by default", function () {
    const two = addPool(deployment, { ...deployment.pools[0], name: "second", address: TOKEN });
    expect(findPool(two)?.name).to.equal("default");
    expect(findPool(two, "second")?.address).to.equal(TOKEN);
    expect(findPool(two, TOKEN.toLowerCase())?.name).to.equal("second");
    expect(invalid(() => findPool(two, "third")).shortMessage).to.equal(
      'Invalid pool: no pool named "third" for localhost (known: default, second).',
    );
  });
});

describe("rules file", function () {
  it("reads base-unit strings and { amount, decimals } to the same base units", function () {
    const file = parseRulesFile(rulesJson({ roles: { operator: OPERATOR } }), "rules.json");
    expect(file.rules).to.deep.equal(rules);
    expect(file.decimals).to.equal(6);
    expect(file.roles).to.deep.equal({ operator: OPERATOR });
  });

  it("reads a file from disk and names it in its errors", function () {
    const dir = mkdtempSync(join(tmpdir(), "huzhu-rules-"));
    try {
      const path = join(dir, "rules.json");
      writeFileSync(path, rulesJson({ minBalance: undefined }));
      expect(invalid(() => readRulesFile(path)).shortMessage).to.equal(
        `Invalid minBalance: the field is missing (in ${path}).`,
      );
      expect(invalid(() => readRulesFile(join(dir, "none.json"))).shortMessage).to.equal(
        `Invalid rules file: cannot read ${join(dir, "none.json")} (ENOENT).`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a bare JSON number as an amount: base units or tokens would be a guess", function () {
    const error = invalid(() => parseRulesFile(rulesJson({ claimBond: 5 }), "rules.json"));
    expect(error.parameter).to.equal("claimBond");
    expect(error.shortMessage).to.contain('or { "amount": "20", "decimals": 6 }');
  });

  it("refuses amounts written with two different decimals", function () {
    const error = invalid(() => parseRulesFile(rulesJson({ claimBond: { amount: "5", decimals: 18 } }), "rules.json"));
    expect(error.parameter).to.equal("claimBond.decimals");
  });

  it("refuses more decimals than declared, values out of their on-chain range, and unknown fields", function () {
    expect(
      invalid(() => parseRulesFile(rulesJson({ minDeposit: { amount: "1.1234567", decimals: 6 } }))).parameter,
    ).to.equal("minDeposit.amount");
    expect(invalid(() => parseRulesFile(rulesJson({ feeBps: 70_000 }))).shortMessage).to.equal(
      "Invalid feeBps: 70000 is out of range (0 to 65535) (in rules file).",
    );
    expect(invalid(() => parseRulesFile(rulesJson({ minBalance: (2n ** 96n).toString() }))).parameter).to.equal(
      "minBalance",
    );
    expect(invalid(() => parseRulesFile(rulesJson({ waitingPeriod: -1 }))).parameter).to.equal("waitingPeriod");
    expect(invalid(() => parseRulesFile(rulesJson({ quorum: 3 }))).parameter).to.equal("quorum");
    expect(invalid(() => parseRulesFile(rulesJson({ jurySize: 256 }))).parameter).to.equal("jurySize");
    expect(invalid(() => parseRulesFile(rulesJson({ roles: { operator: "0x12" } }))).parameter).to.equal(
      "roles.operator",
    );
  });

  it("takes an annual charge cap, a yearly payout limit and a randomness adapter when given", function () {
    const file = parseRulesFile(
      rulesJson({
        annualChargeCap: "188000000",
        maxPayoutPerMember: { amount: "2000", decimals: 6 },
        randomness: POOL,
      }),
    );
    expect(file.rules.annualChargeCap).to.equal(188_000_000n);
    expect(file.rules.maxPayoutPerMember).to.equal(2_000_000_000n);
    expect(file.rules.randomness).to.equal(POOL);
  });

  it("reads deployments/rules.example.json", function () {
    const file = readRulesFile(join(__dirname, "..", "..", "deployments", "rules.example.json"));
    expect(file.rules).to.include({ jurySize: 3, maxAppealRounds: 1, quorumBps: 6_667, lapseGrace: 1_209_600 });
    expect(file.rules.appealBond).to.equal(10_000_000n);
  });
});
