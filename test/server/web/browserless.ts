/** Helpers for driving the web site with supertest: cookies and CSRF tokens as a browser keeps them. */
import request from 'supertest';
import type { Express } from 'express';
import { PASSWORD } from '../../helpers/web.ts';

export const csrfIn = (html: string): string | undefined => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

/** `name=value` pairs of Set-Cookie headers, for sending back. */
export function cookiesOf(res: request.Response): string[] {
  const set = res.headers['set-cookie'] as unknown as string[] | undefined;
  return (set ?? []).map((c) => c.split(';')[0]!).filter((c) => !c.endsWith('='));
}

export interface Browser { cookie: string; csrf: string }

/** Sign in through the form; returns the session cookie and the session's CSRF token. */
export async function signIn(app: Express, name: string, password = PASSWORD): Promise<Browser> {
  const form = await request(app).get('/login');
  const login = await request(app).post('/login').set('Cookie', cookiesOf(form))
    .type('form').send({ _csrf: csrfIn(form.text), name, password });
  if (login.status !== 303) throw new Error(`sign-in of ${name}: ${login.status}\n${login.text}`);
  const cookie = cookiesOf(login).find((c) => c.startsWith('ohw_session='))!;
  const page = await request(app).get('/').set('Cookie', cookie);
  return { cookie, csrf: csrfIn(page.text)! };
}
