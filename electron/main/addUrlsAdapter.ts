import type { ApiClient } from '../engine/api/contract.ts';
import type { AddUrls, AddUrlsResult } from './handleDrop.ts';

/** The contract's bounds on one addUrls call (contract.ts): kept here so a big drop is split, not refused. */
const MAX_URLS_PER_CALL = 1000;
const MAX_URL_LENGTH = 8192;

/**
 * Drops and "add URL from clipboard" go through the contract's addUrls command: the
 * `routes:` table decides the job, and each URL comes back added (new or already known) or
 * refused with the reason. A drop bigger than one call allows is sent in slices.
 */
export function addUrlsVia(api: Pick<ApiClient, 'addUrls'>): AddUrls {
  return async (urls) => {
    const out: AddUrlsResult = { added: [], refused: [] };
    const sendable: string[] = [];
    for (const url of urls) {
      if (url.length > MAX_URL_LENGTH)
        out.refused.push({ url, reason: `longer than ${MAX_URL_LENGTH} characters` });
      else sendable.push(url);
    }
    for (let i = 0; i < sendable.length; i += MAX_URLS_PER_CALL) {
      const { results } = await api.addUrls({ urls: sendable.slice(i, i + MAX_URLS_PER_CALL) });
      const part = fromAddUrlsResults(results);
      out.added.push(...part.added);
      out.refused.push(...part.refused);
    }
    return out;
  };
}

/** The engine's per-URL results → what the toast lists: which job took it, or why not. */
export function fromAddUrlsResults(
  results: Awaited<ReturnType<ApiClient['addUrls']>>['results'],
): AddUrlsResult {
  const out: AddUrlsResult = { added: [], refused: [] };
  for (const r of results) {
    if (r.jobId !== undefined && r.refused === undefined)
      out.added.push({
        url: r.url,
        jobId: r.jobId,
        ...(r.added === false ? { duplicate: true } : {}),
      });
    else out.refused.push({ url: r.url, reason: r.refused ?? 'not routed to any job' });
  }
  return out;
}
