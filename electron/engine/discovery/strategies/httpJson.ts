import { z } from 'zod';
import { resolveSecretHeaders } from '../../secrets/resolveSecretHeaders.ts';
import { fetchChecked, FormatError, redactUrl, refuseHtml } from '../http.ts';
import { getPath, pickFields } from '../jsonPath.ts';
import type { DiscoveryStrategy } from '../types.ts';

const Pagination = z.union([
  z.strictObject({
    /** Dot path of the next page's URL in the body (`links.next`); absent/null = last page. */
    next: z.string().min(1),
  }),
  z.strictObject({
    /** Query parameter carrying the page number. */
    param: z.string().min(1),
    start: z.number().int().default(1),
  }),
]);

const Params = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  /** Header values may name a secret: `Authorization: "secret:my_api"` (never logged). */
  headers: z.record(z.string(), z.string()).default({}),
  /** Dot path of the items array in the body (`data.children`); `''` when the body is the array. */
  items: z.string().default(''),
  /** Dot path of the key inside an item (`id`, `data.id`). */
  key: z.string().min(1).default('id'),
  /** Output field → dot path in the item. Without it the whole item is the data. */
  fields: z.record(z.string(), z.string()).optional(),
  pagination: Pagination.optional(),
  /** Pages per round in monitor mode (backfill reads one page per round). */
  max_pages: z.number().int().min(1).default(5),
  timeout_ms: z.number().int().min(100).default(30_000),
});

type P = z.output<typeof Params>;

/**
 * `http_json`: a JSON API. Items come from `items`, keyed by `key`, mapped by `fields`;
 * pages follow a next link in the body or count a page parameter. Monitor mode reads up to
 * `max_pages` from the start each round; backfill mode reads ONE page per round from where
 * the last round stopped (kept in the job's state) and reports exhaustion at the last page.
 */
export const httpJsonStrategy: DiscoveryStrategy<typeof Params> = {
  name: 'http_json',
  paramsSchema: Params,
  async *discover(params, ctx) {
    const headers = await resolveSecretHeaders(params.headers, ctx.secrets);
    const backfill = ctx.mode === 'backfill';
    let url: string | undefined =
      backfill && typeof ctx.state.next === 'string' ? ctx.state.next : firstPage(params);
    let page = backfill && typeof ctx.state.page === 'number' ? ctx.state.page : pageStart(params);
    for (let n = 0; url && n < (backfill ? 1 : params.max_pages); n++) {
      if (ctx.signal.aborted) return;
      const res = await fetchChecked(url, {
        signal: ctx.signal,
        timeoutMs: params.timeout_ms,
        headers: { accept: 'application/json', ...headers },
      });
      const text = await res.text();
      refuseHtml(text, url, 'JSON');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (e) {
        // Truncated or not JSON: an error, never "zero items".
        throw new FormatError(`${redactUrl(url)} sent invalid JSON: ${(e as Error).message}`);
      }
      const list = getPath(body, params.items);
      if (!Array.isArray(list)) {
        throw new FormatError(`${redactUrl(url)}: \`${params.items || '(body)'}\` is not an array`);
      }
      for (const raw of list) {
        const k = getPath(raw, params.key);
        if (typeof k !== 'string' && typeof k !== 'number') continue;
        yield { key: String(k), data: pickFields(raw, params.fields) };
      }
      // Next page: a link in the body, or the page number while pages are non-empty.
      let next: string | undefined;
      if (params.pagination && 'next' in params.pagination) {
        const link = getPath(body, params.pagination.next);
        next = typeof link === 'string' && link ? new URL(link, url).toString() : undefined;
      } else if (params.pagination && list.length > 0) {
        page += 1;
        next = withParam(params.url, params.pagination.param, page);
      }
      url = next;
      if (backfill) {
        ctx.state.next = next;
        ctx.state.page = page;
        if (!next) ctx.exhausted();
      }
    }
  },
};

function pageStart(p: P): number {
  return p.pagination && 'param' in p.pagination ? p.pagination.start : 1;
}

function firstPage(p: P): string {
  return p.pagination && 'param' in p.pagination
    ? withParam(p.url, p.pagination.param, p.pagination.start)
    : p.url;
}

function withParam(url: string, name: string, value: number): string {
  const u = new URL(url);
  u.searchParams.set(name, String(value));
  return u.toString();
}
