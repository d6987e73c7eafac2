/**
 * Field readers for the JSON files the SDK and CLI read (deployments, rules). Each names the field
 * and the file in its error, so that a typo is found at once. No client library is imported here.
 */
import type { Address, Roles, Rules } from "../core/types";
import { parseAmount } from "../core/units";
import { InvalidParameterError } from "../errors/base";

/** Where a value came from, for error messages: the file and the path of the field in it. */
export interface FieldContext {
  file: string;
  path: string;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return `${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

export function fail(at: FieldContext, problem: string): never {
  if (!at.path) throw new InvalidParameterError(at.file, problem);
  throw new InvalidParameterError(at.path, `${problem} (in ${at.file})`);
}

function present(value: unknown, at: FieldContext): void {
  if (value === undefined) fail(at, "the field is missing");
}

export function field(at: FieldContext, key: string | number): FieldContext {
  return { file: at.file, path: typeof key === "number" ? `${at.path}[${key}]` : at.path ? `${at.path}.${key}` : key };
}

export function readObject(value: unknown, at: FieldContext): Record<string, unknown> {
  present(value, at);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    fail(at, `must be a JSON object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Refuses keys outside `allowed`: a misspelt optional field would otherwise be ignored in silence. */
export function onlyKeys(object: Record<string, unknown>, allowed: readonly string[], at: FieldContext): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) fail(field(at, key), `unknown field (expected one of ${allowed.join(", ")})`);
  }
}

export function readString(value: unknown, at: FieldContext): string {
  present(value, at);
  if (typeof value !== "string" || value.length === 0) fail(at, `must be a non-empty string, got ${describe(value)}`);
  return value;
}

export function readBoolean(value: unknown, at: FieldContext): boolean {
  present(value, at);
  if (typeof value !== "boolean") fail(at, `must be true or false, got ${describe(value)}`);
  return value;
}

export function readAddress(value: unknown, at: FieldContext): Address {
  present(value, at);
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(value)) {
    fail(at, `${describe(value)} is not an address (0x followed by 40 hex digits)`);
  }
  return value as Address;
}

/** A whole number up to `max`: a JSON number (a safe integer) or a decimal string. */
export function readInteger(value: unknown, at: FieldContext, max: bigint): bigint {
  present(value, at);
  let n: bigint;
  if (typeof value === "number" && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === "string" && /^\d+$/.test(value)) n = BigInt(value);
  else return fail(at, `must be a whole number (a JSON number or a decimal string), got ${describe(value)}`);
  if (n < 0n || n > max) fail(at, `${n} is out of range (0 to ${max})`);
  return n;
}

export const UINT16_MAX = 2n ** 16n - 1n;
export const UINT32_MAX = 2n ** 32n - 1n;
export const UINT96_MAX = 2n ** 96n - 1n;

/**
 * A token amount: a decimal string of base units (`"20000000"`), or `{ "amount": "20", "decimals": 6 }`
 * in token units. A bare JSON number is refused: it is unclear whether it counts base units or tokens.
 */
export function readAmount(value: unknown, at: FieldContext, max = UINT96_MAX): { value: bigint; decimals?: number } {
  present(value, at);
  let amount: bigint;
  let decimals: number | undefined;
  if (typeof value === "string" && /^\d+$/.test(value)) {
    amount = BigInt(value);
  } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    onlyKeys(object, ["amount", "decimals"], at);
    const d = object.decimals;
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0 || d > 36) {
      fail(field(at, "decimals"), `must be a whole number from 0 to 36, got ${describe(d)}`);
    }
    const text = object.amount;
    if (typeof text !== "string" && typeof text !== "number") {
      fail(field(at, "amount"), `must be a decimal string in token units, e.g. "20.5", got ${describe(text)}`);
    }
    try {
      amount = parseAmount(String(text), d, at.path);
    } catch {
      fail(field(at, "amount"), `"${String(text)}" is not a non-negative decimal with at most ${d} decimals`);
    }
    decimals = d;
  } else {
    fail(
      at,
      `must be a decimal string of base units (e.g. "20000000") or { "amount": "20", "decimals": 6 }, got ${describe(value)}`,
    );
  }
  if (amount > max) fail(at, `${amount} base units is out of range (at most ${max})`);
  return { value: amount, decimals };
}

const ZERO: Address = "0x0000000000000000000000000000000000000000";

