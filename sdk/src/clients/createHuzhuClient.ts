import type { HuzhuClientConfig } from "./client";
import { appeal } from "../actions/appeal";
import { attachReview } from "../actions/attachReview";
import { commitVote } from "../actions/commitVote";
import { completeExit } from "../actions/completeExit";
import { createPool } from "../actions/createPool";
import { deriveVoteSalt } from "../actions/deriveVoteSalt";
import { drawJury } from "../actions/drawJury";
import { flag } from "../actions/flag";
import { getClaim } from "../actions/getClaim";
import { getJuryDuties } from "../actions/getJuryDuties";
import { getMemberStatement } from "../actions/getMemberStatement";
import { getPeriod } from "../actions/getPeriod";
import { getPermitDomain } from "../actions/getPermitDomain";
import { getPool } from "../actions/getPool";
import { getRound } from "../actions/getRound";
import { getUnderfundedMembers } from "../actions/getUnderfundedMembers";
import { join } from "../actions/join";
import { joinWithPermit } from "../actions/joinWithPermit";
import { lapse } from "../actions/lapse";
import { lapseBatch } from "../actions/lapseBatch";
import { requestExit } from "../actions/requestExit";
import { resolve } from "../actions/resolve";
import { revealVote } from "../actions/revealVote";
import { settle } from "../actions/settle";
import { settleDue } from "../actions/settleDue";
import { signAttestation } from "../actions/signAttestation";
import { submitClaim } from "../actions/submitClaim";
import { tally } from "../actions/tally";
import { topUp } from "../actions/topUp";
import { waitForTransaction } from "../actions/waitForTransaction";
import { withdraw } from "../actions/withdraw";
import { withdrawFees } from "../actions/withdrawFees";
import { withdrawPayout } from "../actions/withdrawPayout";
import { cancelRecovery } from "../actions/cancelRecovery";
import { completeRecovery } from "../actions/completeRecovery";
import { getRecovery } from "../actions/getRecovery";
import { requestRecovery } from "../actions/requestRecovery";
import { setBeneficiary } from "../actions/setBeneficiary";
import { setRecoveryOptions } from "../actions/setRecoveryOptions";
import { signRecoveryAttestation } from "../actions/signRecoveryAttestation";
import type { AppealParameters } from "../actions/appeal";
import type { AttachReviewParameters } from "../actions/attachReview";
import type { CommitVoteParameters } from "../actions/commitVote";
import type { CompleteExitParameters } from "../actions/completeExit";
import type { CreatePoolParameters } from "../actions/createPool";
import type { DeriveVoteSaltParameters } from "../actions/deriveVoteSalt";
import type { DrawJuryParameters } from "../actions/drawJury";
import type { FlagParameters } from "../actions/flag";
import type { GetClaimParameters } from "../actions/getClaim";
import type { GetJuryDutiesParameters } from "../actions/getJuryDuties";
import type { GetMemberStatementParameters } from "../actions/getMemberStatement";
import type { GetPeriodParameters } from "../actions/getPeriod";
import type { GetPermitDomainParameters } from "../actions/getPermitDomain";
import type { GetPoolParameters } from "../actions/getPool";
import type { GetRoundParameters } from "../actions/getRound";
import type { GetUnderfundedMembersParameters } from "../actions/getUnderfundedMembers";
import type { JoinParameters } from "../actions/join";
import type { JoinWithPermitParameters } from "../actions/joinWithPermit";
import type { LapseParameters } from "../actions/lapse";
import type { LapseBatchParameters } from "../actions/lapseBatch";
import type { RequestExitParameters } from "../actions/requestExit";
import type { ResolveParameters } from "../actions/resolve";
import type { RevealVoteParameters } from "../actions/revealVote";
import type { SettleParameters } from "../actions/settle";
import type { SettleDueParameters } from "../actions/settleDue";
import type { SignAttestationParameters } from "../actions/signAttestation";
import type { SubmitClaimParameters } from "../actions/submitClaim";
import type { TallyParameters } from "../actions/tally";
import type { TopUpParameters } from "../actions/topUp";
import type { WaitForTransactionParameters } from "../actions/waitForTransaction";
import type { WithdrawParameters } from "../actions/withdraw";
import type { WithdrawFeesParameters } from "../actions/withdrawFees";
import type { WithdrawPayoutParameters } from "../actions/withdrawPayout";
import type { CancelRecoveryParameters } from "../actions/cancelRecovery";
import type { CompleteRecoveryParameters } from "../actions/completeRecovery";
import type { GetRecoveryParameters } from "../actions/getRecovery";
import type { RequestRecoveryParameters } from "../actions/requestRecovery";
import type { SetBeneficiaryParameters } from "../actions/setBeneficiary";
import type { SetRecoveryOptionsParameters } from "../actions/setRecoveryOptions";
import type { SignRecoveryAttestationParameters } from "../actions/signRecoveryAttestation";

