/**
 * Port of the local production network's operational state (issue 16): facility profiles,
 * pledges, runs (with commitments and transitions) and offers. The SQLite adapter is
 * server/store/sql/production-store.ts; services reach it as `deps.production`.
 */
import type { StoredProfile } from '../domain/production/profile.ts';
import type { RunState } from '../domain/production/runs.ts';

export interface Pledge {
  id: string;
  account: string;
  pkg: string;
  version: string;
  region: string;
  quantity: number;
  maxUnitPrice: number | null;
  currency: string | null;
  neededBy: string | null;
  status: 'active' | 'withdrawn';
  createdAt: string;
  updatedAt: string;
}

export interface Run {
  id: string;
  producer: string;
  facility: string | null;
  pkg: string;
  version: string;
  region: string;
  minQuantity: number;
  unitPrice: number;
  currency: string;
  deadline: string;
  state: RunState;
  createdAt: string;
  updatedAt: string;
}

export interface RunTransition { seq: number; from: RunState | null; to: RunState; action: string; actor: string; at: string }

export interface StoredOffer {
  account: string;
  facility: string;
  pkg: string;
  level: string;
  offer: Record<string, unknown>;
  updatedAt: string;
}

export interface ProfileQuery {
  account?: string;
  /** Facilities serving this region (or its country, or a subdivision of it). */
  region?: string;
  /** Facilities with coordinates inside this box. */
  box?: { minLat: number; maxLat: number; minLon: number; maxLon: number };
}

export interface DemandData {
  rows: Array<{ region: string; pledgers: number; units: number }>;
  /** region → currency → ceilings sorted ascending. */
  ceilings: Map<string, Map<string, number[]>>;
}

export interface ProductionStore {
  putProfile(p: StoredProfile, servedRegions: string[]): Promise<{ created: boolean }>;
  getProfile(account: string, facility: string): Promise<StoredProfile | undefined>;
  /** Filtered ones ordered by account and facility; all of them (no filter) in no particular order. */
  listProfiles(q?: ProfileQuery): Promise<StoredProfile[]>;
  deleteProfile(account: string, facility: string): Promise<boolean>;

  /** CONFLICT when the account already has an active pledge for this design and region. */
  createPledge(p: Omit<Pledge, 'status' | 'createdAt' | 'updatedAt' | 'id'>, at: string): Promise<Pledge>;
  getPledge(id: string): Promise<Pledge | undefined>;
  updatePledge(id: string, change: Partial<Pick<Pledge, 'quantity' | 'maxUnitPrice' | 'currency' | 'neededBy' | 'region' | 'version'>>, at: string): Promise<Pledge>;
  withdrawPledge(id: string, at: string): Promise<Pledge>;
  pledgesOf(account: string): Promise<Pledge[]>;
  activePledge(account: string, pkg: string, region: string): Promise<Pledge | undefined>;
  demand(pkg: string): Promise<DemandData>;
  /** Active pledged units of `pkg` in `region` (or its subdivisions) whose ceiling covers the price. */
  eligibleUnits(pkg: string, region: string, unitPrice: number, currency: string): Promise<{ pledges: number; units: number }>;

  createRun(r: Omit<Run, 'id' | 'state' | 'createdAt' | 'updatedAt'>, actor: string, at: string): Promise<Run>;
  getRun(id: string): Promise<Run | undefined>;
  runsOf(q: { pkg?: string; producer?: string; committedBy?: string }): Promise<Run[]>;
  transitions(runId: string): Promise<RunTransition[]>;
  committedUnits(runId: string): Promise<{ units: number; pledgers: number }>;
  commitment(runId: string, account: string): Promise<{ units: number; pledgeId: string; at: string } | undefined>;
  /**
   * One transaction: record the commitment; when the committed units reach the minimum of an open
   * run, move it to `funded` (recorded as done by the registry). CONFLICT if already committed.
   */
  commit(runId: string, account: string, pledge: Pledge, at: string): Promise<Run>;
  /** Compare-and-set on the state, with the transition recorded; INVALID_TRANSITION if the state moved. */
  transition(runId: string, from: RunState, to: RunState, action: string, actor: string, at: string): Promise<Run>;

  putOffer(o: StoredOffer): Promise<void>;
  deleteOffer(account: string, facility: string, pkg: string, level?: string): Promise<number>;
  offersOf(q: { pkg?: string; account?: string }): Promise<StoredOffer[]>;
}

export const PHOTO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];
export interface PhotoRef { sha256: string; type: PhotoType; size: number }

/** Build report photos, content-addressed (`sha256:<hex>`), stored once. */
export interface PhotoStore {
  put(bytes: Uint8Array, type: PhotoType): Promise<PhotoRef>;
  get(sha256: string): Promise<{ bytes: Buffer; type: PhotoType } | undefined>;
  has(sha256: string): Promise<boolean>;
}
