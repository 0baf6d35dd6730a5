import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, type ApiClient, type MethodName } from '../../electron/engine/api/contract.ts';
import { counts, scriptedJob, startTestEngine, type TestEngine } from './testEngine.ts';
import { waitFor } from './waitFor.ts';

/** A transport under test: the typed methods plus the validating `call` entry point. */
export type ConformanceClient = ApiClient & {
  call(method: MethodName, input: unknown): Promise<unknown>;
};

/** Builds a client over a real engine's EngineApi through one transport (direct, HTTP, IPC…). */
export type ClientFactory = (
  t: TestEngine,
) => Promise<{ client: ConformanceClient; close: () => Promise<void> }>;

const JOB = scriptedJob(
  'conf',
  `      - { name: fetch, concurrency: 2 }
      - { name: score, retry: { max_attempts: 1, backoff: 10ms } }`,
);

async function expectApiError(p: Promise<unknown>, code: ApiError['code']): Promise<ApiError> {
  const err = await p.then(
    () => {
      throw new Error(`expected ApiError ${code}, got a result`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe(code);
  return err as ApiError;
}

/**
 * The same contract tests over every transport of EngineApi (STYLE.md §9): each transport
 * must give the same results and the same error codes as calling the facade directly.
 */
export function apiConformance(transport: string, factory: ClientFactory): void {
  describe(`the EngineApi contract over ${transport}`, () => {
    let t: TestEngine | undefined;
    let close: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await close?.();
      await t?.close();
      t = undefined;
      close = undefined;
    });

    async function setup(): Promise<{ client: ConformanceClient; t: TestEngine }> {
      t = await startTestEngine(JOB);
      const made = await factory(t);
      close = made.close;
      return { client: made.client, t };
    }

    it('overview lists the configured job with per-stage counts and the host state', async () => {
      const { client, t } = await setup();
      t.engine.addItems('conf', [
        { key: 'a', data: {} },
        { key: 'b', data: {} },
      ]);
      await t.engine.waitIdle();
      const o = await client.overview({});
      expect(o.jobs.map((j) => j.id)).toEqual(['conf']);
      expect(o.jobs[0]?.stages.map((s) => [s.name, s.counts.done])).toEqual([
        ['fetch', 2],
        ['score', 2],
      ]);
      expect(typeof o.generatedAt).toBe('number');
    });

    it('items pages with limit and offset and reports the total', async () => {
      const { client, t } = await setup();
      t.engine.addItems(
        'conf',
        Array.from({ length: 7 }, (_, i) => ({ key: `k${i}`, data: {} })),
      );
      await t.engine.waitIdle();
      const page = await client.items({ jobId: 'conf', limit: 3, offset: 3 });
      expect(page.total).toBe(7);
      expect(page.items).toHaveLength(3);
      expect(page.items.map((i) => i.key)).toEqual(['k3', 'k4', 'k5']);
    });

    it('item shows every stage with its result, and an unknown item is not_found', async () => {
      const { client, t } = await setup();
      t.engine.addItems('conf', [{ key: 'x', data: { title: 'Ex' } }]);
      await t.engine.waitIdle();
      const { items } = await client.items({ jobId: 'conf' });
      const detail = await client.item({ itemId: items[0]!.id });
      expect(detail.item.title).toBe('Ex');
      expect(detail.stages.map((s) => [s.stage, s.status])).toEqual([
        ['fetch', 'done'],
        ['score', 'done'],
      ]);
      await expectApiError(client.item({ itemId: 999_999 }), 'not_found');
    });

    it('rejects invalid input with invalid_input and unknown jobs with not_found', async () => {
      const { client } = await setup();
      await expectApiError(client.call('items', { jobId: 'conf', limit: 0 }), 'invalid_input');
      await expectApiError(client.call('pause', { jobId: 'conf', bogus: 1 }), 'invalid_input');
      await expectApiError(client.pause({ jobId: 'nope' }), 'not_found');
    });

    it('pause and resume change the job state the overview reports', async () => {
      const { client } = await setup();
      await client.pause({ jobId: 'conf', reason: 'lunch' });
      let job = await client.job({ jobId: 'conf' });
      expect([job.paused, job.pauseReason]).toEqual([true, 'lunch']);
      await client.resume({ jobId: 'conf' });
      job = await client.job({ jobId: 'conf' });
      expect(job.paused).toBe(false);
    });

    it('retry puts failed stages back in the queue and they finish', async () => {
      const { client, t } = await setup();
      t.engine.addItems('conf', [{ key: 'bad', data: { script: { score: 'fail' } } }]);
      await t.engine.waitIdle();
      expect(counts(t.db, 'conf').score).toEqual({ failed: 1 });
      t.db.prepare(`UPDATE items SET data = '{}' WHERE item_key = 'bad'`).run();
      expect(await client.retry({ jobId: 'conf', dryRun: true })).toEqual({
        count: 1,
        paused: false,
        lastRowId: null,
      });
      const r = await client.retry({ jobId: 'conf' });
      expect(r).toEqual({ count: 1, paused: false, lastRowId: expect.any(Number) });
      await waitFor(() => counts(t.db, 'conf').score?.done === 1, { label: 'retried item done' });
      expect(counts(t.db, 'conf').score).toEqual({ done: 1 });
    });

    it('reset sends a stage and its downstream back through the pipeline', async () => {
      const { client, t } = await setup();
      t.engine.addItems('conf', [{ key: 'a', data: {} }]);
      await t.engine.waitIdle();
      const r = await client.reset({ jobId: 'conf', stage: 'fetch' });
      expect(r.count).toBe(1);
      // The reset rows flow again; wait for the outcome, not for an idle moment in between.
      await waitFor(() => counts(t.db, 'conf').score?.done === 1, { label: 'score done again' });
      expect(counts(t.db, 'conf')).toEqual({ fetch: { done: 1 }, score: { done: 1 } });
      await expectApiError(client.reset({ jobId: 'conf', stage: 'nope' }), 'not_found');
    });

    it('cancel fails the unfinished stages of an item, and wake answers for a live engine', async () => {
      const { client, t } = await setup();
      await client.pause({ jobId: 'conf' });
      t.engine.addItems('conf', [{ key: 'c', data: {} }]);
      const { items } = await client.items({ jobId: 'conf' });
      const r = await client.cancel({ itemId: items[0]!.id });
      expect(r.cancelled).toBe(2);
      expect(counts(t.db, 'conf')).toEqual({ fetch: { failed: 1 }, score: { failed: 1 } });
      const w = await client.wake({});
      expect(w.live).toBe(true);
    });

    it('teachCorrection stores a correction that listCorrections shows and forgetCorrection removes', async () => {
      const { client, t } = await setup();
      t.db
        .prepare(
          `INSERT INTO doctor_decisions (ts, job_id, signature, class, action, source)
           VALUES (?, 'conf', 'HTTP 403: Forbidden', 'systemic', 'pause_job', 'rule')`,
        )
        .run(Date.now());
      const taught = await client.teachCorrection({
        signature: ' HTTP 403: Forbidden ',
        class: 'item_specific',
        action: 'skip',
        note: 'geo-blocked pages',
      });
      expect(taught.correction).toMatchObject({
        signature: 'HTTP 403: Forbidden',
        class: 'item_specific',
        action: 'skip',
        note: 'geo-blocked pages',
        hits: 0,
      });
      expect(taught.matched).toEqual({ decisions: 1, jobs: 1 });
      const failed = await client.failures({ jobId: 'conf' });
      expect(failed.groups[0]?.taught).toEqual({ class: 'item_specific', action: 'skip' });
      const { corrections } = await client.listCorrections({});
      expect(corrections.map((c) => [c.signature, c.class, c.action])).toEqual([
        ['HTTP 403: Forbidden', 'item_specific', 'skip'],
      ]);
      expect(await client.forgetCorrection({ signature: 'HTTP 403: Forbidden' })).toEqual({
        forgotten: true,
      });
      expect((await client.listCorrections({})).corrections).toEqual([]);
    });

    it('teachCorrection refuses an unknown class or action, and forgetting none is not_found', async () => {
      const { client } = await setup();
      const err = await expectApiError(
        client.call('teachCorrection', { signature: 'x', class: 'flaky' }),
        'invalid_input',
      );
      expect(err.message).toMatch(/class/);
      await expectApiError(
        client.call('teachCorrection', { signature: 'x', class: 'transient', action: 'nap' }),
        'invalid_input',
      );
      await expectApiError(
        client.call('teachCorrection', { signature: '   ', class: 'transient' }),
        'invalid_input',
      );
      await expectApiError(client.forgetCorrection({ signature: 'never taught' }), 'not_found');
    });

    it('events lists what happened, newest first', async () => {
      const { client } = await setup();
      await client.pause({ jobId: 'conf', reason: 'one' });
      await client.resume({ jobId: 'conf' });
      const ev = await client.events({ jobId: 'conf', limit: 10 });
      const kinds = ev.map((e) => e.kind);
      expect(kinds.indexOf('job_resumed')).toBeLessThan(kinds.indexOf('job_paused'));
    });
  });
}
