import { randomBytes } from "node:crypto";
import type { Command } from "commander";
import { cancelRecovery } from "../../actions/cancelRecovery";
import { completeExit } from "../../actions/completeExit";
import { completeRecovery } from "../../actions/completeRecovery";
import { getRecovery } from "../../actions/getRecovery";
import { requestRecovery } from "../../actions/requestRecovery";
import { setBeneficiary } from "../../actions/setBeneficiary";
import { setRecoveryOptions } from "../../actions/setRecoveryOptions";
import { signRecoveryAttestation } from "../../actions/signRecoveryAttestation";
import { getMemberStatement } from "../../actions/getMemberStatement";
import { getPool } from "../../actions/getPool";
import { join } from "../../actions/join";
import { requestExit } from "../../actions/requestExit";
import { topUp } from "../../actions/topUp";
import { withdraw } from "../../actions/withdraw";
import { withdrawFees } from "../../actions/withdrawFees";
import { withdrawPayout } from "../../actions/withdrawPayout";
import { MemberStatus, type Address, type Hex } from "../../core/types";
import { checkAddress, checkBytes32, parseAmount } from "../../core/units";
import { HuzhuError, InvalidParameterError } from "../../errors/base";
import { poolAbi, read } from "../../internal/contract";
import { identityCommitment } from "../../utils/commitments";
import { date, handle, money, print, txLine, txOf } from "../output";
import type { Session } from "../session";
import { history } from "./audit";

async function joinPool(
  session: Session,
  options: {
    amount: string;
    identity: string;
    salt?: string;
    attestationDeadline?: string;
    attestationSignature?: string;
  },
): Promise<void> {
  const client = await session.writer();
  const token = await session.token(client);
  const amount = parseAmount(options.amount, token.decimals, "--amount");
  const generated = options.salt === undefined;
  const salt = generated ? (`0x${randomBytes(32).toString("hex")}` as Hex) : checkBytes32(options.salt!, "--salt");
  if (options.identity.trim() === "") throw new InvalidParameterError("--identity", "is empty");
  const commitment = identityCommitment(options.identity, salt);
  let attestation: { deadline: bigint; signature: Hex } | undefined;
  if (options.attestationDeadline !== undefined || options.attestationSignature !== undefined) {
    if (!options.attestationDeadline || !options.attestationSignature) {
      throw new InvalidParameterError("attestation", "give both --attestation-deadline and --attestation-signature");
    }
    if (!/^\d+$/.test(options.attestationDeadline)) {
      throw new InvalidParameterError("--attestation-deadline", "must be a unix time in seconds");
    }
    if (!/^0x([0-9a-fA-F]{2})+$/.test(options.attestationSignature)) {
      throw new InvalidParameterError("--attestation-signature", "must be hex bytes (0x...)");
    }
    attestation = { deadline: BigInt(options.attestationDeadline), signature: options.attestationSignature as Hex };
  }
  const receipt = await join(client, { amount, commitment, attestation });
  print(session, { pool: client.pool, amount, commitment, ...(generated ? { salt } : {}), tx: txOf(receipt) }, [
    `joined pool ${client.pool} with ${money(amount, token)}`,
    `identity commitment ${commitment}`,
    generated &&
      `identity salt ${salt}\n  (shown once: keep it secret and safe; with your identity it proves this commitment)`,
    txLine(receipt),
  ]);
}

async function topUpBalance(session: Session, options: { amount: string }): Promise<void> {
  const client = await session.writer();
  const token = await session.token(client);
  const amount = parseAmount(options.amount, token.decimals, "--amount");
  const receipt = await topUp(client, { amount });
  print(session, { amount, tx: txOf(receipt) }, [`topped up ${money(amount, token)}`, txLine(receipt)]);
}

async function exitPool(session: Session, member: string | undefined, options: { complete?: boolean }): Promise<void> {
  if (member !== undefined && !options.complete) {
    throw new InvalidParameterError("member", "is only for `exit --complete <member>`; a request is for your own key");
  }
  const client = await session.writer();
  if (!options.complete) {
    const receipt = await requestExit(client);
    const s = await getMemberStatement(client, { member: (await client.connector.getAddress())! });
    print(session, { requested: true, exitClaimBound: s.exitClaimBound, tx: txOf(receipt) }, [
      `exit requested: you stay counted (and charged) until every claim below #${s.exitClaimBound} is settled or rejected`,
      "then run `huzhu exit --complete` and `huzhu withdraw --all`",
      txLine(receipt),
    ]);
    return;
  }
  const who = member !== undefined ? checkAddress(member, "member") : (await client.connector.getAddress())!;
  const receipt = await completeExit(client, { member: who });
  print(session, { member: who, completed: true, tx: txOf(receipt) }, [
    `exit completed for ${who}: no longer counted; the balance can be withdrawn`,
    txLine(receipt),
  ]);
}

