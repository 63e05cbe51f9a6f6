/**
 * Derived state, stored at publish so that reads never go back to git: everything here can be
 * regenerated from the design repositories (`npm run rebuild`).
 */
export interface DerivedTables {
  design_versions: {
    pkg: string;
    version: string;
    tag: string;
    commit_oid: string;
    tree: string;
    published_at: string;
    publisher: string;
    checksum: string;
    /** VersionMeta as recorded in the tag. */
    meta_json: string;
    manifest_json: string;
    /** `[{path, size, sha256, executable}]`, sorted by path. */
    files_json: string;
  };
  design_packages: {
    pkg: string;
    /** The package read (`GET /designs/:o/:n`), ready to send. */
    package_json: string;
    /** The search document of the latest visible version; null when nothing is visible. */
    search_doc_json: string | null;
    /** `documentDigest` of the search document: a restored search index is current for it when equal. */
    search_doc_digest: string | null;
    latest: string | null;
    updated_at: string;
    /** The design this one is a fork of (migration 006); null for an original. */
    fork_of: string | null;
  };
  /** Sub-assembly edges recorded at publish: `dependent@dependent_version` uses `dependency@resolved`. */
  design_dependencies: {
    dependent: string;
    dependent_version: string;
    dependency: string;
    range: string;
    resolved: string;
    /** 1 when the dependent version is yanked (where-used flags it). */
    yanked: number;
  };
  /** Designs whose git truth moved and whose derived rows may lag (crash between the two). */
  derived_pending: { pkg: string; since: string };
}
