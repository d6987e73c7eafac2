/**
 * Members who cannot act for themselves, in Chromium as a member uses the app: a member names a
 * beneficiary and sees it; a claim names a payee, is approved and paid, and the payee (not the
 * claimant, whose withdraw takes only the bond's refund) sees the claim and withdraws it from their
 * own page; a member withdraws to another address; a member sets a recovery address (and opts out
 * of verifier recovery), which asks to recover the membership for a new wallet; the member sees the
 * banner and cancels; a second request completes from the page after 30 days and the new wallet's
 * page shows the membership. Bad input (a non-address payee or recipient, a malformed attestation)
 * gives a plain sentence and sends nothing. Every on-chain effect is checked on the chain.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { erc20Abi, keccak256, type Address } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { formatAmount, identityCommitment, poolAbi } from "@huzhu/sdk";
import type { Page } from "playwright-core";
import { axeViolations, shoot, startHarness, type Harness } from "./harness";
import { driverFor, testIdentity } from "../scripts/seed";

const fmt = (v: bigint) => formatAmount(v, 6);
const MNEMONIC = "test test test test test test test test test test test junk";
const ZERO_SALT = `0x${"00".repeat(32)}` as const;
const CLAIMANT = 9;
const BENEFICIARY = 15;
const PAYEE = 25; // not a member, not a node account: funded with gas below
const WITHDRAWER = 13;
const RECIPIENT = 14;
const LOSER = 10; // loses their wallet
const RECOVERER = 12; // LOSER's recovery address
const NEW_WALLET = 19; // never a member
const STRANGER = 16;

let h: Harness;
const addressOf = (index: number) => mnemonicToAccount(MNEMONIC, { addressIndex: index }).address as Address;
const step = (name: string) => console.log(`# ${new Date().toISOString().slice(11, 19)} ${name}`);

async function now(): Promise<bigint> {
  return BigInt((await h.rpc("eth_getBlockByNumber", ["latest", false])).timestamp);
}
async function increaseTo(t: bigint) {
  const n = await now();
  if (t > n) await h.rpc("evm_increaseTime", [Number(t - n)]);
  await h.rpc("evm_mine");
}
async function connect(page: Page) {
  await page.getByTestId("connect-org.huzhu.e2e").click();
  await page.getByTestId("address").waitFor();
}
/** Clicks, then waits for the action's status line to say how it ended; returns its text. */
async function act(page: Page, button: string, status: string): Promise<string> {
  await page.getByTestId(button).click();
  const line = page.getByTestId(status);
  await line.waitFor();
  await page.waitForFunction(
    (id) => !document.querySelector(`[data-testid="${id}"]`)?.textContent?.match(/Waiting|等待/),
    status,
    { timeout: 60_000 },
  );
  return (await line.textContent()) ?? "";
}
const tokenBalance = (account: Address) =>
  h.publicClient.readContract({ address: h.seeded.token, abi: erc20Abi, functionName: "balanceOf", args: [account] });
const nonce = (account: Address) => h.rpc("eth_getTransactionCount", [account, "latest"]);
const recoveryOf = (member: Address) =>
  h.publicClient.readContract({ address: h.seeded.pool, abi: poolAbi, functionName: "recoveryOf", args: [member] });

