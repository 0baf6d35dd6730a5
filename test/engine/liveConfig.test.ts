import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { dataDirOf } from '../../electron/cli/context.ts';
import { EngineApi } from '../../electron/engine/api/EngineApi.ts';
import type { Doctor } from '../../electron/engine/doctor/Doctor.ts';
import type { EngineEvent } from '../../electron/engine/events/EventBus.ts';
import { silentLogger } from '../../electron/engine/log/logger.ts';
import { jobStates } from '../../electron/engine/tracker/jobState.ts';
import type { Notification, Notifier } from '../../electron/engine/notify/Notifier.ts';
import { Host } from '../../electron/engine/runner/Host.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../content/helpers/openaiServer.ts';
import { counts, tempDir } from '../helpers/testEngine.ts';
import { waitFor } from '../helpers/waitFor.ts';

// A module that never finishes loading is cut off after this long (default 10 s).
process.env.TRIBUTARY_HANDLER_LOAD_TIMEOUT_MS = '1500';

let host: Host | undefined;
let llm: FakeOpenAi | undefined;
let cleanup: (() => void) | undefined;

afterEach(async () => {
  await host?.stop(500);
  host = undefined;
  await llm?.close();
  llm = undefined;
  cleanup?.();
});

/** Stages whose behaviour the item's data picks: `spend` reports a cost, `bug` throws a TypeError. */
const HANDLER = `export default {
  work: {
    version: 1,
    async run(item) {
      if (item.data.mode === 'bug') { const o = undefined; return o.x; }
      if (item.data.mode === 'hold') await new Promise((r) => setTimeout(r, 60_000));
      return { ok: true, _cost: item.data.cost ?? 0 };
    },
  },
};
`;

const sent: Notification[] = [];
const recorder: Notifier = {
  notify: (n) => {
    sent.push(n);
    return Promise.resolve();
  },
};

async function start(
  yaml: string,
  opts: { watch?: boolean } = {},
): Promise<{ h: Host; api: EngineApi; file: string; dir: string; seen: EngineEvent[] }> {
  const t = tempDir();
  cleanup = t.cleanup;
  writeFileSync(join(t.dir, 'work.mjs'), HANDLER);
  writeFileSync(join(t.dir, 'hangs.mjs'), `await new Promise(() => {});\nexport default {};\n`);
  // Waits on a timer that keeps the process alive for an hour: cut off by the time limit.
  writeFileSync(
    join(t.dir, 'sleeps.mjs'),
    `await new Promise((r) => setTimeout(r, 3_600_000));\nexport default {};\n`,
  );
  writeFileSync(join(t.dir, 'spins.mjs'), `for (;;) {}\n`);
  const file = join(t.dir, 'jobs.yaml');
  writeFileSync(file, yaml);
  sent.length = 0;
  host = await Host.start({
    configFile: file,
    log: silentLogger(),
    notifier: recorder,
    watch: opts.watch ?? false,
    engine: { discovery: false },
  });
  const seen: EngineEvent[] = [];
  host.engine.bus.on((e) => seen.push(e));
  return { h: host, api: new EngineApi(host.db, host.config, host.engine), file, dir: t.dir, seen };
}

const job = (extra = '', stage = '') => `jobs:
  - id: spend
    handler: work.mjs
${extra}    stages:
      - { name: work, retry: { max_attempts: 1, backoff: 10ms }${stage} }
`;

