import type { Command } from "commander";
import { drawJury } from "../../actions/drawJury";
import { getJuryDuties } from "../../actions/getJuryDuties";
import type { Address } from "../../core/types";
import { checkAddress } from "../../core/units";
import { MissingAccountError } from "../../errors/base";
import { date, handle, parseWhole, print, txLine, txOf } from "../output";
import type { Session } from "../session";

async function draw(session: Session, id: string): Promise<void> {
  const claimId = parseWhole(id, "claim id");
  const client = await session.writer();
  const { receipt, round, jurors, reanchored } = await drawJury(client, { claimId });
  print(session, { claimId, round, jurors, reanchored, tx: txOf(receipt) }, [
    reanchored
      ? `the seed block of claim #${claimId} round ${round} aged out: re-anchored to a new block, draw again in a block`
      : `drew the jury of claim #${claimId} round ${round}: ${jurors.length} seated`,
    ...jurors.map((j) => `  ${j}`),
    txLine(receipt),
  ]);
}

async function duties(session: Session, account: string | undefined, options: { all?: boolean }): Promise<void> {
  const client = account ? await session.reader() : await session.writer();
  const juror = account ? checkAddress(account, "account") : ((await client.connector.getAddress()) as Address);
  if (!juror) throw new MissingAccountError();
  const { recorded } = session.pool();
  const found = await getJuryDuties(client, {
    account: juror,
    fromBlock: recorded?.block ?? 0n,
    pendingOnly: options.all !== true,
  });
  const what = { commit: "commit a vote", reveal: "reveal the vote", done: "revealed", missed: "missed" } as const;
  print(session, { account: juror, duties: found }, [
    found.length === 0
      ? `${juror} has ${options.all ? "no seat on any jury" : "nothing due"}`
      : `${juror} sits on ${found.length} jur${found.length === 1 ? "y" : "ies"}${options.all ? "" : " with something due"}:`,
    ...found.map(
      (d) =>
        `  claim #${d.claimId} round ${d.round} (${d.claimStateName}): ${what[d.due]}` +
        (d.due === "commit" || d.due === "reveal"
          ? `${d.due === "reveal" ? ` from ${date(d.from)}` : ""} by ${date(d.dueBy)}`
          : ""),
    ),
  ]);
}

export function registerJury(program: Command): void {
  const jury = program.command("jury").description("draw juries and list a juror's duties");
  jury
    .command("draw <id>")
    .description("draw the jury of a claim's current round (anyone; once its seed block exists)")
    .action(handle(draw));
  jury
    .command("duties [account]")
    .description("the claims where an account (default: your key's) sits on a jury, and what is due by when")
    .option("--all", "every seat, also the done and the missed")
    .action(handle(duties));
}
