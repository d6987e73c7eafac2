import {
  decodeAbiParameters,
  decodeFunctionResult,
  encodeAbiParameters,
  encodeFunctionData,
  toFunctionSelector,
  type Abi,
  type AbiFunction,
  type AbiParameter,
} from "viem";
import { keccak256 } from "js-sha3";
import type { Hex } from "../core/types";

/**
 * A fast path for the ABI encodings the auditor makes by the ten thousand: calls, results and event
 * fields made only of static words (uint, int, bool, address, bytesN, and tuples of them), read and
 * written word by word. Values come out exactly as viem's decoders give them (uint/int of up to 48
 * bits as numbers, checksummed addresses, named tuples as objects); anything else (strings, bytes,
 * arrays) goes to viem's own `encodeAbiParameters` / `decodeAbiParameters`. It exists because
 * viem's general decoder costs about 40 µs a call: 0.8 s for the 20,000 views of a 10,000-member
 * audit, more than the node takes to answer them.
 */

type Param = AbiParameter & { components?: readonly AbiParameter[] };

/** Words a static parameter takes, or undefined when it is dynamic (or a type this path leaves to viem). */
function staticWords(p: Param): number | undefined {
  if (p.type === "tuple") {
    let words = 0;
    for (const c of p.components ?? []) {
      const w = staticWords(c as Param);
      if (w === undefined) return undefined;
      words += w;
    }
    return words;
  }
  return /^(u?int\d*|bool|address|bytes([1-9]|[12]\d|3[0-2]))$/.test(p.type) ? 1 : undefined;
}

function allStatic(params: readonly AbiParameter[]): boolean {
  return params.every((p) => staticWords(p as Param) !== undefined);
}

const TWO_256 = 1n << 256n;

/**
 * Checksummed addresses (EIP-55) by their lower-case hex, shared by every decoder: the auditor meets
 * each member's address in its join, its juror seat and its views, and hashing is the dearest step.
 * Bounded: cleared when it holds a million.
 */
const checksums = new Map<string, Hex>();

/** EIP-55 checksum of a 40-digit hex address (js-sha3's Keccak: 3 to 4 times faster than viem's on 40 bytes). */
export function checksumAddress(address: string): Hex {
  const hex = address.slice(2).toLowerCase();
  let out = checksums.get(hex);
  if (out === undefined) {
    const hash = keccak256(hex);
    const upper = hex.toUpperCase();
    const chars = new Array<string>(40);
    for (let i = 0; i < 40; i++) chars[i] = hash.charCodeAt(i) >= 56 /* "8" */ ? upper[i] : hex[i];
    out = `0x${chars.join("")}` as Hex;
    if (checksums.size >= 1_000_000) checksums.clear();
    checksums.set(hex, out);
  }
  return out;
}

/** `text` with every address in it (0x and 40 hex digits) checksummed: how lower-case records are printed. */
export function checksumAddressesIn(text: string): string {
  return text.replace(/0x[0-9a-fA-F]{40}(?![0-9a-fA-F])/g, (address) => checksumAddress(address));
}

/** Forgets the checksums computed so far (for a benchmark that must pay them on every pass). */
export function clearChecksumCache(): void {
  checksums.clear();
}

type WordDecoder = (word: string) => unknown;

/** How addresses come out: checksummed (EIP-55, as viem gives them) or lower-case (no hashing). */
export interface DecodeOptions {
  /** Default true. */
  checksum?: boolean;
}

/** The decoder of one static word of type `type`, chosen once. */
function wordDecoder(type: string, options: DecodeOptions): WordDecoder {
  if (type === "address")
    return options.checksum === false
      ? (word) => `0x${word.slice(24).toLowerCase()}`
      : (word) => checksumAddress(`0x${word.slice(24)}`);
  if (type === "bool") return (word) => /[^0]/.test(word);
  const integer = /^(u?)int(\d*)$/.exec(type);
  if (integer) {
    const signed = integer[1] === "";
    const bits = Number(integer[2] || 256);
    return (word) => {
      let v = BigInt(`0x${word}`);
      if (signed && v >= TWO_256 >> 1n) v -= TWO_256;
      return bits <= 48 ? Number(v) : v;
    };
  }
  // bytesN: the first N bytes of the word.
  const size = Number(type.slice(5)) * 2;
  return (word) => `0x${word.slice(0, size)}`;
}

