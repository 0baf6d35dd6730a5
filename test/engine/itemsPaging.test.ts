import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineApi } from '../../electron/engine/api/EngineApi.ts';
import { ApiError } from '../../electron/engine/api/contract.ts';
import { itemsQuery } from '../../electron/engine/api/itemsQuery.ts';
import { parseConfigText } from '../../electron/engine/config/loadConfig.ts';
import { openDatabase, type Db } from '../../electron/engine/db/openDatabase.ts';
import type { StageStatus } from '../../electron/engine/tracker/StageStatus.ts';
import { SCRIPTED, scriptedJob, startTestEngine, tempDir } from '../helpers/testEngine.ts';

const N = 1200;
const YAML = `jobs:
  - id: big
    handler: ${SCRIPTED}
    stages:
      - { name: fetch }
      - { name: score }
`;

let db: Db;
let api: EngineApi;
let cleanup: () => void;

beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  db = openDatabase(join(t.dir, 'tributary.db'));
  api = new EngineApi(db, parseConfigText(YAML, join(t.dir, 'jobs.yaml')));
  // Statuses correlated with priority on purpose (the case that punishes a naive walk), and
  // repeated priorities so the (priority, id) order matters.
  db.exec(`INSERT INTO job_stages (job_id, stage, position, deps, version)
             VALUES ('big', 'fetch', 0, '[]', '1'), ('big', 'score', 1, '["fetch"]', '1');
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${N})
    INSERT INTO items (id, job_id, item_key, data, priority, discovered_at, updated_at)
      SELECT i, 'big', 'k' || i, json_object('title', 'Item ' || i), (i * 7) % 10, 0, 0 FROM n;
    INSERT INTO item_stages (item_id, job_id, stage, status, priority, version)
      SELECT id, 'big', 'fetch', CASE WHEN priority < 7 THEN 'done' WHEN priority = 7 THEN 'failed' ELSE 'pending' END,
             priority, '1' FROM items;
    INSERT INTO item_stages (item_id, job_id, stage, status, priority, version)
      SELECT id, 'big', 'score', CASE WHEN id % 97 = 0 THEN 'dead' WHEN priority < 5 THEN 'done'
                                      WHEN priority < 7 THEN 'pending' ELSE 'waiting' END, priority, '1' FROM items;
    INSERT INTO items (job_id, item_key, data, priority, discovered_at, updated_at) VALUES ('other', 'x', '{}', 0, 0, 0);`);
});
afterEach(() => {
  db.close();
  cleanup();
});

/** The truth, by brute force: matching item ids in (priority, id) order. */
function expected(filter: { stage?: string; status?: StageStatus; search?: string }): number[] {
  return (
    db
      .prepare(
        `SELECT id FROM items WHERE job_id = 'big'
           AND (@stage IS NULL AND @status IS NULL OR EXISTS (SELECT 1 FROM item_stages s WHERE s.item_id = items.id
                 AND (@stage IS NULL OR s.stage = @stage) AND (@status IS NULL OR s.status = @status)))
           AND (@search IS NULL OR item_key LIKE '%' || @search || '%' OR data LIKE '%' || @search || '%')
         ORDER BY priority, id`,
      )
      .all({
        stage: filter.stage ?? null,
        status: filter.status ?? null,
        search: filter.search ?? null,
      }) as { id: number }[]
  ).map((r) => r.id);
}

