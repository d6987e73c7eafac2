import type { Address } from "../core/types";
import type { Connector } from "./connector";

/** What every action receives: a connector and, optionally, the pool and factory it works on. */
export interface HuzhuClientConfig {
  connector: Connector;
  /** The pool the member actions act on (an action's own `pool` parameter wins). */
  pool?: Address;
  /** The factory `createPool` uses. */
  factory?: Address;
}
