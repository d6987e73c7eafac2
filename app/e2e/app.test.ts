/**
 * The web app in Debian's Chromium against its own local chain: the board equals the auditor; a
 * newcomer joins from the page (and first sees the contract's sentence for a deposit below the
 * minimum, with nothing sent), claims with a file, jurors vote from their own pages, the claimant
 * appeals, a larger jury overturns, the claim is resolved and the period settled from the keeper
 * buttons; the board row and the statement equal the chain and the auditor; the audit page passes.
 * Also: a refused signature, a wallet on the wrong chain, the Chinese board, axe on every page, and
 * screenshots at phone and desktop sizes (app/artifacts-e2e, kept by CI, not committed).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { erc20Abi, keccak256, type Address } from "viem";
import { formatAmount, memberStatement, poolAbi, type AuditResult } from "@huzhu/sdk";
import type { Page } from "playwright-core";
import { axeViolations, shoot, startHarness, type Harness } from "./harness";

const NEWCOMER = 19;
const fmt = (v: bigint) => formatAmount(v, 6);

let h: Harness;

async function increaseTo(t: bigint) {
  const block = await h.rpc("eth_getBlockByNumber", ["latest", false]);
  const now = BigInt(block.timestamp);
  if (t > now) await h.rpc("evm_increaseTime", [Number(t - now)]);
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

async function expectBoardEqualsAudit(page: Page, result: AuditResult) {
  await page.getByTestId("periods").waitFor();
  assert.equal(await page.getByTestId("member-count").textContent(), result.ledger.memberCount.toString());
  const rows = await page.locator("[data-testid=periods] tbody tr").count();
  assert.equal(rows, result.ledger.periods.length, "one board row per settlement part");
  for (const p of result.ledger.periods) {
    const cells = await page.locator(`tr[data-period="${p.period}-${p.part}"] td`).allTextContents();
    assert.deepEqual(cells, [
      p.period.toString(),
      `${p.part}${p.closed ? "" : " …"}`,
      p.claims.length.toString(),
      fmt(p.payouts),
      fmt(p.fee),
      p.members.toString(),
      fmt(p.share),
      fmt(p.surplusOut - p.deficitOut),
    ]);
  }
}

async function expectAccessible(page: Page, name: string) {
  assert.deepEqual(await axeViolations(page), [], `axe on ${name}`);
}

describe("web app in Chromium", { timeout: 1_200_000 }, () => {
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.stop();
  });

  it(
    "the public board shows every settlement part exactly as the auditor, and every claim",
    { timeout: 180_000 },
    async () => {
      const { page } = await h.open("/");
      const result = await h.audit();
      assert.ok(result.passed, "the seeded pool audits clean");
      await expectBoardEqualsAudit(page, result);
      assert.equal(await page.locator("[data-testid=claims] tbody tr").count(), 6);
      assert.equal(await page.locator('tr[data-claim="2"] [data-testid=claim-state]').textContent(), "Paid");
      assert.equal(await page.locator('tr[data-claim="6"] [data-testid=claim-state]').textContent(), "Drawing a jury");
      await page.getByTestId("open-pool").waitFor();
      await expectAccessible(page, "board");
      await shoot(page, "board-desktop");
      const phone = await h.open("/", undefined, { phone: true });
      await phone.page.getByTestId("periods").waitFor();
      await shoot(phone.page, "board-phone");
      await page.context().close();
      await phone.page.context().close();
    },
  );

  it("switches to Chinese", { timeout: 120_000 }, async () => {
    const { page } = await h.open("/");
    await page.getByTestId("periods").waitFor();
    await page.getByTestId("language").selectOption("zh-CN");
    await page.getByRole("heading", { level: 1, name: "公示" }).waitFor();
    assert.equal(await page.locator("html").getAttribute("lang"), "zh-CN");
    assert.match((await page.locator("#rules-h").textContent()) ?? "", /规则/);
    await expectAccessible(page, "board (zh-CN)");
    await shoot(page, "board-zh-desktop");
    await page.context().close();
  });

  it("a wallet on another chain is offered the switch", { timeout: 120_000 }, async () => {
    const { page, wallet } = await h.open("/member", 1, { startChainId: 1 });
    await page.getByTestId("connect-org.huzhu.e2e").click();
    await page.getByTestId("wrong-chain").waitFor();
    await page.getByTestId("switch-chain").click();
    await page.getByTestId("wrong-chain").waitFor({ state: "detached" });
    assert.equal(wallet!.chainId, h.seeded.chainId);
    await page.getByTestId("statement").waitFor();
    assert.equal(wallet!.sent.length, 0);
    await page.context().close();
  });

  it(
    "a newcomer joins from the page: below the minimum nothing is sent; a refused signature sends nothing",
    { timeout: 180_000 },
    async () => {
      const { page, wallet } = await h.open("/member", NEWCOMER);
      await connect(page);
      await page.getByTestId("identity").fill("passport:E2E-0019");
      const nonce = await h.rpc("eth_getTransactionCount", [wallet!.account.address, "latest"]);
      await page.getByTestId("deposit").fill("5");
      const low = await act(page, "join", "join-status");
      assert.match(low, /minimum|deposit/i, low);
      assert.doesNotMatch(low, /0x[0-9a-f]{8}/i, "a sentence, not revert data");
      assert.equal(wallet!.sent.length, 0);
      assert.equal(await h.rpc("eth_getTransactionCount", [wallet!.account.address, "latest"]), nonce);

      wallet!.reject = true;
      await page.getByTestId("deposit").fill("20");
      const refused = await act(page, "join", "join-status");
      assert.equal(refused, "You refused the signature: nothing was sent.");
      assert.equal(wallet!.sent.length, 0);
      wallet!.reject = false;

      const joined = await act(page, "join", "join-status");
      assert.match(joined, /^Joined/, joined);
      assert.equal(wallet!.sent.length, 1, "one transaction: the token takes a permit, a signature");
      await page.getByTestId("status").filter({ hasText: "Waiting period" }).waitFor();
      const s = await h.reader.getMemberStatement({ member: wallet!.account.address });
      assert.equal(s.statusName, "Waiting");
      assert.equal(await page.getByTestId("balance").textContent(), `${fmt(s.balance)} DUSD`);
      await expectAccessible(page, "member");
      await shoot(page, "member-desktop");
      await page.context().close();
    },
  );

  it(
    "claim with a file, jurors vote from their pages, appeal, a larger jury, resolve, settle; board, statement and audit agree",
    { timeout: 600_000 },
    async () => {
      // The newcomer may claim once the waiting period is over.
      const s0 = await h.reader.getMemberStatement({ member: (await accountOf(NEWCOMER)) as Address });
      await increaseTo(s0.eligibleAt + 1n);

      const claimant = await h.open("/claims", NEWCOMER, { phone: true });
      await connect(claimant.page);
      const file = Buffer.from("Hospital invoice #4411, 1,800 DUSD, 2026-11-02");
      await claimant.page.getByTestId("claim-amount").fill("10");
      await claimant.page
        .getByTestId("claim-file")
        .setInputFiles({ name: "invoice.txt", mimeType: "text/plain", buffer: file });
      await claimant.page.getByTestId("digest").waitFor();
      assert.equal(await claimant.page.getByTestId("digest").textContent(), keccak256(file));
      const submitted = await act(claimant.page, "submit-claim", "claim-status");
      const claimId = BigInt(/#(\d+)/.exec(submitted)![1]);
      const c = await h.reader.getClaim({ claimId });
      assert.equal(c.evidenceDigest, keccak256(file), "the digest of the file, which never left the page");
      await expectAccessible(claimant.page, "claims");
      await shoot(claimant.page, "claims-phone");

      const jurorPages = new Map<string, Page>();
      const runRound = async (support: boolean) => {
        // The seed block must be mined, and the draw simulated in a later one.
        await h.rpc("hardhat_mine", ["0x2"]);
        await claimant.page.getByTestId("keeper-claim").fill(claimId.toString());
        assert.equal(await act(claimant.page, "draw", "keeper-status"), "Done.");
        const round = await h.reader.getRound({ claimId });
        assert.ok(round.jurors.length >= 3, `seated ${round.jurors.length}`);
        for (const juror of round.jurors) {
          const index = await indexOf(juror);
          let page = jurorPages.get(juror);
          if (!page) {
            page = (await h.open("/claims", index)).page;
            await connect(page);
            jurorPages.set(juror, page);
          } else await page.reload();
          await page.getByTestId(`commit-${support ? "approve" : "reject"}-${claimId}`).click();
          await waitDone(page, "duty-status");
        }
        await increaseTo(round.commitEndsAt);
        for (const juror of round.jurors) {
          const page = jurorPages.get(juror)!;
          await page.reload();
          await page.getByTestId(`reveal-${claimId}`).click();
          await waitDone(page, "duty-status");
        }
        await increaseTo(round.revealEndsAt);
        assert.equal(await act(claimant.page, "tally", "keeper-status"), "Done.");
        return h.reader.getClaim({ claimId });
      };

      const first = await runRound(false);
      assert.equal(first.verdictName, "Reject");
      assert.equal(first.stateName, "Appealable");
      await claimant.page.getByTestId("appeal-id").fill(claimId.toString());
      assert.equal(await act(claimant.page, "appeal", "appeal-status"), "Done.");
      const second = await runRound(true);
      assert.equal(second.verdictName, "Approve");
      assert.equal(second.round, 1n);

      await increaseTo(second.resolvesAt);
      assert.equal(await act(claimant.page, "resolve", "keeper-status"), "Done.");
      assert.equal((await h.reader.getClaim({ claimId })).stateName, "Approved");
      const period = (await h.reader.getPool()).currentPeriod;
      const periodEnd = await h.publicClient.readContract({
        address: h.seeded.pool,
        abi: poolAbi,
        functionName: "periodEnd",
        args: [period],
      });
      await increaseTo(periodEnd);
      assert.equal(await act(claimant.page, "settle", "keeper-status"), "Done.");
      const paid = await h.reader.getClaim({ claimId });
      assert.equal(paid.stateName, "Paid");

      // The board and the statement equal the chain and the auditor.
      const result = await h.audit();
      assert.ok(result.passed, JSON.stringify(result.checks.filter((k) => !k.passed)));
      const board = await h.open("/");
      await expectBoardEqualsAudit(board.page, result);
      assert.equal(
        await board.page.locator(`tr[data-claim="${claimId}"] [data-testid=claim-state]`).textContent(),
        "Paid",
      );
      await board.page.context().close();

      const member = await h.open("/member", NEWCOMER);
      await connect(member.page);
      const address = (await accountOf(NEWCOMER)) as Address;
      const chain = await h.reader.getMemberStatement({ member: address });
      const audited = memberStatement(result, address)!;
      await member.page.getByTestId("status").filter({ hasText: "Active" }).waitFor();
      assert.equal(await member.page.getByTestId("balance").textContent(), `${fmt(chain.balance)} DUSD`);
      assert.equal(chain.balance, audited.balance);
      assert.equal(await member.page.getByTestId("charged").textContent(), `${fmt(chain.charged)} DUSD`);
      assert.equal(chain.charged, audited.charged);
      assert.equal(await member.page.getByTestId("payout").textContent(), `${fmt(chain.payout)} DUSD`);
      assert.equal(chain.payout, audited.payoutDue);
      const history = await member.page.locator("#history-h + p + div tbody tr").allTextContents();
      assert.ok(
        audited.periods.some((p) => p.claims.some((c) => c.claimId === claimId)),
        "the member shared their own claim's cost",
      );
      assert.deepEqual(
        history,
        audited.periods.map(
          (p) =>
            `${p.period}${p.part}${fmt(p.share)}${p.claims.map((c) => `#${c.claimId}: ${fmt(c.memberPart)}`).join("")}`,
        ),
      );
      await shoot(member.page, "member-after-desktop");

      // Withdraw the payout from the page.
      assert.equal(await act(member.page, "withdraw-payout", "withdraw-payout-status"), "Done.");
      assert.equal((await h.reader.getMemberStatement({ member: address })).payout, 0n);
      await member.page.context().close();

      const auditPage = await h.open("/audit");
      await auditPage.page.getByTestId("run-audit").click();
      await auditPage.page.getByTestId("verdict").waitFor({ timeout: 120_000 });
      assert.equal(await auditPage.page.getByTestId("verdict").textContent(), "PASSED: every figure matches.");
      await expectAccessible(auditPage.page, "audit");
      await shoot(auditPage.page, "audit-desktop");
      for (const p of jurorPages.values()) await p.context().close();
      await claimant.page.context().close();
    },
  );

  it(
    "a member tops up, asks to exit, a keeper completes the served exit, and the member withdraws",
    { timeout: 240_000 },
    async () => {
      const index = 17;
      const address = (await accountOf(index)) as Address;
      const before = await h.reader.getMemberStatement({ member: address });
      const { page, wallet } = await h.open("/member", index, { phone: true });
      await connect(page);
      step("top up");
      await page.getByTestId("topup-amount").fill("3");
      assert.equal(await act(page, "topup", "topup-status"), "Done.");
      const topped = await h.reader.getMemberStatement({ member: address });
      assert.equal(topped.balance, before.balance + 3_000_000n);
      await page
        .getByTestId("balance")
        .filter({ hasText: `${fmt(topped.balance)} DUSD` })
        .waitFor();

      step("exit");
      assert.equal(await act(page, "exit", "exit-status"), "Done.");
      await page.getByTestId("status").filter({ hasText: "Exiting" }).waitFor();
      await shoot(page, "member-exiting-phone");

      // Every claim before the exit notice is final and paid: anyone may complete the exit.
      step("complete exit");
      const keeper = await h.open("/claims", 2);
      await connect(keeper.page);
      await keeper.page.getByTestId("exit-member").fill(address);
      assert.equal(await act(keeper.page, "complete-exit", "keeper-status"), "Done.");
      assert.equal((await h.reader.getMemberStatement({ member: address })).statusName, "Exited");
      await keeper.page.context().close();

      step("withdraw");
      await page.reload();
      await page.getByTestId("status").filter({ hasText: "Exited" }).waitFor();
      const left = await h.reader.getMemberStatement({ member: address });
      const walletBefore = await h.publicClient.readContract({
        address: h.seeded.token,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [address],
      });
      await page.getByTestId("withdraw-amount").fill(fmt(left.balance));
      assert.equal(await act(page, "withdraw", "withdraw-status"), "Done.");
      const walletAfter = await h.publicClient.readContract({
        address: h.seeded.token,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [address],
      });
      assert.equal(walletAfter - walletBefore, left.balance, "the whole balance came back to the wallet");
      assert.equal((await h.reader.getMemberStatement({ member: address })).balance, 0n);
      assert.equal(wallet!.sent.length, 3, "top up, exit, withdraw: the allowance was already there");
      step("axe");
      await expectAccessible(page, "member (exited, phone)");
      await page.context().close();
    },
  );
});

const step = (name: string) => console.log(`# ${new Date().toISOString().slice(11, 19)} ${name}`);

let accounts: string[] | undefined;
async function accountOf(index: number): Promise<string> {
  accounts ??= (await h.rpc("eth_accounts")) as string[];
  return accounts[index];
}
async function indexOf(address: string): Promise<number> {
  accounts ??= (await h.rpc("eth_accounts")) as string[];
  const i = accounts.findIndex((a) => a.toLowerCase() === address.toLowerCase());
  assert.ok(i >= 0, `juror ${address} is a test account`);
  return i;
}
async function waitDone(page: Page, status: string) {
  await page.getByTestId(status).waitFor();
  await page.waitForFunction(
    (id) => {
      const t = document.querySelector(`[data-testid="${id}"]`)?.textContent ?? "";
      return t !== "" && !/Waiting/.test(t);
    },
    status,
    { timeout: 60_000 },
  );
  const text = await page.getByTestId(status).textContent();
  assert.equal(text, "Done.", text ?? "");
}
