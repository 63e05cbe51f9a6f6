import type { Request, Response } from 'express';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Who is looking, as pages need it: for the header, and the CSRF token of every form. */
export interface Viewer {
  name: string;
  roles: string[];
  csrf: string;
}

export function viewerOf(req: Request): Viewer | undefined {
  const u = req.webUser;
  return u ? { name: u.actor.name, roles: u.actor.roles, csrf: u.session.csrfToken } : undefined;
}

/** A rendered page as text (pages are escaped by Preact; see markdown.ts for the one exception). */
export function html(page: VNode): string {
  return `<!doctype html>\n${renderToString(page)}`;
}

export function sendHtml(res: Response, status: number, body: string): void {
  res.status(status).type('text/html; charset=utf-8').set('Cache-Control', 'no-cache').send(body);
}

export function sendPage(res: Response, status: number, page: VNode): void {
  sendHtml(res, status, html(page));
}