/** The rules fields, by kind. */
export const RULE_AMOUNTS = [
  "minDeposit",
  "minBalance",
  "maxClaimAmount",
  "capPerMember",
  "claimBond",
  "appealBond",
  "jurorPenalty",
  "annualChargeCap",
  "maxPayoutPerMember",
] as const;
/** Amounts that may be left out of a rules file: 0, no cap or no limit. */
const OPTIONAL_AMOUNTS: readonly string[] = ["annualChargeCap", "maxPayoutPerMember"];
export const RULE_UINT32 = [
  "waitingPeriod",
  "periodLength",
  "commitWindow",
  "revealWindow",
  "appealWindow",
  "lapseGrace",
] as const;
export const RULE_UINT16 = ["maxClaimsPerPeriod", "feeBps", "quorumBps", "approvalThresholdBps"] as const;
export const RULE_UINT8 = ["jurySize", "maxAppealRounds"] as const;
export const RULE_KEYS = [
  "asset",
  "randomness",
  ...RULE_UINT32,
  ...RULE_UINT16,
  ...RULE_UINT8,
  ...RULE_AMOUNTS,
] as const;
export const ROLE_KEYS = ["operator", "verifier", "assessor", "guardian"] as const;

/**
 * Reads a rules object. Every field is required except `randomness` (the zero address: block
 * hashes), `annualChargeCap` (0, no cap) and `maxPayoutPerMember` (0, no limit). Returns the
 * decimals the `{ amount, decimals }` fields declared, so that a caller can check them against the token.
 */
export function readRules(
  value: unknown,
  at: FieldContext,
  extraKeys: readonly string[] = [],
): { rules: Rules; decimals?: number } {
  const object = readObject(value, at);
  onlyKeys(object, [...RULE_KEYS, ...extraKeys], at);
  const partial: Record<string, unknown> = {
    asset: readAddress(object.asset, field(at, "asset")),
    randomness: object.randomness === undefined ? ZERO : readAddress(object.randomness, field(at, "randomness")),
  };
  for (const key of RULE_UINT32) partial[key] = Number(readInteger(object[key], field(at, key), UINT32_MAX));
  for (const key of RULE_UINT16) partial[key] = Number(readInteger(object[key], field(at, key), UINT16_MAX));
  for (const key of RULE_UINT8) partial[key] = Number(readInteger(object[key], field(at, key), 255n));
  let decimals: number | undefined;
  let decimalsFrom = "";
  for (const key of RULE_AMOUNTS) {
    if (OPTIONAL_AMOUNTS.includes(key) && object[key] === undefined) {
      partial[key] = 0n;
      continue;
    }
    const amount = readAmount(object[key], field(at, key));
    if (amount.decimals !== undefined) {
      if (decimals !== undefined && amount.decimals !== decimals) {
        fail(
          field(field(at, key), "decimals"),
          `is ${amount.decimals} but ${decimalsFrom} says ${decimals}: one pool has one token`,
        );
      }
      decimals = amount.decimals;
      decimalsFrom = field(at, key).path;
    }
    partial[key] = amount.value;
  }
  return { rules: partial as unknown as Rules, decimals };
}

/** Reads a roles object; a missing role is none (the zero address), except where `required` says otherwise. */
export function readRoles(value: unknown, at: FieldContext): Partial<Roles> {
  const object = readObject(value, at);
  onlyKeys(object, ROLE_KEYS, at);
  const roles: Partial<Roles> = {};
  for (const key of ROLE_KEYS) {
    if (object[key] !== undefined) roles[key] = readAddress(object[key], field(at, key));
  }
  return roles;
}

/** Fills the roles a pool does not use with the zero address. */
export function fullRoles(roles: Partial<Roles> & Pick<Roles, "operator">): Roles {
  return {
    operator: roles.operator,
    verifier: roles.verifier ?? ZERO,
    assessor: roles.assessor ?? ZERO,
    guardian: roles.guardian ?? ZERO,
  };
}

/** Rules as JSON: amounts as decimal strings of base units, durations and counts as numbers. */
export function rulesToJson(rules: Rules): Record<string, string | number> {
  const json: Record<string, string | number> = { asset: rules.asset, randomness: rules.randomness ?? ZERO };
  for (const key of RULE_UINT32) json[key] = Number(rules[key]);
  for (const key of RULE_UINT16) json[key] = Number(rules[key]);
  for (const key of RULE_UINT8) json[key] = Number(rules[key]);
  for (const key of RULE_AMOUNTS) json[key] = BigInt(rules[key]).toString();
  return json;
}
