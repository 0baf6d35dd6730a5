import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { duration } from '../../config/durationSchema.ts';
import { fetchChecked, FormatError, redactUrl, refuseHtml } from '../http.ts';
import { tryNormalizeUrl } from '../normalizeUrl.ts';
import type { DiscoveryContext, DiscoveryStrategy } from '../types.ts';

const Params = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  /** Only pages whose <lastmod> is newer than this long ago (`7d`); pages without one pass. */
  since: duration('1m', '3650d', 'how far back to look').optional(),
  /** Only URLs matching this regular expression. */
  include: z.string().optional(),
  /** How many child sitemaps of an index to read per round (monitor mode). */
  max_sitemaps: z.number().int().min(1).default(50),
  timeout_ms: z.number().int().min(100).default(30_000),
});

type Loc = { loc?: unknown; lastmod?: unknown };

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  isArray: (name) => name === 'url' || name === 'sitemap',
});

/**
 * `sitemap`: a sitemap (`<urlset>`) or a sitemap index (`<sitemapindex>`), whose children
 * are read newest first. `since` filters on <lastmod> (children of an index too). In
 * backfill mode one child sitemap is read per round, the position kept in the job's state,
 * and the archive is exhausted after the last one.
 */
export const sitemapStrategy: DiscoveryStrategy<typeof Params> = {
  name: 'sitemap',
  paramsSchema: Params,
  check(params) {
    if (params.include === undefined) return [];
    try {
      new RegExp(params.include);
      return [];
    } catch (e) {
      // Reported at config load with the file and line.
      return [`include: ${(e as Error).message}`];
    }
  },
  async *discover(params, ctx) {
    const cutoff = params.since !== undefined ? Date.now() - params.since : undefined;
    const include = params.include ? new RegExp(params.include) : undefined;
    const root = await readSitemap(params.url, params.timeout_ms, ctx);
    let urls: Loc[] = root.urls;
    if (root.children.length > 0) {
      const children = root.children
        .filter((c) => fresh(c.lastmod, cutoff))
        .sort((a, b) => time(b.lastmod) - time(a.lastmod));
      let pick: Loc[];
      if (ctx.mode === 'backfill') {
        const next = typeof ctx.state.child === 'number' ? ctx.state.child : 0;
        if (next >= children.length) {
          ctx.exhausted();
          return;
        }
        pick = children.slice(next, next + 1);
        ctx.state.child = next + 1;
        if (next + 1 >= children.length) ctx.exhausted();
      } else pick = children.slice(0, params.max_sitemaps);
      urls = [];
      for (const c of pick) {
        if (ctx.signal.aborted) return;
        const loc = typeof c.loc === 'string' ? c.loc.trim() : '';
        if (!loc) continue;
        urls.push(...(await readSitemap(loc, params.timeout_ms, ctx)).urls);
      }
    } else if (ctx.mode === 'backfill') ctx.exhausted();
    for (const u of urls) {
      if (ctx.signal.aborted) return;
      const raw = typeof u.loc === 'string' ? u.loc.trim() : '';
      const url = raw ? tryNormalizeUrl(raw) : undefined;
      if (!url || !fresh(u.lastmod, cutoff) || (include && !include.test(url))) continue;
      yield {
        key: url,
        data: {
          url,
          sources: [params.url],
          ...(typeof u.lastmod === 'string' ? { lastmod: u.lastmod } : {}),
        },
      };
    }
  },
};

function time(lastmod: unknown): number {
  const t = typeof lastmod === 'string' ? Date.parse(lastmod) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

function fresh(lastmod: unknown, cutoff: number | undefined): boolean {
  if (cutoff === undefined || typeof lastmod !== 'string') return true;
  const t = Date.parse(lastmod);
  return Number.isNaN(t) || t >= cutoff;
}

async function readSitemap(
  url: string,
  timeoutMs: number,
  ctx: DiscoveryContext,
): Promise<{ urls: Loc[]; children: Loc[] }> {
  const res = await fetchChecked(url, {
    signal: ctx.signal,
    timeoutMs,
    headers: { accept: 'application/xml, text/xml' },
  });
  const body = await res.text();
  refuseHtml(body, url, 'a sitemap');
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    throw new FormatError(
      `${redactUrl(url)} is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`,
    );
  }
  const doc = parser.parse(body) as {
    urlset?: { url?: Loc[] } | '';
    sitemapindex?: { sitemap?: Loc[] } | '';
  };
  if (doc.urlset !== undefined) return { urls: (doc.urlset || {}).url ?? [], children: [] };
  if (doc.sitemapindex !== undefined)
    return { urls: [], children: (doc.sitemapindex || {}).sitemap ?? [] };
  throw new FormatError(`${redactUrl(url)} is XML but neither a <urlset> nor a <sitemapindex>`);
}