/** Reads one static parameter at a fixed word of `hex` (no 0x). */
type Reader = (hex: string) => unknown;

/** The reader of a static parameter starting at word `at`, and the words it takes. */
function reader(p: Param, at: number, options: DecodeOptions): [Reader, number] {
  if (p.type !== "tuple") {
    const decode = wordDecoder(p.type, options);
    const start = at * 64;
    return [(hex) => decode(hex.slice(start, start + 64)), 1];
  }
  const components = p.components ?? [];
  const readers: Reader[] = [];
  let words = 0;
  for (const c of components) {
    const [read, n] = reader(c as Param, at + words, options);
    readers.push(read);
    words += n;
  }
  // viem gives a tuple whose components all have names as an object, else as an array.
  if (components.length > 0 && components.every((c) => c.name)) {
    const names = components.map((c) => c.name!);
    return [
      (hex) => {
        const out: Record<string, unknown> = {};
        for (let i = 0; i < readers.length; i++) out[names[i]] = readers[i](hex);
        return out;
      },
      words,
    ];
  }
  return [(hex) => readers.map((read) => read(hex)), words];
}

/** `value` of parameter `p` with its addresses in lower case (viem's decoder checksums them). */
function lowerAddresses(p: Param, value: unknown): unknown {
  if (p.type === "address") return (value as string).toLowerCase();
  if (p.type.endsWith("]")) {
    const inner = { ...p, type: p.type.replace(/\[\d*\]$/, "") } as Param;
    return (value as unknown[]).map((v) => lowerAddresses(inner, v));
  }
  if (p.type === "tuple") {
    const components = (p.components ?? []) as Param[];
    if (Array.isArray(value)) return value.map((v, i) => lowerAddresses(components[i], v));
    const record = value as Record<string, unknown>;
    return Object.fromEntries(components.map((c) => [c.name!, lowerAddresses(c, record[c.name!])]));
  }
  return value;
}

/** A decoder for `params`, built once: word by word when every parameter is static, else viem's. */
export function compileParameters(
  params: readonly AbiParameter[],
  options: DecodeOptions = {},
): (data: Hex) => readonly unknown[] {
  if (!allStatic(params)) {
    if (options.checksum !== false) return (data) => decodeAbiParameters(params, data);
    return (data) => {
      const values = decodeAbiParameters(params, data);
      return params.map((p, i) => lowerAddresses(p as Param, values[i]));
    };
  }
  const readers: Reader[] = [];
  let words = 0;
  for (const p of params) {
    const [read, n] = reader(p as Param, words, options);
    readers.push(read);
    words += n;
  }
  return (data) => {
    // Too short: let viem throw its error.
    if (data.length < 2 + words * 64) return decodeAbiParameters(params, data);
    const hex = data.slice(2);
    const values = new Array<unknown>(readers.length);
    for (let i = 0; i < readers.length; i++) values[i] = readers[i](hex);
    return values;
  };
}

const compiled = new WeakMap<readonly AbiParameter[], (data: Hex) => readonly unknown[]>();

/** `decodeAbiParameters(params, data)`, word by word when every parameter is static (decoder cached per array). */
export function decodeParameters(params: readonly AbiParameter[], data: Hex): readonly unknown[] {
  let decode = compiled.get(params);
  if (!decode) compiled.set(params, (decode = compileParameters(params)));
  return decode(data);
}

function encodeWord(p: Param, value: unknown): string {
  const t = p.type;
  if (t === "address") return (value as string).slice(2).toLowerCase().padStart(64, "0");
  if (t === "bool") return (value ? "1" : "0").padStart(64, "0");
  if (t.startsWith("uint") || t.startsWith("int")) {
    let v = BigInt(value as bigint | number);
    if (v < 0n) v += TWO_256;
    return v.toString(16).padStart(64, "0");
  }
  return (value as string).slice(2).padEnd(64, "0");
}

function encodeStatic(params: readonly AbiParameter[], values: readonly unknown[]): string {
  let out = "";
  params.forEach((param, i) => {
    const p = param as Param;
    const value = values[i];
    if (p.type === "tuple") {
      const components = p.components ?? [];
      const inner = Array.isArray(value) ? value : components.map((c) => (value as Record<string, unknown>)[c.name!]);
      out += encodeStatic(components, inner);
    } else out += encodeWord(p, value);
  });
  return out;
}

