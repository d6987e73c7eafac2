import { formatAmount } from "../core/units";
import { MemberStatus, nameOf } from "../core/types";
import type { Address } from "../core/types";
import type { AuditResult } from "./audit";
import type { MemberLedger } from "./rebuild";

const json = (value: unknown) =>
  JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v instanceof Set ? [...v] : v), 2);

function statusName(result: AuditResult, m: MemberLedger): string {
  const status = m.status === MemberStatus.Waiting && result.timestamp >= m.eligibleAt ? MemberStatus.Active : m.status;
  return nameOf(MemberStatus, status);
}

/** The period-by-period apportionment table, as mutual-aid platforms publish it, then every check. */
/** The token issuer's freeze, when there is one: joins, claims and withdrawals fail while it lasts. */
function tokenFreezeLines(result: AuditResult): string[] {
  const frozen = [
    result.tokenFreeze.paused ? "has paused the token" : undefined,
    result.tokenFreeze.blacklisted ? "has blacklisted the pool's address" : undefined,
  ].filter((x): x is string => x !== undefined);
  if (frozen.length === 0) return [];
  return [
    `**Token frozen:** the issuer of ${result.symbol} (${result.asset}) ${frozen.join(" and ")}. Joins, top-ups, claims and every withdrawal fail until it lifts this; settlement goes on charging, and what members and claimants are owed stays owed.`,
    "",
  ];
}

export function auditMarkdown(result: AuditResult): string {
  const f = (v: bigint) => formatAmount(v, result.decimals);
  const lines = [
    `# Audit of pool ${result.pool}`,
    "",
    `Blocks ${result.fromBlock} to ${result.toBlock}; ${result.stats.events} events; ${result.ledger.members.size} members ever, ${result.ledger.memberCount} counted now. Amounts in ${result.symbol}.`,
    "",
    `**Verdict: ${result.passed ? "PASS" : "FAIL"}**`,
    "",
    ...tokenFreezeLines(result),
    "## Apportionment by period",
    "",
    "| period | cases paid | total paid | fee | members | share per member | cut by annual cap | surplus carried | deficit carried |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...result.ledger.periods.map(
      (p) =>
        `| ${p.period} | ${p.claims.length} | ${f(p.payouts)} | ${f(p.fee)} | ${p.members} | ${f(p.share)} | ${f(p.cut)} | ${f(p.surplusOut)} | ${f(p.deficitOut)} |`,
    ),
    "",
    "## Checks",
    "",
    "| check | scope | verdict |",
    "| --- | --- | --- |",
    ...result.checks.map(
      (c) => `| ${c.name} | ${c.scope} | ${c.passed ? "pass" : `FAIL (${c.discrepancies.length})`} |`,
    ),
  ];
  const failures = result.checks.flatMap((c) => c.discrepancies);
  if (failures.length > 0) {
    lines.push(
      "",
      "## Discrepancies",
      "",
      "| check | subject | events say | chain says |",
      "| --- | --- | --- | --- |",
    );
    for (const d of failures.slice(0, 500)) lines.push(`| ${d.check} | ${d.subject} | ${d.expected} | ${d.actual} |`);
    if (failures.length > 500) lines.push("", `... and ${failures.length - 500} more (see report.json).`);
  }
  return lines.join("\n") + "\n";
}

/** The whole result as JSON (bigints as decimal strings). */
export function auditJson(result: AuditResult): string {
  const l = result.ledger;
  return json({
    pool: result.pool,
    asset: result.asset,
    fromBlock: result.fromBlock,
    toBlock: result.toBlock,
    passed: result.passed,
    tokenFreeze: result.tokenFreeze,
    stats: result.stats,
    memberCount: l.memberCount,
    chargeIndex: l.chargeIndex,
    surplus: l.surplus,
    deficit: l.deficit,
    fees: l.fees,
    expectedEscrowBalance: l.expectedEscrowBalance(),
    periods: l.periods,
    checks: result.checks,
  });
}

/** One row per member: deposits, withdrawals, charges, balance. */
export function statementsCsv(result: AuditResult): string {
  const l = result.ledger;
  const rows = ["member,status,joined_block,deposits,withdrawals,charged,shortfall,balance,payout_due,periods_shared"];
  for (const m of l.members.values()) {
    rows.push(
      [
        m.member,
        statusName(result, m),
        m.joinedBlock,
        m.deposits,
        m.withdrawals,
        l.chargedOf(m),
        m.shortfall,
        l.balanceOf(m),
        l.payouts.get(m.member) ?? 0n,
        l.periodsOf(m).length,
      ].join(","),
    );
  }
  return rows.join("\n") + "\n";
}

/** One member's history: each period they shared, the share they paid and the claims it paid for. */
export function memberStatement(result: AuditResult, member: Address) {
  const l = result.ledger;
  const m = [...l.members.values()].find((x) => x.member.toLowerCase() === member.toLowerCase());
  if (!m) return undefined;
  return {
    member: m.member,
    status: statusName(result, m),
    joinedBlock: m.joinedBlock,
    deposits: m.deposits,
    withdrawals: m.withdrawals,
    charged: l.chargedOf(m),
    shortfall: m.shortfall,
    balance: l.balanceOf(m),
    payoutDue: l.payouts.get(m.member) ?? 0n,
    periods: l.periodsOf(m).map((p) => ({
      period: p.period,
      share: p.share,
      members: p.members,
      claims: p.claims.map((c) => ({
        claimId: c.id,
        paid: c.paid,
        // This member's part of the claim: the share split over the period's charges, pro rata.
        memberPart: p.payouts + p.fee === 0n ? 0n : (p.share * c.paid) / (p.payouts + p.fee),
      })),
    })),
  };
}

export { json as toJson };
