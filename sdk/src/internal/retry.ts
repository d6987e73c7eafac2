import { classifyRpcFailure } from "../errors/transaction";

/** Attempts of a request the node did not answer (reads, signing, and resending the same signed bytes). */
export const UNAVAILABLE_ATTEMPTS = 5;

/** The pause before attempt `attempt + 1`: 100 ms, doubling, at most 1 s. */
export const backoff = (attempt: number) => Math.min(1_000, 100 * 2 ** (attempt - 1));

/**
 * Runs a request that is safe to repeat (a read, a signature, the same signed bytes), again after
 * a pause when the node did not answer or was overloaded. Any other failure is thrown at once.
 */
export async function retryUnavailable<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (attempt >= UNAVAILABLE_ATTEMPTS || classifyRpcFailure(error) !== "unavailable") throw error;
      await new Promise((resolve) => setTimeout(resolve, backoff(attempt)));
    }
  }
}
