/** @jsxImportSource preact */
import type { DesignView } from '../design-view.ts';
import type { Viewer } from '../render.ts';
import { BomSection } from './bom.tsx';
import {
  Builds, Certification, Commands, Files, Images, Licences, Lineage, MaturityFacts, Production, SupplyChain, Versions, WhereUsed, MakeLocally,
} from './design-sections.tsx';
import { Csrf, Layout, Notice } from './layout.tsx';
import { NotProvided, ProvenanceSection } from './provenance.tsx';

/** Forms only an owner sees: request certification, yank or un-yank this version. */
function OwnerActions({ view, viewer }: { view: DesignView; viewer: Viewer }) {
  const { package: pkg, version, yanked } = view.version;
  const base = `/designs/${pkg}/v/${version}`;
  const open = view.certifications.some((c) => c.version === version && !['rejected', 'revoked', 'withdrawn', 'expired'].includes(c.state));
  return (
    <section class="owner" aria-labelledby="own-h">
      <h2 id="own-h">Owner actions</h2>
      {!yanked && !open ? (
        <form method="post" action={`${base}/certify`}>
          <Csrf token={viewer.csrf} />
          <button type="submit">Request certification of {version}</button>
        </form>
      ) : null}
      {yanked ? (
        <form method="post" action={`${base}/unyank`}>
          <Csrf token={viewer.csrf} />
          <button type="submit">Un-yank {version}</button>
        </form>
      ) : (
        <form method="post" action={`${base}/yank`}>
          <Csrf token={viewer.csrf} />
          <label for="yank-reason">Reason (shown to everyone)</label>
          <input id="yank-reason" name="reason" type="text" maxLength={500} />
          <button type="submit" class="danger">Yank {version}</button>
        </form>
      )}
    </section>
  );
}

export function DesignPage(props: { view: DesignView; viewer: Viewer | undefined; origin: string; message?: string }) {
  const { view, viewer } = props;
  const m = view.version.manifest;
  const pkg = view.pkg.package;
  const isOwner = Boolean(viewer && view.pkg.owners.includes(viewer.name));
  const categories = m.category ? [m.category.primary, ...(m.category.additional ?? [])] : [];
  return (
    <Layout title={`${m.title} ${view.version.version}`} viewer={viewer} scripts={['bom.js', 'copy.js']}>
      <article class="design">
        <header class="design-head">
          <h1>{m.title} <span class="version">{view.version.version}</span></h1>
          <p class="pkg">{pkg}{view.version.version === view.pkg.latest ? ' · latest' : <> · <a href={`/designs/${pkg}`}>see the latest version</a></>}</p>
          <p class="summary">{m.summary}</p>
          {view.version.yanked ? <Notice kind="error">This version is yanked{view.version.yank?.reason ? `: ${view.version.yank.reason}` : ''}. It stays downloadable for existing builds; new builds should use another version.</Notice> : null}
          {props.message ? <Notice kind="info">{props.message}</Notice> : null}
          <p class="tags">
            {categories.map((c) => <a class="tag" href={`/search?category=${encodeURIComponent(c)}`}>{c}</a>)}
            <span class="tag">owners: {view.pkg.owners.map((o, i) => <>{i ? ', ' : ''}<a href={`/accounts/${o}`}>{o}</a></>)}</span>
            <span class="tag">published {view.version.publishedAt.slice(0, 10)} by {view.version.publisher}</span>
          </p>
        </header>
        <div class="design-grid">
          <div class="design-main">
            <ProvenanceSection view={view} />
            <section aria-labelledby="fn-h"><h2 id="fn-h">What it does</h2>{m.function ? <p>{m.function}</p> : <NotProvided manifest={m} section="function" />}</section>
            <Images view={view} />
            {m.notProvided?.bom !== undefined
              ? <section aria-labelledby="bom-missing-h"><h2 id="bom-missing-h">Bill of materials</h2><NotProvided manifest={m} section="bom" /></section>
              : <BomSection pkg={pkg} version={view.version.version} batch={view.batch} {...(view.bom ? { report: view.bom } : {})} {...(view.bomError ? { error: view.bomError } : {})} />}
            <section aria-labelledby="readme-h" class="readme">
              <h2 id="readme-h">README</h2>
              {/* The only raw HTML on the site: markdown-it output with html:false and http(s)/relative links only (markdown.ts). */}
              {view.readmeHtml !== undefined ? <div class="markdown" dangerouslySetInnerHTML={{ __html: view.readmeHtml }} /> : <p class="muted">No README in this version.</p>}
            </section>
            <Production view={view} />
            <SupplyChain view={view} />
            <Files view={view} />
          </div>
          <aside class="design-side" aria-label="Facts">
            <Licences view={view} />
            <MaturityFacts view={view} />
            <Certification view={view} />
            {isOwner && viewer ? <OwnerActions view={view} viewer={viewer} /> : null}
            <Commands view={view} origin={props.origin} />
            <Versions view={view} />
            <Lineage view={view} />
            <WhereUsed view={view} />
            <MakeLocally view={view} />
            <Builds view={view} />
          </aside>
        </div>
      </article>
    </Layout>
  );
}
