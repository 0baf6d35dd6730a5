import { z } from 'zod';
import type { StageHandler } from '../handler/types.ts';
import { FailItem } from '../handler/signals.ts';
import { getPath } from '../../../workers/tasks/runAuditChecks.ts';
import { BytesParam, DurationParam, fingerprintOf, parseParams } from './builtinParams.ts';
import { FETCH_DEFAULTS } from './httpGet.ts';

export const fetchParams = z.strictObject({
  /** Where the URL is in the item's data (dotted path). Default `url`; falls back to the key. */
  url_field: z.string().default('url'),
  timeout: DurationParam.default(FETCH_DEFAULTS.timeoutMs),
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
 * `builtin/fetch`: GET the item's URL and store the body as an artifact. Block pages raise a
 * classified error instead of being stored; a body byte-identical to another item's is
 * flagged `possible_duplicate` (mirrors, syndicated copies, soft-404 pages).
 */
export const fetchHandler: StageHandler = {
  version: 1,
  // Only where the URL comes from shapes the output; timeouts and user agents do not.
  fingerprint: (params) =>
    fingerprintOf({ url_field: parseParams('fetch', fetchParams, params).url_field }),
  async run(item, ctx) {
    const p = parseParams('fetch', fetchParams, ctx.stage.params);
    const fromData = getPath(item.data, p.url_field);
    const url =
      typeof fromData === 'string' && fromData
        ? fromData
        : /^https?:\/\//.test(item.key)
          ? item.key
          : undefined;
    if (!url) throw new FailItem(`no URL in data.${p.url_field} (and the key is not a URL)`);
    const prev = p.conditional ? ctx.previous() : undefined;
    const prevArtifact = prev?.artifact as { sha256?: string } | undefined;
    // Validators are only worth sending when the body they vouch for is still stored.
    const canRevalidate =
      prev?.url === url &&
      typeof prevArtifact?.sha256 === 'string' &&
      ctx.artifacts.has(prevArtifact.sha256);
    const page = await ctx.http.get(url, {
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
