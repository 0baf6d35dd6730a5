import type { Db } from '../db/openDatabase.ts';
import type { StageGraph } from '../config/stageGraph.ts';

/**
 * Brings a job's recorded pipeline shape (job_stages) in line with the config, and gives
 * existing items rows for stages that are new. Runs at start and on reload; costs nothing
 * when the shape is unchanged, so a host over a million items still starts in milliseconds.
 *
 * Returns the stages that were added (their workers have work at once).
 */
export function syncJobStages(
  db: Db,
  jobId: string,
  graph: StageGraph,
  versions: Map<string, string>,
): string[] {
  const now = Date.now();
  const recorded = new Map(
    (
      db.prepare(`SELECT stage, deps, version FROM job_stages WHERE job_id = ?`).all(jobId) as {
        stage: string;
        deps: string;
        version: string;
      }[]
    ).map((r) => [r.stage, r]),
  );
  const added: string[] = [];
  const hasItems =
    db.prepare(`SELECT 1 FROM items WHERE job_id = ? LIMIT 1`).get(jobId) !== undefined;
  db.transaction(() => {
    const upsert = db.prepare(
      `INSERT INTO job_stages (job_id, stage, position, deps, version) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (job_id, stage) DO UPDATE SET position = excluded.position, deps = excluded.deps, version = excluded.version`,
    );
    graph.order.forEach((stage, position) => {
      const deps = JSON.stringify(graph.deps.get(stage) ?? []);
      const prior = recorded.get(stage);
      upsert.run(jobId, stage, position, deps, versions.get(stage) ?? '1');
      if (!prior && hasItems) {
        // A new stage: every existing item gets a row, waiting on its dependencies.
        db.prepare(
          `INSERT INTO item_stages (item_id, job_id, stage, status, priority, ready_at)
           SELECT id, job_id, @stage, 'waiting', priority, @now FROM items WHERE job_id = @jobId
           ON CONFLICT (item_id, stage) DO NOTHING`,
        ).run({ stage, jobId, now });
        added.push(stage);
      }
      if (!prior || prior.deps !== deps) promoteWaiting(db, jobId, stage, deps, now);
    });
    for (const stage of recorded.keys()) {
      if (!graph.order.includes(stage))
        db.prepare(`DELETE FROM job_stages WHERE job_id = ? AND stage = ?`).run(jobId, stage);
    }
  }).immediate();
  return added;
}

/** Waiting rows of `stage` whose dependencies are all done become pending. */
export function promoteWaiting(
  db: Db,
  jobId: string,
  stage: string,
  deps: string,
  now: number,
): number {
  return db
    .prepare(
      `UPDATE item_stages SET status = 'pending', ready_at = @now
        WHERE job_id = @jobId AND stage = @stage AND status = 'waiting'
          AND NOT EXISTS (SELECT 1 FROM item_stages d
                           WHERE d.item_id = item_stages.item_id
                             AND d.stage IN (SELECT value FROM json_each(@deps))
                             AND d.status <> 'done')`,
    )
    .run({ jobId, stage, deps, now }).changes;
}
