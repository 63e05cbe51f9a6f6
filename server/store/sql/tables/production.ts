/**
 * The local production network's operational rows (issue 16): facility profiles, demand pledges,
 * production runs with their commitments and transitions, and offers. Private or mutable, so in
 * the database; build reports are public facts and live in index.git instead.
 */
export interface ProductionTables {
  producer_profiles: {
    account: string;
    facility: string;
    name: string;
    country: string;
    region: string | null;
    lat: number | null;
    lon: number | null;
    facility_level: string;
    /** The whole profile (contact included) as validated; the columns above are for indexes. */
    profile_json: string;
    updated_at: string;
  };
  /** Regions a facility serves (its own country and region included), for `?region=` lookups. */
  producer_regions: { account: string; facility: string; region: string };
  pledges: {
    id: string;
    account: string;
    pkg: string;
    version: string;
    region: string;
    quantity: number;
    max_unit_price: number | null;
    currency: string | null;
    needed_by: string | null;
    /** `active` or `withdrawn`; one active pledge per account, design and region (partial unique index). */
    status: string;
    created_at: string;
    updated_at: string;
  };
  production_runs: {
    id: string;
    producer: string;
    facility: string | null;
    pkg: string;
    version: string;
    region: string;
    min_quantity: number;
    unit_price: number;
    currency: string;
    deadline: string;
    state: string;
    created_at: string;
    updated_at: string;
  };
  run_commitments: { run_id: string; account: string; pledge_id: string; units: number; at: string };
  run_transitions: { run_id: string; seq: number; from_state: string | null; to_state: string; action: string; actor: string; at: string };
  producer_offers: {
    account: string;
    facility: string;
    pkg: string;
    level: string;
    offer_json: string;
    updated_at: string;
  };
}