describe("beneficiaries, payees and recovery in Chromium", { timeout: 1_200_000 }, () => {
  before(async () => {
    h = await startHarness();
    await h.rpc("hardhat_setBalance", [addressOf(PAYEE), "0x56BC75E2D63100000"]);
  });
  after(async () => {
    await h?.stop();
  });

  it(
    "a member names a beneficiary; a claim names a payee, who alone withdraws the payout from their page",
    { timeout: 480_000 },
    async () => {
      const claimant = addressOf(CLAIMANT);
      const beneficiary = addressOf(BENEFICIARY);
      const payee = addressOf(PAYEE);
      const { page, wallet } = await h.open("/member", CLAIMANT);
      await connect(page);

      step("beneficiary");
      await page.getByTestId("beneficiary-input").fill("my sister");
      const bad = await act(page, "set-beneficiary", "beneficiary-status");
      assert.equal(
        bad,
        "Not an address: the beneficiary must be 0x followed by 40 hexadecimal digits. Nothing was sent.",
      );
      assert.equal(wallet!.sent.length, 0);
      await page.getByTestId("beneficiary-input").fill(beneficiary.toLowerCase());
      assert.equal(await act(page, "set-beneficiary", "beneficiary-status"), "Done.");
      assert.equal((await recoveryOf(claimant)).beneficiary, beneficiary);
      await page.getByTestId("beneficiary").filter({ hasText: beneficiary }).waitFor();
      await page.locator('[data-testid=activity] li[data-event="BeneficiarySet"]').waitFor();
      assert.match(
        (await page.locator('[data-testid=activity] li[data-event="BeneficiarySet"]').textContent()) ?? "",
        new RegExp(`Beneficiary set to ${beneficiary}`),
      );
      await page.context().close();

      step("claim with a payee");
      const claims = await h.open("/claims", CLAIMANT);
      await connect(claims.page);
      await claims.page.getByTestId("payee-default").filter({ hasText: beneficiary }).waitFor();
      const file = Buffer.from("Ward 7 invoice, 2026-11-20");
      await claims.page.getByTestId("claim-amount").fill("10");
      await claims.page
        .getByTestId("claim-file")
        .setInputFiles({ name: "invoice.txt", mimeType: "text/plain", buffer: file });
      await claims.page.getByTestId("digest").waitFor();
      const before = await nonce(claimant);
      await claims.page.getByTestId("claim-payee").fill("0x1234");
      const badPayee = await act(claims.page, "submit-claim", "claim-status");
      assert.match(
        badPayee,
        /^Not an address: the payee must be 0x followed by 40 hexadecimal digits\. Nothing was sent\.$/,
        badPayee,
      );
      assert.equal(claims.wallet!.sent.length, 0);
      assert.equal(await nonce(claimant), before);
      await claims.page.getByTestId("claim-payee").fill(payee);
      const submitted = await act(claims.page, "submit-claim", "claim-status");
      const claimId = BigInt(/#(\d+)/.exec(submitted)![1]);
      const payeeOf = () =>
        h.publicClient.readContract({ address: h.seeded.pool, abi: poolAbi, functionName: "payeeOf", args: [claimId] });
      assert.equal(await payeeOf(), payee);
      assert.equal((await h.reader.getClaim({ claimId })).evidenceDigest, keccak256(file));
      await claims.page.getByTestId("my-claim-payee").filter({ hasText: payee }).waitFor();
      assert.deepEqual(await axeViolations(claims.page), [], "axe on claims with a payee");
      await claims.page.context().close();

      step("jury approves, resolve, settle (driven from Node)");
      const p = driverFor(h.rpcUrl, h.seeded);
      await h.rpc("hardhat_mine", ["0x2"]);
      const [jury] = await p.draw([claimId]);
      const votes = jury.map((juror) => ({ id: claimId, round: 0n, juror, support: true }));
      await p.commit(votes);
      const round = await h.reader.getRound({ claimId });
      await increaseTo(round.commitEndsAt);
      await p.reveal(votes);
      await increaseTo(round.revealEndsAt);
      await p.pool(h.seeded.accounts[2], "tally", [claimId], 1_000_000n);
      await increaseTo((await h.reader.getClaim({ claimId })).resolvesAt);
      await p.pool(h.seeded.accounts[2], "resolve", [claimId], 5_000_000n);
      await increaseTo(await p.periodEnd((await h.reader.getPool()).currentPeriod));
      await p.settleDue();
      assert.equal((await h.reader.getClaim({ claimId })).stateName, "Paid");
      const owed = (await h.reader.getMemberStatement({ member: payee })).payout;
      assert.ok(owed > 0n, "the payout is credited to the payee");
      // The claimant is owed only the bond's refund.
      const bond = (await h.reader.getPool()).rules.claimBond;
      assert.equal((await h.reader.getMemberStatement({ member: claimant })).payout, bond);

      step("the board shows the payee");
      const board = await h.open("/");
      await board.page.getByTestId("claims").waitFor();
      assert.equal(
        await board.page.locator(`tr[data-claim="${claimId}"] [data-testid=claim-payee]`).getAttribute("title"),
        payee,
      );
      assert.equal(
        await board.page.locator('tr[data-claim="1"] [data-testid=claim-payee]').textContent(),
        "the claimant",
        "a claim without a payee pays its claimant",
      );
      await board.page.context().close();

      step("the claimant's withdraw takes only the bond; the payee's takes the payout");
      const mine = await h.open("/member", CLAIMANT);
      await connect(mine.page);
      await mine.page
        .getByTestId("payout")
        .filter({ hasText: `${fmt(bond)} DUSD` })
        .waitFor();
      const claimantHeld = await tokenBalance(claimant);
      assert.equal(await act(mine.page, "withdraw-payout", "withdraw-payout-status"), "Done.");
      assert.equal((await tokenBalance(claimant)) - claimantHeld, bond, "the claimant got the bond back, no more");
      assert.equal((await h.reader.getMemberStatement({ member: payee })).payout, owed, "the payee's payout is intact");
      await mine.page.reload();
      await mine.page.getByTestId("statement").waitFor();
      assert.equal(
        await mine.page.getByTestId("withdraw-payout").count(),
        0,
        "nothing more for the claimant to withdraw",
      );
      await mine.page.context().close();
      const theirs = await h.open("/member", PAYEE);
      await connect(theirs.page);
      await theirs.page
        .getByTestId("payout")
        .filter({ hasText: `${fmt(owed)} DUSD` })
        .waitFor();
      await theirs.page
        .locator('[data-testid=activity] li[data-event="ClaimPayeeNamed"]')
        .filter({ hasText: `Claim #${claimId} pays its payout to you.` })
        .waitFor();
      const held = await tokenBalance(payee);
      assert.equal(await act(theirs.page, "withdraw-payout", "withdraw-payout-status"), "Done.");
      assert.equal((await tokenBalance(payee)) - held, owed, "the payee's wallet received the payout");
      assert.equal((await h.reader.getMemberStatement({ member: payee })).payout, 0n);
      await shoot(theirs.page, "payee-withdrew-desktop");
      await theirs.page.context().close();
    },
  );

  it(
    "a member withdraws to another address; a non-address is refused with nothing sent",
    { timeout: 180_000 },
    async () => {
      const member = addressOf(WITHDRAWER);
      const to = addressOf(RECIPIENT);
      const { page, wallet } = await h.open("/member", WITHDRAWER, { phone: true });
      await connect(page);
      await page.getByTestId("withdraw-amount").fill("2");
      await page.getByTestId("withdraw-to").fill("hospital");
      const bad = await act(page, "withdraw", "withdraw-status");
      assert.equal(
        bad,
        "Not an address: the recipient must be 0x followed by 40 hexadecimal digits. Nothing was sent.",
      );
      assert.equal(wallet!.sent.length, 0);
      const [memberBefore, toBefore, walletBefore] = await Promise.all([
        h.reader.getMemberStatement({ member }),
        tokenBalance(to),
        tokenBalance(member),
      ]);
      await page.getByTestId("withdraw-to").fill(to);
      assert.equal(await act(page, "withdraw", "withdraw-status"), `Sent to ${to}.`);
      assert.equal((await tokenBalance(to)) - toBefore, 2_000_000n, "the other address received it");
      assert.equal(await tokenBalance(member), walletBefore, "the member's own wallet did not");
      assert.equal((await h.reader.getMemberStatement({ member })).balance, memberBefore.balance - 2_000_000n);
      await page.locator('[data-testid=activity] li[data-event="MemberWithdrewTo"]').waitFor();
      await page.context().close();
    },
  );

  it(
    "recovery: a recovery address asks, the member cancels from the banner, a second request completes after 30 days",
    { timeout: 480_000 },
    async () => {
      const lost = addressOf(LOSER);
      const recoverer = addressOf(RECOVERER);
      const fresh = addressOf(NEW_WALLET);
      const commitment = identityCommitment(testIdentity(LOSER), ZERO_SALT);
      const statementBefore = await h.reader.getMemberStatement({ member: lost });

      step("the member sets a recovery address");
      const member = await h.open("/member", LOSER);
      await connect(member.page);
      await member.page.getByTestId("recovery-address-input").fill("0xZZ");
      const bad = await act(member.page, "save-recovery", "recovery-settings-status");
      assert.match(
        bad,
        /^Not an address: the recovery address must be 0x followed by 40 hexadecimal digits\. Nothing was sent\.$/,
        bad,
      );
      assert.equal(member.wallet!.sent.length, 0);
      await member.page.getByTestId("recovery-address-input").fill(recoverer);
      await member.page.getByTestId("verifier-opt-out").check();
      assert.equal(await act(member.page, "save-recovery", "recovery-settings-status"), "Done.");
      const settings = await recoveryOf(lost);
      assert.equal(settings.recoveryAddress, recoverer);
      assert.equal(settings.verifierRecoveryOff, true);
      await member.page.getByTestId("recovery-address").filter({ hasText: recoverer }).waitFor();
      assert.equal(await member.page.getByTestId("verifier-recovery").textContent(), "refused");

      step("the recovery address asks; malformed attestations first");
      const asker = await h.open("/recover", RECOVERER);
      await connect(asker.page);
      await asker.page.getByTestId("recovery-commitment").fill(commitment);
      await asker.page.getByTestId("recovery-holder").filter({ hasText: lost }).waitFor();
      await asker.page.getByTestId("recovery-new-wallet").fill(fresh);
      await asker.page.getByTestId("mode-verifier").check();
      const sentBefore = await nonce(recoverer);
      await asker.page.getByTestId("attestation").fill("{deadline: 1");
      assert.equal(
        await act(asker.page, "request-recovery", "request-recovery-status"),
        "The attestation is not JSON: paste the whole text the verifier gave you. Nothing was sent.",
      );
      // An uploaded file lands in the same box and is checked the same way.
      await asker.page
        .getByTestId("attestation-file")
        .setInputFiles({ name: "attestation.json", mimeType: "application/json", buffer: Buffer.from("[1, 2]") });
      await asker.page.waitForFunction(
        () => (document.querySelector("[data-testid=attestation]") as HTMLTextAreaElement | null)?.value === "[1, 2]",
      );
      assert.equal(
        await act(asker.page, "request-recovery", "request-recovery-status"),
        "The attestation must be a JSON object with a signature and a deadline. Nothing was sent.",
      );
      await asker.page.getByTestId("attestation").fill('{"deadline": "1893456000", "signature": "0x1234"}');
      assert.equal(
        await act(asker.page, "request-recovery", "request-recovery-status"),
        "The attestation has no valid signature (0x followed by 130 hexadecimal digits). Nothing was sent.",
      );
      await asker.page.getByTestId("attestation").fill(`{"signature": "0x${"ab".repeat(65)}"}`);
      assert.equal(
        await act(asker.page, "request-recovery", "request-recovery-status"),
        "The attestation has no deadline (a whole number of seconds). Nothing was sent.",
      );
      assert.equal(asker.wallet!.sent.length, 0);
      assert.equal(await nonce(recoverer), sentBefore);
      assert.equal((await recoveryOf(lost)).readyAt, 0n);
      assert.deepEqual(await axeViolations(asker.page), [], "axe on the recovery page");

      // Well formed, but no verifier signed it, from a wallet that is not the recovery address: the
      // pool's refusal, in words, and nothing sent.
      const stranger = await h.open("/recover", STRANGER);
      await connect(stranger.page);
      await stranger.page.getByTestId("recovery-commitment").fill(commitment);
      await stranger.page.getByTestId("recovery-new-wallet").fill(fresh);
      await stranger.page.getByTestId("mode-verifier").check();
      await stranger.page
        .getByTestId("attestation")
        .fill(JSON.stringify({ deadline: String((await now()) + 86_400n), signature: `0x${"ab".repeat(65)}` }));
      const refused = await act(stranger.page, "request-recovery", "request-recovery-status");
      assert.doesNotMatch(refused, /0x[0-9a-f]{8}/i, `a sentence, not revert data: ${refused}`);
      assert.match(refused, /neither the member's recovery address nor/, refused);
      console.log(`# the pool's answer to a stranger's attestation: ${refused}`);
      assert.equal(stranger.wallet!.sent.length, 0);
      assert.equal((await recoveryOf(lost)).readyAt, 0n);
      await stranger.page.context().close();

      await asker.page.getByTestId("mode-address").check();
      assert.match(await act(asker.page, "request-recovery", "request-recovery-status"), /^Recovery to 0x/);
      const asked = await recoveryOf(lost);
      assert.equal(asked.newWallet, fresh);
      assert.equal(asked.byVerifier, false);
      assert.ok(asked.readyAt >= (await now()) + 30n * 86_400n - 5n, "30 days from now");
      await asker.page.getByTestId("recovery-pending").filter({ hasText: fresh }).waitFor();

      step("the member sees the banner and cancels");
      await member.page.reload();
      const banner = member.page.getByTestId("recovery-banner");
      await banner.waitFor();
      const text = (await banner.textContent()) ?? "";
      assert.match(text, new RegExp(fresh));
      assert.match(text, new RegExp(`Your recovery address ${recoverer} asked for it`));
      assert.match(text, /29 days 23 hours left|30 days 0 hours left/);
      assert.deepEqual(await axeViolations(member.page), [], "axe on the member page with the banner");
      await shoot(member.page, "member-recovery-banner-desktop");
      await member.page.getByTestId("language").selectOption("zh-CN");
      await banner.getByRole("heading", { name: "找回待完成：您的会员资格即将转到另一个钱包" }).waitFor();
      assert.match((await banner.textContent()) ?? "", /取消这次找回/);
      assert.deepEqual(await axeViolations(member.page), [], "axe on the banner in Chinese");
      await member.page.getByTestId("language").selectOption("en");
      assert.match(await act(member.page, "cancel-recovery", "cancel-recovery-status"), /^Recovery cancelled/);
      const cancelled = await recoveryOf(lost);
      assert.equal(cancelled.readyAt, 0n, "nothing pending on chain");
      assert.equal(cancelled.newWallet, "0x0000000000000000000000000000000000000000");
      await banner.waitFor({ state: "detached" });
      await member.page.locator('[data-testid=activity] li[data-event="RecoveryCancelled"]').waitFor();

      step("a second request; the board lists it");
      await asker.page.reload();
      await asker.page.getByTestId("recovery-commitment").fill(commitment);
      await asker.page.getByTestId("recovery-new-wallet").fill(fresh);
      assert.match(await act(asker.page, "request-recovery", "request-recovery-status"), /^Recovery to 0x/);
      const second = await recoveryOf(lost);
      assert.ok(second.readyAt > 0n);
      const board = await h.open("/");
      await board.page.locator(`tr[data-recovery="${lost}"]`).waitFor();
      assert.equal(await board.page.locator("[data-testid=recoveries] tbody tr").count(), 1);
      assert.deepEqual(await axeViolations(board.page), [], "axe on the board with a pending recovery");
      await board.page.context().close();
      await asker.page.context().close();

      step("30 days later, the new wallet completes it from the page");
      await h.rpc("evm_increaseTime", [30 * 86_400 + 1]);
      await h.rpc("evm_mine");
      const newcomer = await h.open("/recover", NEW_WALLET);
      await connect(newcomer.page);
      await newcomer.page.getByTestId("recovery-commitment").fill(commitment);
      await newcomer.page.getByTestId("countdown").filter({ hasText: "ready now" }).waitFor();
      assert.match(
        await act(newcomer.page, "complete-recovery", "complete-recovery-status"),
        new RegExp(`^Recovered: the membership is now held by ${fresh}`),
      );
      const owner = await h.publicClient.readContract({
        address: h.seeded.pool,
        abi: poolAbi,
        functionName: "commitmentOwner",
        args: [commitment],
      });
      assert.equal(owner, fresh);
      const moved = await h.reader.getMemberStatement({ member: fresh });
      assert.equal(moved.statusName, statementBefore.statusName);
      assert.equal((await h.reader.getMemberStatement({ member: lost })).statusName, "None");
      await newcomer.page.context().close();

      step("the new wallet's page shows the membership");
      const page = await h.open("/member", NEW_WALLET);
      await connect(page.page);
      await page.page.getByTestId("status").filter({ hasText: "Active" }).waitFor();
      assert.equal(await page.page.getByTestId("balance").textContent(), `${fmt(moved.balance)} DUSD`);
      await page.page.getByTestId("recovery-address").filter({ hasText: recoverer }).waitFor();
      assert.equal(await page.page.getByTestId("verifier-recovery").textContent(), "refused", "the opt-out moved too");
      await page.page.locator('[data-testid=activity] li[data-event="RecoveryCompleted"]').waitFor();
      await shoot(page.page, "member-recovered-desktop");
      await page.page.context().close();
      await member.page.context().close();
    },
  );
});
