/** @jsxImportSource preact */
import type { accountView } from '../../services/account-view.ts';
import type { Viewer } from '../render.ts';
import type { profilesOf } from '../../services/production/producers.ts';
import { Csrf, Layout, Notice } from './layout.tsx';

export function AccountPage(props: { viewer: Viewer | undefined; account: Awaited<ReturnType<typeof accountView>>; producers: Awaited<ReturnType<typeof profilesOf>> }) {
  const a = props.account;
  return (
    <Layout title={a.name} viewer={props.viewer}>
      <h1>{a.name}</h1>
      <p class="muted">Member since {a.since.slice(0, 10)}{a.roles.length ? ` · ${a.roles.join(', ')}` : ''}</p>
      <h2>Designs ({a.designs.length})</h2>
      {a.designs.length ? <ul>{a.designs.map((d) => <li><a href={`/designs/${d.package}`}>{d.title ?? d.package}</a> <span class="muted">{d.package}{d.latest ? `@${d.latest}` : ''}</span></li>)}</ul> : <p class="muted">No designs yet.</p>}
      {props.producers.length ? (
        <>
          <h2>Producer</h2>
          <ul>{props.producers.map((p) => <li><strong>{p.name}</strong> — {p.location.region ?? p.location.country}, {p.facilityLevel}; processes {p.processes.join(', ')}{p.servesRegions.length ? `; serves ${p.servesRegions.join(', ')}` : ''}</li>)}</ul>
        </>
      ) : null}
      <h2>Certifications</h2>
      {a.certifications.length ? <ul>{a.certifications.map((c) => <li><a href={`/certifications/${c.id}`}>{c.id}</a> {c.package}@{c.version}: {c.state}{c.uid ? <> — <a href={`/certificates/${c.uid}`}>{c.uid}</a></> : null}</li>)}</ul> : <p class="muted">None.</p>}
    </Layout>
  );
}

export function LoginPage(props: { viewer: Viewer | undefined; csrf: string; name?: string; next?: string; error?: string }) {
  return (
    <Layout title="Sign in" viewer={props.viewer}>
      <h1>Sign in</h1>
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      {props.viewer ? <p>You are signed in as {props.viewer.name}.</p> : null}
      <form method="post" action="/login" class="login">
        <Csrf token={props.csrf} />
        {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
        <label for="login-name">Account name</label>
        <input id="login-name" name="name" type="text" autoComplete="username" required value={props.name ?? ''} />
        <label for="login-password">Password</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required />
        <p><button type="submit">Sign in</button></p>
      </form>
      <p class="muted">No account? Register with the CLI: <code>ohw register</code>.</p>
    </Layout>
  );
}
