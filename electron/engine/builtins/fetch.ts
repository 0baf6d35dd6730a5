import { z } from 'zod';
import type { StageHandler, StageItem } from '../handler/types.ts';
import { FailItem } from '../handler/signals.ts';
import { getPath } from '../../../workers/tasks/runAuditChecks.ts';
import { BytesParam, DurationParam, fingerprintOf, parseParams } from './builtinParams.ts';
import { BadPage } from './fetchErrors.ts';
import { FETCH_DEFAULTS, type FetchedPage } from './httpGet.ts';

export const fetchParams = z.strictObject({
  /** Where the URL is in the item's data (dotted path). Default `url`; falls back to the key. */
  url_field: z.string().default('url'),
  timeout: DurationParam.pipe(
    z
      .number()
      .min(1000, 'at least 1s: a shorter timeout fails every fetch')
      .max(3_600_000, 'at most 1h: a page that takes longer is not coming'),
  ).default(FETCH_DEFAULTS.timeoutMs),
  max_redirects: z.number().int().min(0).max(20).default(FETCH_DEFAULTS.maxRedirects),
  max_bytes: BytesParam.default(FETCH_DEFAULTS.maxBytes),
  user_agent: z.string().default(FETCH_DEFAULTS.userAgent),
  proxy: z.string().url().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Send If-None-Match / If-Modified-Since from the previous fetch (default true). */
  conditional: z.boolean().default(true),
  detect_blocks: z.boolean().default(true),
});

/**
 * `builtin/fetch`: GET the item's URL and store the body as an artifact. Block pages (a
 * redirect to a sign-in form among them) raise a classified error instead of being stored; a
 * body byte-identical to another item's is flagged `possible_duplicate` (mirrors, syndicated
 * copies, soft-404 pages). A missing or non-http(s) URL, a 404 and a body over `max_bytes`
 * fail the item (`fetch: …`).
 */
export const fetchHandler: StageHandler = {
  version: 1,
  params: fetchParams,
  // Only where the URL comes from shapes the output; timeouts and user agents do not.
  fingerprint: (params) =>
    fingerprintOf({ url_field: parseParams('fetch', fetchParams, params).url_field }),
  async run(item, ctx) {
    const p = parseParams('fetch', fetchParams, ctx.stage.params);
    const url = urlOf(item, p.url_field);
    const prev = p.conditional ? ctx.previous() : undefined;
    const prevArtifact = prev?.artifact as { sha256?: string } | undefined;
    // Validators are only worth sending when the body they vouch for is still stored.
    const canRevalidate =
      prev?.url === url &&
      typeof prevArtifact?.sha256 === 'string' &&
      ctx.artifacts.has(prevArtifact.sha256);
    const page = await ctx.http
      .get(url, {
        timeoutMs: p.timeout,
        maxRedirects: p.max_redirects,
        maxBytes: p.max_bytes,
        userAgent: p.user_agent,
        detectBlocks: p.detect_blocks,
        ...(p.proxy ? { proxy: p.proxy } : {}),
        ...(p.headers ? { headers: p.headers } : {}),
        ...(canRevalidate && typeof prev?.etag === 'string' ? { etag: prev.etag } : {}),
        ...(canRevalidate && typeof prev?.last_modified === 'string'
          ? { lastModified: prev.last_modified }
          : {}),
      })
      .catch((err: unknown): FetchedPage => {
        // The item's own URL is bad (gone, too large, redirects forever): say which stage.
        if (err instanceof BadPage) throw new BadPage(err.code, `fetch: ${err.reason}`, err.status);
        throw err;
      });
    const fetchedAt = new Date().toISOString();
    if (page.notModified && prev) {
      return {
        ...prev,
        not_modified: true,
        fetched_at: fetchedAt,
        _artifacts: { body: prev.artifact as Record<string, unknown> },
      };
    }
    const bytes = page.body.byteLength;
    const ref = await ctx.artifacts.put(page.body, page.contentType ?? undefined);
    const duplicates = ctx.artifacts.duplicates(ref.sha256);
    return {
      url,
      final_url: page.finalUrl,
      status: page.status,
      content_type: page.contentType,
      bytes,
      sha256: ref.sha256,
      etag: page.etag,
      last_modified: page.lastModified,
      redirects: page.redirects,
      fetched_at: fetchedAt,
      artifact: ref,
      possible_duplicate: duplicates.length > 0,
      ...(duplicates.length > 0 ? { duplicate_of: duplicates } : {}),
      _artifacts: { body: ref },
    };
  },
};

/** At most this much of a bad URL goes into a message. */
const SHOWN = 200;

/**
 * The item's URL: `data.<url_field>`, else the key when it is an http(s) URL. Anything else is
 * this item's problem, said in a sentence (the doctor would call a TypeError a code bug).
 */
function urlOf(item: StageItem, field: string): string {
  const raw = getPath(item.data, field);
  let url: string;
  if (typeof raw === 'string' && raw.trim() !== '') url = raw.trim();
  else if (raw === undefined || raw === null || raw === '') {
    if (!/^https?:\/\//i.test(item.key))
      throw new FailItem(
        `fetch: this item has no URL (data.${field} is ${raw === undefined ? 'missing' : 'empty'} and the key is not a URL); set \`url_field\` to the field that holds it`,
      );
    url = item.key;
  } else
    throw new FailItem(
      `fetch: data.${field} is ${Array.isArray(raw) ? 'a list' : `a ${typeof raw}`}, not a URL; set \`url_field\` to the field that holds the URL`,
    );
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // `new URL` throws a TypeError; this is the item's data, not a bug.
    throw new FailItem(
      `fetch: data.${field} is not an absolute URL: ${JSON.stringify(url.slice(0, SHOWN))}; fix the item's data (only http(s) URLs can be fetched)`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new FailItem(
      `fetch: only http(s) URLs can be fetched, data.${field} is ${parsed.protocol} (${url.slice(0, SHOWN)}); use a handler of your own for other schemes`,
    );
  return url;
}
