import { encodeEventTopics, decodeEventLog, pad } from "viem";
import type { HuzhuClientConfig } from "../clients/client";
import type { Address, Hex } from "../core/types";
import { ClaimState, JurorVote, nameOf } from "../core/types";
import { checkAddress } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { MissingAccountError } from "../errors/base";
import { poolAbi, poolOf, read } from "../internal/contract";

export interface GetJuryDutiesParameters {
  /** The juror; defaults to the client's account. */
  account?: Address;
  pool?: Address;
  /** First block to scan (the pool's creation block); 0 by default. */
  fromBlock?: bigint;
  /** Blocks per `eth_getLogs` request (default 5,000). */
  blockRange?: bigint;
  /** Only the duties still to do (`commit` or `reveal`); default false: every seat. */
  pendingOnly?: boolean;
}

/**
 * What a seated juror has to do: `commit` a sealed vote before `dueBy` (the commit end), `reveal` it
 * from `from` (the commit end) until `dueBy` (the reveal end); `done` once revealed; `missed` when a
 * window passed without it (a juror who does not reveal pays the pool's juror penalty at the tally).
 */
export type JuryDutyKind = "commit" | "reveal" | "done" | "missed";

export interface JuryDuty {
  claimId: bigint;
  round: bigint;
  vote: JurorVote;
  voteName: keyof typeof JurorVote;
  due: JuryDutyKind;
  /** When the duty can start (seconds): the reveal window opens at the commit end. */
  from: bigint;
  /** When the duty's window closes (seconds); for `done` and `missed`, the round's reveal end. */
  dueBy: bigint;
  claimState: ClaimState;
  claimStateName: keyof typeof ClaimState;
}
export type GetJuryDutiesReturnType = JuryDuty[];
export type GetJuryDutiesErrorType = HuzhuError;

/**
 * Lists the claims where an account sits on a jury and what is due by when: the seats come from the
 * pool's `JurorSeated` events filtered by the indexed juror, the windows and votes from the round views.
 * @example
 * for (const d of await getJuryDuties(client, { pendingOnly: true }))
 *   console.log(`claim #${d.claimId}: ${d.due} by ${new Date(Number(d.dueBy) * 1000).toISOString()}`);
 */
export async function getJuryDuties(
  client: HuzhuClientConfig,
  params: GetJuryDutiesParameters = {},
): Promise<GetJuryDutiesReturnType> {
  const pool = poolOf(client, params.pool);
  const account = params.account
    ? checkAddress(params.account, "account")
    : await client.connector.getAddress().then((a) => {
        if (!a) throw new MissingAccountError();
        return a;
      });
  const [signature] = encodeEventTopics({ abi: poolAbi, eventName: "JurorSeated" }) as Hex[];
  const topics: Array<Hex | null> = [signature, null, pad(account.toLowerCase() as Hex, { size: 32 })];
  const toBlock = await client.connector.getBlockNumber();
  const range = params.blockRange ?? 5_000n;
  const seats: Array<{ claimId: bigint; round: bigint }> = [];
  for (let from = params.fromBlock ?? 0n; from <= toBlock; from += range) {
    const to = from + range - 1n < toBlock ? from + range - 1n : toBlock;
    for (const log of await client.connector.getLogs({ address: pool, fromBlock: from, toBlock: to, topics })) {
      const { args } = decodeEventLog({
        abi: poolAbi,
        eventName: "JurorSeated",
        data: log.data,
        topics: log.topics as never,
      });
      seats.push({ claimId: args.claimId, round: args.round });
    }
  }
  const now = await client.connector.getTimestamp();
  const duties = await Promise.all(
    seats.map(async ({ claimId, round }): Promise<JuryDuty> => {
      const [r, [, vote], state] = await Promise.all([
        read(client, pool, poolAbi, "round", [claimId, round]),
        read(client, pool, poolAbi, "jurorVote", [claimId, account]),
        read(client, pool, poolAbi, "state", [claimId]),
      ]);
      const v = vote as JurorVote;
      let due: JuryDutyKind = "missed";
      let from = r.commitEndsAt;
      let dueBy = r.revealEndsAt;
      if (v === JurorVote.Approved || v === JurorVote.Rejected) due = "done";
      else if (v === JurorVote.Seated && now < r.commitEndsAt) {
        due = "commit";
        from = r.opensAt;
        dueBy = r.commitEndsAt;
      } else if (v === JurorVote.Committed && now < r.revealEndsAt) due = "reveal";
      const claimState = state as ClaimState;
      return {
        claimId,
        round,
        vote: v,
        voteName: nameOf(JurorVote, v),
        due,
        from,
        dueBy,
        claimState,
        claimStateName: nameOf(ClaimState, claimState),
      };
    }),
  );
  return params.pendingOnly ? duties.filter((d) => d.due === "commit" || d.due === "reveal") : duties;
}
