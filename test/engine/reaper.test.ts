import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetScripted } from '../helpers/holds.ts';
import { counts, scriptedJob, startTestEngine, type TestEngine } from '../helpers/testEngine.ts';
import { waitFor } from '../helpers/waitFor.ts';

let t: TestEngine | undefined;
beforeEach(() => resetScripted());
afterEach(async () => {
  resetScripted();
  await t?.close();
  t = undefined;
});

/** Seeds `running` rows as a crashed host would leave them. */
function seedRunning(
  t: TestEngine,
  key: string,
  owner: string,
  leaseUntil: number,
  attempts: number,
): void {
  t.db
    .prepare(
      `UPDATE item_stages SET status = 'running', lease_owner = ?, lease_until = ?, attempts = ?, started_at = ? WHERE item_id = (SELECT id FROM items WHERE item_key = ?) AND stage = 'a'`,
    )
    .run(owner, leaseUntil, attempts, Date.now() - 60_000, key);
}

describe('the reaper', () => {
  it('returns expired leases to pending, and sends a row that used every attempt to the dead bin', async () => {
    t = await startTestEngine(scriptedJob('r', `      - { name: a, retry: { max_attempts: 3 } }`), {
      reaperIntervalMs: 20,
    });
    t.engine.pauseJob('r', 'seeding', undefined);
    t.engine.addItems('r', [
      { key: 'expired', data: {} },
      { key: 'poison', data: {} },
      { key: 'live', data: {} },
    ]);
    seedRunning(t, 'expired', 'ghost', Date.now() - 1000, 1);
    seedRunning(t, 'poison', 'ghost', Date.now() - 1000, 3);
    seedRunning(t, 'live', 'ghost', Date.now() + 60_000, 1);
    await waitFor(() => counts(t!.db, 'r').a?.dead === 1);
    const st = (k: string) =>
      t!.db
        .prepare(
          `SELECT s.status, s.error FROM item_stages s JOIN items i ON i.id = s.item_id WHERE i.item_key = ?`,
        )
        .get(k) as { status: string; error: string };
    expect(st('expired').status).toBe('pending');
    expect(st('expired').error).toMatch(/lease expired/);
    expect(st('poison').status).toBe('dead');
    expect(st('live').status).toBe('running');
    t.engine.resumeJob('r');
    await waitFor(() => st('expired').status === 'done');
  });

  it('reclaims at start every running row a previous host left, without waiting for its lease', async () => {
    t = await startTestEngine(scriptedJob('r', `      - { name: a }`));
    t.engine.pauseJob('r', 'seeding', undefined);
    t.engine.addItems('r', [{ key: 'left', data: {} }]);
    seedRunning(t, 'left', 'dead-host', Date.now() + 3_600_000, 1);
    await t.engine.stop(100);
    const { Engine } = await import('../../electron/engine/runner/Engine.ts');
    const next = await Engine.create({ db: t.db, config: t.engine.config, discovery: false });
    next.start();
    next.resumeJob('r');
    await next.waitIdle();
    expect(counts(t.db, 'r').a).toEqual({ done: 1 });
    const attempts = t.db.prepare(`SELECT attempts FROM item_stages`).get() as { attempts: number };
    expect(attempts.attempts).toBe(2);
    await next.stop(100);
  });

  it('extends the leases of long runs so a healthy slow item is never reaped', async () => {
    t = await startTestEngine(scriptedJob('r', `      - { name: a }`), {
      leaseMs: 150,
      reaperIntervalMs: 20,
    });
    t.engine.addItems('r', [{ key: 'slow', data: { script: { a: 'sleep:600' } } }]);
    await t.engine.waitIdle();
    const row = t.db.prepare(`SELECT status, attempts FROM item_stages`).get() as {
      status: string;
      attempts: number;
    };
    expect(row).toEqual({ status: 'done', attempts: 1 });
  });
});

describe('graceful shutdown', () => {
  it('hands unfinished runs back to pending without counting the attempt', async () => {
    t = await startTestEngine(scriptedJob('g', `      - { name: a, concurrency: 2 }`));
    t.engine.addItems('g', [
      { key: 'h1', data: { script: { a: 'hang' } } },
      { key: 'q', data: { script: { a: 'sleep:20' } } },
    ]);
    await waitFor(() => counts(t!.db, 'g').a?.running === 2);
    await t.engine.stop(100);
    expect(counts(t.db, 'g').a).toEqual({ pending: 1, done: 1 });
    const hung = t.db
      .prepare(`SELECT attempts FROM item_stages WHERE status = 'pending'`)
      .get() as { attempts: number };
    expect(hung.attempts).toBe(0);
  });
});

describe('event retention', () => {
  it('prunes events older than events_retention in chunks and keeps recent ones', async () => {
    t = await startTestEngine(`events_retention: 1d\n${scriptedJob('e', `      - { name: a }`)}`);
    const old = Date.now() - 2 * 86_400_000;
    const insert = t.db.prepare(`INSERT INTO events (ts, job_id, kind) VALUES (?, 'e', 'old')`);
    t.db.transaction(() => {
      for (let i = 0; i < 12_000; i++) insert.run(old + i);
    })();
    t.engine.tracker.event({ jobId: 'e', kind: 'recent' });
    expect(await t.engine.pruner.prune()).toBe(12_000);
    const left = t.db.prepare(`SELECT kind, count(*) AS n FROM events GROUP BY kind`).all();
    expect(left).toEqual([{ kind: 'recent', n: 1 }]);
  });
});
