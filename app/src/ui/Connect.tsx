import { useTranslation } from "react-i18next";
import { useAccount, useConnect, useDisconnect, useSwitchChain } from "wagmi";
import type { Address } from "@huzhu/sdk";
import { useHuzhu } from "../chain/huzhu";
import { short } from "./common";

/** Connect with any announced wallet (EIP-6963), switch to the pool's chain, pick a local test account. */
export function Connect() {
  const { t } = useTranslation();
  const { config, localWallet } = useHuzhu();
  const { address, chainId, isConnected, connector } = useAccount();
  const { connectors, connect, error } = useConnect();
  const { disconnect } = useDisconnect();
  const { switchChain, error: switchError } = useSwitchChain();
  // The generic injected connector only when no wallet announced itself.
  const announced = connectors.filter((c) => c.id !== "injected");
  const choices = announced.length > 0 ? announced : connectors;
  if (!isConnected)
    return (
      <div className="connect">
        {choices.map((c) => (
          <button key={c.uid} type="button" onClick={() => connect({ connector: c })} data-testid={`connect-${c.id}`}>
            {t("connect.with", { name: c.name === "Injected" ? t("connect.browser") : c.name })}
          </button>
        ))}
        {error && <p role="alert">{error.message.split("\n")[0]}</p>}
      </div>
    );
  return (
    <div className="connect">
      {chainId !== config.chainId ? (
        <button
          type="button"
          className="warn"
          onClick={() => switchChain({ chainId: config.chainId })}
          data-testid="switch-chain"
        >
          {t("connect.switch", { name: config.chainName })}
        </button>
      ) : null}
      {connector?.id === "org.huzhu.local" && localWallet ? (
        <label>
          <span className="sr">{t("connect.account")}</span>
          <select
            value={localWallet.current}
            onChange={(e) => localWallet.select(e.target.value as Address)}
            data-testid="local-account"
          >
            {localWallet.accounts.map((a, i) => (
              <option key={a} value={a}>
                #{i} {short(a)}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <span className="addr" title={address} data-testid="address">
          {short(address ?? "")}
        </span>
      )}
      <button type="button" onClick={() => disconnect()}>
        {t("connect.disconnect")}
      </button>
      {switchError && <p role="alert">{switchError.message.split("\n")[0]}</p>}
      {chainId !== config.chainId && (
        <p role="alert" data-testid="wrong-chain">
          {t("connect.wrongChain", { name: config.chainName })}
        </p>
      )}
    </div>
  );
}
