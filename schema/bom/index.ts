/**
 * The BOM core: resolve sub-assemblies → explode → cost → render (JSON / table / CSV), and
 * where-used. Pure: all registry access is the `BomRegistry` passed in.
 *
 *   const tree = await resolveTree({ package, version, manifest }, registry);
 *   const bom = explode(tree);
 *   const costing = costBatch(bom, { batch: 10, currency: 'EUR', rates });
 *   bomToCsv(costing) / bomToTable(costing) / JSON.stringify(costing)
 */
export * from './resolve.ts';
export * from './explode.ts';
export * from './cost.ts';
export * from './csv.ts';
export * from './table.ts';
export * from './where-used.ts';
export { formatMoney, formatQty } from './decimal.ts';
export * from './memory-registry.ts';
export * from './report.ts';
