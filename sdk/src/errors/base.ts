/**
 * The SDK's errors. Every error is a {@link HuzhuError} with a one-line `shortMessage`, optional
 * `details`, and the underlying `cause`. Contract reverts become a subclass of
 * {@link ContractRevertError} named after the Solidity error, with its arguments as fields.
 */

export interface HuzhuErrorOptions {
  details?: string;
  cause?: unknown;
}

/** Base class of every error the SDK throws. */
export class HuzhuError extends Error {
  override name: string = "HuzhuError";
  /** One plain line, fit for a terminal or a toast. */
  readonly shortMessage: string;
  readonly details?: string;

  constructor(shortMessage: string, options: HuzhuErrorOptions = {}) {
    super(options.details ? `${shortMessage}\n\nDetails: ${options.details}` : shortMessage, { cause: options.cause });
    this.shortMessage = shortMessage;
    this.details = options.details;
  }
}

function show(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  return String(value);
}

/** A transaction or call reverted with one of the contracts' custom errors. */
export class ContractRevertError extends HuzhuError {
  override name: string = "ContractRevertError";
  /** The Solidity error's name, e.g. `MemberDepositTooLow`. */
  readonly errorName: string;
  /** The error's arguments by name. */
  readonly args: Readonly<Record<string, unknown>>;

  constructor(errorName: string, notice: string, args: Record<string, unknown>, cause?: unknown) {
    const shown = Object.entries(args)
      .map(([k, v]) => `${k}=${show(v)}`)
      .join(", ");
    super(notice, { details: `${errorName}(${shown})`, cause });
    this.errorName = errorName;
    this.args = args;
  }
}

/** A revert whose data matches none of the known errors (or carries none). */
export class UnknownRevertError extends HuzhuError {
  override name = "UnknownRevertError";
  readonly data?: string;
  constructor(data: string | undefined, cause?: unknown) {
    super("The transaction reverted for a reason the SDK does not know.", {
      details: data ? `data ${data}` : undefined,
      cause,
    });
    this.data = data;
  }
}

/** A parameter is invalid: caught before anything is sent. */
export class InvalidParameterError extends HuzhuError {
  override name = "InvalidParameterError";
  readonly parameter: string;
  constructor(parameter: string, problem: string) {
    super(`Invalid ${parameter}: ${problem}.`);
    this.parameter = parameter;
  }
}

/** An address is not a 20-byte hex address. */
export class InvalidAddressError extends InvalidParameterError {
  override name = "InvalidAddressError";
  readonly value: string;
  constructor(parameter: string, value: string) {
    super(parameter, `"${value}" is not an address (0x followed by 40 hex digits)`);
    this.value = value;
  }
}

/** An amount cannot be read, is negative, or has more decimals than the token. */
export class InvalidAmountError extends InvalidParameterError {
  override name = "InvalidAmountError";
  readonly value: string;
  constructor(parameter: string, value: string, problem: string) {
    super(parameter, `"${value}" ${problem}`);
    this.value = value;
  }
}

/** The action sends a transaction, but the client has no account to send it from. */
export class MissingAccountError extends HuzhuError {
  override name = "MissingAccountError";
  constructor() {
    super("This action sends a transaction: connect a wallet or a signer with an account.");
  }
}

/** The action needs a pool or factory address that was not given and is not in the deployments file. */
export class MissingAddressError extends HuzhuError {
  override name = "MissingAddressError";
  constructor(what: "pool" | "factory") {
    super(`No ${what} address: pass one, or load a deployments file that records it.`);
  }
}

/** No deployments file for the network. */
export class UnknownNetworkError extends HuzhuError {
  override name = "UnknownNetworkError";
  readonly network: string;
  constructor(network: string, details?: string) {
    super(`Unknown network "${network}": no deployments/${network}.json.`, { details });
    this.network = network;
  }
}

/** A transaction was mined but reverted. */
export class TransactionFailedError extends HuzhuError {
  override name = "TransactionFailedError";
  readonly hash: string;
  constructor(hash: string) {
    super(`The transaction ${hash} was mined but failed.`);
    this.hash = hash;
  }
}
