import { useState } from "react";
import { useTranslation } from "react-i18next";
import { auditJson, auditMarkdown, statementsCsv, type AuditResult } from "@huzhu/sdk";
import { readAudit } from "../chain/audit";
import { useHuzhu } from "../chain/huzhu";
import { Section, download } from "../ui/common";

export default function Audit() {
  const { t } = useTranslation();
  const { reader, config, fromBlock, publicClient } = useHuzhu();
  const [progress, setProgress] = useState<{ block: bigint; to: bigint; logs: number }>();
  const [result, setResult] = useState<AuditResult>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const start = async () => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(
        await readAudit(reader, publicClient, {
          factory: config.factory,
          fromBlock,
          onProgress: (p) => setProgress({ block: p.block, to: p.toBlock, logs: p.logs }),
        }),
      );
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1>{t("audit.title")}</h1>
      <p>{t("audit.intro")}</p>
      <button type="button" onClick={() => void start()} disabled={busy} data-testid="run-audit">
        {t("audit.run")}
      </button>
      {progress && (
        <p role="status">
          <progress max={Number(progress.to)} value={Number(progress.block)} aria-label={t("audit.title")} />{" "}
          {t("audit.progress", { block: progress.block.toString(), to: progress.to.toString(), logs: progress.logs })}
        </p>
      )}
      {error && <p role="alert">{error}</p>}
      {result && (
        <>
          <p className={`status ${result.passed ? "done" : "error"}`} data-testid="verdict">
            {result.passed ? t("audit.passed") : t("audit.failed")}
          </p>
          <Section title={t("audit.downloads")}>
            <div className="connect">
              <button type="button" className="secondary" onClick={() => download("report.md", auditMarkdown(result))}>
                report.md
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => download("report.json", auditJson(result), "application/json")}
              >
                report.json
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => download("statements.csv", statementsCsv(result), "text/csv")}
              >
                statements.csv
              </button>
            </div>
          </Section>
          <div className="scroll" tabIndex={0} role="region" aria-label={t("audit.check")}>
            <table data-testid="checks">
              <thead>
                <tr>
                  <th scope="col">{t("audit.check")}</th>
                  <th scope="col">{t("audit.scope")}</th>
                  <th scope="col">{t("audit.result")}</th>
                </tr>
              </thead>
              <tbody>
                {result.checks.map((c) => (
                  <tr key={c.name}>
                    <td>{c.name}</td>
                    <td>{c.scope}</td>
                    <td>
                      {c.passed ? t("audit.ok") : t("audit.bad")}
                      {c.discrepancies.slice(0, 20).map((d, i) => (
                        <div key={i} className="mono">
                          {d.subject}: {d.expected} ≠ {d.actual}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
