import { describe, expect, it } from 'vitest';
import { Doctor } from '../../electron/engine/doctor/Doctor.ts';
import { ErrorModel, trainErrorModel } from '../../electron/engine/doctor/model/ErrorModel.ts';
import { resumeTime } from '../../electron/engine/doctor/resumeTime.ts';
import type { NetworkJudge } from '../../electron/engine/doctor/types.ts';
import { RetryLater } from '../../electron/engine/handler/signals.ts';
import { coerceError } from '../../electron/engine/runner/coerceError.ts';
import { decideOutcome } from '../../electron/engine/runner/decideOutcome.ts';
import { ResourceHeld, ResourcePool } from '../../electron/engine/resources/ResourcePool.ts';
import { Slowdown } from '../../electron/engine/resources/Slowdown.ts';

/** The edges of the failure policy, each on the doctor or the pool alone (no engine). */
const ctx = (over: Record<string, unknown> = {}) => ({
  jobId: 'j',
  stage: 'fetch',
  attempt: 1,
  ...over,
});
const fail = (message: string, extra: Record<string, unknown> = {}) =>
  coerceError(Object.assign(new Error(message), extra));
const CHALLENGE = { status: 403, body: '<title>Just a moment...</title>' };

describe('per-site block streaks', () => {
  it('end when a page of that site loads, so blocks far apart never add up to a pause', async () => {
    const doctor = new Doctor({ model: null });
    const block = () =>
      doctor.classify(
        fail('HTTP 403 from https://a.example/p', CHALLENGE),
        ctx({ host: 'a.example', perHost: true }),
      );
    expect((await block()).pauseJob).toBeUndefined();
    expect((await block()).pauseJob).toBeUndefined();
    doctor.succeeded('j', 'a.example');
    expect((await block()).pauseJob).toBeUndefined();
    expect((await block()).pauseJob).toBeUndefined();
    const third = await block();
    expect(third.pauseJob?.reason).toContain('site a.example is blocking us since');
  });

  it('name the site the failing request went to, not the item’s', async () => {
    const doctor = new Doctor({ model: null });
    const err = fail('bot check instead of content', { code: 'bot_check', host: 'cdn.example' });
    let v;
    for (let i = 0; i < 3; i++) v = await doctor.classify(err, ctx({ host: 'news.example' }));
    expect(v?.pauseJob?.reason).toContain('site cdn.example is blocking us');
  });

  it('are not counted for a key error whose status is 403', async () => {
    const doctor = new Doctor({ model: null });
    const v = await doctor.classify(
      fail('Request failed with status code 403', {
        status: 403,
        body: '{"error":{"message":"API key not valid. Please pass a valid API key."}}',
      }),
      ctx({ host: 'news.example' }),
    );
    expect(v.class).toBe('systemic');
    expect(v.tag).toBeUndefined();
  });
});

describe('the error model’s guesses', () => {
  const model = new ErrorModel(
    trainErrorModel(
      [
        ...Array.from({ length: 6 }, () => ({
          message: 'sprocket widget misaligned',
          expected: 'code_bug',
        })),
        ...Array.from({ length: 6 }, () => ({
          message: 'gizmo window shut tonight',
          expected: 'temporal',
        })),
        { message: 'plain words here', expected: 'transient' },
      ],
      'test',
      1,
    ),
  );

  it('never pause a job on one code-bug guess; three in a row do', async () => {
    const doctor = new Doctor({ model });
    const guess = () => doctor.classify(fail('sprocket widget misaligned'), ctx());
    const first = await guess();
    expect(first).toMatchObject({ class: 'code_bug', source: 'model' });
    expect(first.pauseJob).toBeUndefined();
    expect((await guess()).pauseJob).toBeUndefined();
    expect((await guess()).pauseJob?.reason).toMatch(/^doctor \(code_bug\)/);
  });

  it('make only the item wait on a temporal guess', async () => {
    const v = await new Doctor({ model }).classify(fail('gizmo window shut tonight'), ctx());
    expect(v).toMatchObject({
      class: 'temporal',
      source: 'model',
      refundAttempt: true,
      action: 'retry',
    });
    expect(v.pauseJob).toBeUndefined();
  });
});

