import { parseHTML } from 'linkedom';
import { z } from 'zod';
import { fetchChecked, FormatError } from '../http.ts';
import { tryNormalizeUrl } from '../normalizeUrl.ts';
import type { DiscoveryStrategy } from '../types.ts';

const Params = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  /** CSS selector of the links (default: every `a[href]`). */
  selector: z.string().min(1).default('a[href]'),
  /** Keep only absolute URLs matching this regular expression… */
  include: z.string().optional(),
  /** …and drop those matching this one. */
  exclude: z.string().optional(),
  /** Only links on the page's own host. */
  same_host: z.boolean().default(false),
  limit: z.number().int().min(1).optional(),
  timeout_ms: z.number().int().min(100).default(30_000),
});

/**
 * `html_links`: the links of one page, picked by a CSS selector (linkedom: a fast DOM
 * without a browser). Relative links resolve against the page (and its <base>); only
 * http(s) links count; each is normalized, so the same article linked twice is one item.
 */
export const htmlLinksStrategy: DiscoveryStrategy<typeof Params> = {
  name: 'html_links',
  paramsSchema: Params,
  check(params) {
    const problems: string[] = [];
    for (const k of ['include', 'exclude'] as const) {
      const re = params[k];
      if (re === undefined) continue;
      try {
        new RegExp(re);
      } catch (e) {
        // Reported at config load with the file and line.
        problems.push(`${k}: ${(e as Error).message}`);
      }
    }
    return problems;
  },
  async *discover(params, ctx) {
    const res = await fetchChecked(params.url, {
      signal: ctx.signal,
      timeoutMs: params.timeout_ms,
      headers: { accept: 'text/html, application/xhtml+xml' },
    });
    const html = await res.text();
    const pageUrl = res.url || params.url;
    const { document } = parseHTML(html);
    let nodes: ArrayLike<{ getAttribute(name: string): string | null; textContent: string | null }>;
    try {
      nodes = document.querySelectorAll(params.selector);
    } catch (e) {
      // A selector linkedom cannot parse is a config mistake, reported as such.
      throw new FormatError(
        `selector \`${params.selector}\` is not valid CSS: ${(e as Error).message}`,
      );
    }
    const base = document.querySelector('base[href]')?.getAttribute('href');
    const baseUrl = base ? (tryNormalizeUrl(base, pageUrl) ?? pageUrl) : pageUrl;
    const include = params.include ? new RegExp(params.include) : undefined;
    const exclude = params.exclude ? new RegExp(params.exclude) : undefined;
    const host = new URL(pageUrl).hostname;
    const seen = new Set<string>();
    let n = 0;
    for (const a of Array.from(nodes)) {
      if (ctx.signal.aborted) return;
      const href = a.getAttribute('href');
      const url = href ? tryNormalizeUrl(href, baseUrl) : undefined;
      if (!url || seen.has(url)) continue;
      if (include && !include.test(url)) continue;
      if (exclude?.test(url)) continue;
      if (params.same_host && new URL(url).hostname !== host) continue;
      seen.add(url);
      const text = (a.textContent ?? '').replace(/\s+/g, ' ').trim();
      yield { key: url, data: { url, ...(text ? { title: text } : {}), sources: [params.url] } };
      if (params.limit && ++n >= params.limit) return;
    }
  },
};
