import { withPriorities } from '../config/priorityRules.ts';
import type { LoadedConfig } from '../config/loadConfig.ts';
import type { Db } from '../db/openDatabase.ts';
import { selectItemsByKeysSql } from '../db/queries/selectItemsByKeys.ts';
import type { AddUrlResult } from '../api/types.ts';
import { Tracker } from '../tracker/Tracker.ts';
import { mergeProvenance, resolveMergePolicy } from './mergeProvenance.ts';
import { builtinStrategies } from './registry.ts';
import { routeUrl } from './routes.ts';
import type { DiscoveredItem } from './types.ts';

export type { AddUrlResult };

/** The part of a live engine add-URL uses (items go through it so workers wake). */
export interface LiveItems {
  readonly jobs: ReadonlyMap<string, unknown>;
  addItems(jobId: string, items: DiscoveredItem[]): { inserted: number; ids: number[] };
}

/**
 * Adds URLs by hand (`jobctl add-url`, the dashboard, drag & drop): each is normalized,
 * routed by the `routes:` table and upserted into its job keyed by the normalized URL, so
 * adding the same page twice (with or without tracking parameters) is one item. With a live
 * engine the items go through it (its workers wake at once); without one they are written
 * straight to the database, and the next host start — or a running host's poll — picks
 * them up.
 */
export function addUrls(
  db: Db,
  config: LoadedConfig,
  urls: string[],
  live?: LiveItems,
): AddUrlResult[] {
  const results: AddUrlResult[] = [];
  const perJob = new Map<string, { result: AddUrlResult; key: string }[]>();
  for (const url of urls) {
    const d = routeUrl(url, config.routes);
    if ('refused' in d) {
      results.push({
        url,
        ...(d.normalized ? { normalized: d.normalized } : {}),
        refused: d.refused,
      });
      continue;
    }
    if (!config.jobs.some((j) => j.id === d.jobId)) {
      results.push({
        url,
        normalized: d.normalized,
        refused: `route points at unknown job \`${d.jobId}\``,
      });
      continue;
    }
    const result: AddUrlResult = { url, normalized: d.normalized, jobId: d.jobId };
    results.push(result);
    let list = perJob.get(d.jobId);
    if (!list) perJob.set(d.jobId, (list = []));
    list.push({ result, key: d.normalized });
  }
  const known = db.prepare(selectItemsByKeysSql);
  let tracker: Tracker | undefined;
  for (const [jobId, list] of perJob) {
    const job = config.jobs.find((j) => j.id === jobId);
    if (!job) continue;
    const keys = [...new Set(list.map((l) => l.key))];
    const existing = new Set(
      (known.all({ jobId, keys: JSON.stringify(keys) }) as { itemKey: string }[]).map(
        (r) => r.itemKey,
      ),
    );
    const items: DiscoveredItem[] = keys.map((key) => ({
      key,
      data: { url: key, sources: ['add-url'] },
    }));
    let ids: number[];
    if (live?.jobs.has(jobId)) ids = live.addItems(jobId, items).ids;
    else {
      tracker ??= new Tracker(db);
      const policy = resolveMergePolicy(
        job.discovery?.merge,
        job.discovery ? builtinStrategies().get(job.discovery.strategy)?.mergeDefaults : undefined,
      );
      ids = tracker.addItems(
        jobId,
        withPriorities(job.priority_rules, items).map((i) => ({
          key: i.key,
          data: i.data,
          ...(i.priority !== undefined ? { priority: i.priority } : {}),
        })),
        job.graph,
        (a, b) => mergeProvenance(a, b, policy),
      ).ids;
    }
    const idOf = new Map(keys.map((k, i) => [k, ids[i]]));
    for (const l of list) {
      const id = idOf.get(l.key);
      if (id !== undefined) l.result.itemId = id;
      l.result.added = !existing.has(l.key);
      existing.add(l.key);
    }
    const added = list.filter((l) => l.result.added).length;
    tracker ??= new Tracker(db);
    tracker.event({ jobId, kind: 'urls_added', data: { count: list.length, new: added } });
  }
  return results;
}
