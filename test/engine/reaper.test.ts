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
  crashes = 0,
): void {
  t.db
    .prepare(
      `UPDATE item_stages SET status = 'running', lease_owner = ?, lease_until = ?, attempts = ?, crashes = ?, started_at = ? WHERE item_id = (SELECT id FROM items WHERE item_key = ?) AND stage = 'a'`,
    )
    .run(owner, leaseUntil, attempts, crashes, Date.now() - 60_000, key);
}

interface Row {
  status: string;
  attempts: number;
  crashes: number;
  error: string | null;
  errorClass: string | null;
}
const row = (t: TestEngine, key: string, stage = 'a') =>
  t.db
    .prepare(
      `SELECT s.status, s.attempts, s.crashes, s.error, s.error_class AS errorClass FROM item_stages s
         JOIN items i ON i.id = s.item_id WHERE i.item_key = ? AND s.stage = ?`,
    )
    .get(key, stage) as Row;

const events = (t: TestEngine, kind: string) =>
  (
    t.db.prepare(`SELECT data FROM events WHERE kind = ? ORDER BY id`).all(kind) as {
      data: string;
    }[]
  ).map((e) => JSON.parse(e.data) as Record<string, unknown>);

describe('the reaper', () => {
  it('returns an expired lease to pending with its attempt refunded and the crash counted', async () => {
    t = await startTestEngine(scriptedJob('r', `      - { name: a, retry: { max_attempts: 1 } }`), {
      reaperIntervalMs: 20,
    });
    t.engine.pauseJob('r', 'seeding', undefined);
    const [id] = t.engine.addItems('r', [
      { key: 'expired', data: {} },
      { key: 'live', data: {} },
    ]).ids;
    // max_attempts 1: under the old rule this row would have gone straight to the dead bin.
    seedRunning(t, 'expired', 'ghost', Date.now() - 1000, 1);
    seedRunning(t, 'live', 'ghost', Date.now() + 60_000, 1);
    await waitFor(() => row(t!, 'expired').status === 'pending');
    expect(row(t, 'expired')).toMatchObject({ attempts: 0, crashes: 1, errorClass: 'transient' });
    expect(row(t, 'expired').error).toMatch(/lease expired/);
    expect(row(t, 'live').status).toBe('running');
    expect(events(t, 'lease_reclaimed')).toEqual([{ to: 'pending', crashes: 1 }]);
    const why = await t.api.why({ itemId: id! });
    expect(why.reasons.find((r) => r.code === 'crash_recovery')?.message).toBe(
      "`a` was running when its host died (1 time(s) in a row; quarantined at 3): it runs again after the stage's fresh work",
    );
    t.engine.resumeJob('r');
    await waitFor(() => row(t!, 'expired').status === 'done');
    // It ran once, as its first attempt, and the finished run closed the crash streak.
    expect(row(t, 'expired')).toMatchObject({ attempts: 1, crashes: 0 });
  });

  it('quarantines a row running at three consecutive host deaths: failed with the reason, its dependents blocked', async () => {
    t = await startTestEngine(
      scriptedJob('r', `      - { name: a }\n      - { name: b }`, `    stage_deps:\n      b: [a]`),
      { reaperIntervalMs: 20 },
    );
    t.engine.pauseJob('r', 'seeding', undefined);
    const [id] = t.engine.addItems('r', [{ key: 'poison', data: {} }]).ids;
    seedRunning(t, 'poison', 'ghost', Date.now() - 1000, 1, 2);
    await waitFor(() => row(t!, 'poison').status === 'failed');
    expect(row(t, 'poison')).toEqual({
      status: 'failed',
      attempts: 0,
      crashes: 3,
      errorClass: 'quarantined',
      error:
        'quarantined: running alone at 3 consecutive host crashes or lease expiries — a likely poison item; `jobctl retry r --stage a` to try again',
    });
    expect(row(t, 'poison', 'b').status).toBe('waiting');
    expect(events(t, 'lease_reclaimed')).toEqual([{ to: 'failed', crashes: 3 }]);
    expect(events(t, 'stage_quarantined')).toEqual([
      { crashes: 3, reason: row(t, 'poison').error },
    ]);
    const why = await t.api.why({ itemId: id! });
    expect(why.status).toBe('failed');
    const stages = why.reasons.filter((r) => r.stage !== null);
    expect(stages.map((r) => [r.stage, r.code])).toEqual([
      ['a', 'quarantined'],
      ['b', 'upstream_failed'],
    ]);
    expect(stages[0]!.message).toMatch(
      /^`a` was quarantined: running alone at 3 consecutive host crashes .*`jobctl retry r --stage a` to try again$/,
    );
    expect(stages[1]!.message).toMatch(/^waits on `a` \(quarantined\)/);
    const detail = await t.api.item({ itemId: id! });
    expect(detail.stages.map((s) => [s.stage, s.status, s.crashes])).toEqual([
      ['a', 'failed', 3],
      ['b', 'waiting', 0],
    ]);

    // A person's retry gives it a clean slate: no attempts, no crashes, and the item flows on.
    expect((await t.api.retry({ jobId: 'r', unpause: true })).count).toBe(1);
    expect(row(t, 'poison')).toMatchObject({ status: 'pending', attempts: 0, crashes: 0 });
    await t.engine.waitIdle();
    expect(row(t, 'poison', 'b')).toMatchObject({ status: 'done', crashes: 0 });
  });

  it('counts only consecutive crashes: any normal end of a run sets the count back to 0', async () => {
    t = await startTestEngine(
      scriptedJob('r', `      - { name: a, retry: { max_attempts: 5, backoff: 10ms } }`),
      { reaperIntervalMs: 20, quarantineAfterCrashes: 2 },
    );
    t.engine.pauseJob('r', 'seeding', undefined);
    t.engine.addItems('r', [
      { key: 'done', data: {} },
      { key: 'flaky', data: { script: { a: 'flaky:1' } } },
    ]);
    seedRunning(t, 'done', 'ghost', Date.now() - 1000, 1);
    seedRunning(t, 'flaky', 'ghost', Date.now() - 1000, 1);
    await waitFor(() => row(t!, 'done').crashes === 1 && row(t!, 'flaky').crashes === 1);
    t.engine.resumeJob('r');
    await waitFor(() => row(t!, 'done').status === 'done' && row(t!, 'flaky').status === 'done');
    // One finished, one failed and was retried; both runs ended normally.
    expect(row(t, 'done')).toMatchObject({ status: 'done', attempts: 1, crashes: 0 });
    expect(row(t, 'flaky')).toMatchObject({ status: 'done', attempts: 2, crashes: 0 });
    t.engine.pauseJob('r', 'seeding again', undefined);
    seedRunning(t, 'done', 'ghost', Date.now() - 1000, 1);
    await waitFor(() => row(t!, 'done').status === 'pending');
    // With a threshold of 2, a second crash in a row would have quarantined it.
    expect(row(t, 'done')).toMatchObject({ attempts: 0, crashes: 1 });
    seedRunning(t, 'done', 'ghost', Date.now() - 1000, 1, 1);
    await waitFor(() => row(t!, 'done').status === 'failed');
    expect(row(t, 'done')).toMatchObject({ crashes: 2, errorClass: 'quarantined' });
    expect(row(t, 'done').error).toMatch(
      /^quarantined: running alone at 2 consecutive host crashes/,
    );
  });

  it('never takes back a row its own host holds: the run is still in flight there', async () => {
    t = await startTestEngine(scriptedJob('r', `      - { name: a }`));
    t.engine.pauseJob('r', 'seeding', undefined);
    t.engine.addItems('r', [
      { key: 'mine', data: {} },
      { key: 'theirs', data: {} },
    ]);
    seedRunning(t, 'mine', 'me', Date.now() - 1000, 1);
    seedRunning(t, 'theirs', 'other', Date.now() - 1000, 1);
    const reclaimed = t.engine.tracker.reclaimExpired({
      now: Date.now(),
      owner: 'me',
      startup: false,
    });
    expect(reclaimed.map((r) => r.status)).toEqual(['pending']);
    expect(row(t, 'mine')).toMatchObject({ status: 'running', attempts: 1, crashes: 0 });
    expect(row(t, 'theirs')).toMatchObject({ status: 'pending', attempts: 0, crashes: 1 });
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
    // The re-run is its first attempt: the dead host's claim was refunded.
    expect(row(t, 'left')).toMatchObject({ attempts: 1, crashes: 0 });
    expect(events(t, 'lease_reclaimed')).toEqual([{ to: 'pending', crashes: 1 }]);
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
