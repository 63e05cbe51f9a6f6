import type { Issue } from '../../schema/errors.ts';
import type { PackageFile } from '../store/ports.ts';
import type { Deps } from './deps.ts';

/** The shape of a registry token (server/store/accounts/rules.ts TOKEN_PATTERN), anywhere in text. */
const TOKEN_IN_TEXT = /ohw_[0-9a-f]{16}_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;

/**
 * Published content is public for ever: a live token found in it (the manifest or any file) is
 * revoked at once, and each one found becomes an issue located at its file and line so that the
 * publisher learns which token died and why. Token-shaped strings that are not live tokens (an
 * example in the docs) are left alone.
 */
export async function revokeLeakedTokens(deps: Deps, files: PackageFile[]): Promise<Issue[]> {
  const issues: Issue[] = [];
  for (const file of files) {
    // latin1 maps every byte to one character: binary files are scanned too, without decoding errors.
    const text = Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength).toString('latin1');
    if (!text.includes('ohw_')) continue;
    for (const m of text.matchAll(TOKEN_IN_TEXT)) {
      const revoked = await deps.accounts.revokeTokenString(m[0]);
      if (!revoked) continue;
      const before = text.slice(0, m.index);
      const line = before.split('\n').length;
      const column = m.index - before.lastIndexOf('\n');
      deps.log(`token ${revoked.id} of ${revoked.account} found in ${file.path}:${line} of a publish and revoked`);
      issues.push({
        file: file.path, path: '', line, column, code: 'token-leaked', severity: 'error',
        message: `an Open Hardware Commons token (id ${revoked.id}, account ${revoked.account}) is in this file; it has been revoked so that it cannot be used by anyone who reads the published design. Remove it, log in again for a new token (\`ohw login\`) and publish again`,
      });
    }
  }
  return issues;
}
