/**
 * The config validator on the broken-config corpus (test/fixtures/configs/corpus), measured
 * the way the issue measured it, per half (`tune`: rules were fixed from it; `holdout`: never
 * looked at while writing them):
 * - cold: `jobctl reload --dry-run` in a child process — refused with exit 3, and every planted
 *   mistake located (`file:line:col` on its line, or its field path);
 * - hot: the file saved over a running host's watched jobs.yaml — the engine untouched (same
 *   config snapshot, same jobs), the error shown, and the good file saved after it applied.
 * `npm run bench:config` runs only this (after `node scripts/build.mjs`).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineApi } from '../electron/engine/api/EngineApi.ts';
import { silentLogger } from '../electron/engine/log/logger.ts';
import { Host } from '../electron/engine/runner/Host.ts';
import {
  caseBytes,
  CORPUS,
  corpusCases,
  corpusDir,
  locatesAll,
  type CorpusCase,
} from '../test/config/configCorpus.ts';

const ROOT = join(import.meta.dirname, '..');
const TIMEOUT_MS = 30_000;

interface Tally {
  total: number;
  refused: number;
  located: number;
  untouched: number;
  shown: number;
  reapplied: number;
}

function cli(
  args: string[],
): Promise<{ code: number | null; out: string; ms: number; timedOut: boolean }> {
  return new Promise((done) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(ROOT, 'bin/jobctl.mjs'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out, ms: performance.now() - t0, timedOut });
    });
  });
}

async function cold(c: CorpusCase): Promise<{ refused: boolean; located: boolean; ms: number }> {
  const d = corpusDir();
  try {
    writeFileSync(d.file, caseBytes(c));
    const r = await cli(['--config', d.file, 'reload', '--dry-run']);
    const lines = r.out.split('\n').map((l) => l.trim());
    return {
      refused: r.code === 3,
      located: r.code === 3 && locatesAll(c, d.file, lines),
      ms: r.ms,
    };
  } finally {
    d.cleanup();
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const cases = corpusCases();
  const halves = { tune: blank(), holdout: blank() };
  const half = (c: CorpusCase) => halves[c.file.startsWith('holdout/') ? 'holdout' : 'tune'];
  const misses: string[] = [];

  // Cold, four child processes at a time.
  let slowest = 0;
  const queue = cases.filter((c) => c.mode === 'both');
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const r = await cold(c);
        slowest = Math.max(slowest, r.ms);
        const t = half(c);
        t.total++;
        if (r.refused) t.refused++;
        if (r.located) t.located++;
        else if (c.file.startsWith('tune/')) misses.push(`cold ${c.file}`);
      }
    }),
  );

  // Hot: one running host watching its jobs.yaml; each file is saved over it, then the good one
  // again, and the host's own reload (from the watcher) is awaited through its events.
  const d = corpusDir();
  const host = await Host.start({
    configFile: d.file,
    log: silentLogger(),
    notifier: null,
    engine: { discovery: false },
  });
  const api = new EngineApi(host.db, host.config, host.engine);
  const base = readFileSync(join(CORPUS, 'base.yaml'));
  const nextConfigEvent = () =>
    new Promise<boolean | null>((done) => {
      const timer = setTimeout(() => {
        off();
        done(null);
      }, TIMEOUT_MS);
      const off = host.engine.bus.on((e) => {
        if (e.type !== 'config') return;
        clearTimeout(timer);
        off();
        done(e.ok);
      });
    });
  const hot = { tune: blank(), holdout: blank() };
  try {
    for (const c of cases) {
      const t = hot[c.file.startsWith('holdout/') ? 'holdout' : 'tune'];
      t.total++;
      const before = host.config;
      const jobs = JSON.stringify([...host.engine.jobs.keys()]);
      const refused = nextConfigEvent();
      writeFileSync(d.file, caseBytes(c));
      const ok = await refused;
      if (
        ok === false &&
        host.config === before &&
        JSON.stringify([...host.engine.jobs.keys()]) === jobs
      )
        t.untouched++;
      else if (c.file.startsWith('tune/')) misses.push(`hot ${c.file}`);
      if ((await api.overview({})).config.error?.message.includes(d.file)) t.shown++;
      const applied = nextConfigEvent();
      writeFileSync(d.file, base);
      if ((await applied) === true && (await api.overview({})).config.error === null) t.reapplied++;
    }
  } finally {
    await host.stop(500);
    d.cleanup();
  }

  const pct = (n: number, of: number) =>
    `${((100 * n) / Math.max(1, of)).toFixed(1)}% (${n}/${of})`;
  const figures: Record<string, unknown> = {};
  for (const h of ['tune', 'holdout'] as const) {
    const c = halves[h];
    figures[`${h} cold: refused, exit 3`] = pct(c.refused, c.total);
    figures[`${h} cold: every mistake located`] = pct(c.located, c.total);
    figures[`${h} hot: engine untouched`] = pct(hot[h].untouched, hot[h].total);
    figures[`${h} hot: error shown`] = pct(hot[h].shown, hot[h].total);
    figures[`${h} hot: good file re-applied after`] = pct(hot[h].reapplied, hot[h].total);
  }
  figures['slowest cold refusal (ms)'] = Math.round(slowest);
  figures['tune misses'] = misses.join(', ') || 'none';
  return figures;
}

function blank(): Tally {
  return { total: 0, refused: 0, located: 0, untouched: 0, shown: 0, reapplied: 0 };
}
