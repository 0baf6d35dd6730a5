import { afterEach, describe, expect, it } from 'vitest';
import type { ClaimRef, StageOutcome } from '../../electron/engine/tracker/outcome.ts';
import { scriptedJob, startTestEngine, type TestEngine } from '../helpers/testEngine.ts';

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A paused job, so only this test claims its row. */
async function oneRow(): Promise<TestEngine> {
  t = await startTestEngine(scriptedJob('j', `      - { name: a }`));
  t.engine.pauseJob('j', 'manual claims only', undefined);
  t.engine.addItems('j', [{ key: 'x', data: {} }]);
  return t;
}

function claim(t: TestEngine, owner: string): ClaimRef {
  const now = Date.now();
  const [row] = t.engine.tracker.claim({
    jobId: 'j',
    stage: 'a',
    owner,
    limit: 1,
    now,
    leaseUntil: now + 60_000,
  });
  if (!row) throw new Error('nothing to claim');
  return {
    rowId: row.id,
    itemId: row.itemId,
    jobId: 'j',
    stage: 'a',
    owner,
    attempts: row.attempts,
    version: '1',
  };
}

function apply(t: TestEngine, ref: ClaimRef, outcome: StageOutcome) {
  const graph = t.engine.config.jobs[0]!.graph;
  return t.engine.tracker.applyOutcomes([{ ref, outcome, graph }]).lost.map((l) => l.reason);
}

const row = (t: TestEngine) =>
  t.db.prepare(`SELECT status, attempts, crashes FROM item_stages`).get() as {
    status: string;
    attempts: number;
    crashes: number;
  };

const retryEvents = (t: TestEngine) =>
  (
    t.db.prepare(`SELECT data FROM events WHERE kind = 'stage_retry' ORDER BY id`).all() as {
      data: string;
    }[]
  ).map((e) => JSON.parse(e.data) as { attempt: number; counted: boolean });

const retry = (refundAttempt?: boolean): StageOutcome => ({
  kind: 'retry',
  readyAt: Date.now() - 1,
  error: 'RateLimited: HTTP 429',
  errorClass: 'rate_limited',
  ...(refundAttempt === undefined ? {} : { refundAttempt }),
});

describe('a retry that refunds its attempt', () => {
  it('gives back the attempt counted at claim and records the retry as not counted', async () => {
    const t = await oneRow();
    const first = claim(t, 'w1');
    expect(first.attempts).toBe(1);
    // The row had been running at two host deaths; a normal end closes that streak.
    t.db.prepare(`UPDATE item_stages SET crashes = 2`).run();
    expect(apply(t, first, retry(true))).toEqual([]);
    expect(row(t)).toEqual({ status: 'retry', attempts: 0, crashes: 0 });
    expect(retryEvents(t)).toMatchObject([{ attempt: 1, counted: false }]);

    // However often the world makes it wait, the item's budget stays untouched.
    for (let i = 0; i < 5; i++) {
      t.engine.tracker.promoteDueRetries('j', 'a', Date.now());
      expect(apply(t, claim(t, 'w1'), retry(true))).toEqual([]);
    }
    expect(row(t)).toMatchObject({ status: 'retry', attempts: 0 });
    expect(retryEvents(t).map((e) => e.counted)).toEqual(Array(6).fill(false));
  });

  it('keeps the ownership guard: a stale or repeated write is rejected and refunds nothing', async () => {
    const t = await oneRow();
    const first = claim(t, 'w1');
    expect(apply(t, first, retry(true))).toEqual([]);
    // The same outcome again (a duplicate write) misses the guard: the row is no longer running.
    expect(apply(t, first, retry(true))).toEqual(['not_running']);
    expect(row(t)).toMatchObject({ status: 'retry', attempts: 0 });

    // The next claim reuses attempt number 1; the old run's late write still cannot land on it.
    t.engine.tracker.promoteDueRetries('j', 'a', Date.now());
    const second = claim(t, 'w2');
    expect(second.attempts).toBe(1);
    expect(apply(t, first, { kind: 'done', output: { late: true } })).toEqual(['lease_lost']);
    expect(apply(t, first, retry(true))).toEqual(['lease_lost']);
    expect(row(t)).toMatchObject({ status: 'running', attempts: 1 });

    // A counted retry (the default) keeps the attempt.
    expect(apply(t, second, retry())).toEqual([]);
    expect(row(t)).toMatchObject({ status: 'retry', attempts: 1 });
    expect(retryEvents(t).map((e) => e.counted)).toEqual([false, true]);
  });
});
