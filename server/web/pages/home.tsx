/** @jsxImportSource preact */
import type { SearchResult } from '../../search/port.ts';
import type { Viewer } from '../render.ts';
import { Layout } from './layout.tsx';
import { ResultItem } from './search.tsx';

export interface HomeData {
  designs: number;
  certified: number;
  categories: Array<[string, number]>;
  recent: SearchResult['hits'];
  recentlyCertified: SearchResult['hits'];
}

export function HomePage({ viewer, data }: { viewer: Viewer | undefined; data: HomeData }) {
  return (
    <Layout title="Open hardware you can build" viewer={viewer}>
      <section class="hero">
        <h1>Open hardware designs you can build, fork and certify</h1>
        <form action="/search" method="get" class="big-search" role="search">
          <label for="home-q">Find a design</label>
          <input id="home-q" type="search" name="q" placeholder="e.g. earth block press, microscope, WEL" />
          <button type="submit">Search</button>
        </form>
        <p class="counts">{data.designs} designs · {data.certified} certified ·{' '}
          {data.categories.slice(0, 6).map(([c, n], i) => <>{i ? ', ' : ''}<a href={`/search?category=${encodeURIComponent(c)}`}>{c}</a> ({n})</>)}
        </p>
      </section>
      <div class="columns">
        <section>
          <h2>Recently published</h2>
          {data.recent.length ? <ol class="results">{data.recent.map((h) => <ResultItem hit={h} />)}</ol> : <p>Nothing published yet.</p>}
        </section>
        <section>
          <h2>Recently certified</h2>
          {data.recentlyCertified.length ? <ol class="results">{data.recentlyCertified.map((h) => <ResultItem hit={h} />)}</ol> : <p>No certified designs yet. <a href="/search">Browse all designs</a>.</p>}
        </section>
      </div>
    </Layout>
  );
}
