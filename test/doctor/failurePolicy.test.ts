import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Doctor } from '../../electron/engine/doctor/Doctor.ts';
import { attachNotifier } from '../../electron/engine/notify/attachNotifier.ts';
import type { Notification } from '../../electron/engine/notify/Notifier.ts';
import { silentLogger } from '../../electron/engine/log/logger.ts';
import { EnvSecretStore } from '../../electron/engine/secrets/SecretStore.ts';
import { jobStates } from '../../electron/engine/tracker/jobState.ts';
import type { EngineOptions } from '../../electron/engine/runner/Engine.ts';
import { startFixtureServer, type FixtureServer } from '../content/helpers/fixtureServer.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../content/helpers/openaiServer.ts';
import { counts, startTestEngine, type TestEngine } from '../helpers/testEngine.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { resetThrowing } from '../fixtures/errors/throwing.ts';

const NETWORK = resolve(import.meta.dirname, '../fixtures/handlers/network.ts');
const THROWING = resolve(import.meta.dirname, '../fixtures/errors/throwing.ts');

/**
 * The failure policy end to end: real engines with a real doctor, real HTTP servers on
 * 127.0.0.1 (pages, an OpenAI-compatible API), real DNS failures. The outside world's
 * failures must slow down, pause or wait — never kill an item.
 */
let t: TestEngine | undefined;
let doctor: Doctor | undefined;
let llm: FakeOpenAi | undefined;
let site: FixtureServer | undefined;
let other: FixtureServer | undefined;
let notes: Notification[] = [];
let detachNotes: (() => void) | undefined;

afterEach(async () => {
  detachNotes?.();
  doctor?.detach();
  await t?.close();
  await llm?.close();
  await site?.close();
  await other?.close();
  (globalThis as { __offline?: boolean }).__offline = false;
  resetThrowing();
  t = doctor = llm = site = other = detachNotes = undefined;
  notes = [];
});

async function start(yaml: string, options: Partial<EngineOptions> = {}): Promise<TestEngine> {
  doctor = new Doctor();
  t = await startTestEngine(yaml, {
    classifier: doctor,
    secrets: new EnvSecretStore({ TRIBUTARY_SECRET_FAKE: 'sk-test-key' }),
    ...options,
  });
  doctor.attach({ db: t.db, bus: t.engine.bus, config: t.engine.config });
  detachNotes = attachNotifier(
    t.engine.bus,
    { notify: (n) => Promise.resolve(void notes.push(n)) },
    { enabled: true, min_level: 'info', rate_limit: { count: 100, perMs: 1000 } },
    silentLogger(),
  );
  return t;
}

const stageRows = (jobId: string) =>
  t!.db
    .prepare(`SELECT status, attempts, error_class AS errorClass FROM item_stages WHERE job_id = ?`)
    .all(jobId) as { status: string; attempts: number; errorClass: string | null }[];
const pausedState = (jobId: string) => {
  const st = jobStates(t!.db).get(jobId);
  return st?.paused ? st : undefined;
};

function llmJob(baseUrl: string, extra = ''): string {
  return `resources:
  llm: { concurrency: 4 }
llm:
  providers:
    fake: { base_url: ${baseUrl}, api_key: secret:fake, models: [gpt-4o-mini], timeout: 10s }
jobs:
  - id: scores
    stages:
      - name: score
        uses: builtin/llm
        concurrency: 4
        resources: [llm]
        retry: { max_attempts: 1, backoff: 10ms }
        params:
          prompt: "Score {{ data.title }}."
          document: "{{ data.title }}"
          schema: { type: object, properties: { score: { type: number } }, required: [score] }
${extra}`;
}

const items = (n: number, prefix = 'i') =>
  Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, data: { title: `Title ${i}` } }));

