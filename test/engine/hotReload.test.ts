import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineApi } from '../../electron/engine/api/EngineApi.ts';
import { silentLogger } from '../../electron/engine/log/logger.ts';
import { Host } from '../../electron/engine/runner/Host.ts';
import { hold, releaseAll, resetScripted } from '../helpers/holds.ts';
import { counts, SCRIPTED, tempDir } from '../helpers/testEngine.ts';
import { waitFor } from '../helpers/waitFor.ts';

let host: Host | undefined;
let cleanup: (() => void) | undefined;
let file = '';

beforeEach(() => resetScripted());
afterEach(async () => {
  releaseAll();
  await host?.stop(500);
  host = undefined;
  cleanup?.();
});

const job = (id: string, stages: string, extra = '') => `  - id: ${id}
    handler: ${SCRIPTED}
    stages:
${stages}
${extra}`;

async function start(yamlText: string): Promise<{ host: Host; api: EngineApi }> {
  const t = tempDir();
  cleanup = t.cleanup;
  file = join(t.dir, 'jobs.yaml');
  writeFileSync(file, yamlText);
  host = await Host.start({
    configFile: file,
    log: silentLogger(),
    notifier: null,
    engine: { discovery: false },
  });
  return { host, api: new EngineApi(host.db, host.config, host.engine) };
}

