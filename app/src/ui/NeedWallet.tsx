import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { HuzhuClient } from "@huzhu/sdk";
import { useHuzhu, useWriter } from "../chain/huzhu";

/** Renders `children` with a writer when a wallet is connected on the pool's chain; says what is missing otherwise. */
export function NeedWallet({ children }: { children: (writer: HuzhuClient, address: `0x${string}`) => ReactNode }) {
  const { t } = useTranslation();
  const { config } = useHuzhu();
  const { writer, wrongChain, address } = useWriter();
  if (wrongChain) return <p className="note">{t("connect.wrongChain", { name: config.chainName })}</p>;
  if (!writer || !address)
    return (
      <p className="note" data-testid="need-wallet">
        {t("connect.needed")}
      </p>
    );
  return <>{children(writer, address)}</>;
}
