/**
 * @huzhu/sdk: members, operators and auditors of Huzhu mutual-aid pools, from ethers v6 or viem.
 */
export * from "./core/types";
export * from "./core/units";
export * from "./core/apportion";
export * from "./errors/base";
export * from "./errors/generated";
export * from "./errors/token";
export * from "./errors/transaction";
export * from "./abi/generated";
export * from "./utils/commitments";
export type {
  Connector,
  TxInfo,
  TxReceipt,
  TxRequest,
  LogEntry,
  LogFilter,
  TypedDataRequest,
} from "./clients/connector";
export type { HuzhuClientConfig } from "./clients/client";
export { fromEthers } from "./clients/ethers";
export { ethersFetchRequest, wholeBodyGetUrl } from "./clients/ethersFetch";
export { fromViem, type FromViemParameters } from "./clients/viem";
export { createHuzhuClient, type HuzhuClient } from "./clients/createHuzhuClient";
export { toHuzhuError } from "./internal/contract";
export {
  multicallRead,
  multicallViews,
  readCall,
  multicall3Abi,
  MULTICALL3_ADDRESS,
  type ReadCall,
  type ReadResult,
  type MulticallReadOptions,
  type MulticallProgress,
} from "./internal/multicall";
export * from "./actions/appeal";
export { DEFAULT_RECEIPT_TIMEOUT_MS } from "./internal/sequencer";
export * from "./actions/attachReview";
export * from "./actions/commitVote";
export * from "./actions/completeExit";
export * from "./actions/createPool";
export * from "./actions/deriveVoteSalt";
export * from "./actions/drawJury";
export * from "./actions/flag";
export * from "./actions/getClaim";
export * from "./actions/getJuryDuties";
export * from "./actions/getMemberStatement";
export * from "./actions/getPeriod";
export * from "./actions/getPermitDomain";
export * from "./actions/getPool";
export * from "./actions/getRound";
export * from "./actions/getUnderfundedMembers";
export * from "./actions/join";
export * from "./actions/joinWithPermit";
export * from "./actions/lapse";
export * from "./actions/lapseBatch";
export * from "./actions/requestExit";
export * from "./actions/resolve";
export * from "./actions/revealVote";
export * from "./actions/settle";
export * from "./actions/settleDue";
export * from "./actions/signAttestation";
export * from "./actions/submitClaim";
export * from "./actions/tally";
export * from "./actions/topUp";
export * from "./actions/waitForTransaction";
export * from "./actions/withdraw";
export * from "./actions/withdrawFees";
export * from "./actions/withdrawPayout";
export * from "./actions/cancelRecovery";
export * from "./actions/completeRecovery";
export * from "./actions/getRecovery";
export * from "./actions/requestRecovery";
export * from "./actions/setBeneficiary";
export * from "./actions/setRecoveryOptions";
export * from "./actions/signRecoveryAttestation";
export { audit, type AuditParameters, type AuditResult, type AuditCheck } from "./audit/audit";
export { fetchLogs, isRangeRefusal, type FetchLogsOptions, type FetchProgress } from "./audit/fetch";
export { createPoolEventDecoder, type DecodedEvent } from "./audit/decode";
export {
  PoolLedger,
  type AuditRules,
  type Discrepancy,
  type MemberLedger,
  type ClaimLedger,
  type PeriodLedger,
} from "./audit/rebuild";
export { auditMarkdown, auditJson, statementsCsv, memberStatement } from "./audit/report";
