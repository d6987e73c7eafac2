/**
 * The rules file `huzhu pool create --rules <file>` reads: a pool's rules (and optionally its roles)
 * as JSON.
 *
 * - `asset`: the token's address.
 * - `randomness` (optional): an `IJuryRandomness` adapter; left out, jury seeds are future block hashes.
 * - Durations in seconds and counts (`waitingPeriod`, `periodLength`, `commitWindow`, `revealWindow`,
 *   `appealWindow`, `lapseGrace`, `maxClaimsPerPeriod`, `feeBps`, `jurySize`, `maxAppealRounds`,
 *   `quorumBps`, `approvalThresholdBps`): JSON numbers or decimal strings.
 * - Amounts (`minDeposit`, `minBalance`, `maxClaimAmount`, `capPerMember`, `claimBond`, `appealBond`,
 *   `jurorPenalty`, `annualChargeCap`, `maxPayoutPerMember`): a decimal string of base units
 *   (`"20000000"`) or, in token units, `{ "amount": "20", "decimals": 6 }`. `annualChargeCap` and
 *   `maxPayoutPerMember` may be left out (no cap, no limit).
 * - `roles` (optional): `{ "operator", "verifier", "assessor", "guardian" }`, each an address.
 *
 * @example
 * {
 *   "asset": "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 *   "waitingPeriod": 7776000, "periodLength": 1209600, "commitWindow": 259200, "revealWindow": 172800,
 *   "appealWindow": 172800, "lapseGrace": 1209600,
 *   "minDeposit": { "amount": "20", "decimals": 6 }, "minBalance": "11000000",
 *   "maxClaimsPerPeriod": 5, "feeBps": 800, "maxClaimAmount": { "amount": "300000", "decimals": 6 },
 *   "capPerMember": "100000", "jurySize": 3, "maxAppealRounds": 1, "quorumBps": 6667,
 *   "approvalThresholdBps": 6000, "claimBond": "5000000", "appealBond": "10000000", "jurorPenalty": "500000",
 *   "roles": { "operator": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" }
 * }
 */
import { readFileSync } from "node:fs";
import type { Roles, Rules } from "../core/types";
import { InvalidParameterError } from "../errors/base";
import { readRoles, readRules } from "./fields";

export interface RulesFile {
  rules: Rules;
  /** The roles the file names; the rest are for the caller to fill (the operator) or none. */
  roles: Partial<Roles>;
  /** The decimals the `{ amount, decimals }` fields declared (all must agree), to check against the token. */
  decimals?: number;
}

/** Reads a rules file's JSON text; `file` names it in errors. */
export function parseRulesFile(text: string, file = "rules file"): RulesFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidParameterError(file, `is not valid JSON (${(error as Error).message})`);
  }
  const { rules, decimals } = readRules(json, { file, path: "" }, ["roles"]);
  const object = json as Record<string, unknown>;
  const roles = object.roles === undefined ? {} : readRoles(object.roles, { file, path: "roles" });
  return { rules, roles, ...(decimals !== undefined ? { decimals } : {}) };
}

/**
 * Reads and validates a rules file. Throws {@link InvalidParameterError} naming the field and the
 * file for anything missing, unknown, malformed or out of its on-chain range.
 * @example
 * const { rules, roles } = readRulesFile("rules.json");
 * await createPool(client, { rules, roles: { ...roles, operator: roles.operator ?? me } });
 */
export function readRulesFile(path: string): RulesFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvalidParameterError("rules file", `cannot read ${path} (${code ?? (error as Error).message})`);
  }
  return parseRulesFile(text, path);
}
