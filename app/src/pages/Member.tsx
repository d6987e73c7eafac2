import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { formatAmount, identityCommitment, parseAmount, type HuzhuClient, type Hex, type PoolInfo } from "@huzhu/sdk";
import { toHex } from "viem";
import { useHuzhu } from "../chain/huzhu";
import { readHistory, readPool, readStatement, readTokenBalance } from "../chain/reads";
import { Amount, Section, Status, When, download, useAction } from "../ui/common";
import { NeedWallet } from "../ui/NeedWallet";

const randomSalt = () => toHex(crypto.getRandomValues(new Uint8Array(32)));

function Join({ writer, pool, action }: { writer: HuzhuClient; pool: PoolInfo; action: ReturnType<typeof useAction> }) {
  const { t } = useTranslation();
  const { config } = useHuzhu();
  const { decimals, symbol } = pool.token;
  const [identity, setIdentity] = useState("");
  const [salt, setSalt] = useState<Hex>(randomSalt);
  const [deposit, setDeposit] = useState(formatAmount(pool.rules.minDeposit, decimals));
  const commitment = identity ? identityCommitment(identity, salt) : undefined;
  const { run, busy } = action;
  const join = () =>
    run(async () => {
      const amount = parseAmount(deposit, decimals, "deposit");
      // A permit signature when the token supports it (one transaction), else an approval first.
      const permit = await writer.getPermitDomain({ token: pool.token.address }).catch(() => undefined);
      const receipt = permit
        ? await writer.joinWithPermit({ amount, commitment: commitment! })
        : await writer.join({ amount, commitment: commitment! });
      return t("member.joined", { hash: receipt.hash });
    });
  return (
    <Section title={t("member.join")} id="join">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void join();
        }}
      >
        <label>
          {t("member.identity")}
          <input value={identity} onChange={(e) => setIdentity(e.target.value)} required data-testid="identity" />
        </label>
        <label>
          {t("member.salt")}
          <input value={salt} readOnly className="mono" />
        </label>
        <button type="button" className="secondary" onClick={() => setSalt(randomSalt())}>
          {t("member.newSalt")}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={!commitment}
          onClick={() =>
            download(
              "huzhu-identity.json",
              JSON.stringify({ pool: config.pool, chainId: config.chainId, identity, salt, commitment }, null, 2),
              "application/json",
            )
          }
        >
          {t("member.saveSalt")}
        </button>
        <label>
          {t("member.deposit", { symbol })}
          <input
            value={deposit}
            onChange={(e) => setDeposit(e.target.value)}
            inputMode="decimal"
            data-testid="deposit"
          />
        </label>
        <button type="submit" disabled={busy || !commitment} data-testid="join">
          {t("member.joinButton")}
        </button>
      </form>
      {commitment && (
        <p className="hint">
          {t("member.commitment")}: <code>{commitment}</code>
        </p>
      )}
    </Section>
  );
}

function AmountAction(props: {
  title: string;
  button: string;
  symbol: string;
  decimals: number;
  testId: string;
  act: (amount: bigint) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState("");
  const { state, run, busy } = useAction();
  return (
    <Section title={props.title}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await props.act(parseAmount(value, props.decimals));
          });
        }}
      >
        <label>
          {t("member.amount", { symbol: props.symbol })}
          <input
            value={value}
            onChange={(e) => setValue(e.target.value)}
            inputMode="decimal"
            data-testid={`${props.testId}-amount`}
          />
        </label>
        <button type="submit" disabled={busy} data-testid={props.testId}>
          {props.button}
        </button>
      </form>
      <Status state={state} testId={`${props.testId}-status`} />
    </Section>
  );
}

function SimpleAction(props: { label: string; act: () => Promise<unknown>; testId: string; disabled?: boolean }) {
  const { label, act, testId } = props;
  const { state, run, busy } = useAction();
  return (
    <div className="row">
      <button
        type="button"
        disabled={busy || props.disabled}
        onClick={() => void run(async () => void (await act()))}
        data-testid={testId}
      >
        {label}
      </button>
      <Status state={state} testId={`${testId}-status`} />
    </div>
  );
}

