import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  MemberStatus,
  RecoveryAttestationInvalidError,
  RecoveryClaimOpenError,
  RecoveryNotAuthorizedError,
  RecoveryNotReadyError,
} from "../../sdk/src";
import type { Address } from "../../sdk/src";
import { DAY, commitmentOf, decide, endPeriod, fund, joinAttested, settleDue } from "../helpers/fixtures";
import { EVIDENCE, KINDS, USD, clientFor, membersFixture, verifierFixture } from "./helpers";

const addressOf = (signer: { address: string }) => signer.address as Address;
const DELAY = 30n * BigInt(DAY);

for (const kind of KINDS) {
  describe(`sdk beneficiaries and recovery with a ${kind} client`, function () {
    it("setBeneficiary, then submitClaim pays the beneficiary; withdrawPayout by the payee alone", async function () {
      const f = await loadFixture(membersFixture);
      const [alice] = f.members;
      const family = f.stranger;
      const huzhu = clientFor(kind, alice, { pool: f.poolAddress });
      await huzhu.setBeneficiary({ beneficiary: addressOf(family) });
      expect((await huzhu.getRecovery({ member: addressOf(alice) })).beneficiary).to.equal(family.address);
      const { claimId } = await huzhu.submitClaim({ amount: USD("50"), evidenceDigest: EVIDENCE });
      expect(await f.pool.payeeOf(claimId)).to.equal(family.address);
      await decide(f.pool, claimId, true);
      await f.pool.resolve(claimId);
      await endPeriod(f.pool, await f.pool.currentPeriod());
      await settleDue(f.pool);
      const payee = clientFor(kind, family, { pool: f.poolAddress });
      await payee.withdrawPayout();
      expect(await f.token.balanceOf(family.address)).to.equal(USD("1050"));
    });

    it("submitClaim({ payee }) names the payee of one claim; withdraw({ to }) sends a balance elsewhere", async function () {
      const f = await loadFixture(membersFixture);
      const [alice] = f.members;
      const hospital = f.members[5];
      const huzhu = clientFor(kind, alice, { pool: f.poolAddress });
      const { claimId } = await huzhu.submitClaim({
        amount: USD("50"),
        evidenceDigest: EVIDENCE,
        payee: addressOf(hospital),
      });
      expect(await f.pool.payeeOf(claimId)).to.equal(hospital.address);
      await huzhu.withdraw({ amount: USD("10"), to: addressOf(hospital) });
      expect(await f.token.balanceOf(hospital.address)).to.equal(USD("1010"));
    });

    it("a recovery address requests, the member's wallet cancels, and a completed recovery moves the membership", async function () {
      const f = await loadFixture(membersFixture);
      const [alice, , , , , newAlice] = f.members;
      const helper = f.stranger;
      const commitment = commitmentOf(alice.address) as `0x${string}`;
      const member = clientFor(kind, alice, { pool: f.poolAddress });
      const rescuer = clientFor(kind, helper, { pool: f.poolAddress });
      await member.setRecoveryOptions({ recoveryAddress: addressOf(helper) });
      await rescuer.requestRecovery({ commitment, newWallet: addressOf(newAlice) });
      const pending = (await member.getRecovery({ member: addressOf(alice) })).pending!;
      expect(pending.newWallet).to.equal(newAlice.address);
      expect(pending.byVerifier).to.equal(false);
      await member.cancelRecovery();
      expect((await member.getRecovery({ member: addressOf(alice) })).pending).to.equal(null);
      await rescuer.requestRecovery({ commitment, newWallet: addressOf(newAlice) });
      await expect(
        clientFor(kind, f.members[1], { pool: f.poolAddress }).cancelRecovery({ member: addressOf(alice) }),
      ).to.be.rejectedWith(RecoveryNotAuthorizedError);
      await expect(rescuer.completeRecovery({ commitment })).to.be.rejectedWith(RecoveryNotReadyError);
      await time.increase(DELAY);
      await clientFor(kind, f.keeper, { pool: f.poolAddress }).completeRecovery({ commitment });
      const moved = await member.getMemberStatement({ member: addressOf(newAlice) });
      expect(moved.status).to.equal(MemberStatus.Active);
      expect(moved.balance).to.equal(USD("100"));
    });

    it("signRecoveryAttestation: the verifier's attestation starts a recovery; an open claim holds it back", async function () {
      const f = await loadFixture(verifierFixture);
      const setup = { pool: f.verified, token: f.token };
      const [alice, bob, carol, dave, , newAlice] = f.members;
      for (const m of [alice, bob, carol, dave]) await joinAttested(setup, f.verifier, m, USD("100"));
      await time.increase(31 * DAY);
      const commitment = commitmentOf(alice.address) as `0x${string}`;
      const verifier = clientFor(kind, f.verifier, { pool: f.verifiedAddress });
      const attestation = await verifier.signRecoveryAttestation({
        member: addressOf(alice),
        newWallet: addressOf(newAlice),
        commitment,
        deadline: BigInt(await time.latest()) + BigInt(DAY),
      });
      const fresh = clientFor(kind, newAlice, { pool: f.verifiedAddress });
      await fresh.requestRecovery({ commitment, newWallet: addressOf(newAlice), attestation });
      expect((await fresh.getRecovery({ member: addressOf(alice) })).pending!.byVerifier).to.equal(true);
      await fund(setup, alice, USD("5"));
      await clientFor(kind, alice, { pool: f.verifiedAddress }).submitClaim({
        amount: USD("10"),
        evidenceDigest: EVIDENCE,
        approve: false,
      });
      await time.increase(DELAY);
      await expect(fresh.completeRecovery({ commitment })).to.be.rejectedWith(RecoveryClaimOpenError);
    });

    it("signRecoveryAttestation reads the member's nonce: a cancel voids the attestation, a fresh one works", async function () {
      const f = await loadFixture(verifierFixture);
      const setup = { pool: f.verified, token: f.token };
      const [alice, , , , , newAlice] = f.members;
      await joinAttested(setup, f.verifier, alice, USD("100"));
      const commitment = commitmentOf(alice.address) as `0x${string}`;
      const verifier = clientFor(kind, f.verifier, { pool: f.verifiedAddress });
      const sign = async () =>
        verifier.signRecoveryAttestation({
          member: addressOf(alice),
          newWallet: addressOf(newAlice),
          commitment,
          deadline: BigInt(await time.latest()) + BigInt(DAY),
        });
      const first = await sign();
      const fresh = clientFor(kind, newAlice, { pool: f.verifiedAddress });
      await fresh.requestRecovery({ commitment, newWallet: addressOf(newAlice), attestation: first });
      const member = clientFor(kind, alice, { pool: f.verifiedAddress });
      await member.cancelRecovery();
      expect((await member.getRecovery({ member: addressOf(alice) })).nonce).to.equal(1n);
      await expect(
        fresh.requestRecovery({ commitment, newWallet: addressOf(newAlice), attestation: first }),
      ).to.be.rejectedWith(RecoveryAttestationInvalidError);
      await fresh.requestRecovery({ commitment, newWallet: addressOf(newAlice), attestation: await sign() });
      expect((await fresh.getRecovery({ member: addressOf(alice) })).pending!.newWallet).to.equal(newAlice.address);
    });
  });
}
