/**
 * The certification mark as SVG: the UID and the version, with a state that is visibly different
 * when the certificate no longer holds. Text is escaped; widths are estimated (no font metrics).
 */
const COLOURS: Record<string, string> = {
  certified: '#2e7d32',
  expired: '#757575',
  suspended: '#ef6c00',
  revoked: '#c62828',
  withdrawn: '#757575',
};

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
const width = (s: string) => Math.round(s.length * 6.6 + 12);

export function badgeSvg(input: { uid: string; version: string; package: string; state: string }): string {
  const label = 'open hardware certified';
  const value = input.state === 'certified' ? `${input.uid} · v${input.version}` : `${input.uid} · ${input.state.toUpperCase()}`;
  const lw = width(label);
  const vw = width(value);
  const colour = COLOURS[input.state] ?? '#757575';
  const strike = input.state === 'certified' ? '' :
    `<line x1="${lw}" y1="10" x2="${lw + vw}" y2="10" stroke="#fff" stroke-width="1" opacity="0.6"/>`;
  const title = `${input.package}@${input.version}: certificate ${input.uid} (${input.state})`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${lw + vw}" height="20" role="img" aria-label="${escapeXml(title)}">
<title>${escapeXml(title)}</title>
<rect width="${lw}" height="20" fill="#333"/>
<rect x="${lw}" width="${vw}" height="20" fill="${colour}"/>
<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">
<text x="${lw / 2}" y="14">${escapeXml(label)}</text>
<text x="${lw + vw / 2}" y="14">${escapeXml(value)}</text>
</g>${strike}
</svg>
`;
}
