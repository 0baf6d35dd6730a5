import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineApi } from '../../electron/engine/api/EngineApi.ts';
import { parseConfigText } from '../../electron/engine/config/loadConfig.ts';
import { openDatabase } from '../../electron/engine/db/openDatabase.ts';
import { SCRIPTED, startTestEngine, tempDir, type TestEngine } from '../helpers/testEngine.ts';

const run = promisify(execFile);
const JOBCTL = resolve(import.meta.dirname, '../../bin/jobctl.mjs');

const yaml = `routes:
  rules:
    - { host: youtube.com, path: "^/watch", job: videos }
  default: inbox
jobs:
  - id: videos
    handler: ${SCRIPTED}
    discovery: { strategy: manual }
    stages:
      - name: fetch
  - id: inbox
    handler: ${SCRIPTED}
    stages:
      - name: fetch
`;

let t: TestEngine | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const c of cleanups.splice(0)) c();
});

describe('addUrls', () => {
  it('routes, normalizes and adds URLs through a live engine, which processes them', async () => {
    t = await startTestEngine(yaml);
    const { results } = await t.api.addUrls({
      urls: [
        'https://www.youtube.com/watch?v=abc&utm_source=share',
        'https://www.youtube.com/watch?v=abc',
        'https://example.org/post?fbclid=x',
        'ftp://example.org/file',
      ],
    });
    expect(results.map((r) => [r.jobId ?? null, r.normalized ?? null, r.added ?? null])).toEqual([
      ['videos', 'https://www.youtube.com/watch?v=abc', true],
      ['videos', 'https://www.youtube.com/watch?v=abc', false],
      ['inbox', 'https://example.org/post', true],
      [null, null, null],
    ]);
    expect(results[3]?.refused).toMatch(/only http\(s\)/);
    expect(results[0]?.itemId).toBe(results[1]?.itemId);
    await t.engine.waitIdle();
    const done = t.db.prepare(`SELECT count(*) AS n FROM item_stages WHERE status = 'done'`).get();
    expect(done).toEqual({ n: 2 });
  });

  it('writes straight to the database when no host runs', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const config = parseConfigText(yaml, join(dir, 'jobs.yaml'));
    const db = openDatabase(join(dir, 'tributary.db'));
    try {
      const { results } = await new EngineApi(db, config).addUrls({
        urls: ['https://youtu.be/x', 'https://m.youtube.com/watch?v=q'],
      });
      expect(results.map((r) => r.jobId)).toEqual(['inbox', 'videos']);
      const rows = db
        .prepare(
          `SELECT i.job_id AS job, s.status FROM items i JOIN item_stages s ON s.item_id = i.id ORDER BY i.id`,
        )
        .all();
      expect(rows).toEqual([
        { job: 'inbox', status: 'pending' },
        { job: 'videos', status: 'pending' },
      ]);
    } finally {
      db.close();
    }
  });

  it('refuses unmatched URLs with the list of routes when there is no default', async () => {
    t = await startTestEngine(yaml.replace('  default: inbox\n', ''));
    const { results } = await t.api.addUrls({ urls: ['https://example.org/x'] });
    expect(results[0]?.refused).toMatch(
      /no route matches example\.org\/x .*youtube\.com path ~ \/\^\/watch\/ → videos/,
    );
  });

  it('is a jobctl command with human and --json output and exit 1 on refusals', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = join(dir, 'jobs.yaml');
    writeFileSync(file, yaml.replace('  default: inbox\n', ''));
    const ok = await run(process.execPath, [
      JOBCTL,
      '--config',
      file,
      'add-url',
      'https://youtube.com/watch?v=1&gclid=z',
    ]);
    expect(ok.stdout).toMatch(/^added\s+https:\/\/youtube\.com\/watch\?v=1 → videos \(item \d+\)/);
    const json = await run(process.execPath, [
      JOBCTL,
      '--config',
      file,
      '--json',
      'add-url',
      'https://youtube.com/watch?v=1',
    ]);
    expect(JSON.parse(json.stdout).results[0]).toMatchObject({ jobId: 'videos', added: false });
    const refused = await run(process.execPath, [
      JOBCTL,
      '--config',
      file,
      'add-url',
      'https://example.org/',
    ]).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stdout: string }).stdout).toMatch(
      /refused\s+https:\/\/example\.org\/\n\s+no route matches/,
    );
  });
});