describe('the items list', () => {
  it('walks the same rows page by page with keyset cursors as with offsets', async () => {
    const byOffset: number[] = [];
    const byKeyset: number[] = [];
    let cursor: { afterId?: number; afterPriority?: number } = {};
    for (let page = 0; page * 100 < N; page++) {
      const o = await api.items({ jobId: 'big', limit: 100, offset: page * 100 });
      const k = await api.items({ jobId: 'big', limit: 100, ...cursor });
      expect(o.total).toBe(N);
      expect(k.total).toBe(N);
      byOffset.push(...o.items.map((r) => r.id));
      byKeyset.push(...k.items.map((r) => r.id));
      const last = k.items.at(-1)!;
      cursor = { afterId: last.id, afterPriority: last.priority };
    }
    expect(byKeyset).toEqual(expected({}));
    expect(byOffset).toEqual(byKeyset);
  });

  it('reads the cursor priority from the item when only afterId is given, and refuses an unknown one', async () => {
    const first = await api.items({ jobId: 'big', limit: 10 });
    const last = first.items.at(-1)!;
    const next = await api.items({ jobId: 'big', limit: 10, afterId: last.id });
    expect(next.items.map((r) => r.id)).toEqual(expected({}).slice(10, 20));
    const err = await api.items({ jobId: 'big', afterId: 999_999 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('invalid_input');
  });

  it('filters by status and stage with either plan, with exact totals and derived statuses', () => {
    const cases: { stage?: string; status?: StageStatus }[] = [
      { status: 'failed' },
      { status: 'dead' },
      { status: 'pending' }, // in two stages: an item can match twice, counted once
      { status: 'done' },
      { status: 'running' },
      { stage: 'score', status: 'waiting' },
      { stage: 'score' },
    ];
    const plans = {
      read: { selectiveMax: Infinity, selectiveShare: 1, k: 0 },
      walk: { selectiveMax: 0, selectiveShare: 0, k: 0 },
    };
    for (const c of cases) {
      const truth = expected(c);
      for (const [plan, tuning] of Object.entries(plans)) {
        const label = `${JSON.stringify(c)} by ${plan}`;
        const first = itemsQuery(db, { jobId: 'big', limit: 50, offset: 0, ...c }, tuning);
        expect(first.total, label).toBe(truth.length);
        expect(
          first.items.map((r) => r.id),
          label,
        ).toEqual(truth.slice(0, 50));
        const deep = itemsQuery(db, { jobId: 'big', limit: 50, offset: 120, ...c }, tuning);
        expect(
          deep.items.map((r) => r.id),
          label,
        ).toEqual(truth.slice(120, 170));
        if (truth.length > 60) {
          const after = first.items.at(-1)!;
          const keyset = itemsQuery(
            db,
            {
              jobId: 'big',
              limit: 10,
              offset: 0,
              afterId: after.id,
              afterPriority: after.priority,
              ...c,
            },
            tuning,
          );
          expect(
            keyset.items.map((r) => r.id),
            label,
          ).toEqual(truth.slice(50, 60));
        }
      }
    }
    const dead = itemsQuery(db, { jobId: 'big', limit: 5, offset: 0, status: 'dead' });
    expect(dead.items.every((r) => r.status === 'dead')).toBe(true);
    const failed = itemsQuery(db, { jobId: 'big', limit: 5, offset: 0, status: 'failed' });
    expect(failed.items.map((r) => r.status)).toContain('failed');
  });

  it('still counts the matches of a text search', async () => {
    const r = await api.items({ jobId: 'big', search: 'Item 11', limit: 5 });
    expect(r.total).toBe(expected({ search: 'Item 11' }).length);
    expect(r.items.map((i) => i.id)).toEqual(expected({ search: 'Item 11' }).slice(0, 5));
    const both = await api.items({ jobId: 'big', search: 'Item 11', status: 'failed' });
    expect(both.total).toBe(expected({ search: 'Item 11', status: 'failed' }).length);
  });
});

describe('items sorting', () => {
  it('lists newest, oldest and recently updated first on the server, and keyset paging stays for priority', async () => {
    const t = await startTestEngine(scriptedJob('srt', `      - { name: a }`));
    try {
      t.engine.pauseJob('srt', 'listing only', undefined);
      const base = Date.now();
      t.engine.addItems('srt', [
        { key: 'b', data: {}, priority: 1 },
        { key: 'a', data: {}, priority: 2 },
        { key: 'c', data: {}, priority: 0 },
      ]);
      // Give them distinct discovery and update times.
      const set = t.db.prepare(
        `UPDATE items SET discovered_at = ?, updated_at = ? WHERE item_key = ?`,
      );
      set.run(base + 1, base + 30, 'b');
      set.run(base + 2, base + 10, 'a');
      set.run(base + 3, base + 20, 'c');
      const keys = async (sort: 'priority' | 'newest' | 'oldest' | 'updated') =>
        (await t.api.items({ jobId: 'srt', sort })).items.map((i) => i.key);
      expect(await keys('priority')).toEqual(['c', 'b', 'a']);
      expect(await keys('newest')).toEqual(['c', 'a', 'b']);
      expect(await keys('oldest')).toEqual(['b', 'a', 'c']);
      expect(await keys('updated')).toEqual(['b', 'c', 'a']);
      await expect(
        t.api.call('items', { jobId: 'srt', sort: 'newest', afterId: 1 }),
      ).rejects.toThrow(/afterId pages in priority order/);
    } finally {
      await t.close();
    }
  });
});
