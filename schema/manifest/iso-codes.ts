/**
 * Code lists the validator checks against. Kept as data rather than taken from `Intl` so that
 * the answer does not change with the ICU build of the Node that runs the validator.
 */

/** ISO 3166-1 alpha-2, officially assigned codes (249), as of 2024. */
export const ISO_3166_ALPHA2: ReadonlySet<string> = new Set(`
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ
BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR
CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU
ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ
LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF
PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI
SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR
TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
`.trim().split(/\s+/));

/**
 * Regions an offer or `supplyChain.regionsServed` may name besides a country. Spelled out in
 * capitals so that none collides with a country code (`NA` is Namibia, not North America).
 */
export const MACRO_REGIONS: ReadonlySet<string> = new Set([
  'WORLD', 'EU', 'EEA', 'EUROPE', 'AFRICA', 'ASIA', 'OCEANIA', 'NORTH-AMERICA', 'SOUTH-AMERICA', 'LATAM', 'MIDDLE-EAST',
]);

/** Frequent non-ISO spellings and the code meant. */
export const REGION_ALIASES: Readonly<Record<string, string>> = { UK: 'GB', EL: 'GR', GLOBAL: 'WORLD', WW: 'WORLD' };

/**
 * ISO 4217 active codes, minus XTS (testing) and XXX (no currency), which no price can be in.
 */
export const ISO_4217: ReadonlySet<string> = new Set(`
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN
BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP
ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK
JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK
MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN
PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB
TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG
XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG ZWL
`.trim().split(/\s+/));

export const isCountry = (code: string): boolean => ISO_3166_ALPHA2.has(code);
export const isRegion = (code: string): boolean => ISO_3166_ALPHA2.has(code) || MACRO_REGIONS.has(code);
export const isCurrency = (code: string): boolean => ISO_4217.has(code);

/**
 * BCP 47 well-formedness via Intl (which implements the RFC 5646 grammar). Returns the
 * canonical spelling, or undefined when the tag is not well-formed.
 */
export function canonicalLanguageTag(tag: string): string | undefined {
  // Real tags are short; don't hand Intl arbitrarily long input.
  if (tag.length > 64) return undefined;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical;
  } catch {
    return undefined;
  }
}
