import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/engine/db/openDatabase.ts';
import { dbFile } from '../../electron/engine/runner/Host.ts';
import { resetScripted } from '../helpers/holds.ts';
import { runJobctl, spawnJobctl } from '../helpers/hostProcess.ts';
import {
  counts,
  scriptedJob,
  startTestEngine,
  tempDir,
  type TestEngine,
} from '../helpers/testEngine.ts';
import { waitFor } from '../helpers/waitFor.ts';

const POISON = resolve(import.meta.dirname, '../fixtures/handlers/poison.ts');

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A two-stage job (a → b) over `keys`; stage a sleeps `sleep` ms per item, b 2 ms. */
function project(keys: string[], sleep: number): { config: string; data: string; db: Db } {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const items = keys.map((k) => `          - { key: ${k}, data: { sleep: ${sleep} } }`).join('\n');
  const config = join(dir, 'jobs.yaml');
  writeFileSync(
    config,
    `jobs:
  - id: crashy
    handler: ${POISON}
    discovery:
      strategy: static
      params:
        items:
${items}
    stages:
      - { name: a, concurrency: 16 }
      - { name: b, concurrency: 8 }
`,
  );
  const data = join(dir, 'data');
  const db = openDatabase(dbFile(data));
  cleanups.push(() => {
    db.close();
  });
  return { config, data, db };
}

/** A last host that drains what the killed ones left, with no warm-up for interrupted runs. */
function drain(p: { config: string; data: string }) {
  return runJobctl(['run', '--once', '--crash-grace', '0', '--config', p.config, '--data', p.data]);
}

function one<T>(db: Db, sql: string, ...params: unknown[]): T {
  return db.prepare(sql).get(...params) as T;
}

const runningOwners = (db: Db) =>
  (
    db
      .prepare(`SELECT DISTINCT lease_owner AS o FROM item_stages WHERE status = 'running'`)
      .all() as { o: string }[]
  ).map((r) => r.o);

