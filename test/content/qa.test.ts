import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvSecretStore } from '../../electron/engine/secrets/SecretStore.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { counts, startTestEngine, type TestEngine } from '../helpers/testEngine.ts';
import { startFixtureServer, type FixtureServer } from './helpers/fixtureServer.ts';
import { startFakeOpenAi, type FakeOpenAi } from './helpers/openaiServer.ts';

const HANDLERS = resolve(import.meta.dirname, 'fixtures/contentHandlers.ts');
let t: TestEngine | undefined;
let web: FixtureServer | undefined;
let llm: FakeOpenAi | undefined;
afterEach(async () => {
  await t?.close();
  await web?.close();
  await llm?.close();
  t = web = llm = undefined;
});

function statusOf(te: TestEngine, key: string, stage: string) {
  return te.db
    .prepare(
      `SELECT s.status, s.error, s.error_class AS errorClass FROM item_stages s JOIN items i ON i.id = s.item_id
        WHERE i.item_key = ? AND s.stage = ?`,
    )
    .get(key, stage) as { status: string; error: string | null; errorClass: string | null };
}

describe('builtin/audit', () => {
  it('quarantines an item that fails a check, blocks its dependents, and reports pass rates', async () => {
    t = await startTestEngine(`jobs:
  - id: qa
    handler: ${HANDLERS}
    stages:
      - name: make
      - name: audit
        uses: builtin/audit
        params:
          checks:
            - not_block_page
            - { check: min_chars_per_minute, min: 100 }
            - { check: no_repeated_blocks, max_ratio: 0.2 }
      - name: after
`);
    const good =
      'Rivers carve valleys over thousands of years, moving sediment downstream. '.repeat(1) +
      'Farmers depend on that sediment for fertile fields along the banks. ' +
      'Engineers study the flow to predict floods and protect towns. ';
    const looped = Array(6)
      .fill('This caption line repeats again and again because the parser looped.')
      .join('\n');
    t.engine.addItems('qa', [
      { key: 'good', data: { text: good, duration: 60 } },
      { key: 'looped', data: { text: looped, duration: 60 } },
      { key: 'thin', data: { text: 'Too short.', duration: 600 } },
    ]);
    await t.engine.waitIdle();
    expect(statusOf(t, 'good', 'after').status).toBe('done');
    const looping = statusOf(t, 'looped', 'audit');
    expect(looping).toMatchObject({ status: 'failed', errorClass: 'item_specific' });
    expect(looping.error).toContain('no_repeated_blocks');
    expect(statusOf(t, 'looped', 'after').status).toBe('waiting');
    expect(statusOf(t, 'thin', 'audit').error).toContain('min_chars_per_minute');
    const stats = await t.api.qaStats({ jobId: 'qa' });
    const rate = (check: string) => stats.audits.find((a) => a.check === check);
    expect(rate('not_block_page')).toMatchObject({ total: 3, passed: 3, passRate: 1 });
    expect(rate('no_repeated_blocks')).toMatchObject({ total: 3, passed: 2 });
    expect(rate('min_chars_per_minute')).toMatchObject({ total: 3, passed: 2 });
  });

  it('rejects an unknown check with a hint at load time', async () => {
    await expect(
      startTestEngine(`jobs:
  - id: qa
    stages:
      - { name: audit, uses: builtin/audit, params: { checks: [not_block_page], chekcs: [] } }
`),
    ).rejects.toThrow(/unknown param `chekcs` — did you mean `checks`/);
  });
});

describe('builtin/llm in check mode', () => {
  it('records per-field discrepancies between a parser and the source without touching the parser’s output', async () => {
    web = await startFixtureServer({
      '/p1': {
        body: '<html><body><h1>Blue Kettle</h1><p>Price: 25 EUR. A kettle for tea.</p></body></html>',
      },
      '/p2': {
        body: '<html><body><h1>Red Mug</h1><p>Price: 8 EUR. A mug for coffee.</p></body></html>',
      },
    });
    llm = await startFakeOpenAi((req) => {
      const wrongPrice = req.messages[0]?.content.includes('Blue Kettle');
      return {
        content: {
          fields: [
            { field: 'title', agrees: true, source_value: null },
            {
              field: 'price',
              agrees: !wrongPrice,
              source_value: wrongPrice ? '25 EUR' : null,
              note: null,
            },
          ],
        },
      };
    });
    t = await startTestEngine(
      `llm:
  providers:
    fake: { base_url: ${llm.baseUrl}, models: [gpt-4o-mini] }
jobs:
  - id: shop
    handler: ${HANDLERS}
    stages:
      - { name: fetch, uses: builtin/fetch }
      - name: parse
      - { name: check, uses: builtin/llm, params: { mode: check, parser: parse, fields: [title, price] } }
    stage_deps:
      parse: [fetch]
      check: [parse, fetch]
`,
      { secrets: new EnvSecretStore({}) },
    );
    t.engine.addItems('shop', [
      { key: 'p1', data: { url: web.url('/p1'), title: 'Blue Kettle', price: 52 } },
      { key: 'p2', data: { url: web.url('/p2'), title: 'Red Mug', price: 8 } },
    ]);
    await t.engine.waitIdle();
    expect(counts(t.db, 'shop').check).toEqual({ done: 2 });
    expect(llm.requests[0]?.messages[0]?.content).not.toContain('<h1>'); // visible text, not markup
    const out = t.db
      .prepare(
        `SELECT r.output FROM results r JOIN items i ON i.id = r.item_id WHERE i.item_key = 'p1' AND r.stage = 'check'`,
      )
      .get() as { output: string };
    expect(JSON.parse(out.output).discrepancies).toEqual([
      { field: 'price', parser_value: 52, source_value: '25 EUR', note: null },
    ]);
    const parsed = t.db
      .prepare(
        `SELECT r.output FROM results r JOIN items i ON i.id = r.item_id WHERE i.item_key = 'p1' AND r.stage = 'parse'`,
      )
      .get() as { output: string };
    expect(JSON.parse(parsed.output).price).toBe(52); // observed, never overwritten
    const stats = await t.api.qaStats({ jobId: 'shop' });
    expect(stats.discrepancies).toEqual([
      { stage: 'check', field: 'price', checked: 2, discrepancies: 1, rate: 0.5 },
      { stage: 'check', field: 'title', checked: 2, discrepancies: 0, rate: 0 },
    ]);
  });
});

describe('a handler module’s validate() hook', () => {
  it('pauses the job with its message when a batch fails validation', async () => {
    t = await startTestEngine(`jobs:
  - id: val
    handler: ${HANDLERS}
    stages:
      - name: parse
`);
    t.engine.addItems('val', [{ key: 'ok', data: { title: 'Fine' } }]);
    await t.engine.waitIdle();
    expect((await t.api.job({ jobId: 'val' })).paused).toBe(false);
    t.engine.addItems('val', [{ key: 'bad', data: { title: 'BAD' } }]);
    const job = await waitFor(async () => {
      const j = await t!.api.job({ jobId: 'val' });
      return j.paused ? j : undefined;
    });
    expect(job.pauseReason).toMatch(/^validate\(\) failed: parser produced title BAD/);
  });
});
