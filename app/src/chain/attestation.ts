import type { Address, Attestation, Hex } from "@huzhu/sdk";
import { getAddress, isAddress } from "viem";

/** Why a pasted attestation was refused: a key of `recovery.attestationErrors` in the locales. */
export class AttestationShapeError extends Error {
  constructor(readonly reason: "json" | "object" | "signature" | "deadline" | "field") {
    super(reason);
  }
}

export interface ParsedAttestation {
  /** Passed to `requestRecovery` as it came: every whole number as a bigint, everything else as is. */
  attestation: Attestation;
  /** Filled in when the verifier's JSON names them (checked against the form). */
  newWallet?: Address;
  commitment?: Hex;
}

const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;
const WHOLE = /^\d+$/;

/**
 * Reads the JSON a verifier gives a member (`huzhu recovery sign --json`): an object with at least a
 * `signature` (hex) and a `deadline` (unix seconds), alone or under `attestation`. Other fields pass
 * through (whole numbers as bigints), so an attestation that grows a field keeps working; only its
 * shape is checked here, its signature is the pool's to check.
 */
export function parseAttestation(text: string): ParsedAttestation {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AttestationShapeError("json");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new AttestationShapeError("object");
  const outer = json as Record<string, unknown>;
  const inner = (
    typeof outer.attestation === "object" && outer.attestation !== null ? outer.attestation : outer
  ) as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inner)) {
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) fields[key] = BigInt(value);
    else if (typeof value === "string" && WHOLE.test(value)) fields[key] = BigInt(value);
    else if (typeof value === "string" || typeof value === "boolean") fields[key] = value;
    else throw new AttestationShapeError("field");
  }
  const signature = fields.signature;
  if (typeof signature !== "string" || !HEX.test(signature) || ![64, 65].includes((signature.length - 2) / 2))
    throw new AttestationShapeError("signature");
  if (typeof fields.deadline !== "bigint") throw new AttestationShapeError("deadline");
  const pick = (key: string) => (typeof outer[key] === "string" ? (outer[key] as string) : undefined);
  const wallet = pick("newWallet") ?? (typeof inner.newWallet === "string" ? inner.newWallet : undefined);
  const commitment = pick("commitment") ?? (typeof inner.commitment === "string" ? inner.commitment : undefined);
  if (wallet !== undefined && !isAddress(wallet, { strict: false })) throw new AttestationShapeError("field");
  if (commitment !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(commitment)) throw new AttestationShapeError("field");
  return {
    attestation: fields as unknown as Attestation,
    newWallet: wallet === undefined ? undefined : (getAddress(wallet) as Address),
    commitment: commitment as Hex | undefined,
  };
}
