import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hold, resetScripted, runs } from '../helpers/holds.ts';
import { counts, scriptedJob, startTestEngine, type TestEngine } from '../helpers/testEngine.ts';
import { waitFor } from '../helpers/waitFor.ts';

let t: TestEngine | undefined;
beforeEach(() => resetScripted());
afterEach(async () => {
  resetScripted();
  await t?.close();
  t = undefined;
});

const row = (t: TestEngine, key: string, stage: string) =>
  t.db
    .prepare(
      `SELECT s.status, s.attempts, s.error, s.error_class AS errorClass, s.ready_at AS readyAt, s.ended_at AS endedAt
         FROM item_stages s JOIN items i ON i.id = s.item_id WHERE i.item_key = ? AND s.stage = ?`,
    )
    .get(key, stage) as {
    status: string;
    attempts: number;
    error: string | null;
    errorClass: string | null;
    readyAt: number;
    endedAt: number;
  };

describe('stage outcomes', () => {
  it('a skipped stage skips every stage downstream of it', async () => {
    t = await startTestEngine(
      scriptedJob(
        'j',
        `      - { name: fetch }\n      - { name: extract }\n      - { name: score }`,
      ),
    );
    t.engine.addItems('j', [
      { key: 's', data: { script: { fetch: 'skip' } } },
      { key: 'ok', data: {} },
    ]);
    await t.engine.waitIdle();
    expect(row(t, 's', 'fetch').status).toBe('skipped');
    expect(row(t, 's', 'extract').status).toBe('skipped');
    expect(row(t, 's', 'score').status).toBe('skipped');
    expect(row(t, 'ok', 'score').status).toBe('done');
  });

  it('an empty result is an error unless the stage allows empty results', async () => {
    t = await startTestEngine(
      scriptedJob(
        'j',
        `      - { name: a, retry: { max_attempts: 1 } }\n      - { name: b, allow_empty: true, retry: { max_attempts: 1 } }`,
        '',
      ),
    );
    t.engine.addItems('j', [
      { key: 'e', data: { script: { a: 'empty' } } },
      { key: 'e2', data: { script: { b: 'empty' } } },
    ]);
    await t.engine.waitIdle();
    const a = row(t, 'e', 'a');
    expect(a.status).toBe('dead');
    expect(a.error).toMatch(/EmptyResult/);
    expect(row(t, 'e', 'b').status).toBe('waiting');
    expect(row(t, 'e2', 'b').status).toBe('done');
  });

  it('retries with exponential backoff stored as ready_at, then succeeds', async () => {
    t = await startTestEngine(
      scriptedJob(
        'j',
        `      - { name: a, retry: { max_attempts: 5, backoff: 200ms, max_backoff: 1s } }`,
      ),
    );
    t.engine.addItems('j', [{ key: 'f', data: { script: { a: 'flaky:2' } } }]);
    await waitFor(() => row(t!, 'f', 'a').status === 'retry');
    const r1 = row(t, 'f', 'a');
    // attempt 1 waits between base/2 and base (jitter on the upper half).
    expect(r1.readyAt - r1.endedAt).toBeGreaterThanOrEqual(100);
    expect(r1.readyAt - r1.endedAt).toBeLessThanOrEqual(200);
    await waitFor(() => row(t!, 'f', 'a').status === 'done');
    expect(row(t, 'f', 'a').attempts).toBe(3);
    const attempts = runs()
      .filter((r) => r.key === 'f')
      .map((r) => r.attempt);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('exhausted attempts land in the dead bin, and a bulk retry replays them', async () => {
    t = await startTestEngine(
      scriptedJob(
        'j',
        `      - { name: a, retry: { max_attempts: 2, backoff: 10ms } }\n      - { name: b }`,
      ),
    );
    t.engine.addItems('j', [
      { key: 'x', data: { script: { a: 'throw' } } },
      { key: 'y', data: { script: { a: 'throw' } } },
    ]);
    await waitFor(() => counts(t!.db, 'j').a?.dead === 2);
    expect(row(t, 'x', 'a').attempts).toBe(2);
    expect(row(t, 'x', 'a').error).toMatch(/gave up after 2 attempts/);
    expect(row(t, 'x', 'b').status).toBe('waiting');
    const r = await t.api.retry({ jobId: 'j', stage: 'a' });
    expect(r.count).toBe(2);
    await waitFor(
      () => counts(t!.db, 'j').a?.dead === 2 && runs().filter((x) => x.key === 'x').length === 4,
    );
  });

  it('a FailItem marks the item failed without retrying, keeping its dependents blocked', async () => {
    t = await startTestEngine(scriptedJob('j', `      - { name: a }\n      - { name: b }`));
    t.engine.addItems('j', [{ key: 'bad', data: { script: { a: 'fail' } } }]);
    await t.engine.waitIdle();
    expect(row(t, 'bad', 'a')).toMatchObject({
      status: 'failed',
      attempts: 1,
      errorClass: 'item_specific',
    });
    expect(row(t, 'bad', 'b').status).toBe('waiting');
  });

  it('a stage that outlives its timeout is aborted and retried as transient', async () => {
    t = await startTestEngine(
      scriptedJob(
        'j',
        `      - { name: a, timeout: 1s, retry: { max_attempts: 2, backoff: 10ms } }`,
      ),
    );
    t.engine.addItems('j', [{ key: 'h', data: { script: { a: 'hang' } } }]);
    await waitFor(() => row(t!, 'h', 'a').status === 'dead');
    expect(row(t, 'h', 'a')).toMatchObject({ attempts: 2, errorClass: 'transient' });
    expect(row(t, 'h', 'a').error).toMatch(/TimeoutError: stage timed out after 1000 ms/);
  });

  it('cancelling an item aborts its running stage and fails its unfinished stages', async () => {
    t = await startTestEngine(scriptedJob('j', `      - { name: a }\n      - { name: b }`));
    const { ids } = t.engine.addItems('j', [{ key: 'c', data: { script: { a: 'hold' } } }]);
    await waitFor(() => hold('c/a').started);
    const r = await t.api.cancel({ itemId: ids[0]! });
    expect(r.wasRunning).toBe(true);
    await t.engine.waitIdle();
    expect(row(t, 'c', 'a')).toMatchObject({ status: 'failed', errorClass: 'cancelled' });
    expect(row(t, 'c', 'b')).toMatchObject({ status: 'failed', errorClass: 'cancelled' });
  });

  it('a lower priority number runs first, and _priority re-prioritises the rest of the item', async () => {
    t = await startTestEngine(scriptedJob('j', `      - { name: a }`));
    t.engine.pauseJob('j', 'hold the queue', undefined);
    t.engine.addItems('j', [
      { key: 'late', data: {}, priority: 5 },
      { key: 'early', data: {}, priority: -1 },
      { key: 'mid', data: {}, priority: 2 },
    ]);
    t.engine.resumeJob('j');
    await t.engine.waitIdle();
    expect(runs().map((r) => r.key)).toEqual(['early', 'mid', 'late']);
  });
});
