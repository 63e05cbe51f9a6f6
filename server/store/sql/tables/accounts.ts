export interface AccountTables {
  accounts: {
    name: string;
    email: string;
    /** `similarityKey(name)`: look-alike names share it, so registration finds them by index. */
    similarity_key: string;
    /** `scrypt$N$r$p$salt$key`, or `!` for a token-only account. */
    password_hash: string;
    created_at: string;
  };
  account_roles: { account: string; role: string };
  tokens: {
    id: string;
    account: string;
    name: string;
    /** Space-separated scope names, in canonical order. */
    scopes: string;
    /** `sha256:<hex>` of the whole token; the token itself is never stored. */
    hash: string;
    created_at: string;
    revoked_at: string | null;
  };
}
