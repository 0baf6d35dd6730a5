/**
 * End to end: an API key handed out by a SecretStore appears nowhere afterwards.
 *
 * A provider that echoes the key back (error body, headers); a handler that logs a nested
 * request object and throws with the key raw, URL-encoded and base64'd in Basic headers; a
 * handler error no rule knows, so the doctor asks its LLM (the same provider) and gets the
 * echo too; breakers that pause each job at its first failure, so pause reasons, job_state
 * events and notifications carry the errors. Then every place a person or a program can read
 * is collected — the database file and its WAL (running and stopped), every other file of the
 * data dir, the host's log, every API route's answer, the SSE stream, notifications, what the
 * LLM provider was sent, and the CLI's outputs and exports — and searched byte for byte for
 * the value, its encodings and fragments of it.
 *
 * The run happens once (beforeAll); each `it` asks one question of what it collected, so a
 * failure names the form that leaked and every place it was found, with context.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type MethodName } from '../../electron/engine/api/contract.ts';
import { createLogger, type Logger } from '../../electron/engine/log/logger.ts';
import type { Notification, Notifier } from '../../electron/engine/notify/Notifier.ts';
import { Host } from '../../electron/engine/runner/Host.ts';
import { EnvSecretStore } from '../../electron/engine/secrets/SecretStore.ts';
import { COALESCE_MS } from '../../electron/server/EventCoalescer.ts';
import { attachDashboard, type AttachedDashboard } from '../../electron/server/startDashboard.ts';
import {
  startFakeOpenAi,
  type FakeOpenAi,
  type ScriptedAnswer,
} from '../content/helpers/openaiServer.ts';
import { leaks } from '../fixtures/handlers/leaky.ts';
import { runJobctl } from '../helpers/hostProcess.ts';
import { tempDir } from '../helpers/testEngine.ts';
import { waitFor } from '../helpers/waitFor.ts';

/**
 * The secret. `+` and `/` (as in AWS-style and base64-ish keys) make its URL-encoded form
 * differ from the raw one, so that form is a needle of its own and not a duplicate. 42 bytes
 * (a multiple of 3): base64 of `value:` (a Stripe-style Basic header) starts with base64 of
 * the value, so the handler's log carries that form too.
 */
const VALUE = 'sk-live-3f9a7c21d8e6+4b0f/9a2c7d1e5b8f4a6c';
const NAME = 'leaky';
const REDACTED = `[secret:${NAME}]`;

const b64 = (s: string): string => Buffer.from(s).toString('base64');
// Padding depends on what follows the value inside a longer blob: search without it.
const unpadded = (s: string): string => s.replace(/=+$/, '');

/**
 * Every form of the value that must not appear: the four the issue names, and a head and a
 * tail of 16 characters — a redaction reads `[secret:NAME]`, never a prefix or a suffix of the
 * value, and a message cut to length (or a key pattern stopped by a `+`) before it was
 * redacted leaves exactly such a fragment behind. (base64url of this value is its base64.)
 */
const NEEDLES: { form: string; needle: string }[] = [
  { form: 'the raw value', needle: VALUE },
  { form: 'encodeURIComponent(value)', needle: encodeURIComponent(VALUE) },
  { form: 'base64(value)', needle: unpadded(b64(VALUE)) },
  { form: 'base64("user:" + value) (a Basic header)', needle: unpadded(b64(`user:${VALUE}`)) },
  { form: 'the first 16 characters of the value', needle: VALUE.slice(0, 16) },
  { form: 'the last 16 characters of the value', needle: VALUE.slice(-16) },
];

/**
 * The provider's answer to every request: 401, echoing the key it was given in the error
 * message, in the error body and in response headers, as real providers and proxies do. The
 * helper does not expose request headers, so the echo is the value itself rather than read
 * off the request.
 */
const ECHO = {
  status: 401,
  headers: {
    'x-echo-authorization': `Bearer ${VALUE}`,
    'www-authenticate': `Bearer error="invalid_token", key="${VALUE}"`,
  },
  error: {
    message: `Incorrect API key provided: ${VALUE}. You sent Authorization: Bearer ${VALUE}`,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
  },
} satisfies ScriptedAnswer;

