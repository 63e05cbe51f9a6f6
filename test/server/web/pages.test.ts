/**
 * The web site over HTTP without a browser: pages render from the same services as the API,
 * user content is inert, bad input is a readable page, unknown things are an HTML 404, and every
 * page carries the Content-Security-Policy.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRegistry, designFiles, publish, type TestRegistry } from '../../helpers/registry.ts';
import { writeArchive } from '../../../schema/archive.ts';
import { CEB, seedWebFixture, type WebFixture } from '../../helpers/web.ts';

let reg: TestRegistry;
let fx: WebFixture;
let token: string;

/** A 1×1 PNG. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

const HOSTILE_README = [
  '# Hostile <script>alert("readme")</script>',
  '',
  '<img src=x onerror="alert(1)">',
  '',
  '[click me](javascript:alert(document.cookie)) and [data](data:text/html,<script>alert(2)</script>)',
  '[tabbed](java\tscript:alert(3)) [vb](vbscript:msgbox) [proto](//evil.example/x)',
  '',
  '[a good link](https://example.org/docs) and [the cad](cad/part.scad) and ![photo](photo.png)',
  '',
  '![remote](https://evil.example/pixel.png) ![svg](drawing.svg)',
].join('\n');

beforeAll(async () => {
  reg = await makeRegistry();
  fx = await seedWebFixture(reg.deps);
  token = await reg.account('mallory');
  const files = designFiles('mallory/hostile', '1.0.0', (y) => y.replace(/^summary: .*$/m, 'summary: "<script>alert(\'summary\')</script> sneaky"'));
  const readme = files.find((f) => f.path === 'README.md')!;
  readme.data = Buffer.from(HOSTILE_README);
  files.push({ path: 'cad/part.scad', data: Buffer.from('cube(1);') });
  files.push({ path: 'photo.png', data: PNG });
  files.push({ path: 'drawing.svg', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(4)</script></svg>') });
  files.push({ path: 'fake.png', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(5)"/>') });
  const res = await publish(reg.app, token, 'mallory/hostile', '1.0.0', await writeArchive(files));
  if (res.status !== 201) throw new Error(`publish: ${res.status} ${JSON.stringify(res.body)}`);
}, 180_000);
afterAll(() => reg.cleanup());

describe('pages', () => {
  it('home shows the search box, counts and recently published designs', async () => {
    const res = await request(reg.app).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('action="/search"');
    expect(res.text).toMatch(/\d+ designs · \d+ certified/);
    expect(res.text).toContain('Recently published');
  });

  it('the design page of the CEB press shows its sections from the same services as the API', async () => {
    const res = await request(reg.app).get(`/designs/${CEB}`);
    expect(res.status).toBe(200);
    const api = (await request(reg.app).get(`/api/v1/designs/${CEB}`)).body;
    expect(res.text).toContain(`<span class="version">${api.latest}</span>`);
    for (const heading of ['What it does', 'README', 'Bill of materials', 'Production engineering', 'Supply chain', 'Licences', 'Maturity', 'Certification', 'Versions', 'Where used', 'Builds', 'Files (']) {
      expect(res.text).toContain(heading);
    }
    expect(res.text).toContain('OSHWA-compatible');
    expect(res.text).toContain(`ohw download ${CEB}@${api.latest}`);
    expect(res.text).toContain(`href="/api/v1/designs/${CEB}/versions/${api.latest}/bom?batch=1&amp;format=csv"`);
    // The sub-assembly is linked, and the Power Cube's page lists the press under where-used.
    expect(res.text).toMatch(/href="\/designs\/ose\/power-cube\/v\/[^"]+"/);
    const cube = await request(reg.app).get('/designs/ose/power-cube');
    expect(cube.text).toContain(`href="/designs/${CEB}"`);
  });

  it('the BOM page at batch 10 has the same totals as the API and a CSV link for batch 10', async () => {
    const res = await request(reg.app).get(`/designs/${CEB}/v/${fx.cebVersion}/bom?batch=10`);
    expect(res.status).toBe(200);
    const api = (await request(reg.app).get(`/api/v1/designs/${CEB}/versions/${fx.cebVersion}/bom?batch=10`)).body;
    for (const t of api.totals) expect(res.text).toContain(`${t.amount.toFixed(2)} ${t.currency}`);
    expect(res.text).toContain(`bom?batch=10&amp;format=csv`);
    const csv = await request(reg.app).get(`/api/v1/designs/${CEB}/versions/${fx.cebVersion}/bom?batch=10&format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename=".*-bom-x10\.csv"/);
  });

  it('a cached page changes as soon as the design does (yank, un-yank)', async () => {
    const url = '/designs/mallory/hostile/v/1.0.0';
    expect((await request(reg.app).get(url)).text).not.toContain('This version is yanked');
    expect((await request(reg.app).get(url)).text).not.toContain('This version is yanked'); // served from the cache
    const yank = await request(reg.app).post('/api/v1/designs/mallory/hostile/versions/1.0.0/yank').set('Authorization', `Bearer ${token}`).send({ reason: 'cache test' });
    expect(yank.status).toBe(200);
    expect((await request(reg.app).get(url)).text).toContain('This version is yanked: cache test');
    await request(reg.app).delete('/api/v1/designs/mallory/hostile/versions/1.0.0/yank').set('Authorization', `Bearer ${token}`);
    expect((await request(reg.app).get(url)).text).not.toContain('This version is yanked');
  });

  it('a bad batch is a message next to the BOM, not an error page', async () => {
    const res = await request(reg.app).get(`/designs/${CEB}/v/${fx.cebVersion}/bom?batch=-3`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('batch must be a whole number');
    expect(res.text).toContain('id="bom"');
  });

  it('certificate, certification, account and API pages render', async () => {
    expect((await request(reg.app).get(`/certifications/${fx.certification}`)).text).toContain('Automatic checks');
    const account = await request(reg.app).get('/accounts/ose');
    expect(account.text).toContain(`href="/designs/${CEB}"`);
    const api = await request(reg.app).get('/api');
    expect(api.status).toBe(200);
    expect(api.text).toContain('/api/v1/openapi.json');
    expect(api.text).not.toMatch(/<script[^>]+src="https?:/);
  });
});

describe('hostile content renders inert', () => {
  it('a README with <script>, raw HTML and javascript:/data: links becomes text', async () => {
    const res = await request(reg.app).get('/designs/mallory/hostile/v/1.0.0');
    expect(res.status).toBe(200);
    const readme = res.text.slice(res.text.indexOf('class="markdown"'), res.text.indexOf('id="prod-h"'));
    expect(readme.length).toBeGreaterThan(HOSTILE_README.length / 2);
    expect(readme).toContain('&lt;script&gt;alert(&quot;readme&quot;)&lt;/script&gt;');
    expect(readme).toContain('&lt;img src=x onerror=');
    expect(readme).not.toMatch(/<script|<img src=x|onerror="/i);
    expect(readme).not.toMatch(/href="\s*(javascript|data|vbscript|java\s*script):/i);
    expect(readme).not.toContain('href="//evil.example');
    expect(readme).toContain('[click me](javascript:alert(document.cookie))');
    // Safe links survive; links and images of the design's own files point at this site.
    expect(readme).toContain('href="https://example.org/docs"');
    expect(readme).toContain('href="/designs/mallory/hostile/v/1.0.0/files/cad/part.scad"');
    expect(readme).toContain('<img src="/designs/mallory/hostile/v/1.0.0/images/photo.png"');
    // Images from elsewhere and SVGs are never loaded inline.
    expect(readme).not.toContain('src="https://evil.example');
    expect(readme).not.toContain('images/drawing.svg');
  });

  it('manifest text is escaped', async () => {
    const res = await request(reg.app).get('/designs/mallory/hostile');
    expect(res.text).toContain("&lt;script>alert('summary')&lt;/script> sneaky");
    expect(res.text).not.toContain("<script>alert('summary')");
  });

  it('only raster images are served inline, with their type and nosniff; SVG and disguised files are not', async () => {
    const png = await request(reg.app).get('/designs/mallory/hostile/v/1.0.0/images/photo.png');
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['x-content-type-options']).toBe('nosniff');
    const page = await request(reg.app).get('/designs/mallory/hostile/v/1.0.0');
    expect(page.text).toContain('<img src="/designs/mallory/hostile/v/1.0.0/images/photo.png"');
    expect(page.text).not.toContain('images/fake.png');
    for (const p of ['drawing.svg', 'fake.png', 'README.md']) {
      const res = await request(reg.app).get(`/designs/mallory/hostile/v/1.0.0/images/${p}`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    }
    const file = await request(reg.app).get('/designs/mallory/hostile/v/1.0.0/files/drawing.svg').redirects(1);
    expect(file.headers['content-type']).toBe('application/octet-stream');
    expect(file.headers['content-disposition']).toMatch(/^attachment/);
  });

  it('the badge SVG carries no script', async () => {
    const svg = (await import('../../../server/domain/badge.ts')).badgeSvg({ uid: 'OHC-000001', version: '1.0.0', package: '<script>x/y', state: 'certified' });
    expect(svg).not.toMatch(/<script|on\w+=/i);
  });
});

describe('headers and errors', () => {
  it('every page carries a CSP without inline scripts', async () => {
    for (const url of ['/', '/search?q=press', `/designs/${CEB}`, '/login', '/api', '/designs/nobody/nothing', `/certifications/${fx.certification}`]) {
      const res = await request(reg.app).get(url);
      const csp = res.headers['content-security-policy'] as string;
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).not.toContain('unsafe-inline');
      expect(csp, url).toContain("default-src 'none'");
      expect(res.text, url).not.toMatch(/<script>(?!<\/script>)/);
      expect(res.text, url).not.toMatch(/\sstyle="/);
    }
  });

  it.each([
    ['/search?category=Nope', 'category: unknown value &quot;Nope&quot;; allowed: 3D Printing'],
    ['/search?page=abc', 'page: must be an integer'],
    ['/search?page=0', 'page: must be between 1'],
    ['/search?limit=1000', 'limit: must be between 1 and 100'],
    ['/search?maturity=OTRL-9', 'maturity: unknown value'],
  ])('%s is the search page with a readable message', async (url, message) => {
    const res = await request(reg.app).get(url);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain(message);
    expect(res.text).toContain('role="alert"');
  });

  it('the search page takes every API filter, and a facet link adds its filter to the query', async () => {
    const res = await request(reg.app).get('/search?q=press&canMake=WEL,MEC,CNC,CIR,ASM,3DP&region=US&certified=false&sort=cost');
    expect(res.status).toBe(200);
    const api = (await request(reg.app).get('/api/v1/search?q=press&canMake=WEL,MEC,CNC,CIR,ASM,3DP&region=US&certified=false&sort=cost')).body;
    expect(res.text).toContain(`${api.total} design${api.total === 1 ? '' : 's'}`);
    for (const h of api.hits) expect(res.text).toContain(`href="/designs/${h.package}"`);
    expect(res.text).toContain('name="canMake" type="text" placeholder="WEL,MEC,3DP" value="WEL,MEC,CNC,CIR,ASM,3DP"');
    expect(res.text).toMatch(/href="\/search\?q=press&amp;canMake=[^"]*&amp;process=WEL"/);
  });

  it('no results gives help, not an empty page', async () => {
    const res = await request(reg.app).get('/search?q=zzzxqv');
    expect(res.status).toBe(200);
    expect(res.text).toContain('No designs match');
    expect(res.text).toContain('Browse all designs');
  });

  it.each([
    '/designs/nobody/nothing',
    `/designs/${CEB}/v/9.9.9`,
    `/designs/${CEB}/v/not-a-version`,
    `/designs/${CEB}/v/9.9.9/bom`,
    '/certificates/OHC-999999',
    '/certificates/garbage',
    '/certifications/CR-999999',
    '/accounts/nobody-here',
    '/no/such/page',
  ])('%s is an HTML 404 page', async (url) => {
    const res = await request(reg.app).get(url);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<h1>Not found</h1>');
  });

  it('the API keeps its JSON 404', async () => {
    const res = await request(reg.app).get('/api/v1/no/such/route');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});