async function withdrawFunds(
  session: Session,
  options: { amount?: string; all?: boolean; payout?: boolean; fees?: boolean; to?: string },
): Promise<void> {
  const chosen = [options.amount !== undefined || options.all, options.payout, options.fees].filter(Boolean).length;
  if (chosen !== 1) {
    throw new InvalidParameterError("withdraw", "choose one of --amount <amount> (or --all), --payout, --fees");
  }
  if (options.amount !== undefined && options.all)
    throw new InvalidParameterError("withdraw", "give --amount or --all, not both");
  if (options.to !== undefined && (options.payout || options.fees))
    throw new InvalidParameterError(
      "--to",
      "sends a balance withdrawal (--amount or --all) elsewhere, not --payout or --fees",
    );
  const to = options.to === undefined ? undefined : checkAddress(options.to, "--to");
  const client = await session.writer();
  const token = await session.token(client);
  if (options.payout || options.fees) {
    const receipt = options.payout ? await withdrawPayout(client) : await withdrawFees(client);
    const what = options.payout ? "payouts and refunded bonds" : "the operator's fees";
    print(session, { withdrawn: options.payout ? "payout" : "fees", tx: txOf(receipt) }, [
      `withdrew ${what}`,
      txLine(receipt),
    ]);
    return;
  }
  let amount: bigint;
  if (options.all) {
    // A counted member keeps the minimum balance; one who left may take everything.
    const me = (await client.connector.getAddress())!;
    const [s, pool] = await Promise.all([getMemberStatement(client, { member: me }), getPool(client)]);
    const counted =
      s.status === MemberStatus.Waiting || s.status === MemberStatus.Active || s.status === MemberStatus.Exiting;
    amount = s.balance - (counted ? pool.rules.minBalance : 0n);
    if (amount <= 0n) {
      throw new HuzhuError(
        `Nothing to withdraw: the balance is ${money(s.balance, token)}${counted ? `, and a counted member keeps ${money(pool.rules.minBalance, token)}` : ""}.`,
      );
    }
  } else {
    amount = parseAmount(options.amount!, token.decimals, "--amount");
  }
  const receipt = await withdraw(client, { amount, to });
  print(session, { withdrawn: "balance", amount, ...(to ? { to } : {}), tx: txOf(receipt) }, [
    `withdrew ${money(amount, token)}${to ? ` to ${to}` : ""}`,
    txLine(receipt),
  ]);
}

async function statement(session: Session, member: string, options: { history?: boolean } = {}): Promise<void> {
  if (options.history) return history(session, member);
  const client = await session.reader();
  const address = checkAddress(member, "member") as Address;
  const [s, token, recovery] = await Promise.all([
    getMemberStatement(client, { member: address }),
    session.token(client),
    getRecovery(client, { member: address }),
  ]);
  const pending = recovery.pending;
  print(session, { ...s, token, recovery }, [
    `member      ${s.member}`,
    `status      ${s.statusName}`,
    (s.status === MemberStatus.Waiting || s.status === MemberStatus.Active || s.status === MemberStatus.Exiting) &&
      `eligible    from ${date(s.eligibleAt)} (may claim, and sit on juries of claims submitted after it)`,
    `credit      ${money(s.credit, token)} (deposits minus withdrawals)`,
    `charged     ${money(s.charged, token)}`,
    `balance     ${money(s.balance, token)}`,
    `payout due  ${money(s.payout, token)}`,
    `open claim  ${s.openClaimId === 0n ? "none" : `#${s.openClaimId}`}`,
    s.status === MemberStatus.Exiting && `exit        completes once every claim below #${s.exitClaimBound} is done`,
    s.status === MemberStatus.Lapsing &&
      `lapse       forced exit: completes once every claim below #${s.exitClaimBound} is done`,
    s.lapsableAt > 0n &&
      `flagged     below the minimum balance: may be lapsed from ${date(s.lapsableAt)} unless topped up first`,
    (s.status === MemberStatus.Exited || s.status === MemberStatus.Lapsed) &&
      "return      may join again with the same identity and salt (the balance is kept)",
    recovery.beneficiary !== null && `beneficiary ${recovery.beneficiary} (paid your claims unless one names a payee)`,
    recovery.recoveryAddress !== null && `recovery by ${recovery.recoveryAddress}`,
    recovery.verifierRecoveryOff && "recovery    opted out of recovery by the identity verifier",
    pending !== null &&
      `RECOVERY PENDING: the membership moves to ${pending.newWallet} from ${date(pending.readyAt)} (${pending.byVerifier ? "verifier's attestation" : "recovery address"}); if this is not you, run \`huzhu recovery cancel\` now`,
  ]);
}