describe('one live configuration', () => {
  it('enforces a daily cost limit lowered by reload below what was already spent today', async () => {
    const { h, file } = await start(job('    guards: { daily_cost_limit: 5 }\n'));
    h.engine.addItems('spend', [
      { key: 'a', data: { cost: 0.6 } },
      { key: 'b', data: { cost: 0.6 } },
      { key: 'c', data: { cost: 0.47 } },
    ]);
    await waitFor(() => counts(h.db, 'spend').work?.done === 3, { label: '3 done' });
    expect(h.engine.jobs.get('spend')!.paused).toBe(false);
    // $1.67 spent; the limit goes down to $1.50 while the host runs.
    writeFileSync(file, job('    guards: { daily_cost_limit: 1.5 }\n'));
    expect((await h.reload()).applied).toBe(true);
    h.engine.addItems('spend', [{ key: 'd', data: { cost: 0.1 } }]);
    await waitFor(() => h.engine.jobs.get('spend')!.paused, { label: 'paused by the new limit' });
    expect(jobStates(h.db).get('spend')?.reason).toMatch(/daily cost limit: \$1\.7\d+ of \$1\.50/);
  });

  it('uses an LLM provider added by reload (it was "unknown LLM provider" until a restart)', async () => {
    llm = await startFakeOpenAi(() => ({ content: { summary: 'fine' } }));
    const stages = `jobs:
  - id: sum
    stages:
      - { name: s, uses: builtin/llm, retry: { max_attempts: 1 }, params: { prompt: "Summarize {{ data.text }}", document: "{{ data.text }}", provider: fresh } }
`;
    const { h, file } = await start(`llm:
  providers:
    old: { base_url: "http://127.0.0.1:9/v1", models: [m] }
${job()}`);
    writeFileSync(
      file,
      `llm:
  providers:
    old: { base_url: "http://127.0.0.1:9/v1", models: [m] }
    fresh: { base_url: "${llm.baseUrl}", models: [m], prices: { m: { input: 1, output: 1 } } }
${stages}`,
    );
    const r = await h.reload();
    expect(r.problems).toEqual([]);
    h.engine.addItems('sum', [{ key: 'x', data: { text: 'hello' } }]);
    await waitFor(() => counts(h.db, 'sum').s?.done === 1, { label: 'summarized' });
    expect(llm.requests).toHaveLength(1);
  });

  it('follows breakers changed by reload: `code_bug: false` stops the pause on the first bug', async () => {
    const { h, file } = await start(job());
    writeFileSync(file, job('    breakers: { code_bug: false }\n'));
    expect((await h.reload()).applied).toBe(true);
    expect((h.engine.classifier as Doctor).thresholds('spend').code_bug).toBeNull();
    h.engine.addItems('spend', [{ key: 'bug', data: { mode: 'bug' } }]);
    await waitFor(() => counts(h.db, 'spend').work?.dead === 1, { label: 'the bug ran' });
    expect(h.engine.jobs.get('spend')!.paused).toBe(false);
    // And back: the default (pause on the first code bug) applies to the next one.
    writeFileSync(file, job());
    await h.reload();
    h.engine.addItems('spend', [{ key: 'bug2', data: { mode: 'bug' } }]);
    await waitFor(() => h.engine.jobs.get('spend')!.paused, { label: 'paused by the default' });
  });

  it('turns notifications off and back on by reload', async () => {
    const { h, file } = await start(`notifications: { enabled: false }\n${job()}`);
    const warn = (title: string) =>
      h.engine.bus.emit({
        type: 'attention',
        jobId: null,
        level: 'warning',
        title,
        message: title,
      });
    warn('one');
    expect(sent).toEqual([]);
    writeFileSync(file, `notifications: { enabled: true, min_level: warning }\n${job()}`);
    await h.reload();
    warn('two');
    expect(sent.map((n) => n.title)).toEqual(['two']);
  });
});

describe('nothing destructive by accident', () => {
  it('refuses an empty file over a running config; `jobs: []` stops everything and says what it retired', async () => {
    const { h, api, file, seen } = await start(job());
    h.engine.pauseJob('spend', 'hold the queue', undefined);
    h.engine.addItems('spend', [
      { key: 'a', data: {} },
      { key: 'b', data: {} },
    ]);
    for (const text of ['', '~\n', '# only a comment\n', 'resources: {}\n']) {
      writeFileSync(file, text);
      const r = await h.reload();
      expect(r.applied, JSON.stringify(text)).toBe(false);
      expect(r.problems.join('\n')).toMatch(/jobs: \[\]/);
      expect([...h.engine.jobs.keys()]).toEqual(['spend']);
    }
    expect((await api.overview({})).config.error?.message).toMatch(/jobs: \[\]/);
    // (A notification allowance that lets the retire notice through right after the error's.)
    writeFileSync(file, 'notifications: { rate_limit: 10/1m }\njobs: []\n');
    const dry = await h.reload(true);
    expect(dry.plan?.jobsRemoved).toEqual(['spend']);
    expect(dry.plan?.retired).toEqual([{ job: 'spend', stage: null, unfinished: 2 }]);
    seen.length = 0;
    const r = await h.reload();
    expect(r.applied).toBe(true);
    expect([...h.engine.jobs.keys()]).toEqual([]);
    const overview = await api.overview({});
    expect(overview.config.error).toBeNull();
    expect(overview.config.retired?.work).toEqual([{ job: 'spend', stage: null, unfinished: 2 }]);
    expect(seen).toContainEqual(
      expect.objectContaining({ type: 'attention', title: 'Reload retired unfinished work' }),
    );
    expect(sent.map((n) => n.title)).toContain('Reload retired unfinished work');
    const ev = h.db.prepare(`SELECT data FROM events WHERE kind = 'config_retired'`).get() as {
      data: string;
    };
    expect(JSON.parse(ev.data)).toEqual({ work: [{ job: 'spend', stage: null, unfinished: 2 }] });
    // The items are still there; the job put back finds them and the notice clears.
    const items = h.db.prepare(`SELECT count(*) AS n FROM items WHERE job_id = 'spend'`).get();
    expect(items).toEqual({ n: 2 });
    writeFileSync(file, job());
    await h.reload();
    expect((await api.overview({})).config.retired).toBeNull();
  });
});

