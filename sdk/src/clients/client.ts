import type { Address } from "../core/types";
import type { Connector } from "./connector";

/** What every action receives: a connector and, optionally, the pool and factory it works on. */
export interface HuzhuClientConfig {
  connector: Connector;
  /** The pool the member actions act on (an action's own `pool` parameter wins). */
  pool?: Address;
  /** The factory `createPool` uses. */
  factory?: Address;
  /**
   * How long an action waits for its transaction's receipt before throwing
   * `TransactionTimeoutError` (the transaction may still be mined: `waitForTransaction` resumes).
   * Default 180,000 ms (3 minutes).
   */
  receiptTimeoutMs?: number;
  /** How often to poll for a receipt; default: the client library's polling interval. */
  pollingIntervalMs?: number;
}
