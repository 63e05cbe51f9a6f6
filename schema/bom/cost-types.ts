/** The shapes of a BOM costing (schema/bom/cost.ts computes them). */
import type { Unit } from '../types.ts';
import type { ExplodedLine } from './explode.ts';

export interface ExchangeRates {
  /** 1 `base` = `rates[X]` units of X (the ECB / most FX feeds' convention). */
  base: string;
  rates: Record<string, number>;
  /** Informational, echoed in the output (`2025-01-31`, `ECB`). */
  date?: string;
  source?: string;
}

export interface CostOptions {
  batch: number;
  /** ISO 4217; preferred currency without rates, target currency with rates. */
  currency?: string;
  rates?: ExchangeRates;
}

/** The result of pricing one offer for a needed quantity. */
export interface OfferPrice {
  supplier: string;
  sku?: string;
  url?: string;
  region?: string;
  currency: string;
  moq?: number;
  leadTimeDays?: number;
  /** The price break applied (its `qty`) and its unit price. */
  breakQty: number;
  unitPrice: number;
  /** What is bought: ≥ needed (MOQ, smallest break, or buy-up). */
  buyQuantity: number;
  extendedPrice: number;
  /** Why buyQuantity ≠ needed, in words. */
  notes: string[];
}

export interface CostedLine extends Omit<ExplodedLine, 'quantity'> {
  quantityPerUnit: number;
  /** For the batch; whole pieces for `pcs`. */
  needed: number;
  chosen?: OfferPrice;
  /** Present only with rates: the chosen extended price in the target currency. */
  converted?: { currency: string; extendedPrice: number };
  /** Offers not compared or not usable, and why. */
  pricingNotes: string[];
}

export interface CurrencyTotal { currency: string; amount: number; perUnit: number; lines: number }

export interface UnpricedLine { key: string; id: string; name: string; unit: Unit; needed: number; reason: string }

export interface PurchaseLine {
  key: string;
  name: string;
  manufacturer?: string;
  mpn?: string;
  sku?: string;
  url?: string;
  unit: Unit;
  needed: number;
  buyQuantity: number;
  unitPrice: number;
  currency: string;
  extendedPrice: number;
  leadTimeDays?: number;
}

export interface SupplierGroup {
  supplier: string;
  region?: string;
  lines: PurchaseLine[];
  subtotals: Array<{ currency: string; amount: number }>;
  maxLeadTimeDays?: number;
}

export interface BomCosting {
  root: string;
  batch: number;
  currency?: string;
  lines: CostedLine[];
  notFitted: ExplodedLine[];
  unpriced: UnpricedLine[];
  /** Per currency of the chosen offers, requested currency first. Never mixed. */
  totals: CurrencyTotal[];
  /** Only with rates: everything convertible, in one currency, and how. */
  converted?: {
    currency: string;
    amount: number;
    perUnit: number;
    base: string;
    /** The rates actually used (currency → units per 1 base). */
    rates: Record<string, number>;
    date?: string;
    source?: string;
    /** Currencies of chosen offers that had no rate: not included in `amount`. */
    missing: string[];
    note: string;
  };
  /** Longest lead time among chosen offers, and which lines have it. */
  maxLeadTimeDays?: number;
  maxLeadTimeLines: string[];
  /** Priced lines whose chosen offer states no lead time. */
  leadTimeUnknown: string[];
  purchasing: SupplierGroup[];
  warnings: string[];
}
