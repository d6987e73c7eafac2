import { domainSeparator, parseAbi } from "viem";
import type { HuzhuClientConfig } from "../clients/client";
import type { Address, Hex } from "../core/types";
import { checkAddress } from "../core/units";
import type { HuzhuError } from "../errors/base";
import { PermitDomainError } from "../errors/token";
import { erc20PermitAbi, read } from "../internal/contract";

/** An ERC-2612 token's EIP-712 domain. */
export interface PermitDomain {
  name: string;
  version: string;
  chainId: number;
  verifyingContract: Address;
  /** Only when the token's EIP-5267 domain has one. */
  salt?: Hex;
}

export interface GetPermitDomainParameters {
  /** The permit token (a pool's asset). */
  token: Address;
}
export interface GetPermitDomainReturnType {
  domain: PermitDomain;
  /** Where the domain came from: EIP-5267 `eip712Domain()`, or `name()`/`version()` checked against `DOMAIN_SEPARATOR()`. */
  source: "eip5267" | "separator";
}
/** `PermitDomainError` when no domain is found; `InvalidAddressError` for a malformed token address. */
export type GetPermitDomainErrorType = HuzhuError;

const legacyAbi = parseAbi(["function version() view returns (string)"]);

async function attempt<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch {
    return undefined;
  }
}

/**
 * Finds the EIP-712 domain an ERC-2612 token checks permits against:
 * 1. EIP-5267 `eip712Domain()` when the token implements it (OpenZeppelin 5, Solady);
 * 2. else `name()`, `version()` (or `"1"` when the token has no `version()`), the chain id and the
 *    token's address, accepted only when they hash to the token's `DOMAIN_SEPARATOR()` (FiatToken
 *    v2.2, i.e. USDC: "USD Coin", version "2"; DAI-style and OpenZeppelin 4 tokens).
 * Throws {@link PermitDomainError} when neither gives a domain, rather than sign a permit the token
 * would refuse.
 * @example
 * const { domain } = await getPermitDomain(client, { token: usdc });
 * // { name: "USD Coin", version: "2", chainId: 1, verifyingContract: usdc }
 */
export async function getPermitDomain(
  client: HuzhuClientConfig,
  params: GetPermitDomainParameters,
): Promise<GetPermitDomainReturnType> {
  const token = checkAddress(params.token, "token");
  const chainId = await client.connector.getChainId();
  const eip5267 = await attempt(() => read(client, token, erc20PermitAbi, "eip712Domain", []));
  if (eip5267) {
    const [fields, name, version, domainChainId, verifyingContract, salt] = eip5267;
    // The fields bitmap says which members the domain has: name, version, chainId, verifyingContract, salt.
    const bits = Number(fields);
    if ((bits & 0x0f) !== 0x0f)
      throw new PermitDomainError(token, [], `its EIP-5267 domain lacks fields an ERC-2612 permit needs (${fields})`);
    return {
      source: "eip5267",
      domain: {
        name,
        version,
        chainId: Number(domainChainId),
        verifyingContract,
        ...((bits & 0x10) !== 0 ? { salt } : {}),
      },
    };
  }
  const [name, version, separator] = await Promise.all([
    attempt(() => read(client, token, erc20PermitAbi, "name", [])),
    attempt(() => read(client, token, legacyAbi, "version", [])),
    attempt(() => read(client, token, erc20PermitAbi, "DOMAIN_SEPARATOR", [])),
  ]);
  if (name === undefined) throw new PermitDomainError(token, [], "it has neither eip712Domain() nor name()");
  if (separator === undefined)
    throw new PermitDomainError(token, [], "it has neither eip712Domain() nor DOMAIN_SEPARATOR() to check a domain");
  const candidate: PermitDomain = { name, version: version ?? "1", chainId, verifyingContract: token };
  if (domainSeparator({ domain: candidate }).toLowerCase() === separator.toLowerCase()) {
    return { source: "separator", domain: candidate };
  }
  throw new PermitDomainError(
    token,
    [`"${candidate.name}"/"${candidate.version}"`],
    "its DOMAIN_SEPARATOR() matches no domain built from name(), version() and the chain id",
  );
}
