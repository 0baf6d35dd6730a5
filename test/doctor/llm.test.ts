import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/engine/db/openDatabase.ts';
import { Doctor } from '../../electron/engine/doctor/Doctor.ts';
import { coerceError } from '../../electron/engine/runner/coerceError.ts';
import { tempDir } from '../helpers/testEngine.ts';

/** What the fake provider does with the next request. */
type Script = 'good' | 'unsure' | 'temporal' | 'malformed' | 'schema' | 'hang' | '429';

interface Fake {
  url: string;
  requests: { body: Record<string, unknown> }[];
  script: Script;
  close: () => Promise<void>;
}

/** An OpenAI-compatible chat completions server on 127.0.0.1 with scripted answers. */
async function fakeProvider(): Promise<Fake> {
  const fake = { requests: [], script: 'good' } as unknown as Fake;
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      fake.requests.push({ body: JSON.parse(raw) as Record<string, unknown> });
      const answer = (content: string) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: 'chatcmpl-1',
            object: 'chat.completion',
            created: 1,
            model: 'tiny',
            choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
            usage: { prompt_tokens: 500, completion_tokens: 60, total_tokens: 560 },
          }),
        );
      switch (fake.script) {
        case 'good':
          return answer(
            JSON.stringify({
              class: 'systemic',
              action: 'pause_job',
              resume_after: null,
              confidence: 0.8,
              explanation: 'the vendor account is locked',
            }),
          );
        case 'unsure':
          return answer(
            JSON.stringify({
              class: 'code_bug',
              action: 'pause_job',
              resume_after: null,
              confidence: 0.3,
              explanation: 'maybe the handler mishandles the portal answer',
            }),
          );
        case 'temporal':
          return answer(
            JSON.stringify({
              class: 'temporal',
              action: 'pause_until',
              resume_after: new Date(Date.now() + 3600_000).toISOString(),
              confidence: 0.9,
              explanation: 'the archive only opens at night',
            }),
          );
        case 'malformed':
          return answer('Sure! The class is {systemic');
        case 'schema':
          return answer(JSON.stringify({ class: 'catastrophic', confidence: 3 }));
        case '429':
          return res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end(
            JSON.stringify({
              error: {
                message: 'Rate limit reached',
                type: 'requests',
                code: 'rate_limit_exceeded',
              },
            }),
          );
        case 'hang':
          hanging.push(res);
          return;
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () =>
    new Promise<void>((r) => {
      for (const h of hanging) h.destroy();
      server.closeAllConnections();
      server.close(() => r());
    });
  return fake;
}

let fake: Fake | undefined;
let db: Db | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await fake?.close();
  db?.close();
  cleanup?.();
  fake = undefined;
  db = undefined;
  cleanup = undefined;
});

function doctorOn(d: Db, url: string, now?: () => number): Doctor {
  return new Doctor({
    db: d,
    model: null,
    ...(now ? { now } : {}),
    llm: { apiKey: 'sk-test-not-a-real-key', model: 'tiny', baseURL: url, timeoutMs: 2000 },
  });
}

async function setUp(opts: { timeoutMs?: number; dailyBudgetUsd?: number } = {}) {
  fake = await fakeProvider();
  const t = tempDir();
  cleanup = t.cleanup;
  db = openDatabase(`${t.dir}/tributary.db`);
  // No offline model: these tests are about the LLM step it would otherwise answer before.
  const doctor = new Doctor({
    db,
    model: null,
    llm: {
      apiKey: 'sk-test-not-a-real-key',
      model: 'tiny',
      baseURL: fake.url,
      timeoutMs: opts.timeoutMs ?? 2000,
      ...opts,
    },
  });
  return { doctor, fake, db };
}

/** An error no rule knows (so it reaches the LLM). */
const unknown = (n: number) => ({
  message: `Vendor portal said: account #${1000 + n} is not servable`,
  name: 'PortalError',
});

