import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineApi } from '../../electron/engine/api/EngineApi.ts';
import { stageCounts, staleCount } from '../../electron/engine/api/readModel.ts';
import { openDatabase, type Db } from '../../electron/engine/db/openDatabase.ts';
import { migration0005 } from '../../electron/engine/db/migrations/0005_counts.ts';
import { silentLogger } from '../../electron/engine/log/logger.ts';
import { Host } from '../../electron/engine/runner/Host.ts';
import { hold, releaseAll, resetScripted } from '../helpers/holds.ts';
import { counts, SCRIPTED, tempDir } from '../helpers/testEngine.ts';
import { waitFor } from '../helpers/waitFor.ts';

let host: Host | undefined;
let cleanup: (() => void) | undefined;
let file = '';

beforeEach(() => resetScripted());
afterEach(async () => {
  releaseAll();
  await host?.stop(500);
  host = undefined;
  cleanup?.();
  cleanup = undefined;
});

const yaml = (stages: string) => `jobs:
  - id: mix
    handler: ${SCRIPTED}
    stages:
${stages}
  - id: other
    handler: ${SCRIPTED}
    stages:
      - { name: a }
`;
const TWO = `      - { name: fetch, concurrency: 3, retry: { max_attempts: 2, backoff: 10ms } }
      - { name: score, concurrency: 2, retry: { max_attempts: 2, backoff: 10ms } }`;

async function start(text: string): Promise<{ host: Host; api: EngineApi }> {
  const t = tempDir();
  cleanup = t.cleanup;
  file = join(t.dir, 'jobs.yaml');
  writeFileSync(file, text);
  host = await Host.start({
    configFile: file,
    log: silentLogger(),
    notifier: null,
    engine: { discovery: false, reaperIntervalMs: 20 },
  });
  return { host, api: new EngineApi(host.db, host.config, host.engine) };
}

/**
 * The counters against the truth: stage_counts equals a GROUP BY over item_stages (claimed rows
 * are kept under 'pending'), the read model's per-status figures equal the raw counts, stale
 * equals the direct query, and job_counts equals count(*) of items.
 */