interface FunctionCodec {
  selector: string;
  item: AbiFunction;
  inputsStatic: boolean;
  /** More than one function has this name: viem picks by the arguments. */
  overloaded: boolean;
}

const codecs = new WeakMap<Abi, Map<string, FunctionCodec>>();

/** The function named `functionName` of `abi` (the first with that name), with its selector, cached per ABI. */
function codecOf(abi: Abi, functionName: string): FunctionCodec {
  let byName = codecs.get(abi);
  if (!byName) codecs.set(abi, (byName = new Map()));
  let codec = byName.get(functionName);
  if (!codec) {
    const items = abi.filter((i) => i.type === "function" && i.name === functionName) as AbiFunction[];
    if (items.length === 0) throw new Error(`Function "${functionName}" not found on the ABI.`);
    const item = items[0];
    codec = {
      selector: toFunctionSelector(item),
      item,
      inputsStatic: allStatic(item.inputs),
      overloaded: items.length > 1,
    };
    byName.set(functionName, codec);
  }
  return codec;
}

/** `encodeFunctionData({ abi, functionName, args })`. */
export function encodeCall(abi: Abi, functionName: string, args: readonly unknown[]): Hex {
  const { selector, item, inputsStatic, overloaded } = codecOf(abi, functionName);
  if (overloaded) return encodeFunctionData({ abi, functionName, args } as never);
  const body = inputsStatic
    ? encodeStatic(item.inputs, args)
    : encodeAbiParameters(item.inputs, args as never).slice(2);
  return `${selector}${body}` as Hex;
}

/** `decodeFunctionResult({ abi, functionName, data })`: one output as itself, several as an array. */
export function decodeResult(abi: Abi, functionName: string, args: readonly unknown[], data: Hex): unknown {
  const { item, overloaded } = codecOf(abi, functionName);
  if (overloaded) return decodeFunctionResult({ abi, functionName, args, data } as never);
  if (item.outputs.length === 0) return undefined;
  const values = decodeParameters(item.outputs, data);
  return item.outputs.length === 1 ? values[0] : values;
}

/** Multicall3's `aggregate3(Call3[])` calldata, for calls with their encoded data. */
export function encodeAggregate3(calls: ReadonlyArray<{ target: string; allowFailure: boolean; callData: Hex }>): Hex {
  const word = (n: number) => n.toString(16).padStart(64, "0");
  const heads: string[] = [];
  const tails: string[] = [];
  let offset = calls.length * 32;
  for (const c of calls) {
    heads.push(word(offset));
    const bytes = c.callData.slice(2);
    const padded = bytes.padEnd(Math.ceil(bytes.length / 64) * 64, "0");
    tails.push(
      c.target.slice(2).toLowerCase().padStart(64, "0") +
        word(c.allowFailure ? 1 : 0) +
        word(0x60) +
        word(bytes.length / 2) +
        padded,
    );
    offset += 32 * 4 + padded.length / 2;
  }
  return `0x82ad56cb${word(0x20)}${word(calls.length)}${heads.join("")}${tails.join("")}` as Hex;
}

/** Multicall3's `aggregate3` answer: each call's success and return data. Throws on a malformed answer. */
export function decodeAggregate3(data: Hex): Array<{ success: boolean; returnData: Hex }> {
  const hex = data.slice(2);
  const at = (byte: number) => {
    if (byte * 2 + 64 > hex.length) throw new Error("aggregate3: answer too short");
    return Number.parseInt(hex.slice(byte * 2, byte * 2 + 64), 16);
  };
  const array = at(0);
  const length = at(array);
  const base = array + 32;
  const out: Array<{ success: boolean; returnData: Hex }> = [];
  for (let i = 0; i < length; i++) {
    const tuple = base + at(base + i * 32);
    const success = at(tuple) !== 0;
    const bytesAt = tuple + at(tuple + 32);
    const size = at(bytesAt);
    if ((bytesAt + 32 + size) * 2 > hex.length) throw new Error("aggregate3: answer too short");
    out.push({ success, returnData: `0x${hex.slice((bytesAt + 32) * 2, (bytesAt + 32 + size) * 2)}` as Hex });
  }
  return out;
}
