/** What `ohw info` says about certification: the mark belongs to the certified version. */
import { describe, expect, it } from 'vitest';
import { certificationLine } from '../../cli/commands/info.ts';

describe('ohw info certification line', () => {
  it('names the certified version, and says when the latest is another, uncertified one', () => {
    expect(certificationLine({ state: 'certified', uid: 'OHC-000001', version: '1.0.0' }, '1.1.0'))
      .toBe('certification: certified OHC-000001 (version 1.0.0); the latest version, 1.1.0, is not certified\n');
  });

  it('says nothing more when the certified version is the latest', () => {
    expect(certificationLine({ state: 'certified', uid: 'OHC-000001', version: '1.1.0' }, '1.1.0'))
      .toBe('certification: certified OHC-000001 (version 1.1.0)\n');
  });

  it('a request in review is only a request', () => {
    expect(certificationLine({ state: 'in-review', version: '1.1.0' }, '1.1.0')).toBe('certification: in-review (version 1.1.0)\n');
  });
});