describe('a provider that rate-limits (429 with Retry-After)', () => {
  it('kills no item: the shared resource waits out Retry-After, slows down, and the queue drains once the limit lifts', async () => {
    let limitedUntil = 0;
    const times: { at: number; status: number }[] = [];
    llm = await startFakeOpenAi((_req, n) => {
      const now = Date.now();
      // The first calls hit a limit that lasts about 1.2 s from the first 429.
      if (n <= 6 || now < limitedUntil) {
        if (limitedUntil === 0) limitedUntil = now + 1200;
        times.push({ at: now, status: 429 });
        return {
          status: 429,
          headers: { 'retry-after': '1' },
          error: {
            message:
              'Rate limit reached for gpt-4o-mini in organization org-x on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s.',
            type: 'requests',
            code: 'rate_limit_exceeded',
          },
        };
      }
      times.push({ at: now, status: 200 });
      return { content: { score: n } };
    });
    await start(llmJob(llm.baseUrl));
    t!.engine.addItems('scores', items(24));
    // The resource is slowed after the first 429s.
    await waitFor(
      () => t!.engine.resources.snapshot().find((r) => r.name === 'llm' && (r.pace ?? 1) < 1),
      { label: 'llm resource slowed' },
    );
    await waitFor(() => counts(t!.db, 'scores').score?.done === 24, {
      label: 'all 24 done',
      timeoutMs: 30_000,
    });
    const rows = stageRows('scores');
    expect(rows.filter((r) => r.status !== 'done')).toEqual([]);
    // A rate limit is not the item's fault: max_attempts is 1, yet every item made it.
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    // Retry-After held the whole resource: after the first 429 nothing was sent for ~1 s,
    // not one retry per item as fast as the backoff allows.
    // Requests already on the wire when the first 429 came back may still arrive; after
    // that, nothing is sent until its Retry-After (1 s) has passed.
    const first429 = times.find((x) => x.status === 429)!.at;
    const sentInHold = times.filter((x) => x.at > first429 + 200 && x.at < first429 + 900);
    expect(sentInHold).toEqual([]);
    expect(times.some((x) => x.at >= first429 + 900)).toBe(true);
    expect(jobStates(t!.db).get('scores')?.paused ?? false).toBe(false);
    const decisions = t!.db
      .prepare(`SELECT DISTINCT class FROM doctor_decisions WHERE job_id = 'scores'`)
      .all() as { class: string }[];
    expect(decisions.map((d) => d.class)).toEqual(['rate_limited']);
  });

  it('pauses the job at once with the provider’s words when the account is out of quota, and notifies', async () => {
    llm = await startFakeOpenAi(() => ({
      status: 429,
      error: {
        message:
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs.',
        type: 'insufficient_quota',
        code: 'insufficient_quota',
      },
    }));
    await start(llmJob(llm.baseUrl));
    t!.engine.addItems('scores', items(12));
    const st = await waitFor(() => pausedState('scores'), { label: 'paused' });
    expect(st.reason).toMatch(/^doctor \(systemic\): score: .*exceeded your current quota/);
    expect(st.reason).toContain('out of credit or quota');
    expect(st.until).toBeNull();
    await t!.engine.waitIdle();
    // Only the runs already in flight asked; none of the 12 items died or failed.
    expect(llm.requests.length).toBeLessThanOrEqual(4);
    const rows = stageRows('scores');
    expect(rows.filter((r) => r.status === 'dead' || r.status === 'failed')).toEqual([]);
    await waitFor(() => notes.find((n) => n.title === 'scores paused: systemic'), {
      label: 'notification',
    });
    expect(notes.find((n) => n.title === 'scores paused: systemic')!.level).toBe('error');
  });
});

const CHALLENGE = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper">
<h1>Checking if the site connection is secure</h1>
<p>example.org needs to review the security of your connection before proceeding.</p>
<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></div></body></html>`;

function fetchJob(urls: string[], perHost: boolean): string {
  return `resources:
  web: { concurrency: 1 }
jobs:
  - id: crawl
    stages:
      - name: fetch
        uses: builtin/fetch
        concurrency: 1
        resources: [${perHost ? '{ name: web, per: host }' : 'web'}]
        retry: { max_attempts: 2, backoff: 10ms }
