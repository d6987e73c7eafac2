import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  formatAmount,
  identityCommitment,
  parseAmount,
  type Address,
  type HuzhuClient,
  type Hex,
  type PoolInfo,
} from "@huzhu/sdk";
import { toHex } from "viem";
import { useHuzhu } from "../chain/huzhu";
import {
  readActivity,
  readHistory,
  readPool,
  readStatement,
  readTokenBalance,
  type RecoveryState,
} from "../chain/reads";
import { Amount, Countdown, Section, Status, When, download, parseAddressInput, useAction } from "../ui/common";
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
  /** Offer an optional "send it to another address" field. */
  toField?: boolean;
  act: (amount: bigint, to?: Address) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState("");
  const [to, setTo] = useState("");
  const { state, run, busy } = useAction();
  return (
    <Section title={props.title}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const recipient = parseAddressInput(to, t("badAddress", { field: t("field.to") }));
            await props.act(parseAmount(value, props.decimals), recipient);
            return recipient ? t("member.sentTo", { to: recipient }) : undefined;
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
        {props.toField && (
          <label>
            {t("member.to")}
            <input
              value={to}
              onChange={(e) => setTo(e.target.value)}
              className="mono"
              placeholder={t("member.toPlaceholder")}
              data-testid={`${props.testId}-to`}
            />
          </label>
        )}
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

/** Shown to a member whose membership is about to move to another wallet: who asked, when, and Cancel. */
function RecoveryBanner({ writer, recovery, now }: { writer: HuzhuClient; recovery: RecoveryState; now?: bigint }) {
  const { t } = useTranslation();
  const { state, run, busy } = useAction();
  const pending = recovery.pending;
  if (!pending) return <Status state={state} testId="cancel-recovery-status" />;
  return (
    <section className="card banner" role="alert" data-testid="recovery-banner">
      <h2>{t("recovery.bannerTitle")}</h2>
      <p>
        {t("recovery.bannerText", { wallet: pending.newWallet })}{" "}
        {pending.byVerifier
          ? t("recovery.askedByVerifier")
          : t("recovery.askedByAddress", { address: recovery.recoveryAddress ?? "-" })}
      </p>
      <p>
        {t("recovery.completesAt")} <When at={pending.readyAt} /> (<Countdown at={pending.readyAt} now={now} />)
      </p>
      <p>{t("recovery.notYou")}</p>
      <button
        type="button"
        className="warn"
        disabled={busy}
        data-testid="cancel-recovery"
        onClick={() => void run(async () => t("recovery.cancelled", { hash: (await writer.cancelRecovery()).hash }))}
      >
        {t("recovery.cancel")}
      </button>
      <Status state={state} testId="cancel-recovery-status" />
    </section>
  );
}

/** Who is paid this member's claims when they cannot act (unless a claim names another payee). */
function Beneficiary({ writer, recovery }: { writer: HuzhuClient; recovery: RecoveryState }) {
  const { t } = useTranslation();
  const [value, setValue] = useState("");
  const { state, run, busy } = useAction();
  const set = (remove: boolean) =>
    run(async () => {
      const beneficiary = remove
        ? ("0x0000000000000000000000000000000000000000" as Address)
        : parseAddressInput(value, t("badAddress", { field: t("field.beneficiary") }));
      if (!beneficiary) throw new Error(t("badAddress", { field: t("field.beneficiary") }));
      await writer.setBeneficiary({ beneficiary });
      setValue("");
    });
  return (
    <Section title={t("member.beneficiary")} id="beneficiary">
      <p className="hint">{t("member.beneficiaryHint")}</p>
      <p>
        {t("member.beneficiaryNow")}:{" "}
        <code data-testid="beneficiary">{recovery.beneficiary ?? t("member.beneficiaryNone")}</code>
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void set(false);
        }}
      >
        <label>
          {t("member.beneficiaryNew")}
          <input
            value={value}
            onChange={(e) => setValue(e.target.value)}
            className="mono"
            placeholder="0x…"
            data-testid="beneficiary-input"
          />
        </label>
        <button type="submit" disabled={busy || !value.trim()} data-testid="set-beneficiary">
          {recovery.beneficiary ? t("member.beneficiaryChange") : t("member.beneficiarySet")}
        </button>
        {recovery.beneficiary && (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void set(true)}
            data-testid="remove-beneficiary"
          >
            {t("member.beneficiaryRemove")}
          </button>
        )}
      </form>
      <Status state={state} testId="beneficiary-status" />
    </Section>
  );
}

