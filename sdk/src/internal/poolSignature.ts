import type { HuzhuClientConfig } from "../clients/client";
import type { Address } from "../core/types";
import type { Attestation } from "../actions/join";

type Field = { readonly name: string; readonly type: string };

/**
 * Signs one of the pool's EIP-712 attestations (`Huzhu Pool`, version 1, bound to the pool and the
 * chain) and returns it with its deadline, as the pool's join and recovery calls take it.
 */
export async function signPoolAttestation(
  client: HuzhuClientConfig,
  pool: Address,
  primaryType: string,
  fields: readonly Field[],
  message: Record<string, unknown> & { deadline: bigint },
): Promise<Attestation> {
  const signature = await client.connector.signTypedData({
    domain: { name: "Huzhu Pool", version: "1", chainId: await client.connector.getChainId(), verifyingContract: pool },
    types: { [primaryType]: fields.map((f) => ({ ...f })) },
    primaryType,
    message,
  });
  return { deadline: message.deadline, signature };
}