const LEAKY_HANDLER = resolve(import.meta.dirname, '../fixtures/handlers/leaky.ts');

/** The jobs of jobsYaml(), their one stage and their one item. */
const JOBS = [
  // builtin/llm against the echoing provider: the key in the SDK's 401 error.
  { id: 'llm-job', stage: 'summarize', key: 'llm-item' },
  // leaky.ts `call`: a nested request object logged; the key thrown raw, URL-encoded, in Basic.
  { id: 'handler-job', stage: 'call', key: 'handler-item' },
  // leaky.ts `odd`: an error the doctor cannot place, so it asks its LLM.
  { id: 'odd-job', stage: 'odd', key: 'odd-item' },
] as const;

/**
 * The first failure of any class pauses its job, so the doctor's pause reason (it quotes the
 * error) reaches the job row, the job_state event on the stream and the notification.
 */
const PAUSE_AT_ONCE =
  '{ transient: 1, rate_limited: 1, item_specific: 1, systemic: 1, code_bug: 1 }';

function jobsYaml(baseUrl: string): string {
  return `llm:
  providers:
    ${NAME}: { base_url: "${baseUrl}", api_key: "secret:${NAME}", models: [m] }
jobs:
  - id: llm-job
    breakers: ${PAUSE_AT_ONCE}
    stages:
      - { name: summarize, uses: builtin/llm, retry: { max_attempts: 1 }, params: { prompt: "Summarize", document: "{{ data.text }}", provider: ${NAME} } }
  - id: handler-job
    handler: ${LEAKY_HANDLER}
    breakers: ${PAUSE_AT_ONCE}
    stages:
      - { name: call, retry: { max_attempts: 1 } }
  - id: odd-job
    handler: ${LEAKY_HANDLER}
    breakers: ${PAUSE_AT_ONCE}
    stages:
      - { name: odd, retry: { max_attempts: 1 } }
`;
}

/** One place that was read: what it is, and its exact bytes. */
interface Haystack {
  where: string;
  bytes: Buffer;
}

const haystacks: Haystack[] = [];
const text = (where: string, s: string): void => {
  haystacks.push({ where, bytes: Buffer.from(s, 'utf8') });
};

/** Every file under `root` (recursively), named by its path relative to `base`. */
function readTree(root: string, base: string, label: string): void {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) readTree(path, base, label);
    else if (entry.isFile())
      haystacks.push({ where: `${label}: ${relative(base, path)}`, bytes: readFileSync(path) });
  }
}

function occurrences(bytes: Buffer, needle: string): number[] {
  const at: number[] = [];
  const n = Buffer.from(needle, 'utf8');
  for (let i = bytes.indexOf(n); i >= 0; i = bytes.indexOf(n, i + 1)) at.push(i);
  return at;
}

/** 60 bytes either side of a hit, non-printable bytes as `.` (the DB file is binary). */
function contextAt(bytes: Buffer, at: number, length: number): string {
  const slice = bytes.subarray(Math.max(0, at - 60), Math.min(bytes.length, at + length + 60));
  return slice.toString('latin1').replace(/[^\x20-\x7e]/g, '.');
}

/** Every place `needle` occurs, as `where ×n: …context…` (empty when it occurs nowhere). */
function findEverywhere(needle: string): string[] {
  const found: string[] = [];
  for (const h of haystacks) {
    const at = occurrences(h.bytes, needle);
    if (at.length > 0)
      found.push(`${h.where} ×${at.length}: …${contextAt(h.bytes, at[0]!, needle.length)}…`);
  }
  return found;
}

/**
 * The host's own logger (createLogger: what `jobctl run` and the desktop use, with the
 * redaction they get) writing into memory. A bare pino logger would test a logger no user runs.
 */
function recordingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: createLogger({ level: 'trace', stream }), lines };
}

const notifications: Notification[] = [];
const recordingNotifier: Notifier = {
  notify: (n) => {
    notifications.push(n);
    return Promise.resolve();
  },
};

interface ApiAnswer {
  method: MethodName;
  input: Record<string, unknown>;
  status: number;
  body: string;
}

