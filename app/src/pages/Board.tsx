import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { formatAmount } from "@huzhu/sdk";
import { useHuzhu } from "../chain/huzhu";
import { readBoard, type Board as BoardData } from "../chain/reads";
import { Amount, Section, When, short } from "../ui/common";
import { ShareChart } from "../ui/Chart";

const days = (s: bigint) => Number(s) / 86_400;
const pct = (bps: bigint) => `${Number(bps) / 100}%`;

export function useBoard() {
  const { reader, fromBlock } = useHuzhu();
  return useQuery({ queryKey: ["board"], queryFn: () => readBoard(reader, fromBlock) });
}

function Rules({ b }: { b: BoardData }) {
  const { t } = useTranslation();
  const r = b.pool.rules;
  const { decimals, symbol } = b.pool.token;
  const a = (v: bigint) => `${formatAmount(v, decimals)} ${symbol}`;
  return (
    <Section title={t("board.rules")} id="rules">
      {b.pool.isOpenPool && (
        <p className="note" data-testid="open-pool">
          {t("board.openPool")}
        </p>
      )}
      <ul className="rules">
        <li>{t("rules.deposit", { min: a(r.minDeposit), keep: a(r.minBalance) })}</li>
        <li>{t("rules.wait", { days: days(BigInt(r.waitingPeriod)) })}</li>
        <li>{t("rules.period", { days: days(BigInt(r.periodLength)) })}</li>
        <li>{t("rules.claim", { max: a(r.maxClaimAmount), bond: a(r.claimBond) })}</li>
        <li>{t("rules.cap", { cap: a(r.capPerMember) })}</li>
        <li>{t("rules.fee", { fee: pct(BigInt(r.feeBps)) })}</li>
        <li>
          {t("rules.jury", {
            size: Number(r.jurySize),
            threshold: pct(BigInt(r.approvalThresholdBps)),
            appeals: Number(r.maxAppealRounds),
            bond: a(r.appealBond),
          })}
        </li>
        <li>{t("rules.final", { days: days(b.pool.claimTimetable) })}</li>
      </ul>
    </Section>
  );
}

