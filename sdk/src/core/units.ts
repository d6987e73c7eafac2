import { InvalidAddressError, InvalidAmountError, InvalidParameterError } from "../errors/base";
import type { Address } from "./types";

/**
 * Reads a decimal token amount into base units: `parseAmount("1.5", 6) === 1_500_000n`.
 * Throws {@link InvalidAmountError} for anything but a non-negative decimal with at most `decimals` places.
 */
export function parseAmount(value: string, decimals: number, parameter = "amount"): bigint {
  const text = value.trim();
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new InvalidAmountError(parameter, value, "is not a non-negative decimal number");
  const [, whole, fraction = ""] = match;
  if (fraction.length > decimals) {
    throw new InvalidAmountError(parameter, value, `has more than the token's ${decimals} decimals`);
  }
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
}

/** Writes base units as a decimal token amount: `formatAmount(1_500_000n, 6) === "1.5"`. */
export function formatAmount(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const unit = 10n ** BigInt(decimals);
  const whole = abs / unit;
  const fraction = (abs % unit).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** Checks a base-unit amount: a bigint, at least `min` (1 by default). */
export function checkAmount(value: bigint, parameter = "amount", min = 1n): bigint {
  if (typeof value !== "bigint")
    throw new InvalidAmountError(parameter, String(value), "is not a bigint of base units");
  if (value < min) throw new InvalidAmountError(parameter, value.toString(), `is below ${min}`);
  return value;
}

/** Checks an address: 0x and 40 hex digits (any case). */
export function checkAddress(value: string, parameter = "address"): Address {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(value))
    throw new InvalidAddressError(parameter, String(value));
  return value as Address;
}

/** Checks a 32-byte hex value (a commitment, a digest, a salt). */
export function checkBytes32(value: string, parameter: string): `0x${string}` {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) {
    throw new InvalidParameterError(parameter, `"${String(value)}" is not 32 bytes of hex (0x and 64 hex digits)`);
  }
  return value as `0x${string}`;
}
