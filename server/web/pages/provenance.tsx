/** @jsxImportSource preact */
/**
 * Imported designs say so where they are shown: where they came from, who the original licensor
 * is, and which required sections the source did not provide (shown as missing, never invented).
 */
import type { Manifest, NotProvidedSection } from '../../../schema/types.ts';
import type { DesignView } from '../design-view.ts';

const FORMAT_NAMES: Record<string, string> = { 'okh-v1': 'Open Know-How (v1)', 'okh-losh': 'OKH-LOSH', oshwa: 'the OSHWA certification directory', kitspace: 'Kitspace' };

const SECTION_NAMES: Record<NotProvidedSection, string> = {
  bom: 'Bill of materials', production: 'Production engineering', 'docs.sources': 'Editable source files',
  documentationLanguage: 'Documentation language', function: 'What it does', licensor: 'Licensor',
};

const safeHttp = (url: string | undefined) => (url && /^https?:\/\//i.test(url) ? url : undefined);

/** "Not provided by the source", with the reason the import recorded. */
export function NotProvided({ manifest, section }: { manifest: Manifest; section: NotProvidedSection }) {
  const reason = manifest.notProvided?.[section];
  if (reason === undefined) return null;
  return <p class="muted not-provided"><strong>Not provided</strong> by the source{reason ? `: ${reason}` : ''}.</p>;
}

export function ProvenanceSection({ view }: { view: DesignView }) {
  const m = view.version.manifest;
  const p = m.provenance;
  if (!p) return null;
  const url = safeHttp(p.sourceUrl);
  const missing = Object.keys(m.notProvided ?? {}) as NotProvidedSection[];
  const originals = Object.entries(p.originalLicenses ?? {}).filter(([, v]) => v);
  return (
    <section aria-labelledby="prov-h" class="provenance">
      <h2 id="prov-h">Imported</h2>
      <p>
        Imported on {p.importedAt} from {FORMAT_NAMES[p.sourceFormat] ?? p.sourceFormat}
        {p.sourceId ? <> (record {p.sourceId})</> : null}
        {url ? <>: <a href={url} rel="nofollow ugc noopener noreferrer">{url}</a></> : null}.
        {' '}Original licensor: {m.licensor.length ? m.licensor.map((l) => l.name).join(', ') : 'not provided'}.
      </p>
      {originals.length ? <p>Licences as the source wrote them: {originals.map(([k, v], i) => <>{i ? '; ' : ''}{k} “{v}”</>)}.</p> : null}
      {missing.length ? <p>Not provided by the source: {missing.map((s) => SECTION_NAMES[s] ?? s).join(', ')}.</p> : null}
    </section>
  );
}