describe('hot reload', () => {
  it('keeps the last good config when jobs.yaml breaks, reports where, and applies the fix', async () => {
    const { host: h, api } = await start(
      `jobs:\n${job('a', '      - { name: s, concurrency: 1 }')}`,
    );
    writeFileSync(file, `jobs:\n${job('a', '      - { name: s, concurency: 4 }')}`);
    await waitFor(() => h.engine.configError, { label: 'config error recorded' });
    expect(h.engine.configError?.message).toContain(
      `${file}:5:20 jobs[0].stages[0].concurency: unknown key`,
    );
    expect(h.config.jobs[0]?.stages[0]?.concurrency).toBe(1);
    const overview = await api.overview({});
    expect(overview.config.error?.message).toMatch(/did you mean `concurrency`/);
    const events = await api.events({ limit: 10 });
    expect(events.some((e) => e.kind === 'config_error')).toBe(true);
    // Still running: items flow through the old config.
    h.engine.addItems('a', [{ key: 'x', data: {} }]);
    await h.engine.waitIdle();
    expect(counts(h.db, 'a').s).toEqual({ done: 1 });
    writeFileSync(file, `jobs:\n${job('a', '      - { name: s, concurrency: 4 }')}`);
    await waitFor(() => h.config.jobs[0]?.stages[0]?.concurrency === 4, {
      label: 'fixed config applied',
    });
    expect(h.engine.configError).toBeNull();
  });

  it('applies a concurrency change to a running stage without a restart', async () => {
    const { host: h } = await start(`jobs:\n${job('a', '      - { name: s, concurrency: 1 }')}`);
    h.engine.addItems(
      'a',
      [1, 2, 3, 4].map((i) => ({ key: `k${i}`, data: { script: { s: 'hold' } } })),
    );
    await waitFor(() => counts(h.db, 'a').s?.running === 1);
    const r = await h.reload(false);
    expect(r.applied).toBe(true);
    writeFileSync(file, `jobs:\n${job('a', '      - { name: s, concurrency: 3 }')}`);
    await waitFor(() => counts(h.db, 'a').s?.running === 3, { label: 'three running' });
    for (const i of [1, 2, 3, 4]) hold(`k${i}/s`).release();
    await h.engine.waitIdle();
    expect(counts(h.db, 'a').s).toEqual({ done: 4 });
  });

  it('starts added jobs, lets removed jobs finish what they hold, and keeps their data', async () => {
    const { host: h, api } = await start(`jobs:\n${job('old', '      - { name: s }')}`);
    h.engine.addItems('old', [
      { key: 'held', data: { script: { s: 'hold' } } },
      { key: 'queued', data: {} },
    ]);
    await waitFor(() => hold('held/s').started);
    writeFileSync(file, `jobs:\n${job('new', '      - { name: s }')}`);
    await waitFor(() => h.engine.jobs.has('new') && !h.engine.jobs.has('old'), {
      label: 'jobs swapped',
    });
    h.engine.addItems('new', [{ key: 'n', data: {} }]);
    hold('held/s').release();
    await h.engine.waitIdle();
    expect(counts(h.db, 'old').s).toEqual({ done: 1, pending: 1 });
    expect(counts(h.db, 'new').s).toEqual({ done: 1 });
    const overview = await api.overview({});
    expect(overview.jobs.find((j) => j.id === 'old')).toMatchObject({ orphaned: true, items: 2 });
  });

  it('gives existing items a row for a new stage, and a version bump marks exactly those results stale', async () => {
    const { host: h, api } = await start(`jobs:\n${job('a', '      - { name: fetch }')}`);
    h.engine.addItems('a', [
      { key: 'x', data: {} },
      { key: 'y', data: {} },
    ]);
    await h.engine.waitIdle();
    writeFileSync(
      file,
      `jobs:\n${job('a', '      - { name: fetch, version: 2 }\n      - { name: score }')}`,
    );
    const dry = await waitFor(async () => {
      const r = await api.reload({ dryRun: true });
      return r.plan && r.plan.stagesAdded.length > 0 ? r : null;
    });
    expect(dry.applied).toBe(false);
    expect(dry.plan?.stagesAdded).toEqual([{ job: 'a', stage: 'score' }]);
    expect(dry.plan?.stale).toEqual([{ job: 'a', stage: 'fetch', from: '1', to: '2', count: 2 }]);
    await waitFor(() => h.engine.jobs.get('a')?.workers.has('score'));
    await h.engine.waitIdle();
    expect(counts(h.db, 'a')).toEqual({ fetch: { done: 2 }, score: { done: 2 } });
    const summary = await api.job({ jobId: 'a' });
    expect(summary.stages.find((s) => s.name === 'fetch')?.stale).toBe(2);
  });

  it('changes shared resource limits live', async () => {
    const { host: h, api } = await start(
      `resources:\n  api: { concurrency: 1 }\njobs:\n${job('a', '      - { name: s, concurrency: 5, resources: [api] }')}`,
    );
    h.engine.addItems(
      'a',
      [1, 2, 3].map((i) => ({ key: `k${i}`, data: { script: { s: 'hold' } } })),
    );
    await waitFor(() => counts(h.db, 'a').s?.running === 1);
    expect(await api.resources({})).toEqual([
      expect.objectContaining({ name: 'api', inUse: 1, cap: 1 }),
    ]);
    writeFileSync(
      file,
      `resources:\n  api: { concurrency: 3 }\njobs:\n${job('a', '      - { name: s, concurrency: 5, resources: [api] }')}`,
    );
    await waitFor(() => counts(h.db, 'a').s?.running === 3, { label: 'resource raised' });
    for (const i of [1, 2, 3]) hold(`k${i}/s`).release();
    await h.engine.waitIdle();
  });

  it('does not apply a config whose handler module fails to load', async () => {
    const { host: h } = await start(`jobs:\n${job('a', '      - { name: fetch }')}`);
    writeFileSync(
      file,
      `jobs:\n  - id: a\n    handler: ./nowhere.ts\n    stages: [{ name: fetch }]\n`,
    );
    const r = await h.reload();
    expect(r.applied).toBe(false);
    expect(r.problems[0]).toMatch(/handler module not found/);
    expect(h.config.jobs[0]?.handler).toBe(SCRIPTED);
  });
});

describe('wake', () => {
  it('runs a discovery round now for a job that would otherwise wait an hour', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    file = join(t.dir, 'jobs.yaml');
    writeFileSync(
      file,
      `jobs:\n${job('w', '      - { name: s }', '    discovery: { strategy: static, every: 1h, params: { items: [one] } }')}`,
    );
    host = await Host.start({ configFile: file, log: silentLogger(), notifier: null });
    const h = host;
    await h.engine.waitIdle();
    const rounds = () =>
      (
        h.db.prepare(`SELECT count(*) AS n FROM events WHERE kind = 'discovery_round'`).get() as {
          n: number;
        }
      ).n;
    const before = rounds();
    const api = new EngineApi(h.db, h.config, h.engine);
    expect(await api.wake({ jobId: 'w' })).toEqual({ woken: ['w'], live: true });
    await waitFor(() => rounds() > before, { label: 'a new discovery round' });
    // The same through a touch-file, for scripts that cannot run the CLI.
    writeFileSync(join(h.config.dataDir, 'wake', 'w'), '');
    await waitFor(() => rounds() > before + 1, { label: 'a round from the wake file' });
  });
});
