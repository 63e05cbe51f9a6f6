/** @jsxImportSource preact */
import type { SearchHit, SearchResult } from '../../search/port.ts';
import { FACETS } from '../../domain/search-query.ts';
import type { Viewer } from '../render.ts';
import { Layout, Notice } from './layout.tsx';

/** The query string as the page received it (strings only), for building facet and page links. */
export type QueryParams = Array<[string, string]>;

const FACET_LABELS: Record<string, string> = {
  license: 'Licence', category: 'Category', process: 'Process', maturity: 'Maturity', certified: 'Certified', region: 'Supplier region',
};
const FILTERS = ['license', 'category', 'process', 'canMake', 'maturity', 'certified', 'region', 'licenseFamily', 'facility', 'tools'];

export function href(path: string, params: QueryParams): string {
  const qs = new URLSearchParams(params).toString();
  return qs ? `${path}?${qs}` : path;
}

function toggled(params: QueryParams, name: string, value: string): QueryParams {
  const without = params.filter(([k]) => k !== 'page');
  const has = without.some(([k, v]) => k === name && v === value);
  return has ? without.filter(([k, v]) => !(k === name && v === value)) : [...without, [name, value]];
}

export function ResultItem({ hit }: { hit: SearchHit }) {
  return (
    <li class="result">
      <h3><a href={`/designs/${hit.package}`}>{hit.title}</a> <span class="pkg">{hit.package}@{hit.version}</span></h3>
      <p>{hit.summary}</p>
      <p class="tags">
        {hit.certified ? <span class="tag certified">certified</span> : null}
        {hit.category ? <span class="tag">{hit.category}</span> : null}
        {hit.licenses.map((l) => <span class="tag">{l}</span>)}
        {hit.processes.map((p) => <span class="tag process">{p}</span>)}
        {hit.otrl ? <span class="tag">{hit.otrl}</span> : null}
        {hit.odrl ? <span class="tag">{hit.odrl}</span> : null}
        {hit.estimatedCost ? <span class="tag">≈ {hit.estimatedCost.amount.toFixed(0)} {hit.estimatedCost.currency}</span> : null}
      </p>
    </li>
  );
}

const FORM_FIELDS = ['canMake', 'region', 'certified', 'sort', 'page'];

/** The filters that are not facet links: what a producer can make, region, certified, order. */
function RefineForm({ params }: { params: QueryParams }) {
  const get = (k: string) => params.find(([n]) => n === k)?.[1] ?? '';
  return (
    <form method="get" action="/search" class="refine">
      {params.filter(([k]) => !FORM_FIELDS.includes(k)).map(([k, v]) => <input type="hidden" name={k} value={v} />)}
      <label for="f-canmake">I can make with (process codes)</label>
      <input id="f-canmake" name="canMake" type="text" placeholder="WEL,MEC,3DP" value={get('canMake')} />
      <label for="f-region">Suppliers in region</label>
      <input id="f-region" name="region" type="text" placeholder="EU, US, DE…" value={get('region')} />
      <label for="f-sort">Order</label>
      <select id="f-sort" name="sort">
        {[['relevance', 'Relevance'], ['updated', 'Recently updated'], ['cost', 'Lowest estimated cost']].map(([v, l]) => <option value={v} selected={get('sort') === v}>{l}</option>)}
      </select>
      <label class="choice"><input type="checkbox" name="certified" value="true" checked={get('certified') === 'true'} /> Certified only</label>
      <button type="submit">Apply</button>
    </form>
  );
}

export function SearchPage(props: { viewer: Viewer | undefined; params: QueryParams; q: string; result?: SearchResult; error?: string }) {
  const { result, params } = props;
  const active = params.filter(([k]) => FILTERS.includes(k));
  const pages = result ? Math.max(1, Math.ceil(result.total / result.limit)) : 1;
  const page = result?.page ?? 1;
  const withPage = (n: number) => [...params.filter(([k]) => k !== 'page'), ['page', String(n)]] as QueryParams;
  return (
    <Layout title={props.q ? `Search: ${props.q}` : 'All designs'} viewer={props.viewer} q={props.q}>
      <h1>{props.q ? <>Designs matching “{props.q}”</> : 'All designs'}</h1>
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      {active.length ? (
        <p class="filters">Filters: {active.map(([k, v]) => (
          <a class="tag removable" href={href('/search', toggled(params, k, v))} aria-label={`Remove filter ${k} ${v}`}>{k}: {v} ✕</a>
        ))} <a href={href('/search', params.filter(([k]) => k === 'q'))}>clear all</a></p>
      ) : null}
      {result ? (
        <div class="search-layout">
          <aside class="facets" aria-label="Refine">
            <RefineForm params={params} />
            {FACETS.map((f) => {
              const counts = Object.entries(result.facets[f] ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
              if (!counts.length) return null;
              return (
                <section class="facet">
                  <h2>{FACET_LABELS[f] ?? f}</h2>
                  <ul>
                    {counts.map(([value, count]) => {
                      const on = params.some(([k, v]) => k === f && v === value);
                      return (
                        <li><a class={on ? 'facet-link on' : 'facet-link'} data-facet={f} href={href('/search', toggled(params, f, value))} aria-current={on ? 'true' : undefined}>
                          {value} <span class="count">({count})</span>
                        </a></li>
                      );
                    })}
                  </ul>
                </section>
              );
            })}
          </aside>
          <section class="results" aria-label="Results">
            <p class="total">{result.total} design{result.total === 1 ? '' : 's'}{result.totalCapped ? ' or more' : ''}{pages > 1 ? `, page ${page} of ${pages}` : ''}</p>
            {result.hits.length ? <ol class="results">{result.hits.map((h) => <ResultItem hit={h} />)}</ol> : (
              <div class="no-results">
                <p>No designs match{props.q ? <> “{props.q}”</> : null}{active.length ? ' with these filters' : ''}.</p>
                <ul>
                  <li>Check the spelling, or use fewer words (all words must match).</li>
                  {active.length ? <li>Remove a filter above.</li> : null}
                  <li>Search by part name, manufacturer part number, process code (e.g. WEL, 3DP) or licence id.</li>
                  <li><a href="/search">Browse all designs</a>.</li>
                </ul>
              </div>
            )}
            {pages > 1 || page > 1 ? (
              <nav class="pager" aria-label="Pages">
                {page > 1 ? <a rel="prev" href={href('/search', withPage(page - 1))}>← Previous</a> : null}
                {page < pages ? <a rel="next" href={href('/search', withPage(page + 1))}>Next →</a> : null}
              </nav>
            ) : null}
          </section>
        </div>
      ) : <p><a href="/search">Start a new search</a></p>}
    </Layout>
  );
}
