/**
 * Exact decimal arithmetic for BOM quantities and money, on BigInt fixed-point values.
 *
 * - Money is held as integer ten-thousandths of a currency unit (`MONEY_SCALE` = 4 decimals):
 *   every extended price is rounded once, half away from zero, to 4 decimals, and totals are the
 *   exact sum of the rounded line amounts (so a spreadsheet column of extended prices sums to the
 *   printed total, to the last digit).
 * - Quantities and prices enter as JS numbers and are read as the decimal they were written as
 *   (up to 9 decimals), so `0.1 × 3` is 0.3, not 0.30000000000000004.
 */

export const MONEY_DECIMALS = 4;
export const QTY_DECIMALS = 9;
const TEN = 10n;

export function pow10(n: number): bigint {
  return TEN ** BigInt(n);
}

/** `x` as an integer of `10^-decimals` units (exact for any decimal with ≤ `decimals` digits). */
export function toScaled(x: number, decimals: number): bigint {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  const s = Math.abs(x).toFixed(decimals);
  const v = BigInt(s.replace('.', ''));
  return x < 0 ? -v : v;
}

/** n / d rounded half away from zero. */
export function divRound(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new RangeError('division by zero');
  const neg = (n < 0n) !== (d < 0n);
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  let q = an / ad;
  if ((an % ad) * 2n >= ad) q += 1n;
  return neg ? -q : q;
}

/** n / d rounded up (towards +∞) for non-negative n, positive d. */
export function divCeil(n: bigint, d: bigint): bigint {
  return (n + d - 1n) / d;
}

/** A scaled integer back to a JS number (the nearest double to the exact decimal). */
export function fromScaled(v: bigint, decimals: number): number {
  return Number(v) / Number(pow10(decimals));
}

/** quantity × unit price, rounded to money units (4 decimals). */
export function extendedPrice(quantity: number, unitPrice: number): bigint {
  const q = toScaled(quantity, QTY_DECIMALS);
  const p = toScaled(unitPrice, QTY_DECIMALS);
  return divRound(q * p, pow10(2 * QTY_DECIMALS - MONEY_DECIMALS));
}

export const money = (units: bigint): number => fromScaled(units, MONEY_DECIMALS);

/** Rounds a float quantity to 9 decimals, removing binary noise (3 × 1.1 → 3.3). */
export function roundQty(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** Fixed 2-decimal (or more when needed to show a sub-cent price exactly, up to 4) rendering. */
export function formatMoney(x: number, minDecimals = 2): string {
  for (let d = minDecimals; d < MONEY_DECIMALS; d++) {
    const s = x.toFixed(d);
    if (Number(s) === x) return s;
  }
  return x.toFixed(MONEY_DECIMALS);
}

/** Quantity without trailing zeros (`3`, `0.25`, `1.05`). */
export function formatQty(x: number): string {
  return String(roundQty(x));
}
