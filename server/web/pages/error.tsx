/** @jsxImportSource preact */
import type { Viewer } from '../render.ts';
import { Layout, Notice } from './layout.tsx';

const TITLES: Record<number, string> = {
  400: 'That request could not be understood',
  401: 'Sign in needed',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Too large',
  429: 'Too many attempts',
  503: 'Temporarily unavailable',
  507: 'Out of storage',
  500: 'Something went wrong',
};

export function ErrorPage(props: { status: number; message: string; viewer: Viewer | undefined; requestId?: string }) {
  const title = TITLES[props.status] ?? 'Error';
  return (
    <Layout title={title} viewer={props.viewer}>
      <h1>{title}</h1>
      <Notice kind="error">{props.message}</Notice>
      {props.status === 404 ? <p>Try <a href="/search">searching the registry</a> or go to the <a href="/">home page</a>.</p> : null}
      {props.requestId ? <p>Reference: <code>{props.requestId}</code></p> : null}
    </Layout>
  );
}