async function beneficiary(session: Session, address: string): Promise<void> {
  const value =
    address === "none" ? "0x0000000000000000000000000000000000000000" : checkAddress(address, "beneficiary");
  const client = await session.writer();
  const receipt = await setBeneficiary(client, { beneficiary: value as Address });
  print(session, { beneficiary: value, tx: txOf(receipt) }, [
    address === "none"
      ? "beneficiary removed: your claims pay you"
      : `beneficiary ${value}: your claims pay it unless one names a payee`,
    txLine(receipt),
  ]);
}

function attestationOf(options: { attestationDeadline?: string; attestationSignature?: string }) {
  if (options.attestationDeadline === undefined && options.attestationSignature === undefined) return undefined;
  if (!options.attestationDeadline || !/^\d+$/.test(options.attestationDeadline))
    throw new InvalidParameterError("--attestation-deadline", "must be a unix time in seconds");
  if (!options.attestationSignature || !/^0x([0-9a-fA-F]{2})+$/.test(options.attestationSignature))
    throw new InvalidParameterError("--attestation-signature", "must be hex bytes (0x...)");
  return { deadline: BigInt(options.attestationDeadline), signature: options.attestationSignature as Hex };
}

async function recoveryOptions(session: Session, options: { address?: string; verifier?: boolean }): Promise<void> {
  const recoveryAddress = options.address === undefined ? undefined : checkAddress(options.address, "--address");
  const client = await session.writer();
  const verifierRecoveryOff = options.verifier === false;
  const receipt = await setRecoveryOptions(client, { recoveryAddress, verifierRecoveryOff });
  print(session, { recoveryAddress: recoveryAddress ?? null, verifierRecoveryOff, tx: txOf(receipt) }, [
    recoveryAddress ? `recovery address ${recoveryAddress}` : "no recovery address",
    verifierRecoveryOff
      ? "the identity verifier cannot recover you"
      : "the identity verifier may recover you (30 days, you can cancel)",
    txLine(receipt),
  ]);
}

async function recoveryRequest(
  session: Session,
  options: { commitment: string; newWallet: string; attestationDeadline?: string; attestationSignature?: string },
): Promise<void> {
  const commitment = checkBytes32(options.commitment, "--commitment");
  const newWallet = checkAddress(options.newWallet, "--new-wallet");
  const attestation = attestationOf(options);
  const client = await session.writer();
  const receipt = await requestRecovery(client, { commitment, newWallet, attestation });
  const owner = await getMemberOfCommitment(client, commitment);
  const r = await getRecovery(client, { member: owner });
  print(session, { member: owner, newWallet, readyAt: r.pending?.readyAt, tx: txOf(receipt) }, [
    `recovery of ${owner} to ${newWallet} requested: completes from ${date(r.pending!.readyAt)} unless the member's wallet cancels`,
    txLine(receipt),
  ]);
}

async function getMemberOfCommitment(
  client: Awaited<ReturnType<Session["reader"]>>,
  commitment: Hex,
): Promise<Address> {
  return (await read(client, client.pool!, poolAbi, "commitmentOwner", [commitment])) as Address;
}

async function recoveryCancel(session: Session, member?: string): Promise<void> {
  const client = await session.writer();
  const who = member === undefined ? undefined : checkAddress(member, "member");
  const receipt = await cancelRecovery(client, { member: who });
  print(session, { member: who ?? (await client.connector.getAddress()), cancelled: true, tx: txOf(receipt) }, [
    "recovery cancelled: the membership stays where it is",
    txLine(receipt),
  ]);
}

async function recoveryComplete(session: Session, options: { commitment: string }): Promise<void> {
  const commitment = checkBytes32(options.commitment, "--commitment");
  const client = await session.writer();
  const receipt = await completeRecovery(client, { commitment });
  const owner = await getMemberOfCommitment(client, commitment);
  print(session, { member: owner, commitment, completed: true, tx: txOf(receipt) }, [
    `recovery completed: the membership is now held by ${owner}`,
    txLine(receipt),
  ]);
}

