import type { Command } from "commander";
import { formatAmount } from "../core/units";
import { HuzhuError, InvalidParameterError } from "../errors/base";
import type { TxReceipt } from "../clients/connector";
import { Session, type GlobalOptions } from "./session";

/** JSON with bigints as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/** Prints a command's result: `data` as JSON with `--json`, else the human lines. */
export function print(session: Session, data: unknown, lines: Array<string | false | undefined>): void {
  if (session.json) process.stdout.write(`${toJson(data)}\n`);
  else process.stdout.write(`${lines.filter((l): l is string => typeof l === "string").join("\n")}\n`);
}

/** A transaction's summary, for the JSON of write commands. */
export function txOf(receipt: TxReceipt): { hash: string; block: bigint; gasUsed: bigint } {
  return { hash: receipt.hash, block: receipt.blockNumber, gasUsed: receipt.gasUsed };
}

export function txLine(receipt: TxReceipt): string {
  return `tx ${receipt.hash} (block ${receipt.blockNumber}, gas ${receipt.gasUsed})`;
}

/** An amount with its symbol: `20.5 USDC`. */
export function money(value: bigint, token: { symbol: string; decimals: number }): string {
  return `${formatAmount(value, token.decimals)} ${token.symbol}`;
}

/** A duration in seconds, readably: `90d`, `3d 12h`, `45s`. */
export function duration(seconds: number | bigint): string {
  let s = Number(seconds);
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3_600],
    ["m", 60],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return parts.join(" ");
}

/** A unix time as an ISO date (UTC). */
export function date(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

/** Reads a whole number argument (a claim id, a period). */
export function parseWhole(text: string, what: string): bigint {
  if (!/^\d+$/.test(text)) throw new InvalidParameterError(what, `"${text}" is not a whole number`);
  return BigInt(text);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join("[redacted]");
  return out;
}

/** The one line an error is shown as: a HuzhuError's (or a client library's) short message, never a stack. */
export function shortMessageOf(error: unknown): string {
  if (error instanceof HuzhuError) return oneLine(error.shortMessage);
  const short = (error as { shortMessage?: unknown } | null)?.shortMessage;
  // ethers wraps a node's error it cannot classify as "could not coalesce error": the node's own words are clearer.
  const rpc = (error as { error?: { message?: unknown } } | null)?.error?.message;
  if (short === "could not coalesce error" && typeof rpc === "string") return oneLine(rpc);
  if (typeof short === "string") return oneLine(short);
  if (error instanceof Error) return oneLine(error.message.split("\n")[0]);
  return oneLine(String(error));
}

/** Prints `error: <short message>` (and with `--verbose` the details and causes) on stderr; sets exit code 1. */
export function reportError(error: unknown, verbose: boolean, secrets: string[]): void {
  const lines = [`error: ${shortMessageOf(error)}`];
  if (verbose) {
    const seen = new Set<unknown>();
    let e: unknown = error;
    while (e !== null && typeof e === "object" && !seen.has(e)) {
      seen.add(e);
      const details = (e as { details?: unknown }).details;
      if (typeof details === "string" && details) lines.push(`  details: ${oneLine(details)}`);
      const cause = (e as { cause?: unknown }).cause;
      if (cause !== null && typeof cause === "object" && !seen.has(cause)) {
        lines.push(`  cause: ${shortMessageOf(cause)}`);
      }
      e = cause;
    }
  }
  process.stderr.write(`${redact(lines.join("\n"), secrets)}\n`);
  process.exitCode = 1;
}

/**
 * Wraps a command's action: builds the session from the global options, runs the action, prints any
 * error as one line, and closes the provider. `fn` gets the positional arguments and the options.
 */
export function handle<A extends unknown[]>(fn: (session: Session, ...args: A) => Promise<void>) {
  return async (...args: unknown[]): Promise<void> => {
    const command = args[args.length - 1] as Command;
    const options = command.optsWithGlobals() as GlobalOptions;
    const session = new Session(options);
    try {
      await fn(session, ...(args.slice(0, -1) as A));
    } catch (error) {
      reportError(error, options.verbose === true, session.secrets());
    } finally {
      session.close();
    }
  };
}