`;
}

describe('bot walls and challenge pages', () => {
  it('pause the job after the systemic threshold, name the site and since when, and notify', async () => {
    site = await startFixtureServer({});
    for (let i = 0; i < 10; i++)
      site.routes.set(`/p${i}`, {
        status: 403,
        headers: { 'cf-mitigated': 'challenge', server: 'cloudflare' },
        body: CHALLENGE,
      });
    await start(fetchJob([], false));
    t!.engine.addItems(
      'crawl',
      Array.from({ length: 10 }, (_, i) => ({ key: site!.url(`/p${i}`), data: {} })),
    );
    const st = await waitFor(() => pausedState('crawl'), { label: 'paused' });
    const host = new URL(site.base).host;
    expect(st.reason).toContain(`site ${host} is blocking us since `);
    expect(st.reason).toMatch(/3 systemic errors in a row/);
    await t!.engine.waitIdle();
    expect(site.totalHits()).toBeLessThanOrEqual(3);
    expect(stageRows('crawl').filter((r) => r.status === 'dead' || r.status === 'failed')).toEqual(
      [],
    );
    const note = await waitFor(() => notes.find((n) => n.title === 'crawl paused: systemic'), {
      label: 'notification',
    });
    expect(note.message).toContain('is blocking us');
  });

  it('with `per: host`, count each site on its own: pages that load elsewhere do not hide a blocking site', async () => {
    site = await startFixtureServer({});
    other = await startFixtureServer({});
    const ok = `<html><head><title>Fine</title></head><body><article><p>${'A real article. '.repeat(40)}</p></article></body></html>`;
    const keys: { key: string; data: Record<string, unknown> }[] = [];
    for (let i = 0; i < 6; i++) {
      site.routes.set(`/p${i}`, { status: 403, body: CHALLENGE });
      other.routes.set(`/p${i}`, { status: 200, body: ok });
      // Interleaved: every blocked page is followed by one that loads.
      keys.push({ key: site.url(`/p${i}`), data: {} }, { key: other.url(`/p${i}`), data: {} });
    }
    await start(fetchJob([], true));
    t!.engine.addItems('crawl', keys);
    const st = await waitFor(() => pausedState('crawl'), { label: 'paused' });
    expect(st.reason).toContain(`site ${new URL(site.base).host} is blocking us since `);
  });
});

describe('network loss', () => {
  it('fails no item while the laptop is offline: network stages wait, a probe notices the return, work resumes by itself', async () => {
    const g = globalThis as { __offline?: boolean; __networkRuns?: { ok: number; failed: number } };
    g.__networkRuns = { ok: 0, failed: 0 };
    g.__offline = false;
    await start(
      `network: { probe: ["127.0.0.1:9"], probe_every: 1s, probe_timeout: 100ms }
jobs:
  - id: feeds
    handler: ${NETWORK}
    stages:
      - name: fetch
        concurrency: 3
        retry: { max_attempts: 1, backoff: 10ms }
`,
      // The probe reaches "the internet" exactly when the test says the network is up.
      { probe: () => Promise.resolve(!g.__offline) },
    );
    t!.engine.addItems('feeds', items(10, 'a'));
    await waitFor(() => counts(t!.db, 'feeds').fetch?.done === 10, { label: 'first 10 done' });
    g.__offline = true;
    t!.engine.addItems('feeds', items(20, 'b'));
    await waitFor(() => t!.engine.network.down, { label: 'network down noticed' });
    expect(t!.engine.networkState().held).toContain('feeds/fetch');
    const downEvent = t!.db.prepare(`SELECT data FROM events WHERE kind = 'network_down'`).get() as
      { data: string } | undefined;
    expect(downEvent).toBeDefined();
    // While offline nothing is claimed: the failures stop at the runs that noticed it.
    const failedWhileDown = g.__networkRuns.failed;
    await new Promise((r) => setTimeout(r, 600));
    expect(g.__networkRuns.failed).toBe(failedWhileDown);
    g.__offline = false;
    await waitFor(() => counts(t!.db, 'feeds').fetch?.done === 30, {
      label: 'all 30 done after the network returned',
      timeoutMs: 15_000,
    });
    const rows = stageRows('feeds');
    expect(rows.filter((r) => r.status !== 'done')).toEqual([]);
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    expect(t!.engine.network.down).toBe(false);
    expect(
      t!.db.prepare(`SELECT count(*) AS n FROM events WHERE kind = 'network_up'`).get(),
    ).toEqual({
      n: 1,
    });
    expect(notes.map((n) => n.title)).toEqual(
      expect.arrayContaining(['Offline: waiting for the network', 'Back online']),
    );
  });

  it('blames the item, not the network, when only its host fails and the probe gets through', async () => {
    const g = globalThis as { __offline?: boolean };
    g.__offline = true;
    await start(
      `jobs:
  - id: feeds
    handler: ${NETWORK}
    stages:
      - name: fetch
        retry: { max_attempts: 2, backoff: 10ms, max_backoff: 20ms }
