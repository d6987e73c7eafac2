import type { Command } from "commander";
import { parseUnits } from "ethers";
import { Presets, SingleBar } from "cli-progress";
import { flag } from "../../actions/flag";
import { getUnderfundedMembers, type UnderfundedScanProgress } from "../../actions/getUnderfundedMembers";
import { lapse } from "../../actions/lapse";
import { lapseBatch } from "../../actions/lapseBatch";
import { settle, type SettledPart } from "../../actions/settle";
import { settleDue } from "../../actions/settleDue";
import type { Address } from "../../core/types";
import { checkAddress } from "../../core/units";
import { InvalidParameterError } from "../../errors/base";
import { poolAbi, read } from "../../internal/contract";
import { date, handle, money, parseWhole, print, txLine, txOf } from "../output";
import type { Session } from "../session";

function partLine(p: SettledPart, token: { symbol: string; decimals: number }): string {
  return (
    `period ${p.period} part ${p.part}${p.closed ? " (closed)" : ""}: ${p.members} members, ${p.claimsPaid} claim${p.claimsPaid === 1n ? "" : "s"} paid, ` +
    `payouts ${money(p.payouts, token)}${p.cut > 0n ? ` (cut ${money(p.cut, token)})` : ""}, fee ${money(p.fee, token)}, share ${money(p.share, token)}`
  );
}

