import type { Rule } from '../types.ts';
import { hitOf, type Entry } from './entry.ts';

/**
 * What a bare HTTP status says. Weights are modest on purpose: a status is the server's
 * category, its body is the server's meaning, and the phrase rules read the body — a 400
 * whose body says "API key not valid" is a key problem, a 403 whose body says "rate limit
 * exceeded" is a rate limit. Where the status alone is all there is, these decide.
 */
const STATUS: Record<number, Entry> = {
  400: ['item_specific', 0.55],
  401: ['systemic', 0.85],
  402: ['systemic', 0.85, 'billing'],
  403: ['systemic', 0.6, 'block'],
  404: ['item_specific', 0.8],
  405: ['code_bug', 0.6],
  407: ['systemic', 0.85],
  408: ['transient', 0.75],
  409: ['transient', 0.6],
  410: ['item_specific', 0.85],
  411: ['code_bug', 0.6],
  413: ['item_specific', 0.8],
  414: ['item_specific', 0.75],
  415: ['item_specific', 0.65],
  420: ['rate_limited', 0.9],
  422: ['item_specific', 0.55],
  425: ['transient', 0.7],
  429: ['rate_limited', 0.88],
  451: ['item_specific', 0.88],
  500: ['transient', 0.7],
  501: ['item_specific', 0.55],
  502: ['transient', 0.75],
  503: ['transient', 0.68],
  504: ['transient', 0.75],
  507: ['systemic', 0.8],
  520: ['transient', 0.75],
  521: ['transient', 0.75],
  522: ['transient', 0.75],
  523: ['transient', 0.7],
  524: ['transient', 0.75],
  525: ['transient', 0.72],
  526: ['systemic', 0.8],
  529: ['transient', 0.8],
  530: ['transient', 0.6],
};

/** HTTP statuses, from `status` or from the text ("HTTP 503", "429 Client Error", "Error code: 400"). */
export const httpRule: Rule = (r, text) => {
  const status = r.status ?? statusFromText(r.message) ?? statusFromText(text);
  if (status === undefined || status < 400 || status > 599) return undefined;
  // A crawler's 403 means the site refuses us, on every page of it: counted per site.
  const entry: Entry =
    STATUS[status] ?? (status >= 500 ? ['transient', 0.6] : ['item_specific', 0.45]);
  return hitOf(`http.${status}`, entry);
};

const STATUS_PATTERNS: RegExp[] = [
  /\b(?:HTTP(?:\/\d(?:\.\d)?)?|status(?: code)?|error code|responded with|returned|response code|statusCode)[:= ]+(\d{3})\b/i,
  /\b(\d{3}) (?:Client|Server) Error\b/,
  /\bHTTP Error (\d{3})\b/,
  /^(\d{3}) [A-Z][a-z]+/,
  /"(?:status|code)"\s*:\s*(\d{3})\b/,
  /\b(\d{3}) =>\s*Net::HTTP/,
];

export function statusFromText(text: string): number | undefined {
  for (const re of STATUS_PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    const n = Number(m[1]);
    if (n >= 400 && n < 600) return n;
  }
  return undefined;
}