/** The member's recovery address, and whether the identity verifier may recover the membership. */
function RecoverySettings({ writer, recovery }: { writer: HuzhuClient; recovery: RecoveryState }) {
  const { t } = useTranslation();
  const [address, setAddress] = useState(recovery.recoveryAddress ?? "");
  const [optOut, setOptOut] = useState(recovery.verifierRecoveryOff);
  const { state, run, busy } = useAction();
  return (
    <Section title={t("recovery.settings")} id="recovery-settings">
      <p className="hint">{t("recovery.settingsHint")}</p>
      <dl>
        <dt>{t("recovery.address")}</dt>
        <dd data-testid="recovery-address">{recovery.recoveryAddress ?? t("recovery.none")}</dd>
        <dt>{t("recovery.verifier")}</dt>
        <dd data-testid="verifier-recovery">
          {recovery.verifierRecoveryOff ? t("recovery.verifierOff") : t("recovery.verifierOn")}
        </dd>
      </dl>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const recoveryAddress = parseAddressInput(address, t("badAddress", { field: t("field.recoveryAddress") }));
            await writer.setRecoveryOptions({ recoveryAddress, verifierRecoveryOff: optOut });
          });
        }}
      >
        <label>
          {t("recovery.addressInput")}
          <input
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            className="mono"
            placeholder="0x…"
            data-testid="recovery-address-input"
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={optOut}
            onChange={(e) => setOptOut(e.target.checked)}
            data-testid="verifier-opt-out"
          />
          {t("recovery.optOut")}
        </label>
        <button type="submit" disabled={busy} data-testid="save-recovery">
          {t("recovery.save")}
        </button>
      </form>
      <Status state={state} testId="recovery-settings-status" />
    </Section>
  );
}

/** This wallet's settings, recoveries and withdrawals to other addresses, from events. */
function Activity({ address, decimals, symbol }: { address: Address; decimals: number; symbol: string }) {
  const { t } = useTranslation();
  const { reader, fromBlock } = useHuzhu();
  const activity = useQuery({
    queryKey: ["activity", address],
    queryFn: () => readActivity(reader, address, fromBlock),
  });
  const rows = activity.data ?? [];
  return (
    <Section title={t("activity.title")} id="activity">
      {rows.length === 0 && <p>{t("activity.none")}</p>}
      <ul data-testid="activity">
        {rows.map((r, i) => {
          const a = r.args as Record<string, string & bigint & boolean>;
          return (
            <li key={`${r.block}-${i}`} data-event={r.name}>
              {t(`activity.${r.name}`, {
                beneficiary: a.beneficiary === "0x0000000000000000000000000000000000000000" ? "-" : a.beneficiary,
                address: a.recoveryAddress === "0x0000000000000000000000000000000000000000" ? "-" : a.recoveryAddress,
                verifier: a.verifierRecoveryOff ? t("recovery.verifierOff") : t("recovery.verifierOn"),
                member: a.member,
                wallet: a.newWallet,
                by: a.by,
                to: a.to,
                amount: a.amount !== undefined ? `${formatAmount(a.amount, decimals)} ${symbol}` : "",
                claimId: String(a.claimId ?? ""),
              })}{" "}
              <span className="hint">({t("activity.block", { block: r.block.toString() })})</span>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

function Membership({ writer, address }: { writer: HuzhuClient; address: `0x${string}` }) {
  const { t } = useTranslation();
  const { reader, fromBlock } = useHuzhu();
  const pool = useQuery({ queryKey: ["pool"], queryFn: () => readPool(reader) });
  const statement = useQuery({ queryKey: ["statement", address], queryFn: () => readStatement(reader, address) });
  const now = useQuery({
    queryKey: ["now"],
    queryFn: () => reader.connector.getTimestamp(),
    refetchInterval: 30_000,
  });
  const wallet = useQuery({
    queryKey: ["wallet", address],
    enabled: !!pool.data,
    queryFn: () => readTokenBalance(reader, pool.data!.token.address, address),
  });
  const history = useQuery({ queryKey: ["history", address], queryFn: () => readHistory(reader, address, fromBlock) });
  // Kept here: the join form goes away once the wallet is a member, its outcome stays.
  const joinAction = useAction();
  const payoutAction = useAction();
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
      <RecoveryBanner writer={writer} recovery={s.recovery} now={now.data} />
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
          toField
          act={(amount, to) => writer.withdraw({ amount, to })}
        />
      )}
      {member && <Beneficiary writer={writer} recovery={s.recovery} />}
      {member && <RecoverySettings writer={writer} recovery={s.recovery} />}
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
      {/* Only the account the payout is credited to (the claim's payee) sees it; the outcome stays. */}
      {(s.payout > 0n || payoutAction.state.kind !== "idle") && (
        <Section title={t("member.withdrawPayout")}>
          <p className="hint">{t("member.payoutHint")}</p>
          <div className="row">
            <button
              type="button"
              disabled={payoutAction.busy || s.payout === 0n}
              onClick={() => void payoutAction.run(async () => void (await writer.withdrawPayout()))}
              data-testid="withdraw-payout"
            >
              {t("member.withdrawPayout")}
            </button>
            <Status state={payoutAction.state} testId="withdraw-payout-status" />
          </div>
        </Section>
      )}
      <Activity address={address} decimals={decimals} symbol={symbol} />
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
