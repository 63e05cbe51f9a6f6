/** @jsxImportSource preact */
import type { Viewer } from '../render.ts';
import { Layout } from './layout.tsx';

type Doc = Record<string, any>;

const refName = (s: Doc | undefined): string => {
  if (!s) return '';
  if (typeof s.$ref === 'string') return s.$ref.split('/').at(-1)!;
  if (s.type === 'array') return `${refName(s.items)}[]`;
  if (s.enum) return s.enum.join(' | ');
  return s.type ?? 'object';
};

function Schema({ name, schema }: { name: string; schema: Doc }) {
  return (
    <details class="schema" id={`schema-${name}`}>
      <summary>{name}</summary>
      <pre>{JSON.stringify(schema, null, 2)}</pre>
    </details>
  );
}

/** GET /api: the OpenAPI document as a page (server-rendered, nothing from a CDN). */
export function ApiPage({ viewer, doc }: { viewer: Viewer | undefined; doc: Doc }) {
  const ops: Array<{ method: string; path: string; op: Doc }> = [];
  for (const [path, item] of Object.entries(doc.paths as Doc)) for (const [method, op] of Object.entries(item as Doc)) ops.push({ method, path, op });
  const tags = [...new Set(ops.map((o) => o.op.tags[0] as string))];
  const base = doc.servers[0].url as string;
  return (
    <Layout title="API" viewer={viewer}>
      <h1>{doc.info.title}</h1>
      <p>{doc.info.description}</p>
      <p>OpenAPI {doc.openapi} document: <a href={`${base}/openapi.json`}>{base}/openapi.json</a>. Authenticated routes take <code>Authorization: Bearer &lt;token&gt;</code> (<code>ohw login</code>).</p>
      {tags.map((tag) => (
        <section aria-labelledby={`tag-${tag}`}>
          <h2 id={`tag-${tag}`}>{tag}</h2>
          {ops.filter((o) => o.op.tags[0] === tag).map(({ method, path, op }) => {
            const ok = Object.entries(op.responses as Doc).find(([k]) => k !== 'default');
            const content = ok ? (ok[1] as Doc).content : undefined;
            const [type, media] = content ? Object.entries(content as Doc)[0]! : ['', {}];
            return (
              <div class="operation" id={op.operationId}>
                <h3><span class={`method ${method}`}>{method.toUpperCase()}</span> <code>{base}{path}</code>{op.security ? <span class="tag">token</span> : null}</h3>
                <p>{op.summary}</p>
                {op.parameters.filter((p: Doc) => p.in === 'query').length ? (
                  <ul class="params">{op.parameters.filter((p: Doc) => p.in === 'query').map((p: Doc) => <li><code>{p.name}</code> ({refName(p.schema)}): {p.description}</li>)}</ul>
                ) : null}
                {op.requestBody ? <p>Body: {Object.entries(op.requestBody.content as Doc).map(([t, m]) => <><code>{t}</code> {refName((m as Doc).schema)}</>)}</p> : null}
                <p>Answer {ok?.[0]}: <code>{type}</code> {type === 'application/json' ? refName((media as Doc).schema) : ''}</p>
              </div>
            );
          })}
        </section>
      ))}
      <h2>Schemas</h2>
      {Object.entries(doc.components.schemas as Doc).map(([name, schema]) => <Schema name={name} schema={schema as Doc} />)}
    </Layout>
  );
}
