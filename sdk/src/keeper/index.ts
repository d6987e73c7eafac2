export {
  createKeeper,
  type Keeper,
  type KeeperHealth,
  type KeeperOptions,
  type KeeperLogger,
  type WatchedPool,
} from "./keeper";
export { runKeeper, type RunKeeperOptions, type RunningKeeper } from "./run";
export { serveKeeper, type KeeperServer } from "./server";
export { createKeeperMetrics, DUTY_KINDS, type DutyKind, type DutyOutcome, type KeeperMetrics } from "./metrics";
export { PoolState, decodePoolLogs, type ClaimEntry, type MemberEntry, type KeeperEvent } from "./state";
