/** The one authorization policy: who may do what, by role, ownership and token scope. */
import { describe, expect, it } from 'vitest';
import { isAdmin, isOwner, mayActAsOwner, mayAdminister, mayCreateIn, mayPublishVersion, mayRequestCertification, mayReview } from '../../../server/domain/policy.ts';

const p = (name: string, roles: string[], scopes: string[]) => ({ name, roles, scopes });
const OWNERS = ['olive'];

describe('policy', () => {
  it('is admin: the admin role and the admin scope, both', () => {
    expect(isAdmin(p('boss', ['admin'], ['admin']))).toBe(true);
    expect(isAdmin(p('boss', ['admin'], ['publish', 'review']))).toBe(false);
    expect(isAdmin(p('otto', [], ['admin']))).toBe(false);
  });

  it('is owner: ownership and the publish scope, both', () => {
    expect(isOwner(p('olive', [], ['publish']), OWNERS)).toBe(true);
    expect(isOwner(p('olive', ['reviewer'], ['review']), OWNERS)).toBe(false);
    expect(isOwner(p('otto', [], ['publish']), OWNERS)).toBe(false);
  });

  it('owner actions: owners with publish, or admins with admin; the refusal says what is missing', () => {
    expect(mayActAsOwner(p('olive', [], ['publish']), 'olive/lamp', OWNERS).allowed).toBe(true);
    expect(mayActAsOwner(p('boss', ['admin'], ['admin']), 'olive/lamp', OWNERS).allowed).toBe(true);
    expect(mayActAsOwner(p('olive', ['reviewer'], ['review']), 'olive/lamp', OWNERS)).toEqual({ allowed: false, reason: expect.stringContaining('"publish" scope') });
    expect(mayActAsOwner(p('boss', ['admin'], ['publish']), 'olive/lamp', OWNERS)).toEqual({ allowed: false, reason: expect.stringContaining('"admin" scope') });
    expect(mayActAsOwner(p('otto', [], ['publish']), 'olive/lamp', OWNERS)).toEqual({ allowed: false, reason: expect.stringContaining('not an owner') });
  });

  it('publishing a version needs the publish scope even for an admin', () => {
    expect(mayPublishVersion(p('boss', ['admin'], ['admin']), 'olive/lamp', OWNERS).allowed).toBe(false);
    expect(mayPublishVersion(p('boss', ['admin'], ['admin', 'publish']), 'olive/lamp', OWNERS).allowed).toBe(true);
  });

  it('a new design goes under one\'s own name, or anywhere for an admin', () => {
    expect(mayCreateIn(p('otto', [], ['publish']), 'otto').allowed).toBe(true);
    expect(mayCreateIn(p('otto', [], ['publish']), 'olive').allowed).toBe(false);
    expect(mayCreateIn(p('otto', [], ['review']), 'otto').allowed).toBe(false);
    expect(mayCreateIn(p('boss', ['admin'], ['admin', 'publish']), 'olive').allowed).toBe(true);
  });

  it('certification requests: owners only', () => {
    expect(mayRequestCertification(p('olive', [], ['publish']), 'olive/lamp', OWNERS).allowed).toBe(true);
    expect(mayRequestCertification(p('boss', ['admin'], ['admin', 'publish']), 'olive/lamp', OWNERS).allowed).toBe(false);
  });

  it('may review: the reviewer role and the review scope, without a stake in the design', () => {
    expect(mayReview(p('rita', ['reviewer'], ['review']), 'olive/lamp', OWNERS).allowed).toBe(true);
    expect(mayReview(p('rita', ['reviewer'], ['publish']), 'olive/lamp', OWNERS).allowed).toBe(false);
    expect(mayReview(p('boss', ['admin'], ['review']), 'olive/lamp', OWNERS).allowed).toBe(false);
    expect(mayReview(p('olive', ['reviewer'], ['review']), 'olive/lamp', OWNERS)).toEqual({ allowed: false, reason: expect.stringContaining('cannot review') });
  });

  it('admin powers', () => {
    expect(mayAdminister(p('boss', ['admin'], ['admin']), 'granting roles').allowed).toBe(true);
    expect(mayAdminister(p('boss', ['admin'], ['publish']), 'granting roles')).toEqual({ allowed: false, reason: expect.stringContaining('granting roles needs an admin token') });
  });
});
