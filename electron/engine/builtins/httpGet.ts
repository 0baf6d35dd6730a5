import { ProxyAgent, request, type Dispatcher } from 'undici';
import {
  detectBlockPage,
  detectLoginForm,
  detectLoginRedirect,
  roughVisibleText,
} from '../../../workers/tasks/detectBlockPage.ts';
import { BadPage, blockError, EmptyBody, HttpStatusError, RateLimitedPage } from './fetchErrors.ts';
import { retryAfterMs } from '../llm/llmErrors.ts';

export interface FetchOptions {
  timeoutMs: number;
  maxRedirects: number;
  maxBytes: number;
  userAgent: string;
  /** http://user:pass@host:port — through undici's ProxyAgent. */
  proxy?: string;
  headers?: Record<string, string>;
  /** Conditional request validators from the previous fetch of this URL. */
  etag?: string;
  lastModified?: string;
  /**
   * Recognise rate-limit notices, bot checks, login walls (a redirect to a sign-in URL, a
   * sign-in form, "please log in") and empty bodies (default true).
   */
  detectBlocks?: boolean;
  signal?: AbortSignal;
}

export interface FetchedPage {
  url: string;
  finalUrl: string;
  status: number;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  /** Empty on 304 Not Modified. */
  body: Buffer;
  notModified: boolean;
  redirects: number;
}

export const FETCH_DEFAULTS: FetchOptions = {
  timeoutMs: 30_000,
  maxRedirects: 5,
  maxBytes: 10 * 1024 * 1024,
  userAgent: 'Tributary/0.1 (+https://github.com/tributary; local-first pipeline)',
};

const proxies = new Map<string, ProxyAgent>();
function dispatcherFor(proxy: string | undefined): Dispatcher | undefined {
  if (!proxy) return undefined;
  let agent = proxies.get(proxy);
  if (!agent) proxies.set(proxy, (agent = new ProxyAgent(proxy)));
  return agent;
}

/**
 * One GET with the limits a long-running crawler needs: an overall timeout, a redirect cap
 * (redirects are followed here, so each hop is checked), a size cap enforced while streaming
 * (a 2 GB "page" is cut at max_bytes, not buffered), and block pages recognised BEFORE the
 * caller stores anything.
 */
export async function httpGet(url: string, opts: FetchOptions): Promise<FetchedPage> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const dispatcher = dispatcherFor(opts.proxy);
  let current = url;
  for (let hop = 0; ; hop++) {
    let parsed: URL;
    try {
      parsed = new URL(current);
    } catch {
      throw new BadPage('bad_url', `not a URL: ${current}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new BadPage('bad_url', `only http(s) URLs can be fetched, got ${parsed.protocol}`);
    const headers: Record<string, string> = {
      'user-agent': opts.userAgent,
      accept: 'text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8',
      ...(opts.headers ?? {}),
    };
    if (hop === 0 && opts.etag) headers['if-none-match'] = opts.etag;
    if (hop === 0 && opts.lastModified) headers['if-modified-since'] = opts.lastModified;
    const res = await request(current, {
      method: 'GET',
      headers,
      signal,
      ...(dispatcher ? { dispatcher } : {}),
    });
    const h = (name: string): string | null => {
      const v = res.headers[name];
      return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
    };
    if (res.statusCode >= 300 && res.statusCode < 400 && res.statusCode !== 304) {
      await res.body.dump();
      const location = h('location');
      if (!location) throw new HttpStatusError(res.statusCode, current);
      if (hop >= opts.maxRedirects)
        throw new BadPage(
          'too_many_redirects',
          `more than ${opts.maxRedirects} redirects from ${url}`,
        );
      current = new URL(location, current).href;
      continue;
    }
    const base = {
      url,
      finalUrl: current,
      status: res.statusCode,
      contentType: h('content-type'),
      etag: h('etag'),
      lastModified: h('last-modified'),
      redirects: hop,
    };
    if (res.statusCode === 304) {
      await res.body.dump();
      return { ...base, body: Buffer.alloc(0), notModified: true };
    }
    if (res.statusCode === 429) {
      await res.body.dump();
      const hdrs = new Headers();
      for (const k of ['retry-after', 'retry-after-ms']) {
        const v = h(k);
        if (v) hdrs.set(k, v);
      }
      throw new RateLimitedPage(`HTTP 429 from ${current}`, retryAfterMs(hdrs) ?? 60_000);
    }
    if (res.statusCode === 404 || res.statusCode === 410) {
      await res.body.dump();
      throw new BadPage('not_found', `HTTP ${res.statusCode}: ${current} is gone`, res.statusCode);
    }
    const declared = Number(h('content-length'));
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      res.body.destroy();
      throw new BadPage(
        'too_large',
        `${current} is ${declared} bytes (max_bytes ${opts.maxBytes}); raise \`max_bytes\` to fetch it`,
      );
    }
    const body = await readLimited(res.body, opts.maxBytes, current);
    if (res.statusCode >= 400) {
      // A 403 that is really a bot check or login wall says more than its status.
      if (opts.detectBlocks !== false && isTextual(base.contentType)) {
        const v = detectBlockPage(roughVisibleText(body.subarray(0, 65_536).toString('utf8')));
        if (v && v.kind !== 'empty') throw blockError(v, url, current);
      }
      throw new HttpStatusError(
        res.statusCode,
        current,
        isTextual(base.contentType) ? body.subarray(0, 4000).toString('utf8') : undefined,
      );
    }
    if (opts.detectBlocks !== false) {
      if (body.byteLength === 0) throw new EmptyBody(`empty body from ${current}`);
      // Redirected to /login?next=…: whatever that page says, it is not the content.
      const redirected = hop > 0 ? detectLoginRedirect(url, current) : undefined;
      if (redirected) throw blockError(redirected, url, current);
      if (isTextual(base.contentType)) {
        const html = /html|xml/i.test(base.contentType ?? 'html');
        const text = body.subarray(0, 65_536).toString('utf8');
        const v =
          detectBlockPage(html ? roughVisibleText(text) : text) ??
          (html ? detectLoginForm(body.subarray(0, 262_144).toString('utf8')) : undefined);
        if (v) throw blockError(v, url, current);
      }
    }
    return { ...base, body, notModified: false };
  }
}

async function readLimited(
  body: AsyncIterable<Buffer> & { destroy(): void },
  max: number,
  url: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > max) {
      body.destroy();
      throw new BadPage(
        'too_large',
        `${url} is larger than max_bytes (${max}); raise \`max_bytes\` to fetch it`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function isTextual(contentType: string | null): boolean {
  return contentType === null || /text\/|html|xml|json|javascript/i.test(contentType);
}
