/**
 * Pricing one offer for a needed quantity: price breaks, MOQ and buy-up (the rules are in the
 * module comment of schema/bom/cost.ts).
 */
import type { Offer, Unit } from '../types.ts';
import { divCeil, extendedPrice, fromScaled, money, pow10, QTY_DECIMALS, toScaled } from './decimal.ts';
import type { OfferPrice } from './cost-types.ts';

/** Quantity needed for the batch: exact product, rounded up to whole pieces for `pcs`. */
export function neededQuantity(perUnit: number, batch: number, unit: Unit): number {
  const scaled = toScaled(perUnit, QTY_DECIMALS) * BigInt(batch);
  if (unit === 'pcs') return Number(divCeil(scaled, pow10(QTY_DECIMALS)));
  return fromScaled(scaled, QTY_DECIMALS);
}

export interface Priced { price: OfferPrice; units: bigint; index: number }

/** Prices one offer for `needed` (see module comment). `undefined` when it has no usable break. */
export function evaluateOffer(offer: Offer, needed: number): OfferPrice | undefined {
  return priceOffer(offer, needed)?.price;
}

export function priceOffer(offer: Offer, needed: number, index = 0): Priced | undefined {
  const breaks = (offer.priceBreaks ?? [])
    .filter((b) => Number.isFinite(b.qty) && b.qty > 0 && Number.isFinite(b.price) && b.price >= 0)
    .sort((a, b) => a.qty - b.qty);
  const first = breaks[0];
  if (!first) return undefined;
  const moq = offer.moq !== undefined && offer.moq > 0 ? offer.moq : 0;
  const minBuy = Math.max(needed, moq, first.qty);
  const notes: string[] = [];
  if (minBuy > needed) {
    if (moq >= first.qty && moq > needed) notes.push(`MOQ ${moq}: buying ${moq} where ${needed} are needed`);
    else notes.push(`smallest price break is ${first.qty}: buying ${first.qty} where ${needed} are needed`);
  }
  let applicable = first;
  for (const b of breaks) if (b.qty <= minBuy) applicable = b;
  let best = { buy: minBuy, brk: applicable, units: extendedPrice(minBuy, applicable.price) };
  const base = best;
  for (const b of breaks) {
    if (b.qty <= minBuy) continue;
    const units = extendedPrice(b.qty, b.price);
    if (units < best.units) best = { buy: b.qty, brk: b, units };
  }
  if (best !== base) {
    notes.push(`buying ${best.buy} (the ${best.brk.qty}+ break) costs ${money(best.units)} ${offer.currency}, less than ${money(base.units)} for ${minBuy}`);
  }
  const price: OfferPrice = {
    supplier: offer.supplier,
    ...(offer.sku !== undefined ? { sku: offer.sku } : {}),
    ...(offer.url !== undefined ? { url: offer.url } : {}),
    ...(offer.region !== undefined ? { region: offer.region } : {}),
    currency: offer.currency.trim().toUpperCase(),
    ...(offer.moq !== undefined ? { moq: offer.moq } : {}),
    ...(offer.leadTimeDays !== undefined ? { leadTimeDays: offer.leadTimeDays } : {}),
    breakQty: best.brk.qty,
    unitPrice: best.brk.price,
    buyQuantity: best.buy,
    extendedPrice: money(best.units),
    notes,
  };
  return { price, units: best.units, index };
}
