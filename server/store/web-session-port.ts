/** Browser sessions (the web site's sign-in). The id is a bearer secret: stores keep only a hash. */
export interface WebSession {
  account: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export interface WebSessionStore {
  /** A new session for `account`; returns the plaintext id once (for the cookie). */
  create(account: string, ttlMs: number): Promise<{ id: string; session: WebSession }>;
  /** The live session for a cookie value, or undefined (unknown, malformed or expired). */
  find(id: string): Promise<WebSession | undefined>;
  /** Sign-out: forget the session. Unknown ids are ignored. */
  remove(id: string): Promise<void>;
  /** Delete expired sessions; returns how many. */
  sweep(): Promise<number>;
}
