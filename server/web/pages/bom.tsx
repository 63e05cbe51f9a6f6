/** @jsxImportSource preact */
import type { BomReport } from '../../services/explode-bom.ts';
import type { Viewer } from '../render.ts';
import { Layout, Notice } from './layout.tsx';

const qty = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/0+$/, '').replace(/\.$/, ''));
const money = (n: number, currency: string) => `${n.toFixed(2)} ${currency}`;

export const bomApiPath = (pkg: string, version: string) => `/api/v1/designs/${pkg}/versions/${version}/bom`;
export const bomPagePath = (pkg: string, version: string) => `/designs/${pkg}/v/${version}/bom`;

/**
 * The exploded BOM at a batch size: a form (works without script; bom.js swaps the section in
 * place), totals per currency (never mixed), the table and the CSV download of the same numbers.
 */
export function BomSection(props: { pkg: string; version: string; report?: BomReport; error?: string; batch: number }) {
  const { report, pkg, version } = props;
  const csv = `${bomApiPath(pkg, version)}?batch=${props.batch}&format=csv`;
  return (
    <section id="bom" aria-labelledby="bom-h" data-bom-page={bomPagePath(pkg, version)}>
      <h2 id="bom-h">Bill of materials</h2>
      <form class="batch" method="get" action={bomPagePath(pkg, version)}>
        <label for="batch">Batch size (units to build)</label>
        <input id="batch" name="batch" type="number" min="1" step="1" inputMode="numeric" value={String(props.batch)} />
        <button type="submit">Update</button>
        <a class="button" id="bom-csv" href={csv} download>Download BOM CSV (batch {props.batch})</a>
      </form>
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      {report ? (
        <>
          <p class="bom-totals" id="bom-totals" aria-live="polite">
            For <strong>{report.batch}</strong> unit{report.batch === 1 ? '' : 's'}:{' '}
            {report.totals.length ? report.totals.map((t, i) => (
              <>{i ? ' + ' : ''}<strong>{money(t.amount, t.currency)}</strong> ({money(t.perUnit, t.currency)} per unit, {t.lines} lines)</>
            )) : 'no priced lines'}
            {report.unpriced.length ? `; ${report.unpriced.length} line${report.unpriced.length === 1 ? '' : 's'} without a usable price` : ''}
            {report.maxLeadTimeDays !== undefined ? `; longest lead time ${report.maxLeadTimeDays} days` : ''}.
          </p>
          {report.tree.packages.length > 1 ? (
            <p>Sub-assemblies: {report.tree.packages.slice(1).map((p, i) => (
              <>{i ? ', ' : ''}<a href={`/designs/${p.package}/v/${p.version}`}>{p.package}@{p.version}</a>{p.yanked ? ' (yanked)' : ''}</>
            ))}</p>
          ) : null}
          <div class="table-wrap" tabIndex={0} role="region" aria-label="Parts table">
            <table class="bom">
              <caption class="visually-hidden">Parts for a batch of {report.batch}</caption>
              <thead><tr><th scope="col">Part</th><th scope="col">Type</th><th scope="col">Per unit</th><th scope="col">Needed</th><th scope="col">Supplier</th><th scope="col">Buy</th><th scope="col">Unit price</th><th scope="col">Extended</th></tr></thead>
              <tbody>
                {report.lines.map((l) => (
                  <tr data-line={l.key}>
                    <td>{l.name}{l.mpn ? <div class="muted">{l.manufacturer ? `${l.manufacturer} ` : ''}{l.mpn}</div> : null}{l.package !== pkg ? <div class="muted">from {l.package}</div> : null}</td>
                    <td>{l.type}</td>
                    <td class="num">{qty(l.quantityPerUnit)} {l.unit}</td>
                    <td class="num needed">{qty(l.needed)} {l.unit}</td>
                    <td>{l.chosen ? <>{l.chosen.supplier}{l.chosen.region ? ` (${l.chosen.region})` : ''}</> : <span class="muted">unpriced</span>}</td>
                    <td class="num">{l.chosen ? qty(l.chosen.buyQuantity) : ''}</td>
                    <td class="num">{l.chosen ? money(l.chosen.unitPrice, l.chosen.currency) : ''}</td>
                    <td class="num">{l.chosen ? money(l.chosen.extendedPrice, l.chosen.currency) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {report.warnings?.length ? <ul class="warnings">{report.warnings.map((w) => <li>{w}</li>)}</ul> : null}
        </>
      ) : null}
    </section>
  );
}

export function BomPage(props: { viewer: Viewer | undefined; title: string; pkg: string; version: string; report?: BomReport; error?: string; batch: number }) {
  return (
    <Layout title={`BOM of ${props.pkg}@${props.version}`} viewer={props.viewer} scripts={['bom.js']}>
      <p class="crumbs"><a href={`/designs/${props.pkg}/v/${props.version}`}>← {props.title} {props.version}</a></p>
      <h1>{props.title} {props.version}: bill of materials</h1>
      <BomSection {...props} />
    </Layout>
  );
}
