import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../electron/engine/config/loadConfig.ts';
import { openDatabase, type Db } from '../../electron/engine/db/openDatabase.ts';
import { Engine } from '../../electron/engine/runner/Engine.ts';
import { Tracker } from '../../electron/engine/tracker/Tracker.ts';
import { hold, releaseAll, resetScripted, runs } from '../helpers/holds.ts';
import {
  counts,
  scriptedJob,
  startTestEngine,
  tempDir,
  type TestEngine,
} from '../helpers/testEngine.ts';
import { waitFor } from '../helpers/waitFor.ts';

let t: TestEngine | undefined;
beforeEach(() => resetScripted());
afterEach(async () => {
  resetScripted();
  await t?.close();
  t = undefined;
});

describe('claims', () => {
  it('a stage never runs more items at once than its concurrency, each under its own lease', async () => {
    t = await startTestEngine(scriptedJob('j', `      - { name: a, concurrency: 3 }`));
    t.engine.addItems(
      'j',
      Array.from({ length: 7 }, (_, i) => ({ key: `h${i}`, data: { script: { a: 'hold' } } })),
    );
    await waitFor(() => counts(t!.db, 'j').a?.running === 3);
    const leased = t.db
      .prepare(
        `SELECT id, lease_owner AS owner, lease_until AS until FROM item_stages WHERE status = 'running'`,
      )
      .all() as {
      id: number;
      owner: string;
      until: number;
    }[];
    expect(new Set(leased.map((r) => r.id)).size).toBe(3);
    expect(leased.every((r) => r.owner === t!.engine.owner && r.until > Date.now())).toBe(true);
    // Nothing else is claimed while the three are held.
    await new Promise((r) => setImmediate(r));
    expect(counts(t.db, 'j').a).toEqual({ running: 3, pending: 4 });
    releaseAll();
    for (let i = 0; i < 7; i++) hold(`h${i}/a`).release();
    await t.engine.waitIdle();
    expect(counts(t.db, 'j').a).toEqual({ done: 7 });
  });

  it('two engines on one database never run the same item', async () => {
    const { dir, cleanup } = tempDir();
    const yamlText = scriptedJob(
      'j',
      `      - { name: a, concurrency: 4 }\n      - { name: b, concurrency: 4 }`,
    );
    const file = join(dir, 'jobs.yaml');
    writeFileSync(file, yamlText);
    const config = parseConfigText(yamlText, file);
    const dbs: Db[] = [openDatabase(join(dir, 't.db')), openDatabase(join(dir, 't.db'))];
    const engines = await Promise.all(
      dbs.map((db, i) => Engine.create({ db, config, discovery: false, owner: `e${i}` })),
    );
    const claimedBy = [0, 0];
    engines.forEach((e, i) => {
      const claim = e.tracker.claim.bind(e.tracker);
      e.tracker.claim = (args) => {
        const rows = claim(args);
        claimedBy[i] = (claimedBy[i] ?? 0) + rows.length;
        return rows;
      };
    });
    try {
      engines[0]!.addItems(
        'j',
        Array.from({ length: 300 }, (_, i) => ({
          key: `k${i}`,
          data: { script: { a: 'sleep:1' } },
        })),
      );
      for (const e of engines) e.start();
      await waitFor(() => counts(dbs[0]!, 'j').b?.done === 300, { label: 'all done' });
      const seen = new Map<string, number>();
      for (const r of runs())
        seen.set(`${r.key}/${r.stage}`, (seen.get(`${r.key}/${r.stage}`) ?? 0) + 1);
      expect(seen.size).toBe(600);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      // Both engines took part, and together they claimed each stage row exactly once.
      expect(claimedBy[0]).toBeGreaterThan(0);
      expect(claimedBy[1]).toBeGreaterThan(0);
      expect(claimedBy[0]! + claimedBy[1]!).toBe(600);
    } finally {
      for (const e of engines) await e.stop(1000);
      for (const db of dbs) db.close();
      cleanup();
    }
  });

  it('a completion from a run whose lease was lost is rejected with a typed reason', async () => {
    t = await startTestEngine(scriptedJob('j', `      - { name: a }`));
    t.engine.pauseJob('j', 'manual claims only', undefined);
    t.engine.addItems('j', [{ key: 'x', data: {} }]);
    const tracker = new Tracker(t.db);
    const now = Date.now();
    const [claimed] = tracker.claim({
      jobId: 'j',
      stage: 'a',
      owner: 'old',
      limit: 1,
      now,
      leaseUntil: now - 1,
    });
    expect(claimed).toBeDefined();
    // The lease expired; the reaper gives the row back and a new owner claims it.
    tracker.reclaimExpired({ now: Date.now(), owner: 'new', startup: false });
    const [again] = tracker.claim({
      jobId: 'j',
      stage: 'a',
      owner: 'new',
      limit: 1,
      now,
      leaseUntil: now + 60_000,
    });
    const graph = t.engine.config.jobs[0]!.graph;
    const ref = {
      rowId: claimed!.id,
      itemId: claimed!.itemId,
      jobId: 'j',
      stage: 'a',
      owner: 'old',
      attempts: claimed!.attempts,
      version: '1',
    };
    const report = tracker.applyOutcomes([
      { ref, outcome: { kind: 'done', output: { late: true } }, graph },
    ]);
    expect(report.lost.map((l) => l.reason)).toEqual(['lease_lost']);
    const done = tracker.applyOutcomes([
      {
        ref: { ...ref, owner: 'new', attempts: again!.attempts },
        outcome: { kind: 'done', output: { ok: 1 } },
        graph,
      },
    ]);
    expect(done.lost).toEqual([]);
    const twice = tracker.applyOutcomes([
      {
        ref: { ...ref, owner: 'new', attempts: again!.attempts },
        outcome: { kind: 'done', output: { ok: 1 } },
        graph,
      },
    ]);
    expect(twice.lost.map((l) => l.reason)).toEqual(['not_running']);
    t.db.prepare(`DELETE FROM items`).run();
    const gone = tracker.applyOutcomes([
      { ref, outcome: { kind: 'done', output: { ok: 1 } }, graph },
    ]);
    expect(gone.lost.map((l) => l.reason)).toEqual(['missing']);
  });
});

describe('the stage DAG', () => {
  it('fans out and fans in: a stage with two dependencies starts only after both are done', async () => {
    t = await startTestEngine(
      scriptedJob(
        'dag',
        `      - { name: a }\n      - { name: b }\n      - { name: c }\n      - { name: d }`,
        `    stage_deps:\n      b: [a]\n      c: [a]\n      d: [b, c]`,
      ),
    );
    t.engine.addItems('dag', [{ key: 'x', data: { script: { c: 'hold' } } }]);
    await waitFor(() => hold('x/c').started);
    await waitFor(() => counts(t!.db, 'dag').b?.done === 1);
    expect(counts(t.db, 'dag').d).toEqual({ waiting: 1 });
    hold('x/c').release();
    await t.engine.waitIdle();
    expect(counts(t.db, 'dag').d).toEqual({ done: 1 });
    const d = t.db.prepare(`SELECT output FROM results WHERE stage = 'd'`).get() as {
      output: string;
    };
    expect(JSON.parse(d.output).upstream).toEqual(['a', 'b', 'c']);
  });
});
