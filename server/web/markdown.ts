/**
 * README rendering. markdown-it with raw HTML off escapes every tag a README contains; links pass
 * only when they are http(s) or relative (a `javascript:` or `data:` link stays text). Images
 * from this origin's design files (raster types) are shown; any other image becomes a link, so
 * the page never loads from elsewhere (CSP img-src 'self').
 */
import MarkdownIt from 'markdown-it';
import { rasterTypeOf } from './raster.ts';

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export function isSafeHref(url: string): boolean {
  // Browsers ignore tabs/newlines inside a scheme ("java\tscript:"), so strip them before judging.
  // eslint-disable-next-line no-control-regex
  const s = url.replace(/[\u0000-\u0020]/g, '');
  if (s.startsWith('//')) return false; // protocol-relative: another origin with whatever scheme the page has
  if (SCHEME.test(s)) return /^https?:/i.test(s);
  return true;
}

export interface MarkdownContext {
  /** Where the design's files are: `/designs/o/n/v/1.0.0` (links) and images are resolved against it. */
  base: string;
  /** Directory of the Markdown file inside the design (for relative links), '' at the root. */
  dir: string;
  files: ReadonlySet<string>;
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
md.validateLink = isSafeHref;

/** A relative reference to a file of the design, resolved; undefined when it is not one. */
function designFile(href: string, ctx: MarkdownContext): string | undefined {
  if (SCHEME.test(href) || href.startsWith('/') || href.startsWith('#')) return undefined;
  const clean = href.split(/[?#]/)[0]!;
  let decoded: string;
  try { decoded = decodeURIComponent(clean); } catch { return undefined; }
  const parts: string[] = ctx.dir ? ctx.dir.split('/') : [];
  for (const seg of decoded.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') { if (!parts.length) return undefined; parts.pop(); } else parts.push(seg);
  }
  const path = parts.join('/');
  return ctx.files.has(path) ? path : undefined;
}

const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');

md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const href = String(token.attrGet('href') ?? '');
  const file = designFile(href, env as unknown as MarkdownContext);
  if (file) token.attrSet('href', `${(env as unknown as MarkdownContext).base}/files/${encodePath(file)}`);
  else if (/^https?:/i.test(href)) token.attrSet('rel', 'nofollow ugc noopener noreferrer');
  return self.renderToken(tokens, idx, options);
};

md.renderer.rules.image = (tokens, idx, _options, env) => {
  const ctx = env as unknown as MarkdownContext;
  const token = tokens[idx]!;
  const src = String(token.attrGet('src') ?? '');
  const alt = md.utils.escapeHtml(token.content || src);
  const file = designFile(src, ctx);
  if (file && rasterTypeOf(file)) {
    return `<img src="${md.utils.escapeHtml(`${ctx.base}/images/${encodePath(file)}`)}" alt="${alt}" loading="lazy">`;
  }
  if (isSafeHref(src) && /^https?:/i.test(src)) {
    return `<a href="${md.utils.escapeHtml(src)}" rel="nofollow ugc noopener noreferrer">image: ${alt}</a>`;
  }
  return `<span>image: ${alt}</span>`;
};

/** README text → HTML that is safe to insert (the only dangerouslySetInnerHTML on the site). */
export function renderMarkdown(text: string, ctx: MarkdownContext): string {
  return md.render(text, ctx as unknown as Record<string, unknown>);
}
