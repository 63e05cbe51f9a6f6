/** @jsxImportSource preact */
import { isOshwaCompatible } from '../../../schema/licenses.ts';
import { deriveOdrl } from '../../domain/search-document.ts';
import type { DesignView } from '../design-view.ts';
import { CopyCommand } from './layout.tsx';
import { NotProvided } from './provenance.tsx';

const size = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`);
const day = (iso: string) => iso.slice(0, 10);
const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');

export function Licences({ view }: { view: DesignView }) {
  const l = view.version.manifest.license;
  const rows: Array<[string, string | undefined, 'hardware' | 'documentation' | 'software']> = [
    ['Hardware', l.hardware, 'hardware'], ['Documentation', l.documentation, 'documentation'], ['Software', l.software, 'software'],
  ];
  return (
    <section aria-labelledby="lic-h">
      <h2 id="lic-h">Licences</h2>
      <table class="facts">
        <tbody>
          {rows.filter(([, expr]) => expr !== undefined).map(([label, expr, role]) => {
            const none = expr!.trim().toUpperCase() === 'NONE';
            const ok = !none && isOshwaCompatible(expr!, role);
            return (
              <tr><th scope="row">{label}</th><td><code>{expr}</code><br />
                {none ? <span class="muted">none</span> : ok ? <span class="ok">OSHWA-compatible</span> : <span class="warn">not OSHWA-compatible</span>}</td></tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** Maturity as claimed; the documentation level reads ODRL-3* only when this version is certified. */
export function MaturityFacts({ view }: { view: DesignView }) {
  const m = view.version.manifest.maturity;
  const certifiedHere = view.certifications.some((c) => c.version === view.version.version && c.state === 'certified');
  const odrl = deriveOdrl(m?.documentation, certifiedHere);
  return (
    <section aria-labelledby="mat-h">
      <h2 id="mat-h">Maturity</h2>
      <dl class="facts">
        <dt>Technology (OTRL)</dt><dd>{m?.technology ?? 'not stated'}</dd>
        <dt>Documentation (ODRL)</dt><dd>{odrl ?? 'not stated'}{certifiedHere ? ' (certified)' : ''}</dd>
      </dl>
    </section>
  );
}

export function Production({ view }: { view: DesignView }) {
  const p = view.version.manifest.production;
  return (
    <section aria-labelledby="prod-h">
      <h2 id="prod-h">Production engineering</h2>
      <NotProvided manifest={view.version.manifest} section="production" />
      {view.version.manifest.notProvided?.production !== undefined ? null : <dl class="facts">
        <dt>Processes</dt><dd>{p.processes.map((c) => <a class="tag process" href={`/search?process=${c}`}>{c}</a>)}</dd>
        {p.facilityLevel ? <><dt>Facility level</dt><dd>{p.facilityLevel}</dd></> : null}
        {p.estimatedBuildHours !== undefined ? <><dt>Build time</dt><dd>about {p.estimatedBuildHours} hours</dd></> : null}
        {p.tools?.length ? <><dt>Tools</dt><dd><ul>{p.tools.map((t) => <li>{t}</li>)}</ul></dd></> : null}
        {p.skills?.length ? <><dt>Skills</dt><dd><ul>{p.skills.map((t) => <li>{t}</li>)}</ul></dd></> : null}
        {p.training ? <><dt>Training</dt><dd>{p.training}</dd></> : null}
      </dl>}
      {p.qualityControl?.length ? (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Quality control steps">
          <table>
            <caption>Quality control</caption>
            <thead><tr><th scope="col">Step</th><th scope="col">Method</th><th scope="col">Acceptance</th></tr></thead>
            <tbody>{p.qualityControl.map((q) => <tr><td>{q.step}</td><td>{q.method}</td><td>{q.acceptance}</td></tr>)}</tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

export function SupplyChain({ view }: { view: DesignView }) {
  const s = view.version.manifest.supplyChain;
  if (!s) return null;
  return (
    <section aria-labelledby="sc-h">
      <h2 id="sc-h">Supply chain</h2>
      {s.feedstocks?.length ? (
        <ul>{s.feedstocks.map((f) => <li><strong>{f.material}</strong>{f.form ? ` — ${f.form}` : ''}{f.localSourcing ? <> · local sourcing: {f.localSourcing}</> : null}</li>)}</ul>
      ) : null}
      {s.regionsServed?.length ? <p>Regions served: {s.regionsServed.join(', ')}</p> : null}
      {s.notes ? <p>{s.notes}</p> : null}
    </section>
  );
}

export function Files({ view }: { view: DesignView }) {
  const { package: pkg, version } = view.version;
  return (
    <section aria-labelledby="files-h">
      <h2 id="files-h">Files ({view.version.files.length})</h2>
      <p><a href={`/api/v1/designs/${pkg}/versions/${version}/archive`}>Download everything (.tar.gz)</a> · checksum <code class="wrap">{view.version.checksum}</code></p>
      <div class="table-wrap" tabIndex={0} role="region" aria-label="File list">
        <table class="files">
          <thead><tr><th scope="col">Path</th><th scope="col">Size</th></tr></thead>
          <tbody>{view.version.files.map((f) => (
            <tr><td><a href={`/api/v1/designs/${pkg}/versions/${version}/files/${encodePath(f.path)}`} download>{f.path}</a></td><td class="num">{size(f.size)}</td></tr>
          ))}</tbody>
        </table>
      </div>
    </section>
  );
}

export function Versions({ view }: { view: DesignView }) {
  const pkg = view.pkg.package;
  return (
    <section aria-labelledby="ver-h">
      <h2 id="ver-h">Versions</h2>
      <ul class="versions">
        {view.pkg.versions.map((v) => (
          <li class={v.yanked ? 'yanked' : ''}>
            {v.version === view.version.version ? <strong>{v.version}</strong> : <a href={`/designs/${pkg}/v/${v.version}`}>{v.version}</a>}
            {' '}<span class="muted">{day(v.publishedAt)} by {v.publisher}</span>
            {v.version === view.pkg.latest ? <span class="tag">latest</span> : null}
            {v.yanked ? <span class="tag warn">yanked{v.yank?.reason ? `: ${v.yank.reason}` : ''}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Lineage({ view }: { view: DesignView }) {
  const { forkOf } = view.pkg;
  const up = view.forks.upstream;
  const derived = view.version.manifest.derivedFrom ?? [];
  if (!forkOf && !view.forks.forks.length && !derived.length) return null;
  return (
    <section aria-labelledby="lin-h">
      <h2 id="lin-h">Lineage</h2>
      {forkOf ? <p>Fork of <a href={`/designs/${forkOf.package}/v/${forkOf.version}`}>{forkOf.package}@{forkOf.version}</a>.</p> : null}
      {up ? (
        up.newVersions.length ? (
          <p>Upstream has {up.newVersions.length} newer version{up.newVersions.length === 1 ? '' : 's'} since the fork: {up.newVersions.map((v, i) => <>{i ? ', ' : ''}<a href={`/designs/${up.package}/v/${v.version}`}>{v.version}</a></>)}.
            {up.diff && !up.diff.identical ? ` Compared with ${up.diff.to.version}: ${up.diff.manifest.length} manifest field(s), ${up.diff.bom.added.length + up.diff.bom.removed.length + up.diff.bom.quantityChanged.length + up.diff.bom.changed.length} BOM line(s) and ${up.diff.files.added.length + up.diff.files.removed.length + up.diff.files.changed.length} file(s) differ.` : ''}</p>
        ) : <p>The upstream has no newer versions since the fork.</p>
      ) : null}
      {derived.length ? <ul>{derived.map((d) => <li>Derived from {/^https?:/i.test(d.url) ? <a href={d.url} rel="nofollow ugc noopener noreferrer">{d.title}</a> : d.title}{d.license ? ` (${d.license})` : ''}</li>)}</ul> : null}
      {view.forks.forks.length ? (
        <>
          <h3>Forks</h3>
          <ul>{view.forks.forks.map((f) => <li><a href={`/designs/${f.package}`}>{f.package}</a> from {f.forkOf.version}, {f.versions} version{f.versions === 1 ? '' : 's'}</li>)}</ul>
        </>
      ) : null}
    </section>
  );
}

export function WhereUsed({ view }: { view: DesignView }) {
  const d = view.dependents;
  return (
    <section aria-labelledby="wu-h">
      <h2 id="wu-h">Where used</h2>
      {d.packages.length ? (
        <ul>{d.packages.map((p) => (
          <li><a href={`/designs/${p.package}`}>{p.package}</a> ({p.versions.join(', ')}){p.direct ? '' : ' — through a sub-assembly'}{p.yanked ? ' — yanked' : ''}</li>
        ))}</ul>
      ) : <p class="muted">No published design uses this one as a sub-assembly yet.</p>}
    </section>
  );
}

export function Certification({ view }: { view: DesignView }) {
  const here = view.certifications.filter((c) => c.version === view.version.version);
  const holding = view.certifications.find((c) => c.state === 'certified');
  return (
    <section aria-labelledby="cert-h">
      <h2 id="cert-h">Certification</h2>
      {here.length ? (
        <ul>{here.map((c) => (
          <li>
            <a href={`/certifications/${c.id}`}>{c.id}</a>: {c.state}
            {c.uid ? <> — certificate <a href={`/certificates/${c.uid}`}>{c.uid}</a>
              <div><img class="badge" src={`/api/v1/certificates/${c.uid}/badge.svg`} alt={`Certificate ${c.uid}: ${c.state}`} height={20} /></div></> : null}
          </li>
        ))}</ul>
      ) : <p class="muted">This version is not certified.</p>}
      {holding && holding.version !== view.version.version ? <p>Version <a href={`/designs/${view.pkg.package}/v/${holding.version}`}>{holding.version}</a> is certified ({holding.uid ? <a href={`/certificates/${holding.uid}`}>{holding.uid}</a> : holding.id}).</p> : null}
    </section>
  );
}

export function Commands({ view, origin }: { view: DesignView; origin: string }) {
  const { package: pkg, version } = view.version;
  return (
    <section aria-labelledby="cmd-h">
      <h2 id="cmd-h">Get it</h2>
      <CopyCommand label="Download this version" command={`ohw download ${pkg}@${version}`} />
      <CopyCommand label="Clone the history" command={`git clone ${origin}/git/${pkg}.git`} />
      <CopyCommand label="BOM for 10 units" command={`ohw bom ${pkg}@${version} --batch 10`} />
    </section>
  );
}

export function Images({ view }: { view: DesignView }) {
  if (!view.images.length) return null;
  const base = `/designs/${view.version.package}/v/${view.version.version}/images/`;
  return (
    <section class="images" aria-label="Images">
      {view.images.map((p) => <figure><img src={base + encodePath(p)} alt={p} loading="lazy" /><figcaption>{p}</figcaption></figure>)}
    </section>
  );
}

/** Build reports of this version (issue 16's record): counts, where, and each claim beside what builders measured. */
export function Builds({ view }: { view: DesignView }) {
  const s = view.builds.summary;
  const fmt = (n: number | null) => (n === null ? '—' : String(n));
  return (
    <section aria-labelledby="builds-h">
      <h2 id="builds-h">Builds</h2>
      {s.builds ? (
        <>
          <p>{s.builds} build{s.builds === 1 ? '' : 's'} reported, {s.successful} successful ({s.successRate ?? 0} %), by {s.independent} independent builder{s.independent === 1 ? '' : 's'}{s.regions.length ? ` in ${s.regions.join(', ')}` : ''}.</p>
          {s.performance.length ? (
            <ul>{s.performance.map((c) => <li>{c.metric}: claimed {c.comparison} {c.target} {c.unit}; measured {c.measured ? `${fmt(c.min)}–${fmt(c.max)} ${c.unit} (${c.met} of ${c.measured} meet it)` : 'not yet'}</li>)}</ul>
          ) : null}
          <ul>{view.builds.reports.slice(0, 5).map((r) => <li>{r.at.slice(0, 10)} <a href={`/accounts/${r.reporter}`}>{r.reporter}</a> ({r.region}): {r.outcome}{r.endorsedBy.length ? `, endorsed by ${r.endorsedBy.join(', ')}` : ''}</li>)}</ul>
        </>
      ) : <p class="muted">No builds of this version reported yet (<code>POST /api/v1/designs/{view.version.package}/versions/{view.version.version}/builds</code>).</p>}
    </section>
  );
}

const LEVELS: Array<[level: string, what: string]> = [
  ['product', 'finished units'], ['production', 'training or a kit to make it'], ['distribution', 'a licence to produce at scale'],
];

/** Who can make it where, and who offers it at which of the three product levels. */
export function MakeLocally({ view }: { view: DesignView }) {
  const regions = Object.entries(view.capableByRegion ?? {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const offers = view.offers ?? {};
  const pkg = view.version.package;
  return (
    <section aria-labelledby="local-h">
      <h2 id="local-h">Make it locally</h2>
      {regions.length
        ? <p>Producers whose facilities cover this version: {regions.map(([r, n], i) => <>{i ? ', ' : ''}{r} ({n})</>)}. <a href={`/api/v1/designs/${pkg}/producers`}>Who, and how near</a>.</p>
        : <p class="muted">No producer profile covers this version yet.</p>}
      <dl class="facts">
        {LEVELS.map(([level, what]) => {
          const list = (offers[level] ?? []) as Array<{ account: string; facility: string }>;
          return <><dt>{level} <span class="muted">({what})</span></dt><dd>{list.length ? list.map((o, i) => <>{i ? ', ' : ''}<a href={`/accounts/${o.account}`}>{o.account}</a> ({o.facility})</>) : <span class="muted">no offers</span>}</dd></>;
        })}
      </dl>
    </section>
  );
}
