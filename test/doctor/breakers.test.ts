import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Doctor } from '../../electron/engine/doctor/Doctor.ts';
import { jobStates } from '../../electron/engine/tracker/jobState.ts';
import { counts, startTestEngine, type TestEngine } from '../helpers/testEngine.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { resetThrowing } from '../fixtures/errors/throwing.ts';

const THROWING = resolve(import.meta.dirname, '../fixtures/errors/throwing.ts');

let t: TestEngine | undefined;
let doctor: Doctor | undefined;
afterEach(async () => {
  resetThrowing();
  doctor?.detach();
  await t?.close();
  t = undefined;
  doctor = undefined;
});

function job(id: string, extra = ''): string {
  return `jobs:
  - id: ${id}
    handler: ${THROWING}
    stages:
      - name: fetch
        retry: { max_attempts: 5, backoff: 10ms, max_backoff: 20ms }
${extra}`;
}

/** A real engine whose classifier is a real doctor attached to its database and bus. */
async function start(yaml: string): Promise<TestEngine> {
  doctor = new Doctor();
  t = await startTestEngine(yaml, { classifier: doctor });
  doctor.attach({ db: t.db, bus: t.engine.bus, config: t.engine.config });
  return t;
}

const AUTH = { message: 'HTTP 401 Unauthorized', status: 401 };
const paused = (id: string) => jobStates(t!.db).get(id);
/** The job's state once it is paused (undefined until then, for waitFor). */
const pausedState = (id: string) => {
  const st = paused(id);
  return st?.paused ? st : undefined;
};

describe('circuit breakers in a real engine', () => {
  it('pause the job on the first code bug, with the reason and what resumes it', async () => {
    await start(job('bug'));
    t!.engine.addItems('bug', [
      {
        key: 'a',
        data: {
          errors: {
            fetch: [
              { name: 'TypeError', message: "Cannot read properties of undefined (reading 'x')" },
            ],
          },
        },
      },
    ]);
    const st = await waitFor(() => pausedState('bug'), { label: 'job paused' });
    expect(st.reason).toMatch(/^doctor \(code_bug\): fetch: TypeError: Cannot read/);
    expect(st.reason).toContain('jobctl retry bug --unpause');
    expect(st.until).toBeNull();
    // The item is parked for after the fix, not burnt.
    await waitFor(() => counts(t!.db, 'bug').fetch?.retry === 1, { label: 'item parked' });
    const detail = await t!.api.item({ itemId: 1 });
    expect(detail.doctor?.[0]).toMatchObject({
      class: 'code_bug',
      source: 'rule',
      action: 'pause_job',
      paused: true,
    });
  });

  it('pause after three systemic errors in a row, not before', async () => {
    await start(job('sys'));
    const items = (keys: string[]) =>
      keys.map((key) => ({ key, data: { errors: { fetch: [AUTH, AUTH, AUTH, AUTH, AUTH] } } }));
    t!.engine.addItems('sys', items(['a', 'b']));
    await waitFor(
      () =>
        (t!.db.prepare(`SELECT count(*) AS n FROM doctor_decisions`).get() as { n: number }).n >= 2,
      { label: 'two decisions' },
    );
    expect(paused('sys')?.paused ?? false).toBe(false);
    t!.engine.addItems('sys', items(['c']));
    const st = await waitFor(() => pausedState('sys'), { label: 'paused' });
    expect(st.reason).toMatch(/^doctor \(systemic\).*3 systemic errors in a row/);
  });

  it('start counting again after a success', async () => {
    await start(job('reset', '    breakers: { systemic: 2 }'));
    t!.engine.addItems('reset', [{ key: 'a', data: { errors: { fetch: [AUTH] } } }]);
    // a fails once, then succeeds on its retry: the success ends the streak.
    await waitFor(() => counts(t!.db, 'reset').fetch?.done === 1, { label: 'a done' });
    await waitFor(() => doctor!.breakers.list('reset').length === 0, { label: 'streak reset' });
    t!.engine.addItems('reset', [{ key: 'b', data: { errors: { fetch: [AUTH] } } }]);
    await waitFor(() => counts(t!.db, 'reset').fetch?.done === 2, { label: 'b done' });
    expect(paused('reset')?.paused ?? false).toBe(false);
    const f = await t!.api.failures({ jobId: 'reset' });
    expect(f.groups).toHaveLength(1);
    expect(f.groups[0]).toMatchObject({ class: 'systemic', count: 2, items: 2 });
    expect(f.groups[0]!.example).toContain('401');
  });

  it('pause on a storm of transient errors within the window, and clear-errors resets the count', async () => {
    await start(job('storm', '    breakers: { transient: { count: 3, within: 5m, pause: 1h } }'));
    const reset = { message: 'read ECONNRESET', code: 'ECONNRESET' };
    t!.engine.addItems('storm', [{ key: 'a', data: { errors: { fetch: [reset, reset] } } }]);
    await waitFor(() => doctor!.breakers.list('storm')[0]?.count === 2, { label: 'two transient' });
    expect((await t!.api.clearErrors({ jobId: 'storm' })).cleared).toBe(1);
    expect(doctor!.breakers.list('storm')).toEqual([]);
    await waitFor(() => counts(t!.db, 'storm').fetch?.done === 1, { label: 'a done' });
    t!.engine.addItems('storm', [
      { key: 'b', data: { errors: { fetch: [reset, reset, reset, reset] } } },
    ]);
    const st = await waitFor(() => pausedState('storm'), { label: 'paused' });
    expect(st.reason).toMatch(/^doctor \(transient\).*3 transient errors in a row within 300s/);
    expect(st.until).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  it('fail only the item on an item-specific error and keep the job running', async () => {
    await start(job('gone'));
    t!.engine.addItems('gone', [
      { key: 'a', data: { errors: { fetch: [{ message: 'HTTP 404 Not Found', status: 404 }] } } },
      { key: 'b', data: {} },
    ]);
    await t!.engine.waitIdle();
    expect(counts(t!.db, 'gone').fetch).toEqual({ failed: 1, done: 1 });
    expect(paused('gone')?.paused ?? false).toBe(false);
  });
});

describe('temporal errors', () => {
  it('pause the job until the stated time, then resume it by themselves', async () => {
    await start(job('market'));
    const opens = new Date(Date.now() + 1500).toISOString();
    t!.engine.addItems('market', [
      {
        key: 'a',
        data: { errors: { fetch: [{ message: `Market is closed; reopens ${opens}` }] } },
      },
    ]);
    const st = await waitFor(() => pausedState('market'), {
      label: 'paused',
    });
    expect(st.until).toBe(Date.parse(opens));
    expect(st.reason).toMatch(/^doctor \(temporal\).*resumes by itself/);
    await waitFor(() => counts(t!.db, 'market').fetch?.done === 1, { label: 'resumed and done' });
    expect(paused('market')?.paused).toBe(false);
  });
});
