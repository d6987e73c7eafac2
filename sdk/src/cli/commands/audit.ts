import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { Presets, SingleBar } from "cli-progress";
import { audit, type AuditResult } from "../../audit/audit";
import type { FetchProgress } from "../../audit/fetch";
import { auditJson, auditMarkdown, memberStatement, statementsCsv } from "../../audit/report";
import type { LogEntry } from "../../clients/connector";
import type { Address, Hex } from "../../core/types";
import { checkAddress, formatAmount } from "../../core/units";
import { UnknownNetworkError } from "../../errors/base";
import { handle, parseWhole, print, toJson } from "../output";
import type { Session } from "../session";

interface AuditOptions {
  out?: string;
  fromBlock?: string;
  blockRange?: string;
  checkpoint?: string;
}

/** A progress bar on stderr with events and blocks per second (never with --json or off a terminal). */
function progress(session: Session) {
  if (session.json || !process.stderr.isTTY) return { update: (_p: FetchProgress) => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      format: "reading events [{bar}] block {value}/{total} | {logs} events | {eps} events/s, {bps} blocks/s",
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(p: FetchProgress) {
      const payload = { logs: p.logs, eps: Math.round(p.logsPerSecond), bps: Math.round(p.blocksPerSecond) };
      const [done, total] = [Number(p.block - p.fromBlock + 1n), Number(p.toBlock - p.fromBlock + 1n)];
      if (!started) bar.start(total, done, payload);
      else bar.update(done, payload);
      started = true;
    },
    stop: () => started && bar.stop(),
  };
}

const reviveLog = (l: Record<string, string | number>): LogEntry => ({
  address: l.address as Address,
  topics: l.topics as unknown as Hex[],
  data: l.data as Hex,
  blockNumber: BigInt(l.blockNumber),
  transactionHash: l.transactionHash as Hex,
  logIndex: Number(l.logIndex),
});

/** Runs the audit of the session's pool, resuming from and saving to a checkpoint file when given. */
async function runAudit(session: Session, options: AuditOptions): Promise<AuditResult> {
  const client = await session.reader();
  const { recorded } = session.pool();
  let factory: Address | undefined;
  try {
    factory = session.deployment().factory.address;
  } catch (error) {
    if (!(error instanceof UnknownNetworkError)) throw error;
  }
  let resume: { logs: LogEntry[]; nextBlock: bigint } | undefined;
  if (options.checkpoint && existsSync(options.checkpoint)) {
    const saved = JSON.parse(readFileSync(options.checkpoint, "utf8"));
    if (saved.pool?.toLowerCase() === client.pool!.toLowerCase())
      resume = { logs: saved.logs.map(reviveLog), nextBlock: BigInt(saved.nextBlock) };
  }
  const bar = progress(session);
  try {
    return await audit(client, {
      factory,
      fromBlock:
        options.fromBlock !== undefined ? parseWhole(options.fromBlock, "--from-block") : (recorded?.block ?? 0n),
      blockRange: options.blockRange !== undefined ? parseWhole(options.blockRange, "--block-range") : undefined,
      resume,
      onProgress: bar.update,
      onCheckpoint: options.checkpoint
        ? (c) => writeFileSync(options.checkpoint!, toJson({ pool: client.pool, nextBlock: c.nextBlock, logs: c.logs }))
        : undefined,
    });
  } finally {
    bar.stop();
  }
}

async function auditPool(session: Session, options: AuditOptions): Promise<void> {
  const result = await runAudit(session, options);
  const out = options.out ?? "audit-report";
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "report.md"), auditMarkdown(result));
  writeFileSync(path.join(out, "report.json"), auditJson(result));
  writeFileSync(path.join(out, "statements.csv"), statementsCsv(result));
  const failures = result.checks.flatMap((c) => c.discrepancies);
  if (session.json) process.stdout.write(auditJson(result) + "\n");
  else {
    const md = auditMarkdown(result);
    process.stdout.write(md.slice(md.indexOf("## Apportionment by period")));
    process.stdout.write(
      `\n${result.passed ? "PASS" : "FAIL"}: ${result.stats.events} events in ${result.stats.seconds.toFixed(1)} s ` +
        `(${Math.round(result.stats.eventsPerSecond)} events/s); reports in ${out}/ (report.md, report.json, statements.csv)\n`,
    );
    for (const d of failures.slice(0, 20))
      process.stdout.write(`  ${d.check}: ${d.subject}: events say ${d.expected}, chain says ${d.actual}\n`);
  }
  if (!result.passed) process.exitCode = 1;
}

/** A member's history from the events (shared by `history` and `statement --history`). */
export async function history(session: Session, member: string): Promise<void> {
  const address = checkAddress(member, "member");
  const result = await runAudit(session, {});
  const s = memberStatement(result, address);
  if (!s) {
    print(session, { member: address, found: false }, [`${address} never joined this pool`]);
    return;
  }
  const f = (v: bigint) => `${formatAmount(v, result.decimals)} ${result.symbol}`;
  print(session, s, [
    `member ${s.member} (${s.status}), joined in block ${s.joinedBlock}`,
    `deposits ${f(s.deposits)}, withdrawals ${f(s.withdrawals)}, charged ${f(s.charged)}, balance ${f(s.balance)}, payout due ${f(s.payoutDue)}`,
    ...s.periods.flatMap((p) => [
      `period ${p.period}${p.part > 0n ? ` part ${p.part}` : ""}: share ${f(p.share)} (${p.members} members)`,
      ...p.claims.map((c) => `  claim #${c.claimId} paid ${f(c.paid)}: your part ${f(c.memberPart)}`),
    ]),
  ]);
}

export function registerAudit(program: Command): void {
  program
    .command("audit")
    .description("rebuild the pool from its events and check the chain against it; exit code 1 on any discrepancy")
    .option("--out <dir>", "where to write report.md, report.json and statements.csv", "audit-report")
    .option("--from-block <n>", "first block to read (default: the pool's creation block from the deployments file)")
    .option("--block-range <n>", "blocks per log request at first (shrinks when the endpoint refuses)")
    .option("--checkpoint <file>", "save progress here and resume from it")
    .action(handle(auditPool));
  program
    .command("history <member>")
    .description("a member's history from the events: each period's share and their part of each claim")
    .action(handle(history));
}
