/**
 * The contracts' enums as the auditor names them. They are the tables generated from the compiled
 * contracts (`core/enums.generated.ts`), re-exported under the auditor's names: never written by hand.
 */
export {
  ClaimState as ClaimStateV2,
  JurorVote,
  MemberStatus as MemberStatusV2,
  Verdict,
} from "../core/enums.generated";

/** The name of an enum value, or the number itself when it has none. */
export function nameIn(table: Record<string, number>, value: number): string {
  return Object.entries(table).find(([, v]) => v === value)?.[0] ?? String(value);
}
