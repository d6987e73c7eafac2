import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Address, Hex, HuzhuClient } from "@huzhu/sdk";
import { useHuzhu, useWriter } from "../chain/huzhu";
import { AttestationShapeError, parseAttestation } from "../chain/attestation";
import { readCommitment } from "../chain/reads";
import { Countdown, Section, Status, When, parseAddressInput, useAction } from "../ui/common";
import { NeedWallet } from "../ui/NeedWallet";

const isCommitment = (v: string) => /^0x[0-9a-fA-F]{64}$/.test(v.trim());

/** Where a commitment's membership is, and its pending recovery; anyone may complete a ready one. */
function RecoveryStatus({ commitment }: { commitment: Hex }) {
  const { t } = useTranslation();
  const { reader } = useHuzhu();
  const { writer } = useWriter();
  const status = useQuery({ queryKey: ["commitment", commitment], queryFn: () => readCommitment(reader, commitment) });
  const now = useQuery({ queryKey: ["now"], queryFn: () => reader.connector.getTimestamp(), refetchInterval: 30_000 });
  const { state, run, busy } = useAction();
  if (!status.data) return <p role="status">{t("loading")}</p>;
  const { owner, recovery } = status.data;
  const pending = recovery?.pending;
  const ready = pending && now.data !== undefined && now.data >= pending.readyAt;
  return (
    <Section title={t("recovery.status")} id="recovery-status">
      {owner === null ? (
        <p data-testid="recovery-unknown">{t("recovery.unknown")}</p>
      ) : (
        <dl>
          <dt>{t("recovery.holder")}</dt>
          <dd data-testid="recovery-holder">{owner}</dd>
          <dt>{t("recovery.pending")}</dt>
          <dd data-testid="recovery-pending">
            {pending ? t("recovery.pendingTo", { wallet: pending.newWallet }) : t("recovery.nonePending")}
          </dd>
          {pending && (
            <>
              <dt>{t("recovery.askedBy")}</dt>
              <dd>{pending.byVerifier ? t("recovery.verifierShort") : t("recovery.addressShort")}</dd>
              <dt>{t("recovery.completesAt")}</dt>
              <dd>
                <When at={pending.readyAt} /> (<Countdown at={pending.readyAt} now={now.data} />)
              </dd>
            </>
          )}
        </dl>
      )}
      {pending && (
        <>
          <p className="hint">{t("recovery.completeHint")}</p>
          <button
            type="button"
            disabled={busy || !ready || !writer}
            data-testid="complete-recovery"
            onClick={() =>
              void run(async () => {
                await writer!.completeRecovery({ commitment });
                return t("recovery.completed", { wallet: pending.newWallet });
              })
            }
          >
            {t("recovery.complete")}
          </button>
        </>
      )}
      <Status state={state} testId="complete-recovery-status" />
    </Section>
  );
}

/** Asks for a membership to move to a new wallet: as the member's recovery address, or with a verifier's attestation. */
function RequestRecovery(props: { writer: HuzhuClient; address: Address; commitment: string }) {
  const { t } = useTranslation();
  const { writer, address, commitment } = props;
  const [newWallet, setNewWallet] = useState("");
  const [mode, setMode] = useState<"address" | "verifier">("address");
  const [attestationText, setAttestationText] = useState("");
  const { state, run, busy } = useAction();
  const submit = () =>
    run(async () => {
      if (!isCommitment(commitment)) throw new Error(t("recovery.badCommitment"));
      let wallet = parseAddressInput(newWallet, t("badAddress", { field: t("field.newWallet") })) ?? address;
      let attestation;
      if (mode === "verifier") {
        let parsed;
        try {
          parsed = parseAttestation(attestationText);
        } catch (error) {
          if (error instanceof AttestationShapeError) throw new Error(t(`recovery.attestationErrors.${error.reason}`));
          throw error;
        }
        if (parsed.commitment && parsed.commitment.toLowerCase() !== commitment.trim().toLowerCase())
          throw new Error(t("recovery.attestationOther"));
        if (parsed.newWallet && newWallet.trim() === "") wallet = parsed.newWallet;
        if (parsed.newWallet && parsed.newWallet.toLowerCase() !== wallet.toLowerCase())
          throw new Error(t("recovery.attestationOtherWallet", { wallet: parsed.newWallet }));
        attestation = parsed.attestation;
      }
      await writer.requestRecovery({ commitment: commitment.trim() as Hex, newWallet: wallet, attestation });
      return t("recovery.requested", { wallet });
    });
  return (
    <Section title={t("recovery.request")} id="recovery-request">
      <p className="hint">{t("recovery.requestHint")}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label>
          {t("recovery.newWallet")}
          <input
            value={newWallet}
            onChange={(e) => setNewWallet(e.target.value)}
            className="mono"
            placeholder={address}
            data-testid="recovery-new-wallet"
          />
        </label>
        <fieldset>
          <legend>{t("recovery.how")}</legend>
          <label className="check">
            <input
              type="radio"
              name="recovery-mode"
              checked={mode === "address"}
              onChange={() => setMode("address")}
              data-testid="mode-address"
            />
            {t("recovery.byAddress")}
          </label>
          <label className="check">
            <input
              type="radio"
              name="recovery-mode"
              checked={mode === "verifier"}
              onChange={() => setMode("verifier")}
              data-testid="mode-verifier"
            />
            {t("recovery.byVerifier")}
          </label>
        </fieldset>
        {mode === "verifier" && (
          <>
            <label>
              {t("recovery.attestation")}
              <textarea
                value={attestationText}
                onChange={(e) => setAttestationText(e.target.value)}
                rows={5}
                className="mono"
                data-testid="attestation"
              />
            </label>
            <label>
              {t("recovery.attestationFile")}
              <input
                type="file"
                accept="application/json,.json"
                data-testid="attestation-file"
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  if (file) setAttestationText(await file.text());
                }}
              />
            </label>
          </>
        )}
        <button type="submit" disabled={busy} data-testid="request-recovery">
          {t("recovery.requestButton")}
        </button>
      </form>
      <Status state={state} testId="request-recovery-status" />
    </Section>
  );
}

export default function Recovery() {
  const { t } = useTranslation();
  const [commitment, setCommitment] = useState("");
  return (
    <>
      <h1>{t("recovery.title")}</h1>
      <p className="hint">{t("recovery.intro")}</p>
      <Section title={t("recovery.which")} id="recovery-which">
        <label>
          {t("recovery.commitment")}
          <input
            value={commitment}
            onChange={(e) => setCommitment(e.target.value)}
            className="mono"
            placeholder="0x…"
            data-testid="recovery-commitment"
          />
        </label>
        <p className="hint">{t("recovery.commitmentHint")}</p>
      </Section>
      {isCommitment(commitment) && <RecoveryStatus commitment={commitment.trim() as Hex} />}
      <NeedWallet>
        {(writer, address) => <RequestRecovery writer={writer} address={address} commitment={commitment} />}
      </NeedWallet>
    </>
  );
}
