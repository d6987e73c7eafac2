import type { Command } from "commander";
import { Presets, SingleBar } from "cli-progress";
import { getPeriod } from "../../actions/getPeriod";
import { getUnderfundedMembers, type UnderfundedScanProgress } from "../../actions/getUnderfundedMembers";
import { lapse } from "../../actions/lapse";
import { lapseBatch } from "../../actions/lapseBatch";
import { settle } from "../../actions/settle";
import { settleDue } from "../../actions/settleDue";
import { InvalidParameterError } from "../../errors/base";
import { checkAddress } from "../../core/units";
import { poolAbi, read } from "../../internal/contract";
import { handle, money, parseWhole, print, txLine, txOf } from "../output";
import type { Session } from "../session";

/** `huzhu settle --all`: every ended period, oldest first, one line (or JSON entry) each. */
async function settleAll(session: Session): Promise<void> {
  const client = await session.writer();
  const token = await session.token(client);
  const settled = await settleDue(client);
  const periods = await Promise.all(settled.map(({ period }) => getPeriod(client, { period })));
  print(
    session,
    { settled: settled.map(({ receipt }, i) => ({ ...periods[i], tx: txOf(receipt) })), count: settled.length },
    settled.length === 0
      ? ["no ended period is left to settle"]
      : settled.map(
          ({ period, receipt }, i) =>
            `settled period ${period}: ${periods[i].members} members, ${periods[i].claimsPaid} paid, share ${money(periods[i].share, token)} (tx ${receipt.hash})`,
        ),
  );
}

async function settlePeriod(session: Session, period: string | undefined, options: { all?: boolean }): Promise<void> {
  if (options.all) {
    if (period !== undefined) throw new InvalidParameterError("period", "give a period or --all, not both");
    return settleAll(session);
  }
  const client = await session.writer();
  const which =
    period !== undefined
      ? parseWhole(period, "period")
      : await read(client, client.pool!, poolAbi, "nextPeriodToSettle", []);
  const receipt = await settle(client, { period: which });
  const [p, token] = await Promise.all([getPeriod(client, { period: which }), session.token(client)]);
  print(session, { ...p, tx: txOf(receipt) }, [
    `settled period ${which}: ${p.members} members, ${p.claimsPaid} claim${p.claimsPaid === 1n ? "" : "s"} paid`,
    `payouts ${money(p.payouts, token)}${p.cut > 0n ? ` (cut by ${money(p.cut, token)} under the yearly cap)` : ""}, fee ${money(p.fee, token)}`,
    `share   ${money(p.share, token)} per member`,
    `carry   in: surplus ${money(p.surplusIn, token)}, deficit ${money(p.deficitIn, token)}; out: surplus ${money(p.surplusOut, token)}, deficit ${money(p.deficitOut, token)}`,
    txLine(receipt),
  ]);
}

/** A progress bar on stderr (drawn only on a terminal, never with --json). */
function progressBar(session: Session): { update: (p: UnderfundedScanProgress) => void; stop: () => void } {
  if (session.json) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { format: "{stage} [{bar}] {value}/{total}", stream: process.stderr, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  let stage: string | undefined;
  return {
    update(p) {
      const label = p.stage === "events" ? "scanning blocks " : "reading balances";
      if (stage !== p.stage) {
        if (stage !== undefined) bar.stop();
        bar.start(p.total, p.done, { stage: label });
        stage = p.stage;
      } else bar.update(p.done, { stage: label });
    },
    stop: () => {
      if (stage !== undefined) bar.stop();
    },
  };
}

async function lapseMembers(session: Session, members: string[]): Promise<void> {
  const client = await session.writer();
  const token = await session.token(client);
  if (members.length > 0) {
    const addresses = members.map((m, i) => checkAddress(m, members.length === 1 ? "member" : `members[${i}]`));
    if (addresses.length === 1) {
      const receipt = await lapse(client, { member: addresses[0] });
      print(session, { lapsed: addresses, count: 1, tx: txOf(receipt) }, [`lapsed ${addresses[0]}`, txLine(receipt)]);
    } else {
      const { receipt, lapsed } = await lapseBatch(client, { members: addresses });
      print(session, { listed: addresses, count: lapsed, tx: txOf(receipt) }, [
        `lapsed ${lapsed} of ${addresses.length} listed members (funded ones and non-members are skipped)`,
        txLine(receipt),
      ]);
    }
    return;
  }
  const { recorded } = session.pool();
  const bar = progressBar(session);
  let found;
  try {
    found = await getUnderfundedMembers(client, { fromBlock: recorded?.block ?? 0n, onProgress: bar.update });
  } finally {
    bar.stop();
  }
  if (found.length === 0) {
    print(session, { lapsed: [], count: 0, underfunded: [] }, ["no counted member is below the minimum balance"]);
    return;
  }
  const { receipt, lapsed } = await lapseBatch(client, { members: found.map((f) => f.member) });
  print(session, { lapsed: found.map((f) => f.member), count: lapsed, underfunded: found, tx: txOf(receipt) }, [
    `lapsed ${found.length} member${found.length === 1 ? "" : "s"} below the minimum balance of ${money(found[0].minBalance, token)}:`,
    ...found.map((f) => `  ${f.member} (balance ${money(f.balance, token)})`),
    txLine(receipt),
  ]);
}

export function registerKeeper(program: Command): void {
  program
    .command("settle [period]")
    .description("settle an ended period (default: the next one): pay approved claims and charge every member")
    .option("--all", "settle every ended period, oldest first")
    .action(handle(settlePeriod));
  program
    .command("lapse [members...]")
    .description("lapse members below the minimum balance; with none given, find them from the pool's events")
    .action(handle(lapseMembers));
}
