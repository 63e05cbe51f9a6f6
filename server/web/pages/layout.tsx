/** @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import type { Viewer } from '../render.ts';

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function Layout(props: { title: string; viewer: Viewer | undefined; children: ComponentChildren; q?: string; scripts?: string[] }) {
  const { viewer } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Open Hardware Commons`}</title>
        <link rel="stylesheet" href="/assets/site.css" />
        <link rel="icon" href="/assets/favicon.png" type="image/png" />
        {(props.scripts ?? []).map((s) => <script src={`/assets/${s}`} defer />)}
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site">
          <a class="brand" href="/">Open Hardware Commons</a>
          <form class="search" role="search" action="/search" method="get">
            <label for="site-q" class="visually-hidden">Search designs</label>
            <input id="site-q" type="search" name="q" value={props.q ?? ''} placeholder="Search designs, parts, processes…" />
            <button type="submit">Search</button>
          </form>
          <nav aria-label="Account">
            <ul>
              {viewer?.roles.includes('reviewer') ? <li><a href="/reviews">Reviews</a></li> : null}
              {viewer ? (
                <>
                  <li><a href={`/accounts/${viewer.name}`}>{viewer.name}</a></li>
                  <li>
                    <form method="post" action="/logout" class="inline">
                      <Csrf token={viewer.csrf} />
                      <button type="submit" class="link">Sign out</button>
                    </form>
                  </li>
                </>
              ) : <li><a href="/login">Sign in</a></li>}
            </ul>
          </nav>
        </header>
        <main id="main">{props.children}</main>
        <footer class="site">
          <a href="/api">API (OpenAPI 3.1)</a> · <a href="/search">All designs</a> · Designs are published under their own licences.
        </footer>
      </body>
    </html>
  );
}

/** A short message box (errors, refusals, notes). */
export function Notice({ kind, children }: { kind: 'error' | 'info'; children: ComponentChildren }) {
  return <div class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>{children}</div>;
}

export function CopyCommand({ label, command }: { label: string; command: string }) {
  return (
    <div class="command">
      <span class="command-label">{label}</span>
      <code>{command}</code>
      <button type="button" class="copy" data-copy={command} hidden>Copy</button>
    </div>
  );
}
