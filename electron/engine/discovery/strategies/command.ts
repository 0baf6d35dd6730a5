import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { duration } from '../../config/durationSchema.ts';
import { AuthRequiredError } from '../http.ts';
import { getPath, pickFields } from '../jsonPath.ts';
import type { DiscoveryStrategy } from '../types.ts';

const Params = z.strictObject({
  /** The program (found on PATH, or a path relative to jobs.yaml's folder). */
  command: z.string().min(1),
  /** Arguments as a list: there is no shell, so nothing is ever interpreted or injected. */
  args: z.array(z.string()).default([]),
  /** Dot path of each JSON line's key (`id`; `webpage_url` as a fallback below). */
  key: z.string().min(1).default('id'),
  /** Tried when `key` is missing on a line. */
  key_fallback: z.string().optional().default('url'),
  fields: z.record(z.string(), z.string()).optional(),
  timeout: duration('1s', '24h', 'how long the command may run').prefault('10m'),
  env: z.record(z.string(), z.string()).default({}),
});

/** What tools print when they need a login or think we are a bot (yt-dlp, gallery-dl, curl). */
const AUTH_HINT =
  /(sign in|log in|login required|cookies?|not a bot|captcha|unauthori[sz]ed|forbidden|HTTP Error 40[13]|private video|members-only|age-restricted)/i;

/**
 * `command`: runs a program with an argument list (never a shell) and reads one JSON
 * object per stdout line — e.g. `yt-dlp --flat-playlist --dump-json URL` for a channel.
 *
 * Exit status is judged by what came out: a non-zero exit WITH valid lines is a partial
 * success (yt-dlp exits 1 when one video of a playlist is unavailable); no lines plus an
 * auth/bot message on stderr is an AuthRequiredError (systemic: the job pauses); no lines
 * and a non-zero exit is an error with the tail of stderr.
 */
export const commandStrategy: DiscoveryStrategy<typeof Params> = {
  name: 'command',
  paramsSchema: Params,
  async *discover(params, ctx) {
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(params.timeout)]);
    const child = spawn(params.command, params.args, {
      cwd: ctx.baseDir,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...params.env },
      signal,
      killSignal: 'SIGKILL',
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      // Keep the tail only: the message that explains a failure is at the end.
      stderr = (stderr + d).slice(-8000);
    });
    let spawnError: Error | undefined;
    const exited = new Promise<number | null>((resolvePromise) => {
      child.on('error', (e) => {
        spawnError = e;
        resolvePromise(null);
      });
      child.on('close', (code) => resolvePromise(code));
    });
    let valid = 0;
    let invalid = 0;
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        const t = line.trim();
        if (!t) continue;
        let obj: unknown;
        try {
          obj = JSON.parse(t);
        } catch {
          // Tools mix progress text into stdout; a non-JSON line is counted, not fatal.
          invalid++;
          continue;
        }
        const k =
          getPath(obj, params.key) ??
          (params.key_fallback ? getPath(obj, params.key_fallback) : undefined);
        if (typeof k !== 'string' && typeof k !== 'number') {
          invalid++;
          continue;
        }
        valid++;
        yield { key: String(k), data: pickFields(obj, params.fields) };
      }
    } finally {
      // The consumer stopped early (abort, limit): do not leave the program running.
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const code = await exited;
    if (ctx.signal.aborted) return;
    if (spawnError) {
      const e = spawnError as NodeJS.ErrnoException;
      if (e.name === 'AbortError')
        throw new Error(`\`${params.command}\` timed out after ${params.timeout}ms`);
      throw new Error(`cannot run \`${params.command}\`: ${e.code ?? e.message}`);
    }
    const tail = stderr.trim().split('\n').slice(-3).join(' | ');
    if (valid === 0 && AUTH_HINT.test(stderr)) {
      throw new AuthRequiredError(`\`${params.command}\` produced nothing and says: ${tail}`);
    }
    if (valid === 0 && code !== 0) {
      throw new Error(
        `\`${params.command}\` exited ${code} with no items${tail ? `: ${tail}` : ''}`,
      );
    }
    if (code !== 0 || invalid > 0) {
      ctx.log.warn({ code, valid, invalid, stderr: tail }, 'command finished with warnings');
    }
  },
};
