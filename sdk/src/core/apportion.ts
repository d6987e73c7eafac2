/**
 * The apportionment arithmetic of one settlement (one settle call, a "part" of a period), in plain
 * bigint: the same figures as the contract's `Apportionment` library (v2: a fee rate per claim), so
 * that anyone can recompute a settlement off chain.
 */

export const BPS = 10_000n;

export interface ApportionInput {
  /** N, the counted members at settlement. */
  members: bigint;
  surplusIn: bigint;
  deficitIn: bigint;
  /** The most one member may be charged this period (annual cap); `undefined` for no cap. */
  maxShare?: bigint;
}

export interface ApportionResult {
  /** Each claim's payout after the annual cut, in claim order. */
  paid: bigint[];
  payouts: bigint;
  fee: bigint;
  cut: bigint;
  share: bigint;
  surplusOut: bigint;
  deficitOut: bigint;
}

/** What one claim pays before any annual cut: `min(amount, capPerMember * members)`. */
export function cappedPayout(amount: bigint, capPerMember: bigint, members: bigint): bigint {
  const cap = capPerMember * members;
  return amount < cap ? amount : cap;
}

/** The operator's fee on `payouts`, rounded down. */
export function feeOn(payouts: bigint, feeBps: bigint): bigint {
  return (payouts * feeBps) / BPS;
}

/** The fee on every claim, each at its own rate, rounded down claim by claim. */
export function feesOn(payouts: readonly bigint[], feesBps: readonly bigint[]): bigint {
  let fee = 0n;
  for (let i = 0; i < payouts.length; i++) fee += feeOn(payouts[i], feesBps[i]);
  return fee;
}

function divide(payouts: bigint, fee: bigint, input: ApportionInput) {
  const gross = payouts + fee + input.deficitIn;
  if (gross <= input.surplusIn) return { share: 0n, surplusOut: input.surplusIn - gross, deficitOut: 0n };
  const need = gross - input.surplusIn;
  const share = (need + input.members - 1n) / input.members;
  return { share, surplusOut: share * input.members - need, deficitOut: 0n };
}

/**
 * Apportions one settlement: `capped` holds each claim's capped payout (see {@link cappedPayout},
 * after the yearly payout limit) and `feesBps` the fee rate each claim is charged (the one in force
 * at its submission). For every result with members,
 * `share * members == payouts + fee + deficitIn - surplusIn + surplusOut - deficitOut`.
 */
export function apportion(
  capped: readonly bigint[],
  feesBps: readonly bigint[],
  input: ApportionInput,
): ApportionResult {
  if (feesBps.length !== capped.length) throw new RangeError("apportion: one fee rate per claim");
  const total = capped.reduce((a, b) => a + b, 0n);
  const maxFeeBps = feesBps.reduce((a, b) => (b > a ? b : a), 0n);
  if (input.members === 0n) {
    return {
      paid: capped.map(() => 0n),
      payouts: 0n,
      fee: 0n,
      cut: total,
      share: 0n,
      surplusOut: input.surplusIn,
      deficitOut: input.deficitIn,
    };
  }
  let paid = [...capped];
  let payouts = total;
  let fee = feesOn(paid, feesBps);
  let cut = 0n;
  let { share, surplusOut, deficitOut } = divide(payouts, fee, input);
  const maxShare = input.maxShare;
  if (maxShare === undefined || share <= maxShare) return { paid, payouts, fee, cut, share, surplusOut, deficitOut };

  const capacity = maxShare * input.members + input.surplusIn;
  const budget = capacity > input.deficitIn ? capacity - input.deficitIn : 0n;
  const allowed = (budget * BPS) / (BPS + maxFeeBps);
  if (allowed < total) {
    paid = capped.map((p) => (p * allowed) / total);
    payouts = paid.reduce((a, b) => a + b, 0n);
    cut = total - payouts;
    fee = feesOn(paid, feesBps);
    ({ share, surplusOut, deficitOut } = divide(payouts, fee, input));
  }
  if (share > maxShare) {
    const need = payouts + fee + input.deficitIn - input.surplusIn;
    share = maxShare;
    surplusOut = 0n;
    deficitOut = need - maxShare * input.members;
  }
  return { paid, payouts, fee, cut, share, surplusOut, deficitOut };
}
