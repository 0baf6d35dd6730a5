import { contract, type MethodName } from '../engine/api/contract.ts';
import type { AddUrls, AddUrlsResult } from './handleDrop.ts';
import type { Callable } from './ipcHandler.ts';

/**
 * Drops and "add URL from clipboard" go through the contract's add-URL command (the routes
 * decide the job). It is looked up at run time so the shell builds before that command
 * exists; its result is read leniently (`added`/`accepted`, `refused`/`rejected`).
 */
export function addUrlsVia(api: Callable): AddUrls {
  return async (urls) => {
    const method = ['addUrls', 'addUrl'].find((m) => Object.hasOwn(contract, m)) as
      MethodName | undefined;
    if (!method)
      throw new Error('this build has no add-URL routes yet (EngineApi.addUrls is missing)');
    return normalizeAddUrlsResult(await api.call(method, { urls }));
  };
}

export function normalizeAddUrlsResult(raw: unknown): AddUrlsResult {
  const r = (raw ?? {}) as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
  return {
    added: list(r.added ?? r.accepted).map((a) => ({
      url: String(a.url ?? ''),
      jobId: String(a.jobId ?? a.job ?? '?'),
      ...(a.duplicate === true ? { duplicate: true } : {}),
    })),
    refused: list(r.refused ?? r.rejected).map((a) => ({
      url: String(a.url ?? ''),
      reason: String(a.reason ?? a.message ?? 'refused'),
    })),
  };
}
