import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { formatAmount, parseAmount, type Address, type HuzhuClient, type Hex, type PoolInfo } from "@huzhu/sdk";
import { keccak256 } from "viem";
import { useHuzhu } from "../chain/huzhu";
import { readClaim, readDuties, readPool, readStatement } from "../chain/reads";
import { Section, Status, When, parseAddressInput, useAction } from "../ui/common";
import { NeedWallet } from "../ui/NeedWallet";

function SubmitClaim({ writer, pool, address }: { writer: HuzhuClient; pool: PoolInfo; address: Address }) {
  const { t } = useTranslation();
  const { reader } = useHuzhu();
  const { decimals, symbol } = pool.token;
  const statement = useQuery({ queryKey: ["statement", address], queryFn: () => readStatement(reader, address) });
  const beneficiary = statement.data?.recovery.beneficiary;
  const [payee, setPayee] = useState("");
  const [amount, setAmount] = useState("");
  const [digest, setDigest] = useState<Hex>();
  const [uri, setUri] = useState("");
  const { state, run, busy } = useAction();
  return (
    <Section title={t("claims.submit")} id="submit">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const named = parseAddressInput(payee, t("badAddress", { field: t("field.payee") }));
            const { claimId } = await writer.submitClaim({
              amount: parseAmount(amount, decimals),
              evidenceDigest: digest!,
              uri,
              payee: named,
            });
            return t("claims.submitted", { id: claimId.toString() });
          });
        }}
      >
        <label>
          {t("claims.amount", { symbol })}
          <input
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            inputMode="decimal"
            data-testid="claim-amount"
          />
        </label>
        <label>
          {t("claims.file")}
          <input
            type="file"
            data-testid="claim-file"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              // Hashed here: the file never leaves the device.
              setDigest(file ? keccak256(new Uint8Array(await file.arrayBuffer())) : undefined);
            }}
          />
        </label>
        <label>
          {t("claims.uri")}
          <input value={uri} onChange={(e) => setUri(e.target.value)} />
        </label>
        <label>
          {t("claims.payee")}
          <input
            value={payee}
            onChange={(e) => setPayee(e.target.value)}
            className="mono"
            placeholder={beneficiary ?? address}
            aria-describedby="payee-hint"
            data-testid="claim-payee"
          />
        </label>
        <p className="hint" id="payee-hint" data-testid="payee-default">
          {beneficiary
            ? t("claims.payeeDefaultBeneficiary", { address: beneficiary })
            : t("claims.payeeDefaultYou", { address })}
        </p>
        <button type="submit" disabled={busy || !digest} data-testid="submit-claim">
          {t("claims.submitButton")}
        </button>
      </form>
      {digest && (
        <p className="hint">
          {t("claims.digest")}: <code data-testid="digest">{digest}</code>
        </p>
      )}
      <Status state={state} testId="claim-status" />
    </Section>
  );
}

const voteKey = (pool: string, claimId: bigint, round: bigint, juror: string) =>
  `huzhu.vote.${pool}.${claimId}.${round}.${juror}`.toLowerCase();

