import { afterEach, describe, expect, it } from 'vitest';
import { dayKey, dayStart, nextDayStart } from '../../electron/engine/cost/dayBoundary.ts';
import { EnvSecretStore } from '../../electron/engine/secrets/SecretStore.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { counts, startTestEngine, type TestEngine } from '../helpers/testEngine.ts';
import { startFakeOpenAi, type FakeOpenAi } from './helpers/openaiServer.ts';

let t: TestEngine | undefined;
let llm: FakeOpenAi | undefined;
afterEach(async () => {
  await t?.close();
  await llm?.close();
  t = llm = undefined;
});

describe('day boundaries in a time zone', () => {
  it('finds local midnight, including across a daylight-saving change', () => {
    const t0 = Date.parse('2024-03-31T12:00:00Z'); // Berlin switches to CEST at 02:00 that day
    expect(new Date(dayStart(t0, 'Europe/Berlin')).toISOString()).toBe('2024-03-30T23:00:00.000Z');
    expect(new Date(nextDayStart(t0, 'Europe/Berlin')).toISOString()).toBe(
      '2024-03-31T22:00:00.000Z',
    );
    expect(dayKey(Date.parse('2024-03-31T22:30:00Z'), 'Europe/Berlin')).toBe('2024-04-01');
    expect(new Date(nextDayStart(t0, 'UTC')).toISOString()).toBe('2024-04-01T00:00:00.000Z');
  });
});

describe('the daily cost limit', () => {
  it('pauses the job when today’s spend reaches the limit and resumes it at the next midnight', async () => {
    llm = await startFakeOpenAi(() => ({
      content: { summary: 'ok' },
      usage: { prompt_tokens: 1000, completion_tokens: 100 }, // $0.00021 with gpt-4o-mini
    }));
    // The cost guard's clock stands 4 s before midnight UTC; the engine's clock stays real.
    const now = Date.now();
    const offset = nextDayStart(now, 'UTC') - 4000 - now;
    const events: { paused: boolean; reason?: string | null; until?: number | null }[] = [];
    t = await startTestEngine(
      `timezone: UTC
llm:
  providers:
    fake: { base_url: ${llm.baseUrl}, api_key: secret:fake, models: [gpt-4o-mini] }
jobs:
  - id: paid
    guards: { daily_cost_limit: 0.0004 }
    stages:
      - name: summarize
        uses: builtin/llm
        params: { prompt: "Summarize", document: "{{ data.text }}", schema: { type: object, properties: { summary: { type: string } } } }
`,
      {
        secrets: new EnvSecretStore({ TRIBUTARY_SECRET_FAKE: 'sk-test' }),
        content: { clock: () => Date.now() + offset },
      },
    );
    const attention: string[] = [];
    t.engine.bus.on((e) => {
      if (e.type === 'job_state') events.push(e);
      if (e.type === 'attention') attention.push(e.title);
    });
    const started = Date.now();
    t.engine.addItems(
      'paid',
      Array.from({ length: 4 }, (_, i) => ({ key: `n${i}`, data: { text: `note ${i}` } })),
    );
    const pause = await waitFor(() => events.find((e) => e.paused), { label: 'the cost pause' });
    expect(pause.reason).toMatch(/^daily cost limit/);
    // Paused until the (simulated) midnight: about 4 s after the test started, not a day.
    expect(pause.until! - started).toBeLessThanOrEqual(4100);
    expect(attention).toContain('Daily cost limit reached');
    const doneAtPause = counts(t.db, 'paid').summarize?.done ?? 0;
    expect(doneAtPause).toBeGreaterThanOrEqual(2);
    expect(doneAtPause).toBeLessThan(4);
    await waitFor(() => events.find((e) => !e.paused), { label: 'the resume at midnight' });
    await waitFor(() => counts(t!.db, 'paid').summarize?.done === 4, { label: 'the rest' });
    // The new day's spend (one or two calls) stays under the limit: no second pause.
    await t.engine.waitIdle();
    expect(events.filter((e) => e.paused)).toHaveLength(1);
    const report = await t.api.costs({ jobId: 'paid', groupBy: ['day'] });
    expect(report.rows).toHaveLength(1); // the real clock never crossed midnight
    expect(report.totalUsd).toBeCloseTo(4 * 0.00021, 8);
  });
});