describe('a handler module that never finishes loading', () => {
  it('is refused with its place after the time limit, and the next good save is applied (no wedge)', async () => {
    const { h, api, file } = await start(job(), { watch: true });
    const broken = job().replace('handler: work.mjs', 'handler: hangs.mjs');
    writeFileSync(file, broken);
    await waitFor(() => h.engine.configError !== null, {
      label: 'refused',
      timeoutMs: 10_000,
    });
    expect(h.engine.configError!.message, h.engine.configError!.message).toMatch(
      /jobs\.yaml:3:\d+ jobs\[0\]\.handler: handler module hangs\.mjs never finishes loading/,
    );
    expect((await api.overview({})).config.error).not.toBeNull();
    // `jobctl reload` answers (it does not wait for ever either).
    const dry = await h.reload(true);
    expect(dry.applied).toBe(false);
    writeFileSync(file, job('    title: Fixed\n'));
    await waitFor(() => h.engine.configError === null && h.config.jobs[0]?.title === 'Fixed', {
      label: 'the good save applied',
      timeoutMs: 10_000,
    });
  }, 30_000);

  it('cuts off a module that sleeps or spins for ever after the time limit', async () => {
    const { h, file } = await start(job());
    for (const mod of ['sleeps.mjs', 'spins.mjs']) {
      writeFileSync(file, job().replace('handler: work.mjs', `handler: ${mod}`));
      const started = Date.now();
      const r = await h.reload();
      expect(r.applied).toBe(false);
      expect(r.problems.join('\n'), r.problems.join('\n')).toMatch(
        new RegExp(
          `jobs\\[0\\]\\.handler: handler module ${mod.replace('.', '\\.')} did not finish loading within 2 s`,
        ),
      );
      expect(Date.now() - started).toBeLessThan(8000);
      expect(h.config.jobs[0]?.handler).toBe('work.mjs');
    }
    writeFileSync(file, job('    title: Back\n'));
    expect((await h.reload()).applied).toBe(true);
  }, 30_000);

  it('applies the last of several quick saves, broken ones in between', async () => {
    const { h, file } = await start(job(), { watch: true });
    writeFileSync(file, job('    title: One\n'));
    writeFileSync(file, 'jobs: [ {\n');
    writeFileSync(file, job('    tilte: typo\n'));
    writeFileSync(file, job('    title: Last\n'));
    await waitFor(() => h.config.jobs[0]?.title === 'Last' && h.engine.configError === null, {
      label: 'the last save applied',
      timeoutMs: 10_000,
    });
  });

  it('follows saves that replace the file (rename over it) or delete and write it again', async () => {
    const { h, file, dir } = await start(job(), { watch: true });
    writeFileSync(join(dir, 'next.yaml'), job('    title: Renamed\n'));
    renameSync(join(dir, 'next.yaml'), file);
    await waitFor(() => h.config.jobs[0]?.title === 'Renamed', { label: 'rename-save applied' });
    writeFileSync(file, 'jobs: [ {\n');
    await waitFor(() => h.engine.configError !== null, { label: 'broken save refused' });
    unlinkSync(file);
    await waitFor(() => /cannot read/.test(h.engine.configError?.message ?? ''), {
      label: 'deleted file refused',
    });
    expect([...h.engine.jobs.keys()]).toEqual(['spend']);
    writeFileSync(file, job('    title: Back\n'));
    await waitFor(() => h.config.jobs[0]?.title === 'Back' && h.engine.configError === null, {
      label: 'recreated file applied',
      timeoutMs: 10_000,
    });
  });
});