describe('host crashes', () => {
  it('a host killed six times right after start dead-letters nothing: every item finishes, re-runs keep attempts at 1', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => `k${i}`);
    // 250 ms per run, so the kill lands while the host's first rows still run (a slower test
    // runner would otherwise let some finish and put their `b` rows under the next kills).
    const p = project(keys, 250);
    const killed = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const host = spawnJobctl(['run', '--config', p.config, '--data', p.data]);
      // Rows of this host (not ones a killed host left running that it has yet to reclaim).
      await waitFor(() => runningOwners(p.db).some((o) => !killed.has(o)), {
        timeoutMs: 30_000,
        label: `host ${i + 1} running rows`,
      });
      host.child.kill('SIGKILL');
      expect((await host.exited).signal).toBe('SIGKILL');
      for (const o of runningOwners(p.db)) killed.add(o);
    }
    expect(killed.size).toBe(6);

    const last = await drain(p);
    expect(last.code, last.out).toBe(0);
    expect(counts(p.db, 'crashy')).toEqual({ a: { done: 300 }, b: { done: 300 } });
    const reclaimed = one<{ rows: number; events: number }>(
      p.db,
      `SELECT count(DISTINCT item_id || '/' || stage) AS rows, count(*) AS events FROM events WHERE kind = 'lease_reclaimed'`,
    );
    expect(reclaimed.rows).toBeGreaterThanOrEqual(6);
    // Crashes were never charged to the items: each row ran to completion exactly once.
    const rows = one<{ n: number; attempts: number; crashes: number }>(
      p.db,
      `SELECT count(*) AS n, max(attempts) AS attempts, max(crashes) AS crashes FROM item_stages`,
    );
    expect(rows).toEqual({ n: 600, attempts: 1, crashes: 0 });
    expect(
      one<{ n: number }>(p.db, `SELECT count(*) AS n FROM events WHERE kind = 'stage_quarantined'`)
        .n,
    ).toBe(0);
  });

  it('a small queue killed six times soon after each start quarantines no healthy item: interrupted runs wait out the warm-up', async () => {
    const keys = Array.from({ length: 10 }, (_, i) => `s${i}`);
    const p = project(keys, 400);
    for (let i = 0; i < 6; i++) {
      const host = spawnJobctl(['run', '--config', p.config, '--data', p.data]);
      const started = Date.now();
      // Kill as soon as this host runs anything, or 2 s after start when it runs nothing (the
      // rows an earlier kill interrupted wait out the 10 s warm-up).
      const seen = new Set(runningOwners(p.db));
      await waitFor(
        () => runningOwners(p.db).some((o) => !seen.has(o)) || Date.now() - started > 2000,
        { timeoutMs: 30_000, label: `host ${i + 1}` },
      );
      host.child.kill('SIGKILL');
      await host.exited;
    }
    const last = await drain(p);
    expect(last.code, last.out).toBe(0);
    expect(counts(p.db, 'crashy')).toEqual({ a: { done: 10 }, b: { done: 10 } });
    expect(
      one<{ n: number }>(p.db, `SELECT count(*) AS n FROM events WHERE kind = 'stage_quarantined'`)
        .n,
    ).toBe(0);
  });

  it('quarantines a poison item that kills its host, after three host deaths, while every other item finishes', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => (i === 5 ? 'poison' : `k${i}`));
    const p = project(keys, 5);
    const exits: { code: number | null; signal: NodeJS.Signals | null }[] = [];
    for (let i = 0; i < 8; i++) {
      const host = spawnJobctl([
        'run',
        '--once',
        '--crash-grace',
        '0.2',
        '--config',
        p.config,
        '--data',
        p.data,
      ]);
      const exit = await host.exited;
      exits.push(exit);
      if (exit.signal === null) {
        expect(exit.code, host.output()).toBe(0);
        break;
      }
    }
    expect(exits.map((e) => e.signal ?? e.code)).toEqual(['SIGKILL', 'SIGKILL', 'SIGKILL', 0]);

    const poison = one<{
      itemId: number;
      status: string;
      errorClass: string;
      error: string;
      crashes: number;
      attempts: number;
    }>(
      p.db,
      `SELECT s.item_id AS itemId, s.status, s.error_class AS errorClass, s.error, s.crashes, s.attempts
         FROM item_stages s JOIN items i ON i.id = s.item_id WHERE i.item_key = 'poison' AND s.stage = 'a'`,
    );
    expect(poison).toMatchObject({
      status: 'failed',
      errorClass: 'quarantined',
      crashes: 3,
      attempts: 0,
    });
    expect(poison.error).toMatch(
      /^quarantined: running alone at 3 consecutive host crashes or lease expiries — a likely poison item; `jobctl retry crashy --stage a`/,
    );
    expect(counts(p.db, 'crashy')).toEqual({
      a: { done: 299, failed: 1 },
      b: { done: 299, waiting: 1 },
    });
    // Rows caught running beside the poison were reclaimed, never blamed: they ran once more.
    const others = one<{ attempts: number; crashes: number }>(
      p.db,
      `SELECT max(attempts) AS attempts, max(crashes) AS crashes FROM item_stages WHERE item_id <> ?`,
      poison.itemId,
    );
    expect(others).toEqual({ attempts: 1, crashes: 0 });
    const collateral = one<{ n: number }>(
      p.db,
      `SELECT count(DISTINCT item_id) AS n FROM events WHERE kind = 'lease_reclaimed' AND item_id <> ?`,
      poison.itemId,
    );
    expect(collateral.n).toBeGreaterThan(0);
    const quarantined = p.db
      .prepare(`SELECT item_id AS itemId, data FROM events WHERE kind = 'stage_quarantined'`)
      .all() as { itemId: number; data: string }[];
    expect(quarantined.map((e) => e.itemId)).toEqual([poison.itemId]);
    expect(JSON.parse(quarantined[0]!.data)).toMatchObject({ crashes: 3 });

    const why = await runJobctl([
      'why',
      String(poison.itemId),
      '--config',
      p.config,
      '--data',
      p.data,
    ]);
    expect(why.code, why.out).toBe(0);
    expect(why.out).toMatch(/a: `a` was quarantined: running alone at 3 consecutive host crashes/);
    expect(why.out).toMatch(/b: waits on `a` \(quarantined\)/);
    const inspect = await runJobctl([
      'inspect',
      String(poison.itemId),
      '--config',
      p.config,
      '--data',
      p.data,
    ]);
    expect(inspect.out).toMatch(
      /a\s+failed\s+0 \(\+3 crashes\).*\[quarantined\] quarantined: running alone at 3/,
    );
  });
});

