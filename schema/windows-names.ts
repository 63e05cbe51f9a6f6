/**
 * Device names Windows reserves in every folder: `CON`, `PRN`, `AUX`, `NUL`, `COM1`–`COM9`,
 * `LPT1`–`LPT9` (and the superscript-digit forms `COM¹`…). Windows reserves them in any case and
 * with any extension (`con.step`, `Aux.tar.gz`), and ignores trailing spaces and dots before the
 * check (`nul .txt`). A package holding one cannot be checked out or unpacked on Windows, and a
 * design repository named `con.git` cannot be copied there: both are refused. Pure.
 */
const DEVICE = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])$/i;

/** The device name `segment` would open on Windows (`CON.step` → `CON`), or undefined. */
export function windowsDeviceName(segment: string): string | undefined {
  const dot = segment.indexOf('.');
  const stem = (dot < 0 ? segment : segment.slice(0, dot)).replace(/[ .]+$/, '');
  return DEVICE.test(stem) ? stem : undefined;
}
