import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { tempDir } from '../helpers/testEngine.ts';
import { waitFor } from '../helpers/waitFor.ts';

const root = resolve(import.meta.dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export interface RunningHost {
  url: string;
  openUrl: string;
  token: string;
  dir: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** `jobctl run --dashboard` as a child process on a temp data dir, with the given jobs.yaml. */
export async function startHeadlessHost(
  yaml: string,
  env: Record<string, string> = {},
): Promise<RunningHost> {
  const { dir, cleanup } = tempDir('tributary-e2e-');
  const config = join(dir, 'jobs.yaml');
  writeFileSync(config, yaml);
  const child = spawn(
    process.execPath,
    [
      join(root, 'bin/jobctl.mjs'),
      'run',
      '--dashboard',
      '--config',
      config,
      '--data',
      dir,
      '--grace',
      '1',
    ],
    {
      cwd: root,
      env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const line = await waitFor(
    () => /Dashboard: (\S+)/.exec(out) ?? (child.exitCode !== null ? null : null),
    {
      timeoutMs: 30_000,
      label: 'the dashboard URL on stdout',
    },
  ).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}; host output:\n${out}`);
  });
  const openUrl = line[1]!;
  const u = new URL(openUrl);
  return {
    url: u.origin,
    openUrl,
    token: u.searchParams.get('token')!,
    dir,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      cleanup();
    },
  };
}

/** Debian Chromium with the flags this closed network needs (extra flags for benches). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}
