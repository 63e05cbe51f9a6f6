import type { PackageLimits } from '../../schema/package-rules.ts';
import type { AccountStore, ArchiveStore, DerivedStore, DesignStore, IndexStore, Person } from '../store/ports.ts';
import type { Database } from '../store/sql/database.ts';
import type { SearchIndex } from '../search/port.ts';
import type { ManifestCache } from './manifest-cache.ts';
import type { ServiceState } from './service-state.ts';
import type { PhotoStore, ProductionStore } from '../store/production-port.ts';
import type { Throttles } from '../store/throttle-port.ts';
import type { WebSessionStore } from '../store/web-session-port.ts';

/** What every use case may touch: ports, never concrete adapters. Built in main.ts or a test. */
export interface Deps {
  designs: DesignStore;
  index: IndexStore;
  accounts: AccountStore;
  /** Derived state stored at publish (version summaries, package reads, search documents, edges). */
  derived: DerivedStore;
  /** The stored archive bytes of each version. */
  archives: ArchiveStore;
  /** The operational database, for stores added by later features. */
  db: Database;
  /** Browser sign-in sessions (the web site). */
  sessions: WebSessionStore;
  search: SearchIndex;
  /** Producer profiles, pledges, runs and offers (issue 16). */
  production: ProductionStore;
  /** Build report photos on disk. */
  photos: PhotoStore;
  /** Rate limits per address and per account, shared by the API and the web sign-in. */
  throttles: Throttles;
  manifests: ManifestCache;
  /** What services keep between requests (write queues, lookup maps): here, not in module variables. */
  state: ServiceState;
  limits: PackageLimits;
  quorum: number;
  now: () => Date;
  log: (line: string) => void;
}

/** The authenticated caller of a use case. */
export interface Actor {
  name: string;
  email: string;
  roles: string[];
  scopes: string[];
}

/**
 * The git identity of an actor. Design repos and the index are cloneable by anyone, so they carry
 * the account name and a no-reply address, never the account's e-mail.
 */
export const personOf = (a: Actor): Person => ({ name: a.name, email: `${a.name}@users.noreply.openhardware.commons` });

/** Commits made by the registry itself (seeding, rebuilds). */
export const REGISTRY_PERSON: Person = { name: 'ohw-registry', email: 'registry@localhost' };
