import { existsSync, readFileSync, statSync } from "node:fs";
import type { Command } from "commander";
import { keccak256 } from "viem";
import { appeal } from "../../actions/appeal";
import { getClaim } from "../../actions/getClaim";
import { getRound } from "../../actions/getRound";
import { resolve } from "../../actions/resolve";
import { submitClaim } from "../../actions/submitClaim";
import { tally } from "../../actions/tally";
import { ClaimState, type Hex, type RoundInfo } from "../../core/types";
import { checkAddress, parseAmount } from "../../core/units";
import { poolAbi, read } from "../../internal/contract";
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

async function submit(
  session: Session,
  options: { amount: string; evidence: string; uri?: string; payee?: string },
): Promise<void> {
  const { digest, file } = evidenceDigestOf(options.evidence);
  const payee = options.payee === undefined ? undefined : checkAddress(options.payee, "--payee");
  const client = await session.writer();
  const token = await session.token(client);
  const amount = parseAmount(options.amount, token.decimals, "--amount");
  const { claimId, receipt } = await submitClaim(client, { amount, evidenceDigest: digest, uri: options.uri, payee });
  const paidTo = await read(client, client.pool!, poolAbi, "payeeOf", [claimId]);
  const [claim, round] = await Promise.all([getClaim(client, { claimId }), getRound(client, { claimId, round: 0n })]);
  print(
    session,
    {
      claimId,
      amount,
      evidenceDigest: digest,
      seedBlock: round.seedBlock,
      commitEndsAt: round.commitEndsAt,
      revealEndsAt: round.revealEndsAt,
      resolvesAt: claim.resolvesAt,
      payee: paidTo,
      tx: txOf(receipt),
    },
    [
      `submitted claim #${claimId} for ${money(amount, token)} (bond ${money(claim.bond, token)} posted)`,
      `payee       ${paidTo} (only this address can withdraw the payout; the bond's refund comes back to you)`,
      `evidence digest ${digest}${file ? ` (keccak256 of ${file})` : ""}`,
      `jury: drawn from block ${round.seedBlock} on (\`huzhu jury draw ${claimId}\`), commit until ${date(round.commitEndsAt)}, reveal until ${date(round.revealEndsAt)}`,
      `final at ${date(claim.resolvesAt)} whatever happens`,
      txLine(receipt),
    ],
  );
}

function roundLines(r: RoundInfo): string[] {
  const status = !r.drawn
    ? "not drawn"
    : r.tallied
      ? `tallied: ${r.approvals} for, ${r.rejections} against (quorum ${r.quorum})`
      : `${r.approvals + r.rejections} revealed so far (quorum ${r.quorum})`;
  return [
    `round ${r.round}     ${r.seats}/${r.seatsTarget} seats, ${status}`,
    `            commit until ${date(r.commitEndsAt)}, reveal until ${date(r.revealEndsAt)}, appeal until ${date(r.appealEndsAt)}`,
    ...(r.jurors.length > 0 ? [`            jurors ${r.jurors.join(", ")}`] : []),
  ];
}

async function show(session: Session, id: string): Promise<void> {
  const claimId = parseWhole(id, "claim id");
  const client = await session.reader();
  const [c, token, payee] = await Promise.all([
    getClaim(client, { claimId }),
    session.token(client),
    read(client, client.pool!, poolAbi, "payeeOf", [claimId]),
  ]);
  if (c.state === ClaimState.None)
    throw new InvalidParameterError("claim id", `there is no claim #${claimId} in this pool`);
  const rounds = await Promise.all(
    Array.from({ length: Number(c.round) + 1 }, (_, r) => getRound(client, { claimId, round: BigInt(r) })),
  );
  const none = /^0x0{64}$/;
  print(session, { ...c, payee, rounds, token }, [
    `claim       #${c.id} (${c.stateName})`,
    `claimant    ${c.claimant}`,
    payee !== c.claimant && `payee       ${payee} (is paid the payout)`,
    `amount      ${money(c.amount, token)}, bond ${money(c.bond, token)}, fee ${Number(c.feeBps) / 100}%`,
    `evidence    ${c.evidenceDigest}`,
    `review      ${none.test(c.reviewDigest) ? "none" : c.reviewDigest}`,
    `submitted   ${date(c.submittedAt)}; final at ${date(c.resolvesAt)}`,
    `verdict     ${c.verdictName}${/^0x0{40}$/.test(c.appellant) ? "" : ` (appealed by ${c.appellant})`}`,
    ...rounds.flatMap(roundLines),
  ]);
}

async function tallyClaim(session: Session, id: string): Promise<void> {
  const claimId = parseWhole(id, "claim id");
  const client = await session.writer();
  const token = await session.token(client);
  const t = await tally(client, { claimId });
  print(session, { claimId, ...t, tx: txOf(t.receipt), receipt: undefined }, [
    `tallied round ${t.round} of claim #${claimId}: ${t.verdictName === "None" ? "no quorum" : t.verdictName} (${t.approvals} for, ${t.rejections} against, quorum ${t.quorum})`,
    ...t.penalized.map((p) => `  ${p.juror} did not reveal: paid ${money(p.amount, token)}`),
    t.nextRound !== undefined && `a fresh jury opens round ${t.nextRound}: \`huzhu jury draw ${claimId}\``,
    txLine(t.receipt),
  ]);
}

async function appealClaim(session: Session, id: string): Promise<void> {
  const claimId = parseWhole(id, "claim id");
  const client = await session.writer();
  const token = await session.token(client);
  const a = await appeal(client, { claimId });
  print(session, { claimId, round: a.round, bond: a.bond, tx: txOf(a.receipt) }, [
    `appealed claim #${claimId}: round ${a.round} seats a larger jury; bond ${money(a.bond, token)} posted (refunded if the verdict is overturned)`,
    txLine(a.receipt),
  ]);
}

async function resolveClaim(session: Session, id: string): Promise<void> {
  const claimId = parseWhole(id, "claim id");
  const client = await session.writer();
  const receipt = await resolve(client, { claimId });
  const c = await getClaim(client, { claimId });
  print(
    session,
    { claimId, state: c.state, stateName: c.stateName, verdict: c.verdictName, round: c.round, tx: txOf(receipt) },
    [`claim #${claimId} is ${c.stateName} (after ${c.round + 1n} round${c.round === 0n ? "" : "s"})`, txLine(receipt)],
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
    .option("--payee <address>", "who is paid the payout (a hospital, a relative); default: your beneficiary, else you")
    .action(handle(submit));
  claim.command("show <id>").description("show a claim, its verdict and every jury round").action(handle(show));
  program
    .command("tally <id>")
    .description("close a claim's round after its reveal window: the verdict, or a fresh jury short of quorum")
    .action(handle(tallyClaim));
  program
    .command("appeal <id>")
    .description("appeal a claim's verdict in its appeal window and post the appeal bond")
    .action(handle(appealClaim));
  program
    .command("resolve <id>")
    .description("record the outcome of every claim up to <id> once its timetable has ended")
    .action(handle(resolveClaim));
}