async function settlePeriod(session: Session, period: string | undefined, options: { all?: boolean }): Promise<void> {
  const client = await session.writer();
  const token = await session.token(client);
  if (options.all) {
    if (period !== undefined) throw new InvalidParameterError("period", "give a period or --all, not both");
    const { receipts, parts, nextPeriodToSettle } = await settleDue(client);
    print(session, { parts, nextPeriodToSettle, txs: receipts.map(txOf) }, [
      parts.length === 0
        ? `nothing to settle: period ${nextPeriodToSettle} has not ended`
        : `settled ${parts.length} part${parts.length === 1 ? "" : "s"} in ${receipts.length} transaction${receipts.length === 1 ? "" : "s"}; period ${nextPeriodToSettle} is next`,
      ...parts.map((p) => `  ${partLine(p, token)}`),
    ]);
    return;
  }
  const which =
    period !== undefined
      ? parseWhole(period, "period")
      : await read(client, client.pool!, poolAbi, "nextPeriodToSettle", []);
  const { receipt, parts } = await settle(client, { period: which });
  const first = parts[0];
  const more = first && !first.closed;
  print(session, { period: which, parts, tx: txOf(receipt) }, [
    ...parts.map((p) => partLine(p, token)),
    first &&
      `carry   in: surplus ${money(first.surplusIn, token)}, deficit ${money(first.deficitIn, token)}; out: surplus ${money(parts[parts.length - 1].surplusOut, token)}, deficit ${money(parts[parts.length - 1].deficitOut, token)}`,
    more && `period ${which} has more claims to pay: settle again (or \`huzhu settle --all\`)`,
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

async function flagMember(session: Session, member: string): Promise<void> {
  const client = await session.writer();
  const token = await session.token(client);
  const address = checkAddress(member, "member");
  const { receipt, balance, lapsableAt } = await flag(client, { member: address });
  print(session, { member: address, balance, lapsableAt, tx: txOf(receipt) }, [
    `flagged ${address} (balance ${money(balance, token)}): may be lapsed from ${date(lapsableAt)} unless topped up`,
    txLine(receipt),
  ]);
}

function batchLines(flagged: Address[], lapsed: Address[]): string[] {
  return [
    `flagged ${flagged.length}, lapsed ${lapsed.length} (a lapse is a forced exit: counted until earlier claims are paid)`,
    ...flagged.map((m) => `  flagged ${m}`),
    ...lapsed.map((m) => `  lapsed  ${m}`),
  ];
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
      const { receipt, flagged, lapsed } = await lapseBatch(client, { members: addresses });
      print(session, { listed: addresses, flagged, lapsed, count: lapsed.length, tx: txOf(receipt) }, [
        ...batchLines(flagged, lapsed),
        `of ${addresses.length} listed (funded ones, ones in their grace and non-members are skipped)`,
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
  const now = await client.connector.getTimestamp();
  // Due: not flagged yet (flag them) or flagged with the grace over (lapse them).
  const due = found.filter((f) => f.lapsableAt === 0n || f.lapsableAt <= now);
  if (due.length === 0) {
    print(session, { flagged: [], lapsed: [], count: 0, underfunded: found }, [
      found.length === 0
        ? "no Waiting or Active member is below the minimum balance"
        : `${found.length} flagged member${found.length === 1 ? " is" : "s are"} in their grace: nothing due`,
    ]);
    return;
  }
  const { receipt, flagged, lapsed } = await lapseBatch(client, { members: due.map((f) => f.member) });
  print(session, { flagged, lapsed, count: lapsed.length, underfunded: found, tx: txOf(receipt) }, [
    `${found.length} member${found.length === 1 ? "" : "s"} below the minimum balance of ${money(found[0].minBalance, token)}:`,
    ...batchLines(flagged, lapsed),
    txLine(receipt),
  ]);
}

interface RunOptions {
  interval: string;
  standby: string;
  maxGasPrice?: string;
  port?: string;
  host: string;
  maxLag: string;
  lapseBatch: string;
  factory?: boolean;
  logLevel: string;
}

/** A whole number option within bounds. */
function wholeOption(text: string, what: string, max = 2 ** 31): number {
  const value = parseWhole(text, what);
  if (value > BigInt(max)) throw new InvalidParameterError(what, `must be at most ${max}`);
  return Number(value);
}

/**
 * `huzhu keeper run`: the long-running service. Watches the deployments file's pools (or the one
 * `--pool` names, or every pool of the file's factory with `--factory`), logs JSON lines (pino) on
 * stdout, serves `/metrics` and `/health` with `--port`, and exits 0 after SIGTERM or SIGINT once the
 * current step is done.
 */
async function runService(session: Session, options: RunOptions): Promise<void> {
  const deployment = session.deployment();
  const wallet = await session.wallet(deployment.chainId);
  const pools = options.factory
    ? undefined
    : session.options.pool !== undefined
      ? [session.pool()].map(({ address, recorded }) => ({
          address,
          block: recorded?.block ?? deployment.factory.block,
        }))
      : deployment.pools.map((p) => ({ address: p.address, block: p.block }));
  if (pools?.length === 0) {
    throw new InvalidParameterError(
      "--pool",
      `${session.deploymentFile} records no pool: pass --factory to watch the factory's`,
    );
  }
  const maxGasPriceWei = options.maxGasPrice === undefined ? undefined : parseUnits(options.maxGasPrice, "gwei");
  // Loaded here: the other commands need neither pino nor prom-client.
  const [{ default: pino }, { runKeeper }] = await Promise.all([import("pino"), import("../../keeper/run")]);
  const logger = pino({ name: "huzhu-keeper", level: options.logLevel });
  const { done } = await runKeeper({
    wallet,
    pools,
    factory: options.factory ? deployment.factory : undefined,
    intervalMs: wholeOption(options.interval, "--interval"),
    standbyMs: wholeOption(options.standby, "--standby"),
    maxGasPriceWei,
    maxLagBlocks: wholeOption(options.maxLag, "--max-lag"),
    lapseBatchSize: Math.max(1, wholeOption(options.lapseBatch, "--lapse-batch", 1_000)),
    port: options.port === undefined ? undefined : wholeOption(options.port, "--port", 65_535),
    host: options.host,
    logger,
  });
  await done;
}

export function registerKeeper(program: Command): void {
  program
    .command("keeper")
    .description("the keeper service: do every due duty of the pools, with Prometheus metrics")
    .command("run")
    .description(
      "watch the deployments file's pools (or --pool, or every pool of the factory with --factory) and settle, draw juries, tally, resolve, complete exits, flag and lapse as they fall due; JSON logs on stdout; stops after the current step on SIGTERM",
    )
    .option("--interval <ms>", "pause between cycles when nothing was due", "5000")
    .option("--standby <ms>", "act on a duty only once it has been due this long (for backup keepers)", "0")
    .option("--max-gas-price <gwei>", "send nothing while the gas price is above this")
    .option("--port <port>", "serve /metrics and /health on this port")
    .option("--host <host>", "the address to serve on", "127.0.0.1")
    .option("--max-lag <blocks>", "/health is not ready when the keeper lags the head by more blocks", "5")
    .option("--lapse-batch <n>", "members per lapseBatch transaction", "100")
    .option("--factory", "watch every pool the deployments file's factory created")
    .option("--log-level <level>", "pino log level: debug, info, warn, error", "info")
    .action(handle(runService));
  program
    .command("settle [period]")
    .description(
      "settle the next part of an ended period (default: the next one): pay approved claims and charge every member",
    )
    .option("--all", "settle every ended period, part after part, until the next one has not ended")
    .action(handle(settlePeriod));
  program
    .command("flag <member>")
    .description("flag a member below the minimum balance: they may be lapsed after the pool's grace")
    .action(handle(flagMember));
  program
    .command("lapse [members...]")
    .description(
      "flag members below the minimum balance and lapse the flagged ones whose grace is over; with none given, find them from the pool's events",
    )
    .action(handle(lapseMembers));
}
