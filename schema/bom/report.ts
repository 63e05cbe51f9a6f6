/**
 * The BOM document shared by the HTTP API and `ohw bom`: identity, the resolved tree, then the
 * costing. One shape, so a local folder and a published version answer alike.
 */
import type { BomCosting } from './cost.ts';
import type { ResolvedTree } from './resolve.ts';

export interface TreePackage {
  package: string;
  version: string;
  yanked: boolean;
  /** Direct sub-assemblies of this version as resolved now. */
  dependencies: Array<{ package: string; range: string; version: string }>;
}

export interface TreeSummary {
  /** Sub-assembly levels below the design (0 = no sub-assemblies). */
  depth: number;
  /** Every `package@version` used, the design first, then by name and version. */
  packages: TreePackage[];
}

export interface BomReport extends Omit<BomCosting, 'currency'> {
  package: string;
  version: string;
  /** The requested (or, with rates, target) currency; null when none was asked for. */
  currency: string | null;
  tree: TreeSummary;
}

/** What `resolveTree` used: the root first, then every other node sorted by name and version. */
export function treeSummary(tree: ResolvedTree, rootYanked = false): TreeSummary {
  const yanked = new Set<string>();
  for (const n of tree.nodes.values()) for (const e of n.edges) if (e.yanked) yanked.add(`${e.package}@${e.version}`);
  const others = [...tree.nodes.values()].filter((n) => n !== tree.root).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    depth: tree.root.height,
    packages: [tree.root, ...others].map((n) => ({
      package: n.package,
      version: n.version,
      yanked: n === tree.root ? rootYanked : yanked.has(n.key),
      dependencies: n.edges.map((e) => ({ package: e.package, range: e.range, version: e.version })),
    })),
  };
}

/** Shapes the answer: identity, tree, then the costing (same order for server and CLI). */
export function bomReport(pkg: string, version: string, tree: ResolvedTree, costing: BomCosting, rootYanked = false): BomReport {
  const { currency, batch, ...rest } = costing;
  return { package: pkg, version, batch, currency: currency ?? null, tree: treeSummary(tree, rootYanked), ...rest };
}

