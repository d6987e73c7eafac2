import { formatAmount } from "../core/units";
import type { Address } from "../core/types";
import { checksumAddress, checksumAddressesIn } from "../internal/abiCodec";
import type { AuditResult } from "./audit";
import type { ClaimLedger, MemberLedger } from "./rebuild";
import { ClaimStateV2, MemberStatusV2, Verdict, nameIn } from "./states";

const json = (value: unknown) =>
  JSON.stringify(
    value,
    (_k, v) =>
      typeof v === "bigint" ? v.toString() : v instanceof Set ? [...v] : v instanceof Map ? Object.fromEntries(v) : v,
    2,
  );

function statusName(result: AuditResult, m: MemberLedger): string {
  return nameIn(MemberStatusV2, result.ledger.statusAt(m, result.timestamp));
}

const verdictName = (v: number) => nameIn(Verdict, v);

/** One line per round of a claim: seats, votes, verdict, and the appeal that opened it. */
function juryLines(result: AuditResult, c: ClaimLedger): string[] {
  const state = nameIn(ClaimStateV2, result.ledger.claimStateAt(c, result.timestamp));
  return c.rounds.map((r) => {
    const seats = r.drawn ? `${r.jurors.length}/${r.target}` : `0/${r.target} (not drawn)`;
    const votes = r.tallied || r.votes.size > 0 ? `${r.approvals} for, ${r.rejections} against` : "-";
    const penalised = r.penalized.size;
    const verdict = r.tallied ? (r.verdict === Verdict.None ? "no quorum" : verdictName(r.verdict)) : "not tallied";
    const appeal = c.appeals.find((a) => a.round === r.round);
    const appealText = appeal
      ? `appeal by ${appeal.appellant} against ${verdictName(appeal.against)}: ${
          appeal.overturned === undefined
            ? "pending"
            : appeal.overturned
              ? "overturned (bond refunded)"
              : appeal.forfeited
                ? "confirmed (bond forfeited)"
                : "undecided (bond refunded)"
        }`
      : "";
    return `| ${c.id} | ${state} | ${r.round} | ${seats} | ${r.quorum} | ${votes} | ${penalised} | ${verdict} | ${appealText} |`;
  });
}

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

/** Claims paid to a payee other than the claimant, and every recovery of a lost wallet. */
function recoveryLines(result: AuditResult): string[] {
  const l = result.ledger;
  const f = (v: bigint) => formatAmount(v, result.decimals);
  const payees = [...l.claims.values()].filter((c) => c.payee !== undefined);
  if (payees.length === 0 && l.recoveries.length === 0) return [];
  const lines = [
    "## Payees and recoveries",
    "",
    "A claim's payout is credited to its payee (named in the claim, or the member's beneficiary), never to anyone else; a refunded bond goes to the claimant. A recovery moves a membership to a new wallet after 30 days unless the member's wallet (or its recovery address) cancels it; payouts already owed stay where they were credited.",
    "",
  ];
  if (payees.length > 0)
    lines.push(
      "| claim | claimant | payee | paid |",
      "| ---: | --- | --- | ---: |",
      ...payees.map((c) => `| ${c.id} | ${c.claimant} | ${c.payee} | ${f(c.paid)} |`),
      "",
    );
  if (l.recoveries.length > 0)
    lines.push(
      "| member (old wallet) | new wallet | by | ready at | outcome |",
      "| --- | --- | --- | ---: | --- |",
      ...l.recoveries.map((r) => {
        const outcome =
          r.outcome === "pending"
            ? result.timestamp >= r.readyAt
              ? "**pending, may complete now**"
              : "**pending: the member's wallet can still cancel**"
            : r.outcome === "cancelled"
              ? `cancelled by ${r.cancelledBy} (block ${r.endedBlock})`
              : `completed (block ${r.endedBlock})`;
        const by = r.byVerifier ? "verifier" : "recovery address";
        return `| ${r.member} | ${r.newWallet} | ${by} | ${new Date(Number(r.readyAt) * 1000).toISOString()} | ${outcome} |`;
      }),
      "",
    );
  return lines;
}

