export interface WebTables {
  web_sessions: {
    /** `sha256:<hex>` of the session id; the id itself lives only in the browser's cookie. */
    id_hash: string;
    account: string;
    /** The synchronizer token every form of this session carries. */
    csrf_token: string;
    created_at: string;
    expires_at: string;
  };
}
