/**
 * Reading certification records from the index: one record, and the certifications of a design.
 * The read side only: certification.ts writes, and derived views (certification-summary.ts) read
 * through here without depending on the writer, so there is no import cycle between them.
 */
import { OhwError } from '../../schema/errors.ts';
import { parsePackageName } from '../../schema/names.ts';
import type { CertState } from '../../schema/certification/states.ts';
import { effectiveState, replay, CERT_ID_PATTERN, type RecordView } from '../../schema/certification/record.ts';
import type { Deps } from './deps.ts';

export const recordPath = (id: string) => `certifications/${id}.jsonl`;
export const certificatePath = (uid: string) => `certificates/${uid}.json`;

export async function loadRecord(deps: Deps, id: string): Promise<{ text: string; view: RecordView }> {
  if (!CERT_ID_PATTERN.test(id)) throw new OhwError('NOT_FOUND', `certification ${id} not found`);
  const text = await deps.index.read(recordPath(id));
  if (text === undefined) throw new OhwError('NOT_FOUND', `certification ${id} not found`);
  const { view, problems } = replay(id, text);
  if (!view || problems.length) throw new OhwError('INTERNAL', `certification record ${id} is inconsistent: ${problems.join('; ')}`);
  return { text, view };
}

/** After a certification write: the design → ids map is rebuilt on next use. */
export function forgetIndex(deps: Deps): void {
  delete deps.state.certificationsByDesign;
}

function designMap(deps: Deps): Promise<Map<string, string[]>> {
  deps.state.certificationsByDesign ??= (async () => {
    const out = new Map<string, string[]>();
    for (const path of await deps.index.list('certifications/')) {
      const first = (await deps.index.read(path))?.split('\n')[0];
      if (!first) continue;
      const pkg = (JSON.parse(first) as { data: { package: string } }).data.package;
      out.set(pkg, [...(out.get(pkg) ?? []), path.slice('certifications/'.length, -'.jsonl'.length)]);
    }
    return out;
  })();
  return deps.state.certificationsByDesign;
}

/** Certifications of a design, newest first, with their state now (expiry applied). */
export async function certificationsOf(deps: Deps, raw: string): Promise<Array<{ id: string; version: string; state: CertState; uid?: string }>> {
  const pkg = parsePackageName(raw).full;
  const ids = (await designMap(deps)).get(pkg) ?? [];
  const out = [];
  for (const id of [...ids].sort().reverse()) {
    const { view } = await loadRecord(deps, id);
    const entry: { id: string; version: string; state: CertState; uid?: string } = { id, version: view.version, state: effectiveState(view, deps.now()) };
    if (view.certificate) entry.uid = view.certificate.uid;
    out.push(entry);
  }
  return out;
}
