import { encodeAbiParameters, keccak256, toBytes, type Hex } from "viem";
import type { Address } from "../core/types";
import { checkBytes32 } from "../core/units";
import { InvalidParameterError } from "../errors/base";

/**
 * An identity commitment: a salted hash of an identity (a document number, say), exactly
 * `keccak256(abi.encode(string identity, bytes32 salt))`: the standard ABI encoding of the pair
 * (offset, length, UTF-8 bytes padded to 32, then the salt), NOT `abi.encodePacked`. An identity
 * verifier, or a client in another language, must hash the same way for attestations to match.
 * Only the hash goes on chain; keep the salt secret, it is what lets the member prove the
 * commitment later.
 * @param identity The identity as text (hashed as its UTF-8 bytes).
 * @param salt 32 random bytes, as hex.
 * @throws InvalidParameterError for an identity that is not a string or a salt that is not 32 bytes of hex.
 * @example
 * const commitment = identityCommitment("CN-ID:110101199001011234", salt);
 */
export function identityCommitment(identity: string, salt: Hex): Hex {
  if (typeof identity !== "string") throw new InvalidParameterError("identity", "must be a string");
  const checked = checkBytes32(salt, "salt");
  return keccak256(encodeAbiParameters([{ type: "string" }, { type: "bytes32" }], [identity, checked]));
}

/**
 * The hash a juror commits: `keccak256(abi.encode(claimId, round, juror, support, salt))`, as the
 * pool's `voteCommitment` computes it.
 */
export function voteCommitment(claimId: bigint, round: bigint, juror: Address, support: boolean, salt: Hex): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "uint256" }, { type: "uint256" }, { type: "address" }, { type: "bool" }, { type: "bytes32" }],
      [claimId, round, juror, support, salt],
    ),
  );
}

/** The message a voter's wallet signs to derive the salt of a vote (see `deriveVoteSalt`). */
export function voteSaltMessage(chainId: number, pool: Address, claimId: bigint): string {
  return `Huzhu vote salt\nchain: ${chainId}\npool: ${pool.toLowerCase()}\nclaim: ${claimId}\n\nSigning this reveals nothing and costs nothing.`;
}

/** The salt from the wallet's signature over {@link voteSaltMessage}. */
export function saltFromSignature(signature: Hex): Hex {
  return keccak256(toBytes(signature));
}

/** The EIP-712 types of an ERC-2612 permit (`joinWithPermit` signs one). */
export const permitTypes = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;
