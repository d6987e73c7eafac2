/**
 * Reads and rewrites contract storage behind the contracts' back, at the slots the compiler laid
 * out: the storage layout comes from the compiler itself (the build info's input, asked again for
 * `storageLayout` only, which skips code generation), so no slot number is guessed.
 */
import { AbiCoder, keccak256, toBeHex, zeroPadValue } from "ethers";
import type { Artifacts } from "hardhat/types";
import { quantity, type Rpc } from "./scenario";

interface StorageItem {
  label: string;
  slot: string;
  offset: number;
  type: string;
}
interface StorageLayout {
  storage: StorageItem[];
  types: Record<string, { numberOfBytes: string; members?: StorageItem[] }>;
}

/** A field's place: its slot (from the base slot of its variable or struct), byte offset and width. */
export interface Field {
  slot: bigint;
  offset: number;
  bytes: number;
}

const cache = new Map<string, Promise<StorageLayout>>();

/** The compiler's storage layout of a contract, e.g. `contracts/HuzhuPool.sol:HuzhuPool`. */
export function storageLayout(artifacts: Artifacts, fullyQualifiedName: string): Promise<StorageLayout> {
  let layout = cache.get(fullyQualifiedName);
  if (!layout) {
    layout = (async () => {
      const [source, name] = fullyQualifiedName.split(":");
      const build = await artifacts.getBuildInfo(fullyQualifiedName);
      if (!build) throw new Error(`no build info for ${fullyQualifiedName}: compile first`);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const solc = require("solc");
      if (!String(solc.version()).startsWith(build.solcVersion))
        throw new Error(`the build used solc ${build.solcVersion}, the npm package is ${solc.version()}`);
      const input = {
        ...build.input,
        settings: { ...build.input.settings, outputSelection: { [source]: { [name]: ["storageLayout"] } } },
      };
      const output = JSON.parse(solc.compile(JSON.stringify(input)));
      const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === "error");
      if (errors.length > 0) throw new Error(JSON.stringify(errors));
      return output.contracts[source][name].storageLayout as StorageLayout;
    })();
    cache.set(fullyQualifiedName, layout);
  }
  return layout;
}

const coder = AbiCoder.defaultAbiCoder();

/** Where a state variable lives, or with `member`, one field of the struct a mapping holds at `key`. */
export function field(
  layout: StorageLayout,
  variable: string,
  key?: { type: "address" | "uint256"; value: string | bigint },
  member?: string,
): Field {
  const item = layout.storage.find((s) => s.label === variable);
  if (!item) throw new Error(`no variable ${variable}`);
  let base = BigInt(item.slot);
  let type = item.type;
  if (key) {
    base = BigInt(keccak256(coder.encode([key.type, "uint256"], [key.value, base])));
    type = /^t_mapping\([^,]+,(.*)\)$/.exec(type)![1];
  }
  if (!member) return { slot: base, offset: item.offset, bytes: Number(layout.types[type].numberOfBytes) };
  const m = layout.types[type].members!.find((x) => x.label === member);
  if (!m) throw new Error(`no member ${member} in ${type}`);
  return { slot: base + BigInt(m.slot), offset: m.offset, bytes: Number(layout.types[m.type].numberOfBytes) };
}

/** Reads a (packed) field's value. */
export async function readField(rpc: Rpc, address: string, f: Field): Promise<bigint> {
  const word = BigInt(await rpc.send("eth_getStorageAt", [address, quantity(f.slot), "latest"]));
  return (word >> BigInt(f.offset * 8)) & ((1n << BigInt(f.bytes * 8)) - 1n);
}

/** Rewrites one (packed) field, keeping the rest of its slot, and mines a block so that the change is in the chain. */
export async function writeField(rpc: Rpc, address: string, f: Field, value: bigint): Promise<void> {
  const word = BigInt(await rpc.send("eth_getStorageAt", [address, quantity(f.slot), "latest"]));
  const shift = BigInt(f.offset * 8);
  const mask = ((1n << BigInt(f.bytes * 8)) - 1n) << shift;
  const next = (word & ~mask) | ((value << shift) & mask);
  await rpc.send("hardhat_setStorageAt", [address, quantity(f.slot), zeroPadValue(toBeHex(next), 32)]);
  await rpc.send("evm_mine", []);
}

/** One step into a variable: a struct member, or a mapping key. */
export type Step = { member: string } | { key: { type: "address" | "uint256"; value: string | bigint } };

/**
 * Where a field lives through any path of struct members and mapping keys, e.g. `_court` then
 * `claims`, claim id, `status`; or `_settlements`, period, part, `share`.
 */
export function fieldAt(layout: StorageLayout, variable: string, steps: Step[]): Field {
  const item = layout.storage.find((s) => s.label === variable);
  if (!item) throw new Error(`no variable ${variable}`);
  let slot = BigInt(item.slot);
  let offset = item.offset;
  let type = item.type;
  for (const step of steps) {
    if ("key" in step) {
      slot = BigInt(keccak256(coder.encode([step.key.type, "uint256"], [step.key.value, slot])));
      offset = 0;
      type = /^t_mapping\([^,]+,(.*)\)$/.exec(type)![1];
    } else {
      const m = layout.types[type].members?.find((x) => x.label === step.member);
      if (!m) throw new Error(`no member ${step.member} in ${type}`);
      slot += BigInt(m.slot);
      offset = m.offset;
      type = m.type;
    }
  }
  return { slot, offset, bytes: Number(layout.types[type].numberOfBytes) };
}