async function recoverySign(
  session: Session,
  options: { member: string; newWallet: string; commitment: string; deadline: string },
): Promise<void> {
  if (!/^\d+$/.test(options.deadline)) throw new InvalidParameterError("--deadline", "must be a unix time in seconds");
  const client = await session.writer();
  const member = checkAddress(options.member, "--member");
  const { nonce } = await getRecovery(client, { member });
  const attestation = await signRecoveryAttestation(client, {
    member,
    newWallet: checkAddress(options.newWallet, "--new-wallet"),
    commitment: checkBytes32(options.commitment, "--commitment"),
    deadline: BigInt(options.deadline),
    nonce,
  });
  print(session, { ...attestation, nonce }, [
    `recovery attestation for the member's recovery nonce ${nonce} (it starts one recovery: void once used, or once the member changes its recovery settings);`,
    `pass it to \`huzhu recovery request\`:`,
    `  --attestation-deadline ${attestation.deadline} --attestation-signature ${attestation.signature}`,
  ]);
}

export function registerMember(program: Command): void {
  program
    .command("join")
    .description("join the pool with a first deposit and an identity commitment")
    .requiredOption("--amount <amount>", "first deposit in token units, e.g. 20.5")
    .requiredOption("--identity <text>", "your identity (e.g. a document number); only its salted hash goes on chain")
    .option("--salt <hex>", "the identity salt (32 bytes of hex); a random one is made and printed once if omitted")
    .option("--attestation-deadline <unix>", "the identity verifier's attestation deadline (pools with a verifier)")
    .option("--attestation-signature <hex>", "the identity verifier's attestation signature")
    .action(handle(joinPool));
  program
    .command("topup")
    .description("add to your balance")
    .requiredOption("--amount <amount>", "amount in token units")
    .action(handle(topUpBalance));
  program
    .command("exit [member]")
    .description("request your exit; with --complete, complete a served exit (yours, or a member's)")
    .option("--complete", "complete the exit once every earlier claim is done")
    .action(handle(exitPool));
  program
    .command("withdraw")
    .description("withdraw from your balance, your payouts (--payout) or the operator's fees (--fees)")
    .option("--amount <amount>", "amount of your balance, in token units")
    .option("--all", "all you may take: the balance above the minimum, or everything once you left")
    .option("--payout", "withdraw your claim payouts and refunded bonds")
    .option("--fees", "withdraw the operator's accrued fees (operator only)")
    .option("--to <address>", "send the balance withdrawal to this address instead of your wallet")
    .action(handle(withdrawFunds));
  program
    .command("statement <member>")
    .description("a member's statement: status, eligibility, deposits, charges, balance, payouts")
    .option("--history", "from the events: each period's share and the member's part of each claim")
    .action(handle(statement));
  program
    .command("beneficiary <address>")
    .description("name who is paid your claims unless a claim names a payee (`none` removes it)")
    .action(handle(beneficiary));
  const recovery = program
    .command("recovery")
    .description("recover a membership whose wallet is lost (30 days, cancellable by the member's wallet)");
  recovery
    .command("options")
    .description("set your recovery address and whether the identity verifier may recover you")
    .option("--address <address>", "an address of yours that may name a new wallet for you (omit: none)")
    .option("--no-verifier", "refuse recovery by the identity verifier")
    .action(handle(recoveryOptions));
  recovery
    .command("request")
    .description(
      "start moving a membership to a new wallet (as its recovery address, or with the verifier's attestation)",
    )
    .requiredOption("--commitment <hex>", "the member's identity commitment")
    .requiredOption("--new-wallet <address>", "the wallet the membership moves to")
    .option("--attestation-deadline <unix>", "the verifier's recovery attestation deadline")
    .option("--attestation-signature <hex>", "the verifier's recovery attestation signature")
    .action(handle(recoveryRequest));
  recovery
    .command("cancel [member]")
    .description("cancel a pending recovery of your membership (or, as its recovery address, of <member>)")
    .action(handle(recoveryCancel));
  recovery
    .command("complete")
    .description("complete a recovery whose 30 days are over (anyone)")
    .requiredOption("--commitment <hex>", "the member's identity commitment")
    .action(handle(recoveryComplete));
  recovery
    .command("sign")
    .description("as the identity verifier: sign a recovery attestation")
    .requiredOption("--member <address>", "the member's current (lost) wallet")
    .requiredOption("--new-wallet <address>", "the new wallet you checked belongs to the same person")
    .requiredOption("--commitment <hex>", "the member's identity commitment")
    .requiredOption("--deadline <unix>", "last second the attestation may be used")
    .action(handle(recoverySign));
}