function expectCountsExact(db: Db, when: string): void {
  const truth = db
    .prepare(
      `SELECT job_id, stage, CASE WHEN status = 'running' THEN 'pending' ELSE status END AS status,
              CASE WHEN status = 'done' THEN coalesce(version, '') ELSE '' END AS version, count(*) AS n
         FROM item_stages GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    )
    .all();
  const kept = db
    .prepare(
      `SELECT job_id, stage, status, version, n FROM stage_counts WHERE n <> 0 ORDER BY 1, 2, 3, 4`,
    )
    .all();
  expect(kept, `stage_counts ${when}`).toEqual(truth);
  expect(
    db.prepare(`SELECT count(*) AS n FROM stage_counts WHERE n < 0`).get(),
    `no negative counter ${when}`,
  ).toEqual({ n: 0 });

  const jobs = (
    db.prepare(`SELECT DISTINCT job_id AS id FROM item_stages`).all() as { id: string }[]
  ).map((r) => r.id);
  for (const jobId of jobs) {
    const model = Object.fromEntries(
      [...stageCounts(db, jobId)].map(([stage, c]) => [
        stage,
        Object.fromEntries(Object.entries(c).filter(([, n]) => n !== 0)),
      ]),
    );
    expect(model, `stageCounts(${jobId}) ${when}`).toEqual(counts(db, jobId));
    for (const { stage, version } of db
      .prepare(`SELECT stage, version FROM job_stages WHERE job_id = ?`)
      .all(jobId) as { stage: string; version: string }[]) {
      const direct = db
        .prepare(
          `SELECT count(*) AS n FROM item_stages WHERE job_id = ? AND stage = ? AND status = 'done' AND version IS NOT ?`,
        )
        .get(jobId, stage, version) as { n: number };
      expect(staleCount(db, jobId, stage, version), `stale ${jobId}/${stage} ${when}`).toBe(
        direct.n,
      );
    }
  }
  const items = db
    .prepare(`SELECT job_id, count(*) AS items FROM items GROUP BY job_id ORDER BY job_id`)
    .all();
  const kept2 = db
    .prepare(`SELECT job_id, items FROM job_counts WHERE items <> 0 ORDER BY job_id`)
    .all();
  expect(kept2, `job_counts ${when}`).toEqual(items);
}

describe('the trigger-maintained counters', () => {
  it('stay exact through claims, outcomes, retries, resets, reprocessing, cancels, reloads and deletes', async () => {
    const { host: h, api } = await start(yaml(TWO));
    const db = h.db;
    const scripts: Record<string, string>[] = [
      {},
      { fetch: 'throw' }, // retry, then dead after 2 attempts
      { fetch: 'fail' }, // failed (item-specific)
      { fetch: 'skip' }, // skipped, dependents skipped
      { fetch: 'flaky:1' }, // retry, then done
      { score: 'fail' },
      { score: 'throw' },
    ];
    // One run held per stage: they stay running until released.
    const held: Record<string, Record<string, string>> = {
      k7: { fetch: 'hold' },
      k8: { score: 'hold' },
    };
    h.engine.addItems(
      'mix',
      Array.from({ length: 45 }, (_, i) => ({
        key: `k${i}`,
        data: { script: held[`k${i}`] ?? scripts[i % scripts.length] },
        priority: i % 4,
      })),
    );
    h.engine.addItems('other', [{ key: 'o1', data: {} }]);
    expectCountsExact(db, 'after adding items');

    // Mid-flight: holds keep rows running (claimed rows are split out of 'pending').
    await waitFor(() => hold('k7/fetch').started && hold('k8/score').started, {
      label: 'held runs started',
    });
    expectCountsExact(db, 'while runs are held');

    // Cancel a running item.
    await api.cancel({ itemId: idOf(db, 'k7') });
    expectCountsExact(db, 'after cancelling a running item');

    releaseAll();
    await h.engine.waitIdle();
    expectCountsExact(db, 'after the first pass');
    expect(counts(db, 'mix').fetch?.dead ?? 0).toBeGreaterThan(0);
    expect(counts(db, 'mix').fetch?.failed ?? 0).toBeGreaterThan(0);
    expect(counts(db, 'mix').score?.skipped ?? 0).toBeGreaterThan(0);

    // Retry everything failed or dead (a dry run first: it must change nothing).
    await api.retry({ jobId: 'mix', dryRun: true });
    expectCountsExact(db, 'after a dry-run retry');
    await api.retry({ jobId: 'mix' });
    expectCountsExact(db, 'right after retry-all');
    await h.engine.waitIdle();
    expectCountsExact(db, 'after the retried rows ran');

    // Reset one stage, then reprocess another.
    await api.reset({ jobId: 'mix', stage: 'score' });
    expectCountsExact(db, 'right after a reset');
    await h.engine.waitIdle();
    await api.reprocess({ jobId: 'mix', stage: 'fetch' });
    expectCountsExact(db, 'right after reprocess');
    await h.engine.waitIdle();
    expectCountsExact(db, 'after reprocessing');

    // The reaper reclaims an expired lease (a row a dead host left running).
    const rowId = (
      db
        .prepare(`SELECT id FROM item_stages WHERE stage = 'fetch' AND status = 'done' LIMIT 1`)
        .get() as { id: number }
    ).id;
    db.prepare(
      `UPDATE item_stages SET status = 'running', lease_owner = 'gone', lease_until = 1, attempts = 1 WHERE id = ?`,
    ).run(rowId);
    expectCountsExact(db, 'with an expired lease');
    await waitFor(
      () =>
        (
          db.prepare(`SELECT lease_owner FROM item_stages WHERE id = ?`).get(rowId) as {
            lease_owner: string | null;
          }
        ).lease_owner !== 'gone',
      { label: 'lease reclaimed' },
    );
    await h.engine.waitIdle();
    expectCountsExact(db, 'after the reaper reclaimed the lease');

    // Reload: a new stage gives every item a row, and a version bump makes results stale.
    writeFileSync(
      file,
      yaml(
        `${TWO.replace('{ name: fetch,', '{ name: fetch, version: 2,')}\n      - { name: extract }`,
      ),
    );
    const r = await h.reload();
    expect(r.applied, r.problems.join('\n')).toBe(true);
    expectCountsExact(db, 'right after a reload that adds a stage');
    const summary = await api.job({ jobId: 'mix' });
    expect(summary.stages.find((s) => s.name === 'fetch')?.stale).toBe(
      counts(db, 'mix').fetch?.done,
    );
    await h.engine.waitIdle();
    expectCountsExact(db, 'after the new stage ran');
    await api.reprocess({ jobId: 'mix', stage: 'fetch', staleOnly: true });
    await h.engine.waitIdle();
    expectCountsExact(db, 'after reprocessing stale results');
    expect((await api.job({ jobId: 'mix' })).stages.find((s) => s.name === 'fetch')?.stale).toBe(0);

    // Deleting items cascades to their stage rows.
    db.prepare(`DELETE FROM items WHERE item_key IN ('k0', 'k1', 'k2')`).run();
    expectCountsExact(db, 'after deleting items');
    const overview = await api.overview({});
    expect(overview.jobs.find((j) => j.id === 'mix')?.items).toBe(42);
  });

  it('are backfilled from the existing rows when the migration runs on an older database', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'old.db');
    let db = openDatabase(path);
    // Back to schema 4 (no counters, nor anything later), then rows written the way an older
    // build wrote them.
    db.exec(`DROP TRIGGER item_stages_count_insert; DROP TRIGGER item_stages_count_delete;
             DROP TRIGGER item_stages_count_update; DROP TRIGGER items_count_insert;
             DROP TRIGGER items_count_delete; DROP TABLE stage_counts; DROP TABLE job_counts;
             DROP INDEX items_job_priority; DROP INDEX items_job_discovered; DROP INDEX items_job_updated;
             DROP INDEX item_stages_crashed; ALTER TABLE item_stages DROP COLUMN crashes;
             DROP TABLE doctor_corrections; ALTER TABLE doctor_cache DROP COLUMN asked_at;
             DELETE FROM schema_version WHERE version >= 5;`);
    db.exec(`INSERT INTO job_stages (job_id, stage, position, deps, version) VALUES ('j', 'a', 0, '[]', '2');
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
      INSERT INTO items (id, job_id, item_key, discovered_at, updated_at) SELECT i, 'j', 'k' || i, 0, 0 FROM n;
      INSERT INTO item_stages (item_id, job_id, stage, status, version)
        SELECT id, 'j', 'a', CASE id % 5 WHEN 0 THEN 'pending' WHEN 1 THEN 'running' WHEN 2 THEN 'failed' ELSE 'done' END,
               CASE WHEN id % 5 = 3 THEN '1' WHEN id % 5 = 4 THEN '2' END FROM items;`);
    db.close();
    db = openDatabase(path);
    try {
      expect(migration0005).toContain('INSERT INTO stage_counts');
      expectCountsExact(db, 'after the backfill');
      expect(staleCount(db, 'j', 'a', '2')).toBe(100);
      expect(stageCounts(db, 'j').get('a')).toMatchObject({ pending: 100, running: 100 });
    } finally {
      db.close();
    }
  });
});

function idOf(db: Db, key: string): number {
  return (db.prepare(`SELECT id FROM items WHERE item_key = ?`).get(key) as { id: number }).id;
}