/**
 * Binds every action to one connector and pool: `client.join({ ... })` is `join(config, { ... })`.
 * The actions are also exported as plain functions, so an app that imports only a few of them
 * leaves the rest out of its bundle.
 *
 * @example
 * const huzhu = createHuzhuClient({ connector: fromEthers(signer), pool });
 * await huzhu.join({ amount: parseAmount("20", 6), commitment });
 * const statement = await huzhu.getMemberStatement({ member: await signer.getAddress() });
 */
export function createHuzhuClient(config: HuzhuClientConfig) {
  return {
    ...config,
    appeal: (params: AppealParameters) => appeal(config, params),
    attachReview: (params: AttachReviewParameters) => attachReview(config, params),
    commitVote: (params: CommitVoteParameters) => commitVote(config, params),
    completeExit: (params: CompleteExitParameters) => completeExit(config, params),
    createPool: (params: CreatePoolParameters) => createPool(config, params),
    deriveVoteSalt: (params: DeriveVoteSaltParameters) => deriveVoteSalt(config, params),
    drawJury: (params: DrawJuryParameters) => drawJury(config, params),
    flag: (params: FlagParameters) => flag(config, params),
    getClaim: (params: GetClaimParameters) => getClaim(config, params),
    getJuryDuties: (params?: GetJuryDutiesParameters) => getJuryDuties(config, params),
    getMemberStatement: (params: GetMemberStatementParameters) => getMemberStatement(config, params),
    getPeriod: (params: GetPeriodParameters) => getPeriod(config, params),
    getPermitDomain: (params: GetPermitDomainParameters) => getPermitDomain(config, params),
    getPool: (params?: GetPoolParameters) => getPool(config, params),
    getRound: (params: GetRoundParameters) => getRound(config, params),
    getUnderfundedMembers: (params?: GetUnderfundedMembersParameters) => getUnderfundedMembers(config, params),
    join: (params: JoinParameters) => join(config, params),
    joinWithPermit: (params: JoinWithPermitParameters) => joinWithPermit(config, params),
    lapse: (params: LapseParameters) => lapse(config, params),
    lapseBatch: (params: LapseBatchParameters) => lapseBatch(config, params),
    requestExit: (params?: RequestExitParameters) => requestExit(config, params),
    resolve: (params: ResolveParameters) => resolve(config, params),
    revealVote: (params: RevealVoteParameters) => revealVote(config, params),
    settle: (params?: SettleParameters) => settle(config, params),
    settleDue: (params?: SettleDueParameters) => settleDue(config, params),
    signAttestation: (params: SignAttestationParameters) => signAttestation(config, params),
    submitClaim: (params: SubmitClaimParameters) => submitClaim(config, params),
    tally: (params: TallyParameters) => tally(config, params),
    topUp: (params: TopUpParameters) => topUp(config, params),
    waitForTransaction: (params: WaitForTransactionParameters) => waitForTransaction(config, params),
    withdraw: (params: WithdrawParameters) => withdraw(config, params),
    withdrawFees: (params?: WithdrawFeesParameters) => withdrawFees(config, params),
    withdrawPayout: (params?: WithdrawPayoutParameters) => withdrawPayout(config, params),
    cancelRecovery: (params?: CancelRecoveryParameters) => cancelRecovery(config, params),
    completeRecovery: (params: CompleteRecoveryParameters) => completeRecovery(config, params),
    getRecovery: (params: GetRecoveryParameters) => getRecovery(config, params),
    requestRecovery: (params: RequestRecoveryParameters) => requestRecovery(config, params),
    setBeneficiary: (params: SetBeneficiaryParameters) => setBeneficiary(config, params),
    setRecoveryOptions: (params: SetRecoveryOptionsParameters) => setRecoveryOptions(config, params),
    signRecoveryAttestation: (params: SignRecoveryAttestationParameters) => signRecoveryAttestation(config, params),
  };
}

export type HuzhuClient = ReturnType<typeof createHuzhuClient>;