function Duties({ writer, address }: { writer: HuzhuClient; address: Address }) {
  const { t, i18n } = useTranslation();
  const { reader, fromBlock, config } = useHuzhu();
  const duties = useQuery({ queryKey: ["duties", address], queryFn: () => readDuties(reader, address, fromBlock) });
  const { state, run, busy } = useAction();
  const list = (duties.data ?? []).filter((d) => d.due === "commit" || d.due === "reveal" || d.claimState !== 0);
  return (
    <Section title={t("claims.duties")} id="duties">
      {list.length === 0 && <p>{t("claims.noDuties")}</p>}
      <ul className="duties" data-testid="duties">
        {list.map((d) => {
          const key = voteKey(config.pool, d.claimId, d.round, address);
          const saved = localStorage.getItem(key);
          const by = new Date(Number(d.dueBy) * 1000).toLocaleString(i18n.language);
          return (
            <li key={`${d.claimId}-${d.round}`} data-duty={`${d.claimId}-${d.round}`}>
              <strong>
                #{d.claimId.toString()} · {t("col.round", { r: d.round.toString() })}
              </strong>{" "}
              — {t(`claims.due.${d.due}`, { by })} ({t(`state.${d.claimStateName}`)})
              {d.due === "commit" && (
                <div className="connect">
                  {[true, false].map((support) => (
                    <button
                      key={String(support)}
                      type="button"
                      disabled={busy}
                      data-testid={`commit-${support ? "approve" : "reject"}-${d.claimId}`}
                      onClick={() =>
                        void run(async () => {
                          // The salt is derived from a wallet signature: nothing to keep but the choice.
                          await writer.commitVote({ claimId: d.claimId, support });
                          localStorage.setItem(key, support ? "approve" : "reject");
                        })
                      }
                    >
                      {support ? t("claims.approve") : t("claims.reject")}
                    </button>
                  ))}
                </div>
              )}
              {d.due === "reveal" && (
                <div className="connect">
                  {[true, false]
                    .filter((support) => !saved || saved === (support ? "approve" : "reject"))
                    .map((support) => (
                      <button
                        key={String(support)}
                        type="button"
                        disabled={busy}
                        data-testid={`reveal-${d.claimId}`}
                        onClick={() =>
                          void run(async () => void (await writer.revealVote({ claimId: d.claimId, support })))
                        }
                      >
                        {t("claims.reveal")}: {support ? t("claims.approve") : t("claims.reject")}
                      </button>
                    ))}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <Status state={state} testId="duty-status" />
    </Section>
  );
}

function MyClaim({ address, pool }: { address: Address; pool: PoolInfo }) {
  const { t } = useTranslation();
  const { reader } = useHuzhu();
  const statement = useQuery({ queryKey: ["statement", address], queryFn: () => readStatement(reader, address) });
  const id = statement.data?.openClaimId ?? 0n;
  const claim = useQuery({
    queryKey: ["claim", id.toString()],
    enabled: id > 0n,
    queryFn: () => readClaim(reader, id),
  });
  if (!claim.data || id === 0n) return null;
  const c = claim.data;
  return (
    <Section title={t("claims.mine")} id="mine">
      <p data-testid="my-claim">
        #{c.id.toString()} · {formatAmount(c.amount, pool.token.decimals)} {pool.token.symbol} ·{" "}
        {t(`state.${c.stateName}`)} · {t(`verdict.${c.verdictName}`)} · {t("col.final")} <When at={c.resolvesAt} />
      </p>
      <p>
        {t("claims.paidTo")}: <code data-testid="my-claim-payee">{c.payee}</code>
        {c.payee.toLowerCase() !== address.toLowerCase() && <> ({t("claims.payeeWithdraws")})</>}
      </p>
    </Section>
  );
}

function Appeal({ writer, pool }: { writer: HuzhuClient; pool: PoolInfo }) {
  const { t } = useTranslation();
  const [id, setId] = useState("");
  const { state, run, busy } = useAction();
  return (
    <Section title={t("claims.appeal")} id="appeal">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => void (await writer.appeal({ claimId: BigInt(id) })));
        }}
      >
        <label>
          {t("claims.claimId")}
          <input value={id} onChange={(e) => setId(e.target.value)} inputMode="numeric" data-testid="appeal-id" />
        </label>
        <button type="submit" disabled={busy || !/^\d+$/.test(id)} data-testid="appeal">
          {t("claims.appeal")}
        </button>
      </form>
      {/^\d+$/.test(id) && (
        <p className="hint">
          {t("claims.appealHint", {
            id,
            bond: `${formatAmount(pool.rules.appealBond, pool.token.decimals)} ${pool.token.symbol}`,
          })}
        </p>
      )}
      <Status state={state} testId="appeal-status" />
    </Section>
  );
}

function Keeper({ writer, pool }: { writer: HuzhuClient; pool: PoolInfo }) {
  const { t } = useTranslation();
  const [id, setId] = useState("");
  const [member, setMember] = useState("");
  const { state, run, busy } = useAction();
  const claimId = /^\d+$/.test(id) ? BigInt(id) : undefined;
  const button = (label: string, testId: string, act: () => Promise<unknown>, disabled = false) => (
    <button
      type="button"
      disabled={busy || disabled}
      data-testid={testId}
      onClick={() => void run(async () => void (await act()))}
    >
      {label}
    </button>
  );
  return (
    <Section title={t("claims.keeper")} id="keeper">
      <div className="row">
        <label>
          {t("claims.claimId")}
          <input value={id} onChange={(e) => setId(e.target.value)} inputMode="numeric" data-testid="keeper-claim" />
        </label>
        {button(t("claims.draw"), "draw", () => writer.drawJury({ claimId: claimId! }), claimId === undefined)}
        {button(t("claims.tally"), "tally", () => writer.tally({ claimId: claimId! }), claimId === undefined)}
        {button(t("claims.resolve"), "resolve", () => writer.resolve({ claimId: claimId! }), claimId === undefined)}
      </div>
      <div className="row">
        <span>{t("claims.nextSettle", { p: pool.nextPeriodToSettle.toString() })}</span>
        {button(t("claims.settle"), "settle", () => writer.settleDue())}
      </div>
      <div className="row">
        <label>
          {t("claims.member")}
          <input
            value={member}
            onChange={(e) => setMember(e.target.value)}
            className="mono"
            data-testid="exit-member"
          />
        </label>
        {button(
          t("claims.complete"),
          "complete-exit",
          () => writer.completeExit({ member: member as Address }),
          !member,
        )}
      </div>
      <Status state={state} testId="keeper-status" />
    </Section>
  );
}

function ClaimsFor({ writer, address }: { writer: HuzhuClient; address: Address }) {
  const { t } = useTranslation();
  const { reader } = useHuzhu();
  const pool = useQuery({ queryKey: ["pool"], queryFn: () => readPool(reader) });
  if (!pool.data) return <p role="status">{t("loading")}</p>;
  return (
    <>
      <MyClaim address={address} pool={pool.data} />
      <SubmitClaim writer={writer} pool={pool.data} address={address} />
      <Duties writer={writer} address={address} />
      <Appeal writer={writer} pool={pool.data} />
      <Keeper writer={writer} pool={pool.data} />
    </>
  );
}

export default function Claims() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("claims.title")}</h1>
      <NeedWallet>{(writer, address) => <ClaimsFor writer={writer} address={address} />}</NeedWallet>
    </>
  );
}
