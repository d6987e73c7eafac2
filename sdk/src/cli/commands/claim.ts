import { existsSync, readFileSync, statSync } from "node:fs";
import type { Command } from "commander";
import { keccak256 } from "viem";
import { getClaim } from "../../actions/getClaim";
import { resolve } from "../../actions/resolve";
import { submitClaim } from "../../actions/submitClaim";
import { ClaimState, type Hex } from "../../core/types";
import { parseAmount } from "../../core/units";
import { InvalidParameterError } from "../../errors/base";
import { date, handle, money, parseWhole, print, txLine, txOf } from "../output";
import type { Session } from "../session";

/** The evidence digest: a 32-byte hex digest as given, or the keccak256 of a file's bytes. */
function evidenceDigestOf(evidence: string): { digest: Hex; file?: string } {
  if (/^0x[0-9a-fA-F]{64}$/.test(evidence)) return { digest: evidence as Hex };
  if (existsSync(evidence) && statSync(evidence).isFile()) {
    return { digest: keccak256(new Uint8Array(readFileSync(evidence))), file: evidence };
  }
  throw new InvalidParameterError("--evidence", `"${evidence}" is neither a file nor a 32-byte hex digest`);
}

async function submit(session: Session, options: { amount: string; evidence: string; uri?: string }): Promise<void> {
  const { digest, file } = evidenceDigestOf(options.evidence);
  const client = await session.writer();
  const token = await session.token(client);
  const amount = parseAmount(options.amount, token.decimals, "--amount");
  const { claimId, receipt } = await submitClaim(client, { amount, evidenceDigest: digest, uri: options.uri });
  const claim = await getClaim(client, { claimId });
  print(
    session,
    {
      claimId,
      amount,
      evidenceDigest: digest,
      commitEndsAt: claim.commitEndsAt,
      revealEndsAt: claim.revealEndsAt,
      tx: txOf(receipt),
    },
    [
      `submitted claim #${claimId} for ${money(amount, token)} (bond ${money(claim.bond, token)} posted)`,
      `evidence digest ${digest}${file ? ` (keccak256 of ${file})` : ""}`,
      `votes: commit until ${date(claim.commitEndsAt)}, reveal until ${date(claim.revealEndsAt)}`,
      txLine(receipt),
    ],
  );
}

async function show(session: Session, id: string): Promise<void> {
  const claimId = parseWhole(id, "claim id");
  const client = await session.reader();
  const [c, token] = await Promise.all([getClaim(client, { claimId }), session.token(client)]);
  if (c.state === ClaimState.None)
    throw new InvalidParameterError("claim id", `there is no claim #${claimId} in this pool`);
  const none = /^0x0{64}$/;
  print(session, { ...c, token }, [
    `claim       #${c.id} (${c.stateName})`,
    `claimant    ${c.claimant}`,
    `amount      ${money(c.amount, token)}, bond ${money(c.bond, token)}`,
    `evidence    ${c.evidenceDigest}`,
    `review      ${none.test(c.reviewDigest) ? "none" : c.reviewDigest}`,
    `submitted   ${date(c.submittedAt)}`,
    `votes       commit until ${date(c.commitEndsAt)}, reveal until ${date(c.revealEndsAt)}`,
    `tally       ${c.approvals} for, ${c.rejections} against (revealed)`,
  ]);
}

async function resolveClaim(session: Session, id: string): Promise<void> {
  const claimId = parseWhole(id, "claim id");
  const client = await session.writer();
  const receipt = await resolve(client, { claimId });
  const c = await getClaim(client, { claimId });
  print(
    session,
    {
      claimId,
      state: c.state,
      stateName: c.stateName,
      approvals: c.approvals,
      rejections: c.rejections,
      tx: txOf(receipt),
    },
    [`claim #${claimId} is ${c.stateName} (${c.approvals} for, ${c.rejections} against)`, txLine(receipt)],
  );
}

export function registerClaim(program: Command): void {
  const claim = program.command("claim").description("submit and inspect claims");
  claim
    .command("submit")
    .description("submit a claim and post the pool's bond")
    .requiredOption("--amount <amount>", "the payout asked for, in token units")
    .requiredOption(
      "--evidence <file|digest>",
      "the evidence file (only its keccak256 goes on chain) or a 32-byte hex digest",
    )
    .option("--uri <uri>", "where the encrypted evidence can be fetched")
    .action(handle(submit));
  claim.command("show <id>").description("show a claim, its windows and its tally").action(handle(show));
  program
    .command("resolve <id>")
    .description("decide every pending claim up to <id> once its reveal window has ended")
    .action(handle(resolveClaim));
}