/** The period-by-period apportionment table, as mutual-aid platforms publish it, the juries, then every check. */
export function auditMarkdown(result: AuditResult): string {
  const f = (v: bigint) => formatAmount(v, result.decimals);
  const l = result.ledger;
  const lines = [
    `# Audit of pool ${result.pool}`,
    "",
    `Blocks ${result.fromBlock} to ${result.toBlock}; ${result.stats.events} events; ${l.members.size} members ever, ${l.memberCount} counted now, ${l.jurors.size} in the juror set. Amounts in ${result.symbol}.`,
    "",
    `Views: ${result.views.note}.`,
    "",
  ];
  if (result.openPool)
    lines.push(
      "**open pool: no identity verifier** (anyone may join with any commitment; one person may hold several wallets).",
      "",
    );
  lines.push(
    `**Verdict: ${result.passed ? "PASS" : "FAIL"}**`,
    "",
    ...tokenFreezeLines(result),
    "## Apportionment by period",
    "",
    "One row per settle call: a period paid over several calls has one row per part (part 0, 1, ...; the last marked closed). Fees are charged per claim, at the rate in force at its submission.",
    "",
    "| period | part | cases paid | total paid | fee | members | share per member | cut by annual cap | surplus carried | deficit carried | closed |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
    ...l.periods.map(
      (p) =>
        `| ${p.period} | ${p.part} | ${p.claims.length} | ${f(p.payouts)} | ${f(p.fee)} | ${p.members} | ${f(p.share)} | ${f(p.cut)} | ${f(p.surplusOut)} | ${f(p.deficitOut)} | ${p.closed ? "yes" : "no"} |`,
    ),
    "",
    "## Juries",
    "",
    "| claim | state | round | seats | quorum | votes | penalised | verdict | appeal |",
    "| ---: | --- | ---: | ---: | ---: | --- | ---: | --- | --- |",
    ...[...l.claims.values()].flatMap((c) => juryLines(result, c)),
    "",
    ...recoveryLines(result),
    "## Checks",
    "",
    "| check | scope | verdict |",
    "| --- | --- | --- |",
    ...result.checks.map(
      (c) => `| ${c.name} | ${c.scope} | ${c.passed ? "pass" : `FAIL (${c.discrepancies.length})`} |`,
    ),
  );
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
  return checksumAddressesIn(lines.join("\n") + "\n");
}

/** The whole result as JSON (bigints as decimal strings). */
export function auditJson(result: AuditResult): string {
  const l = result.ledger;
  return checksumAddressesIn(
    json({
      pool: result.pool,
      asset: result.asset,
      fromBlock: result.fromBlock,
      toBlock: result.toBlock,
      passed: result.passed,
      openPool: result.openPool,
      tokenFreeze: result.tokenFreeze,
      views: result.views,
      stats: result.stats,
      memberCount: l.memberCount,
      jurorSet: l.jurors.toArray(),
      chargeIndex: l.chargeIndex,
      surplus: l.surplus,
      deficit: l.deficit,
      fees: l.fees,
      expectedEscrowBalance: l.expectedEscrowBalance(),
      periods: l.periods,
      claims: [...l.claims.values()].map((c) => ({
        id: c.id,
        claimant: c.claimant,
        amount: c.amount,
        bond: c.bond,
        feeBps: c.feeBps,
        state: nameIn(ClaimStateV2, l.claimStateAt(c, result.timestamp)),
        verdict: verdictName(c.verdict),
        payee: c.payee ?? c.claimant,
        paid: c.paid,
        paidPeriod: c.paidPeriod,
        rounds: c.rounds.map((r) => ({
          round: r.round,
          target: r.target,
          seedBlock: r.seedBlock,
          setSize: r.setSize,
          seed: r.seed,
          jurors: r.jurors,
          votes: Object.fromEntries(r.votes),
          penalized: Object.fromEntries(r.penalized),
          approvals: r.approvals,
          rejections: r.rejections,
          quorum: r.quorum,
          verdict: r.tallied ? verdictName(r.verdict) : "not tallied",
        })),
        appeals: c.appeals,
      })),
      recoveries: l.recoveries,
      checks: result.checks,
    }),
  );
}

/** One row per member: deposits, withdrawals, penalties, charges, balance. */
export function statementsCsv(result: AuditResult): string {
  const l = result.ledger;
  const rows = [
    "member,status,joined_block,returns,deposits,withdrawals,penalties,charged,shortfall,balance,payout_due,periods_shared",
  ];
  for (const m of l.members.values()) {
    rows.push(
      [
        m.member,
        statusName(result, m),
        m.joinedBlock,
        m.returns,
        m.deposits,
        m.withdrawals,
        m.penalties,
        m.chargedBefore + l.chargedOf(m),
        m.shortfall,
        l.balanceOf(m),
        l.payouts.get(m.member) ?? 0n,
        l.periodsOf(m).length,
      ].join(","),
    );
  }
  return checksumAddressesIn(rows.join("\n") + "\n");
}

/** One member's history: each settlement they shared, the share they paid and the claims it paid for. */
export function memberStatement(result: AuditResult, member: Address) {
  const l = result.ledger;
  const m = [...l.members.values()].find((x) => x.member.toLowerCase() === member.toLowerCase());
  if (!m) return undefined;
  return {
    member: checksumAddress(m.member),
    status: statusName(result, m),
    joinedBlock: m.joinedBlock,
    returns: m.returns,
    deposits: m.deposits,
    withdrawals: m.withdrawals,
    penalties: m.penalties,
    charged: m.chargedBefore + l.chargedOf(m),
    shortfall: m.shortfall,
    balance: l.balanceOf(m),
    payoutDue: l.payouts.get(m.member) ?? 0n,
    periods: l.periodsOf(m).map((p) => ({
      period: p.period,
      part: p.part,
      share: p.share,
      members: p.members,
      claims: p.claims.map((c) => ({
        claimId: c.id,
        paid: c.paid,
        fee: c.fee,
        // This member's part of the claim: the share split over the settlement's charges, pro rata.
        memberPart: p.payouts + p.fee === 0n ? 0n : (p.share * (c.paid + c.fee)) / (p.payouts + p.fee),
      })),
    })),
  };
}

export { json as toJson };
