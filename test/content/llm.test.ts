import { afterEach, describe, expect, it } from 'vitest';
import { EnvSecretStore } from '../../electron/engine/secrets/SecretStore.ts';
import { startTestEngine, type TestEngine } from '../helpers/testEngine.ts';
import { startFakeOpenAi, type FakeOpenAi, type ScriptedAnswer } from './helpers/openaiServer.ts';

let t: TestEngine | undefined;
let llm: FakeOpenAi | undefined;
afterEach(async () => {
  await t?.close();
  await llm?.close();
  t = llm = undefined;
});

const SCHEMA = `{ type: object, properties: { summary: { type: string } }, required: [summary] }`;
function yaml(baseUrl: string, opts: { model?: string; timeout?: string; attempts?: number } = {}) {
  return `llm:
  providers:
    fake:
      base_url: ${baseUrl}
      api_key: secret:fake
      models: [${opts.model ?? 'gpt-4o-mini'}]
      timeout: ${opts.timeout ?? '10s'}
jobs:
  - id: notes
    stages:
      - name: summarize
        uses: builtin/llm
        retry: { max_attempts: ${opts.attempts ?? 1}, backoff: 1h }
        params:
          prompt: "Summarize the note titled {{ data.title }}."
          document: "{{ data.text }}"
          schema: ${SCHEMA}
`;
}

async function runOne(answer: ScriptedAnswer, opts: Parameters<typeof yaml>[1] = {}) {
  llm = await startFakeOpenAi(() => answer);
  t = await startTestEngine(yaml(llm.baseUrl, opts), {
    secrets: new EnvSecretStore({ TRIBUTARY_SECRET_FAKE: 'sk-test' }),
  });
  t.engine.addItems('notes', [
    { key: 'n1', data: { title: 'Rivers', text: 'Rivers carve valleys.' } },
  ]);
  await t.engine.waitIdle();
  const row = t.db
    .prepare(`SELECT status, error, ready_at AS readyAt FROM item_stages WHERE stage = 'summarize'`)
    .get() as { status: string; error: string | null; readyAt: number };
  const result = t.db
    .prepare(`SELECT output, version FROM results WHERE stage = 'summarize'`)
    .get() as { output: string; version: string } | undefined;
  const costs = t.db
    .prepare(`SELECT usd, model, tokens_in AS tokensIn, tokens_out AS tokensOut FROM costs`)
    .all();
  return { row, result, costs };
}

describe('builtin/llm', () => {
  it('stores a schema-valid answer and records model, tokens and USD', async () => {
    const { row, result, costs } = await runOne({
      content: { summary: 'Rivers shape land.' },
      usage: { prompt_tokens: 1000, completion_tokens: 100 },
    });
    expect(row.status).toBe('done');
    expect(JSON.parse(result!.output)).toEqual({ summary: 'Rivers shape land.' });
    expect(result!.version).toMatch(/^1\+fp:[0-9a-f]{8}$/);
    expect(costs).toEqual([
      { usd: expect.closeTo(0.00021, 8), model: 'gpt-4o-mini', tokensIn: 1000, tokensOut: 100 },
    ]);
    const req = llm!.requests[0]!;
    expect(req.temperature).toBe(0);
    expect(req.max_tokens).toBeUndefined();
    expect(req.messages[0]).toMatchObject({
      role: 'system',
      content: expect.stringContaining('Rivers carve valleys.'),
    });
    expect(req.messages[1]?.content).toContain('Summarize the note titled Rivers.');
    expect(req.response_format).toMatchObject({ type: 'json_schema' });
  });

  it('treats malformed JSON as an error, stores no result, and still records the spend', async () => {
    const { row, result, costs } = await runOne({ content: '{"summary": "unterminated' });
    expect(row.status).toBe('dead');
    expect(row.error).toContain('not valid JSON');
    expect(result).toBeUndefined();
    expect(costs).toHaveLength(1);
  });

  it('treats an answer cut off at the token limit as an error, not a result', async () => {
    const { row, result } = await runOne({
      content: '{"summary": "Rivers',
      finishReason: 'length',
    });
    expect(row.error).toContain('finish_reason=length');
    expect(result).toBeUndefined();
  });

  it('rejects an answer that does not match the schema', async () => {
    const { row } = await runOne({ content: { summary: 42 } });
    expect(row.error).toContain('does not match the schema');
  });

  it('waits as long as a 429 asks before trying again', async () => {
    const before = Date.now();
    const { row } = await runOne(
      { status: 429, headers: { 'retry-after': '120' } },
      { attempts: 3 },
    );
    expect(row.status).toBe('retry');
    expect(row.error).toContain('LlmRateLimited');
    expect(row.readyAt).toBeGreaterThanOrEqual(before + 120_000);
    expect(llm!.requests).toHaveLength(1); // the SDK's own retries are off
  });

  it('gives up on a provider that does not answer within its timeout', async () => {
    const { row } = await runOne(
      { content: { summary: 'late' }, delayMs: 3000 },
      { timeout: '1s' },
    );
    expect(row.status).toBe('dead');
    expect(row.error).toMatch(/timed out|timeout/i);
  });

  it('records the cost of an unknown model as unknown, never as zero', async () => {
    const { row, costs } = await runOne(
      { content: { summary: 'ok' } },
      { model: 'my-local-model' },
    );
    expect(row.status).toBe('done');
    expect(costs).toEqual([{ usd: null, model: 'my-local-model', tokensIn: 1000, tokensOut: 100 }]);
  });

  it('fails clearly when the provider’s secret is missing', async () => {
    llm = await startFakeOpenAi();
    t = await startTestEngine(yaml(llm.baseUrl), { secrets: new EnvSecretStore({}) });
    t.engine.addItems('notes', [{ key: 'n1', data: { title: 'x', text: 'y' } }]);
    await t.engine.waitIdle();
    const row = t.db.prepare(`SELECT error FROM item_stages`).get() as { error: string };
    expect(row.error).toContain('secret `fake`');
    expect(row.error).not.toContain('sk-');
    expect(llm.requests).toHaveLength(0);
  });
});
