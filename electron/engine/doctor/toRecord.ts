import type { RunFailure } from '../runner/coerceError.ts';
import type { ErrorRecord } from './types.ts';

const MAX_TEXT = 4000;

/**
 * Flattens whatever a handler threw into an ErrorRecord. Libraries hide the useful part in
 * different places: the openai SDK sets no `name` (only the constructor says RateLimitError)
 * and keeps the provider's code in `error.code`; undici wraps the errno in `cause`; execa
 * and friends keep a child's output in `stderr`; HTTP clients keep `response.status`.
 */
export function toRecord(f: RunFailure, stage?: string): ErrorRecord {
  const e = (typeof f.error === 'object' && f.error !== null ? f.error : {}) as Record<
    string,
    unknown
  >;
  const ctor = (f.error as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  const name =
    f.name === 'Error' && typeof ctor === 'string' && ctor !== 'Error' && ctor !== 'Object'
      ? ctor
      : f.name;
  const response = obj(e.response);
  const status = f.status ?? num(response?.status) ?? num(response?.statusCode);
  const cause = obj(e.cause);
  const apiBody = obj(e.error);
  const rec: ErrorRecord = { message: f.message, name };
  if (f.code !== undefined) rec.code = f.code;
  if (status !== undefined) rec.status = status;
  const body = str(e.body) ?? str(response?.body) ?? str(response?.data);
  if (body) rec.body = body.slice(0, MAX_TEXT);
  const stderr = str(e.stderr);
  if (stderr) rec.stderr = stderr.slice(-MAX_TEXT);
  if (stage) rec.stage = stage;
  const headers = headersOf(e.headers) ?? headersOf(response?.headers);
  if (headers) rec.headers = headers;
  if (cause) {
    const cc = str(cause.code) ?? (typeof cause.errno === 'string' ? cause.errno : undefined);
    if (cc) rec.causeCode = cc;
    const cm = str(cause.message);
    if (cm) rec.causeMessage = cm.slice(0, 500);
  }
  // Our own HTTP errors (discovery/http.ts) carry the parsed Retry-After as a number.
  const carried = f.retryAfterMs ?? num(e.retryAfterMs);
  if (carried !== undefined) rec.headers = { ...rec.headers, 'retry-after-ms': String(carried) };
  const apiCode = str(apiBody?.code) ?? str(apiBody?.type) ?? str(e.type);
  if (apiCode) rec.apiCode = apiCode;
  // The site the failing request went to: a block page names it, a 403 from an LLM provider
  // must not be blamed on the article's site.
  const site = str(e.host) ?? hostOf(str(e.url)) ?? hostOf(str(e.finalUrl));
  if (site) rec.site = site;
  return rec;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return undefined;
}

/** Headers come as a fetch `Headers`, a plain object or nothing; keys are lower-cased. */
function headersOf(h: unknown): Record<string, string> | undefined {
  if (!h || typeof h !== 'object') return undefined;
  const out: Record<string, string> = {};
  if (typeof (h as Headers).forEach === 'function' && typeof (h as Headers).get === 'function') {
    (h as Headers).forEach((v, k) => (out[k.toLowerCase()] = v));
  } else {
    for (const [k, v] of Object.entries(h)) if (typeof v === 'string') out[k.toLowerCase()] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    // Not a URL: no site to name.
    return undefined;
  }
}
