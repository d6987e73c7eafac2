import type { Command } from "commander";
import { createPool } from "../../actions/createPool";
import { getPool } from "../../actions/getPool";
import { fromEthers } from "../../clients/ethers";
import type { Address } from "../../core/types";
import { checkAddress } from "../../core/units";
import { InvalidParameterError } from "../../errors/base";
import { erc20PermitAbi, read } from "../../internal/contract";
import { addPool, writeDeployment } from "../../node/deployments";
import { fullRoles } from "../../node/fields";
import { readRulesFile } from "../../node/rulesFile";
import { date, duration, handle, money, print, txLine, txOf } from "../output";
import type { Session } from "../session";

async function create(session: Session, options: { rules: string; name: string; operator?: string }): Promise<void> {
  const file = readRulesFile(options.rules);
  const deployment = session.deployment();
  const wallet = await session.wallet(deployment.chainId);
  const client = { connector: fromEthers(wallet), factory: deployment.factory.address };
  // Fail before sending anything when the name is taken.
  addPool(deployment, { name: options.name, address: deployment.factory.address, block: 0n, rules: file.rules });
  if (file.decimals !== undefined) {
    const decimals = await read(client, file.rules.asset, erc20PermitAbi, "decimals", []);
    if (decimals !== file.decimals) {
      throw new InvalidParameterError(
        "rules decimals",
        `${options.rules} writes amounts with ${file.decimals} decimals, but the token ${file.rules.asset} has ${decimals}`,
      );
    }
  }
  const operator = options.operator
    ? checkAddress(options.operator, "--operator")
    : (file.roles.operator ?? ((await wallet.getAddress()) as Address));
  const roles = fullRoles({ ...file.roles, operator });
  const { pool, receipt } = await createPool(client, { rules: file.rules, roles });
  const written = writeDeployment(
    addPool(deployment, { name: options.name, address: pool, block: receipt.blockNumber, rules: file.rules, roles }),
    session.options.deployments,
  );
  print(session, { name: options.name, pool, block: receipt.blockNumber, roles, file: written, tx: txOf(receipt) }, [
    `created pool "${options.name}" at ${pool}`,
    `operator ${roles.operator}`,
    txLine(receipt),
    `recorded in ${written}`,
  ]);
}

async function show(session: Session): Promise<void> {
  const { recorded } = session.pool();
  const info = await getPool(await session.reader());
  const t = info.token;
  const r = info.rules;
  const none = (a: Address) => (/^0x0{40}$/.test(a) ? "none" : a);
  print(session, { ...info, ...(recorded ? { name: recorded.name, block: recorded.block } : {}) }, [
    `pool      ${info.address}${recorded ? ` ("${recorded.name}", created in block ${recorded.block})` : ""}`,
    `token     ${t.symbol} ${t.address} (${t.decimals} decimals)`,
    `members   ${info.memberCount}`,
    `started   ${date(info.startedAt)}; period ${info.currentPeriod} now, ${info.nextPeriodToSettle} next to settle${info.nextPart > 0n ? ` (part ${info.nextPart})` : ""}`,
    `claims    ${info.claimCount}`,
    `index     ${money(info.chargeIndex, t)} charged per member since the start`,
    `carry     surplus ${money(info.surplus, t)}, deficit ${money(info.deficit, t)}`,
    `fees      ${money(info.feesAccrued, t)} accrued`,
    `paused    ${info.paused ? "yes (joins and new claims)" : "no"}`,
    `open      ${info.isOpenPool ? "yes: no identity verifier, anyone may join with any commitment" : "no: joins need the verifier's attestation"}`,
    `rules     deposit >= ${money(r.minDeposit, t)}, balance >= ${money(r.minBalance, t)}, wait ${duration(r.waitingPeriod)}, period ${duration(r.periodLength)}`,
    `          claims <= ${money(r.maxClaimAmount, t)}, cap ${money(r.capPerMember, t)} per member, ${r.maxClaimsPerPeriod} paid per period, bond ${money(r.claimBond, t)}`,
    `          juries: ${r.jurySize} seats drawn by ${none(r.randomness) === "none" ? "block hash" : r.randomness}, up to ${r.maxAppealRounds} more round${r.maxAppealRounds === 1 ? "" : "s"}, quorum ${r.quorumBps / 100}% of seats, approve >= ${r.approvalThresholdBps / 100}%`,
    `          rounds: commit ${duration(r.commitWindow)}, reveal ${duration(r.revealWindow)}, appeal ${duration(r.appealWindow)}; a claim is final ${duration(info.claimTimetable)} after submission`,
    `          appeal bond ${money(r.appealBond, t)}, juror penalty ${money(r.jurorPenalty, t)}, lapse grace ${duration(r.lapseGrace)}`,
    `          fee ${r.feeBps / 100}%, yearly charge cap ${r.annualChargeCap === 0n ? "none" : money(r.annualChargeCap, t)}, yearly payout limit ${r.maxPayoutPerMember === 0n ? "none" : money(r.maxPayoutPerMember, t)}`,
    `roles     operator ${info.roles.operator}, verifier ${none(info.roles.verifier)}, assessor ${none(info.roles.assessor)}, guardian ${none(info.roles.guardian)}`,
  ]);
}

export function registerPool(program: Command): void {
  const pool = program.command("pool").description("create and inspect pools");
  pool
    .command("create")
    .description("create a pool from a rules file and record it in deployments/<network>.json")
    .requiredOption("--rules <file>", "the rules as JSON (amounts in base units or { amount, decimals })")
    .option("--name <name>", "the name to record the pool under", "default")
    .option("--operator <address>", "the fee recipient (default: the file's roles.operator, else the key's address)")
    .action(handle(create));
  pool.command("show").description("show the pool's rules, roles and figures").action(handle(show));
}
