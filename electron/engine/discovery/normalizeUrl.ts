/**
 * URL normalization, so one page is one item: `https://Example.com:443/a?utm_source=x#top`
 * and `https://example.com/a` are the same key. Only http(s) URLs are accepted.
 *
 * What changes: scheme and host lower-cased, default ports and the fragment dropped,
 * tracking parameters removed by rule (below), the remaining query parameters sorted by
 * name (stable, so repeated names keep their order). The path is kept as written: `/a` and
 * `/a/` can be different pages on real servers.
 */

/** Exact tracking parameter names (ad click ids, mail campaign ids, share ids). */
const TRACKING_EXACT = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'ttclid',
  'li_fat_id',
  'igshid',
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
  'oly_anon_id',
  'oly_enc_id',
  'vero_id',
  'ref_src',
  'ref_url',
  'spm',
  '_ga',
  '_gl',
]);

/** Prefixes: every `utm_*` (utm_source, utm_medium, utm_campaign, utm_term, utm_content…). */
const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_', 'hsa_'];

export function isTrackingParam(name: string): boolean {
  const n = name.toLowerCase();
  return TRACKING_EXACT.has(n) || TRACKING_PREFIXES.some((p) => n.startsWith(p));
}

export class UrlRefused extends Error {
  override readonly name = 'UrlRefused';
}

/** Parses and normalizes; throws UrlRefused with a human reason for anything else. */
export function normalizeUrl(input: string, base?: string): string {
  let u: URL;
  try {
    u = new URL(input.trim(), base);
  } catch {
    // Not a URL at all; the caller shows the reason next to the input.
    throw new UrlRefused(`not a valid URL: ${JSON.stringify(input)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new UrlRefused(`only http(s) URLs are accepted, not ${u.protocol.replace(/:$/, '')}:`);
  }
  u.hash = '';
  u.username = '';
  u.password = '';
  const kept = [...u.searchParams].filter(([k]) => !isTrackingParam(k));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  u.search = kept.length ? new URLSearchParams(kept).toString() : '';
  // URL already lower-cases the host and drops default ports.
  return u.toString();
}

/** normalizeUrl that returns undefined instead of throwing (link scraping). */
export function tryNormalizeUrl(input: string, base?: string): string | undefined {
  try {
    return normalizeUrl(input, base);
  } catch {
    // A link that is not http(s) (mailto:, javascript:) is simply not an item.
    return undefined;
  }
}
