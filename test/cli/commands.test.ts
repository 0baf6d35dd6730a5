import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobctl, spawnJobctl, type HostProcess } from '../helpers/hostProcess.ts';
import { SCRIPTED, tempDir } from '../helpers/testEngine.ts';
import { waitFor } from '../helpers/waitFor.ts';

/**
 * Every jobctl command, once against a live host (through its control channel) and once with
 * no host (straight on the database). Each must exit as documented and print valid JSON.
 */
const t = tempDir();
const config = join(t.dir, 'jobs.yaml');
const data = join(t.dir, 'data');
writeFileSync(
  config,
  `data_dir: ./data
routes:
  default: demo
jobs:
  - id: demo
    handler: ${SCRIPTED}
    discovery: { strategy: static, every: 1h, params: { items: [one, two, three] } }
    stages:
      - { name: fetch }
      - { name: score }
`,
);

async function jobctl(
  ...args: string[]
): Promise<{ code: number | null; out: string; json: unknown }> {
  const r = await runJobctl(['--config', config, '--json', ...args]);
  let json: unknown;
  try {
    json = JSON.parse(r.out);
  } catch {
    json = undefined;
  }
  return { ...r, json };
}

function itemId(json: unknown): number {
  return ((json as { items: { id: number }[] }).items[0] as { id: number }).id;
}

/** Commands whose JSON answer must parse and whose exit code must be 0, in both modes. */
async function everyCommand(live: boolean): Promise<void> {
  const status = await jobctl('status');
  expect(status.code, status.out).toBe(0);
  expect((status.json as { jobs: { id: string }[] }).jobs.map((j) => j.id)).toEqual(['demo']);
  const items = await jobctl('items', 'demo');
  expect(items.code, items.out).toBe(0);
  const id = String(itemId(items.json));
  for (const args of [
    ['inspect', id],
    ['why', id],
    ['events', '--limit', '5'],
    ['failures', 'demo'],
    ['stats', '--days', '2'],
    ['costs'],
    ['reload', '--dry-run'],
    ['reprocess', 'demo', 'score', '--dry-run'],
    ['gc', '--dry-run'],
    ['export', 'demo'],
    ['diagnose'],
    ['doctor', 'corrections'],
  ]) {
    const r = await jobctl(...args);
    expect(r.code, `${args.join(' ')}: ${r.out}`).toBe(0);
    if (args[0] !== 'export')
      expect(r.json, `${args.join(' ')} printed no JSON: ${r.out}`).toBeDefined();
  }
  const exported = await runJobctl(['--config', config, 'export', 'demo', '--format', 'csv']);
  expect(exported.out.split('\n')[0]).toBe('id,key,status,priority,discovered_at,data,fetch,score');

  const paused = await jobctl('pause', 'demo', 'maintenance', '--retry-in', '1h');
  expect(paused.code, paused.out).toBe(0);
  const after = (await jobctl('status', 'demo')).json as {
    job: { paused: boolean; pauseReason: string; pausedUntil: number };
  };
  expect(after.job).toMatchObject({ paused: true, pauseReason: 'maintenance' });
  expect(after.job.pausedUntil).toBeGreaterThan(Date.now());
  const retried = await jobctl('retry', 'demo');
  expect(retried.json).toMatchObject({ count: 0, paused: true });
  expect((await jobctl('unpause', 'demo')).code).toBe(0);
  expect(((await jobctl('status', 'demo')).json as { job: { paused: boolean } }).job.paused).toBe(
    false,
  );
  expect((await jobctl('clear-errors', 'demo')).code).toBe(0);
  expect((await jobctl('reset', 'demo', 'score', '--status', 'failed')).json).toEqual({ count: 0 });

  const added = await jobctl(
    'add-url',
    `https://example.com/${live ? 'live' : 'offline'}?utm_source=x`,
  );
  expect(added.code, added.out).toBe(0);
  expect(
    (added.json as { results: { jobId: string; normalized: string }[] }).results[0],
  ).toMatchObject({
    jobId: 'demo',
    normalized: `https://example.com/${live ? 'live' : 'offline'}`,
  });
  const refused = await jobctl('add-url', 'ftp://example.com/file');
  expect(refused.code).toBe(1);

  const cancelled = await jobctl('cancel', id);
  expect(cancelled.code, cancelled.out).toBe(0);

  const wake = await jobctl('wake', 'demo');
  expect(wake.code).toBe(live ? 0 : 6);
  expect(wake.json).toMatchObject({ live });

  const missing = await jobctl('inspect', '999999');
  expect(missing.code).toBe(4);
  const unknownJob = await jobctl('pause', 'nope');
  expect(unknownJob.code).toBe(4);
  expect(unknownJob.out).toMatch(/unknown job `nope`/);
}

describe('jobctl', () => {
  let host: HostProcess | undefined;
  beforeAll(async () => {
    host = spawnJobctl(['run', '--config', config]);
    await waitFor(() => existsSync(join(data, 'control.json')), {
      timeoutMs: 30_000,
      label: 'control channel',
    });
    await waitFor(
      async () =>
        (
          (await jobctl('status')).json as
            { jobs: { stages: { counts: { done: number } }[] }[] } | undefined
        )?.jobs[0]?.stages[1]?.counts.done === 3,
      {
        timeoutMs: 30_000,
        label: 'first items done',
      },
    );
  });
  afterAll(async () => {
    host?.child.kill('SIGTERM');
    await host?.exited;
    t.cleanup();
  });

  it('every command works against a live host, through its control channel', async () => {
    await everyCommand(true);
  });

  it('every command works with no host running, on the database', async () => {
    host?.child.kill('SIGTERM');
    const exit = await host?.exited;
    expect(exit?.code).toBe(0);
    expect(existsSync(join(data, 'control.json'))).toBe(false);
    await everyCommand(false);
  });

  it('explains a bad command line with the usage and exit code 2', async () => {
    const r = await runJobctl(['--config', config, 'pause']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/missing required argument 'job'/);
  });
});
