/**
 * Errors raised by the pool's TOKEN (the ERC-20 stablecoin), not by Huzhu's contracts. Huzhu's
 * contracts revert only with custom errors, so an `Error(string)` revert seen through a pool call
 * comes from the token (FiatToken/USDC, OpenZeppelin 4.x tokens, DAI...). A `Panic(uint256)` can come
 * from either (solmate-style tokens underflow on a short allowance or balance).
 */
import type { Address, Hex } from "../core/types";
import { HuzhuError } from "./base";

/** What a token's refusal is about, read from its reason or from its views. */
export type TokenProblem = "allowance" | "balance" | "blacklisted" | "paused" | "permit" | "other";

const HINTS: Record<TokenProblem, string> = {
  allowance: "The pool is not approved to move enough of the sender's tokens: approve it first.",
  balance: "The sender does not hold enough tokens.",
  blacklisted:
    "The token's issuer has blacklisted the pool or this address: no transfer to or from it goes through until the issuer lifts it.",
  paused: "The token's issuer has paused the token: no transfer goes through until it is unpaused.",
  permit: "The token refused the permit signature.",
  other: "The token refused the transfer.",
};

/** Reads what a token's revert string is about (FiatToken, OpenZeppelin 4.x, DAI, USDT wording). */
export function tokenProblemOf(reason: string): TokenProblem {
  if (/allowance/i.test(reason)) return "allowance";
  if (/black ?list|frozen|freeze|blocked|denylist|sanction/i.test(reason)) return "blacklisted";
  if (/paused/i.test(reason)) return "paused";
  if (/balance/i.test(reason)) return "balance";
  if (/permit|signature|EIP2612/i.test(reason)) return "permit";
  return "other";
}

/**
 * The token reverted: with a reason string (`Error(string)`), with one of the token custom errors the
 * SDK knows (Solady's `InsufficientAllowance()`, ...), or, when a view told the SDK why before it sent
 * anything, with the reason the view gave. `reason` is the token's own text, never hex.
 */
export class TokenRevertedError extends HuzhuError {
  override name: string = "TokenRevertedError";
  /** The token's reason, e.g. `"Blacklistable: account is blacklisted"` or `"InsufficientAllowance()"`. */
  readonly reason: string;
  /** What the refusal is about. */
  readonly problem: TokenProblem;
  /** The token, when the SDK knows which one reverted. */
  readonly token?: Address;
  /** The raw revert data, when there was any. */
  readonly data?: Hex;

  constructor(
    reason: string,
    options: { problem?: TokenProblem; token?: Address; data?: Hex; cause?: unknown; details?: string } = {},
  ) {
    const problem = options.problem ?? tokenProblemOf(reason);
    super(HINTS[problem], { details: options.details ?? `the token reverted: "${reason}"`, cause: options.cause });
    this.reason = reason;
    this.problem = problem;
    this.token = options.token;
    this.data = options.data;
  }
}

/** The token's issuer has blacklisted (frozen) the pool or a member: transfers to or from it fail. */
export class TokenBlacklistedError extends TokenRevertedError {
  override name = "TokenBlacklistedError";
  /** The blacklisted account, when a view named it. */
  readonly account?: Address;
  constructor(reason: string, options: { account?: Address; token?: Address; data?: Hex; cause?: unknown } = {}) {
    super(reason, {
      ...options,
      problem: "blacklisted",
      details: options.account
        ? `${options.account} is blacklisted by the token ${options.token ?? ""}`.trim()
        : undefined,
    });
    this.account = options.account;
  }
}

/** The token's issuer has paused the token: every transfer fails until it is unpaused. */
export class TokenPausedError extends TokenRevertedError {
  override name = "TokenPausedError";
  constructor(reason: string, options: { token?: Address; data?: Hex; cause?: unknown } = {}) {
    super(reason, { ...options, problem: "paused" });
  }
}

/** The sender does not hold the tokens the action moves. */
export class TokenBalanceTooLowError extends TokenRevertedError {
  override name = "TokenBalanceTooLowError";
  readonly account?: Address;
  readonly balance?: bigint;
  readonly needed?: bigint;
  constructor(
    reason: string,
    options: {
      account?: Address;
      balance?: bigint;
      needed?: bigint;
      token?: Address;
      data?: Hex;
      cause?: unknown;
    } = {},
  ) {
    super(reason, {
      ...options,
      problem: "balance",
      details:
        options.balance !== undefined
          ? `${options.account} holds ${options.balance} base units of the token; the action moves ${options.needed}`
          : undefined,
    });
    this.account = options.account;
    this.balance = options.balance;
    this.needed = options.needed;
  }
}

/** The token reverted for lack of allowance. */
export class TokenAllowanceError extends TokenRevertedError {
  override name = "TokenAllowanceError";
  constructor(reason: string, options: { token?: Address; data?: Hex; cause?: unknown } = {}) {
    super(reason, { ...options, problem: "allowance" });
  }
}

/** The typed error for a token's revert reason: the subclass for its problem, else {@link TokenRevertedError}. */
export function tokenError(
  reason: string,
  options: { token?: Address; data?: Hex; cause?: unknown } = {},
): TokenRevertedError {
  switch (tokenProblemOf(reason)) {
    case "blacklisted":
      return new TokenBlacklistedError(reason, options);
    case "paused":
      return new TokenPausedError(reason, options);
    case "balance":
      return new TokenBalanceTooLowError(reason, options);
    case "allowance":
      return new TokenAllowanceError(reason, options);
    default:
      return new TokenRevertedError(reason, options);
  }
}

const PANICS: Record<number, string> = {
  0x01: "an assertion failed",
  0x11: "an arithmetic operation overflowed or underflowed",
  0x12: "a division or modulo by zero",
  0x21: "a value out of an enum's range",
  0x22: "a badly encoded storage byte array",
  0x31: "a pop from an empty array",
  0x32: "an array index out of bounds",
  0x41: "too much memory allocated",
  0x51: "a call to an uninitialized function",
};

/**
 * A contract (the pool or its token) stopped with a Solidity `Panic(uint256)`. Tokens built on
 * solmate or Solady-style unchecked math panic with code `0x11` on a short allowance or balance.
 */
export class PanicError extends HuzhuError {
  override name = "PanicError";
  readonly code: bigint;
  /** What the code means, e.g. "an arithmetic operation overflowed or underflowed". */
  readonly reason: string;
  constructor(code: bigint, cause?: unknown) {
    const reason = PANICS[Number(code)] ?? "an unknown panic";
    super(`A contract (the pool or its token) stopped on ${reason}.`, {
      details: `Panic(0x${code.toString(16).padStart(2, "0")})`,
      cause,
    });
    this.code = code;
    this.reason = reason;
  }
}

/**
 * `joinWithPermit` found no EIP-712 domain for the token's permit: neither EIP-5267
 * `eip712Domain()` nor `name()`/`version()` with the chain id hash to the token's
 * `DOMAIN_SEPARATOR()`. Pass the domain yourself (`permitDomain`), or approve and `join`.
 */
export class PermitDomainError extends HuzhuError {
  override name = "PermitDomainError";
  readonly token: Address;
  /** The domains tried, as `name/version`. */
  readonly tried: readonly string[];
  constructor(token: Address, tried: readonly string[], problem: string) {
    super(
      `Cannot sign a permit for the token ${token}: ${problem}. Pass its EIP-712 domain (permitDomain), or approve and join.`,
      { details: tried.length > 0 ? `tried ${tried.join(", ")}` : undefined },
    );
    this.token = token;
    this.tried = tried;
  }
}