describe('rows a host crash interrupted', () => {
  /** Pending rows of stage `stage` for `keys`, marked as interrupted by `crashes` host deaths. */
  function seed(t: TestEngine, jobId: string, keys: string[], crashes: number, stage = 'a'): void {
    t.engine.addItems(
      jobId,
      keys.map((key) => ({ key, data: { script: { a: 'track:30', b: 'track:30' } } })),
    );
    if (crashes === 0) return;
    t.db
      .prepare(
        `UPDATE item_stages SET crashes = ? WHERE stage = ? AND item_id IN (SELECT id FROM items WHERE item_key IN (SELECT value FROM json_each(?)))`,
      )
      .run(crashes, stage, JSON.stringify(keys));
  }

  const claimKeys = (t: TestEngine, limit: number, stage = 'a') => {
    const now = Date.now();
    return t.engine.tracker
      .claim({ jobId: 'j', stage, owner: 'test', limit, now, leaseUntil: now + 60_000 })
      .map((r) => r.itemKey);
  };

  afterEach(() => {
    resetScripted();
    delete (globalThis as { __track?: unknown }).__track;
  });

  it('go after the fresh work of their stage, so a restart does not run them first again', async () => {
    const t = await startTestEngine(scriptedJob('j', `      - { name: a }`));
    cleanups.push(() => t.close());
    t.engine.pauseJob('j', 'manual claims only', undefined);
    seed(t, 'j', ['c1', 'c2'], 1);
    seed(t, 'j', ['f1', 'f2', 'f3'], 0);
    expect(claimKeys(t, 2)).toEqual(['f1', 'f2']);
    expect(claimKeys(t, 5)).toEqual(['f3', 'c1', 'c2']);
  });

  it('run one at a time, across stages, once a crash from quarantine', async () => {
    const t = await startTestEngine(
      scriptedJob(
        'j',
        `      - { name: a, concurrency: 4 }\n      - { name: b, concurrency: 4 }`,
        `    stage_deps:\n      b: []`,
      ),
    );
    cleanups.push(() => t.close());
    t.engine.pauseJob('j', 'manual claims only', undefined);
    seed(t, 'j', ['s1', 's2'], 2);
    seed(t, 'j', ['s3'], 2, 'b');
    seed(t, 'j', ['once'], 1);
    // Only these rows are open: s1, s2 and once in a; s3 in b.
    t.db
      .prepare(
        `UPDATE item_stages SET status = 'done' WHERE (stage = 'a') = (item_id = (SELECT id FROM items WHERE item_key = 's3'))`,
      )
      .run();
    // One crash: no stricter than after fresh work. Two (one from quarantine): alone, on an
    // otherwise idle host, after the less suspect rows.
    const finishRunning = () =>
      t.db
        .prepare(`UPDATE item_stages SET status = 'done', crashes = 0 WHERE status = 'running'`)
        .run();
    expect(claimKeys(t, 4)).toEqual(['once']);
    expect(claimKeys(t, 4)).toEqual([]);
    expect(claimKeys(t, 4, 'b')).toEqual([]);
    finishRunning();
    expect(claimKeys(t, 4)).toEqual(['s1']);
    expect(claimKeys(t, 4)).toEqual([]);
    expect(claimKeys(t, 4, 'b')).toEqual([]);
    finishRunning();
    expect(claimKeys(t, 4, 'b')).toEqual(['s3']);
    expect(claimKeys(t, 4)).toEqual([]);
  });

  it('are woken in turn when the one running alone ends, so a drain finishes them all', async () => {
    const t = await startTestEngine(
      scriptedJob(
        'j',
        `      - { name: a, concurrency: 4 }\n      - { name: b, concurrency: 4 }`,
        `    stage_deps:\n      b: []`,
      ),
    );
    cleanups.push(() => t.close());
    t.engine.pauseJob('j', 'seeding', undefined);
    seed(t, 'j', ['s1', 's2', 's3'], 2);
    t.db.prepare(`UPDATE item_stages SET crashes = 2 WHERE stage = 'b'`).run();
    t.engine.resumeJob('j');
    await t.engine.waitIdle();
    expect(counts(t.db, 'j')).toEqual({ a: { done: 3 }, b: { done: 3 } });
    // Six runs, never two at once, and each finished run cleared its crash count.
    const track = (globalThis as { __track?: { max: number } }).__track;
    expect(track?.max).toBe(1);
    expect(t.db.prepare(`SELECT max(crashes) AS n FROM item_stages`).get()).toEqual({ n: 0 });
  });
});
