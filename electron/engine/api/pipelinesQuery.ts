import type { LoadedConfig } from '../config/loadConfig.ts';
import type { Db } from '../db/openDatabase.ts';
import type { PipelineEdge, PipelinesResult } from './types.ts';

/**
 * Jobs chained by `tracker_query` discovery, as a graph across jobs: one edge per upstream →
 * downstream job, from the config (declared, even before any item flowed) and from the data
 * (how many downstream items came from each upstream job: items.source_item_id joined to the
 * source's job). Plus each job's `pipeline: name/step` label for grouping.
 *
 * The count reads only chained items through the partial `items_source` index: jobs that are
 * not chained cost nothing however many items they hold.
 */
export function pipelinesQuery(db: Db, config: LoadedConfig): PipelinesResult {
  const edges = new Map<string, PipelineEdge>();
  const key = (from: string, to: string) => `${from}\u0000${to}`;
  for (const j of config.jobs) {
    if (j.discovery?.strategy !== 'tracker_query') continue;
    const p = j.discovery.params as { job?: unknown; stage?: unknown; status?: unknown };
    if (typeof p.job !== 'string') continue;
    edges.set(key(p.job, j.id), {
      from: p.job,
      to: j.id,
      stage: typeof p.stage === 'string' ? p.stage : null,
      status: typeof p.status === 'string' ? p.status : 'done',
      items: 0,
      configured: true,
    });
  }
  const counted = db
    .prepare(
      `SELECT u.job_id AS "from", d.job_id AS "to", count(*) AS n
         FROM items d JOIN items u ON u.id = d.source_item_id
        WHERE d.source_item_id IS NOT NULL
        GROUP BY d.job_id, u.job_id`,
    )
    .all() as { from: string; to: string; n: number }[];
  for (const c of counted) {
    const e = edges.get(key(c.from, c.to));
    if (e) e.items = c.n;
    // Items that came through a chain no longer in jobs.yaml still show where they came from.
    else
      edges.set(key(c.from, c.to), {
        from: c.from,
        to: c.to,
        stage: null,
        status: null,
        items: c.n,
        configured: false,
      });
  }
  const jobs = config.jobs.map((j) => {
    const [name, step] = j.pipeline ? j.pipeline.split('/') : [null, null];
    return {
      id: j.id,
      title: j.title ?? j.id,
      emoji: j.emoji ?? null,
      pipeline: j.pipeline ?? null,
      name: name ?? null,
      step: step ?? null,
    };
  });
  const groups = new Map<string, string[]>();
  for (const j of jobs) if (j.name) groups.set(j.name, [...(groups.get(j.name) ?? []), j.id]);
  return {
    jobs,
    edges: [...edges.values()],
    groups: [...groups].map(([name, ids]) => ({ name, jobs: ids })),
  };
}
