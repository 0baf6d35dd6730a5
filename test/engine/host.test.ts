import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/db/openDatabase.ts';
import { silentLogger } from '../../electron/engine/log/logger.ts';
import { dbFile, Host } from '../../electron/engine/runner/Host.ts';
import { hostState } from '../../electron/engine/runner/HostHeartbeat.ts';
import { HostLockedError } from '../../electron/engine/runner/HostLock.ts';
import { runJobctl, spawnJobctl } from '../helpers/hostProcess.ts';
import { counts, scriptedJob, tempDir } from '../helpers/testEngine.ts';
import { waitFor } from '../helpers/waitFor.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function project(yamlBody: string): { dir: string; config: string; data: string } {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const config = join(dir, 'jobs.yaml');
  writeFileSync(config, yamlBody);
  return { dir, config, data: join(dir, 'data') };
}

function staticItems(n: number, script: Record<string, string>): string {
  const items = Array.from(
    { length: n },
    (_, i) => `          - { key: k${i}, data: { script: ${JSON.stringify(script)} } }`,
  ).join('\n');
  return `    discovery:\n      strategy: static\n      params:\n        items:\n${items}`;
}

describe('the host process', () => {
  it('loses nothing when killed with SIGKILL mid-run: a restart finishes every item, and re-runs use up no attempt', async () => {
    const stages = `      - { name: a, concurrency: 10 }\n      - { name: b, concurrency: 10 }\n      - { name: c, concurrency: 10 }`;
    const p = project(
      scriptedJob('crash', stages, staticItems(1200, { a: 'sleep:2', b: 'sleep:2', c: 'sleep:2' })),
    );
    const host = spawnJobctl(['run', '--config', p.config, '--data', p.data]);
    const db = openDatabase(dbFile(p.data));
    cleanups.push(() => {
      db.close();
    });
    await waitFor(
      () => (counts(db, 'crash').c?.done ?? 0) > 100 && (counts(db, 'crash').b?.running ?? 0) > 0,
      { timeoutMs: 60_000, label: 'mid-run' },
    );
    host.child.kill('SIGKILL');
    const exit = await host.exited;
    expect(exit.signal).toBe('SIGKILL');
    const before = counts(db, 'crash');
    const runningAtKill = Object.values(before).reduce((n, s) => n + (s.running ?? 0), 0);
    expect(runningAtKill).toBeGreaterThan(0);
    expect(hostState(db).state).not.toBe('stopped');

    const again = await runJobctl(['run', '--once', '--config', p.config, '--data', p.data]);
    expect(again.code, again.out).toBe(0);
    const after = counts(db, 'crash');
    expect(after).toEqual({ a: { done: 1200 }, b: { done: 1200 }, c: { done: 1200 } });
    const items = db.prepare(`SELECT count(*) AS n FROM items WHERE job_id = 'crash'`).get() as {
      n: number;
    };
    expect(items.n).toBe(1200);
    // The crash was counted apart (and cleared by the finished re-run), not as an attempt.
    const rows = db
      .prepare(
        `SELECT min(attempts) AS lo, max(attempts) AS hi, max(crashes) AS crashes FROM item_stages`,
      )
      .get() as { lo: number; hi: number; crashes: number };
    expect(rows).toEqual({ lo: 1, hi: 1, crashes: 0 });
    const reclaimed = db
      .prepare(
        `SELECT count(*) AS n, sum(data ->> '$.crashes' = 1 AND data ->> '$.to' = 'pending') AS ok FROM events WHERE kind = 'lease_reclaimed'`,
      )
      .get() as { n: number; ok: number };
    expect(reclaimed).toEqual({ n: runningAtKill, ok: runningAtKill });
    expect(hostState(db).state).toBe('stopped');
  });

  it('shuts down gracefully on SIGTERM: exit 0, unfinished runs handed back, heartbeat and lock cleared', async () => {
    const p = project(
      scriptedJob('g', `      - { name: a, concurrency: 2 }`, staticItems(4, { a: 'hang' })),
    );
    const host = spawnJobctl(['run', '--grace', '0.2', '--config', p.config, '--data', p.data]);
    const db = openDatabase(dbFile(p.data));
    cleanups.push(() => {
      db.close();
    });
    await waitFor(() => counts(db, 'g').a?.running === 2, { timeoutMs: 30_000 });
    expect(hostState(db).state).toBe('running');
    host.child.kill('SIGTERM');
    const exit = await host.exited;
    expect(exit.code, host.output()).toBe(0);
    expect(counts(db, 'g').a).toEqual({ pending: 4 });
    const attempts = db.prepare(`SELECT max(attempts) AS n FROM item_stages`).get() as {
      n: number;
    };
    expect(attempts.n).toBe(0);
    expect(hostState(db).state).toBe('stopped');
    expect(existsSync(join(p.data, 'host.lock'))).toBe(false);
  });

  it('refuses a second host on the same data directory and names the PID holding it', async () => {
    const p = project(scriptedJob('s', `      - { name: a }`));
    const first = await Host.start({ configFile: p.config, dataDir: p.data, log: silentLogger() });
    cleanups.push(() => first.stop(100));
    await expect(
      Host.start({ configFile: p.config, dataDir: p.data, log: silentLogger() }),
    ).rejects.toThrow(HostLockedError);
    const second = await runJobctl(['run', '--config', p.config, '--data', p.data]);
    expect(second.code).toBe(5);
    expect(second.out).toContain(`PID ${process.pid}`);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const p = project(scriptedJob('s', `      - { name: a }`));
    const dead = spawnJobctl(['--help']);
    await dead.exited;
    const { mkdirSync } = await import('node:fs');
    mkdirSync(p.data, { recursive: true });
    writeFileSync(join(p.data, 'host.lock'), JSON.stringify({ pid: dead.child.pid }));
    const host = await Host.start({ configFile: p.config, dataDir: p.data, log: silentLogger() });
    await host.stop(100);
  });
});