describe('RetryLater', () => {
  it('uses no attempt and slows the stage when its reason is a rate limit', async () => {
    const v = await new Doctor({ model: null }).classify(
      coerceError(new RetryLater('429 Too Many Requests', 5000)),
      ctx(),
    );
    expect(v).toMatchObject({ class: 'rate_limited', refundAttempt: true, throttleMs: 5000 });
  });

  it('counts its attempts like any retry when it says nothing of the kind', async () => {
    const v = await new Doctor({ model: null }).classify(
      coerceError(new RetryLater('upstream still computing the digest', 5000)),
      ctx(),
    );
    expect(v.class).toBe('transient');
    expect(v.refundAttempt).toBeUndefined();
  });
});

describe('network errors', () => {
  const judge = (offline: boolean): NetworkJudge => ({
    isOffline: () => Promise.resolve(offline),
    waitMs: 30_000,
    down: offline,
  });
  const dns = () =>
    fail('getaddrinfo ENOTFOUND api.example.org', {
      code: 'ENOTFOUND',
      hostname: 'api.example.org',
    });

  it('while offline, count against neither the item nor the job’s breakers', async () => {
    const doctor = new Doctor({ model: null });
    doctor.useNetwork(judge(true));
    for (let i = 0; i < 25; i++) {
      const v = await doctor.classify(dns(), ctx());
      expect(v).toMatchObject({ class: 'transient', refundAttempt: true, retryAfterMs: 30_000 });
      expect(v.pauseJob).toBeUndefined();
    }
    expect(doctor.breakers.list('j')).toEqual([]);
  });

  it('when the probe gets through, count as the site’s own trouble', async () => {
    const doctor = new Doctor({ model: null });
    doctor.useNetwork(judge(false));
    const v = await doctor.classify(dns(), ctx());
    expect(v.refundAttempt).toBeUndefined();
    expect(doctor.breakers.list('j')[0]).toMatchObject({ class: 'transient', count: 1 });
  });
});

describe('a taught pause for an item error', () => {
  it('parks the item instead of failing it', () => {
    const o = decideOutcome(
      fail('x'),
      { class: 'item_specific', source: 'correction', pauseJob: { reason: 'taught' } },
      1,
      { max_attempts: 1, backoff: 10, max_backoff: 10 },
      1000,
      [],
    );
    expect(o).toMatchObject({ kind: 'retry', refundAttempt: true });
  });
});

describe('a site that asks for a long wait', () => {
  it('makes its runs give their stage slot back instead of waiting in it', async () => {
    const pool = new ResourcePool();
    pool.configure({ web: { concurrency: 2 } });
    pool.penalize([{ name: 'web', per: 'host' }], 'slow.example', 60_000);
    await expect(
      pool.acquire({ name: 'web', per: 'host' }, 'slow.example', 1000),
    ).rejects.toBeInstanceOf(ResourceHeld);
    const other = await pool.acquire({ name: 'web', per: 'host' }, 'fine.example', 1000);
    other.release();
  });

  it('is forgotten once the pace has recovered', () => {
    const s = new Slowdown();
    s.penalize(1000, 0);
    expect(s.active(500)).toBe(true);
    expect(s.active(1000 + 3 * 30_000)).toBe(false);
  });
});

describe('stated resume times', () => {
  const now = Date.parse('2026-11-30T15:00:00Z');
  it('are capped at a week', () => {
    expect(resumeTime('back in 400 days', now)).toBe(now + 7 * 86_400_000);
  });
  it('do not read a place in a file as a time of day', () => {
    expect(resumeTime('XML syntax error at line 12:34', now)).toBeUndefined();
  });
});
