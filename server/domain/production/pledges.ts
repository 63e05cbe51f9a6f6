/**
 * Demand pledges: a signed-in account will take N units of a design in a region, optionally up to
 * a unit price. Validation only; the one-active-pledge rule lives in the database (a partial
 * unique index) so that two concurrent requests cannot both win.
 */
import { OhwError } from '../../../schema/errors.ts';
import { isCurrency } from '../../../schema/manifest/iso-codes.ts';
import { bodyChecker, CURRENCY, ISO_DATE, text } from './body.ts';
import { requireRegion } from './regions.ts';

export interface PledgeInput {
  region: string;
  quantity: number;
  version?: string;
  maxUnitPrice?: number;
  currency?: string;
  neededBy?: string;
}

export const MAX_PLEDGE_QUANTITY = 100_000;

const checkPledge = bodyChecker<PledgeInput>('pledge', {
  type: 'object',
  additionalProperties: false,
  required: ['region', 'quantity'],
  properties: {
    region: text(8),
    version: text(64),
    quantity: { type: 'integer', minimum: 1, maximum: MAX_PLEDGE_QUANTITY },
    maxUnitPrice: { type: 'number', exclusiveMinimum: 0, maximum: 1e9 },
    currency: CURRENCY,
    neededBy: { type: 'string', pattern: ISO_DATE },
  },
});

export function parsePledge(body: unknown): PledgeInput {
  const b = checkPledge(body);
  const out: PledgeInput = { region: requireRegion(b.region, 'region'), quantity: b.quantity };
  if (b.version !== undefined) out.version = b.version;
  if (b.maxUnitPrice !== undefined) {
    if (!b.currency) throw new OhwError('INVALID_REQUEST', 'currency: a maxUnitPrice needs its currency (ISO 4217, e.g. EUR)');
    out.maxUnitPrice = b.maxUnitPrice;
  }
  if (b.currency !== undefined) {
    const c = b.currency.toUpperCase();
    if (!isCurrency(c)) throw new OhwError('INVALID_REQUEST', `currency: ${b.currency} is not an ISO 4217 code`);
    out.currency = c;
  }
  if (b.neededBy !== undefined) {
    if (Number.isNaN(Date.parse(b.neededBy))) throw new OhwError('INVALID_REQUEST', `neededBy: ${b.neededBy} is not a date`);
    out.neededBy = b.neededBy;
  }
  return out;
}
