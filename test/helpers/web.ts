/**
 * A registry with the example designs, accounts that can sign in, and a certification waiting for
 * review: what the web tests (supertest and browser) start from. Built in-process over a data
 * dir, which a real server can then open (`startServer({ OHW_DATA })`).
 */
import path from 'node:path';
import type { Deps } from '../../server/services/deps.ts';
import { seedDesigns } from '../../server/services/seed.ts';
import { requestCertification } from '../../server/services/certification.ts';
import { REPO_ROOT } from './registry.ts';

export const PASSWORD = 'correct horse battery staple';
export const CEB = 'ose/liberator-ceb-press';

export interface WebFixture {
  /** Owner of the example designs (namespace `ose`), also a reviewer: sees why they cannot review. */
  owner: string;
  /** Reviewers who own nothing. */
  reviewers: [string, string];
  /** A certification of the CEB press, in review. */
  certification: string;
  cebVersion: string;
}

export async function seedWebFixture(deps: Deps): Promise<WebFixture> {
  // The seed publishes as the namespace's account, creating it only when missing: make it first, with a password.
  await deps.accounts.create({ name: 'ose', email: 'ose@example.org', password: PASSWORD, roles: ['reviewer'] });
  for (const name of ['rita', 'raul']) await deps.accounts.create({ name, email: `${name}@example.org`, password: PASSWORD, roles: ['reviewer'] });
  await seedDesigns(deps, path.join(REPO_ROOT, 'designs'));
  const ose = await deps.accounts.get('ose');
  const version = (await deps.designs.versions(CEB)).map((v) => v.version).sort().at(-1)!;
  const cert = await requestCertification(deps, { name: 'ose', email: ose!.email, roles: ose!.roles, scopes: ['publish'] }, { package: CEB, version });
  if (cert.state !== 'in-review' && !(cert.state === 'submitted' && cert.checksPassed)) {
    throw new Error(`the CEB press certification is not reviewable: ${cert.state} ${JSON.stringify(cert.checks.filter((c) => c.result === 'fail'))}`);
  }
  return { owner: 'ose', reviewers: ['rita', 'raul'], certification: cert.id, cebVersion: version };
}