const tmp = tempDir('tributary-noleaks-');
const dataDir = join(tmp.dir, 'data');
let llm: FakeOpenAi | undefined;
let host: Host | undefined;
let dash: AttachedDashboard | undefined;
let logLines: string[] = [];
const apiAnswers: ApiAnswer[] = [];
const skipped: Partial<Record<MethodName, string>> = {};
const cli: { args: string[]; code: number | null }[] = [];
let sseText = '';
/** Per job once the doctor has judged: its stage row's status and whether it is paused. */
const outcomes: Record<string, { status: string; paused: boolean }> = {};
let itemIds: number[] = [];

beforeAll(async () => {
  // The handler reads its key here at run time, as handlers read theirs from the environment.
  process.env.LEAKY_TEST_VALUE = VALUE;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  llm = await startFakeOpenAi(() => ECHO);
  const configFile = join(tmp.dir, 'jobs.yaml');
  writeFileSync(configFile, jobsYaml(llm.baseUrl));

  const { log, lines } = recordingLogger();
  logLines = lines;
  host = await Host.start({
    configFile,
    dataDir,
    log,
    // The one place the engine is given the value: a store over a private env object (the
    // test's process.env never holds TRIBUTARY_SECRET_LEAKY). The doctor reads it at start, so
    // the value is known before the handlers, which have it from elsewhere, first run.
    secrets: new EnvSecretStore({ [`TRIBUTARY_SECRET_${NAME.toUpperCase()}`]: VALUE }),
    notifier: recordingNotifier,
    watch: false,
    engine: { discovery: false },
  });
  const h = host;
  let lastBusEventAt = Date.now();
  h.engine.bus.on(() => (lastBusEventAt = Date.now()));
  dash = await attachDashboard(h, { rendererDir: null });
  const { url, token } = dash.server;
  const auth = { authorization: `Bearer ${token}` };

  // The live stream, read from before the first item until the dashboard stops.
  const sse = await fetch(`${url}/api/events`, { headers: auth });
  expect(sse.status).toBe(200);
  const decoder = new TextDecoder();
  const reading = (async () => {
    for await (const chunk of sse.body as unknown as AsyncIterable<Uint8Array>)
      sseText += decoder.decode(chunk, { stream: true });
  })().catch(() => undefined); // the stream ends (or is cut) when the dashboard stops

  // One item per job: the doctor pauses a job at its first failure, stranding any second item.
  for (const j of JOBS) h.engine.addItems(j.id, [{ key: j.key, data: { text: 'hello' } }]);

  // Settled when the doctor has judged every job's failure and the row is finished — or the
  // job is paused, which leaves the row waiting in `retry` for a person to unpause it.
  const db = h.db;
  const judged = (job: string) =>
    db.prepare(`SELECT 1 FROM doctor_decisions WHERE job_id = ?`).get(job) !== undefined;
  const statusOf = (job: string) =>
    (
      db.prepare(`SELECT status FROM item_stages WHERE job_id = ?`).get(job) as
        { status: string } | undefined
    )?.status;
  await waitFor(
    () =>
      JOBS.every(
        (j) =>
          judged(j.id) &&
          (h.engine.jobs.get(j.id)!.paused ||
            ['done', 'failed', 'dead', 'skipped'].includes(statusOf(j.id) ?? '')),
      ),
    { timeoutMs: 30_000, label: 'every job failed or paused, and judged by the doctor' },
  );
  for (const j of JOBS)
    outcomes[j.id] = { status: statusOf(j.id)!, paused: h.engine.jobs.get(j.id)!.paused };
  itemIds = (db.prepare(`SELECT id FROM items ORDER BY id`).all() as { id: number }[]).map(
    (r) => r.id,
  );

  // Whatever the bus said (pauses, attention) has gone out once it has been quiet for longer
  // than a coalescing window: every window closes COALESCE_MS after its first event.
  await waitFor(() => Date.now() - lastBusEventAt > 3 * COALESCE_MS, {
    label: 'the event stream flushed',
  });

  // Every route of the contract whose input this run can supply, including the dry runs of
  // commands (their answers are counts and plans, but they are answers all the same).
  const calls: [MethodName, Record<string, unknown>][] = [
    ['overview', {}],
    ['events', { limit: 1000 }],
    ['costs', {}],
    ['resources', {}],
    ['stats', {}],
    ['pipelines', {}],
    ['throughput', {}],
    ['listCorrections', {}],
    ['settings', {}],
    ['secretStatus', { names: [NAME] }],
    ['wake', {}],
    ['reload', { dryRun: true }],
    ...JOBS.flatMap(({ id: jobId, stage }): [MethodName, Record<string, unknown>][] => [
      ['job', { jobId }],
      ['items', { jobId }],
      ['events', { jobId, limit: 1000 }],
      ['failures', { jobId }],
      ['qaStats', { jobId }],
      ['retry', { jobId, dryRun: true }],
      ['reprocess', { jobId, stage, dryRun: true }],
    ]),
    ...itemIds.flatMap((itemId): [MethodName, Record<string, unknown>][] => [
      ['item', { itemId }],
      ['why', { itemId }],
      ['events', { itemId, limit: 1000 }],
    ]),
  ];
  // Commands that change state answer with counts or echo their input; calling them would
  // rewrite what is being checked (a pause overwrites the doctor's reason) or start new runs.
  Object.assign(skipped, {
    pause: 'overwrites the pause reason the doctor wrote',
    resume: 'starts new runs of the paused jobs',
    reset: 'starts new runs',
    cancel: 'changes state; answers counts',
    setSecret: 'would hand the API a value; write-only, answers { set, source }',
    deleteSecret: 'changes state; answers { deleted }',
    clearErrors: "resets the doctor's breakers; answers counts",
    addUrls: 'needs routes: in jobs.yaml; answers per-URL results',
    teachCorrection: 'writes a correction; listCorrections reads them',
    forgetCorrection: 'needs a taught correction; answers { forgotten }',
  } satisfies Partial<Record<MethodName, string>>);
  for (const [method, input] of calls) {
    const res = await fetch(`${url}/api/${method}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const body = await res.text();
    apiAnswers.push({ method, input, status: res.status, body });
    text(`api ${method} ${JSON.stringify(input)} (HTTP ${res.status})`, body);
  }

  // The database and its WAL while the host runs (a clean stop checkpoints and removes the
  // WAL), and every other file of the data directory.
  readTree(dataDir, tmp.dir, 'file while running');

  await dash.stop();
  await reading;
  text('sse stream', sseText);
  await h.stop(2000);
  host = undefined;
  text('host log', logLines.join(''));
  readTree(tmp.dir, tmp.dir, 'file after stop'); // the data dir, and jobs.yaml beside it
  text('notifications', JSON.stringify(notifications));
  // The doctor sends errors to its LLM; doctor/redact.ts promises no secret reaches it.
  text('requests the LLM provider received', JSON.stringify(llm.requests));

  // The CLI against the stopped host's data dir, with the key in its environment as a person
  // who exported it would have; LOG_LEVEL debug so its log lines are part of its output.
  const cliEnv = {
    [`TRIBUTARY_SECRET_${NAME.toUpperCase()}`]: VALUE,
    TRIBUTARY_LOG_LEVEL: 'debug',
  };
  const base = ['--config', configFile, '--data', dataDir];
  const commands: string[][] = [
    ['status'],
    ['--json', 'status'],
    ['--json', 'events', '--limit', '1000'],
    ['events', '--limit', '1000'],
    ['--json', 'stats'],
    ['--json', 'costs'],
    ['--json', 'doctor', 'corrections'],
    ['--json', 'diagnose'],
    ...JOBS.flatMap(({ id }) => [
      ['failures', id],
      ['--json', 'failures', id],
      ['--json', 'items', id],
      ['export', id],
      ['export', id, '--format', 'csv'],
    ]),
    ...itemIds.flatMap((id) => [
      ['inspect', String(id)],
      ['--json', 'inspect', String(id)],
      ['--json', 'why', String(id)],
    ]),
  ];
  const outputs = await Promise.all(commands.map((args) => runJobctl([...base, ...args], cliEnv)));
  commands.forEach((args, i) => {
    cli.push({ args, code: outputs[i]!.code });
    text(`cli jobctl ${args.join(' ')} (exit ${outputs[i]!.code})`, outputs[i]!.out);
  });
}, 180_000);

afterAll(async () => {
  await dash?.stop();
  await host?.stop(500);
  await llm?.close();
  delete process.env.LEAKY_TEST_VALUE;
  tmp.cleanup();
});

describe('a secret handed out by the SecretStore', () => {
  // These establish that the run produced what the leak checks rely on; without them a leak
  // check could pass because nothing happened.
  it('was exercised: every job failed or paused, through every path the leaks take', () => {
    for (const j of JOBS) {
      const o = outcomes[j.id]!;
      expect(o.paused || ['failed', 'dead'].includes(o.status), j.id).toBe(true);
    }
    // A pause reason quotes the error: it must have been written, streamed and notified.
    expect(Object.values(outcomes).some((o) => o.paused)).toBe(true);
    expect(sseText).toMatch(/"type":"job_state"/);
    expect(notifications.length).toBeGreaterThan(0);
    // The LLM stage called the provider, and the doctor asked it about the odd error.
    expect(llm!.requests.length).toBeGreaterThanOrEqual(2);
    expect(
      llm!.requests.some((r) => JSON.stringify(r).includes('sync stopped at step')),
      "the doctor did not ask its LLM about odd-job's error (do its rules or model place it now?)",
    ).toBe(true);
    // The handler's nested request object went through the host's logger.
    expect(logLines.join('')).toMatch(/"msg":"calling"/);
    expect(statSync(join(dataDir, 'tributary.db')).size).toBeGreaterThan(0);
    expect(haystacks.some((h) => /^file while running: .*-wal$/.test(h.where))).toBe(true);
    // Every API answer is a result, not an error envelope that would hide the route's output.
    expect(apiAnswers.filter((a) => a.status !== 200)).toEqual([]);
    // Every CLI command ran to an answer (diagnose exits 1 when one of its checks fails).
    expect(
      cli.filter((c) => c.code !== 0 && !(c.args.includes('diagnose') && c.code === 1)),
    ).toEqual([]);
  });

  it('is read where it is searched for: the item keys are found in the db, API, CLI and export', () => {
    // The same byte search that must find no secret finds what is known to be there.
    for (const where of [
      /^file after stop: data\/tributary\.db$/,
      /^api item /,
      /^cli jobctl export /,
      /^cli jobctl --json inspect /,
    ]) {
      for (const { key } of JOBS)
        expect(
          haystacks.some((h) => where.test(h.where) && occurrences(h.bytes, key).length > 0),
          `${key} in ${String(where)}`,
        ).toBe(true);
    }
  });

  it('reaches every API method: called, or skipped for a stated reason', () => {
    const called = new Set(apiAnswers.map((a) => a.method));
    const unaccounted = (Object.keys(contract) as MethodName[]).filter(
      (m) => !called.has(m) && skipped[m] === undefined,
    );
    expect(unaccounted).toEqual([]);
  });

  it('is searched for only in forms this run really emits', () => {
    // Each needle is in what the provider echoes or the handler logs and throws, before any
    // redaction: a clean result for it means it was removed, not that it never existed.
    const emitted = JSON.stringify([ECHO, leaks(VALUE)]);
    expect(NEEDLES.filter(({ needle }) => !emitted.includes(needle))).toEqual([]);
  });

  it.each(NEEDLES)('appears nowhere as $form', ({ needle }) => {
    expect(findEverywhere(needle)).toEqual([]);
  });

  it(`is replaced by ${REDACTED}: redaction happened, not just absence`, () => {
    const places = haystacks.filter((h) => occurrences(h.bytes, REDACTED).length > 0);
    expect(places.length, `${REDACTED} was found nowhere`).toBeGreaterThan(0);
    // The stored errors are the canonical place it must show up.
    const db = haystacks.find((h) => h.where === 'file after stop: data/tributary.db');
    expect(occurrences(db!.bytes, REDACTED).length).toBeGreaterThan(0);
  });
});
