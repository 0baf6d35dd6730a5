import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const JOBCTL = resolve(import.meta.dirname, '../../bin/jobctl.mjs');

export interface HostProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the built `jobctl` as a real child process. */
export function spawnJobctl(args: string[], env: NodeJS.ProcessEnv = {}): HostProcess {
  const child = spawn(process.execPath, [JOBCTL, ...args], {
    env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('exit', (code, signal) => r({ code, signal })),
  );
  return { child, output: () => out, exited };
}

/** Runs jobctl to completion and returns its exit code and output. */
export async function runJobctl(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; out: string }> {
  const p = spawnJobctl(args, env);
  const { code } = await p.exited;
  return { code, out: p.output() };
}
