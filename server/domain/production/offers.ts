/**
 * Offers at the three product levels (the Open Source Store): the finished product (through runs),
 * production (training or a microfactory kit) or distribution (a licence to produce at scale). A
 * level is only offered when the design's `productLevels` allows it.
 */
import { OhwError } from '../../../schema/errors.ts';
import { isCurrency } from '../../../schema/manifest/iso-codes.ts';
import { PRODUCT_LEVELS, type ProductLevel } from '../../../schema/types.ts';
import { bodyChecker, CURRENCY, text } from './body.ts';

export interface OfferInput {
  level: ProductLevel;
  versions?: string[];
  unitPrice?: number;
  currency?: string;
  leadTimeDays?: number;
  notes?: string;
}

const checkOffer = bodyChecker<OfferInput>('offer', {
  type: 'object',
  additionalProperties: false,
  required: ['level'],
  properties: {
    level: { enum: [...PRODUCT_LEVELS] },
    versions: { type: 'array', maxItems: 50, uniqueItems: true, items: text(64) },
    unitPrice: { type: 'number', exclusiveMinimum: 0, maximum: 1e9 },
    currency: CURRENCY,
    leadTimeDays: { type: 'integer', minimum: 0, maximum: 3650 },
    notes: { type: 'string', maxLength: 2000 },
  },
});

export function parseOffer(body: unknown, allowedLevels: readonly ProductLevel[] | undefined): OfferInput {
  const b = checkOffer(body);
  const allowed = allowedLevels ?? [];
  if (!allowed.includes(b.level)) {
    throw new OhwError('INVALID_REQUEST', `level: the design does not offer "${b.level}" (its productLevels: ${allowed.join(', ') || 'none declared'})`, {
      details: { allowed: [...allowed] },
    });
  }
  if (b.unitPrice !== undefined && !b.currency) throw new OhwError('INVALID_REQUEST', 'currency: a unitPrice needs its currency (ISO 4217)');
  if (b.currency !== undefined) {
    if (!isCurrency(b.currency.toUpperCase())) throw new OhwError('INVALID_REQUEST', `currency: ${b.currency} is not an ISO 4217 code`);
    b.currency = b.currency.toUpperCase();
  }
  return b;
}