`,
      { probe: () => Promise.resolve(true) },
    );
    t!.engine.addItems('feeds', items(1, 'gone'));
    await waitFor(() => counts(t!.db, 'feeds').fetch?.dead === 1, { label: 'dead after 2' });
    expect(t!.engine.network.down).toBe(false);
  });
});

describe('temporal errors', () => {
  it('pause the job until the time the message names, show it, and resume by themselves', async () => {
    await start(`jobs:
  - id: market
    handler: ${THROWING}
    stages:
      - name: fetch
        retry: { max_attempts: 1, backoff: 10ms }
`);
    const before = Date.now();
    t!.engine.addItems('market', [
      {
        key: 'q',
        data: {
          errors: {
            fetch: [{ message: 'The API is under maintenance, back in 2 seconds', status: 503 }],
          },
        },
      },
    ]);
    const st = await waitFor(() => pausedState('market'), { label: 'paused' });
    expect(st.until).toBeGreaterThanOrEqual(before + 1900);
    expect(st.until).toBeLessThan(Date.now() + 2500);
    expect(st.reason).toMatch(/^doctor \(temporal\).*resumes by itself at \d{4}-\d\d-\d\dT/);
    const overview = await t!.api.overview({});
    expect(overview.jobs.find((j) => j.id === 'market')?.pausedUntil).toBe(st.until);
    await waitFor(() => counts(t!.db, 'market').fetch?.done === 1, {
      label: 'resumed and done',
      timeoutMs: 10_000,
    });
    expect(stageRows('market')[0]!.attempts).toBe(1);
  });

  it('make only the item wait when it alone is not ready yet (a premiere), and the job runs on', async () => {
    await start(`jobs:
  - id: videos
    handler: ${THROWING}
    stages:
      - name: fetch
        retry: { max_attempts: 1, backoff: 10ms }
`);
    t!.engine.addItems('videos', [
      {
        key: 'soon',
        data: {
          errors: {
            fetch: [{ message: 'ERROR: [youtube] Zq3p9xYbW1s: Premieres in 2 seconds' }],
          },
        },
      },
      { key: 'now', data: {} },
    ]);
    await waitFor(() => counts(t!.db, 'videos').fetch?.done === 1, { label: 'one done' });
    expect(jobStates(t!.db).get('videos')?.paused ?? false).toBe(false);
    const waiting = t!.db
      .prepare(
        `SELECT s.status, s.ready_at AS readyAt FROM item_stages s JOIN items i ON i.id = s.item_id WHERE i.item_key = 'soon'`,
      )
      .get() as { status: string; readyAt: number };
    expect(waiting.status).toBe('retry');
    expect(waiting.readyAt).toBeGreaterThan(Date.now() + 500);
    await waitFor(() => counts(t!.db, 'videos').fetch?.done === 2, {
      label: 'the premiere ran when it started',
      timeoutMs: 10_000,
    });
    expect(stageRows('videos').every((r) => r.attempts === 1)).toBe(true);
  });
});

describe('pauses from different causes', () => {
  it('keep the stronger one: a later timed pause never lifts one that waits for a person', async () => {
    await start(`jobs:
  - id: both
    handler: ${THROWING}
    stages:
      - name: fetch
`);
    t!.engine.pauseJob('both', 'doctor (systemic): out of credit', undefined);
    t!.engine.pauseJob('both', 'doctor (temporal): market closed', Date.now() + 1000);
    expect(pausedState('both')).toMatchObject({
      reason: 'doctor (systemic): out of credit',
      until: null,
    });
    t!.engine.resumeJob('both');
    t!.engine.pauseJob('both', 'doctor (temporal): closed', Date.now() + 60_000);
    t!.engine.pauseJob('both', 'doctor (transient): storm', Date.now() + 1000);
    expect(pausedState('both')?.reason).toBe('doctor (temporal): closed');
    t!.engine.pauseJob('both', 'doctor (code_bug): fix it', undefined);
    expect(pausedState('both')).toMatchObject({ reason: 'doctor (code_bug): fix it', until: null });
  });
});