export function Board() {
  const { t } = useTranslation();
  const { data: b, error, isLoading } = useBoard();
  if (isLoading) return <p role="status">{t("loading")}</p>;
  if (error || !b) return <p role="alert">{(error as Error)?.message}</p>;
  const { decimals, symbol } = b.pool.token;
  const closed = b.periods.filter((p) => p.closed);
  return (
    <>
      <h1>{t("board.title")}</h1>
      <div className="figures">
        <div className="figure">
          <span>{t("board.members")}</span>
          <strong data-testid="member-count">{b.pool.memberCount.toString()}</strong>
        </div>
        <div className="figure">
          <span>{t("board.escrow")}</span>
          <strong data-testid="escrow">
            <Amount value={b.escrow} decimals={decimals} symbol={symbol} />
          </strong>
        </div>
        <div className="figure">
          <span>{t("board.claims")}</span>
          <strong>{b.claims.length}</strong>
        </div>
        <div className="figure">
          <span>{t("board.carry")}</span>
          <strong>
            <Amount value={b.pool.surplus - b.pool.deficit} decimals={decimals} symbol={symbol} />
          </strong>
        </div>
      </div>
      <Rules b={b} />
      <Section title={t("board.periods")} id="periods">
        {closed.length > 0 && (
          <ShareChart
            label={t("board.chart", { symbol })}
            xLabel={t("col.period")}
            periods={closed.map((p) => Number(p.period))}
            shares={closed.map((p) =>
              Number(
                formatAmount(
                  b.periods.filter((q) => q.period === p.period).reduce((s, q) => s + q.share, 0n),
                  decimals,
                ),
              ),
            )}
          />
        )}
        <div className="scroll" tabIndex={0} role="region" aria-label={t("board.periods")}>
          <table data-testid="periods">
            <thead>
              <tr>
                <th scope="col">{t("col.period")}</th>
                <th scope="col">{t("col.part")}</th>
                <th scope="col">{t("col.cases")}</th>
                <th scope="col">{t("col.totalPaid")}</th>
                <th scope="col">{t("col.fee")}</th>
                <th scope="col">{t("col.members")}</th>
                <th scope="col">{t("col.share")}</th>
                <th scope="col">{t("col.carry")}</th>
              </tr>
            </thead>
            <tbody>
              {[...b.periods].reverse().map((p) => (
                <tr key={`${p.period}-${p.part}`} data-period={`${p.period}-${p.part}`}>
                  <td>{p.period.toString()}</td>
                  <td>
                    {p.part.toString()}
                    {p.closed ? "" : " …"}
                  </td>
                  <td>{p.claimsPaid.toString()}</td>
                  <td>{formatAmount(p.payouts, decimals)}</td>
                  <td>{formatAmount(p.fee, decimals)}</td>
                  <td>{p.members.toString()}</td>
                  <td>{formatAmount(p.share, decimals)}</td>
                  <td>{formatAmount(p.surplusOut - p.deficitOut, decimals)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="hint">{t("board.periodsHint", { symbol })}</p>
      </Section>
      <Section title={t("board.claimList")} id="claims">
        <div className="scroll" tabIndex={0} role="region" aria-label={t("board.claimList")}>
          <table data-testid="claims">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t("col.state")}</th>
                <th scope="col">{t("col.amount")}</th>
                <th scope="col">{t("col.votes")}</th>
                <th scope="col">{t("col.verdict")}</th>
                <th scope="col">{t("col.paid")}</th>
                <th scope="col">{t("col.claimant")}</th>
                <th scope="col">{t("col.payee")}</th>
                <th scope="col">{t("col.evidence")}</th>
                <th scope="col">{t("col.review")}</th>
                <th scope="col">{t("col.final")}</th>
              </tr>
            </thead>
            <tbody>
              {b.claims.map((c) => (
                <tr key={c.id.toString()} data-claim={c.id.toString()}>
                  <td>{c.id.toString()}</td>
                  <td data-testid="claim-state">{t(`state.${c.stateName}`)}</td>
                  <td>{formatAmount(c.amount, decimals)}</td>
                  <td>
                    {c.rounds.map((r) => (
                      <div key={r.round.toString()}>
                        {t("col.round", { r: r.round.toString() })}: {r.approvals.toString()}✓ {r.rejections.toString()}
                        ✗ / {r.seats.toString()}
                      </div>
                    ))}
                  </td>
                  <td>{t(`verdict.${c.verdictName}`)}</td>
                  <td>
                    {c.paid ? `${formatAmount(c.paid.amount, decimals)} (${t("col.period")} ${c.paid.period})` : ""}
                  </td>
                  <td title={c.claimant}>{short(c.claimant)}</td>
                  <td title={c.payee} data-testid="claim-payee">
                    {c.payee.toLowerCase() === c.claimant.toLowerCase() ? t("board.payeeSelf") : short(c.payee)}
                  </td>
                  <td title={c.evidenceDigest}>{short(c.evidenceDigest)}</td>
                  <td title={c.reviewDigest}>{/^0x0+$/.test(c.reviewDigest) ? "" : short(c.reviewDigest)}</td>
                  <td>
                    <When at={c.resolvesAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section title={t("board.recoveries")} id="recoveries">
        <p className="hint">{t("board.recoveriesHint")}</p>
        {b.recoveries.length === 0 ? (
          <p data-testid="no-recoveries">{t("board.noRecoveries")}</p>
        ) : (
          <div className="scroll" tabIndex={0} role="region" aria-label={t("board.recoveries")}>
            <table data-testid="recoveries">
              <thead>
                <tr>
                  <th scope="col">{t("col.member")}</th>
                  <th scope="col">{t("col.newWallet")}</th>
                  <th scope="col">{t("col.askedBy")}</th>
                  <th scope="col">{t("col.readyAt")}</th>
                </tr>
              </thead>
              <tbody>
                {b.recoveries.map((r) => (
                  <tr key={r.member} data-recovery={r.member}>
                    <td title={r.member}>{short(r.member)}</td>
                    <td title={r.newWallet}>{short(r.newWallet)}</td>
                    <td>{r.byVerifier ? t("recovery.verifierShort") : t("recovery.addressShort")}</td>
                    <td>
                      <When at={r.readyAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <p className="hint">
        {t("board.asOf", { block: b.block.toString() })} <When at={b.timestamp} />
      </p>
    </>
  );
}
