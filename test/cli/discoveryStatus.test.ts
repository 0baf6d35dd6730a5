import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../electron/engine/config/loadConfig.ts';
import { openDatabase } from '../../electron/engine/db/openDatabase.ts';
import { Engine } from '../../electron/engine/runner/Engine.ts';
import { fixtureServer, send } from '../discovery/helpers.ts';
import { RSS } from '../discovery/feeds.ts';
import { runJobctl } from '../helpers/hostProcess.ts';
import { SCRIPTED, tempDir } from '../helpers/testEngine.ts';

/**
 * Discovery failures and quiet sources show in `jobctl status`'s text, not only in --json:
 * real rounds against a real HTTP server, then the built jobctl as a child process (no host
 * running, so it reads the database).
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t = tempDir('tributary-status-');
const config = join(t.dir, 'jobs.yaml');
let server: Awaited<ReturnType<typeof fixtureServer>>;
/** HH:MM, or YYYY-MM-DD HH:MM when the round ran on another day than `status` (midnight). */
const CLOCK = String.raw`(?:\d{4}-\d\d-\d\d )?\d\d:\d\d`;

beforeAll(async () => {
  server = await fixtureServer({
    '/feed.xml': send(404, 'not found'),
    '/broken.xml': send(200, '<?xml version="1.0"?><rss version="2.0"><channel><item><title>cut', {
      'content-type': 'application/rss+xml',
    }),
    '/good.xml': send(200, RSS, { 'content-type': 'application/rss+xml' }),
  });
  const job = (id: string, path: string, extra = '') => `  - id: ${id}
    handler: ${SCRIPTED}
    discovery:
      strategy: rss
      every: 1h
${extra}      params: { url: "${server.url(path)}" }
    stages:
      - name: fetch
`;
  const text = `data_dir: ./data
jobs:
${job('missing', '/feed.xml')}${job('broken', '/broken.xml')}${job('quiet', '/good.xml')}${job('muted', '/good.xml', '      quiet_after: false\n')}`;
  writeFileSync(config, text);
  mkdirSync(join(t.dir, 'data'), { recursive: true });
  const loaded = parseConfigText(text, config);
  const db = openDatabase(join(t.dir, 'data', 'tributary.db'));
  let engine = await Engine.create({ db, config: loaded, discovery: false });
  engine.start();
  for (const id of ['missing', 'broken', 'quiet', 'muted']) await engine.discovery.runNow(id);
  await engine.stop(1000);
  // A second failed round of `missing` once its backoff is over (a restarted host).
  db.prepare(`UPDATE discovery_state SET backoff_until = NULL WHERE job_id = 'missing'`).run();
  engine = await Engine.create({ db, config: loaded, discovery: false });
  engine.start();
  await engine.discovery.runNow('missing');
  await engine.stop(1000);
  // Three days without anything new, as a host that ran on would have recorded it.
  db.prepare(`UPDATE discovery_state SET last_new_at = ? WHERE job_id IN ('quiet', 'muted')`).run(
    Date.now() - 3 * DAY,
  );
  db.close();
});
afterAll(async () => {
  await server.close();
  t.cleanup();
});

async function status(...args: string[]): Promise<string> {
  const r = await runJobctl(['--config', config, 'status', ...args]);
  expect(r.code, r.out).toBe(0);
  return r.out;
}

describe('jobctl status and discovery', () => {
  it('says since when a job’s discovery fails, how often, with what, and when it tries next', async () => {
    const out = await status('missing');
    expect(out).toMatch(
      new RegExp(
        String.raw`discovery: failing since ${CLOCK} \(2 rounds\): HTTP 404 from http://127\.0\.0\.1:\d+/feed\.xml — next try ${CLOCK}`,
      ),
    );
    expect(out).toMatch(/discovery: rss every 1h · quiet alert after 1d \(default\) · last round/);
  });

  it('shows a feed that cannot be parsed the same way', async () => {
    const out = await status('broken');
    expect(out).toMatch(
      new RegExp(
        String.raw`discovery: failing since ${CLOCK} \(1 round\): http://127\.0\.0\.1:\d+/broken\.xml is not well-formed XML.* — next try ${CLOCK}`,
      ),
    );
  });

  it('says a source went quiet, for how long, and what is usual', async () => {
    const out = await status('quiet');
    expect(out).toContain('discovery: quiet — nothing new for 3d (usual: every 1h)');
    expect(out).not.toContain('failing');
    const muted = await status('muted');
    expect(muted).toContain('quiet alert off');
    expect(muted).not.toContain('discovery: quiet —');
  });

  it('gives the effective quiet_after and the failure streak in --json', async () => {
    const r = await runJobctl(['--config', config, '--json', 'status']);
    const jobs = (
      JSON.parse(r.out) as { jobs: { id: string; discovery: Record<string, unknown> }[] }
    ).jobs;
    const by = (id: string) => jobs.find((j) => j.id === id)?.discovery;
    expect(by('missing')).toMatchObject({
      quietAfterMs: DAY,
      quietAfterSource: 'default',
      failures: 2,
      failingSince: expect.any(Number),
      lastError: expect.stringContaining('HTTP 404'),
    });
    // Since the first failed round of the streak, not the latest one.
    expect(by('missing')?.failingSince as number).toBeLessThan(
      by('missing')?.lastRoundAt as number,
    );
    expect(by('quiet')).toMatchObject({ quiet: true, failures: 0, usualIntervalMs: HOUR });
    expect(by('muted')).toMatchObject({
      quietAfterMs: null,
      quietAfterSource: 'off',
      quiet: false,
    });
  });
});
