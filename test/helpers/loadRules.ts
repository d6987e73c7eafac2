import { parseAmount, type Address, type Rules } from "../../sdk/src";

const DAY = 24 * 60 * 60;
const USD = (amount: string) => parseAmount(amount, 6);

/**
 * The rules of the pool that the one-wallet load test and its benchmark (bench/sdk-load.ts) drive:
 * a 6-decimal stablecoin, 2-of-3 juries with one appeal, a 5-claim period.
 */
export function loadTestRules(asset: Address): Rules {
  return {
    asset,
    waitingPeriod: 90 * DAY,
    periodLength: 14 * DAY,
    commitWindow: 3 * DAY,
    minDeposit: USD("600"),
    minBalance: USD("600"),
    maxClaimsPerPeriod: 5,
    feeBps: 800,
    maxClaimAmount: USD("300000"),
    capPerMember: USD("100"),
    revealWindow: 2 * DAY,
    appealWindow: 2 * DAY,
    lapseGrace: 14 * DAY,
    randomness: "0x0000000000000000000000000000000000000000",
    jurySize: 3,
    maxAppealRounds: 1,
    quorumBps: 6_000,
    approvalThresholdBps: 6_000,
    claimBond: USD("5"),
    appealBond: USD("10"),
    jurorPenalty: USD("1"),
    annualChargeCap: 0n,
    maxPayoutPerMember: 0n,
  };
}