describe('a reload that fails part-way, and handler modules that misbehave', () => {
  it('changes nothing when the database write fails, and applies once it can', async () => {
    const { h, file } = await start(`resources: { api: { concurrency: 1 } }\n${job()}`);
    const before = h.config;
    const other = new Database(join(h.config.dataDir, 'tributary.db'));
    other.exec('BEGIN IMMEDIATE'); // holds the write lock
    h.db.pragma('busy_timeout = 50');
    writeFileSync(
      file,
      `resources: { api: { concurrency: 5 } }\n${job()}  - id: fresh\n    handler: work.mjs\n    stages: [{ name: work }]\n`,
    );
    const r = await h.reload();
    expect(r.applied).toBe(false);
    expect(r.problems.join('\n')).toMatch(/database is locked/);
    expect(h.config).toBe(before);
    expect(h.engine.resources.limits('api')?.concurrency).toBe(1);
    expect([...h.engine.jobs.keys()]).toEqual(['spend']);
    other.exec('ROLLBACK');
    other.close();
    const again = await h.reload();
    expect(again.applied).toBe(true);
    expect(h.engine.resources.limits('api')?.concurrency).toBe(5);
    expect([...h.engine.jobs.keys()]).toEqual(['spend', 'fresh']);
  });

  it('refuses `params` that is not a schema, and a module blocked in a native call, in time', async () => {
    const { h, file, dir } = await start(job());
    writeFileSync(
      join(dir, 'badparams.mjs'),
      `export default { work: { version: 1, params: { url: 'string' }, async run() { return { ok: 1 }; } } };\n`,
    );
    writeFileSync(
      join(dir, 'blocks.mjs'),
      `import { execSync } from 'node:child_process';\nexecSync('sleep 6');\nexport default {};\n`,
    );
    writeFileSync(file, job().replace('work.mjs', 'badparams.mjs'));
    const bad = await h.reload();
    expect(bad.problems.join('\n')).toMatch(
      /jobs\[0\]\.stages\[0\]\.params: the handler exports `params` that is not a schema/,
    );
    writeFileSync(file, job().replace('work.mjs', 'blocks.mjs'));
    const started = Date.now();
    const blocked = await h.reload();
    expect(blocked.problems.join('\n')).toMatch(/blocks\.mjs did not finish loading within 2 s/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect([...h.engine.jobs.keys()]).toEqual(['spend']);
  }, 20_000);

  it('lets a handler write into its params, as it always could (the live config is frozen)', async () => {
    const { h, dir, file } = await start(job());
    writeFileSync(
      join(dir, 'writes.mjs'),
      `export default { work: { version: 1, async run(item, ctx) { ctx.stage.params.seen = (ctx.stage.params.seen ?? 0) + 1; return { seen: ctx.stage.params.seen }; } } };\n`,
    );
    writeFileSync(file, job('', ', params: { a: 1 }').replace('work.mjs', 'writes.mjs'));
    expect((await h.reload()).applied).toBe(true);
    h.engine.addItems('spend', [{ key: 'w', data: {} }]);
    await waitFor(() => counts(h.db, 'spend').work?.done === 1, { label: 'ran' });
    expect(Object.isFrozen(h.config.jobs[0]!.stages[0]!.params)).toBe(true);
  });
});

describe('the CLI finds a running host while jobs.yaml is broken', () => {
  it('reads data_dir from a file with a syntax error elsewhere, and the default for a binary one', () => {
    const t = tempDir();
    try {
      const file = join(t.dir, 'jobs.yaml');
      writeFileSync(file, `data_dir: ./mydata\njobs: [ {\n`);
      expect(dataDirOf({ config: file })).toBe(join(t.dir, 'mydata'));
      writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
      expect(dataDirOf({ config: file })).toBe(join(t.dir, 'data'));
    } finally {
      t.cleanup();
    }
  });
});