function Membership({ writer, address }: { writer: HuzhuClient; address: `0x${string}` }) {
  const { t } = useTranslation();
  const { reader, publicClient, fromBlock } = useHuzhu();
  const pool = useQuery({ queryKey: ["pool"], queryFn: () => readPool(reader) });
  const statement = useQuery({ queryKey: ["statement", address], queryFn: () => readStatement(reader, address) });
  const now = useQuery({ queryKey: ["now"], queryFn: () => reader.connector.getTimestamp() });
  const wallet = useQuery({
    queryKey: ["wallet", address],
    enabled: !!pool.data,
    queryFn: () => readTokenBalance(publicClient, pool.data!.token.address, address),
  });
  const history = useQuery({ queryKey: ["history", address], queryFn: () => readHistory(reader, address, fromBlock) });
  // Kept here: the join form goes away once the wallet is a member, its outcome stays.
  const joinAction = useAction();
  if (!pool.data || !statement.data) return <p role="status">{t("loading")}</p>;
  const s = statement.data;
  const { decimals, symbol } = pool.data.token;
  const amount = (v: bigint) => <Amount value={v} decimals={decimals} symbol={symbol} />;
  const member = s.statusName !== "None";
  const canRejoin = s.statusName === "Exited" || s.statusName === "Lapsed";
  const active = s.statusName === "Waiting" || s.statusName === "Active";
  const daysLeft = now.data && s.eligibleAt > now.data ? Math.ceil(Number(s.eligibleAt - now.data) / 86_400) : 0;
  return (
    <>
      <Section title={t("member.statement")} id="statement">
        <dl data-testid="statement">
          <dt>{t("member.status")}</dt>
          <dd data-testid="status">{t(`status.${s.statusName}`)}</dd>
          {member && (
            <>
              <dt>{t("member.eligible")}</dt>
              <dd>
                <When at={s.eligibleAt} /> {daysLeft > 0 && t("member.eligibleIn", { days: daysLeft })}
              </dd>
              <dt>{t("member.balance")}</dt>
              <dd data-testid="balance">{amount(s.balance)}</dd>
              <dt>{t("member.credit")}</dt>
              <dd>{amount(s.credit)}</dd>
              <dt>{t("member.charged")}</dt>
              <dd data-testid="charged">{amount(s.charged)}</dd>
              <dt>{t("member.openClaim")}</dt>
              <dd>{s.openClaimId === 0n ? "-" : `#${s.openClaimId}`}</dd>
            </>
          )}
          <dt>{t("member.payout")}</dt>
          <dd data-testid="payout">{amount(s.payout)}</dd>
          <dt>{t("member.wallet")}</dt>
          <dd>{wallet.data !== undefined ? amount(wallet.data) : "…"}</dd>
        </dl>
      </Section>
      {(!member || canRejoin) && <Join writer={writer} pool={pool.data} action={joinAction} />}
      <Status state={joinAction.state} testId="join-status" />
      {active && (
        <AmountAction
          title={t("member.topUp")}
          button={t("member.topUpButton")}
          symbol={symbol}
          decimals={decimals}
          testId="topup"
          act={(amount) => writer.topUp({ amount })}
        />
      )}
      {member && (
        <AmountAction
          title={t("member.withdraw")}
          button={t("member.withdrawButton")}
          symbol={symbol}
          decimals={decimals}
          testId="withdraw"
          act={(amount) => writer.withdraw({ amount })}
        />
      )}
      {member && (
        <Section title={t("member.exit")}>
          <SimpleAction
            label={t("member.exitButton")}
            act={() => writer.requestExit()}
            testId="exit"
            disabled={!active}
          />
        </Section>
      )}
      <Section title={t("member.withdrawPayout")}>
        <SimpleAction
          label={t("member.withdrawPayout")}
          act={() => writer.withdrawPayout()}
          testId="withdraw-payout"
          disabled={s.payout === 0n}
        />
      </Section>
      <Section title={t("member.history")} id="history">
        <p className="hint">{t("member.historyHint")}</p>
        <div className="scroll" tabIndex={0} role="region" aria-label={t("member.history")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("col.period")}</th>
                <th scope="col">{t("col.part")}</th>
                <th scope="col">{t("col.share")}</th>
                <th scope="col">{t("member.yourPart")}</th>
              </tr>
            </thead>
            <tbody>
              {(history.data ?? []).map((h) => (
                <tr key={`${h.period}-${h.part}`}>
                  <td>{h.period.toString()}</td>
                  <td>{h.part.toString()}</td>
                  <td>{formatAmount(h.share, decimals)}</td>
                  <td>
                    {h.claims.map((c) => (
                      <div key={c.claimId.toString()}>
                        #{c.claimId.toString()}: {formatAmount(c.memberPart, decimals)}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
    </>
  );
}

export default function Member() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("member.title")}</h1>
      <NeedWallet>{(writer, address) => <Membership writer={writer} address={address} />}</NeedWallet>
    </>
  );
}
