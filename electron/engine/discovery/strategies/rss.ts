import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { fetchChecked, FormatError, redactUrl, refuseHtml } from '../http.ts';
import { tryNormalizeUrl } from '../normalizeUrl.ts';
import type { DiscoveredItem, DiscoveryStrategy } from '../types.ts';

const Params = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  /** Stop after this many entries per round (newest first in most feeds). */
  limit: z.number().int().min(1).optional(),
  timeout_ms: z.number().int().min(100).default(30_000),
});

interface Entry {
  id: string | null;
  url: string | null;
  title: string | null;
  published: string | null;
  summary: string | null;
  authors: string[];
  categories: string[];
}

/**
 * `rss`: RSS 2.0, Atom (via @rowanmanning/feed-parser, maintained and lenient about real
 * feeds) and JSON Feed (by hand: it is plain JSON). Conditional GET with the ETag and
 * Last-Modified of the previous round, so an unchanged feed costs one 304. Keys are the
 * entry's guid/id, falling back to its link; an entry with neither is skipped.
 */
export const rssStrategy: DiscoveryStrategy<typeof Params> = {
  name: 'rss',
  paramsSchema: Params,
  async *discover(params, ctx) {
    const headers: Record<string, string> = {
      accept:
        'application/feed+json, application/json, application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5',
    };
    const sameUrl = ctx.state.url === params.url;
    if (sameUrl && typeof ctx.state.etag === 'string') headers['if-none-match'] = ctx.state.etag;
    if (sameUrl && typeof ctx.state.lastModified === 'string')
      headers['if-modified-since'] = ctx.state.lastModified;
    const res = await fetchChecked(params.url, {
      signal: ctx.signal,
      timeoutMs: params.timeout_ms,
      headers,
      allowNotModified: true,
    });
    if (res.status === 304) {
      ctx.log.debug({ url: redactUrl(params.url) }, 'feed not modified');
      return;
    }
    const body = await res.text();
    const entries = parseEntries(body, res.headers.get('content-type') ?? '', params.url);
    // Remember validators only after the body parsed: a broken answer must be fetched again.
    ctx.state.url = params.url;
    ctx.state.etag = res.headers.get('etag') ?? undefined;
    ctx.state.lastModified = res.headers.get('last-modified') ?? undefined;
    let n = 0;
    for (const e of entries) {
      if (ctx.signal.aborted) return;
      const item = toItem(e, params.url);
      if (!item) continue;
      yield item;
      if (params.limit && ++n >= params.limit) return;
    }
  },
};

function toItem(e: Entry, feedUrl: string): DiscoveredItem | undefined {
  const link = e.url ? (tryNormalizeUrl(e.url, feedUrl) ?? e.url) : null;
  const key = e.id?.trim() || link;
  if (!key) return undefined;
  const data: Record<string, unknown> = { feed: feedUrl, sources: [feedUrl] };
  if (link) data.url = link;
  if (e.title) data.title = e.title;
  if (e.published) data.published = e.published;
  if (e.summary) data.summary = e.summary;
  if (e.authors.length) data.authors = e.authors;
  if (e.categories.length) data.topics = e.categories;
  return { key, data };
}

export function parseEntries(body: string, contentType: string, url: string): Entry[] {
  const trimmed = body.trimStart();
  if (/json/i.test(contentType) || trimmed.startsWith('{')) return parseJsonFeed(trimmed, url);
  refuseHtml(body, url, 'a feed');
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    throw new FormatError(
      `${redactUrl(url)} is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`,
    );
  }
  let feed: ReturnType<typeof parseFeed>;
  try {
    feed = parseFeed(body);
  } catch (e) {
    // XML that is not RSS or Atom: a wrong URL, reported as a format error.
    throw new FormatError(
      `${redactUrl(url)} is XML but not an RSS or Atom feed: ${(e as Error).message}`,
    );
  }
  return feed.items.map((i) => ({
    id: i.id,
    url: i.url,
    title: i.title,
    published: (i.published ?? i.updated)?.toISOString() ?? null,
    summary: i.description,
    authors: i.authors.map((a) => a.name).filter((n): n is string => !!n),
    categories: i.categories.map((c) => c.label ?? c.term).filter((n): n is string => !!n),
  }));
}

/** JSON Feed 1.0/1.1 (jsonfeed.org): `items[]` with `id`, `url`, `title`, `date_published`, `tags`. */
function parseJsonFeed(text: string, url: string): Entry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // Truncated or not JSON at all.
    throw new FormatError(`${redactUrl(url)} sent invalid JSON: ${(e as Error).message}`);
  }
  const items = (doc as { items?: unknown }).items;
  if (!Array.isArray(items))
    throw new FormatError(`${redactUrl(url)} is JSON but not a JSON Feed (no items[])`);
  const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
  return items.map((raw) => {
    const i = (raw ?? {}) as Record<string, unknown>;
    const authors = Array.isArray(i.authors) ? i.authors : i.author ? [i.author] : [];
    return {
      id: str(i.id) ?? (typeof i.id === 'number' ? String(i.id) : null),
      url: str(i.url) ?? str(i.external_url),
      title: str(i.title),
      published: str(i.date_published) ?? str(i.date_modified),
      summary: str(i.summary) ?? str(i.content_text),
      authors: authors
        .map((a) => str((a as { name?: unknown })?.name))
        .filter((n): n is string => !!n),
      categories: Array.isArray(i.tags)
        ? i.tags.filter((t): t is string => typeof t === 'string')
        : [],
    };
  });
}
