/**
 * JSON request bodies, validated by schema before a service sees them. Every schema closes its
 * object (`additionalProperties: false`), so a forged `roles`, `isAdmin`, `id` or `passwordHash`
 * is a 400 that names the property instead of being quietly dropped (or, worse, honoured).
 */
import type { NextFunction, Request, Response } from 'express';
import { Ajv, type ErrorObject, type JSONSchemaType } from 'ajv';
import { OhwError } from '../../schema/errors.ts';

const ajv = new Ajv({ allErrors: true, strict: true });

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;
const names = { type: 'array', items: text(64), maxItems: 100 } as const;
const SCOPES = ['publish', 'review', 'admin'];

export const BODY_SCHEMAS = {
  register: {
    type: 'object',
    properties: { name: text(64), email: text(254), password: text(1024) },
    required: ['name', 'email', 'password'],
    additionalProperties: false,
  },
  login: {
    type: 'object',
    properties: {
      name: text(254),
      password: text(1024),
      scopes: { type: 'array', items: { type: 'string', enum: SCOPES }, minItems: 1, maxItems: 3 },
      tokenName: text(100),
    },
    required: ['name', 'password'],
    additionalProperties: false,
  },
  roles: {
    type: 'object',
    properties: { roles: { type: 'array', items: { type: 'string', enum: ['reviewer', 'admin'] }, maxItems: 2 } },
    required: ['roles'],
    additionalProperties: false,
  },
  owners: {
    type: 'object',
    properties: { add: names, remove: names },
    additionalProperties: false,
  },
  yank: {
    type: 'object',
    properties: { reason: { type: 'string', maxLength: 1000 } },
    additionalProperties: false,
  },
  fork: {
    type: 'object',
    properties: { owner: text(64), name: text(64), version: text(64) },
    additionalProperties: false,
  },
  certificationRequest: {
    type: 'object',
    properties: { package: text(200), version: text(64) },
    required: ['package', 'version'],
    additionalProperties: false,
  },
  /** The envelope of a review; the checklist's items and levels are checked by parseReview. */
  review: {
    type: 'object',
    properties: {
      decision: { type: 'string' },
      checklist: { type: 'object' },
      maturity: {
        type: 'object',
        properties: { technology: { type: 'string' }, documentation: { type: 'string' } },
        additionalProperties: false,
      },
      comment: { type: 'string', maxLength: 10_000 },
    },
    additionalProperties: false,
  },
  lifecycle: {
    type: 'object',
    properties: { reason: { type: 'string', maxLength: 2000 }, version: text(64) },
    additionalProperties: false,
  },
} as const;

export type BodyKind = keyof typeof BODY_SCHEMAS;

const validators = Object.fromEntries(
  Object.entries(BODY_SCHEMAS).map(([k, schema]) => [k, ajv.compile(schema as unknown as JSONSchemaType<unknown>)]),
) as Record<BodyKind, ReturnType<typeof ajv.compile>>;

/** One sentence per problem, naming the property by its JSON path. */
function describe(e: ErrorObject): string {
  const at = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '';
  const where = at ? `"${at}"` : 'the body';
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = (e.params as { additionalProperty: string }).additionalProperty;
      return `unknown property "${at ? `${at}.` : ''}${prop}" (not accepted here)`;
    }
    case 'required': return `"${(e.params as { missingProperty: string }).missingProperty}" is required`;
    case 'enum': return `${where} must be one of: ${((e.params as { allowedValues: unknown[] }).allowedValues).join(', ')}`;
    default: return `${where} ${e.message ?? 'is invalid'}`;
  }
}

/** Validate `body` against a named schema; 400 naming every offending property. */
export function validateBody(kind: BodyKind, body: unknown): void {
  const validate = validators[kind];
  if (!validate(body)) {
    const problems = (validate.errors ?? []).map(describe);
    throw new OhwError('INVALID_REQUEST', `invalid request body: ${[...new Set(problems)].join('; ')}`, {
      details: { problems: [...new Set(problems)] },
    });
  }
}

/** Express middleware: a missing body counts as `{}` (every schema then names what is required). */
export function body(kind: BodyKind) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.body === undefined) req.body = {};
    validateBody(kind, req.body);
    next();
  };
}
