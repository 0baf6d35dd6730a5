/**
 * The HTTP conventions every discovery strategy follows: global fetch (undici underneath),
 * a timeout AND the round's AbortSignal on every request, a recognisable User-Agent, and
 * failures as typed errors the doctor can classify (status, Retry-After), never as items.
 */

export const USER_AGENT = 'Tributary/0.1 (+local-first discovery)';
export const DEFAULT_TIMEOUT_MS = 30_000;

/** A non-2xx answer. `status` and `retryAfterMs` are read by coerceError and the classifier. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly url: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The source wants a login (401/403, or a 200 that is a sign-in page): systemic, not transient. */
export class AuthRequiredError extends Error {
  override readonly name = 'AuthRequiredError';
  readonly code = 'auth_required';
}

/** The body is not what was promised (truncated XML, HTML instead of a feed, bad JSON). */
export class FormatError extends Error {
  override readonly name = 'FormatError';
  readonly code = 'bad_format';
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const s = Number(value.trim());
  if (Number.isFinite(s) && s >= 0) return Math.round(s * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface FetchOptions {
  signal: AbortSignal;
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** Accept 304 as an answer (conditional GET) instead of an error. */
  allowNotModified?: boolean;
}

/** Fetches with timeout + abort; throws HttpError / AuthRequiredError for failures. */
export async function fetchChecked(url: string, o: FetchOptions): Promise<Response> {
  const signal = AbortSignal.any([
    o.signal,
    AbortSignal.timeout(o.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  ]);
  const res = await fetch(url, {
    signal,
    redirect: 'follow',
    headers: { 'user-agent': USER_AGENT, ...o.headers },
  });
  if (res.status === 304 && o.allowNotModified) return res;
  if (res.ok) return res;
  // The body of an error answer is not needed; release the connection.
  await res.body?.cancel().catch(() => undefined);
  if (res.status === 401 || res.status === 403) {
    throw new AuthRequiredError(
      `${res.status} from ${redactUrl(url)}: the source wants a login (cookie or token expired?)`,
    );
  }
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
  throw new HttpError(
    res.status,
    url,
    `HTTP ${res.status} from ${redactUrl(url)}${retryAfterMs !== undefined ? ` (retry after ${Math.round(retryAfterMs / 1000)}s)` : ''}`,
    retryAfterMs,
  );
}

/** Query strings can carry tokens (`?api_key=`): messages and events show the path only. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    // Not a URL (should not happen here); show nothing rather than a possible secret.
    return '(url)';
  }
}

/** Is this body an HTML page rather than the XML/JSON that was promised? */
export function looksLikeHtml(body: string): boolean {
  return /^\s*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(body.slice(0, 2000));
}

/** A sign-in page served with 200 (expired cookie): a form with a password field or login words. */
export function looksLikeLoginPage(body: string): boolean {
  const head = body.slice(0, 50_000);
  return (
    /<input[^>]+type=["']?password/i.test(head) ||
    /\b(sign in|log in|login|signin|session expired|verify you are human|captcha)\b/i.test(head)
  );
}

/** Reject an HTML page where a feed/sitemap/JSON was expected, as the right kind of error. */
export function refuseHtml(body: string, url: string, expected: string): void {
  if (!looksLikeHtml(body)) return;
  if (looksLikeLoginPage(body)) {
    throw new AuthRequiredError(
      `${redactUrl(url)} answered with a login page instead of ${expected} (cookie or token expired?)`,
    );
  }
  throw new FormatError(`${redactUrl(url)} answered with an HTML page instead of ${expected}`);
}
