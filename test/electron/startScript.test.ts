import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain .mjs script without type declarations
import * as start from '../../scripts/start.mjs';
import { tempDir } from '../helpers/testEngine.ts';

interface Plan {
  mode: 'desktop' | 'headless';
  command: string;
  args: string[];
}
const { planStart, electronBinary, fetchElectron } = start as {
  planStart(deps: {
    probe(): string | undefined;
    fetch(): { ok: boolean; reason?: string };
    say(msg: string): void;
    args?: string[];
  }): Plan;
  electronBinary(from?: string): string | undefined;
  fetchElectron(from?: string, timeoutMs?: number): { ok: boolean; reason?: string };
};

describe('npm start', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  it('opens the desktop app when Electron’s binary is present, without downloading', () => {
    let fetched = 0;
    const plan = planStart({
      probe: () => '/opt/electron/electron',
      fetch: () => ((fetched += 1), { ok: true }),
      say: () => {},
    });
    expect(plan.mode).toBe('desktop');
    expect(plan.command).toBe('/opt/electron/electron');
    expect(fetched).toBe(0);
  });

  it('tries to fetch the binary exactly once and uses it when the download works', () => {
    const found = [undefined, '/fetched/electron'];
    let fetched = 0;
    const plan = planStart({
      probe: () => found.shift(),
      fetch: () => ((fetched += 1), { ok: true }),
      say: () => {},
    });
    expect([plan.mode, plan.command, fetched]).toEqual(['desktop', '/fetched/electron', 1]);
  });

  it('says why and runs the headless host with the dashboard when the fetch fails', () => {
    const said: string[] = [];
    let fetched = 0;
    const plan = planStart({
      probe: () => undefined,
      fetch: () => ((fetched += 1), { ok: false, reason: 'getaddrinfo ENOTFOUND github.com' }),
      say: (m) => said.push(m),
      args: ['--data', '/tmp/x'],
    });
    expect(fetched).toBe(1);
    expect(plan.mode).toBe('headless');
    expect(plan.args.slice(1)).toEqual(['run', '--dashboard', '--data', '/tmp/x']);
    expect(plan.args[0]).toMatch(/bin[\\/]jobctl\.mjs$/);
    expect(said.join('\n')).toMatch(/Could not get Electron \(getaddrinfo ENOTFOUND github\.com\)/);
    expect(said.join('\n')).toMatch(/headless host with the dashboard/);
  });

  it('detects a binary-less electron package as missing, and a failing installer as a failed fetch', () => {
    const { dir, cleanup } = tempDir('tributary-start-');
    cleanups.push(cleanup);
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    mkdirSync(join(dir, 'node_modules/electron'), { recursive: true });
    // The real package's index.js throws when its path.txt (written by install.js) is missing.
    writeFileSync(
      join(dir, 'node_modules/electron/index.js'),
      "throw new Error('Electron failed to install correctly');",
    );
    writeFileSync(join(dir, 'node_modules/electron/package.json'), '{"main":"index.js"}');
    writeFileSync(
      join(dir, 'node_modules/electron/install.js'),
      "console.error('RequestError: connect ECONNREFUSED'); process.exit(1);",
    );
    expect(electronBinary(dir)).toBeUndefined();
    expect(fetchElectron(dir, 30_000)).toEqual({
      ok: false,
      reason: 'RequestError: connect ECONNREFUSED',
    });
  });
});
