import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineApi } from '../../electron/engine/api/EngineApi.ts';
import { ConfigError, formatProblem } from '../../electron/engine/config/ConfigError.ts';
import type { EngineEvent } from '../../electron/engine/events/EventBus.ts';
import { silentLogger } from '../../electron/engine/log/logger.ts';
import { Host } from '../../electron/engine/runner/Host.ts';
import { loadAndPrepare } from '../../electron/engine/runner/loadAndPrepare.ts';
import { caseBytes, CORPUS, corpusCases, corpusDir, locatesAll } from './configCorpus.ts';

// Modules that never finish loading are cut off after this long (the default is 10 s).
process.env.TRIBUTARY_HANDLER_LOAD_TIMEOUT_MS = '1500';

const cases = corpusCases();
const ROOT = resolve(import.meta.dirname, '../..');

describe('the broken-config corpus, cold', () => {
  it('has at least 100 files, in every class, in both halves', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    const classes = new Set(cases.map((c) => c.class));
    for (const half of ['tune/', 'holdout/'])
      expect(new Set(cases.filter((c) => c.file.startsWith(half)).map((c) => c.class))).toEqual(
        classes,
      );
  });

  const d = corpusDir();
  afterAll(() => d.cleanup());
  for (const c of cases.filter((x) => x.mode === 'both'))
    it(`${c.file} is refused at start with every mistake located`, async () => {
      writeFileSync(d.file, caseBytes(c));
      const err = await loadAndPrepare(d.file).catch((e: unknown) => e);
      expect(err, c.note).toBeInstanceOf(ConfigError);
      const reported = (err as ConfigError).problems.map(formatProblem);
      // Holdout files only have to be refused here; how well they are located is measured
      // (npm run bench:config), never tuned on.
      if (c.file.startsWith('tune/'))
        expect(locatesAll(c, d.file, reported), `${c.note}\n${reported.join('\n')}`).toBe(true);
    });

  it('`jobctl reload --dry-run` and `jobctl run` exit 3 with the place, for one file of each class', () => {
    const seen = new Set<string>();
    const sample = cases.filter(
      (c) =>
        c.mode === 'both' && c.file.startsWith('tune/') && !seen.has(c.class) && seen.add(c.class),
    );
    const env = { ...process.env, TRIBUTARY_HANDLER_LOAD_TIMEOUT_MS: '1500' };
    for (const c of sample) {
      const dir = corpusDir();
      try {
        writeFileSync(dir.file, caseBytes(c));
        for (const args of [
          ['reload', '--dry-run'],
          ['run', '--once'],
        ]) {
          const r = spawnSync(
            process.execPath,
            [
              join(ROOT, 'bin/jobctl.mjs'),
              '--config',
              dir.file,
              '--data',
              join(dir.dir, 'data'),
              ...args,
            ],
            { encoding: 'utf8', env, timeout: 30_000 },
          );
          expect(r.status, `${c.file} ${args[0]}: ${r.stdout}${r.stderr}`).toBe(3);
          const lines = `${r.stdout}${r.stderr}`.split('\n').map((l) => l.trim());
          expect(locatesAll(c, dir.file, lines), `${c.file}\n${lines.join('\n')}`).toBe(true);
        }
      } finally {
        dir.cleanup();
      }
    }
  }, 240_000);
});

describe('the broken-config corpus, hot (written over a running host)', () => {
  let host: Host;
  let api: EngineApi;
  const d = corpusDir();
  const base = readFileSync(join(CORPUS, 'base.yaml'));
  const seen: EngineEvent[] = [];

  beforeAll(async () => {
    host = await Host.start({
      configFile: d.file,
      log: silentLogger(),
      notifier: null,
      watch: false,
      engine: { discovery: false },
    });
    api = new EngineApi(host.db, host.config, host.engine);
    host.engine.bus.on((e) => seen.push(e));
  });
  afterAll(async () => {
    await host.stop(500);
    d.cleanup();
  });

  for (const c of cases)
    it(`${c.file}: the engine is untouched, the error is shown, and the good file applies after`, async () => {
      const before = host.config;
      const jobs = [...host.engine.jobs.keys()];
      seen.length = 0;
      writeFileSync(d.file, caseBytes(c));
      const r = await host.reload();
      expect(r.applied, c.note).toBe(false);
      expect(r.problems.length).toBeGreaterThan(0);
      expect(host.config).toBe(before);
      expect([...host.engine.jobs.keys()]).toEqual(jobs);
      const overview = await api.overview({});
      expect(overview.config.error?.message).toContain(d.file);
      expect(seen.some((e) => e.type === 'config' && !e.ok)).toBe(true);
      const events = host.db
        .prepare(`SELECT count(*) AS n FROM events WHERE kind = 'config_error'`)
        .get() as { n: number };
      expect(events.n).toBeGreaterThan(0);
      writeFileSync(d.file, base);
      const good = await host.reload();
      expect(good.problems).toEqual([]);
      expect(good.applied).toBe(true);
      expect((await api.overview({})).config.error).toBeNull();
    });
});