describe('the LLM classifier', () => {
  it('classifies what no rule knows, caches the verdict, and never sends the same error twice', async () => {
    const { doctor, fake, db } = await setUp();
    const first = await doctor.diagnose(unknown(1), { jobId: 'j' });
    expect(first).toMatchObject({ class: 'systemic', source: 'llm', confidence: 0.8 });
    // The same error with another number: same signature → the cache answers.
    const second = await doctor.diagnose(unknown(2), { jobId: 'j' });
    expect(second).toMatchObject({ class: 'systemic', source: 'cache' });
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!.body;
    expect(req.response_format).toMatchObject({ type: 'json_schema' });
    const cost = db
      .prepare(`SELECT count(*) AS n, sum(usd) AS usd FROM costs WHERE stage = '_doctor'`)
      .get() as { n: number; usd: number };
    expect(cost.n).toBe(1);
    expect(cost.usd).toBeGreaterThan(0);
    const cached = db.prepare(`SELECT class, source, explanation FROM doctor_cache`).all();
    expect(cached).toEqual([
      { class: 'systemic', source: 'llm', explanation: 'the vendor account is locked' },
    ]);
  });

  it('never acts on an unsure answer: the conservative retry stands, nothing pauses, and it is asked again at most once a day', async () => {
    const { doctor, fake, db } = await setUp();
    fake.script = 'unsure';
    const first = await doctor.diagnose(unknown(10), { jobId: 'j' });
    expect(first).toMatchObject({ class: 'transient', action: 'retry', source: 'fallback' });
    expect(first.explanation).toMatch(/LLM guessed code_bug but is unsure \(0\.30\)/);
    // Kept, so it is not paid for again today…
    expect(db.prepare(`SELECT class, confidence FROM doctor_cache`).all()).toEqual([
      { class: 'code_bug', confidence: 0.3 },
    ]);
    // …but never returned as a confident cached verdict: with the default breaker a cached
    // code_bug would pause the job on the first error.
    const failure = coerceError(
      Object.assign(new Error(unknown(11).message), { name: 'PortalError' }),
    );
    for (let i = 0; i < 3; i++) {
      const v = await doctor.classify(failure, { jobId: 'j', stage: 'fetch', attempt: 1 });
      expect(v).toMatchObject({ class: 'transient', action: 'retry' });
      expect(v.pauseJob).toBeUndefined();
    }
    expect(fake.requests).toHaveLength(1);
    // A day later the doctor asks once more.
    const tomorrow = doctorOn(db, fake.url, () => Date.now() + 25 * 3600_000);
    fake.script = 'good';
    const later = await tomorrow.diagnose(unknown(12), { jobId: 'j' });
    expect(later).toMatchObject({ class: 'systemic', source: 'llm' });
    expect(fake.requests).toHaveLength(2);
  });

  it('turns a temporal answer into a resume time', async () => {
    const { doctor, fake } = await setUp();
    fake.script = 'temporal';
    const d = await doctor.diagnose(unknown(3));
    expect(d.class).toBe('temporal');
    expect(d.resumeAt).toBeGreaterThan(Date.now());
  });

  it.each([
    ['malformed JSON', 'malformed'],
    ['an answer outside the schema', 'schema'],
    ['a 429', '429'],
    ['a timeout', 'hang'],
  ] as const)('falls back instead of crashing on %s', async (_label, script) => {
    const { doctor, fake } = await setUp({ timeoutMs: 300 });
    fake.script = script;
    const d = await doctor.diagnose(unknown(4));
    expect(d).toMatchObject({ class: 'transient', source: 'fallback', action: 'retry' });
    expect(fake.requests).toHaveLength(1);
    // A failed question is not asked again at once (no hammering a sick provider).
    const again = await doctor.diagnose(unknown(5));
    expect(again.source).toBe('fallback');
    expect(fake.requests).toHaveLength(1);
  });

  it('is skipped when its daily budget is spent', async () => {
    const { doctor, fake } = await setUp({ dailyBudgetUsd: 0 });
    const d = await doctor.diagnose(unknown(6));
    expect(d.source).toBe('fallback');
    expect(fake.requests).toHaveLength(0);
  });

  it('is never asked about errors the rules know, nor when told not to', async () => {
    const { doctor, fake } = await setUp();
    expect((await doctor.diagnose({ message: 'read ECONNRESET', code: 'ECONNRESET' })).source).toBe(
      'rule',
    );
    expect((await doctor.diagnose(unknown(7), { useLlm: false })).source).toBe('fallback');
    expect(fake.requests).toHaveLength(0);
  });

  it('works on rules alone without a provider', async () => {
    const doctor = new Doctor();
    expect(doctor.llm).toBeUndefined();
    expect((await doctor.diagnose(unknown(8))).source).toBe('fallback');
  });
});
