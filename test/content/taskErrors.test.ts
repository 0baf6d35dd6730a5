import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Doctor } from '../../electron/engine/doctor/Doctor.ts';
import { signalOf } from '../../electron/engine/handler/signals.ts';
import { WorkerPool } from '../../electron/engine/pool/WorkerPool.ts';
import { coerceError } from '../../electron/engine/runner/coerceError.ts';
import { tempDir } from '../helpers/testEngine.ts';

/**
 * Errors keep their type across the worker-thread boundary: structured cloning alone would
 * turn a BadInput into a plain Error (the doctor's fallback) and drop an ENOENT's code.
 */
const tmp = tempDir('tributary-task-errors-');
let fixture = '';
let pool: WorkerPool | undefined;
beforeAll(async () => {
  fixture = join(tmp.dir, 'taskErrorWorker.js');
  await build({
    entryPoints: [resolve(import.meta.dirname, 'fixtures/taskErrorWorker.ts')],
    outfile: fixture,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
});
afterEach(async () => {
  await pool?.destroy();
  pool = undefined;
});
afterAll(() => tmp.cleanup());

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the task to fail');
}

async function verdictOf(err: unknown): Promise<string> {
  const v = await new Doctor().classify(coerceError(err), {
    jobId: 'j',
    stage: 'extract',
    attempt: 1,
  });
  return v.class;
}

describe('errors from worker tasks', () => {
  it('turn a TypeError from a parser choking on the document into item_specific BadInput', async () => {
    pool = new WorkerPool({ filename: fixture, maxThreads: 1 });
    const err = await rejection(pool.run('parserChokes', {}));
    expect(err.name).toBe('BadInput');
    expect(err.message).toMatch(
      /^extract: could not parse this page as HTML \(TypeError: Cannot read properties of null/,
    );
    expect(signalOf(err)).toBe('fail_item');
    expect(await verdictOf(err)).toBe('item_specific');
  });

  it('keep an explicit BadInput’s name, message and FailItem brand', async () => {
    pool = new WorkerPool({ filename: fixture, maxThreads: 1 });
    const err = await rejection(pool.run('badInput', {}));
    expect(err).toMatchObject({
      name: 'BadInput',
      code: 'bad_input',
      message: 'extract: text/markdown is not HTML; use `format: text`',
    });
    expect(await verdictOf(err)).toBe('item_specific');
  });

  it('keep a bug in our own code a TypeError (the doctor may still call it a bug)', async () => {
    pool = new WorkerPool({ filename: fixture, maxThreads: 1 });
    const err = await rejection(pool.run('bug', {}));
    expect(err.name).toBe('TypeError');
    expect(signalOf(err)).toBeUndefined();
    expect(await verdictOf(err)).toBe('code_bug');
  });

  it('keep an I/O error’s errno code', async () => {
    pool = new WorkerPool({ filename: fixture, maxThreads: 1 });
    const err = await rejection(pool.run('missingFile', { path: join(tmp.dir, 'nope') }));
    expect(err).toMatchObject({ code: 'ENOENT' });
  });

  it('let the content worker read Markdown under the HTML parser without a TypeError', async () => {
    pool = new WorkerPool({ maxThreads: 1 });
    const page = await pool.run<{ text: string }>('extractHtml', {
      text: '# Notes\n\nplain words',
    });
    expect(page.text).toContain('plain words');
    const file = join(tmp.dir, 'a-file');
    writeFileSync(file, 'x');
    // The store's root is a file, so writing under it fails with ENOTDIR — code intact.
    const err = await rejection(
      pool.run('store', { bytes: new Uint8Array([1, 2, 3]), root: file }),
    );
    expect(err).toMatchObject({ code: 'ENOTDIR' });
  });
});
