import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import {
  ClaimState,
  InvalidAddressError,
  InvalidAmountError,
  InvalidParameterError,
  MemberStatus,
  apportion,
  cappedPayout,
  checkAddress,
  checkAmount,
  checkBytes32,
  feeOn,
  formatAmount,
  identityCommitment,
  JurorVote,
  Verdict,
  nameOf,
  parseAmount,
  saltFromSignature,
  voteCommitment,
  voteSaltMessage,
} from "../../sdk/src";
import type { Address, Hex } from "../../sdk/src";
import { JurorSet, drawBase, drawJury, drawPosition, drawTries, quorumOf, verdictOf } from "../../sdk/src/core/jury";
import { KINDS, clientFor, deployFixture } from "./helpers";

const SEED = 20_250_601;
const RUNS = 150;
const MAX_UINT = ethers.MaxUint256;

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => ethers.hexlify(b) as Hex);
const address = fc
  .uint8Array({ minLength: 20, maxLength: 20 })
  .map((b) => ethers.getAddress(ethers.hexlify(b)) as Address);

function amountError(run: () => unknown): InvalidAmountError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidAmountError);
    return error as InvalidAmountError;
  }
  return expect.fail("no error thrown");
}

describe("sdk core", function () {
  describe("parseAmount and formatAmount", function () {
    it("read and write decimal amounts in base units", function () {
      expect(parseAmount("1.5", 6)).to.equal(1_500_000n);
      expect(parseAmount("0.000001", 6)).to.equal(1n);
      expect(parseAmount("1000", 6)).to.equal(1_000_000_000n);
      expect(parseAmount("0", 6)).to.equal(0n);
      expect(parseAmount("007.10", 6)).to.equal(7_100_000n);
      expect(parseAmount(" 2.5 ", 6)).to.equal(2_500_000n);
      expect(parseAmount("3.", 6)).to.equal(3_000_000n);
      expect(parseAmount("42", 0)).to.equal(42n);
      expect(parseAmount("1.000000000000000001", 18)).to.equal(10n ** 18n + 1n);
      expect(formatAmount(1_500_000n, 6)).to.equal("1.5");
      expect(formatAmount(1n, 6)).to.equal("0.000001");
      expect(formatAmount(1_000_000_000n, 6)).to.equal("1000");
      expect(formatAmount(0n, 6)).to.equal("0");
      expect(formatAmount(-1_500_000n, 6)).to.equal("-1.5");
      expect(formatAmount(42n, 0)).to.equal("42");
      expect(formatAmount(10n ** 18n + 1n, 18)).to.equal("1.000000000000000001");
    });

    it("parseAmount(formatAmount(x)) is x, for any amount and number of decimals", function () {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: 2n ** 200n }), fc.integer({ min: 0, max: 36 }), (value, decimals) => {
          expect(parseAmount(formatAmount(value, decimals), decimals)).to.equal(value);
          if (value > 0n) expect(formatAmount(-value, decimals)).to.equal(`-${formatAmount(value, decimals)}`);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });

    it("formatAmount(parseAmount(s)) is s, for any canonical decimal", function () {
      const canonical = fc.integer({ min: 0, max: 30 }).chain((decimals) =>
        fc
          .tuple(
            fc.bigInt({ min: 0n, max: 10n ** 30n }),
            fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: decimals }),
          )
          .map(([whole, digits]) => {
            const fraction = digits.join("").replace(/0+$/, "");
            return { decimals, text: fraction ? `${whole}.${fraction}` : `${whole}` };
          }),
      );
      fc.assert(
        fc.property(canonical, ({ decimals, text }) => {
          expect(formatAmount(parseAmount(text, decimals), decimals)).to.equal(text);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });

    it("refuses more decimals than the token has", function () {
      const e = amountError(() => parseAmount("1.0000001", 6, "deposit"));
      expect(e.parameter).to.equal("deposit");
      expect(e.value).to.equal("1.0000001");
      expect(e.shortMessage).to.equal(`Invalid deposit: "1.0000001" has more than the token's 6 decimals.`);
      expect(amountError(() => parseAmount("0.5", 0)).shortMessage).to.equal(
        `Invalid amount: "0.5" has more than the token's 0 decimals.`,
      );
    });

    it("refuses negative amounts and anything that is not a decimal number", function () {
      for (const text of ["-1", "-0.5", "", " ", "abc", "1.2.3", "1e6", "0x10", "1,5", ".5", "+1", "Infinity", "NaN"]) {
        const e = amountError(() => parseAmount(text, 6));
        expect(e.value, text).to.equal(text);
        expect(e.shortMessage, text).to.equal(`Invalid amount: "${text}" is not a non-negative decimal number.`);
      }
    });
  });

  describe("checks", function () {
    it("checkAmount takes a bigint at least the minimum", function () {
      expect(checkAmount(1n)).to.equal(1n);
      expect(checkAmount(0n, "bond", 0n)).to.equal(0n);
      expect(amountError(() => checkAmount(0n, "bond")).shortMessage).to.equal('Invalid bond: "0" is below 1.');
      expect(amountError(() => checkAmount(-3n)).shortMessage).to.equal('Invalid amount: "-3" is below 1.');
      expect(amountError(() => checkAmount(1 as unknown as bigint)).shortMessage).to.equal(
        'Invalid amount: "1" is not a bigint of base units.',
      );
    });

    it("checkAddress takes 0x and 40 hex digits in any case", function () {
      const lower = "0x" + "ab".repeat(20);
      expect(checkAddress(lower)).to.equal(lower);
      expect(checkAddress(lower.toUpperCase().replace("0X", "0x"))).to.equal(lower.toUpperCase().replace("0X", "0x"));
      for (const bad of ["", "0x", lower.slice(0, 41), lower + "0", "ab".repeat(20) + "00", "0x" + "zz".repeat(20)]) {
        expect(() => checkAddress(bad, "to"), bad).to.throw(
          InvalidAddressError,
          `Invalid to: "${bad}" is not an address`,
        );
      }
    });

    it("checkBytes32 takes 0x and 64 hex digits", function () {
      expect(checkBytes32(ethers.ZeroHash, "salt")).to.equal(ethers.ZeroHash);
      expect(() => checkBytes32("0x" + "0".repeat(63), "salt")).to.throw(
        InvalidParameterError,
        `Invalid salt: "0x${"0".repeat(63)}" is not 32 bytes of hex (0x and 64 hex digits).`,
      );
      expect(() => checkBytes32(undefined as unknown as string, "salt")).to.throw(InvalidParameterError);
    });
  });

  describe("nameOf", function () {
    it("names every member status and claim state", function () {
      expect(nameOf(MemberStatus, 2)).to.equal("Active");
      expect(nameOf(ClaimState, 11)).to.equal("Paid");
      expect(nameOf(MemberStatus, 4)).to.equal("Lapsing");
      expect(nameOf(Verdict, 2)).to.equal("Reject");
      expect(nameOf(JurorVote, 2)).to.equal("Committed");
      for (const table of [MemberStatus, ClaimState, Verdict, JurorVote] as Array<Record<string, number>>) {
        for (const [name, value] of Object.entries(table)) expect(nameOf(table, value)).to.equal(name);
      }
      expect(Object.values(MemberStatus)).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
      expect(Object.values(ClaimState)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(Object.values(Verdict)).to.deep.equal([0, 1, 2]);
      expect(Object.values(JurorVote)).to.deep.equal([0, 1, 2, 3, 4]);
    });

    it("throws a RangeError for a number with no name", function () {
      expect(() => nameOf(MemberStatus, 7)).to.throw(RangeError, "no name for 7");
      expect(() => nameOf(ClaimState, -1)).to.throw(RangeError, "no name for -1");
    });
  });

  describe("commitments", function () {
    it("identityCommitment equals the pool's identityCommitment view", async function () {
      const { pool } = await loadFixture(deployFixture);
      for (const identity of ["passport:E12345678", "身份证:110101199001011234", ""]) {
        const salt = ethers.id(`salt ${identity}`) as Hex;
        expect(identityCommitment(identity, salt)).to.equal(await pool.identityCommitment(identity, salt));
      }
    });

    it("identityCommitment is keccak256(abi.encode(identity, salt))", function () {
      const coder = ethers.AbiCoder.defaultAbiCoder();
      const salt = ethers.id("salt") as Hex;
      expect(identityCommitment("身份证:110101199001011234", salt)).to.equal(
        ethers.keccak256(coder.encode(["string", "bytes32"], ["身份证:110101199001011234", salt])),
      );
      fc.assert(
        fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), bytes32, (identity, s) => {
          expect(identityCommitment(identity, s)).to.equal(
            ethers.keccak256(coder.encode(["string", "bytes32"], [identity, s])),
          );
        }),
        { seed: SEED, numRuns: RUNS },
      );
      expect(identityCommitment("a", salt)).to.not.equal(identityCommitment("a", ethers.id("other") as Hex));
    });

    it("voteCommitment (with the round) equals the pool's voteCommitment view", async function () {
      const { pool } = await loadFixture(deployFixture);
      await fc.assert(
        fc.asyncProperty(
          fc.bigInt({ min: 0n, max: MAX_UINT }),
          address,
          fc.boolean(),
          bytes32,
          fc.bigInt({ min: 0n, max: 255n }),
          async (claimId, juror, support, salt, round) => {
            expect(voteCommitment(claimId, round, juror, support, salt)).to.equal(
              await pool.voteCommitment(claimId, round, juror, support, salt),
            );
          },
        ),
        { seed: SEED, numRuns: 50 },
      );
    });

    for (const kind of KINDS) {
      it(`a ${kind} client's vote salt is keccak256 of its signature over the vote-salt message`, async function () {
        const f = await loadFixture(deployFixture);
        const voter = f.members[0];
        const client = clientFor(kind, voter, { pool: f.poolAddress });
        const message = voteSaltMessage(31_337, f.poolAddress, 4n);
        expect(message).to.equal(
          `Huzhu vote salt\nchain: 31337\npool: ${f.poolAddress.toLowerCase()}\nclaim: 4\n\nSigning this reveals nothing and costs nothing.`,
        );
        const signature = (await voter.signMessage(message)) as Hex;
        expect(await client.deriveVoteSalt({ claimId: 4n })).to.equal(saltFromSignature(signature));
        expect(saltFromSignature(signature)).to.equal(ethers.keccak256(signature));
      });
    }
  });

  describe("apportion", function () {
    async function deployHarness() {
      // The harness calls the linked library's public apportion: deploy and link it.
      const library = await ethers.deployContract("Apportionment");
      return {
        harness: await ethers.deployContract("ApportionmentHarness", {
          libraries: { Apportionment: await library.getAddress() },
        }),
      };
    }

    const input = fc.record({
      members: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 20n }), fc.bigInt({ min: 1n, max: 1_000_000n })),
      surplusIn: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 10n ** 9n })),
      deficitIn: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 10n ** 9n })),
      // The annual cap: none (MaxUint256 on chain), or one that often binds.
      maxShare: fc.oneof(
        fc.constant(MAX_UINT),
        fc.bigInt({ min: 0n, max: 10n ** 6n }),
        fc.bigInt({ min: 0n, max: 10n ** 10n }),
      ),
    });
    // Each claim with its own fee rate (the one in force at its submission): often all alike.
    const claimsWithFees = fc
      .tuple(
        fc.array(
          fc.record({
            payout: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.bigInt({ min: 0n, max: 10n ** 12n })),
            feeBps: fc.bigInt({ min: 0n, max: 1_000n }),
          }),
          { maxLength: 6 },
        ),
        fc.boolean(),
      )
      .map(([claims, sameRate]) => ({
        payouts: claims.map((c) => c.payout),
        feesBps: claims.map((c) => (sameRate && claims.length > 0 ? claims[0].feeBps : c.feeBps)),
      }));

    it("the TypeScript apportion equals the contract library on random inputs", async function () {
      const { harness } = await loadFixture(deployHarness);
      let capped = 0;
      let uncapped = 0;
      await fc.assert(
        fc.asyncProperty(claimsWithFees, input, async ({ payouts: claims, feesBps }, i) => {
          const [paid, r] = await harness.apportion(claims, feesBps, i);
          const ts = apportion(claims, feesBps, {
            members: i.members,
            surplusIn: i.surplusIn,
            deficitIn: i.deficitIn,
            maxShare: i.maxShare === MAX_UINT ? undefined : i.maxShare,
          });
          const { paid: tsPaid, ...tsFigures } = ts;
          expect(tsFigures).to.deep.equal({
            payouts: r.payouts,
            fee: r.fee,
            cut: r.cut,
            share: r.share,
            surplusOut: r.surplusOut,
            deficitOut: r.deficitOut,
          });
          expect(tsPaid.reduce((a, b) => a + b, 0n)).to.equal(r.payouts);
          // The linked library returns the cut payouts (its argument is a copy): each one matches.
          expect([...paid]).to.deep.equal(tsPaid);
          if (i.members > 0n) {
            expect(ts.share * i.members).to.equal(
              ts.payouts + ts.fee + i.deficitIn - i.surplusIn + ts.surplusOut - ts.deficitOut,
            );
          }
          if (ts.cut > 0n && i.members > 0n) capped++;
          else uncapped++;
        }),
        { seed: SEED, numRuns: RUNS },
      );
      // The inputs reach both branches: periods cut by the annual cap and periods that are not.
      expect(capped).to.be.greaterThan(10);
      expect(uncapped).to.be.greaterThan(10);
    });

    it("cappedPayout and feeOn equal the contract library", async function () {
      const { harness } = await loadFixture(deployHarness);
      await fc.assert(
        fc.asyncProperty(
          fc.bigInt({ min: 0n, max: 10n ** 15n }),
          fc.bigInt({ min: 0n, max: 10n ** 9n }),
          fc.bigInt({ min: 0n, max: 10n ** 6n }),
          fc.bigInt({ min: 0n, max: 1_000n }),
          async (amount, capPerMember, members, feeBps) => {
            expect(cappedPayout(amount, capPerMember, members)).to.equal(
              await harness.cappedPayout(amount, capPerMember, members),
            );
            expect(feeOn(amount, feeBps)).to.equal(await harness.feeOn(amount, feeBps));
          },
        ),
        { seed: SEED, numRuns: 50 },
      );
    });

    it("a known period: 50 paid, 8% fee, 5 members, 10.8 each", function () {
      expect(apportion([50_000_000n], [800n], { members: 5n, surplusIn: 0n, deficitIn: 0n })).to.deep.equal({
        paid: [50_000_000n],
        payouts: 50_000_000n,
        fee: 4_000_000n,
        cut: 0n,
        share: 10_800_000n,
        surplusOut: 0n,
        deficitOut: 0n,
      });
    });
  });

  describe("jury", function () {
    const coder = ethers.AbiCoder.defaultAbiCoder();
    const members = Array.from({ length: 12 }, (_, i) => ethers.getAddress(ethers.toBeHex(0x10000 + i, 20)) as Address);

    it("drawBase and drawPosition hash as Juries.draw does", function () {
      fc.assert(
        fc.property(
          bytes32,
          address,
          fc.bigInt({ min: 1n, max: 2n ** 64n }),
          fc.bigInt({ min: 0n, max: 255n }),
          (seed, pool, id, round) => {
            const base = drawBase(seed, pool, id, round);
            expect(base).to.equal(
              ethers.keccak256(coder.encode(["bytes32", "address", "uint256", "uint256"], [seed, pool, id, round])),
            );
            for (const nonce of [0n, 1n, 7n]) {
              const h = BigInt(ethers.keccak256(coder.encode(["bytes32", "uint256"], [base, nonce])));
              expect(drawPosition(base, nonce, 97n)).to.equal(h % 97n);
            }
          },
        ),
        { seed: SEED, numRuns: 50 },
      );
    });

    it("tries 4 * target + 16 positions, none on an empty set; quorum rounds up; verdicts", function () {
      expect(drawTries(3n, 10n)).to.equal(28n);
      expect(drawTries(7n, 0n)).to.equal(0n);
      expect([quorumOf(3n, 5_001n), quorumOf(3n, 6_667n), quorumOf(7n, 6_667n)]).to.deep.equal([2n, 3n, 5n]);
      expect(verdictOf(1n, 0n, 2n, 6_000n)).to.equal(0);
      expect(verdictOf(2n, 1n, 2n, 6_000n)).to.equal(1);
      expect(verdictOf(1n, 1n, 2n, 6_000n)).to.equal(2);
    });

    it("the juror set leaves a hole at a notice and fills the last hole at a join, like MemberRegistry", function () {
      const set = new JurorSet();
      members.slice(0, 5).forEach((m) => set.add(m));
      expect(set.remove(members[1])).to.equal(true);
      expect(set.remove(members[3])).to.equal(true);
      // Nobody moved; the holes show their leavers and hold no live position.
      expect(set.toArray()).to.deep.equal(members.slice(0, 5));
      expect(set.holeCount).to.equal(2);
      expect(set.positionOf(members[1])).to.equal(undefined);
      expect(set.remove(members[3])).to.equal(false);
      set.add(members[5]);
      set.add(members[6]);
      set.add(members[7]);
      expect([set.positionOf(members[5]), set.positionOf(members[6]), set.positionOf(members[7])]).to.deep.equal([
        3, 1, 5,
      ]);
      expect(set.size).to.equal(6);
      expect(set.holeCount).to.equal(0);
    });

    it("skips the claimant, unseasoned members, the seated and positions past the set", function () {
      const set = new JurorSet();
      members.forEach((m) => set.add(m));
      const seed = ethers.keccak256(ethers.toUtf8Bytes("seed")) as Hex;
      const common = { seed, pool: members[0], claimId: 1n, round: 0n, setSize: 12n, set, submittedAt: 100n };
      const all = drawJury({ ...common, target: 12n, claimant: members[0], eligibleAt: () => 0n, seated: () => false });
      expect(all).to.not.include(members[0]);
      expect(new Set(all).size).to.equal(all.length);
      const fresh = drawJury({
        ...common,
        target: 12n,
        claimant: members[0],
        eligibleAt: (a) => (a === members[5] ? 100n : 0n),
        seated: (a) => a === members[6],
      });
      expect(fresh).to.not.include(members[5]);
      expect(fresh).to.not.include(members[6]);
      // A larger snapshot than the set: positions past the end are skipped, never wrapped.
      const small = new JurorSet();
      members.slice(0, 3).forEach((m) => small.add(m));
      const wide = drawJury({
        ...common,
        set: small,
        target: 3n,
        claimant: members[11],
        eligibleAt: () => 0n,
        seated: () => false,
      });
      for (const j of wide) expect(members.slice(0, 3)).to.include(j);
    });
  });
});
