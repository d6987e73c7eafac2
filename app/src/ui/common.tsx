import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatAmount, type Address } from "@huzhu/sdk";
import { getAddress, isAddress } from "viem";
import { useQueryClient } from "@tanstack/react-query";
import { isRejection } from "../chain/huzhu";

export function Amount({ value, decimals, symbol }: { value: bigint; decimals: number; symbol: string }) {
  return (
    <span className="num">
      {formatAmount(value, decimals)} {symbol}
    </span>
  );
}

export function When({ at }: { at: bigint }) {
  const { i18n } = useTranslation();
  if (at === 0n) return <span>-</span>;
  const d = new Date(Number(at) * 1000);
  return <time dateTime={d.toISOString()}>{d.toLocaleString(i18n.language)}</time>;
}

export const short = (hex: string) => (hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex);

export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  return (
    <section className="card" aria-labelledby={id ? `${id}-h` : undefined}>
      <h2 id={id ? `${id}-h` : undefined}>{title}</h2>
      {children}
    </section>
  );
}

export type ActionState =
  { kind: "idle" } | { kind: "busy" } | { kind: "done"; text: string } | { kind: "error"; text: string };

/**
 * Runs one wallet action: shows that it is waiting, then what happened; an SDK error shows as its
 * plain sentence, a refused signature as "nothing was sent". Refreshes every query afterwards.
 */
export function useAction() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [state, setState] = useState<ActionState>({ kind: "idle" });
  const run = async (fn: () => Promise<string | void>) => {
    setState({ kind: "busy" });
    try {
      const text = await fn();
      setState({ kind: "done", text: text ?? t("done") });
    } catch (error) {
      setState({
        kind: "error",
        // The SDK's plain sentence (its `shortMessage`), without the decoded revert's details.
        text: isRejection(error)
          ? t("rejected")
          : ((error as { shortMessage?: string }).shortMessage ?? (error as Error).message ?? String(error)),
      });
    } finally {
      await queryClient.invalidateQueries();
    }
  };
  return { state, run, busy: state.kind === "busy" };
}

export function Status({ state, testId }: { state: ActionState; testId: string }) {
  const { t } = useTranslation();
  if (state.kind === "idle") return null;
  return (
    <p role={state.kind === "error" ? "alert" : "status"} className={`status ${state.kind}`} data-testid={testId}>
      {state.kind === "busy" ? t("waiting") : state.text}
    </p>
  );
}

export function download(name: string, text: string, type = "text/plain") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * An address typed by a person: undefined when left empty, the address when well formed, else an
 * Error with the given plain sentence (checked before anything is signed or sent).
 */
export function parseAddressInput(value: string, sentence: string): Address | undefined {
  const v = value.trim();
  if (v === "") return undefined;
  if (!isAddress(v, { strict: false })) throw new Error(sentence);
  return getAddress(v) as Address;
}

/** How long until `at` by the chain's clock, in days and hours. */
export function Countdown({ at, now }: { at: bigint; now?: bigint }) {
  const { t } = useTranslation();
  if (now === undefined) return null;
  if (now >= at) return <span data-testid="countdown">{t("recovery.ready")}</span>;
  const left = Number(at - now);
  return (
    <span data-testid="countdown">
      {t("recovery.left", { days: Math.floor(left / 86_400), hours: Math.floor((left % 86_400) / 3_600) })}
    </span>
  );
}
